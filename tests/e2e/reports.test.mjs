// reports.test.mjs: the just-culture journey of issue 13 in headless
// Chromium. On a 360x740 phone the member reports a near-miss anonymously
// through the navigation's "Report" link and keeps the private link shown
// once; the day ends (its anonymous reports are released together); the
// admin, a reviewer, acknowledges and triages it (severity, review needed,
// an answer) and finds that an anonymous report offers no culpability
// assessment; the owner, the second reviewer, writes the blameless review
// with a corrective action and shares the lesson, whose people's names are
// replaced by their roles; the reporter, not logged in, follows the report
// through the link on the phone and reads every step, the answer and the
// lesson, which is also in the learning library. Every page is scanned
// with axe-core (serious/critical fail) and must not scroll sideways at
// 360 px. Run: REMIT_BIN=$PWD/build/san/remit node --test tests/e2e/reports.test.mjs
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { startServer, USERS, PASSWORD } from '../http/lib.mjs';
import { LAUNCH, openPage, axeFindings, navLink } from './browser.mjs';

const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };
let srv, browser, followUrl, reportId;
const minor = [];

async function check(page, label) {
  const problems = await axeFindings(page, label, minor);
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  const vw = page.viewportSize().width;
  if (w > vw) problems.push(`  scrolls sideways at ${vw} px: ${w}`);
  if (page.csp.length) problems.push('  CSP: ' + page.csp.join('; '));
  assert.deepEqual(problems, [], `${label} (${page.url()})`);
}

async function login(who, viewport) {
  const page = await openPage(browser, { viewport });
  await page.goto(srv.base + '/login');
  await page.getByLabel('E-mail').fill(USERS[who]);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.locator('main form button[type="submit"]').first().click()]);
  assert.equal(new URL(page.url()).pathname, '/');
  return page;
}

async function submit(page, button, status = 200) {
  const [resp] = await Promise.all([page.waitForNavigation(), button.click()]);
  assert.equal(resp.status(), status, (await page.locator('main').innerText()).slice(0, 300));
  return resp;
}

describe('just culture: an anonymous near-miss, reviewed without blame, followed by its reporter', () => {
  before(async () => {
    srv = await startServer();
    browser = await chromium.launch(LAUNCH);
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
    if (minor.length) console.log(`# minor axe findings:\n${[...new Set(minor)].map((m) => `#   ${m}`).join('\n')}`);
  });

  it('the member reports a near-miss anonymously on a phone and keeps the link', async () => {
    const page = await login('member', PHONE);
    await submit(page, await navLink(page, '/reports'));
    await check(page, '/reports');
    await submit(page, page.locator('main a[href="/reports/new"]'));
    await check(page, '/reports/new');
    assert.match(await page.locator('main').innerText(), /not even an administrator with the database/);
    await page.locator('#f-kind-near_miss').check();
    await page.locator('#f-body').fill('The **sesame** and sunflower tubs look the same; I nearly used sesame for the seed-free order.');
    await page.locator('#f-harm-none').check();
    await page.locator('#f-category').selectOption('food safety');
    await page.locator('#f-immediate_action').fill('Stopped and started the batch again.');
    await page.locator('#f-identity-anonymous').check();
    await submit(page, page.locator('main form button[type="submit"]'));
    await check(page, 'the anonymous report was sent');
    followUrl = await page.locator('#follow-url').inputValue();
    assert.match(followUrl, /\/report-follow\?token=[A-Za-z0-9_-]{43}$/);
    // nothing joins the member to it in the stored rows
    const q = (sql) => execFileSync('sqlite3', [srv.db, sql], { encoding: 'utf8' }).trim();
    assert.equal(q('SELECT count(*) FROM report'), '0', 'held back until the day is over');
    assert.doesNotMatch(q('SELECT * FROM report_pending'), /Mia|member@a\.test/);
    // the day ends: its anonymous reports are released together
    q('UPDATE report_pending SET day = day - 86400');
    for (let i = 0; i < 100 && q('SELECT count(*) FROM report_pending') !== '0'; i++) await new Promise((r) => setTimeout(r, 100));
    reportId = q('SELECT id FROM report');
    assert.ok(reportId);
    assert.equal(q(`SELECT author_id IS NULL FROM report WHERE id = ${reportId}`), '1');
    await page.context().close();
  });

  it('the first reviewer acknowledges and triages it; it offers no culpability assessment', async () => {
    const page = await login('admin', DESKTOP);
    await page.goto(srv.base + '/reports');
    await check(page, '/reports (reviewer)');
    await submit(page, page.locator(`#to-review a[href="/reports/${reportId}"]`));
    await check(page, 'the report');
    const text = await page.locator('main').innerText();
    assert.match(text, /Reported by: anonymous/);
    assert.doesNotMatch(text, /Mia/);
    assert.equal(await page.locator('main a[href$="/assess"]').count(), 0, 'anonymous reports have no assessment');
    await submit(page, page.getByRole('button', { name: 'Acknowledge' }));
    await page.locator('#f-severity').selectOption('high');
    await page.locator('#f-review').selectOption('1');
    await page.locator('#f-answer').fill('Thank you for telling us. We are looking at how the tubs are stored.');
    await submit(page, page.getByRole('button', { name: 'Save the triage' }));
    await check(page, 'triaged');
    assert.match(await page.locator('#steps').innerText(), /Acknowledged[\s\S]*Triaged[\s\S]*Answered/);
    assert.equal((await page.goto(`${srv.base}/reports/${reportId}/assess`)).status(), 422);
    await page.context().close();
  });

  it('the second reviewer writes the blameless review with an action and shares the lesson', async () => {
    const page = await login('owner', DESKTOP);
    await page.goto(`${srv.base}/reports/${reportId}`);
    await submit(page, page.locator(`main a[href="/reports/${reportId}/review"]`).first());
    await check(page, 'the review form');
    await page.locator('#f-timeline').fill('06:10 the seed-free batch started; Max Manager had put both tubs on the same shelf the day before.');
    await page.locator('#f-factor_tools_equipment').fill('Identical tubs side by side.');
    await page.locator('#f-why1').fill('The tubs look the same.');
    await page.locator('#f-went_well').fill('It was noticed before baking and reported.');
    await page.locator('#f-learned').fill('Identical tubs invite mix-ups: Max Manager colour-codes them and keeps seeds apart.');
    await page.locator('#f-share').check();
    await page.locator('#f-change').check();
    await page.locator('#f-action_title').fill('Colour-code the seed tubs');
    await page.locator('#f-action_owner').selectOption({ label: 'Max Manager' });
    await page.locator('#f-action_due').fill(new Date(Date.now() + 7 * 86400e3).toISOString().slice(0, 10));
    await submit(page, page.getByRole('button', { name: 'Save the review' }));
    await check(page, 'the reviewed report');
    const review = await page.locator('#review').innerText();
    assert.match(review, /Max Manager colour-codes them/, 'reviewers read the full review');
    assert.match(review, /Corrective actions: 1, of which 1 open/);
    await page.context().close();
  });

  it('the reporter follows it through the link on the phone and reads the lesson', async () => {
    const page = await openPage(browser, { viewport: PHONE });
    const resp = await page.goto(followUrl);
    assert.equal(resp.status(), 200);
    await check(page, 'the follow link');
    const text = await page.locator('main').innerText();
    assert.match(text, /Acknowledged[\s\S]*Triaged[\s\S]*Answered[\s\S]*Blameless review started[\s\S]*Lesson shared/);
    assert.match(text, /We are looking at how the tubs are stored/);
    assert.match(text, /Identical tubs invite mix-ups/);
    assert.doesNotMatch(text, /Max Manager/, 'the shared version names roles, not people');
    await page.context().close();
    // the lesson is in the one learning library, for everyone
    const m = await login('member', PHONE);
    await m.goto(`${srv.base}/learning?q=tubs`);
    await check(m, '/learning');
    assert.match(await m.locator('main').innerText(), /Lessons from blameless reviews[\s\S]*Identical tubs invite mix-ups/);
    await m.context().close();
  });
});
