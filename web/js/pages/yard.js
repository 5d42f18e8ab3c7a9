// yard.js - operator/admin: the parking yards with their occupancy by bay
// kind, the bays in use (trucks inside, with class and time in the yard) and
// the latest ANPR reads with their outcomes; follows the live event stream.
import * as api from '../api.js';
import { registerPage } from '../registry.js';
import { t, tv } from '../i18n.js';
import { dateTime, duration, number } from '../format.js';
import { h, badge, section, table, loading, errorNotice } from '../ui.js';
import { liveStrip, debounce } from '../live.js';
import { now as gateNow } from '../gateclock.js';

const KINDS = ['normal', 'refrigerated', 'dangerous'];

function occupancyBar(o) {
  const pct = o.bays ? Math.round((100 * o.occupied) / o.bays) : 0;
  return h('div', { class: 'occ' },
    h('div', { class: 'occ-bar', role: 'img', 'aria-label': pct + '%' }, h('span', { style: 'width:' + pct + '%' })),
    h('span', { class: 'occ-text' }, t('yard.occupied', { n: number(o.occupied), of: number(o.bays), free: number(o.free) })));
}

function yardCard(y, selected) {
  return h('article', { class: 'card yard' + (selected ? ' selected' : ''), dataset: { yard: y.id } },
    h('header', null, h('h3', null, h('a', { href: '#/yard?yard=' + encodeURIComponent(y.id) }, y.name)),
      h('span', { class: 'muted' }, tv('direction', y.direction))),
    h('dl', { class: 'facts' }, KINDS.map((k) => [h('dt', null, tv('bayKind', k)),
      h('dd', { dataset: { kind: k } }, occupancyBar((y.occupancy || {})[k] || { bays: 0, occupied: 0, free: 0 }))])));
}

// The n latest reads of a yard, newest first.  The list is in the order of
// the reads (oldest first), so its pages are followed to the end (bounded).
async function latestReads(ctx, yardId, n) {
  let items = [];
  let cursor;
  for (let i = 0; i < 20; i++) {
    const page = await api.get('/yard-reads' + api.query({ yard_id: yardId, limit: 500, cursor }), { signal: ctx.signal });
    items = items.concat(page.items).slice(-n);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return { items: items.reverse() };
}

async function fill(ctx, box) {
  try {
    const yards = (await api.get('/yards?limit=100', { signal: ctx.signal })).items;
    const id = yards.some((y) => y.id === ctx.params.yard) ? ctx.params.yard : (yards[0] || {}).id;
    const [visits, reads] = id ? await Promise.all([
      api.get('/yard-visits' + api.query({ yard_id: id, status: 'inside', limit: 200 }), { signal: ctx.signal }),
      latestReads(ctx, id, 25),
    ]) : [{ items: [] }, { items: [] }];
    const now = gateNow();
    box.replaceChildren(
      section('yard.yards', null, h('div', { class: 'cards', id: 'yards' }, yards.map((y) => yardCard(y, y.id === id)))),
      section('yard.bays', null, h('p', { class: 'muted' }, (yards.find((y) => y.id === id) || {}).name || ''),
        h('div', { id: 'yard-bays' }, table([
          { key: 'yard.bay', cell: (v) => h('strong', null, v.bay_id || '—') },
          { key: 'yard.bayKind', cell: (v) => tv('bayKind', v.bay_kind) },
          { key: 'yard.plate', cell: (v) => v.plate },
          { key: 'yard.class', cell: (v) => tv('queueClass', v.priority || v.class) },
          { key: 'yard.entered', cell: (v) => dateTime(v.entered_at) },
          { key: 'yard.inYard', cell: (v) => duration((now - Date.parse(v.entered_at)) / 1000, t) },
        ], visits.items, { emptyKey: 'yard.noTrucks', rowData: (v) => ({ bay: v.bay_id || '', plate: v.plate }) }))),
      section('yard.reads', null, h('div', { id: 'yard-reads' }, table([
        { key: 'yard.readAt', cell: (r) => dateTime(r.read_at) },
        { key: 'yard.gate', cell: (r) => tv('yardGate', r.gate) },
        { key: 'yard.plate', cell: (r) => r.plate || '—' },
        { key: 'yard.confidence', cell: (r) => number(r.confidence / 10, 1) + ' %' },
        { key: 'yard.outcome', cell: (r) => badge('outcome', r.outcome) },
        { key: 'yard.bay', cell: (r) => r.bay_id || '—' },
      ], reads.items, { rowData: (r) => ({ read: r.id, outcome: r.outcome }) }))));
  } catch (err) {
    if (err.name !== 'AbortError') box.replaceChildren(errorNotice(err));
  }
}

async function render(ctx) {
  const box = h('div', { id: 'yard-page' }, loading());
  const again = debounce(() => fill(ctx, box), 400, ctx.signal);
  ctx.el.append(liveStrip(ctx, { onEvent: (rec) => { if (/^(yard_|invoice|booking|queue)/.test(rec.action || '')) again(); } }), box);
  await fill(ctx, box);
}

registerPage({ id: 'yard', title: 'nav.yard', roles: ['operator', 'admin'], order: 30, render });
