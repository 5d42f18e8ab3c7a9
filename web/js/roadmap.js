// roadmap.js - the AGV road (GET /api/v1/road) drawn as an SVG schematic:
// China's side and Vietnam's side with km 0 (the border line) between them,
// double-lane segments as a two-lane road, single-lane ones narrow, passing
// bays, the yards, the handover point, the inspection stop and the charging
// station; segments held by traffic control coloured by their holder; AGVs as
// markers that glide between their ~1 Hz positions (CSS transition).  Wide
// boxes get the road across (China at the left), narrow ones (phones) down
// (China at the top); the schematic is scaled to the box on both axes.
import { t, tv } from './i18n.js';

const NS = 'http://www.w3.org/2000/svg';
const PALETTE = ['#2b6cb0', '#d9480f', '#2f9e44', '#9c36b5', '#c2255c', '#0c8599', '#5f3dc4', '#e67700'];

// s('g', {class: 'x'}, child...): an SVG element.
function s(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

// A colour per vehicle serial, the same on every page and reload.
export function agvColor(serial) {
  let n = 0;
  for (const ch of String(serial)) n = (n * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[n % PALETTE.length];
}

// The place a node stands for (a zone, or a passing bay), for its label.
function placeOf(road, node) {
  const zone = road.zones.find((z) => z.node === node.id);
  if (zone) return { key: zone.id, text: tv('roadZone', zone.id) };
  if (node.kind === 'passing') return { key: 'passing', text: t('road.passingBay') };
  return null;
}

// The transform from road metres to the box: along the road (y, north to
// south) across the box's long side, x across it, each scaled to fit.
function layout(road, wide) {
  const xs = road.nodes.map((n) => n.x), ys = road.nodes.map((n) => n.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const span = Math.max(1, y1 - y0), across = Math.max(1, x1 - x0), xmid = (x0 + x1) / 2;
  if (wide) {
    const W = 1000, H = 270, pad = 60;
    const k = (W - 2 * pad) / span, kx = 80 / across;
    return { W, H, wide, pt: (x, y) => [pad + (y1 - y) * k, H / 2 + 5 - (x - xmid) * kx], border: pad + y1 * k };
  }
  const W = 360, H = 860, pad = 50;
  const k = (H - 2 * pad) / span, kx = 60 / across;
  return { W, H, wide, pt: (x, y) => [95 + (x - xmid) * kx, pad + (y1 - y) * k], border: pad + y1 * k };
}

// The width of a label in map units (12px text; CJK characters are wider).
function textWidth(str) {
  let w = 0;
  for (const ch of str) w += ch.codePointAt(0) > 0x2e80 ? 12.5 : 6.8;
  return w;
}

// Places labels (each {pos: wanted centre, w: width}) on one line from lo
// to hi without overlap, as near their wanted place as fits; sets x (left).
function spread(items, lo, hi, gap) {
  items.sort((a, b) => a.pos - b.pos);
  let right = lo - gap;
  for (const it of items) { it.x = Math.max(it.pos - it.w / 2, right + gap); right = it.x + it.w; }
  let left = hi + gap;
  for (const it of [...items].reverse()) { it.x = Math.min(it.x, left - gap - it.w); left = it.x; }
  return items;
}

function labels(road, L, nodeXY) {
  const out = [];
  // km 0 has the border line's own label
  const placed = road.nodes.map((n) => ({ n, p: placeOf(road, n), xy: nodeXY.get(n.id) })).filter((x) => x.p && x.p.key !== 'km0');
  if (L.wide) {
    // above or below the road: a place beside the road on its own side,
    // the others alternating
    const mid = L.H / 2 + 5;
    const sides = [[], []];
    let next = 0;
    for (const x of placed.sort((a, b) => a.xy[0] - b.xy[0])) {
      const up = x.xy[1] < mid - 25 ? 1 : x.xy[1] > mid + 25 ? 0 : (next = 1 - next);
      sides[up].push({ ...x, pos: x.xy[0], w: textWidth(x.p.text) });
    }
    sides.forEach((side, up) => {
      const ly = up ? mid - 66 : mid + 82;
      for (const x of spread(side, 6, L.W - 6, 12)) {
        out.push(s('line', { class: 'map-leader', x1: x.xy[0], y1: x.xy[1], x2: x.x + x.w / 2, y2: ly + (up ? 6 : -14) }),
          s('text', { class: 'map-label', x: x.x, y: ly, 'data-place': x.p.key }, x.p.text));
      }
    });
  } else {
    for (const x of spread(placed.map((x) => ({ ...x, pos: x.xy[1], w: 14 })), 20, L.H - 10, 6)) {
      out.push(s('line', { class: 'map-leader', x1: x.xy[0], y1: x.xy[1], x2: 168, y2: x.x + 3 }),
        s('text', { class: 'map-label', x: 172, y: x.x + 11, 'data-place': x.p.key }, x.p.text));
    }
  }
  return out;
}

function nodeMark(road, n, [x, y]) {
  const zone = road.zones.find((z) => z.node === n.id);
  const cls = 'map-node ' + (zone ? 'map-zone-' + zone.id : 'map-kind-' + (n.kind || 'point'));
  const title = s('title', null, zone ? tv('roadZone', zone.id) : n.kind === 'passing' ? t('road.passingBay') : n.id);
  if (n.kind === 'parking') return s('rect', { class: cls, x: x - 9, y: y - 9, width: 18, height: 18, rx: 3, 'data-node': n.id }, title);
  if (n.kind === 'passing') return s('ellipse', { class: cls, cx: x, cy: y, rx: 14, ry: 9, 'data-node': n.id }, title);
  if (zone && zone.id === 'inspection')
    return s('polygon', { class: cls, points: [[0, -9], [9, 0], [0, 9], [-9, 0]].map(([a, b]) => (x + a) + ',' + (y + b)).join(' '),
      'data-node': n.id }, title);
  return s('circle', { class: cls, cx: x, cy: y, r: zone ? 6 : 3.5, 'data-node': n.id }, title);
}

// The border line at km 0 with the two countries on either side.
function border(L) {
  const b = L.border;
  if (L.wide) {
    return [s('rect', { class: 'map-cn', x: 0, y: 0, width: b, height: L.H }), s('rect', { class: 'map-vn', x: b, y: 0, width: L.W - b, height: L.H }),
      s('line', { class: 'map-border', x1: b, y1: 4, x2: b, y2: L.H - 4 }),
      s('text', { class: 'map-country', x: b - 10, y: 20, 'text-anchor': 'end' }, '← ' + t('road.china')),
      s('text', { class: 'map-country', x: b + 10, y: 20 }, t('road.vietnam') + ' →'),
      s('text', { class: 'map-km0', x: b, y: L.H - 8, 'text-anchor': 'middle' }, t('road.km0'))];
  }
  return [s('rect', { class: 'map-cn', x: 0, y: 0, width: L.W, height: b }), s('rect', { class: 'map-vn', x: 0, y: b, width: L.W, height: L.H - b }),
    s('line', { class: 'map-border', x1: 4, y1: b, x2: L.W - 4, y2: b }),
    s('text', { class: 'map-country', x: 8, y: b - 8 }, '↑ ' + t('road.china')),
    s('text', { class: 'map-country', x: 8, y: b + 18 }, '↓ ' + t('road.vietnam')),
    s('text', { class: 'map-km0', x: L.W - 8, y: b - 8, 'text-anchor': 'end' }, t('road.km0'))];
}

// Builds the map for a box of width px.  Answers {svg, wide, traffic(t),
// agv(rec)}: traffic() redraws the held segments from GET /api/v1/traffic,
// agv() places or moves the marker of one vehicle (GET /agvs item or the
// data of an agv.position event).
export function roadMap(road, width) {
  const L = layout(road, width >= 640);
  const nodeXY = new Map(road.nodes.map((n) => [n.id, L.pt(n.x, n.y)]));
  const edgeEnds = new Map(road.edges.map((e) => [e.id, [nodeXY.get(e.from), nodeXY.get(e.to)]]));
  const seg = (e, attrs) => {
    const [[xa, ya], [xb, yb]] = edgeEnds.get(e.id);
    return s('line', { x1: xa, y1: ya, x2: xb, y2: yb, ...attrs });
  };
  const held = s('g', { class: 'map-held', id: 'map-held' });
  const agvs = s('g', { class: 'map-agvs', id: 'map-agvs' });
  const svg = s('svg', { class: 'road-map ' + (L.wide ? 'wide' : 'tall'), viewBox: `0 0 ${L.W} ${L.H}`, role: 'img',
    'aria-label': t('road.mapLabel'), preserveAspectRatio: 'xMidYMid meet', 'data-orientation': L.wide ? 'across' : 'down' },
  border(L),
  s('g', { class: 'map-edges' }, road.edges.map((e) => s('g', { class: 'map-edge map-' + e.lane, 'data-edge': e.id, 'data-lane': e.lane },
    s('title', null, t(e.lane === 'single' ? 'road.singleLane' : 'road.doubleLane') + ' · ' + e.length_m + ' m'),
    seg(e, { class: 'map-edge-bed' }), e.lane === 'double' ? seg(e, { class: 'map-edge-mid' }) : null))),
  held,
  s('g', { class: 'map-nodes' }, road.nodes.map((n) => nodeMark(road, n, nodeXY.get(n.id)))),
  s('g', { class: 'map-labels' }, labels(road, L, nodeXY)),
  agvs);
  const markers = new Map();

  function traffic(tr) {
    held.replaceChildren(
      ...(tr.edges || []).filter((x) => edgeEnds.has(x.edge)).map((x) => seg({ id: x.edge }, {
        class: 'map-hold', stroke: agvColor(x.agv), 'data-edge': x.edge, 'data-agv': x.agv })),
      ...(tr.nodes || []).filter((x) => nodeXY.has(x.node)).map((x) => s('circle', { class: 'map-hold-node',
        cx: nodeXY.get(x.node)[0], cy: nodeXY.get(x.node)[1], r: 9, stroke: agvColor(x.agv), 'data-node': x.node, 'data-agv': x.agv })));
  }

  function agv(rec) {
    const p = rec.position;
    if (!rec.serial || !p || typeof p.x !== 'number' || typeof p.y !== 'number') return;
    let m = markers.get(rec.serial);
    if (!m) {
      const i = markers.size;
      const label = s('text', { class: 'agv-label', y: i % 2 ? 26 : -14, 'text-anchor': 'middle' });
      m = { g: s('g', { class: 'agv', 'data-serial': rec.serial },
        s('circle', { class: 'agv-dot', r: 8, fill: agvColor(rec.serial) }), label, s('title')), label };
      markers.set(rec.serial, m);
      agvs.append(m.g);
    }
    const [x, y] = L.pt(p.x, p.y);
    m.g.style.transform = `translate(${x.toFixed(1)}px, ${y.toFixed(1)}px)`;
    const state = rec.estop ? 'estop' : rec.paused ? 'paused' : rec.state;
    m.g.dataset.state = state || '';
    m.label.textContent = rec.serial + (rec.battery !== undefined ? ' · ' + rec.battery + '%' : '');
    m.g.lastChild.textContent = rec.serial + ' · ' + tv('agvState', state) + ' · ' + t('road.battery') + ' ' + rec.battery + '%';
  }

  return { svg, wide: L.wide, traffic, agv };
}
