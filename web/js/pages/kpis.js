// kpis.js - operator/admin KPIs (GET /api/v1/kpis): per channel the
// declarations filed by status and the times from filing to exit and from
// clearance to the gate opening, with two uPlot charts: declarations filed
// per hour over the last 24 hours by channel, and filing-to-exit times;
// then the AGV trips and stops (kpis_agv.js).
import uPlot from '../../vendor/uPlot.esm.js';
import * as api from '../api.js';
import { registerPage } from '../registry.js';
import { t, tv } from '../i18n.js';
import { site, localName } from '../site.js';
import { number, duration, dateTime, timeOnly, GATE_TZ } from '../format.js';
import { h, section, table, loading, field } from '../ui.js';
import { agvSection, fit } from './kpis_agv.js';
import { now as gateNow } from '../gateclock.js';

const CHANNELS = ['green', 'yellow', 'red'];
const COLORS = { green: '#2e8b57', yellow: '#d4a017', red: '#c0392b' };
const HOUR = 3600 * 1000;

function filed(bucket) {
  return Object.values(bucket.by_status || {}).reduce((a, b) => a + b, 0);
}

function hourlyChart(box, hours, series, signal) {
  const data = [hours.map((ms) => ms / 1000), ...CHANNELS.map((c) => series[c])];
  const chart = new uPlot({
    width: 600, height: 260,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), GATE_TZ),
    scales: { y: { range: (u, min, max) => [0, Math.max(4, max)] } },
    axes: [{ values: (u, splits) => splits.map((ts) => timeOnly(ts * 1000)) }, { label: t('kpis.declarations') }],
    series: [{ label: t('kpis.hour'), value: (u, ts) => (ts === null ? '—' : dateTime(ts * 1000)) },
      ...CHANNELS.map((c) => ({ label: tv('channel', c), stroke: COLORS[c], width: 2, fill: COLORS[c] + '22',
        paths: uPlot.paths.stepped({ align: 1 }) }))],
  }, data, box);
  fit(chart, box, signal, 260);
}

function timesChart(box, k, signal) {
  const sec = (c, key) => (k.channels[c].filing_to_exit_s[key] ?? null);
  const toMin = (v) => (v === null ? null : Math.round(v / 6) / 10);
  const bars = (align) => uPlot.paths.bars({ size: [0.35, 60], align });
  const chart = new uPlot({
    width: 600, height: 260,
    scales: { x: { time: false, range: [-0.5, 2.5] }, y: { range: (u, min, max) => [0, Math.max(10, max * 1.1)] } },
    axes: [{ values: (u, splits) => splits.map((v) => (Number.isInteger(v) && CHANNELS[v] ? tv('channel', CHANNELS[v]) : '')),
      splits: () => [0, 1, 2] }, { label: t('kpis.minutes') }],
    series: [{ label: t('kpis.channel'), value: (u, v) => (v === null ? '—' : tv('channel', CHANNELS[v])) },
      { label: t('kpis.p50'), fill: '#2b6cb0', stroke: '#2b6cb0', paths: bars(-1), points: { show: false } },
      { label: t('kpis.p95'), fill: '#9b2c2c', stroke: '#9b2c2c', paths: bars(1), points: { show: false } }],
  }, [[0, 1, 2], CHANNELS.map((c) => toMin(sec(c, 'p50'))), CHANNELS.map((c) => toMin(sec(c, 'p95')))], box);
  fit(chart, box, signal, 260);
}

function statsTable(k) {
  const rows = [...CHANNELS, 'all'].map((c) => ({ c, b: c === 'all' ? k.all : k.channels[c] }));
  const d = (v) => duration(v, t);
  return table([
    { key: 'kpis.channel', cell: (r) => (r.c === 'all' ? t('kpis.all') : tv('channel', r.c)) },
    { key: 'kpis.filed', cell: (r) => number(filed(r.b)), class: 'num' },
    { key: 'kpis.exited', cell: (r) => number(r.b.exited), class: 'num' },
    { key: 'kpis.exitP50', cell: (r) => d(r.b.filing_to_exit_s.p50), class: 'num' },
    { key: 'kpis.exitP95', cell: (r) => d(r.b.filing_to_exit_s.p95), class: 'num' },
    { key: 'kpis.gateP50', cell: (r) => d(r.b.clearance_to_gate_s.p50), class: 'num' },
    { key: 'kpis.byStatus', cell: (r) => Object.entries(r.b.by_status || {})
      .map(([s, n]) => tv('status', s) + ': ' + number(n)).join(', ') || '—' },
  ], rows, { rowData: (r) => ({ channel: r.c }) });
}

async function render(ctx) {
  const point = ctx.params.point || '';
  const s = await site();
  const picker = h('form', { class: 'inline-form', id: 'kpi-filter' },
    field({ name: 'point', label: 'kpis.point', type: 'select', value: point,
      options: [['', t('kpis.allPoints')], ...s.points.map((p) => [p.id, localName(p)])] }));
  picker.elements.point.addEventListener('change', (e) => ctx.navigate('kpis', e.target.value ? { point: e.target.value } : null));
  ctx.el.append(picker, loading());

  const end = Math.floor(gateNow() / HOUR) * HOUR + HOUR;
  const hours = Array.from({ length: 24 }, (_, i) => end - (24 - i) * HOUR);
  const base = { crossing_point_id: point || undefined };
  const [agv, k, ...perHour] = await Promise.all([
    agvSection(ctx),
    api.get('/kpis' + api.query(base), { signal: ctx.signal }),
    ...hours.map((from) => api.get('/kpis' + api.query({ ...base, from, to: from + HOUR }), { signal: ctx.signal })),
  ]);
  const series = Object.fromEntries(CHANNELS.map((c) => [c, perHour.map((b) => filed(b.channels[c]))]));
  const hourBox = h('div', { class: 'chart', id: 'chart-hourly' });
  const timesBox = h('div', { class: 'chart', id: 'chart-times' });
  ctx.el.replaceChildren(picker,
    section('kpis.tableTitle', null, statsTable(k), k.note ? h('p', { class: 'hint' }, t('kpis.note')) : null),
    h('div', { class: 'grid-2' },
      section('kpis.hourlyTitle', null, hourBox),
      section('kpis.timesTitle', null, timesBox)),
    agv.el);
  hourlyChart(hourBox, hours, series, ctx.signal);
  timesChart(timesBox, k, ctx.signal);
  agv.draw();
}

registerPage({ id: 'kpis', title: 'nav.kpis', roles: ['operator', 'admin'], order: 20, render });
