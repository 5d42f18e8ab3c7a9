// gateclock.js - the gate's clock as the server keeps it.  The server may
// run a virtual clock (the demo plays an evening at 10x; tests start at a
// chosen time), so the header's clocks follow GET /whoami's "now" instead of
// the browser's: two samples some seconds apart give the clock's rate, and
// between samples the time is carried forward at that rate.
import * as api from './api.js';

const RESYNC_MS = 20000;
let first = null;   // { client, server } of the first sample of the session
let last = null;    // the latest sample
let rate = 1;
let timer = null;

// Records a sample of the server's clock (ms since the epoch), taken now.
export function sync(serverMs) { 
  if (typeof serverMs !== 'number' || !Number.isFinite(serverMs)) return;
  const s = { client: Date.now(), server: serverMs };
  if (!first) first = s;
  else if (s.client - first.client >= 5000) {
    const r = (s.server - first.server) / (s.client - first.client);
    if (Number.isFinite(r) && r >= 0 && r <= 10000) rate = r;
  }
  last = s;
}

// The gate's time now, in ms since the epoch (the browser's without samples).
export function now() {
  if (!last) return Date.now();
  return last.server + (Date.now() - last.client) * rate;
}

// Starts re-sampling while signed in; stop() forgets the session's samples.
export function start() {
  clearInterval(timer);
  timer = setInterval(async () => {
    try { sync((await api.get('/whoami')).now); } catch { /* the next round tries again */ }
  }, RESYNC_MS);
}

export function stop() { 
  clearInterval(timer);
  timer = null;
  first = last = null;
  rate = 1;
}
