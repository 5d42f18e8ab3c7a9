// road.js - the AGV road (operator, admin; read-only for customs, border
// guard and quarantine): the map of road 1088 (roadmap.js) with the segments
// traffic control holds and the vehicles moving live from "agv.position"
// events; beside it the vehicles, the missions under way (state, what they
// wait for, time since start) and, for operators, the alerts and the
// pause-all / resume-all buttons.  The held segments are read again when
// AGV events arrive (at most every 2 s), never polled.
import * as api from '../api.js';
import { registerPage } from '../registry.js';
import { t, tv } from '../i18n.js';
import { timeOnly, dateTime, duration, number, PARTNER_TZ } from '../format.js';
import { h, badge, section, notice, errorNotice, loading } from '../ui.js';
import { follow, debounce } from '../live.js';
import { roadMap, agvColor } from '../roadmap.js';
import { onAlerts, alerts } from '../agvalerts.js';
import { now as gateNow } from '../gateclock.js';

const MANAGERS = ['operator', 'admin'];
const OPEN_STATES = ['held_at_inspection', 'running', 'planned'];

// Calls fn at once, then at most once per ms while calls keep coming.
function throttle(fn, ms, signal) {
  let last = 0, timer = null;
  signal.addEventListener('abort', () => clearTimeout(timer));
  return () => {
    if (timer) return;
    const wait = Math.max(0, last + ms - Date.now());
    timer = setTimeout(() => { timer = null; last = Date.now(); if (!signal.aborted) fn(); }, wait);
  };
}

const ms = (v) => (typeof v === 'number' ? v : Date.parse(v));

// "18:42 (CN 19:42)": the gate's time with China's beside it.
export function bothTimes(v) {
  return [h('time', { title: dateTime(v) }, timeOnly(v)), ' ',
    h('span', { class: 'muted', title: dateTime(v, PARTNER_TZ) }, '(' + t('road.cn') + ' ' + timeOnly(v, PARTNER_TZ) + ')')];
}

export function zoneName(z) { return tv('roadZone', z); }

function missionState(m) {
  return [badge('missionState', m.state), m.waiting_for ? [' ', h('span', { class: 'badge badge-hold', dataset: { waiting: m.waiting_for } },
    t('road.waitingFor', { what: tv('waitingFor', m.waiting_for) }))] : null];
}

function vehicleList(st) {
  const list = [...st.agvs.values()].sort((a, b) => a.serial.localeCompare(b.serial));
  if (!list.length) return h('p', { class: 'empty', id: 'agv-none' }, t('road.noVehicles'));
  return h('ul', { class: 'road-list', id: 'agv-list' }, list.map((a) => {
    const state = a.estop ? 'estop' : a.paused ? 'paused' : a.state;
    return h('li', { dataset: { serial: a.serial, state: state || '' } },
      h('span', { class: 'agv-swatch', style: 'background:' + agvColor(a.serial) }),
      h('strong', null, a.serial), ' ', badge('agvState', state),
      h('span', { class: 'road-meta' },
        h('span', { class: 'battery' + (a.battery < 25 ? ' low' : ''), dataset: { battery: a.battery } }, t('road.battery') + ' ' + number(a.battery) + '%'),
        a.mission_id ? ' · ' + t('road.missionNo', { id: a.mission_id }) : '',
        a.position && a.position.last_node ? ' · ' + nodeName(st.road, a.position.last_node) : ''));
  }));
}

function nodeName(road, id) {
  const z = road.zones.find((x) => x.node === id);
  const n = road.nodes.find((x) => x.id === id);
  return z ? zoneName(z.id) : n && n.kind === 'passing' ? t('road.passingBay') : id;
}

function missionList(st) {
  if (!st.missions.length) return h('p', { class: 'empty', id: 'mission-none' }, t('road.noMissions'));
  const now = gateNow();
  return h('ul', { class: 'road-list', id: 'mission-list' }, st.missions.map((m) => h('li', { dataset: { mission: m.id, state: m.state } },
    h('strong', null, t('road.missionNo', { id: m.id })), ' ', missionState(m),
    h('span', { class: 'road-meta' }, zoneName(m.from_zone), ' → ', zoneName(m.to_zone), m.agv ? ' · ' + m.agv : '',
      m.kind && m.kind !== 'delivery' ? ' · ' + tv('missionKind', m.kind) : ''),
    m.started_at ? h('span', { class: 'road-meta' }, t('road.started'), ' ', bothTimes(m.started_at), ' · ',
      h('span', { class: 'elapsed' }, t('road.elapsed', { d: duration(Math.max(0, (now - ms(m.started_at)) / 1000), t) }))) : null)));
}

function alertItem(a) {
  return h('li', { class: 'live-alert', dataset: { kind: a.kind, serial: a.serial } },
    bothTimes(a.ts), ' ', h('strong', null, tv('agvAlert', a.kind)), ' ', h('span', null, a.serial),
    a.detail ? h('span', { class: 'muted' }, ' · ' + a.detail) : null);
}

function fleetButtons(box) {
  const act = async (what) => {
    if (!window.confirm(t(what === 'pause' ? 'road.confirmPause' : 'road.confirmResume'))) return;
    try {
      const res = await api.post('/agvs/' + what + '-all');
      box.replaceChildren(notice('ok', t(what === 'pause' ? 'road.pausedAll' : 'road.resumedAll', { n: res.vehicles })));
    } catch (err) { box.replaceChildren(errorNotice(err)); }
  };
  return [h('button', { type: 'button', class: 'btn btn-warn', id: 'pause-all', onclick: () => act('pause') }, t('road.pauseAll')),
    h('button', { type: 'button', class: 'btn btn-ok', id: 'resume-all', onclick: () => act('resume') }, t('road.resumeAll'))];
}

function legend() {
  const item = (cls, key) => h('li', null, h('span', { class: 'legend-mark ' + cls }), t(key));
  return h('ul', { class: 'map-legend' }, item('lg-double', 'road.doubleLane'), item('lg-single', 'road.singleLane'),
    item('lg-passing', 'road.passingBay'), item('lg-held', 'road.held'), item('lg-agv', 'road.vehicle'));
}

// Every vehicle, following the list's pages when it has them ("next": a
// cursor, or the path of the next page).
async function allAgvs(signal) {
  let items = [];
  let path = '/agvs';
  for (let i = 0; i < 20 && path; i++) {
    const page = await api.get(path, { signal });
    items = items.concat(page.items || []);
    const next = page.next || page.next_cursor;
    path = !next ? null : String(next).startsWith('/') ? String(next).replace(/^\/api\/v1/, '') : '/agvs' + api.query({ cursor: next });
  }
  return { items };
}

async function openMissions(signal) {
  const pages = await Promise.all(OPEN_STATES.map((s) => api.get('/agv-missions' + api.query({ state: s, limit: 200 }), { signal })));
  return pages.flatMap((p) => p.items).sort((a, b) => a.id - b.id);
}

async function render(ctx) {
  ctx.el.append(loading());
  let road, agvs, traffic, missions;
  try {
    [road, agvs, traffic, missions] = await Promise.all([api.get('/road', { signal: ctx.signal }), allAgvs(ctx.signal),
      api.get('/traffic', { signal: ctx.signal }), openMissions(ctx.signal)]);
  } catch (err) {
    if (err.status !== 503) throw err;
    ctx.el.replaceChildren(notice('error', t('road.fleetOff')));
    return;
  }
  const st = { road, traffic, agvs: new Map(), missions };
  for (const a of agvs.items) st.agvs.set(a.serial, a);

  const mapBox = h('div', { class: 'map-box', id: 'road-map' });
  const vehBox = h('div', { id: 'road-vehicles' });
  const misBox = h('div', { id: 'road-missions' });
  const msgBox = h('div', { id: 'road-msg' });
  const live = h('span', { class: 'pill pill-off', id: 'road-live' }, t('live.connecting'));
  const manager = MANAGERS.includes(ctx.who.role);
  const alertList = h('ol', { class: 'live-list', id: 'agv-alerts' });
  ctx.el.replaceChildren(h('div', { class: 'road-grid' },
    h('section', { class: 'panel road-main' },
      h('div', { class: 'panel-head' }, h('h2', null, t('road.mapTitle')), h('div', { class: 'actions' }, live, manager ? fleetButtons(msgBox) : null)),
      msgBox, mapBox, legend(),
      manager ? null : h('p', { class: 'hint' }, t('road.readOnly'))),
    h('div', { class: 'road-side' },
      manager ? section('road.alerts', null, alertList) : null,
      section('road.vehicles', null, vehBox),
      section('road.missions', null, misBox))));

  let map = null;
  const drawMap = () => {
    const wide = mapBox.clientWidth >= 640;
    if (map && map.wide === wide) return;
    map = roadMap(road, mapBox.clientWidth);
    mapBox.replaceChildren(map.svg);
    map.traffic(st.traffic);
    for (const a of st.agvs.values()) map.agv(a);
  };
  drawMap();
  const ro = new ResizeObserver(() => drawMap());
  ro.observe(mapBox);
  ctx.signal.addEventListener('abort', () => ro.disconnect());
  const paintLists = () => { vehBox.replaceChildren(vehicleList(st)); misBox.replaceChildren(missionList(st)); };
  paintLists();
  const tick = setInterval(() => misBox.replaceChildren(missionList(st)), 5000);
  ctx.signal.addEventListener('abort', () => clearInterval(tick));
  if (manager) {
    const paint = (items) => alertList.replaceChildren(...(items.length ? items.map(alertItem)
      : [h('li', { class: 'muted live-empty' }, t('road.noAlerts'))]));
    paint(alerts());
    onAlerts(paint, ctx.signal);
  }

  const refreshTraffic = throttle(async () => {
    try { st.traffic = await api.get('/traffic', { signal: ctx.signal }); map.traffic(st.traffic); } catch { /* next event retries */ }
  }, 2000, ctx.signal);
  const refreshMissions = debounce(async () => {
    try { st.missions = await openMissions(ctx.signal); paintLists(); } catch { /* next event retries */ }
  }, 300, ctx.signal);
  follow({
    signal: ctx.signal, query: { types: 'agv,agv_mission' },
    onState: (s) => { live.textContent = t('live.' + s); live.className = 'pill ' + (s === 'live' ? 'pill-ok' : 'pill-off'); },
    onEvent: (rec, ev) => {
      if (ev.event === 'agv.position' && rec.data && rec.data.serial) {
        const d = rec.data;
        st.agvs.set(d.serial, { ...(st.agvs.get(d.serial) || {}), ...d });
        map.agv(st.agvs.get(d.serial));
        vehBox.replaceChildren(vehicleList(st));
        refreshTraffic();
      } else if (/^agv_mission/.test(ev.event)) {
        refreshMissions();
        refreshTraffic();
      } else if (ev.event.startsWith('agv')) {
        refreshTraffic();
      }
    },
  });
}

registerPage({ id: 'road', title: 'nav.road', roles: ['operator', 'admin', 'customs', 'border_guard', 'quarantine'], order: 25, render });
