// agv.mjs - browser tests of the AGV pages against a fleet of their own: a
// private mosquitto on a free port, `landport serve --mqtt` on a scaled clock
// that starts inside the AGV window (18:35 gate time), and `landport agv-sim`
// with two vehicles in the China yard.  The operator sends a mission China
// yard -> Vietnamese yard and sees its marker move on the map with the
// segments it holds; the border guard sees it held at the inspection stop,
// a release without a reason shows the field error, with one releases it and
// the mission completes; an e-stop fault published to the simulator shows in
// the operator's alerts panel and as a badge in the navigation; the KPI page
// shows the trip and its stops; pause-all and resume-all ask first; the road
// page in three languages at 1366x768 and 390x844 without sideways scroll.
// Screenshots (road.png for the README) go to the artifacts folder.  Every
// process is stopped at the end, also on failure.
//   node agv.mjs LANDPORT_BINARY WEB_ROOT [ARTIFACTS_DIR]
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { usage, requirements, startServer, startBroker, startProcess, mqttPublish, horizontalOverflow, session,
  CHROMIUM, CHROMIUM_ARGS } from './lib.mjs';

const { bin, webRoot, artifacts } = usage();
const TIMEOUT = { timeout: 180_000 };
const CLOCK = 'scaled:2026-11-23T18:35:00+07:00:1';

let pw, srv, browser, broker, sim;
const tokens = {};
const external = [];
const pageErrors = [];
const state = { tokens, external, pageErrors };
const ids = {};
const { openPage, settled, signIn, shot } = session(state, artifacts);
let operatorPage;

async function visit(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await page.waitForFunction((h) => location.hash === h, hash);
  await settled(page);
}

// Polls fn (async) every 250 ms until it answers truthy, for at most ms.
async function until(fn, what, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const mission = (id) => srv.api(tokens.operator, 'GET', '/agv-missions/' + id);

before(async () => {
  pw = await requirements(webRoot);
  fs.mkdirSync(artifacts, { recursive: true });
  broker = await startBroker();
  const mqtt = '127.0.0.1:' + broker.port;
  srv = await startServer(bin, webRoot, ['--mqtt', mqtt, '--clock', CLOCK]);
  state.srv = srv;
  for (const r of ['admin', 'operator', 'border_guard', 'customs']) tokens[r] = srv.token(r);
  sim = startProcess(bin, ['agv-sim', '--count', '2', '--broker', mqtt, '--speedup', '20', '--start-x', '40', '--start-y', '1200',
    '--start-node', 'cn-yard'], broker.dir, 'agv-sim');
  ids.serials = await until(async () => {
    const a = await srv.api(tokens.operator, 'GET', '/agvs');
    const idle = a.items.filter((x) => x.state === 'idle' && x.position.last_node === 'cn-yard').map((x) => x.serial).sort();
    return idle.length === 2 ? idle : null;
  }, 'two idle AGVs in the China yard', 30_000);
  browser = await pw.chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  state.browser = browser;
});

after(async () => {
  for (const stop of [() => browser && browser.close(), () => sim && sim.stop(), () => srv && srv.stop(), () => broker && broker.stop()]) {
    try { await stop(); } catch (e) { console.error('cleanup:', e.message); }
  }
});

test('the operator sends a mission and sees its AGV move on the map, holding segments', TIMEOUT, async () => {
  const page = await openPage();
  operatorPage = page;
  await signIn(page, 'operator');
  // the header's clocks follow the server's gate clock (here a virtual
  // evening from 18:35), not the browser's
  assert.match(await page.textContent('#clocks'), /18:[345]\d\D+19:[345]\d/);
  await visit(page, '#/road');
  await page.waitForSelector('#road-live.pill-ok');
  await page.waitForFunction(() => document.querySelectorAll('#map-agvs g.agv').length === 2);
  assert.equal(await page.getAttribute('#road-map svg', 'data-orientation'), 'across');
  for (const place of ['china_yard', 'handover', 'inspection', 'vn_yard', 'charging', 'passing'])
    assert.ok(await page.$(`#road-map [data-place="${place}"]`), 'the map names ' + place);
  assert.ok(await page.$('#road-map .map-edge[data-lane="single"]') && await page.$('#road-map .map-edge[data-lane="double"]'));
  assert.match(await page.textContent('#road-map'), /km 0 · border line/);

  const m = await srv.api(tokens.operator, 'POST', '/agv-missions', { from: 'china_yard', to: 'vn_yard' });
  ids.mission = m.id;
  ids.agv = m.agv;
  ids.other = ids.serials.find((s) => s !== m.agv);
  const marker = page.locator(`#map-agvs g.agv[data-serial="${m.agv}"]`);
  const first = await marker.boundingBox();
  await until(async () => {
    const b = await marker.boundingBox();
    return Math.hypot(b.x - first.x, b.y - first.y) > 20;
  }, 'the marker to move', 60_000);
  await page.waitForSelector(`#map-held [data-agv="${m.agv}"]`, { timeout: 30_000 });
  await page.waitForSelector(`#mission-list li[data-mission="${m.id}"]`);
  assert.match(await page.textContent(`#agv-list li[data-serial="${m.agv}"]`), /On a mission/);
  assert.match(await page.textContent(`#mission-list li[data-mission="${m.id}"]`), /China yard → Vietnamese customs yard/);
  // the README's picture: the AGV in Vietnam, between km 0 and the inspection stop
  const border = await page.locator('#road-map .map-border').boundingBox();
  await until(async () => (await marker.boundingBox()).x > border.x + 30, 'the AGV to cross km 0', 60_000);
  await page.screenshot({ path: path.join(artifacts, 'road.png') });
});

test('the border guard releases the held AGV: a reason is required, then the mission completes', TIMEOUT, async () => {
  const page = await openPage(undefined, 'en');
  await signIn(page, 'border_guard');
  await visit(page, '#/inspection');
  const card = `#held-missions article[data-mission="${ids.mission}"]`;
  await page.waitForSelector(card, { timeout: 90_000 });
  assert.equal((await mission(ids.mission)).state, 'held_at_inspection');
  await page.click(`${card} button[data-act="release"]`);
  await page.waitForFunction((c) => document.querySelector(c + ' [data-error-for="/reason"]')?.textContent.length > 0, card);
  assert.equal(await page.textContent(`${card} [data-error-for="/reason"]`), 'is required');
  assert.equal(await page.getAttribute(`${card} textarea`, 'aria-invalid'), 'true');
  await shot(page, 'guard-inspection-error');
  await page.fill(`${card} textarea`, 'seal and load checked');
  await page.click(`${card} button[data-act="release"]`);
  await page.waitForSelector('#inspection-list .notice-ok');
  await page.waitForSelector(card, { state: 'detached' });
  assert.match(await page.textContent('#inspection-list .notice-ok'), new RegExp(`Mission ${ids.mission} \\(${ids.agv}\\) released`));
  const m = await mission(ids.mission);
  assert.equal(m.release_reason, 'seal and load checked');
  await shot(page, 'guard-inspection-released');
  await until(async () => (await mission(ids.mission)).state === 'completed', 'the mission to complete', 90_000);
  await operatorPage.waitForSelector(`#mission-list li[data-mission="${ids.mission}"]`, { state: 'detached', timeout: 15_000 });
  // the border guard sees the road read-only: no fleet buttons
  await visit(page, '#/road');
  assert.equal(await page.$('#pause-all'), null);
  await page.context().close();
});

test('an e-stop raises an alert in the operator\'s panel and a badge in the navigation; KPIs show the trip', TIMEOUT, async () => {
  const other = await openPage();
  await signIn(other, 'operator');
  await visit(other, '#/kpis');
  await other.waitForSelector('#chart-agv-trips .uplot');
  await other.waitForSelector('#chart-agv-stops .uplot');
  await other.waitForSelector('#agv-stops tr[data-cause="inspection"]');
  assert.match(await other.textContent('#agv-kpi-summary'), /1 of 1 missions completed/);
  await shot(other, 'operator-kpis-agv');
  assert.equal(await other.$('#agv-alert-badge'), null);

  await mqttPublish(broker.port, `landport-sim/${ids.other}/fault`, '{"fault":"estop"}');
  await operatorPage.waitForSelector(`#agv-alerts li[data-kind="estop"][data-serial="${ids.other}"]`, { timeout: 30_000 });
  assert.match(await operatorPage.textContent(`#agv-alerts li[data-kind="estop"]`), /Emergency stop/);
  await other.waitForSelector('#agv-alert-badge', { timeout: 15_000 });
  // the vehicle's error that came with the e-stop is the alert's detail, not a second alert
  assert.match(await operatorPage.textContent('#agv-alerts li[data-kind="estop"]'), /emergencyStop: remote emergency stop/);
  assert.equal(await operatorPage.$('#agv-alerts li[data-kind="error"]'), null);
  // shown at once from the live event, then with the time of its audit event (the server's clock)
  await operatorPage.waitForFunction(() => /^18:\d\d \(CN 19:\d\d\) Emergency stop/
    .test(document.querySelector('#agv-alerts li[data-kind="estop"]')?.textContent || ''), null, { timeout: 15_000 });
  await other.waitForFunction(() => document.querySelector('#agv-alert-badge')?.textContent === '1');
  await operatorPage.waitForSelector(`#agv-list li[data-serial="${ids.other}"][data-state="estop"]`, { timeout: 15_000 });
  await shot(operatorPage, 'operator-road-alert', { fullPage: false });
  await mqttPublish(broker.port, `landport-sim/${ids.other}/fault`, '{"fault":"clear"}');
  // a reload starts the list from the audit log
  await other.reload();
  await settled(other);
  await visit(other, '#/road');
  await other.waitForSelector(`#agv-alerts li[data-kind="estop"][data-serial="${ids.other}"]`);
  await other.context().close();
});

test('pause-all and resume-all ask first, then say how many vehicles were told', TIMEOUT, async () => {
  const page = operatorPage;
  page.once('dialog', (d) => d.dismiss());
  await page.click('#pause-all');
  assert.equal(await page.$('#road-msg .notice'), null, 'nothing sent when the operator says no');
  page.once('dialog', (d) => d.accept());
  await page.click('#pause-all');
  await page.waitForSelector('#road-msg .notice-ok');
  assert.equal(await page.textContent('#road-msg .notice-ok'), 'Pause sent to 2 vehicles.');
  page.once('dialog', (d) => d.accept());
  await page.click('#resume-all');
  await page.waitForFunction(() => /Resume sent to 2/.test(document.querySelector('#road-msg')?.textContent || ''));
  const audit = await srv.api(tokens.admin, 'GET', '/audit-events?object_type=agv&action=agv.pause_all');
  assert.equal(audit.items.length, 1);
  await page.context().close();
});

test('the road page in three languages at 1366x768 and 390x844 has no sideways scroll and no untranslated key', TIMEOUT, async () => {
  for (const viewport of [{ width: 1366, height: 768 }, { width: 390, height: 844 }]) {
    for (const [lang, role] of [['vi', 'operator'], ['zh', 'customs'], ['en', 'border_guard']]) {
      const page = await openPage(viewport, lang);
      await signIn(page, role);
      for (const hash of role === 'border_guard' ? ['#/road', '#/inspection'] : ['#/road']) {
        await visit(page, hash);
        if (hash === '#/road') {
          await page.waitForFunction(() => document.querySelectorAll('#map-agvs g.agv').length === 2);
          assert.equal(await page.getAttribute('#road-map svg', 'data-orientation'), viewport.width < 700 ? 'down' : 'across');
        }
        const text = await page.textContent('body');
        assert.ok(!text.includes('⟦'), `untranslated key on ${hash} in ${lang}: ${text.match(/⟦[^⟧]*⟧/)}`);
        const o = await horizontalOverflow(page);
        assert.ok(o.scrollWidth <= o.clientWidth && o.wide.length === 0, `${role} ${hash} ${lang} ${viewport.width}: ${JSON.stringify(o)}`);
        await shot(page, `${role}-${hash.slice(2)}-${lang}-${viewport.width}x${viewport.height}`);
      }
      await page.context().close();
    }
  }
});

test('nothing was fetched from outside landport and no page had a script error', () => {
  assert.deepEqual(external, []);
  assert.deepEqual(pageErrors, []);
});
