// cycle.test.mjs: the empowerment cycle of issue 3, in headless Chromium.
// The owner and admin set up Org A through the API: a "refund" domain, a
// "Customer Care Agent" role held by the member with a right to refund up
// to 50.00 alone, and the manager's own right up to 1000.00. Then in the
// browser: the member asks "Can I?" on the home page (answered as they
// type, without a page load; and with JavaScript off, by the plain form),
// logs a refund of 120 over their limit, the manager sees the count in the
// navigation and approves it from the inbox with a note, the member records
// the outcome and finds the lesson in the learning library. The role,
// rights, domains, decisions, insights and autonomy pages are visited too.
// Every page visited is scanned with axe-core (WCAG 2 A and AA) on a desktop
// and at 360 px, where it must not scroll sideways; a "serious" or
// "critical" finding, a sideways scroll or a CSP violation fails the step
// that visited the page. Steps share one browser (a context per person) and
// run in order. REMIT_SHOTS=DIR also saves a screenshot of every page seen.
// Run: REMIT_BIN=$PWD/remit node --test tests/e2e/cycle.test.mjs
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, USERS, PASSWORD } from '../http/lib.mjs';
import { LAUNCH, openPage, axeFindings, navLink } from './browser.mjs';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const SHOTS = process.env.REMIT_SHOTS || '';

let srv, browser;
const pages = {};      // person -> the Playwright page of their own browser context
const minor = [];      // moderate/minor axe findings, printed at the end
const ids = {};        // person -> person id
let decisionId = 0;
let shot = 0;

// ---------- helpers ----------

// open: a fresh page in its own context (see browser.mjs).
const open = (opts = {}) => openPage(browser, { viewport: DESKTOP, ...opts });

// axe: serious/critical findings now; the others go to `minor`.
const axe = (page, label) => axeFindings(page, label, minor);

// scan: the page as it is now, on a desktop and at 360 px (resized in
// place, so a page that answered a POST is checked too): axe on both,
// no sideways scrolling on the phone, no CSP violation. Fails with all of it.
async function scan(page, label) {
  const problems = [];
  const where = new URL(page.url());
  const name = (where.pathname + where.search).replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'home';
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${String(++shot).padStart(2, '0')}-${name}-desktop.png`), fullPage: true });
  problems.push(...await axe(page, 'desktop'));
  await page.setViewportSize(PHONE);
  try {
    await page.evaluate(() => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res))));
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    if (w > PHONE.width) {
      const wide = await page.evaluate((max) => [...document.querySelectorAll('main *, header *')]
        .filter((e) => e.getBoundingClientRect().right > max + 0.5)
        .slice(0, 5).map((e) => `<${e.tagName.toLowerCase()}${e.className ? ` class="${e.className}"` : ''}> right=${Math.round(e.getBoundingClientRect().right)}`), PHONE.width);
      problems.push(`  at 360 px the page scrolls sideways: scrollWidth ${w}; too wide: ${wide.join(', ')}`);
    }
    if (SHOTS) await page.screenshot({ path: join(SHOTS, `${String(shot).padStart(2, '0')}-${name}-phone.png`), fullPage: true });
    problems.push(...await axe(page, '360 px'));
  } finally {
    await page.setViewportSize(DESKTOP);
  }
  if (page.csp.length) problems.push('  CSP violations: ' + page.csp.splice(0).join('; '));
  assert.equal(problems.length, 0, `${label} (${where.pathname}${where.search}):\n${problems.join('\n')}`);
}

// go: a GET navigation that must answer `status`, then the scan.
async function go(page, path, status = 200) {
  const resp = await page.goto(srv.base + path);
  assert.equal(resp.status(), status, `GET ${path}: ${resp.status()}: ${(await mainText(page).catch(() => '')).slice(0, 300)}`);
  await scan(page, `GET ${path}`);
  return resp;
}

// submit: clicks a submit button (a locator), waits for the page the
// browser lands on (after redirects), checks its status, scans it.
// With JavaScript off (noScan) there is no scan: axe runs in the page.
async function submit(page, button, status = 200, noScan = false) {
  const [resp] = await Promise.all([page.waitForNavigation(), button.click()]);
  const where = new URL(page.url()).pathname;
  assert.equal(resp.status(), status, `submit landed on ${where} with ${resp.status()}: ${(await mainText(page).catch(() => '')).slice(0, 300)}`);
  if (!noScan) await scan(page, `form landing on ${where}`);
  return resp;
}

const mainText = (page) => page.locator('main').innerText();

// as: the page of a person, logged in through the login form on first use.
async function as(who) {
  if (pages[who]) return pages[who];
  const page = await open();
  await page.goto(srv.base + '/login');
  await page.getByLabel('E-mail').fill(USERS[who]);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.locator('main form button[type="submit"]').first().click()]);
  assert.equal(new URL(page.url()).pathname, '/', `${who} is logged in`);
  pages[who] = page;
  return page;
}

// api: a 2xx answer or a failure with the body.
async function api(promise, what) {
  const r = await promise;
  assert.ok(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

// ---------- the journey ----------

describe('the empowerment cycle', { timeout: 600000 }, () => {
  before(async () => {
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    srv = await startServer();
    const [owner, admin, manager, member] = await Promise.all([USERS.owner, USERS.admin, USERS.manager, USERS.member].map((e) => srv.login(e)));
    for (const [k, c] of Object.entries({ owner, admin, manager, member })) ids[k] = (await c.get('/api/v1/session')).json.person.id;
    await api(admin.post('/api/v1/domains', { slug: 'refund', label: 'refunds', risk: 'low' }), 'the refund domain');
    const role = await api(owner.post('/api/v1/roles', {
      name: 'Customer Care Agent', purpose: 'Upset customers leave **happy**, on the spot.',
      accountabilities: ['Answer every complaint the same day'], resources: ['The refund till'],
    }), 'the role');
    await api(owner.post(`/api/v1/roles/${role.id}/holders`, { person_id: ids.member }), 'the member holds the role');
    await api(owner.post('/api/v1/rights', { role_id: role.id, domain: 'refund', level: 7, limit: '50.00', reason: 'Small refunds need no one else.' }), 'the role\'s right');
    await api(owner.post('/api/v1/rights', { person_id: ids.manager, domain: 'refund', level: 7, limit: '1000.00', reason: 'Shift manager.' }), 'the manager\'s right');
    ids.role = role.id;
    const me = await member.get('/api/v1/people/' + ids.member);
    assert.equal(me.json.manager_id ?? me.json.manager?.id, ids.manager, 'the member reports to the manager');
    browser = await chromium.launch(LAUNCH);
  });

  after(async () => {
    if (minor.length) console.log('axe, moderate and minor findings (not failing):\n  ' + [...new Set(minor)].join('\n  '));
    await browser?.close();
    await srv?.stop();
  });

  it('cycle-1: on the home page "Can I?" answers as the member types, without a page load', { timeout: 120000 }, async () => {
    const page = await as('member');
    await scan(page, 'the home page after login');
    const form = page.locator('main form[data-can]');
    const box = page.locator('main [data-can-answer]');
    const headline = box.locator('p.verdict strong');
    let loads = 0;
    page.on('framenavigated', (f) => { if (f === page.mainFrame()) loads++; });
    await page.evaluate(() => { window.remitStayed = true; });
    await form.getByLabel('Decide about').selectOption({ label: 'refunds' });
    const asked = page.waitForResponse((r) => r.url().includes('/api/v1/can?') && r.url().includes('amount=120'));
    await form.getByLabel(/^Amount/).pressSequentially('120', { delay: 40 });
    assert.equal((await asked).status(), 200, 'app.js asked /api/v1/can');
    await assert.doesNotReject(headline.filter({ hasText: /needs approval/ }).waitFor(), 'the answer says it needs approval');
    assert.match(await box.innerText(), /Max Manager/, 'and names whom to ask');
    await form.getByLabel(/^Amount/).fill('');
    await form.getByLabel(/^Amount/).pressSequentially('30', { delay: 40 });
    await assert.doesNotReject(headline.filter({ hasText: /^Yes: decide it$/ }).waitFor(), 'within the limit: yes');
    assert.match(await box.innerText(), /50\.00/, 'the explanation gives the limit');
    assert.equal(loads, 0, 'no page load happened');
    assert.equal(await page.evaluate(() => window.remitStayed), true, 'still the same document');
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal(await box.getAttribute('aria-live'), 'polite', 'screen readers hear the answer');
    await scan(page, 'the home page with an answer');
  });

  it('cycle-2: without JavaScript the plain "Can I?" form answers on /can', { timeout: 120000 }, async () => {
    const page = await open({ javaScriptEnabled: false });
    try {
      await page.goto(srv.base + '/login');
      await page.getByLabel('E-mail').fill(USERS.member);
      await page.getByLabel('Password').fill(PASSWORD);
      await Promise.all([page.waitForNavigation(), page.locator('main form button[type="submit"]').first().click()]);
      assert.equal(new URL(page.url()).pathname, '/');
      const form = page.locator('main form[data-can]');
      await form.getByLabel('Decide about').selectOption({ label: 'refunds' });
      await form.getByLabel(/^Amount/).fill('120');
      await submit(page, form.getByRole('button', { name: 'Ask' }), 200, true);
      const url = new URL(page.url());
      assert.equal(url.pathname, '/can');
      assert.equal(url.searchParams.get('domain'), 'refund');
      assert.equal(url.searchParams.get('amount'), '120');
      const answer = await page.locator('main [data-can-answer]').innerText();
      assert.match(answer, /needs approval/);
      assert.match(answer, /Max Manager/);
      assert.equal(await page.locator('main form[data-can]').getByLabel(/^Amount/).inputValue(), '120', 'the form keeps what was asked');
      // a bad amount comes back as a message on the page, not a bare error
      await page.locator('main form[data-can]').getByLabel(/^Amount/).fill('12.345');
      await submit(page, page.locator('main form[data-can]').getByRole('button', { name: 'Ask' }), 400, true);
      assert.match(await page.locator('main .error-summary[role="alert"]').innerText(), /two decimals/);
    } finally {
      await page.context().close();
    }
    // the same pages with JavaScript on, for the scan (axe runs in the page)
    const member = await as('member');
    await go(member, '/can?domain=refund&amount=120');
    assert.match(await member.locator('main [data-can-answer]').innerText(), /Max Manager/);
    await go(member, '/can?domain=refund&amount=12.345', 400);
  });

  it('cycle-3: the member logs a refund over their limit; it waits for Max Manager', { timeout: 120000 }, async () => {
    const page = await as('member');
    await go(page, '/decisions/new');
    const form = page.locator('main form[method="post"]').filter({ has: page.locator('[name="title"]') });
    await form.getByLabel('What is it about?').selectOption({ label: 'refunds' });
    await form.getByLabel('Title').fill('Refund the broken espresso machine');
    await form.getByLabel(/^Amount/).fill('120');
    await form.getByLabel('Context').fill('A customer brought back a machine that leaked on day two; she was upset and in a hurry.');
    await form.getByLabel('Options').fill('Repair it in a week, or refund it now.');
    await form.getByLabel('Rationale').fill('She needs coffee tomorrow; a refund keeps her as a customer.');
    await form.getByLabel('Risk').selectOption('2');
    await form.getByLabel('Reward').selectOption('4');
    // the "Can I?" box above the form answers as well
    const can = page.locator('main form[data-can]');
    await can.getByLabel('Decide about').selectOption({ label: 'refunds' });
    await can.getByLabel(/^Amount/).pressSequentially('120');
    await assert.doesNotReject(page.locator('main [data-can-answer]').getByText(/needs approval/).waitFor());
    await submit(page, form.getByRole('button', { name: 'Log the decision' }));
    const m = new URL(page.url()).pathname.match(/^\/decisions\/(\d+)$/);
    assert.ok(m, `landed on a decision page: ${page.url()}`);
    decisionId = Number(m[1]);
    assert.match(await page.locator('main .flash[role="status"]').innerText(), /Sent to Max Manager for approval/);
    const text = await mainText(page);
    assert.match(text, /Waiting for Max Manager/);
    assert.match(text, /120\.00/);
    assert.equal(await page.locator('main h1').innerText(), 'Refund the broken espresso machine');
    assert.match(await page.locator('main .title-row .badge').innerText(), /pending|waiting/i);
  });

  it('cycle-4: the manager sees the count in the navigation and approves from the inbox', { timeout: 120000 }, async () => {
    const page = await as('manager');
    await go(page, '/');
    const inboxLink = page.locator('header nav a[href="/inbox"]');
    const count = inboxLink.locator('.count');
    await assert.doesNotReject(count.waitFor(), 'the navigation shows a count');
    assert.ok(Number(await count.innerText()) >= 1, `count ${await count.innerText()}`);
    assert.match(await inboxLink.textContent(), /waiting/, 'the count is announced as waiting (hidden words, not an aria-label on a span)');
    await Promise.all([page.waitForNavigation(), inboxLink.click()]);
    assert.equal(new URL(page.url()).pathname, '/inbox');
    await scan(page, 'the inbox');
    const item = page.locator('main li').filter({ hasText: 'Refund the broken espresso machine' }).filter({ has: page.locator('form') }).first();
    await assert.doesNotReject(item.waitFor(), 'the decision waits in the inbox');
    assert.match(await item.innerText(), /Mia Member/);
    await item.getByLabel('Note (optional)').fill('Yes, and ask the supplier for a credit note.');
    await submit(page, item.getByRole('button', { name: 'Approve' }));
    assert.equal(new URL(page.url()).pathname, '/inbox');
    assert.match(await page.locator('main .flash[role="status"]').innerText(), /Approved/);
    assert.equal(await page.locator('main li').filter({ hasText: 'Refund the broken espresso machine' }).filter({ has: page.locator('form') }).count(), 0,
      'no longer waiting');
    assert.equal(await page.locator('header nav a[href="/inbox"] .count').count(), 0, 'nothing waits any more');
  });

  it('cycle-5: the member records the outcome and finds the lesson in the learning library', { timeout: 120000 }, async () => {
    const page = await as('member');
    await go(page, `/decisions/${decisionId}`);
    let text = await mainText(page);
    assert.match(text, /Approved by Max Manager/);
    assert.match(text, /ask the supplier for a credit note/);
    const form = page.locator('main form').filter({ has: page.locator('[name="outcome"]') });
    await form.getByLabel('Outcome').selectOption('good');
    await form.getByLabel('What happened').fill('She came back the next week and bought beans.');
    await form.getByLabel('What did you learn?').fill('A quick refund on faulty kettles and machines keeps regulars loyal.');
    await submit(page, form.getByRole('button', { name: 'Record the outcome' }));
    assert.equal(new URL(page.url()).pathname, `/decisions/${decisionId}`);
    assert.match(await page.locator('main .flash[role="status"]').innerText(), /Outcome recorded/);
    text = await mainText(page);
    assert.match(text, /good/);
    assert.match(text, /bought beans/);
    assert.match(text, /keeps regulars loyal/);
    assert.equal(await page.locator('main form').filter({ has: page.locator('[name="outcome"]') }).count(), 0, 'recorded once');

    await go(page, '/learning');
    await page.getByLabel('Search lessons').fill('loyal');
    await submit(page, page.locator('main form[role="search"]').getByRole('button', { name: 'Search' }));
    assert.equal(new URL(page.url()).searchParams.get('q'), 'loyal');
    const lesson = page.locator('main article.lesson').filter({ hasText: 'Refund the broken espresso machine' });
    await assert.doesNotReject(lesson.first().waitFor(), 'the lesson is found');
    assert.match(await lesson.first().innerText(), /keeps regulars loyal/);
    await page.getByLabel('Search lessons').fill('croissant');
    await submit(page, page.locator('main form[role="search"]').getByRole('button', { name: 'Search' }));
    assert.match(await mainText(page), /No lessons match/);
  });

  it('cycle-6: the member reads the role charter, the rights and the decision log', { timeout: 120000 }, async () => {
    const page = await as('member');
    await go(page, '/roles');
    const link = page.locator('main a', { hasText: 'Customer Care Agent' }).first();
    await assert.doesNotReject(link.waitFor(), 'the role is listed');
    await Promise.all([page.waitForNavigation(), link.click()]);
    assert.equal(new URL(page.url()).pathname, `/roles/${ids.role}`);
    await scan(page, 'the role page');
    const text = await mainText(page);
    assert.match(text, /Upset customers leave happy/);
    assert.match(text, /refunds/i, 'what the holder may decide');
    assert.match(text, /50\.00/);
    await go(page, '/rights');
    assert.match(await mainText(page), /refunds/i);
    await go(page, '/domains');
    assert.match(await mainText(page), /refunds/i);
    await go(page, '/decisions');
    assert.match(await mainText(page), /Refund the broken espresso machine/);
    await go(page, '/can');
    await go(page, '/inbox');
    await go(page, '/autonomy');
  });

  it('cycle-7: the owner sees the same pages, with the forms only an admin has', { timeout: 120000 }, async () => {
    const page = await as('owner');
    await go(page, '/roles');
    await go(page, `/roles/${ids.role}`);
    await go(page, '/rights');
    const right = page.locator('main a[href^="/rights/"]').filter({ hasNotText: /grant|new/i }).first();
    if (await right.count()) {
      await Promise.all([page.waitForNavigation(), right.click()]);
      await scan(page, 'a right with its history');
    }
    await go(page, '/rights/new');
    await go(page, '/domains');
    await go(page, '/roles/new');
    await go(page, '/decisions');
    await go(page, `/decisions/${decisionId}`);
    await go(page, '/learning');
    await go(page, '/autonomy');
  });

  it('cycle-8: the manager and the owner see the insights dashboard', { timeout: 120000 }, async () => {
    const manager = await as('manager');
    await go(manager, '/insights');
    assert.ok(await (await navLink(manager, '/insights')).isVisible(), 'Insights is in the navigation (its group opened)');
    await go(manager, '/autonomy');
    await go(manager, '/decisions');
    const owner = await as('owner');
    await go(owner, '/insights');
    const member = await as('member');
    assert.equal(await member.locator('header nav a[href="/insights"]').count(), 0, 'a member has no Insights link');
  });
});
