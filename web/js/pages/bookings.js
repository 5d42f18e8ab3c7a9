// bookings.js - a company's crossing slots: free places per hour for a
// crossing point and direction, booking one for one of its declarations (a
// 409 shows the API's reason and its suggested slot, bookable in one click),
// its bookings with rebook, cancel and change of vehicle or driver, and its
// trucks' positions and estimated waits in the e-queues.
import * as api from '../api.js';
import { registerPage } from '../registry.js';
import { t, tv } from '../i18n.js';
import { site, localName } from '../site.js';
import { dateTime, duration, number } from '../format.js';
import { h, badge, section, table, field, showProblem, clearErrors, notice, loading, errorNotice } from '../ui.js';
import { liveStrip, debounce } from '../live.js';

const OPEN = ['active'];

// The notice for a refused booking: the API's reason, detail and suggested slot.
function conflictBox(ctx, err, retry) {
  const p = err.problem || {};
  const box = h('div', { class: 'notice notice-error', id: 'booking-conflict', role: 'alert', dataset: { reason: p.reason || '' } },
    h('strong', null, t('book.refused', { reason: tv('bookReason', p.reason) })), ' ', p.detail || '',
    p.suggested_slot && retry ? h('p', null, t('book.suggested', { slot: dateTime(p.suggested_slot) }), ' ',
      h('button', { type: 'button', class: 'btn btn-primary', id: 'book-suggested', onclick: () => retry(p.suggested_slot) },
        t('book.takeSuggested'))) : p.suggested_slot ? h('p', null, t('book.suggested', { slot: dateTime(p.suggested_slot) }))
      : h('p', { class: 'muted' }, t('book.noSuggestion')));
  return box;
}

function slotPicker(ctx, s, pointId, dir) {
  const pts = s.points.filter((p) => p.directions && p.directions.length);
  const form = h('form', { class: 'inline-form', id: 'slot-pick' },
    field({ name: 'point', label: 'book.point', type: 'select', value: pointId, options: pts.map((p) => [p.id, localName(p)]) }),
    field({ name: 'direction', label: 'book.direction', type: 'select', value: dir,
      options: ((pts.find((p) => p.id === pointId) || {}).directions || []).map((d) => [d, tv('direction', d)]) }));
  form.addEventListener('change', () => ctx.navigate('bookings', { point: form.elements.point.value, direction: form.elements.direction.value }));
  return form;
}

async function bookingActions(ctx, b, freeSlots, vehicles, drivers) {
  const mk = (id, fields, button, cls, send) => {
    const form = h('form', { class: 'booking-action', id }, fields,
      h('div', { class: 'actions-row' }, h('button', { type: 'submit', class: 'btn ' + cls }, t(button))),
      h('div', { class: 'form-problem', hidden: true }));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(form);
      const old = document.getElementById('booking-conflict');
      if (old) old.remove();
      try {
        await send(form);
        ctx.navigate('bookings', { ...ctx.params, saved: 1 });
      } catch (err) {
        showProblem(form, err);
        if (err.status === 409) form.prepend(conflictBox(ctx, err, form.elements.slot && (async (slot) => {
          const sel = form.elements.slot;
          if (![...sel.options].some((o) => o.value === slot)) sel.append(h('option', { value: slot }, dateTime(slot)));
          sel.value = slot;
          form.requestSubmit();
        })));
      }
    });
    return form;
  };
  const slotOptions = freeSlots.map((x) => [x.slot, dateTime(x.slot) + ' · ' + t('book.freeN', { n: number(x.free) })]);
  return h('div', { class: 'grid-2', id: 'booking-actions', dataset: { booking: b.id } },
    mk('rebook-form', [field({ name: 'slot', idPrefix: 'rb', label: 'book.newSlot', type: 'select', options: [['', t('common.choose')], ...slotOptions] })],
      'book.rebook', 'btn-primary', (f) => api.post('/bookings/' + b.id + '/rebook', { slot: f.elements.slot.value || undefined })),
    mk('change-form', [
      field({ name: 'vehicle_id', idPrefix: 'ch', label: 'book.vehicle', type: 'select', dtype: 'int', value: b.vehicle_id,
        options: vehicles.map((v) => [v.id, v.plate]) }),
      field({ name: 'driver_id', idPrefix: 'ch', label: 'book.driver', type: 'select', dtype: 'int', value: b.driver_id,
        options: drivers.map((d) => [d.id, d.full_name]) })],
    'book.change', '', (f) => {
      const body = {};
      if (Number(f.elements.vehicle_id.value) !== b.vehicle_id) body.vehicle_id = Number(f.elements.vehicle_id.value);
      if (Number(f.elements.driver_id.value) !== b.driver_id) body.driver_id = Number(f.elements.driver_id.value);
      return api.patch('/bookings/' + b.id, body, { ifMatch: '"' + b.version + '"' });
    }),
    mk('cancel-form', [field({ name: 'reason', idPrefix: 'cb', label: 'common.reason', attrs: { maxlength: 200 } })],
      'book.cancel', 'btn-danger', (f) => api.post('/bookings/' + b.id + '/cancel', f.elements.reason.value.trim() ? { reason: f.elements.reason.value.trim() } : {})));
}

async function myQueue(ctx, s) {
  const ids = s.points.flatMap((p) => (p.directions || []).map((d) => ({ id: p.id + ':' + d, p, d })));
  const rows = [];
  await Promise.all(ids.map(async (x) => {
    try {
      const q = await api.get('/queues/' + encodeURIComponent(x.id), { signal: ctx.signal });
      for (const e of q.entries) rows.push({ ...e, where: localName(x.p) + ' · ' + tv('direction', x.d) });
    } catch (err) { if (err.status !== 404) throw err; }
  }));
  rows.sort((a, b) => a.where.localeCompare(b.where) || a.position - b.position);
  return table([
    { key: 'book.where', cell: (e) => e.where },
    { key: 'yard.plate', cell: (e) => h('strong', null, e.plate) },
    { key: 'book.state', cell: (e) => tv('queueState', e.state) },
    { key: 'queue.position', cell: (e) => (e.state === 'called' ? t('book.calledLane', { n: e.lane }) : number(e.position)) },
    { key: 'queue.eta', cell: (e) => (e.state === 'called' ? '—' : duration(e.eta_s, t)) },
  ], rows, { emptyKey: 'book.noTrucks', rowData: (e) => ({ plate: e.plate, state: e.state }) });
}

async function fill(ctx, box) {
  try {
    const s = await site();
    const pts = s.points.filter((p) => p.directions && p.directions.length);
    const point = pts.find((p) => p.id === ctx.params.point) || pts.find((p) => p.id === 'huunghi-main') || pts[0];
    const dir = point.directions.includes(ctx.params.direction) ? ctx.params.direction : point.directions[0];
    const [slots, decls, bookings, vehicles, drivers, queueTable] = await Promise.all([
      api.get('/slots' + api.query({ crossing_point_id: point.id, direction: dir }), { signal: ctx.signal }),
      api.get('/declarations' + api.query({ crossing_point_id: point.id, direction: dir, limit: 200 }), { signal: ctx.signal }),
      api.get('/bookings?limit=200', { signal: ctx.signal }),
      api.get('/vehicles?limit=500', { signal: ctx.signal }),
      api.get('/drivers?limit=500', { signal: ctx.signal }),
      myQueue(ctx, s),
    ]);
    const usable = decls.items.filter((d) => d.transport === 'truck' && !['rejected', 'cancelled', 'expired', 'exited'].includes(d.status));
    const bookForm = h('form', { class: 'inline-form', id: 'book-form' },
      field({ name: 'declaration_id', label: 'book.declaration', type: 'select', dtype: 'int',
        options: [['', t('common.choose')], ...usable.map((d) => [d.id, d.number + ' · ' + (d.vehicle_plate || '—')])] }),
      h('div', { class: 'form-problem', hidden: true }));
    const book = async (slot) => {
      clearErrors(bookForm);
      const old = document.getElementById('booking-conflict');
      if (old) old.remove();
      const v = bookForm.elements.declaration_id.value;
      try {
        const b = await api.post('/bookings', { declaration_id: v ? Number(v) : undefined, slot });
        ctx.navigate('bookings', { point: point.id, direction: dir, booked: b.id });
      } catch (err) {
        showProblem(bookForm, err);
        if (err.status === 409) bookForm.append(conflictBox(ctx, err, book));
      }
    };
    const freeSlots = slots.items.filter((x) => x.free > 0);
    const selected = bookings.items.find((b) => String(b.id) === String(ctx.params.id) && OPEN.includes(b.status));
    const declNo = new Map(decls.items.map((d) => [d.id, d.number]));
    box.replaceChildren(
      ctx.params.booked ? notice('ok', t('book.booked', { id: ctx.params.booked })) : '',
      ctx.params.saved ? notice('ok', t('common.saved')) : '',
      section('book.slots', null, slotPicker(ctx, s, point.id, dir), bookForm,
        h('div', { id: 'slots' }, table([
          { key: 'book.hour', cell: (x) => dateTime(x.slot) },
          { key: 'book.quota', cell: (x) => number(x.quota) },
          { key: 'book.bookedCol', cell: (x) => number(x.booked) },
          { key: 'book.free', cell: (x) => h('strong', null, number(x.free)) },
          { key: 'book.action', cell: (x) => h('button', { type: 'button', class: 'btn btn-primary', disabled: x.free <= 0,
            dataset: { slot: x.slot }, onclick: () => book(x.slot) }, t('book.book')) },
        ], slots.items.filter((x) => x.quota > 0), { emptyKey: 'book.noSlots', rowData: (x) => ({ slot: x.slot, free: x.free }) }))),
      selected ? section('book.manage', null, h('p', null, t('book.manageLead', { id: selected.id, slot: dateTime(selected.slot_at) })),
        await bookingActions(ctx, selected, freeSlots, vehicles.items.filter((v) => v.status === 'active'),
          drivers.items.filter((d) => d.status === 'active'))) : '',
      section('book.mine', null, h('div', { id: 'bookings-list' }, table([
        { key: 'book.id', cell: (b) => '#' + b.id },
        { key: 'book.hour', cell: (b) => dateTime(b.slot_at) },
        { key: 'book.declaration', cell: (b) => declNo.get(b.declaration_id) || '#' + b.declaration_id },
        { key: 'yard.plate', cell: (b) => b.plate },
        { key: 'common.status', cell: (b) => badge('bookingStatus', b.status) },
        { key: 'book.rebookings', cell: (b) => number(b.rebookings) },
        { key: 'book.action', cell: (b) => (OPEN.includes(b.status)
          ? h('a', { class: 'btn btn-quiet', href: '#/bookings' + api.query({ point: point.id, direction: dir, id: b.id }), dataset: { manage: b.id } }, t('book.manageBtn'))
          : (b.reason || '—')) },
      ], [...bookings.items].sort((a, b) => Date.parse(b.slot_at) - Date.parse(a.slot_at) || b.id - a.id),
      { rowData: (b) => ({ booking: b.id, status: b.status }) }))),
      section('book.queue', null, h('div', { id: 'my-queue' }, queueTable)));
  } catch (err) {
    if (err.name !== 'AbortError') box.replaceChildren(errorNotice(err));
  }
}

async function render(ctx) {
  const box = h('div', { id: 'bookings-page' }, loading());
  const busy = () => box.contains(document.activeElement) && /INPUT|SELECT|TEXTAREA/.test(document.activeElement.tagName);
  const again = debounce(() => (busy() ? again() : fill(ctx, box)), 600, ctx.signal);
  ctx.el.append(box, liveStrip(ctx, { max: 5, onEvent: (rec) => { if (/^(queue|yard_|booking)/.test(rec.action || '')) again(); } }));
  await fill(ctx, box);
}

registerPage({ id: 'bookings', title: 'nav.bookings', roles: ['company'], order: 15, render });
