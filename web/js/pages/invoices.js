// invoices.js - invoices for a company (its own) and for the operator and
// admin (all): the list with what is outstanding, an invoice's lines, facts
// and payments, and for operator/admin recording a payment by the payer's
// reference (a retry of the same payment answers the recorded one).
import * as api from '../api.js';
import { registerPage } from '../registry.js';
import { t, tv } from '../i18n.js';
import { dateTime, money, number } from '../format.js';
import { h, badge, section, table, field, showProblem, notice, loading } from '../ui.js';
import { readBody } from '../form.js';

const STATUSES = ['open', 'partly_paid', 'paid'];
const METHODS = ['bank_transfer', 'cash', 'card', 'e_wallet'];

function paymentForm(ctx, inv) {
  const form = h('form', { id: 'payment-form', novalidate: true },
    h('div', { class: 'form-problem', hidden: true }),
    h('div', { class: 'grid-fields' },
      field({ name: 'reference', label: 'inv.reference', required: true, attrs: { maxlength: 64 } }),
      field({ name: 'amount', label: 'inv.amount', type: 'number', dtype: 'int', required: true, value: inv.outstanding,
        attrs: { min: 1, step: 1 } }),
      field({ name: 'method', label: 'inv.method', type: 'select', options: METHODS.map((m) => [m, tv('payMethod', m)]) }),
      field({ name: 'reason', label: 'common.reason', pointer: 'header:X-Reason', attrs: { maxlength: 200 } })),
    h('div', { class: 'actions-row' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'payment-submit' }, t('inv.record'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const reason = form.elements.reason.value.trim();
      await api.post('/invoices/' + inv.id + '/payments', readBody(form), { reason: reason || undefined });
      ctx.navigate('invoices', { id: inv.id, paid: 1 });
    } catch (err) { showProblem(form, err); }
  });
  return form;
}

async function detail(ctx, id) {
  const [inv, pays] = await Promise.all([
    api.get('/invoices/' + encodeURIComponent(id), { signal: ctx.signal }),
    api.get('/invoices/' + encodeURIComponent(id) + '/payments?limit=100', { signal: ctx.signal }),
  ]);
  const canPay = ['operator', 'admin'].includes(ctx.who.role) && inv.outstanding > 0;
  const facts = inv.facts || {};
  return h('div', { id: 'invoice-detail', dataset: { invoice: inv.id, status: inv.status } },
    ctx.params.paid ? notice('ok', t('inv.paymentRecorded')) : '',
    h('p', null, h('a', { href: '#/invoices' }, t('inv.back'))),
    section('inv.invoice', badge('invStatus', inv.status),
      h('h3', null, inv.number),
      h('dl', { class: 'facts' },
        h('dt', null, t('inv.subject')), h('dd', null, tv('subjectType', inv.subject_type), ' #', inv.subject_id),
        h('dt', null, t('yard.plate')), h('dd', null, inv.plate || '—'),
        h('dt', null, t('inv.issued')), h('dd', null, dateTime(inv.issued_at)),
        h('dt', null, t('inv.feeTable')), h('dd', null, inv.fee_table_id + ' v' + inv.fee_table_version),
        facts.gross_kg !== undefined ? [h('dt', null, t('inv.gross')), h('dd', null, number(facts.gross_kg) + ' kg')] : null,
        facts.yard_minutes !== undefined ? [h('dt', null, t('inv.yardMinutes')), h('dd', null, number(facts.yard_minutes))] : null,
        h('dt', null, t('inv.total')), h('dd', null, h('strong', null, money(inv.total, inv.currency))),
        h('dt', null, t('inv.paid')), h('dd', null, money(inv.paid, inv.currency)),
        h('dt', null, t('inv.outstanding')), h('dd', { id: 'invoice-outstanding' }, h('strong', null, money(inv.outstanding, inv.currency)))),
      h('div', { id: 'invoice-lines' }, table([
        { key: 'inv.code', cell: (l) => l.code },
        { key: 'inv.description', cell: (l) => l.description },
        { key: 'inv.quantity', cell: (l) => number(l.quantity), class: 'num' },
        { key: 'inv.unitPrice', cell: (l) => money(l.unit_price, inv.currency), class: 'num' },
        { key: 'inv.amount', cell: (l) => money(l.amount, inv.currency), class: 'num' },
      ], inv.lines || []))),
    section('inv.payments', null, h('div', { id: 'invoice-payments' }, table([
      { key: 'inv.paidAt', cell: (p) => dateTime(p.paid_at) },
      { key: 'inv.reference', cell: (p) => p.reference },
      { key: 'inv.method', cell: (p) => tv('payMethod', p.method) },
      { key: 'inv.amount', cell: (p) => money(p.amount, inv.currency), class: 'num' },
    ], pays.items, { emptyKey: 'inv.noPayments' })), canPay ? paymentForm(ctx, inv) : null));
}

async function render(ctx) {
  ctx.el.append(loading());
  if (ctx.params.id) { ctx.el.replaceChildren(await detail(ctx, ctx.params.id)); return; }
  const status = STATUSES.includes(ctx.params.status) ? ctx.params.status : '';
  const page = await api.get('/invoices' + api.query({ status, limit: 200 }), { signal: ctx.signal });
  const filter = h('form', { class: 'inline-form', id: 'invoice-filter' },
    field({ name: 'status', label: 'common.status', type: 'select', value: status,
      options: [['', t('common.all')], ...STATUSES.map((s) => [s, tv('invStatus', s)])] }));
  filter.elements.status.addEventListener('change', (e) => ctx.navigate('invoices', { status: e.target.value }));
  const owed = page.items.reduce((a, i) => a + (i.outstanding || 0), 0);
  ctx.el.replaceChildren(
    filter,
    h('div', { class: 'stats' }, h('div', { class: 'stat' }, h('span', { class: 'stat-value', id: 'invoices-outstanding' }, money(owed)),
      h('span', { class: 'stat-label' }, t('inv.outstandingShown')))),
    section('nav.invoices', null, h('div', { id: 'invoice-list' }, table([
      { key: 'inv.number', cell: (i) => h('a', { href: '#/invoices?id=' + i.id }, i.number) },
      { key: 'inv.issued', cell: (i) => dateTime(i.issued_at) },
      { key: 'inv.subject', cell: (i) => tv('subjectType', i.subject_type) },
      { key: 'yard.plate', cell: (i) => i.plate || '—' },
      { key: 'inv.total', cell: (i) => money(i.total, i.currency), class: 'num' },
      { key: 'inv.outstanding', cell: (i) => money(i.outstanding, i.currency), class: 'num' },
      { key: 'common.status', cell: (i) => badge('invStatus', i.status) },
    ], [...page.items].reverse(), { emptyKey: 'inv.none', rowData: (i) => ({ invoice: i.id, number: i.number }) })),
    page.next_cursor ? h('p', { class: 'hint' }, t('inv.more', { n: page.items.length })) : ''));
}

registerPage({ id: 'invoices', title: 'nav.invoices', roles: ['operator', 'admin', 'company'], order: 50, render });
