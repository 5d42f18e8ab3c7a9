// live.js - the gate's live event stream (GET /api/v1/events, Server-Sent
// Events) for the pages.  The API authenticates with the Authorization header
// only, which EventSource cannot send, so the stream is read with fetch() and
// a ReadableStream reader; after a drop it reconnects with Last-Event-ID (the
// seq of the last event seen) so that nothing committed is missed.  Closed
// when the page's signal is aborted.  Also: the "Live" strip of latest events.
import { getToken } from './api.js';
import { t, tv } from './i18n.js';
import { timeOnly } from './format.js';
import { h } from './ui.js';

// Parses SSE text; calls onEvent({id, event, data}) per complete event and
// answers the unparsed rest.
export function parseSse(buf, onEvent) {
  const blocks = buf.split(/\r?\n\r?\n/);
  const rest = blocks.pop();
  for (const block of blocks) {
    const ev = { id: null, event: 'message', data: '' };
    let any = false;
    for (const line of block.split(/\r?\n/)) {
      if (!line || line.startsWith(':')) continue;
      const i = line.indexOf(':');
      const name = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (name === 'id') ev.id = value;
      else if (name === 'event') ev.event = value;
      else if (name === 'data') ev.data += (ev.data ? '\n' : '') + value;
      else continue;
      any = true;
    }
    if (any) onEvent(ev);
  }
  return rest;
}

// Follows the stream until signal aborts.  opts: {signal, query (e.g.
// {actions: 'queue.,yard_'}), onEvent(record, ev), onState('live'|'reconnecting')}.
export function follow(opts) {
  let lastId = null;
  let delay = 1000;
  const run = async () => {
    while (!opts.signal.aborted) {
      try {
        const headers = { Accept: 'text/event-stream', Authorization: 'Bearer ' + getToken() };
        if (lastId) headers['Last-Event-ID'] = lastId;
        const q = new URLSearchParams(opts.query || {}).toString();
        const res = await fetch('/api/v1/events' + (q ? '?' + q : ''), { headers, signal: opts.signal, cache: 'no-store' });
        if (!res.ok || !res.body) throw new Error('HTTP ' + res.status);
        if (opts.onState) opts.onState('live');
        delay = 1000;
        const reader = res.body.getReader();
        const dec = new TextDecoder();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf = parseSse(buf + dec.decode(value, { stream: true }), (ev) => {
            if (ev.id) lastId = ev.id;
            let rec = null;
            try { rec = JSON.parse(ev.data); } catch { rec = { action: ev.event }; }
            opts.onEvent(rec, ev);
          });
        }
      } catch (e) {
        if (opts.signal.aborted) return;
      }
      if (opts.signal.aborted) return;
      if (opts.onState) opts.onState('reconnecting');
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 15000);
    }
  };
  run();
}

// Alert-worthy actions (refusals, no-shows, removals, holds, locks).
const ALERT = /refuse|no_show|remove|lock|overstay|hold|reject|estop|lost/;

function describe(rec) {
  const after = rec.after || rec.data || {};
  const bits = [rec.object_type ? tv('objectType', rec.object_type) + ' ' + (rec.object_id || '') : ''];
  for (const k of ['plate', 'outcome', 'status', 'state', 'lane', 'bay_id', 'position']) {
    if (after[k] !== undefined && after[k] !== null && typeof after[k] !== 'object') bits.push(k === 'outcome' ? tv('outcome', after[k]) : String(after[k]));
  }
  return bits.filter(Boolean).join(' · ');
}

function isAlert(rec) {
  const after = rec.after || rec.data || {};
  return ALERT.test(rec.action || '') || /^refused|low_confidence|out_of_order|exit_without/.test(after.outcome || '');
}

// A strip of the latest events (newest first, at most max) that follows the
// stream; onEvent(record) is also called for each (pages refresh with it).
export function liveStrip(ctx, opts = {}) {
  const max = opts.max || 8;
  const state = h('span', { class: 'pill pill-off', id: 'live-state' }, t('live.connecting'));
  const list = h('ol', { class: 'live-list', id: 'live-list' }, h('li', { class: 'muted live-empty' }, t('live.waiting')));
  const strip = h('section', { class: 'panel live-strip', id: 'live-strip', 'aria-live': 'polite' },
    h('div', { class: 'panel-head' }, h('h2', null, t('live.title')), state), list);
  follow({
    signal: ctx.signal, query: opts.query,
    onState: (s) => { state.textContent = t('live.' + s); state.className = 'pill ' + (s === 'live' ? 'pill-ok' : 'pill-off'); },
    onEvent: (rec) => {
      if (rec.action) {
        const empty = list.querySelector('.live-empty');
        if (empty) empty.remove();
        list.prepend(h('li', { class: isAlert(rec) ? 'live-alert' : '', dataset: { action: rec.action, seq: rec.seq ?? '' } },
          h('time', null, timeOnly(rec.ts)), ' ', h('strong', null, tv('action', rec.action)), ' ', h('span', null, describe(rec))));
        while (list.children.length > max) list.lastChild.remove();
      }
      if (opts.onEvent) opts.onEvent(rec);
    },
  });
  return strip;
}

// Calls fn at most once per ms (trailing), to refresh a page on bursts of events.
export function debounce(fn, ms, signal) {
  let timer = null;
  signal.addEventListener('abort', () => clearTimeout(timer));
  return () => { clearTimeout(timer); timer = setTimeout(() => { if (!signal.aborted) fn(); }, ms); };
}
