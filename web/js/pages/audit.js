// audit.js - the audit log viewer (operator/admin): the hash-chained events
// in order, filtered by object type, object id and action, page by page
// (next_cursor), each with its before/after; and the chain check.
import * as api from '../api.js';
import { registerPage } from '../registry.js';
import { t, tv } from '../i18n.js';
import { dateTime, PARTNER_TZ, number } from '../format.js';
import { h, field, table, showProblem, notice, errorNotice, loading } from '../ui.js';

const FILTERS = ['object_type', 'object_id', 'action'];

function details(ev) {
  const json = (v) => (v === null || v === undefined ? '—' : JSON.stringify(v, null, 2));
  return h('details', { class: 'audit-details' }, h('summary', null, t('audit.showChange')),
    h('div', { class: 'diff' },
      h('div', null, h('h4', null, t('audit.before')), h('pre', null, json(ev.before))),
      h('div', null, h('h4', null, t('audit.after')), h('pre', null, json(ev.after)))),
    h('p', { class: 'hash' }, t('audit.hash'), ' ', h('code', null, ev.hash)));
}

function eventsTable(items) {
  return table([
    { key: 'audit.seq', cell: (e) => String(e.seq), class: 'num' },
    { key: 'audit.time', cell: (e) => h('span', { title: t('shell.timeCN') + ' ' + dateTime(e.ts, PARTNER_TZ) }, dateTime(e.ts)) },
    { key: 'audit.actor', cell: (e) => [e.actor, ' ', h('span', { class: 'muted' }, tv('role', e.role))] },
    { key: 'audit.action', cell: (e) => h('code', null, e.action) },
    { key: 'audit.object', cell: (e) => e.object_type + ' ' + e.object_id },
    { key: 'audit.reason', cell: (e) => e.reason || '—' },
    { key: 'audit.change', cell: (e) => details(e) },
  ], items, { rowData: (e) => ({ seq: e.seq }) });
}

async function render(ctx) {
  const filters = Object.fromEntries(FILTERS.map((k) => [k, ctx.params[k] || '']));
  const form = h('form', { class: 'inline-form', id: 'audit-filter' },
    FILTERS.map((k) => field({ name: k, label: 'audit.f.' + k, value: filters[k], pointer: 'query:' + k })),
    h('button', { type: 'submit', class: 'btn' }, t('common.filter')),
    h('div', { class: 'form-problem', hidden: true }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = {};
    for (const k of FILTERS) if (form.elements[k].value.trim()) p[k] = form.elements[k].value.trim();
    ctx.navigate('audit', p);
  });
  const verifyOut = h('div', { id: 'verify-result' });
  const verify = h('button', { type: 'button', class: 'btn btn-quiet', id: 'verify', onclick: async () => {
    verifyOut.replaceChildren(loading());
    try {
      const v = await api.get('/audit-events/verify', { signal: ctx.signal });
      verifyOut.replaceChildren(v.intact
        ? notice('ok', t('audit.intact', { n: number(v.events_checked) }))
        : notice('error', t('audit.broken', { seq: v.first_bad_seq ?? v.bad_seq ?? '?' })));
    } catch (err) { verifyOut.replaceChildren(errorNotice(err)); }
  } }, t('audit.verify'));
  const list = h('div', { id: 'audit-list' }, loading());
  ctx.el.append(form, h('div', { class: 'actions-row' }, verify), verifyOut, list);

  let cursor = null;
  const more = h('button', { type: 'button', class: 'btn', id: 'audit-more' }, t('common.more'));
  async function load(first) {
    try {
      const page = await api.get('/audit-events' + api.query({ ...filters, limit: 50, cursor }), { signal: ctx.signal });
      cursor = page.next_cursor;
      if (first) list.replaceChildren(eventsTable(page.items));
      else list.querySelector('tbody').append(...eventsTable(page.items).querySelectorAll('tbody tr'));
      more.hidden = !cursor;
    } catch (err) {
      if (err.errors && err.errors.length) { list.replaceChildren(); showProblem(form, err); }
      else list.replaceChildren(errorNotice(err));
      more.hidden = true;
    }
  }
  more.addEventListener('click', () => load(false));
  ctx.el.append(more);
  await load(true);
}

registerPage({ id: 'audit', title: 'nav.audit', roles: ['operator', 'admin'], order: 90, render });
