// run.mjs - browser tests of the dashboard: a landport server of its own, Debian's
// chromium driven by playwright-core, and the flows people use: sign-in per role,
// a company filing and amending a declaration, customs deciding a task of a red
// channel declaration, switching languages, and the 1366x768 and 390x844 layouts.
// Screenshots go to the artifacts folder.
//   node run.mjs LANDPORT_BINARY WEB_ROOT [ARTIFACTS_DIR]
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { usage, requirements, startServer, horizontalOverflow, session, CHROMIUM, CHROMIUM_ARGS } from './lib.mjs';

const { bin, webRoot, artifacts } = usage();
const ROLES = ['admin', 'operator', 'customs', 'quarantine', 'border_guard', 'company', 'device'];
const NAV = {
  admin: ['overview', 'kpis', 'road', 'inspection', 'yard', 'queue', 'invoices', 'fees', 'audit'],
  operator: ['overview', 'kpis', 'road', 'inspection', 'yard', 'queue', 'invoices', 'fees', 'audit'],
  customs: ['tasks', 'road'], quarantine: ['tasks', 'road'], border_guard: ['tasks', 'road', 'inspection'],
  company: ['declarations', 'bookings', 'vehicles', 'drivers', 'invoices', 'warehouse'], device: [],
};
const DECL_NUMBER = '305123456790';
const TIMEOUT = { timeout: 240_000 };

let pw, srv, browser;
const tokens = {};
const state = { tokens };
const external = [];
const pageErrors = [];
Object.assign(state, { external, pageErrors });
const { openPage, settled, signIn, shot } = session(state, artifacts);

async function visit(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await page.waitForFunction((h) => location.hash === h, hash);
  await settled(page);
  if (hash.startsWith('#/kpis')) await page.waitForSelector('#chart-times .uplot');
}

async function navIds(page) {
  return page.$$eval('#nav a', (as) => as.map((a) => a.id.replace(/^nav-/, '')));
}

function tomorrowInGate() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(Date.now() + 86400000));
}

before(async () => {
  pw = await requirements(webRoot);
  fs.mkdirSync(artifacts, { recursive: true });
  srv = await startServer(bin, webRoot);
  state.srv = srv;
  for (const r of ROLES.filter((r) => r !== 'company')) tokens[r] = srv.token(r);
  const company = await srv.api(tokens.admin, 'POST', '/companies',
    { name: 'Công ty TNHH Vận tải Bảo Nguyên', country: 'VN', tax_id: '0100109106', kinds: ['transport'] });
  tokens.company = srv.token('company', ['--company', String(company.id)]);
  await srv.api(tokens.company, 'POST', '/vehicles', { kind: 'truck', plate_country: 'VN', plate: '29C-123.45' });
  await srv.api(tokens.company, 'POST', '/drivers', { full_name: 'Nguyễn Văn An', nationality: 'VN', document_kind: 'vn_cccd',
    document_number: '001089012345', licence_number: 'AB123456', licence_valid_until: '2030-06-30' });
  // Fresh durian goes to the red channel: the declaration filed below gets a physical check.
  await srv.api(tokens.customs, 'POST', '/risk-rules', { name: 'fresh durian: physical check', hs_prefix: '0810',
    channel: 'red', probability: 1000 });
  browser = await pw.chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  state.browser = browser;
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

test('sign-in per role shows that role\'s pages; a bad token is refused; sign-out forgets the token', TIMEOUT, async () => {
  const page = await openPage();
  await page.goto(srv.base + '/');
  await page.fill('#token', 'lp_not-a-token');
  await page.click('#signin-submit');
  await page.waitForFunction(() => document.querySelector('#signin-error').textContent.length > 0);
  assert.equal(await page.textContent('#signin-error'), 'This token is unknown or revoked.');
  for (const role of ROLES) {
    await signIn(page, role);
    assert.deepEqual(await navIds(page), NAV[role], 'navigation of ' + role);
    assert.equal(await page.getAttribute('#user .role', 'data-role'), role);
    if (NAV[role].length) assert.equal(await page.getAttribute('main .page', 'data-page'), NAV[role][0]);
    else assert.match(await page.textContent('main'), /has no dashboard pages/);
    await shot(page, 'signin-' + role, { fullPage: false });
    if (role === 'company') {
      await visit(page, '#/audit');
      assert.equal(await page.textContent('main h1'), 'This page is not for your role');
      assert.match(await page.textContent('#user .company'), /Bảo Nguyên/);
    }
    await page.click('#signout');
    await page.waitForSelector('#signin');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('landport.token')), null);
  }
  await page.context().close();
});

test('a company files a declaration (all field errors at once), sees its red channel and amends it', TIMEOUT, async () => {
  const page = await openPage();
  await signIn(page, 'company');
  await page.click('#decl-new');
  await page.waitForSelector('#decl-form');
  await page.fill('[data-pointer="/number"]', '30512345x');
  await page.fill('[data-pointer="/goods/0/hs_code"]', '12');
  await page.fill('[data-pointer="/goods/0/packages"]', '10');
  await page.click('#decl-submit');
  await page.waitForSelector('.form-problem:not([hidden])');
  const errs = await page.$$eval('#decl-form .field-error', (ps) => Object.fromEntries(ps.filter((p) => p.textContent)
    .map((p) => [p.dataset.errorFor, p.textContent])));
  for (const ptr of ['/number', '/crossing_point_id', '/goods/0/hs_code', '/goods/0/description', '/goods/0/gross_weight_kg',
    '/goods/0/value', '/goods/0/origin', '/containers/0/number'])
    assert.ok(errs[ptr], `error shown next to ${ptr}: ${JSON.stringify(errs)}`);
  assert.equal(errs['/goods/0/description'], 'is required');
  assert.ok(await page.$('[data-pointer="/goods/0/hs_code"][aria-invalid="true"]'));
  await shot(page, 'company-declaration-errors');

  await page.fill('[data-pointer="/number"]', DECL_NUMBER);
  await page.selectOption('[data-pointer="/crossing_point_id"]', 'huunghi-main');
  await page.selectOption('[data-pointer="/vehicle_id"]', { label: '29C-123.45' });
  await page.selectOption('[data-pointer="/driver_id"]', { label: 'Nguyễn Văn An' });
  await page.fill('[data-pointer="/expected_arrival"]', tomorrowInGate() + 'T08:30');
  await page.fill('[data-pointer="/containers/0/number"]', 'CSQU3054383');
  await page.fill('[data-pointer="/containers/0/seals"]', 'ML-CN1234567');
  await page.fill('[data-pointer="/goods/0/hs_code"]', '0810.90.10');
  await page.fill('[data-pointer="/goods/0/description"]', 'Sầu riêng tươi (fresh durian)');
  await page.fill('[data-pointer="/goods/0/packages"]', '1200');
  await page.fill('[data-pointer="/goods/0/gross_weight_kg"]', '18500.5');
  await page.fill('[data-pointer="/goods/0/value"]', '1250000000');
  await page.fill('[data-pointer="/goods/0/origin"]', 'VN');
  assert.equal(await page.inputValue('[data-pointer="/totals/value"]'), '1250000000', 'totals follow the lines');
  await page.click('#decl-submit');
  await page.waitForSelector('#decl-detail');
  await settled(page);
  assert.equal(await page.getAttribute('#decl-detail', 'data-channel'), 'red');
  const detail = await page.textContent('main');
  assert.match(detail, new RegExp(`Declaration ${DECL_NUMBER} filed`));
  assert.match(detail, /08:30 \(China 09:30\)/, 'arrival in the gate\'s time zone with China time');
  assert.match(detail, /1\.250\.000\.000\s₫/, 'value in đồng, vi-VN');
  await shot(page, 'company-declaration-filed');

  await page.click('#decl-amend');
  await page.waitForSelector('#decl-form');
  await page.fill('[data-pointer="/trailer_plate"]', '29R-012.34');
  await page.click('#decl-submit');
  await page.waitForFunction(() => document.querySelector('[data-error-for="header:X-Reason"]').textContent.length > 0);
  await page.fill('[data-pointer="header:X-Reason"]', 'trailer added');
  await page.click('#decl-submit');
  await page.waitForSelector('#decl-detail');
  await settled(page);
  assert.match(await page.textContent('main'), /amended/);
  assert.match(await page.textContent('main'), /trailer added/);
  await visit(page, '#/declarations');
  assert.ok(await page.$(`#decl-list tr[data-number="${DECL_NUMBER}"]`));
  await shot(page, 'company-declarations');
  await page.context().close();
});

test('a company registers a vehicle: a bad plate is refused next to the field, a good one is listed', TIMEOUT, async () => {
  const page = await openPage(undefined, 'vi');
  await signIn(page, 'company');
  await visit(page, '#/vehicles');
  await page.click('#vehicles-add');
  await page.waitForSelector('#vehicles-form:not([hidden])');
  await page.fill('#vehicles-form [data-pointer="/plate"]', '29C-12');
  await page.fill('#vehicles-form [data-pointer="/max_gross_kg"]', '500');
  await page.click('#vehicles-form button[type="submit"]');
  await page.waitForSelector('#vehicles-form .form-problem:not([hidden])');
  for (const ptr of ['/plate', '/max_gross_kg'])
    assert.ok(await page.textContent(`#vehicles-form [data-error-for="${ptr}"]`), 'error next to ' + ptr);
  await shot(page, 'company-vehicle-errors');
  await page.fill('#vehicles-form [data-pointer="/plate"]', '29C-678.90');
  await page.fill('#vehicles-form [data-pointer="/max_gross_kg"]', '40000');
  await page.click('#vehicles-form button[type="submit"]');
  await page.waitForSelector('.notice-ok');
  assert.match(await page.textContent('#vehicles-list'), /29C-678\.90/);
  await page.reload();
  await settled(page);
  assert.ok(await page.$('#signout'), 'a reload keeps the session');
  assert.equal(await page.textContent('#nav-vehicles'), 'Phương tiện');
  await page.context().close();
});

test('customs decides the physical check of the red declaration: hold needs a reason, approve is one click', TIMEOUT, async () => {
  const page = await openPage();
  await signIn(page, 'customs');
  const card = page.locator('.task[data-kind="physical_check"]', { hasText: DECL_NUMBER });
  await card.waitFor();
  const taskId = await card.getAttribute('data-task');
  await card.locator('button[data-decision="hold"]').click();
  const reasonErr = card.locator('[data-error-for="/reason"]');
  await page.waitForFunction((id) => document.querySelector(`.task[data-task="${id}"] [data-error-for="/reason"]`)
    .textContent.length > 0, taskId);
  assert.match(await reasonErr.textContent(), /required/);
  await shot(page, 'customs-reason-required');
  await card.locator('textarea').fill('seal photo unclear');
  await card.locator('button[data-decision="hold"]').click();
  await page.waitForSelector('.notice-ok');
  assert.match(await page.textContent('.notice-ok'), /On hold/);

  await visit(page, '#/tasks?state=hold');
  const held = page.locator(`.task[data-task="${taskId}"]`);
  await held.waitFor();
  assert.equal(await held.getAttribute('data-state'), 'hold');
  await held.locator('button[data-decision="approve"]').click();
  await page.waitForSelector('.notice-ok');
  assert.match(await page.textContent('.notice-ok'), /Approved/);
  const task = await srv.api(tokens.customs, 'GET', '/tasks/' + taskId);
  assert.equal(task.state, 'approved');
  await shot(page, 'customs-decided');
  await page.context().close();
});

test('the operator restricts a lane with a reason, finds it in the audit log and checks the chain', TIMEOUT, async () => {
  const page = await openPage();
  await signIn(page, 'operator');
  const card = page.locator('.point[data-point="cocnam-1104"]');
  assert.equal(await card.getAttribute('data-status'), 'open');
  await card.locator('select[name="status"]').selectOption('restricted');
  await card.locator('input[name="reason"]').fill('fog on the lane');
  await card.locator('button[type="submit"]').click();
  await page.waitForSelector('.point[data-point="cocnam-1104"][data-status="restricted"]');
  const point = await srv.api(tokens.operator, 'GET', '/crossing-points/cocnam-1104');
  assert.equal(point.status, 'restricted');
  await shot(page, 'operator-lane-restricted', { fullPage: false });

  await visit(page, '#/audit');
  await page.fill('[data-pointer="query:action"]', 'crossing_point.update');
  await page.click('#audit-filter button[type="submit"]');
  await page.waitForFunction(() => location.hash.includes('action=crossing_point.update'));
  await settled(page);
  const rows = await page.$$eval('#audit-list tbody tr', (trs) => trs.map((tr) => tr.textContent));
  assert.equal(rows.length, 1);
  assert.match(rows[0], /fog on the lane/);
  await page.click('#verify');
  await page.waitForSelector('#verify-result .notice-ok');
  assert.match(await page.textContent('#verify-result'), /The chain is intact/);
  await shot(page, 'operator-audit');
  await page.context().close();
});

test('switching the language changes the visible strings; no page shows an untranslated key', TIMEOUT, async () => {
  const page = await openPage();
  await signIn(page, 'operator');
  const words = { en: ['Overview', 'Sign out'], vi: ['Tổng quan', 'Đăng xuất'], zh: ['概览', '退出'] };
  for (const lang of ['vi', 'zh', 'en']) {
    await page.selectOption('#lang', lang);
    await page.waitForFunction((w) => document.querySelector('#nav-overview')?.textContent === w, words[lang][0]);
    await settled(page);
    assert.equal(await page.textContent('#signout'), words[lang][1]);
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    await shot(page, 'operator-overview-' + lang, { fullPage: false });
  }
  for (const role of ['operator', 'customs', 'company']) {
    const p = role === 'operator' ? page : await openPage();
    if (role !== 'operator') await signIn(p, role);
    const hashes = [...NAV[role].map((id) => '#/' + id), ...(role === 'company' ? ['#/declarations?new=1', '#/declarations?id=1'] : []),
      ...(role === 'customs' ? ['#/tasks?state=all'] : []), ...(role === 'company' ? ['#/vehicles?new=1', '#/drivers?new=1'] : [])];
    for (const lang of ['vi', 'zh', 'en']) {
      await p.selectOption('#lang', lang);
      for (const h of hashes) {
        await visit(p, h);
        const text = await p.evaluate(() => document.body.innerText);
        assert.ok(!text.includes('⟦'), `untranslated key on ${h} in ${lang}: ${text.match(/⟦[^⟧]*⟧/)}`);
        const raw = await p.$$eval('select option', (os) => os.filter((o) => o.textContent === o.value
          && /^([a-z_]+|[A-Z]{2})$/.test(o.value)).map((o) => o.value));
        assert.deepEqual(raw, [], `choices shown as raw API values on ${h} in ${lang}`);
      }
    }
    if (role !== 'operator') await p.context().close();
  }
  await page.context().close();
});

test('1366x768 and 390x844 layouts have no horizontal overflow', TIMEOUT, async () => {
  const pages = { operator: ['#/overview', '#/kpis', '#/audit'], customs: ['#/tasks?state=all'],
    company: ['#/declarations', '#/declarations?new=1', '#/declarations?id=1', '#/vehicles?new=1', '#/drivers'] };
  for (const viewport of [{ width: 1366, height: 768 }, { width: 390, height: 844 }]) {
    for (const [role, hashes] of Object.entries(pages)) {
      const page = await openPage(viewport, role === 'company' ? 'vi' : role === 'customs' ? 'zh' : 'en');
      await signIn(page, role);
      for (const h of hashes) {
        await visit(page, h);
        const o = await horizontalOverflow(page);
        assert.ok(o.scrollWidth <= o.clientWidth && o.wide.length === 0,
          `${role} ${h} at ${viewport.width}x${viewport.height}: ${JSON.stringify(o)}`);
        const name = `${role}-${h.replace(/[#/?=&]+/g, '-').replace(/^-|-$/g, '')}-${viewport.width}x${viewport.height}`;
        await shot(page, name);
        if (role === 'operator' && h === '#/overview' && viewport.width === 1366)
          await page.screenshot({ path: path.join(artifacts, 'dashboard.png') });
      }
      await page.context().close();
    }
  }
});

test('nothing was fetched from outside landport and no page had a script error', () => {
  assert.deepEqual(external, []);
  assert.deepEqual(pageErrors, []);
});
