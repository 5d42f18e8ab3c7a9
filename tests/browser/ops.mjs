// ops.mjs - browser tests of the dashboard's operations pages (yard, queue,
// live events, bookings, invoices, warehouse, fee tables) against a server of
// their own with trucks, bookings and an invoice made through the API (device
// reads with a device token from the CLI): the operator sees the queue and
// pauses a lane with a reason, a live event written during the test appears
// without a reload, the company books a slot and sees its invoice, the
// operator records a payment and gets every fee table error next to its
// field; a truck the gate holds appears live in the operator's open
// exceptions with its reasons and customs sees what the gate read; all
// pages in three languages; 1366x768 and 390x844 layouts.
//   node ops.mjs LANDPORT_BINARY WEB_ROOT [ARTIFACTS_DIR]
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { usage, requirements, startServer, horizontalOverflow, session, CHROMIUM, CHROMIUM_ARGS } from './lib.mjs';

const { bin, webRoot, artifacts } = usage();
const TIMEOUT = { timeout: 120_000 };
const PLATES = ['29C-111.11', '29C-222.22', '29C-333.33'];
const PAGES = {
  operator: ['#/overview', '#/yard', '#/queue', '#/invoices', '#/invoices?id=1', '#/fees', '#/fees?id=yard&edit=1'],
  company: ['#/bookings', '#/invoices', '#/invoices?id=1', '#/warehouse'],
};

let pw, srv, browser;
const tokens = {};
const state = { tokens };
const ids = {};
const external = [];
const pageErrors = [];
Object.assign(state, { external, pageErrors });
const { openPage: open, settled, signIn, shot } = session(state, artifacts);
const openPage = (viewport, lang) => open(viewport, lang, 20_000);

async function visit(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await page.waitForFunction((h) => location.hash === h, hash);
  await settled(page);
}

function gateDay(offsetDays) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(Date.now() + offsetDays * 86400000));
}

// A perishable (fresh durian) export declaration for vehicle v of the company.
function declaration(n, vehicleId, driverId) {
  return { number: '30512345' + String(6800 + n), crossing_point_id: 'huunghi-main', direction: 'export', transport: 'truck',
    vehicle_id: vehicleId, driver_id: driverId, expected_arrival: gateDay(1) + 'T08:30:00+07:00', currency: 'VND',
    goods: [{ hs_code: '0810.90.10', description: 'Sầu riêng tươi', packages: 100, gross_weight_kg: 12000, value: 1000000, origin: 'VN' }],
    containers: [{ number: 'CSQU3054383', seals: ['ML-CN12345' + n] }],
    totals: { packages: 100, gross_weight_kg: 12000, value: 1000000 } };
}

function read(gate, plate) {
  return srv.api(tokens.device, 'POST', '/yard-reads', { yard_id: 'huu-nghi-export', gate, plate: { text: plate, confidence: 960 } });
}

before(async () => {
  pw = await requirements(webRoot);
  fs.mkdirSync(artifacts, { recursive: true });
  srv = await startServer(bin, webRoot);
  state.srv = srv;
  for (const r of ['admin', 'operator', 'device', 'customs']) tokens[r] = srv.token(r);
  const company = await srv.api(tokens.admin, 'POST', '/companies',
    { name: 'Công ty TNHH Vận tải Bảo Nguyên', country: 'VN', tax_id: '0100109106', kinds: ['transport'] });
  tokens.company = srv.token('company', ['--company', String(company.id)]);
  const driver = await srv.api(tokens.company, 'POST', '/drivers', { full_name: 'Nguyễn Văn An', nationality: 'VN',
    document_kind: 'vn_cccd', document_number: '001089012345', licence_number: 'AB123456', licence_valid_until: '2030-06-30' });
  ids.decls = [];
  for (let i = 0; i < PLATES.length; i++) {
    const v = await srv.api(tokens.company, 'POST', '/vehicles', { kind: 'truck', plate_country: 'VN', plate: PLATES[i] });
    ids.decls.push((await srv.api(tokens.company, 'POST', '/declarations', declaration(i, v.id, driver.id))).id);
  }
  // Trucks 0 and 1 are booked for tomorrow morning; truck 2 is booked in the browser.
  const slot = gateDay(1) + 'T09:00:00+07:00';
  for (const d of ids.decls.slice(0, 2)) await srv.api(tokens.company, 'POST', '/bookings', { declaration_id: d, slot });
  // Truck 0 enters the yard and is called at once; with one place on lane 1
  // and lanes 2-4 paused, truck 1 then waits.
  assert.equal((await read('entry', PLATES[0])).outcome, 'admitted');
  const q = 'huunghi-main:export';
  for (const lane of [2, 3, 4]) await srv.api(tokens.operator, 'PATCH', `/queues/${q}/lanes/${lane}`, { paused: true }, { 'X-Reason': 'night shift' });
  await srv.api(tokens.operator, 'PATCH', `/queues/${q}/lanes/1`, { capacity: 1 }, { 'X-Reason': 'one officer' });
  assert.equal((await read('entry', PLATES[1])).outcome, 'admitted');
  // A stay at the bonded warehouse for the access code.
  const units = await srv.api(tokens.company, 'GET', '/warehouses/huunghi-bw1/units');
  ids.reservation = (await srv.api(tokens.company, 'POST', '/warehouse-reservations', { unit_id: units.items[0].id,
    from: gateDay(1) + 'T08:00:00+07:00', to: gateDay(3) + 'T08:00:00+07:00' })).id;
  browser = await pw.chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  state.browser = browser;
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

test('the operator sees the queue with its trucks and pauses a lane with a reason; a live event arrives without a reload', TIMEOUT, async () => {
  const page = await openPage();
  await signIn(page, 'operator');
  await visit(page, '#/queue');
  await page.waitForSelector(`#queue-called tr[data-plate="${PLATES[0]}"]`);
  await page.waitForSelector(`#queue-waiting tr[data-plate="${PLATES[1]}"][data-position="1"]`);
  assert.match(await page.textContent(`#queue-called tr[data-plate="${PLATES[0]}"]`), /of 20 min/);
  assert.match(await page.textContent(`#queue-waiting tr[data-plate="${PLATES[1]}"]`), /Perishable/);
  await page.waitForSelector('#live-state.pill-ok');
  await page.evaluate(() => { window.lpNoReload = true; });

  const lane = page.locator('#lanes form[data-lane="1"]');
  await lane.locator('button[data-act="pause"]').click();
  assert.equal(await lane.locator('[data-error-for="header:X-Reason"]').textContent(), 'A reason is required.');
  await lane.locator('input[name="reason"]').fill('scanner fault on lane 1');
  await lane.locator('button[data-act="pause"]').click();
  await page.waitForSelector('#lanes form[data-lane="1"][data-paused="true"]');
  const queue = await srv.api(tokens.operator, 'GET', '/queues/huunghi-main:export');
  assert.equal(queue.lanes.find((l) => l.lane === 1).paused, true);
  const audit = await srv.api(tokens.operator, 'GET', '/audit-events?action=queue_lane.update&limit=20');
  assert.ok(audit.items.some((e) => e.reason === 'scanner fault on lane 1'), 'the reason is in the audit log');

  // A read written now reaches the open page through the event stream.
  const r = await read('entry', '51H-999.99');
  assert.equal(r.outcome, 'refused_unknown_plate');
  await page.waitForSelector('#live-list li[data-action="yard_read.create"]', { timeout: 15_000 });
  assert.match(await page.textContent('#live-list li[data-action="yard_read.create"]'), /Refused: unknown plate/);
  assert.equal(await page.evaluate(() => window.lpNoReload), true, 'no reload');
  await shot(page, 'operator-queue');

  await visit(page, '#/yard');
  await page.waitForSelector(`#yard-bays tr[data-plate="${PLATES[1]}"]`);
  await page.waitForSelector('#yard-reads tr[data-outcome="refused_unknown_plate"]');
  assert.match(await page.textContent('#yards [data-yard="huu-nghi-export"] [data-kind="normal"]'), /2 of 200 occupied/);
  await read('entry', '51H-888.88');
  await page.waitForFunction(() => document.querySelectorAll('#yard-reads tr[data-outcome="refused_unknown_plate"]').length === 2,
    null, { timeout: 15_000 });
  await shot(page, 'operator-yard');
  await page.context().close();
});

test('the company books a slot (a refusal shows its reason), sees its trucks in the queue and its invoice', TIMEOUT, async () => {
  // Truck 0 leaves the yard: its visit is invoiced.
  const exit = await read('exit', PLATES[0]);
  assert.ok(exit.invoice_id, 'exit issues an invoice');
  ids.invoice = exit.invoice_id;

  const page = await openPage(undefined, 'vi');
  await signIn(page, 'company');
  await page.selectOption('#lang', 'en');
  await visit(page, '#/bookings');
  await page.waitForSelector(`#my-queue tr[data-plate="${PLATES[1]}"][data-state="waiting"]`);
  const later = await page.$$eval('#slots tr[data-slot]', (trs) => trs.map((tr) => ({ slot: tr.dataset.slot, free: Number(tr.dataset.free) }))
    .filter((x) => x.free > 0 && Date.parse(x.slot) > Date.now() + 2 * 3600e3).map((x) => x.slot));
  assert.ok(later.length >= 2, 'free slots more than two hours ahead');
  await page.selectOption('#book-form select[name="declaration_id"]', String(ids.decls[2]));
  await page.click(`#slots button[data-slot="${later[0]}"]`);
  await page.waitForSelector('.notice-ok');
  const bookings = await srv.api(tokens.company, 'GET', '/bookings?declaration_id=' + ids.decls[2]);
  assert.equal(bookings.items.length, 1);
  assert.equal(Date.parse(bookings.items[0].slot_at), Date.parse(later[0]));
  await page.waitForSelector(`#bookings-list tr[data-booking="${bookings.items[0].id}"]`);
  // Booking the same declaration again: 409 with the API's reason.
  await page.selectOption('#book-form select[name="declaration_id"]', String(ids.decls[2]));
  await page.click(`#slots button[data-slot="${later[1]}"]`);
  await page.waitForSelector('#booking-conflict');
  assert.ok(await page.getAttribute('#booking-conflict', 'data-reason'), 'the 409 names its reason');
  await shot(page, 'company-booking-refused');
  // Rebook it to the later hour, then cancel it with a reason.
  const bid = bookings.items[0].id;
  await page.click(`#bookings-list a[data-manage="${bid}"]`);
  await page.waitForSelector('#rebook-form');
  await page.selectOption('#rebook-form select[name="slot"]', later[1]);
  await page.click('#rebook-form button[type="submit"]');
  await page.waitForFunction(() => location.hash.includes('saved=1'));
  await settled(page);
  const rebooked = await srv.api(tokens.company, 'GET', '/bookings/' + bid);
  assert.equal(Date.parse(rebooked.slot_at), Date.parse(later[1]));
  assert.equal(rebooked.rebookings, 1);
  await page.waitForSelector('#cancel-form');
  await page.fill('#cancel-form input[name="reason"]', 'load delayed');
  await page.click('#cancel-form button[type="submit"]');
  await page.waitForSelector(`#bookings-list tr[data-booking="${bid}"][data-status="cancelled"]`);
  assert.equal((await srv.api(tokens.company, 'GET', '/bookings/' + bid)).status, 'cancelled');
  await shot(page, 'company-bookings');

  await visit(page, '#/invoices');
  await page.waitForSelector(`#invoice-list tr[data-invoice="${ids.invoice}"]`);
  assert.match(await page.textContent('#invoices-outstanding'), /400\.000\s₫/);
  await page.click(`#invoice-list tr[data-invoice="${ids.invoice}"] a`);
  await page.waitForSelector('#invoice-detail');
  assert.match(await page.textContent('#invoice-lines'), /INFRA/);
  assert.equal(await page.$('#payment-form'), null, 'a company does not record payments');
  await shot(page, 'company-invoice');

  await visit(page, '#/warehouse');
  await page.selectOption('#code-form select[name="reservation"]', String(ids.reservation));
  await page.selectOption('#code-form select[name="declaration_id"]', String(ids.decls[1]));
  await page.fill('#code-form input[name="plate"]', PLATES[1]);
  await page.click('#code-submit');
  await page.waitForSelector('#access-code');
  assert.match(await page.textContent('#access-code'), /^\d+-[A-Z0-9]{8}$/);
  await page.waitForSelector('#wh-codes tr[data-code]');
  await shot(page, 'company-warehouse-code');
  await page.reload();
  await settled(page);
  await page.waitForSelector('#wh-codes');
  assert.equal(await page.$('#access-code'), null, 'the code is shown once');
  await page.context().close();
});

test('the operator records a payment and gets every fee table error next to its rate field', TIMEOUT, async () => {
  const page = await openPage();
  await signIn(page, 'operator');
  await visit(page, '#/invoices?id=' + ids.invoice);
  await page.fill('#payment-form input[name="reference"]', 'VCB-20261123-0042');
  await page.fill('#payment-form input[name="amount"]', '999999999');
  await page.click('#payment-submit');
  await page.waitForFunction(() => document.querySelector('#payment-form [data-error-for="/amount"]').textContent.length > 0);
  await page.fill('#payment-form input[name="amount"]', '400000');
  await page.click('#payment-submit');
  await page.waitForSelector('#invoice-detail[data-status="paid"]');
  assert.equal((await srv.api(tokens.operator, 'GET', '/invoices/' + ids.invoice)).status, 'paid');
  assert.match(await page.textContent('#invoice-payments'), /VCB-20261123-0042/);
  await shot(page, 'operator-invoice-paid');

  await visit(page, '#/fees?id=yard');
  await page.click('#fee-edit');
  await page.waitForSelector('#fee-form');
  await page.fill('#fee-form [data-pointer="/rates/0/amount"]', '-5');
  await page.fill('#fee-form [data-pointer="/rates/2/min_kg"]', '5000');
  await page.click('#fee-submit');
  await page.waitForSelector('#fee-form .form-problem:not([hidden])');
  const errs = await page.$$eval('#fee-form .field-error', (ps) => Object.fromEntries(ps.filter((p) => p.textContent)
    .map((p) => [p.dataset.errorFor, p.textContent])));
  assert.ok(errs['/rates/0/amount'], 'error next to /rates/0/amount: ' + JSON.stringify(errs));
  await shot(page, 'operator-fee-errors');
  await page.fill('#fee-form [data-pointer="/rates/0/amount"]', '160000');
  await page.fill('#fee-form [data-pointer="/rates/2/min_kg"]', '20001');
  await page.fill('#fee-form input[name="reason"]', 'new tariff');
  await page.click('#fee-submit');
  await page.waitForSelector('#fee-rates');
  const ft = await srv.api(tokens.operator, 'GET', '/fee-tables/yard');
  assert.equal(ft.rates[0].amount, 160000);
  assert.equal(ft.version, 2);
  await page.context().close();
});

test('a truck the gate holds shows live in the operator\'s open exceptions with every reason; customs sees what the gate read', TIMEOUT, async () => {
  const page = await openPage();
  await signIn(page, 'operator');
  await visit(page, '#/overview');
  await page.waitForSelector('#no-exceptions');
  // truck 0, called to lane 1, arrives with a seal its declaration does not list (and is not cleared yet)
  const passage = await srv.api(tokens.device, 'POST', '/gate-passages', { crossing_point_id: 'huunghi-main', lane: 1,
    plate: { text: PLATES[0], confidence: 970 }, containers: [{ number: 'CSQU3054383', confidence: 950 }],
    seals: ['ML-WRONG999'], gross_weight_kg: 27000 });
  assert.equal(passage.decision, 'hold');
  const item = page.locator('#gate-exceptions li', { hasText: PLATES[0] });
  await item.waitFor({ timeout: 15_000 }); // from the event stream, no reload
  assert.equal(await item.getAttribute('data-lane'), '1');
  assert.equal(await item.locator('.reasons li[data-code="SEAL_UNEXPECTED"]').count(), 1);
  assert.match(await item.textContent(), /Seal not declared/);
  assert.match(await item.textContent(), /lane 1/);
  await shot(page, 'operator-gate-exception', { fullPage: false });
  await page.context().close();

  const officer = await openPage();
  await signIn(officer, 'customs');
  const card = officer.locator('.task[data-kind="gate_exception"]');
  await card.waitFor();
  const findings = await card.locator('.gate-findings').textContent();
  assert.match(findings, /ML-WRONG999/);
  assert.match(findings, new RegExp(PLATES[0].replace('.', '\\.')));
  assert.equal(await card.locator('.reasons li[data-code="SEAL_MISSING"]').count(), 1);
  await shot(officer, 'customs-gate-exception');
  await officer.context().close();
});

test('every new page in three languages shows no untranslated key', TIMEOUT, async () => {
  for (const [role, hashes] of Object.entries(PAGES)) {
    const page = await openPage();
    await signIn(page, role);
    for (const lang of ['vi', 'zh', 'en']) {
      await page.selectOption('#lang', lang);
      for (const h of hashes) {
        await visit(page, h);
        const text = await page.evaluate(() => document.body.innerText);
        assert.ok(!text.includes('⟦'), `untranslated key on ${h} in ${lang}: ${text.match(/⟦[^⟧]*⟧/)}`);
      }
    }
    await page.context().close();
  }
});

test('the new pages have no horizontal overflow at 1366x768 and 390x844', TIMEOUT, async () => {
  for (const viewport of [{ width: 1366, height: 768 }, { width: 390, height: 844 }]) {
    for (const [role, hashes] of Object.entries(PAGES)) {
      const page = await openPage(viewport, role === 'company' ? 'vi' : 'zh');
      await signIn(page, role);
      for (const h of hashes) {
        await visit(page, h);
        const o = await horizontalOverflow(page);
        assert.ok(o.scrollWidth <= o.clientWidth && o.wide.length === 0,
          `${role} ${h} at ${viewport.width}x${viewport.height}: ${JSON.stringify(o)}`);
        await shot(page, `${role}-${h.replace(/[#/?=&]+/g, '-').replace(/^-|-$/g, '')}-${viewport.width}x${viewport.height}`);
      }
      await page.context().close();
    }
  }
});

test('nothing was fetched from outside landport and no page had a script error', () => {
  assert.deepEqual(external, []);
  assert.deepEqual(pageErrors, []);
});
