// overview.js - operator/admin overview: declarations by status, open agency
// tasks, the open gate exceptions (trucks the gate held: plate, lane, every
// reason; live from the event stream), and every crossing point with its
// lanes, state, hours and capacity; operator and admin change a point's
// state (with a reason and If-Match).
import * as api from '../api.js';
import { registerPage } from '../registry.js';
import { t, tv } from '../i18n.js';
import { site, forget as forgetSite, localName } from '../site.js';
import { minutesOfDay, number, timeOnly, PARTNER_TZ } from '../format.js';
import { follow, debounce } from '../live.js';
import { plateRead, reasonList } from '../gatefindings.js';
import { h, badge, section, field, showProblem, notice, loading, errorNotice } from '../ui.js';

const AGENCIES = ['customs', 'quarantine', 'border_guard'];
const STATUSES = ['pending', 'held', 'cleared', 'gate_open', 'exited', 'rejected', 'cancelled', 'expired'];

function toMin(hhmm) { const [a, b] = hhmm.split(':').map(Number); return a * 60 + b; }

// Whether now (minutes since midnight in the gate's time zone) is inside one of the windows.
export function inWindows(windows, now) {
  return (windows || []).some((w) => now >= toMin(w.open) && now < toMin(w.close));
}

function windowsText(ws) {
  return ws && ws.length ? ws.map((w) => w.open + '–' + w.close).join(', ') : '—';
}

function stat(labelKey, value, opts = {}) {
  return h('div', { class: 'stat' + (opts.cls ? ' ' + opts.cls : ''), dataset: opts.data },
    h('span', { class: 'stat-value' }, value), h('span', { class: 'stat-label' }, labelKey ? t(labelKey) : opts.label));
}

function statusForm(ctx, p) {
  const form = h('form', { class: 'inline-form', dataset: { point: p.id } },
    field({ name: 'status', idPrefix: p.id, label: 'overview.setStatus', type: 'select', value: p.status,
      options: ['open', 'restricted', 'closed'].map((s) => [s, tv('pointStatus', s)]) }),
    field({ name: 'reason', idPrefix: p.id, label: 'common.reason', pointer: 'header:X-Reason', attrs: { maxlength: 200 } }),
    h('button', { type: 'submit', class: 'btn' }, t('common.save')),
    h('div', { class: 'form-problem', hidden: true }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const status = form.elements.status.value;
    const reason = form.elements.reason.value.trim();
    try {
      await api.patch('/crossing-points/' + encodeURIComponent(p.id), { status },
        { ifMatch: '"' + p.version + '"', reason: reason || undefined });
      forgetSite();
      ctx.refresh();
    } catch (err) { showProblem(form, err); }
  });
  return form;
}

function pointCard(ctx, p, now) {
  const openNow = p.status !== 'closed' && inWindows(p.opening_hours, now);
  const agvNow = p.agv && inWindows(p.agv_windows, now);
  const canEdit = ['operator', 'admin'].includes(ctx.who.role);
  return h('article', { class: 'point card', dataset: { point: p.id, status: p.status } },
    h('header', null, h('h3', null, localName(p)), badge('pointStatus', p.status)),
    h('dl', { class: 'facts' },
      h('dt', null, t('point.kind')), h('dd', null, tv('pointKind', p.kind)),
      h('dt', null, t('point.markers')), h('dd', null, p.markers),
      h('dt', null, t('point.lanes')), h('dd', null, number(p.lanes)),
      h('dt', null, t('point.directions')), h('dd', null, p.directions.map((d) => tv('direction', d)).join(', ')),
      h('dt', null, t('point.hours')), h('dd', null, windowsText(p.opening_hours), ' ',
        h('span', { class: 'pill ' + (openNow ? 'pill-ok' : 'pill-off') }, t(openNow ? 'point.openNow' : 'point.closedNow'))),
      h('dt', null, t('point.capacity')), h('dd', null, t('point.perHour', { n: number(p.capacity_per_hour) })),
      p.agv ? [h('dt', null, t('point.agvWindows')), h('dd', null, windowsText(p.agv_windows), ' ',
        h('span', { class: 'pill ' + (agvNow ? 'pill-ok' : 'pill-off') }, t(agvNow ? 'point.agvNow' : 'point.agvIdle')))] : null,
      p.length_m ? [h('dt', null, t('point.length')), h('dd', null, t('point.km', { km: number(p.length_m / 1000, 1) }))] : null),
    canEdit ? statusForm(ctx, p) : null);
}

// The gate_exception tasks still open (pending or on hold), newest first.
async function openExceptions(signal) {
  const pages = await Promise.all(['pending', 'hold'].map((state) =>
    api.get('/tasks' + api.query({ kind: 'gate_exception', state, limit: 100 }), { signal })));
  return pages.flatMap((p) => p.items).sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
}

function exceptionList(items, names) {
  if (!items.length) return h('p', { class: 'empty', id: 'no-exceptions' }, t('overview.noExceptions'));
  return h('ol', { class: 'exception-list', id: 'gate-exceptions' }, items.map((x) => {
    const d = x.details || {};
    return h('li', { dataset: { task: x.id, state: x.state, lane: d.lane ?? '' } },
      h('div', null,
        h('time', null, timeOnly(x.created_at), ' ', h('span', { class: 'muted' }, '(' + t('shell.timeCN') + ' ' + timeOnly(x.created_at, PARTNER_TZ) + ')')),
        ' ', h('strong', { class: 'plate' }, plateRead(d) || '—'),
        ' · ', names.get(d.crossing_point_id) || d.crossing_point_id || '—',
        ' · ', t('gate.laneN', { n: d.lane ?? '—' }), ' ', badge('taskState', x.state), ' ', tv('agency', x.agency)),
      reasonList(d.reasons));
  }));
}

// The open exceptions' section body, kept current by the event stream.
function exceptionsLive(ctx, names, first) {
  const box = h('div', { id: 'exceptions' }, exceptionList(first, names));
  const refresh = debounce(async () => {
    try { box.replaceChildren(exceptionList(await openExceptions(ctx.signal), names)); } catch (err) {
      if (err.name !== 'AbortError') box.replaceChildren(errorNotice(err));
    }
  }, 300, ctx.signal);
  follow({ signal: ctx.signal, query: { actions: 'task.,gate_passage.' }, onEvent: refresh });
  return box;
}

async function render(ctx) {
  ctx.el.append(loading());
  const [s, kpis, exceptions, ...taskPages] = await Promise.all([
    site(),
    api.get('/kpis', { signal: ctx.signal }),
    openExceptions(ctx.signal),
    ...AGENCIES.map((a) => api.get('/tasks' + api.query({ agency: a, state: 'pending', limit: 500 }), { signal: ctx.signal })),
  ]);
  const now = minutesOfDay();
  const byStatus = kpis.all.by_status || {};
  ctx.el.replaceChildren(
    ctx.params.saved ? notice('ok', t('common.saved')) : '',
    section('overview.declarations', null,
      h('div', { class: 'stats', id: 'decl-stats' }, STATUSES.map((st) => stat(null, number(byStatus[st] || 0),
        { label: tv('status', st), data: { status: st } })))),
    section('overview.openTasks', null,
      h('div', { class: 'stats', id: 'task-stats' }, AGENCIES.map((a, i) => stat(null,
        number(taskPages[i].items.length) + (taskPages[i].next_cursor ? '+' : ''), { label: tv('agency', a), data: { agency: a } })))),
    section('overview.exceptions', null, exceptionsLive(ctx, new Map(s.points.map((p) => [p.id, localName(p)])), exceptions)),
    section('overview.points', null,
      h('div', { class: 'cards', id: 'points' }, s.points.map((p) => pointCard(ctx, p, now)))));
}

registerPage({ id: 'overview', title: 'nav.overview', roles: ['operator', 'admin'], order: 10, render });
