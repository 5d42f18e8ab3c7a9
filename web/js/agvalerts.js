// agvalerts.js - the AGV alerts of the signed-in operator or admin: lost
// vehicles, e-stops, errors, window overruns, low batteries, invalid
// messages.  The list starts from the audit log (GET /api/v1/audit-events,
// object type agv, actions agv.<kind>) and follows the event stream: the
// live "agv.alert" event (with its detail) and the audited agv.<kind> event
// (with the gate's time and seq) become one alert.  The navigation shows
// how many arrived since the road page was last looked at (a badge on
// #nav-road); the road page lists them (onAlerts).
import * as api from './api.js';
import { follow } from './live.js';
import { t } from './i18n.js';
import { now as gateNow } from './gateclock.js';

export const ALERT_KINDS = ['lost', 'estop', 'error', 'window_overrun', 'battery_low', 'invalid_message'];
const ROLES = ['operator', 'admin'];
const SEEN_KEY = 'landport.agvAlertsSeen';
const MAX = 50;
const st = { items: [], listeners: new Set(), controller: null, watching: 0 };

function seenAt() { return Number(localStorage.getItem(SEEN_KEY) || 0); }

function notify() {
  paintBadge();
  for (const fn of st.listeners) fn(st.items);
}

// The alerts, newest first: {serial, kind, detail, ts (ms), seq|null}.
export function alerts() { return st.items; }

// Calls fn(items) on every change until signal aborts; while one is
// registered the alerts count as seen (the road page shows them).
export function onAlerts(fn, signal) {
  st.listeners.add(fn);
  st.watching++;
  markSeen();
  signal.addEventListener('abort', () => { st.listeners.delete(fn); st.watching--; });
}

export function markSeen() {
  const newest = st.items.reduce((m, a) => Math.max(m, a.ts), 0);
  localStorage.setItem(SEEN_KEY, String(Math.max(seenAt(), newest, gateNow())));
  paintBadge();
}

export function unseen() {
  const since = seenAt();
  return st.items.filter((a) => a.ts > since).length;
}

// The badge on the road page's navigation link (the nav is rebuilt on every
// route, so app.js calls this after building it).
export function paintBadge() {
  const link = document.getElementById('nav-road');
  if (!link) return;
  let b = link.querySelector('.nav-badge');
  const n = st.controller ? unseen() : 0;
  if (!n) { if (b) b.remove(); return; }
  if (!b) { b = document.createElement('span'); b.className = 'nav-badge'; b.id = 'agv-alert-badge'; link.append(' ', b); }
  b.textContent = String(n);
  b.title = t('road.alertsNew', { n });
}

function add(a) {
  st.items.unshift(a);
  st.items.sort((x, y) => y.ts - x.ts);
  st.items.length = Math.min(st.items.length, MAX);
  if (st.watching) markSeen();
  notify();
}

function fromAudit(ev) {
  const kind = String(ev.action || '').replace(/^agv\./, '');
  if (!ALERT_KINDS.includes(kind)) return null;
  return { serial: ev.object_id, kind, detail: '', ts: Date.parse(ev.ts) || Date.now(), seq: ev.seq ?? null };
}

// The latest alerts of the audit log (its pages are in order, oldest first).
async function load(signal) {
  let cursor;
  let found = [];
  for (let i = 0; i < 10; i++) {
    const page = await api.get('/audit-events' + api.query({ object_type: 'agv', limit: 500, cursor }), { signal });
    found = found.concat(page.items.map(fromAudit).filter(Boolean)).slice(-MAX);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  const known = new Set(st.items.map((a) => a.seq));
  for (const a of found) if (!known.has(a.seq)) st.items.push(a);
  st.items.sort((x, y) => y.ts - x.ts);
  notify();
}

function onEvent(rec, ev) {
  if (ev.event === 'agv.alert' && rec.data) {
    const d = rec.data;
    add({ serial: d.serial || '', kind: d.kind || 'error', detail: d.detail || '', ts: gateNow(), seq: null, live: true });
    return;
  }
  const a = fromAudit(rec);
  if (!a || st.items.some((x) => x.seq === a.seq)) return;
  const twin = st.items.find((x) => x.live && x.seq === null && x.serial === a.serial && x.kind === a.kind);
  if (twin) { twin.seq = a.seq; twin.ts = a.ts; st.items.sort((x, y) => y.ts - x.ts); notify(); return; }
  add(a);
}

// Starts following for who (operators and admins only); stops the previous.
export function startAlerts(who) {
  stopAlerts();
  if (!who || !ROLES.includes(who.role)) return;
  const controller = new AbortController();
  st.controller = controller;
  load(controller.signal).catch(() => {});
  follow({ signal: controller.signal, query: { types: 'agv', actions: ['agv.alert', ...ALERT_KINDS.map((k) => 'agv.' + k)].join(',') },
    onEvent });
}

export function stopAlerts() {
  if (st.controller) st.controller.abort();
  st.controller = null;
  st.items = [];
  paintBadge();
}
