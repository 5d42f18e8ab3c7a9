// fees.js - operator/admin: the fee tables (rates by weight band, goods kind
// and journey, yard time with free minutes and a daily cap, surcharges) and
// replacing a table whole (PUT with If-Match); every error the API finds is
// shown next to its rate field (/rates/N/member), overlaps next to the row.
import * as api from '../api.js';
import { registerPage } from '../registry.js';
import { t, tv } from '../i18n.js';
import { dateTime, money, number } from '../format.js';
import { h, section, table, field, groupError, showProblem, notice, loading } from '../ui.js';
import { readBody, repeater } from '../form.js';

const KINDS = ['per_trip', 'yard'];
const GOODS = ['normal', 'perishable', 'dangerous', 'refrigerated', 'any'];
const JOURNEYS = ['export', 'import', 'transit', 'empty_return', 'any'];

function rateRow(i, r) {
  const ptr = (m) => '/rates/' + i + '/' + m;
  const f = (name, label, extra = {}) => field({ name: 'r' + name, idPrefix: 'r' + i + '-' + Math.random().toString(36).slice(2, 6),
    label, pointer: ptr(name), value: r[name] ?? '', ...extra });
  const opt = (prefix, list) => [['', t('fees.anyValue')], ...list.map((v) => [v, tv(prefix, v)])];
  return h('div', { class: 'row-fields' },
    f('code', 'fees.code', { attrs: { maxlength: 15 } }),
    f('description', 'fees.description', { wide: true, attrs: { maxlength: 63 } }),
    f('kind', 'fees.kind', { type: 'select', options: KINDS.map((k) => [k, tv('feeKind', k)]) }),
    f('min_kg', 'fees.minKg', { type: 'number', dtype: 'int' }),
    f('max_kg', 'fees.maxKg', { type: 'number', dtype: 'int' }),
    f('amount', 'fees.amount', { type: 'number', dtype: 'int' }),
    f('free_minutes', 'fees.freeMinutes', { type: 'number', dtype: 'int' }),
    f('daily_cap', 'fees.dailyCap', { type: 'number', dtype: 'int' }),
    f('goods', 'fees.goods', { type: 'select', options: opt('goodsKind', GOODS) }),
    f('journey', 'fees.journey', { type: 'select', options: opt('journey', JOURNEYS) }),
    f('optional', 'fees.optional', { type: 'select', dtype: 'bool', value: r.optional ? 'true' : 'false',
      options: [['false', t('fees.no')], ['true', t('fees.yes')]] }),
    groupError('/rates/' + i));
}

function rateTable(ft) {
  return table([
    { key: 'fees.code', cell: (r) => h('strong', null, r.code) },
    { key: 'fees.description', cell: (r) => r.description },
    { key: 'fees.kind', cell: (r) => tv('feeKind', r.kind) },
    { key: 'fees.weight', cell: (r) => number(r.min_kg) + '–' + number(r.max_kg) + ' kg' },
    { key: 'fees.goods', cell: (r) => (r.goods ? tv('goodsKind', r.goods) : t('fees.anyValue')) },
    { key: 'fees.journey', cell: (r) => (r.journey ? tv('journey', r.journey) : t('fees.anyValue')) },
    { key: 'fees.amount', cell: (r) => money(r.amount, ft.currency) + (r.kind === 'yard' ? ' / ' + t('fees.hour') : ''), class: 'num' },
    { key: 'fees.yardTerms', cell: (r) => (r.kind === 'yard' ? t('fees.yardText', { free: number(r.free_minutes || 0),
      cap: money(r.daily_cap, ft.currency) }) : (r.optional ? t('fees.surcharge') : '—')) },
  ], ft.rates, { rowData: (r) => ({ code: r.code }) });
}

function editForm(ctx, ft, etag) {
  const rep = repeater({ name: 'rates', addKey: 'fees.addRate', makeRow: rateRow, rows: ft.rates });
  const form = h('form', { id: 'fee-form', novalidate: true },
    h('div', { class: 'form-problem', hidden: true }),
    h('div', { class: 'grid-fields' },
      field({ name: 'description', label: 'fees.tableDescription', value: ft.description, wide: true, attrs: { maxlength: 200 } }),
      field({ name: 'currency', label: 'fees.currency', type: 'select', value: 'VND', options: [['VND', 'VND (đồng)']] }),
      field({ name: 'reason', label: 'common.reason', pointer: 'header:X-Reason', attrs: { maxlength: 200 } })),
    groupError('/rates'), rep.box,
    h('div', { class: 'actions-row' }, rep.addBtn,
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'fee-submit' }, t('common.save')),
      h('a', { class: 'btn btn-quiet', href: '#/fees?id=' + encodeURIComponent(ft.id) }, t('common.cancel'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = readBody(form);
    // the form's field names carry an "r" prefix only for their ids; pointers are the API's.
    const reason = form.elements.reason.value.trim();
    try {
      await api.request('PUT', '/fee-tables/' + encodeURIComponent(ft.id), { body, ifMatch: etag || '"' + ft.version + '"',
        reason: reason || undefined });
      ctx.navigate('fees', { id: ft.id, saved: 1 });
    } catch (err) { showProblem(form, err); }
  });
  return form;
}

async function render(ctx) {
  ctx.el.append(loading());
  const list = (await api.get('/fee-tables?limit=100', { signal: ctx.signal })).items;
  const id = list.some((x) => x.id === ctx.params.id) ? ctx.params.id : (list[0] || {}).id;
  if (!id) { ctx.el.replaceChildren(h('p', { class: 'empty' }, t('common.empty'))); return; }
  const res = await api.request('GET', '/fee-tables/' + encodeURIComponent(id), { signal: ctx.signal });
  const ft = res.data;
  const canEdit = ['operator', 'admin'].includes(ctx.who.role);
  const tabs = h('nav', { class: 'tabs', id: 'fee-tables' }, list.map((x) => h('a', {
    href: '#/fees?id=' + encodeURIComponent(x.id), class: 'btn ' + (x.id === id ? 'btn-primary' : 'btn-quiet'), dataset: { table: x.id } }, x.id)));
  const edit = canEdit && !ctx.params.edit
    ? h('a', { class: 'btn', id: 'fee-edit', href: '#/fees?id=' + encodeURIComponent(id) + '&edit=1' }, t('fees.edit')) : null;
  ctx.el.replaceChildren(
    ctx.params.saved ? notice('ok', t('fees.saved', { version: ft.version })) : '',
    tabs,
    section('fees.table', edit,
      h('p', null, h('strong', null, ft.description), ' ', h('span', { class: 'muted' },
        t('fees.versionText', { version: ft.version, at: dateTime(ft.updated_at) }))),
      ctx.params.edit && canEdit ? editForm(ctx, ft, res.etag) : h('div', { id: 'fee-rates', dataset: { table: ft.id } }, rateTable(ft))));
}

registerPage({ id: 'fees', title: 'nav.fees', roles: ['operator', 'admin'], order: 60, render });
