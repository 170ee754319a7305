// invite.test.mjs: the invitation journey of issue 11 on a 360x740 phone,
// in headless Chromium, with a real SMTP server (npm smtp-server) on
// 127.0.0.1: the admin imports three people from pasted CSV with "send
// invitations" ticked; each gets an e-mail; one of them, Ivy, opens the
// link from her e-mail, chooses a password, logs in, and finds on her home
// page the action the admin gave her, then marks it done on /actions.
// Every page visited is scanned with axe-core (WCAG 2 A and AA) at 360 px
// and must not scroll sideways; a serious or critical finding, a sideways
// scroll or a CSP violation fails the step.
// Run: REMIT_BIN=$PWD/remit node --test tests/e2e/invite.test.mjs
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { startServer, USERS, PASSWORD } from '../http/lib.mjs';
import { LAUNCH, openPage, axeFindings } from './browser.mjs';

const PHONE = { width: 360, height: 740 };
const minor = [];
const mails = [];
let srv, browser, smtp;

async function scan(page, label) {
  const problems = await axeFindings(page, '360 px', minor);
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  if (w > PHONE.width) problems.push(`  at 360 px the page scrolls sideways: scrollWidth ${w}`);
  if (page.csp.length) problems.push('  CSP violations: ' + page.csp.splice(0).join('; '));
  assert.equal(problems.length, 0, `${label} (${new URL(page.url()).pathname}):\n${problems.join('\n')}`);
}

async function submit(page, button, label) {
  const [resp] = await Promise.all([page.waitForNavigation(), button.click()]);
  assert.ok(resp.status() < 400, `${label}: ${resp.status()} ${(await page.locator('main').innerText()).slice(0, 300)}`);
  await scan(page, label);
}

async function waitFor(fn, what, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

before(async () => {
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onData(stream, session, cb) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', async () => { const m = await simpleParser(Buffer.concat(chunks)); m.rcpt = session.envelope.rcptTo.map((x) => x.address); mails.push(m); cb(); });
    },
  });
  await new Promise((r) => smtp.listen(0, '127.0.0.1', r));
  process.env.REMIT_OUTBOX_BACKOFF_MS = '200';
  srv = await startServer({ args: ['--smtp', `smtp://127.0.0.1:${smtp.server.address().port}`, '--smtp-from', 'remit@a.test'] });
  browser = await chromium.launch(LAUNCH);
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  if (smtp) await new Promise((r) => smtp.close(r));
  if (minor.length) console.log('moderate/minor axe findings:\n' + [...new Set(minor)].join('\n'));
});

describe('invitations on a phone', () => {
  it('the admin imports three people with invitations', async () => {
    const page = await openPage(browser, { viewport: PHONE });
    await page.goto(srv.base + '/login');
    await page.getByLabel('E-mail').fill(USERS.admin);
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForNavigation(), page.locator('main form button[type="submit"]').first().click()]);
    await page.goto(srv.base + '/people/import');
    await scan(page, 'the import form');
    await page.getByLabel('Or paste the CSV text').fill('name,email,team,manager_email,title,access\n' +
      'Ivy Invited,ivy@a.test,Counter,,Barista,\nJon Joined,jon@a.test,Counter,,Baker,\nKim Kept,kim@a.test,,,,\n');
    await page.getByLabel(/Send invitations/).check();
    await submit(page, page.locator('main form button[type="submit"]'), 'the import');
    assert.match(new URL(page.url()).search, /imported=3/);
    for (const e of ['ivy@a.test', 'jon@a.test', 'kim@a.test']) await waitFor(() => mails.find((m) => m.rcpt.includes(e)), `the invitation to ${e}`);
    // the admin gives Ivy her first action (through the API)
    const api = srv.bearer(USERS.admin);
    const ivy = (await api.get('/api/v1/people?q=ivy%40a.test')).json.items[0];
    const a = await api.post('/api/v1/actions', { title: 'Learn the till before Saturday', owner_id: ivy.id, due_on: '2099-01-10', source: null });
    assert.equal(a.status, 201, a.text);
    await page.close();
  });

  it('Ivy opens the e-mailed link, chooses her password, logs in and finds her action at home', async () => {
    const mail = mails.find((m) => m.rcpt.includes('ivy@a.test'));
    const link = mail.text.match(/https?:\/\/\S+\/password\/set\?token=[A-Za-z0-9_-]{43}/)[0];
    const page = await openPage(browser, { viewport: PHONE });
    const resp = await page.goto(link);
    assert.equal(resp.status(), 200);
    await scan(page, 'the welcome page');
    assert.match(await page.locator('h1').innerText(), /Welcome to Org A, Ivy Invited/);
    await page.getByLabel(/New password/).fill('ivy chooses a long one');
    await submit(page, page.locator('main form button[type="submit"]'), 'setting the password');
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.match(await page.locator('main').innerText(), /Your password is set/);
    await page.getByLabel('E-mail').fill('ivy@a.test');
    await page.getByLabel('Password').fill('ivy chooses a long one');
    await submit(page, page.locator('main form button[type="submit"]').first(), 'logging in');
    assert.equal(new URL(page.url()).pathname, '/');
    const home = await page.locator('main').innerText();
    assert.match(home, /Your actions/);
    assert.match(home, /Learn the till before Saturday/);
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'All your actions' }).click()]);
    await scan(page, 'My actions');
    await submit(page, page.getByRole('button', { name: 'Done' }).first(), 'marking it done');
    assert.match(await page.locator('main').innerText(), /Saved/);
    // the link was single use
    const again = await page.goto(link);
    assert.equal(again.status(), 404);
    await page.close();
  });
});
