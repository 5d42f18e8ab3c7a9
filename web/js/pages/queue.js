// queue.js - operator/admin: the e-queue of a crossing point and direction:
// its lanes (capacity, paused) with pause/resume and capacity controls that
// require a reason (sent as X-Reason), the waiting trucks in call order with
// class, slot, arrival, position and estimated wait, and the called trucks
// with their lane and the time since the call against the no-show window.
// Follows the live event stream; the call clocks tick every second.
import * as api from '../api.js';
import { registerPage } from '../registry.js';
import { t, tv } from '../i18n.js';
import { pointName } from '../site.js';
import { dateTime, duration, number } from '../format.js';
import { h, section, table, field, showProblem, clearErrors, loading, errorNotice, notice } from '../ui.js';
import { liveStrip, debounce } from '../live.js';
import { now as gateNow } from '../gateclock.js';

export function queueLabel(q, name) { return name + ' · ' + tv('direction', q.direction); }

function laneForm(ctx, q, lane) {
  const pre = 'l' + lane.lane;
  const form = h('form', { class: 'lane-form', novalidate: true, dataset: { lane: lane.lane, paused: String(lane.paused) } },
    h('div', { class: 'lane-head' }, h('strong', null, t('queue.lane', { n: lane.lane })),
      h('span', { class: 'pill ' + (lane.paused ? 'pill-off' : 'pill-ok') }, t(lane.paused ? 'queue.paused' : 'queue.active')),
      h('span', { class: 'muted' }, t('queue.inService', { n: number(lane.in_service), cap: number(lane.capacity) }))),
    h('div', { class: 'row-fields' },
      field({ name: 'capacity', idPrefix: pre, label: 'queue.capacity', type: 'number', value: lane.capacity, dtype: 'int',
        attrs: { min: 0, max: 1000 } }),
      field({ name: 'reason', idPrefix: pre, label: 'common.reason', pointer: 'header:X-Reason', required: true, attrs: { maxlength: 200 } })),
    h('div', { class: 'actions-row' },
      h('button', { type: 'submit', class: 'btn ' + (lane.paused ? 'btn-ok' : 'btn-warn'), value: 'pause', dataset: { act: 'pause' } },
        t(lane.paused ? 'queue.resume' : 'queue.pause')),
      h('button', { type: 'submit', class: 'btn', value: 'capacity', dataset: { act: 'capacity' } }, t('queue.setCapacity'))),
    h('div', { class: 'form-problem', hidden: true }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const act = e.submitter ? e.submitter.value : 'pause';
    const reason = form.elements.reason.value.trim();
    if (!reason) {
      form.querySelector('[data-error-for="header:X-Reason"]').textContent = t('queue.reasonRequired');
      form.elements.reason.setAttribute('aria-invalid', 'true');
      return;
    }
    const raw = form.elements.capacity.value.trim();
    const body = act === 'pause' ? { paused: !lane.paused } : { capacity: /^\d+$/.test(raw) ? Number(raw) : raw };
    try {
      await api.patch('/queues/' + encodeURIComponent(q.id) + '/lanes/' + lane.lane, body, { reason });
      ctx.flash = t(act === 'pause' ? (lane.paused ? 'queue.resumed' : 'queue.pausedDone') : 'queue.capacitySet', { n: lane.lane });
      await ctx.fill();
    } catch (err) { showProblem(form, err); }
  });
  return form;
}

function sinceCell(called, windowMin) {
  const span = h('span', { class: 'since', dataset: { since: called.called_at || '', window: windowMin } });
  tickOne(span);
  return span;
}

function tickOne(span) {
  const at = Date.parse(span.dataset.since);
  if (isNaN(at)) { span.textContent = '—'; return; }
  const s = Math.max(0, (gateNow() - at) / 1000);
  const win = Number(span.dataset.window) * 60;
  span.textContent = t('queue.sinceOf', { since: duration(s, t), window: number(Number(span.dataset.window)) });
  span.className = 'since ' + (s > win ? 'late' : s > win * 0.75 ? 'soon' : '');
}

async function fill(ctx, box) {
  try {
    const list = (await api.get('/queues?limit=100', { signal: ctx.signal })).items;
    // By default the busiest queue.
    const busiest = [...list].sort((a, b) => (b.waiting + b.called) - (a.waiting + a.called))[0];
    const id = list.some((x) => x.id === ctx.params.q) ? ctx.params.q : (busiest || {}).id;
    if (!id) { box.replaceChildren(notice('ok', t('queue.none'))); return; }
    const [q, settings] = await Promise.all([
      api.get('/queues/' + encodeURIComponent(id), { signal: ctx.signal }),
      api.get('/settings/yard', { signal: ctx.signal }).catch(() => null),
    ]);
    const windowMin = (settings && settings.value && settings.value.no_show_window_minutes) || 20;
    const names = new Map(await Promise.all(list.map(async (x) => [x.id, queueLabel(x, await pointName(x.crossing_point_id))])));
    const picker = h('form', { class: 'inline-form', id: 'queue-pick' },
      field({ name: 'q', label: 'queue.pick', type: 'select', value: id, options: list.map((x) => [x.id, names.get(x.id)]) }));
    picker.elements.q.addEventListener('change', (e) => ctx.navigate('queue', { q: e.target.value }));
    const waiting = q.entries.filter((x) => x.state !== 'called').sort((a, b) => a.position - b.position);
    const called = q.entries.filter((x) => x.state === 'called');
    box.replaceChildren(
      ctx.flash ? notice('ok', ctx.flash) : '',
      picker,
      h('div', { class: 'stats', id: 'queue-stats' },
        h('div', { class: 'stat' }, h('span', { class: 'stat-value' }, number(q.waiting)), h('span', { class: 'stat-label' }, t('queue.waiting'))),
        h('div', { class: 'stat' }, h('span', { class: 'stat-value' }, number(q.called)), h('span', { class: 'stat-label' }, t('queue.called'))),
        h('div', { class: 'stat' }, h('span', { class: 'stat-value' }, duration(q.rate.interval_s, t)), h('span', { class: 'stat-label' }, t('queue.interval')))),
      section('queue.lanes', null, h('div', { class: 'cards', id: 'lanes', dataset: { queue: q.id } }, q.lanes.map((l) => laneForm(ctx, q, l)))),
      section('queue.waitingTrucks', null, h('div', { id: 'queue-waiting' }, table([
        { key: 'queue.position', cell: (x) => h('strong', null, number(x.position)) },
        { key: 'yard.plate', cell: (x) => x.plate },
        { key: 'yard.class', cell: (x) => tv('queueClass', x.class) },
        { key: 'queue.slot', cell: (x) => dateTime(x.slot) },
        { key: 'queue.arrival', cell: (x) => dateTime(x.arrival) },
        { key: 'queue.eta', cell: (x) => duration(x.eta_s, t) },
      ], waiting, { emptyKey: 'queue.noneWaiting', rowData: (x) => ({ plate: x.plate, position: x.position }) }))),
      section('queue.calledTrucks', null, h('div', { id: 'queue-called' }, table([
        { key: 'yard.plate', cell: (x) => x.plate },
        { key: 'queue.laneCol', cell: (x) => number(x.lane) },
        { key: 'yard.class', cell: (x) => tv('queueClass', x.class) },
        { key: 'queue.calledAt', cell: (x) => dateTime(x.called_at) },
        { key: 'queue.since', cell: (x) => sinceCell(x, windowMin) },
        { key: 'queue.noShows', cell: (x) => number(x.no_shows) },
      ], called, { emptyKey: 'queue.noneCalled', rowData: (x) => ({ plate: x.plate, lane: x.lane }) }))));
    ctx.flash = null;
  } catch (err) {
    if (err.name !== 'AbortError') box.replaceChildren(errorNotice(err));
  }
}

async function render(ctx) {
  const box = h('div', { id: 'queue-page' }, loading());
  ctx.fill = () => fill(ctx, box);
  // A live refresh waits while someone is typing a reason in a lane form.
  const busy = () => [...box.querySelectorAll('input[name="reason"]')].some((i) => i.value || i === document.activeElement);
  const again = debounce(() => (busy() ? again() : ctx.fill()), 400, ctx.signal);
  const timer = setInterval(() => { for (const s of box.querySelectorAll('.since')) tickOne(s); }, 1000);
  ctx.signal.addEventListener('abort', () => clearInterval(timer));
  ctx.el.append(liveStrip(ctx, { onEvent: (rec) => { if (/^(queue|yard_|gate|booking)/.test(rec.action || '')) again(); } }), box);
  await ctx.fill();
}

registerPage({ id: 'queue', title: 'nav.queue', roles: ['operator', 'admin'], order: 40, render });
