// kpis_agv.js - the "AGV trips and stops" part of the KPI page, from the
// mission records (GET /api/v1/agv-missions): missions completed per hour
// over the last 24 hours and the time vehicles stood still by cause
// (inspection, traffic, pause, e-stop, lost), as two uPlot charts and a
// table.  Without the fleet (503) the section says so.
import uPlot from '../../vendor/uPlot.esm.js';
import * as api from '../api.js';
import { t, tv } from '../i18n.js';
import { number, duration, dateTime, timeOnly, GATE_TZ } from '../format.js';
import { h, section, table, notice } from '../ui.js';
import { now as gateNow } from '../gateclock.js';

export const CAUSES = ['inspection', 'traffic', 'pause', 'e-stop', 'lost'];
const COLORS = { inspection: '#2b6cb0', traffic: '#d4a017', pause: '#7b8794', 'e-stop': '#c0392b', lost: '#6b2c91' };
const HOUR = 3600 * 1000;
const ms = (v) => (typeof v === 'number' ? v : Date.parse(v));

// Every mission record, page by page (bounded).
async function allMissions(signal) {
  let items = [];
  let cursor;
  for (let i = 0; i < 20; i++) {
    const page = await api.get('/agv-missions' + api.query({ limit: 500, cursor }), { signal });
    items = items.concat(page.items);
    cursor = page.next_cursor || page.next;
    if (!cursor) break;
  }
  return items;
}

// {hours: [start ms], trips: [n], stops: {cause: seconds}, completed, stopsN}
export function agvFigures(missions, nowMs) {
  const done = missions.filter((m) => m.state === 'completed' && m.finished_at);
  const latest = done.reduce((a, m) => Math.max(a, ms(m.finished_at)), 0);
  const end = Math.floor(Math.max(nowMs, latest) / HOUR) * HOUR + HOUR;
  const hours = Array.from({ length: 24 }, (_, i) => end - (24 - i) * HOUR);
  const trips = hours.map((from) => done.filter((m) => ms(m.finished_at) >= from && ms(m.finished_at) < from + HOUR).length);
  const stops = Object.fromEntries(CAUSES.map((c) => [c, 0]));
  const counts = Object.fromEntries(CAUSES.map((c) => [c, 0]));
  for (const m of missions) {
    for (const s of Array.isArray(m.stops) ? m.stops : []) {
      if (!(s.cause in stops)) { stops[s.cause] = 0; counts[s.cause] = 0; }
      stops[s.cause] += Number(s.duration_s) || 0;
      counts[s.cause]++;
    }
  }
  return { hours, trips, stops, counts, completed: done.length };
}

// Fits chart to its box now and whenever the box changes, until signal
// aborts (also used by kpis.js).
export function fit(chart, box, signal, height = 240) {
  const size = () => ({ width: Math.max(240, box.clientWidth), height: box.clientWidth < 500 ? 200 : height });
  chart.setSize(size());
  const ro = new ResizeObserver(() => chart.setSize(size()));
  ro.observe(box);
  signal.addEventListener('abort', () => { ro.disconnect(); chart.destroy(); });
}

function tripsChart(box, f, signal) {
  const chart = new uPlot({
    width: 600, height: 240,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), GATE_TZ),
    scales: { y: { range: (u, min, max) => [0, Math.max(4, max)] } },
    axes: [{ values: (u, splits) => splits.map((ts) => timeOnly(ts * 1000)) }, { label: t('kpis.agvTrips') }],
    series: [{ label: t('kpis.hour'), value: (u, ts) => (ts === null ? '—' : dateTime(ts * 1000)) },
      { label: t('kpis.agvCompleted'), stroke: '#2e8b57', width: 2, fill: '#2e8b5722', paths: uPlot.paths.stepped({ align: 1 }) }],
  }, [f.hours.map((x) => x / 1000), f.trips], box);
  fit(chart, box, signal);
}

function stopsChart(box, f, signal) {
  const causes = Object.keys(f.stops);
  const chart = new uPlot({
    width: 600, height: 240,
    scales: { x: { time: false, range: [-0.5, causes.length - 0.5] }, y: { range: (u, min, max) => [0, Math.max(5, max * 1.1)] } },
    axes: [{ values: (u, splits) => splits.map((v) => (Number.isInteger(v) && causes[v] ? tv('stopCause', causes[v]) : '')),
      splits: () => causes.map((c, i) => i) }, { label: t('kpis.minutes') }],
    series: [{ label: t('kpis.agvCause'), value: (u, v) => (v === null ? '—' : tv('stopCause', causes[v])) },
      { label: t('kpis.agvStopMin'), fill: '#2b6cb0', stroke: '#2b6cb0', paths: uPlot.paths.bars({ size: [0.5, 80] }), points: { show: false } }],
  }, [causes.map((c, i) => i), causes.map((c) => Math.round(f.stops[c] / 6) / 10)], box);
  fit(chart, box, signal);
}

// {el, draw()}: the section, and what draws its charts once it is in the
// page (they measure their box); a notice when the fleet is off.
export async function agvSection(ctx) {
  let missions;
  try {
    missions = await allMissions(ctx.signal);
  } catch (err) {
    if (err.status !== 503) throw err;
    return { el: section('kpis.agvTitle', null, notice('error', t('road.fleetOff'))), draw: () => {} };
  }
  const f = agvFigures(missions, gateNow());
  const tripsBox = h('div', { class: 'chart', id: 'chart-agv-trips' });
  const stopsBox = h('div', { class: 'chart', id: 'chart-agv-stops' });
  const el = section('kpis.agvTitle', null,
    h('p', { class: 'hint', id: 'agv-kpi-summary' }, t('kpis.agvSummary', { n: number(f.completed), all: number(missions.length) })),
    h('div', { class: 'grid-2' },
      h('div', null, h('h3', { class: 'chart-title' }, t('kpis.agvTripsTitle')), tripsBox),
      h('div', null, h('h3', { class: 'chart-title' }, t('kpis.agvStopsTitle')), stopsBox)),
    h('div', { id: 'agv-stops' }, table([
      { key: 'kpis.agvCause', cell: (c) => COLORS[c] ? h('span', null, h('span', { class: 'agv-swatch', style: 'background:' + COLORS[c] }), tv('stopCause', c)) : tv('stopCause', c) },
      { key: 'kpis.agvStops', cell: (c) => number(f.counts[c]), class: 'num' },
      { key: 'kpis.agvStopTime', cell: (c) => duration(f.stops[c], t), class: 'num' },
    ], Object.keys(f.stops), { rowData: (c) => ({ cause: c }) })));
  return { el, draw: () => { tripsChart(tripsBox, f, ctx.signal); stopsChart(stopsBox, f, ctx.signal); } };
}
