// lib.mjs - what the browser tests need around the browser: a landport
// server of their own (fresh SQLite db, free loopback port, the web root),
// tokens made with the CLI, API calls for setting up data, and chromium
// launched through playwright-core.  Missing node modules, chromium or the
// vendored chart library make the tests fail with a message, never skip.
import { spawn, execFileSync } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CHROMIUM = process.env.LANDPORT_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update'];

export function usage() {
  const [bin, webRoot, artifacts] = process.argv.slice(2);
  if (!bin || !webRoot) throw new Error('usage: node run.mjs LANDPORT_BINARY WEB_ROOT [ARTIFACTS_DIR]');
  return { bin: path.resolve(bin), webRoot: path.resolve(webRoot),
    artifacts: path.resolve(artifacts || path.join(path.dirname(bin), 'artifacts', 'browser')) };
}

// Everything the run needs, checked up front so that a missing piece is a
// clear failure (setup.sh installs all of them).
export async function requirements(webRoot) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`chromium not found at ${CHROMIUM}: run scripts/setup.sh (Debian package chromium)`);
  for (const f of ['index.html', 'vendor/uPlot.esm.js', 'vendor/uPlot.min.css'])
    if (!fs.existsSync(path.join(webRoot, f))) throw new Error(`${f} missing under ${webRoot}: run scripts/setup.sh (npm ci in web/)`);
  try {
    return await import('playwright-core');
  } catch (e) {
    throw new Error('playwright-core is not installed: run scripts/setup.sh (npm ci in tests/browser/): ' + e.message);
  }
}

async function waitFor(fn, what, tries = 200) {
  for (let i = 0; i < tries; i++) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out waiting for ' + what);
}

// Every child process the tests start; killed when node exits, however it
// exits (a crash or a failed before() included).
const children = new Set();
process.on('exit', () => { for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL'); });
function track(proc) {
  children.add(proc);
  proc.on('exit', () => children.delete(proc));
  return proc;
}

// The environment without LANDPORT_* settings of the caller's own gate.
function cleanEnv() {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('LANDPORT_')) delete env[k];
  return env;
}

// Starts `landport serve` on 127.0.0.1 with a fresh db in a temporary dir
// (extra: more arguments, e.g. --mqtt HOST:PORT --clock SPEC).
export async function startServer(bin, webRoot, extra = []) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-browser-'));
  const db = path.join(dir, 'landport.db');
  const portFile = path.join(dir, 'port');
  const log = fs.openSync(path.join(dir, 'server.log'), 'w');
  const proc = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--port-file', portFile, '--web-root', webRoot, ...extra],
    { stdio: ['ignore', log, log], env: cleanEnv() });
  track(proc);
  let exited = null;
  proc.on('exit', (code, sig) => { exited = code ?? sig; });
  await waitFor(() => exited !== null || (fs.existsSync(portFile) && fs.readFileSync(portFile, 'utf8').trim()), 'the server port');
  if (exited !== null) throw new Error('landport serve exited (' + exited + '): ' + fs.readFileSync(path.join(dir, 'server.log'), 'utf8'));
  const port = Number(fs.readFileSync(portFile, 'utf8').trim());
  const base = `http://127.0.0.1:${port}`;
  return {
    dir, db, port, base,
    token(role, extra = []) {
      return execFileSync(bin, ['token', 'create', '--db', db, '--role', role, '--name', 'browser-' + role, ...extra],
        { encoding: 'utf8', env: cleanEnv() }).trim();
    },
    async api(tokenValue, method, p, body, headers = {}) {
      const res = await fetch(base + '/api/v1' + p, {
        method,
        headers: { Authorization: 'Bearer ' + tokenValue, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
      });
      const data = await res.json().catch(() => null);
      if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(data)}`);
      return data;
    },
    async stop() {
      if (exited === null) {
        proc.kill('SIGTERM');
        await waitFor(() => exited !== null, 'the server to stop').catch(() => proc.kill('SIGKILL'));
      }
      fs.closeSync(log);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Fails when the page's content is wider than its viewport (sideways scrolling).
export async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const wide = [...document.querySelectorAll('body *')].filter((el) => {
      const r = el.getBoundingClientRect();
      if (!(r.width > 0 && r.right > doc.clientWidth + 1)) return false;
      for (let a = el; a; a = a.parentElement) if (getComputedStyle(a).position === 'absolute') return false;
      return true; // visually hidden (absolute, clipped) parts do not count
    }).slice(0, 5).map((el) => el.tagName + (el.id ? '#' + el.id : '') + '.' + el.className);
    return { scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, wide };
  });
}

// The 503 of an AGV fleet route on a server without --mqtt (the pages say
// the fleet is off) is not an error of the page.
function fleetOff(m) {
  return /status of 503/.test(m.text()) && /\/api\/v1\/(road|traffic|agvs|agv-missions)/.test((m.location() || {}).url || '');
}

// Tabs on one server and browser: state holds {srv, browser, tokens,
// external (urls refused), pageErrors}, filled in by the caller's before().
// Each tab runs in a time zone far from the gate's (times must still be shown
// in the gate's) and refuses any request that does not go to landport.
export function session(state, artifacts) {
  async function openPage(viewport = { width: 1366, height: 768 }, lang = 'en', timeout = 30_000) {
    const context = await state.browser.newContext({ viewport, locale: 'en-US', timezoneId: 'America/New_York' });
    await context.addInitScript((l) => { if (!sessionStorage.getItem('lp.test.init')) {
      sessionStorage.setItem('lp.test.init', '1'); localStorage.setItem('landport.lang', l); } }, lang);
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(state.srv.base + '/') || url === state.srv.base) return route.continue();
      state.external.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => state.pageErrors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error' && !/status of 4\d\d/.test(m.text()) && !fleetOff(m)) state.pageErrors.push(m.text()); });
    page.setDefaultTimeout(timeout);
    return page;
  }
  async function settled(page) {
    await page.waitForSelector('main .page, main .panel');
    await page.waitForFunction(() => !document.querySelector('main .loading'));
  }
  async function signIn(page, role) {
    await page.goto(state.srv.base + '/');
    await page.fill('#token', state.tokens[role]);
    await page.click('#signin-submit');
    await page.waitForSelector('#signout');
    await settled(page);
  }
  function shot(page, name, opts = {}) {
    return page.screenshot({ path: path.join(artifacts, name + '.png'), fullPage: opts.fullPage !== false });
  }
  return { openPage, settled, signIn, shot };
}

// A loopback TCP port nobody listens on now.
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

// Runs a child process with its output in dir/name.log; stop() ends it
// (SIGTERM, then SIGKILL) and is safe to call twice.
export function startProcess(cmd, args, dir, name) {
  const log = fs.openSync(path.join(dir, name + '.log'), 'w');
  const proc = track(spawn(cmd, args, { stdio: ['ignore', log, log], env: cleanEnv() }));
  let exited = null;
  proc.on('exit', (code, sig) => { exited = code ?? sig; });
  return {
    proc, log: path.join(dir, name + '.log'),
    exited: () => exited,
    async stop() {
      if (exited === null) {
        proc.kill('SIGTERM');
        await waitFor(() => exited !== null, name + ' to stop').catch(() => proc.kill('SIGKILL'));
      }
      fs.closeSync(log);
    },
  };
}

// A private mosquitto on a free loopback port (anonymous, no persistence).
export async function startBroker() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-broker-'));
  const exe = ['/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto'].find((f) => fs.existsSync(f));
  if (!exe) throw new Error('mosquitto not found: run scripts/setup.sh (Debian package mosquitto)');
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    fs.writeFileSync(path.join(dir, 'mosquitto.conf'),
      `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\nset_tcp_nodelay true\n`);
    const p = startProcess(exe, ['-c', path.join(dir, 'mosquitto.conf')], dir, 'mosquitto');
    const up = await waitFor(() => p.exited() !== null || listening(port), 'mosquitto').catch(() => false);
    if (up === true) {
      return { port, dir, async stop() { await p.stop(); fs.rmSync(dir, { recursive: true, force: true }); } };
    }
    await p.stop();
    if (attempt >= 4) throw new Error('mosquitto did not start: ' + fs.readFileSync(p.log, 'utf8'));
  }
}

const portsUp = new Map();
// Whether something listens on port (answers the last finished probe; probes again).
function listening(port) {
  const s = net.connect(port, '127.0.0.1');
  s.on('connect', () => { portsUp.set(port, true); s.destroy(); });
  s.on('error', () => s.destroy());
  return portsUp.get(port) === true;
}

// Publishes one MQTT 3.1.1 message at QoS 1 and waits for the broker's
// PUBACK (the tests need no MQTT library for their few fault injections).
export function mqttPublish(port, topic, payload) {
  const str = (x) => { const b = Buffer.from(x); return Buffer.concat([Buffer.from([b.length >> 8, b.length & 255]), b]); };
  const packet = (type, body) => {
    const len = [];
    let n = body.length;
    do { let d = n % 128; n = Math.floor(n / 128); if (n) d |= 128; len.push(d); } while (n);
    return Buffer.concat([Buffer.from([type, ...len]), body]);
  };
  const connect = packet(0x10, Buffer.concat([str('MQTT'), Buffer.from([4, 2, 0, 30]), str('lp-browser-' + process.pid)]));
  const publish = packet(0x32, Buffer.concat([str(topic), Buffer.from([0, 1]), Buffer.from(payload)]));
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    const timer = setTimeout(() => { s.destroy(); reject(new Error('MQTT publish timed out')); }, 10_000);
    s.on('error', (e) => { clearTimeout(timer); reject(e); });
    s.on('connect', () => s.write(connect));
    s.on('data', (d) => {
      if (d[0] === 0x20) { if (d[3] !== 0) { s.destroy(); reject(new Error('MQTT connect refused ' + d[3])); } else s.write(publish); }
      if (d.includes(0x40)) { clearTimeout(timer); s.end(Buffer.from([0xe0, 0])); resolve(); }
    });
  });
}
