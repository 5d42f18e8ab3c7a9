// format.js - how the dashboard writes times, money and numbers: times in the
// gate's time zone (Asia/Ho_Chi_Minh) with the Chinese side's (Asia/Shanghai)
// where useful, money in đồng (vi-VN), numbers in the chosen language.
import { getLang } from './i18n.js';

export const GATE_TZ = 'Asia/Ho_Chi_Minh';
export const PARTNER_TZ = 'Asia/Shanghai';
const LOCALES = { vi: 'vi-VN', zh: 'zh-CN', en: 'en-GB' };

export function locale() { return LOCALES[getLang()] || 'vi-VN'; }

function toDate(v) {
  if (v === null || v === undefined || v === '') return null;
  const d = typeof v === 'number' ? new Date(v) : new Date(String(v));
  return isNaN(d.getTime()) ? null : d;
}

// "23/11/2026, 18:42" in the gate's time zone (or tz).
export function dateTime(v, tz = GATE_TZ) {
  const d = toDate(v);
  if (!d) return '—';
  return new Intl.DateTimeFormat(locale(), {
    timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).format(d);
}

export function timeOnly(v, tz = GATE_TZ) {
  const d = toDate(v);
  if (!d) return '—';
  return new Intl.DateTimeFormat(locale(), { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
}

// The hour and minute now (or at v) in tz, as minutes since local midnight.
export function minutesOfDay(v, tz = GATE_TZ) {
  const d = toDate(v) || new Date();
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(d);
  const get = (type) => Number(parts.find((p) => p.type === type).value);
  return get('hour') * 60 + get('minute');
}

// "YYYY-MM-DDTHH:MM" of v in the gate's time zone, for <input type=datetime-local>.
export function localInputValue(v) {
  const d = toDate(v);
  if (!d) return '';
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: GATE_TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

// The gate's time zone has no daylight saving time: UTC+07:00 all year.
export function inputToRfc3339(s) { return s ? s + ':00+07:00' : ''; }

export function money(amount, currency = 'VND') {
  if (amount === null || amount === undefined) return '—';
  try {
    return new Intl.NumberFormat(currency === 'VND' ? 'vi-VN' : locale(), { style: 'currency', currency }).format(amount);
  } catch {
    return number(amount) + ' ' + currency;
  }
}

export function number(n, digits) {
  if (n === null || n === undefined) return '—';
  return new Intl.NumberFormat(locale(), digits === undefined ? {} : { maximumFractionDigits: digits }).format(n);
}

// Seconds as "1 h 05 min" / "4 min 10 s"; units come from the caller's t().
export function duration(s, t) {
  if (s === null || s === undefined) return '—';
  s = Math.round(s);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  if (h) return t('unit.hm', { h, m: String(m).padStart(2, '0') });
  if (m) return t('unit.ms', { m, s: String(sec).padStart(2, '0') });
  return t('unit.s', { s: sec });
}
