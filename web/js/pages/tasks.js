// tasks.js - an agency's task list (customs, quarantine, border guard): each
// task with the declaration it checks, and one-click decisions (approve,
// hold, reject); the API says when a reason is required and its field errors
// are shown next to the reason.
import * as api from '../api.js';
import { registerPage } from '../registry.js';
import { t, tv } from '../i18n.js';
import { pointName } from '../site.js';
import { dateTime, timeOnly, PARTNER_TZ, money, number } from '../format.js';
import { h, badge, field, showProblem, clearErrors, notice, errorNotice, loading } from '../ui.js';
import { gateFindings } from '../gatefindings.js';

const STATES = ['pending', 'hold', 'approved', 'rejected'];
const DECISIONS = [['approve', 'btn-ok'], ['hold', 'btn-warn'], ['reject', 'btn-danger']];

function declSummary(d, pointLabel) {
  if (!d) return h('p', { class: 'muted' }, t('tasks.noDeclaration'));
  const goods = d.goods.map((g) => g.hs_code + ' ' + g.description).join('; ');
  return h('dl', { class: 'facts' },
    h('dt', null, t('decl.number')), h('dd', null, h('strong', null, d.number), ' ', badge('channel', d.channel)),
    h('dt', null, t('decl.status')), h('dd', null, badge('status', d.status)),
    h('dt', null, t('decl.point')), h('dd', null, pointLabel, ' · ', tv('direction', d.direction), ' · ', tv('transport', d.transport)),
    d.vehicle_plate ? [h('dt', null, t('decl.vehicle')), h('dd', null, d.vehicle_plate, d.trailer_plate ? ' + ' + d.trailer_plate : '')] : null,
    h('dt', null, t('decl.arrival')), h('dd', null, dateTime(d.expected_arrival), ' ',
      h('span', { class: 'muted' }, '(' + t('shell.timeCN') + ' ' + timeOnly(d.expected_arrival, PARTNER_TZ) + ')')),
    h('dt', null, t('decl.goods')), h('dd', null, goods),
    h('dt', null, t('decl.totals')), h('dd', null, t('decl.totalsText', {
      packages: number(d.totals.packages), kg: number(d.totals.gross_weight_kg, 3), value: money(d.totals.value, d.currency) })),
    d.containers.length ? [h('dt', null, t('decl.containers')), h('dd', null,
      d.containers.map((c) => c.number + (c.seals && c.seals.length ? ' (' + c.seals.join(', ') + ')' : '')).join('; '))] : null);
}

function taskCard(ctx, task, decl, pointLabel) {
  const open = task.state === 'pending' || task.state === 'hold';
  const form = h('form', { class: 'decision', dataset: { task: task.id } },
    field({ name: 'reason', idPrefix: 't' + task.id, label: 'tasks.reason', type: 'textarea', hint: 'tasks.reasonHint',
      attrs: { maxlength: 500 } }),
    h('div', { class: 'actions-row' }, DECISIONS.map(([d, cls]) => h('button', {
      type: 'submit', class: 'btn ' + cls, name: 'decision', value: d, dataset: { decision: d } }, t('tasks.decide.' + d)))),
    h('div', { class: 'form-problem', hidden: true }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const decision = e.submitter ? e.submitter.value : 'approve';
    const reason = form.elements.reason.value.trim();
    clearErrors(form);
    for (const b of form.querySelectorAll('button')) b.disabled = true;
    try {
      const res = await api.post('/tasks/' + task.id + '/decision', reason ? { decision, reason } : { decision });
      const st = res.task ? res.task.state : decision;
      const dst = res.declaration ? res.declaration.status : null;
      ctx.flash = t('tasks.decided', { id: task.id, state: tv('taskState', st), status: dst ? tv('status', dst) : '—' });
      await renderList(ctx);
    } catch (err) {
      showProblem(form, err);
      for (const b of form.querySelectorAll('button')) b.disabled = false;
    }
  });
  return h('article', { class: 'task card', dataset: { task: task.id, state: task.state, kind: task.kind } },
    h('header', null,
      h('h3', null, tv('taskKind', task.kind), ' ', h('span', { class: 'muted' }, '#' + task.id)),
      badge('taskState', task.state)),
    h('p', { class: 'muted' }, t('tasks.created', { time: dateTime(task.created_at) }),
      task.decided_at ? ' · ' + t('tasks.decidedAt', { time: dateTime(task.decided_at), by: task.decided_by }) : ''),
    task.reason ? h('p', null, h('strong', null, t('tasks.reason') + ': '), task.reason) : null,
    task.kind === 'gate_exception' && task.details ? gateFindings(task.details, pointLabel) : null,
    declSummary(decl, pointLabel),
    open && ctx.agency ? form : null);
}

async function renderList(ctx) {
  const list = ctx.list;
  list.replaceChildren(loading());
  try {
    const q = { agency: ctx.agency || undefined, state: ctx.state === 'all' ? undefined : ctx.state, limit: 100 };
    const page = await api.get('/tasks' + api.query(q), { signal: ctx.signal });
    const ids = [...new Set(page.items.map((x) => x.declaration_id).filter(Boolean))];
    const decls = new Map(await Promise.all(ids.map(async (id) => {
      try { return [id, await api.get('/declarations/' + id, { signal: ctx.signal })]; } catch { return [id, null]; }
    })));
    const labels = new Map(await Promise.all([...decls.values()].filter(Boolean)
      .map(async (d) => [d.id, await pointName(d.crossing_point_id)])));
    list.replaceChildren(
      ctx.flash ? notice('ok', ctx.flash) : '',
      page.items.length
        ? h('div', { class: 'cards', id: 'task-cards' }, page.items.map((x) => taskCard(ctx, x, decls.get(x.declaration_id),
          labels.get(x.declaration_id))))
        : h('p', { class: 'empty', id: 'no-tasks' }, t('tasks.none')),
      page.next_cursor ? h('p', { class: 'hint' }, t('tasks.moreThan', { n: page.items.length })) : '');
    ctx.flash = null;
  } catch (err) {
    if (err.name !== 'AbortError') list.replaceChildren(errorNotice(err));
  }
}

async function render(ctx) {
  ctx.agency = ['customs', 'quarantine', 'border_guard'].includes(ctx.who.role) ? ctx.who.role : null;
  ctx.state = STATES.includes(ctx.params.state) || ctx.params.state === 'all' ? ctx.params.state : 'pending';
  const filter = h('form', { class: 'inline-form', id: 'task-filter' },
    field({ name: 'state', label: 'tasks.state', type: 'select', value: ctx.state,
      options: [...STATES.map((s) => [s, tv('taskState', s)]), ['all', t('common.all')]] }));
  filter.elements.state.addEventListener('change', (e) => ctx.navigate('tasks', { state: e.target.value }));
  ctx.list = h('div', { id: 'task-list' });
  ctx.el.append(ctx.agency ? h('p', { class: 'lead' }, t('tasks.lead', { agency: tv('agency', ctx.agency) })) : null,
    filter, ctx.list);
  await renderList(ctx);
}

registerPage({ id: 'tasks', title: 'nav.tasks', roles: ['customs', 'quarantine', 'border_guard'], order: 10, render });
