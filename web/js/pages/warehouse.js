// warehouse.js - a company's bonded-warehouse business: its reservations,
// its stock per declaration (in, out, on hand), its access codes, and issuing
// a one-time access code for a drop-off or pick-up, shown once.
import * as api from '../api.js';
import { registerPage } from '../registry.js';
import { t, tv } from '../i18n.js';
import { dateTime, number } from '../format.js';
import { h, badge, section, table, field, showProblem, clearErrors, loading } from '../ui.js';
import { readBody } from '../form.js';

function qty(q) { return q ? t('wh.qty', { packages: number(q.packages), kg: number(q.gross_kg, 3) }) : '—'; }

function codeForm(ctx, reservations, decls, vehicles, onIssued) {
  const active = reservations.filter((r) => r.status === 'active');
  const form = h('form', { id: 'code-form', novalidate: true },
    h('div', { class: 'form-problem', hidden: true }),
    h('div', { class: 'grid-fields' },
      field({ name: 'reservation', label: 'wh.reservation', type: 'select', pointer: 'path:reservation',
        options: [['', t('common.choose')], ...active.map((r) => [r.id, '#' + r.id + ' · ' + dateTime(r.starts_at)])] }),
      field({ name: 'purpose', label: 'wh.purpose', type: 'select', options: ['drop_off', 'pick_up'].map((p) => [p, tv('whPurpose', p)]) }),
      field({ name: 'declaration_id', label: 'book.declaration', type: 'select', dtype: 'int',
        options: [['', t('common.choose')], ...decls.map((d) => [d.id, d.number])] }),
      field({ name: 'plate', label: 'yard.plate', attrs: { maxlength: 20, list: 'wh-plates' } }),
      field({ name: 'valid_minutes', label: 'wh.validMinutes', type: 'number', dtype: 'int', attrs: { min: 1, max: 1440 } })),
    h('datalist', { id: 'wh-plates' }, vehicles.map((v) => h('option', { value: v.plate }))),
    h('div', { class: 'actions-row' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'code-submit' }, t('wh.issue'))),
    h('div', { id: 'code-once' }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const rid = form.elements.reservation.value;
    const out = form.querySelector('#code-once');
    out.replaceChildren();
    clearErrors(form);
    if (!rid) {
      showProblem(form, { status: 400, errors: [{ pointer: 'path:reservation', detail: 'is required' }] });
      return;
    }
    try {
      const c = await api.post('/warehouse-reservations/' + encodeURIComponent(rid) + '/codes', readBody(form));
      out.replaceChildren(h('div', { class: 'notice notice-ok code-once', role: 'status' },
        h('p', null, t('wh.codeOnce')), h('p', { class: 'access-code', id: 'access-code' }, c.code),
        h('p', { class: 'muted' }, t('wh.codeValid', { from: dateTime(c.valid_from), to: dateTime(c.expires_at), plate: c.plate }))));
      await onIssued();
    } catch (err) { showProblem(form, err); }
  });
  return form;
}

async function render(ctx) {
  ctx.el.append(loading());
  const [res, stock, codes, decls, vehicles, units] = await Promise.all([
    api.get('/warehouse-reservations?limit=200', { signal: ctx.signal }),
    api.get('/warehouse-stock', { signal: ctx.signal }),
    api.get('/warehouse-codes?limit=200', { signal: ctx.signal }),
    api.get('/declarations?limit=500', { signal: ctx.signal }),
    api.get('/vehicles?limit=500', { signal: ctx.signal }),
    api.get('/warehouses/huunghi-bw1/units', { signal: ctx.signal }).catch(() => ({ items: [] })),
  ]);
  const unit = new Map(units.items.map((u) => [u.id, u.code + ' (' + tv('unitKind', u.kind) + ')']));
  const declNo = new Map(decls.items.map((d) => [d.id, d.number]));
  const codesTable = (items) => table([
    { key: 'book.id', cell: (c) => '#' + c.id },
    { key: 'wh.purpose', cell: (c) => tv('whPurpose', c.purpose) },
    { key: 'book.declaration', cell: (c) => declNo.get(c.declaration_id) || '#' + c.declaration_id },
    { key: 'yard.plate', cell: (c) => c.plate },
    { key: 'wh.validUntil', cell: (c) => dateTime(c.expires_at) },
    { key: 'common.status', cell: (c) => badge('whStatus', c.status) },
  ], items, { emptyKey: 'wh.noCodes', rowData: (c) => ({ code: c.id }) });
  const codesBox = h('div', { id: 'wh-codes' }, codesTable(codes.items));
  const reloadCodes = async () => {
    codesBox.replaceChildren(codesTable((await api.get('/warehouse-codes?limit=200', { signal: ctx.signal })).items));
  };
  ctx.el.replaceChildren(
    section('wh.reservations', null, h('div', { id: 'wh-reservations' }, table([
      { key: 'book.id', cell: (r) => '#' + r.id },
      { key: 'wh.unit', cell: (r) => unit.get(r.unit_id) || '#' + r.unit_id },
      { key: 'wh.from', cell: (r) => dateTime(r.starts_at) },
      { key: 'wh.to', cell: (r) => dateTime(r.ends_at) },
      { key: 'common.status', cell: (r) => badge('whStatus', r.status) },
    ], res.items, { emptyKey: 'wh.noReservations', rowData: (r) => ({ reservation: r.id }) }))),
    section('wh.stock', null, h('div', { id: 'wh-stock' }, table([
      { key: 'book.declaration', cell: (s) => declNo.get(s.declaration_id) || '#' + s.declaration_id },
      { key: 'wh.lots', cell: (s) => number(s.lots), class: 'num' },
      { key: 'wh.in', cell: (s) => qty(s.in) },
      { key: 'wh.out', cell: (s) => qty(s.out) },
      { key: 'wh.onHand', cell: (s) => h('strong', null, qty(s.on_hand)) },
    ], stock.declarations || [], { emptyKey: 'wh.noStock', rowData: (s) => ({ declaration: s.declaration_id }) }))),
    section('wh.codes', null, codeForm(ctx, res.items, decls.items, vehicles.items, reloadCodes), codesBox));
}

registerPage({ id: 'warehouse', title: 'nav.warehouse', roles: ['company'], order: 60, render });
