// declarations.js - a company's declarations: the list, one declaration with
// its tasks and amendment history, filing a new one and amending one.  The
// form sends what was typed; every field error of the answer is shown at
// once next to its field (JSON pointers of problem+json).
import * as api from '../api.js';
import { registerPage } from '../registry.js';
import { t, tv } from '../i18n.js';
import { site, localName, pointName } from '../site.js';
import { dateTime, timeOnly, PARTNER_TZ, money, number, localInputValue, inputToRfc3339 } from '../format.js';
import { h, badge, field, groupError, table, section, showProblem, notice, loading } from '../ui.js';
import { readBody, repeater } from '../form.js';
import { now as gateNow } from '../gateclock.js';

const STATUSES = ['pending', 'held', 'rejected', 'cleared', 'gate_open', 'exited', 'cancelled', 'expired'];
const AMENDABLE = new Set(['pending', 'held', 'cleared']);
const CURRENCIES = ['VND', 'CNY', 'USD'];

function listTable(items, labels) {
  return table([
    { key: 'decl.number', cell: (d) => h('a', { href: '#/declarations?id=' + d.id }, d.number) },
    { key: 'decl.channel', cell: (d) => badge('channel', d.channel) },
    { key: 'decl.status', cell: (d) => badge('status', d.status) },
    { key: 'decl.point', cell: (d) => labels.get(d.crossing_point_id) || d.crossing_point_id },
    { key: 'decl.direction', cell: (d) => tv('direction', d.direction) },
    { key: 'decl.vehicle', cell: (d) => d.vehicle_plate || tv('transport', d.transport) },
    { key: 'decl.arrival', cell: (d) => dateTime(d.expected_arrival) },
    { key: 'decl.value', cell: (d) => money(d.totals.value, d.currency), class: 'num' },
    { key: 'decl.actions', cell: (d) => AMENDABLE.has(d.status)
      ? h('a', { class: 'btn btn-quiet', href: '#/declarations?amend=' + d.id }, t('decl.amend')) : '' },
  ], items, { emptyKey: 'decl.none', rowData: (d) => ({ id: d.id, number: d.number }) });
}

async function renderList(ctx) {
  const status = STATUSES.includes(ctx.params.status) ? ctx.params.status : '';
  const filter = h('form', { class: 'inline-form', id: 'decl-filter' },
    field({ name: 'status', label: 'decl.status', type: 'select', value: status,
      options: [['', t('common.all')], ...STATUSES.map((s) => [s, tv('status', s)])] }),
    h('a', { class: 'btn btn-primary', href: '#/declarations?new=1', id: 'decl-new' }, t('decl.new')));
  filter.elements.status.addEventListener('change', (e) => ctx.navigate('declarations', e.target.value ? { status: e.target.value } : null));
  ctx.el.append(filter, loading());
  const [page, s] = await Promise.all([api.get('/declarations' + api.query({ status, limit: 100 }), { signal: ctx.signal }), site()]);
  const labels = new Map(s.points.map((p) => [p.id, localName(p)]));
  ctx.el.replaceChildren(
    ctx.params.filed ? notice('ok', t('decl.filedOk', { number: ctx.params.filed })) : '',
    filter, h('div', { id: 'decl-list' }, listTable(page.items, labels)));
}

function containerRow(i, c) {
  return h('div', { class: 'row-fields' },
    field({ name: 'number', idPrefix: 'c' + i, label: 'decl.containerNumber', pointer: `/containers/${i}/number`, value: c.number,
      attrs: { placeholder: 'CSQU3054383', autocapitalize: 'characters' } }),
    field({ name: 'seals', idPrefix: 'c' + i, label: 'decl.seals', pointer: `/containers/${i}/seals`, dtype: 'list',
      value: (c.seals || []).join(', '), hint: 'decl.sealsHint' }));
}

function goodsRow(i, g) {
  const f = (name, label, extra = {}) => field({ name, idPrefix: 'g' + i, label, pointer: `/goods/${i}/${name}`, value: g[name], ...extra });
  return h('div', { class: 'row-fields' },
    f('hs_code', 'decl.hs', { attrs: { placeholder: '0810.90.10', inputmode: 'numeric' } }),
    f('description', 'decl.description', { wide: true }),
    f('packages', 'decl.packages', { dtype: 'int', attrs: { inputmode: 'numeric' } }),
    f('gross_weight_kg', 'decl.weight', { dtype: 'number', attrs: { inputmode: 'decimal' } }),
    f('value', 'decl.lineValue', { dtype: 'number', attrs: { inputmode: 'decimal' } }),
    f('origin', 'decl.origin', { attrs: { maxlength: 2, placeholder: 'VN', autocapitalize: 'characters' } }));
}

// Keeps the totals at the sums of the lines until someone types a total.
function autoTotals(form) {
  const sum = (name) => [...form.querySelectorAll(`[data-pointer^="/goods/"][data-pointer$="/${name}"]`)]
    .map((el) => Number(el.value.replace(',', '.'))).filter((n) => !isNaN(n)).reduce((a, b) => a + b, 0);
  form.addEventListener('input', (e) => {
    if (e.target.dataset && (e.target.dataset.pointer || '').startsWith('/totals/')) { e.target.dataset.touched = '1'; return; }
    for (const name of ['packages', 'gross_weight_kg', 'value']) {
      const el = form.querySelector(`[data-pointer="/totals/${name}"]`);
      if (el && !el.dataset.touched) el.value = String(Math.round(sum(name) * 1000) / 1000);
    }
  });
}

async function renderForm(ctx, existing, etag) {
  const amend = Boolean(existing);
  const d = existing || { direction: 'export', transport: 'truck', currency: 'VND', containers: [{}], goods: [{}],
    expected_arrival: new Date(gateNow() + 2 * 3600 * 1000).toISOString() };
  const [s, vehicles, drivers] = await Promise.all([site(),
    api.get('/vehicles' + api.query({ status: 'active', limit: 500 }), { signal: ctx.signal }),
    api.get('/drivers' + api.query({ status: 'active', limit: 500 }), { signal: ctx.signal })]);
  const choose = ['', t('common.choose')];
  const cont = repeater({ name: 'containers', addKey: 'decl.addContainer', makeRow: containerRow, rows: d.containers });
  const goods = repeater({ name: 'goods', addKey: 'decl.addLine', makeRow: goodsRow, rows: d.goods });
  const fixed = amend ? { disabled: true } : {};
  const form = h('form', { class: 'decl-form', id: 'decl-form', novalidate: true },
    h('div', { class: 'form-problem', hidden: true }),
    section('decl.general', null, h('div', { class: 'grid-fields' },
      field({ name: 'number', label: 'decl.number', value: d.number, required: !amend, hint: 'decl.numberHint',
        attrs: { inputmode: 'numeric', ...fixed } }),
      field({ name: 'direction', label: 'decl.direction', type: 'select', value: d.direction, attrs: fixed,
        options: ['export', 'import'].map((x) => [x, tv('direction', x)]) }),
      field({ name: 'transport', label: 'decl.transport', type: 'select', value: d.transport, attrs: fixed,
        options: ['truck', 'agv'].map((x) => [x, tv('transport', x)]) }),
      field({ name: 'crossing_point_id', label: 'decl.point', type: 'select', value: d.crossing_point_id, required: true,
        options: [choose, ...s.points.map((p) => [p.id, localName(p)])] }),
      field({ name: 'vehicle_id', label: 'decl.vehicle', type: 'select', dtype: 'int', value: d.vehicle_id,
        options: [choose, ...vehicles.items.filter((v) => v.kind === 'truck').map((v) => [v.id, v.plate])] }),
      field({ name: 'driver_id', label: 'decl.driver', type: 'select', dtype: 'int', value: d.driver_id,
        options: [choose, ...drivers.items.map((x) => [x.id, x.full_name])] }),
      field({ name: 'trailer_plate', label: 'decl.trailer', value: d.trailer_plate, attrs: { placeholder: '29R-012.34' } }),
      field({ name: 'expected_arrival', label: 'decl.arrival', type: 'datetime-local', value: localInputValue(d.expected_arrival),
        required: true, hint: 'decl.arrivalHint' }),
      field({ name: 'currency', label: 'decl.currency', type: 'select', value: d.currency,
        options: CURRENCIES.map((c) => [c, c]) }))),
    section('decl.containers', cont.addBtn, groupError('/containers'), cont.box),
    section('decl.goods', goods.addBtn, groupError('/goods'), goods.box),
    section('decl.totals', null, groupError('/totals'), h('div', { class: 'grid-fields' },
      field({ name: 'packages', label: 'decl.packages', pointer: '/totals/packages', dtype: 'int', value: d.totals && d.totals.packages }),
      field({ name: 'gross_weight_kg', label: 'decl.weight', pointer: '/totals/gross_weight_kg', dtype: 'number',
        value: d.totals && d.totals.gross_weight_kg }),
      field({ name: 'value', label: 'decl.lineValue', pointer: '/totals/value', dtype: 'number', value: d.totals && d.totals.value })),
    h('p', { class: 'hint' }, t('decl.totalsHint'))),
    amend ? section('decl.amendReason', null,
      field({ name: 'reason', label: 'common.reason', pointer: 'header:X-Reason', required: true, wide: true, attrs: { maxlength: 500 } })) : null,
    h('div', { class: 'actions-row' },
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'decl-submit' }, t(amend ? 'decl.sendAmend' : 'decl.file')),
      h('a', { class: 'btn btn-quiet', href: amend ? '#/declarations?id=' + d.id : '#/declarations' }, t('common.cancel'))));
  const transportSel = form.elements.transport;
  const syncTransport = () => {
    const agv = transportSel.value === 'agv';
    for (const n of ['vehicle_id', 'driver_id', 'trailer_plate']) form.elements[n].disabled = agv;
  };
  transportSel.addEventListener('change', syncTransport);
  syncTransport();
  if (!amend) autoTotals(form);
  else for (const n of ['packages', 'gross_weight_kg', 'value']) form.querySelector(`[data-pointer="/totals/${n}"]`).dataset.touched = '1';
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = readBody(form);
    if (body.expected_arrival) body.expected_arrival = inputToRfc3339(body.expected_arrival);
    const btn = form.querySelector('#decl-submit');
    btn.disabled = true;
    try {
      if (amend) {
        for (const k of ['number', 'direction', 'transport']) delete body[k];
        if (!('trailer_plate' in body) && transportSel.value === 'truck') body.trailer_plate = null;
        const reason = form.elements.reason.value.trim();
        await api.patch('/declarations/' + d.id, body, { ifMatch: etag, reason: reason || undefined });
        ctx.navigate('declarations', { id: d.id, amended: 1 });
      } else {
        const res = await api.post('/declarations', body);
        ctx.navigate('declarations', { id: res.id, filed: 1 });
      }
    } catch (err) {
      showProblem(form, err);
      btn.disabled = false;
      const first = form.querySelector('[aria-invalid]') || form.querySelector('.form-problem');
      if (first) first.scrollIntoView({ block: 'center' });
    }
  });
  ctx.el.replaceChildren(amend ? h('p', { class: 'lead' }, t('decl.amendLead', { number: d.number })) : h('p', { class: 'lead' }, t('decl.newLead')), form);
}

async function renderOne(ctx, id) {
  ctx.el.append(loading());
  const [{ data: d }, amendments] = await Promise.all([
    api.request('GET', '/declarations/' + encodeURIComponent(id), { signal: ctx.signal }),
    api.get('/declarations/' + encodeURIComponent(id) + '/amendments?limit=100', { signal: ctx.signal })]);
  const point = await pointName(d.crossing_point_id);
  const msg = ctx.params.filed ? 'decl.filedOk' : ctx.params.amended ? 'decl.amendedOk' : null;
  ctx.el.replaceChildren(
    msg ? notice('ok', t(msg, { number: d.number })) : '',
    h('p', null, h('a', { href: '#/declarations' }, '← ' + t('decl.backToList'))),
    section('decl.detail', AMENDABLE.has(d.status) ? h('a', { class: 'btn', href: '#/declarations?amend=' + d.id, id: 'decl-amend' }, t('decl.amend')) : null,
      h('dl', { class: 'facts', id: 'decl-detail', dataset: { status: d.status, channel: d.channel } },
        h('dt', null, t('decl.number')), h('dd', null, h('strong', null, d.number)),
        h('dt', null, t('decl.channel')), h('dd', null, badge('channel', d.channel)),
        h('dt', null, t('decl.status')), h('dd', null, badge('status', d.status)),
        h('dt', null, t('decl.point')), h('dd', null, point),
        h('dt', null, t('decl.direction')), h('dd', null, tv('direction', d.direction), ' · ', tv('transport', d.transport)),
        d.vehicle_plate ? [h('dt', null, t('decl.vehicle')), h('dd', null, d.vehicle_plate + (d.trailer_plate ? ' + ' + d.trailer_plate : ''))] : null,
        h('dt', null, t('decl.arrival')), h('dd', null, dateTime(d.expected_arrival), ' ',
          h('span', { class: 'muted' }, '(' + t('shell.timeCN') + ' ' + timeOnly(d.expected_arrival, PARTNER_TZ) + ')')),
        h('dt', null, t('decl.validUntil')), h('dd', null, dateTime(d.valid_until)),
        h('dt', null, t('decl.totals')), h('dd', null, t('decl.totalsText', {
          packages: number(d.totals.packages), kg: number(d.totals.gross_weight_kg, 3), value: money(d.totals.value, d.currency) })))),
    section('decl.goods', null, table([
      { key: 'decl.hs', cell: (g) => g.hs_code }, { key: 'decl.description', cell: (g) => g.description },
      { key: 'decl.packages', cell: (g) => number(g.packages), class: 'num' },
      { key: 'decl.weight', cell: (g) => number(g.gross_weight_kg, 3), class: 'num' },
      { key: 'decl.lineValue', cell: (g) => money(g.value, d.currency), class: 'num' },
      { key: 'decl.origin', cell: (g) => g.origin }], d.goods)),
    section('decl.tasks', null, table([
      { key: 'tasks.agency', cell: (x) => tv('agency', x.agency) },
      { key: 'tasks.kind', cell: (x) => tv('taskKind', x.kind) },
      { key: 'tasks.state', cell: (x) => badge('taskState', x.state) },
      { key: 'tasks.reason', cell: (x) => x.reason || '—' },
      { key: 'tasks.when', cell: (x) => dateTime(x.decided_at || x.created_at) }], d.tasks || [], { emptyKey: 'tasks.none' })),
    section('decl.history', null, table([
      { key: 'decl.histWhen', cell: (a) => dateTime(a.at) },
      { key: 'decl.histWho', cell: (a) => a.by || '—' },
      { key: 'common.reason', cell: (a) => a.reason || '—' },
      { key: 'decl.histChanged', cell: (a) => Object.keys(a.after || {})
        .filter((k) => k !== 'risk' && k !== 'amendments').join(', ') || '—' }],
    amendments.items, { emptyKey: 'decl.noAmendments' })));
}

async function render(ctx) {
  if (ctx.params.new) return renderForm(ctx, null, null);
  if (ctx.params.amend) {
    ctx.el.append(loading());
    const { data, etag } = await api.request('GET', '/declarations/' + encodeURIComponent(ctx.params.amend), { signal: ctx.signal });
    return renderForm(ctx, data, etag);
  }
  if (ctx.params.id) return renderOne(ctx, ctx.params.id);
  return renderList(ctx);
}

registerPage({ id: 'declarations', title: 'nav.declarations', roles: ['company'], order: 10, render });
