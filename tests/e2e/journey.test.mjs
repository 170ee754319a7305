// journey.test.mjs: the owner's first day, in headless Chromium. Logs in,
// writes the purpose, adds a team and a person, imports people from a CSV
// file and logs out; checks that a wrong password keeps the e-mail and that
// pages fit a 360 px phone. Every page visited is scanned with axe-core
// (WCAG 2 A and AA): a "serious" or "critical" finding fails the step that
// visited the page, and so does anything the CSP blocked (inline style or
// script). The steps share one browser page and run in order.
// Run: REMIT_BIN=$PWD/remit node --test tests/e2e/
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { startServer, USERS, PASSWORD } from '../http/lib.mjs';
import { LAUNCH } from './browser.mjs';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };

let srv, browser, page;
const visited = new Set();     // paths scanned, to check them again on a phone
const minor = [];              // moderate/minor axe findings, printed at the end
const cspErrors = [];          // Content-Security-Policy violations the console reports

// scan: axe-core over the current page; fails on serious or critical
// findings and prints each with the offending elements.
async function scan(label) {
  const res = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const path = new URL(page.url()).pathname;
  visited.add(path);
  assert.deepEqual(cspErrors.splice(0), [], `CSP violations on ${label}`);
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of res.violations) if (!bad.includes(v)) minor.push(`${path}: [${v.impact}] ${v.id}: ${v.help}`);
  const text = bad.map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n` +
    v.nodes.slice(0, 5).map((n) => `      ${n.target.join(' ')}  ${n.failureSummary.replace(/\s+/g, ' ')}`).join('\n')).join('\n');
  assert.equal(bad.length, 0, `axe on ${label} (${page.url()}):\n${text}`);
}

// go: a GET navigation that must answer `status`, then the axe scan.
async function go(path, status = 200) {
  const resp = await page.goto(srv.base + path);
  assert.equal(resp.status(), status, `GET ${path}: ${resp.status()}: ${(await page.locator('main').innerText().catch(() => '')).slice(0, 300)}`);
  await scan(`GET ${path}`);
  return resp;
}

// submit: clicks the submit button of `form` (a locator), waits for the page
// the browser lands on (after redirects), checks its status, scans it.
async function submit(form, status = 200) {
  const [resp] = await Promise.all([page.waitForNavigation(), form.locator('button[type="submit"]').first().click()]);
  const where = new URL(page.url()).pathname;
  assert.equal(resp.status(), status, `submit landed on ${where} with ${resp.status()}: ${(await page.locator('main').innerText().catch(() => '')).slice(0, 300)}`);
  await scan(`form landing on ${where}`);
  return resp;
}

// formWith: the form in <main> that has a field named `name`.
const formWith = (name) => page.locator('main form').filter({ has: page.locator(`[name="${name}"]`) }).first();

// mainText: the visible text of <main>, for "I can see it" checks.
const mainText = () => page.locator('main').innerText();

describe('the owner\'s first day', () => {
  before(async () => {
    srv = await startServer();
    browser = await chromium.launch(LAUNCH);
    const ctx = await browser.newContext({ viewport: DESKTOP });
    page = await ctx.newPage();
    page.setDefaultTimeout(10000);
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text()); });
  });

  after(async () => {
    if (minor.length) console.log('axe, moderate and minor findings (not failing):\n  ' + [...new Set(minor)].join('\n  '));
    await browser?.close();
    await srv?.stop();
  });

  it('journey-1: a wrong password shows an error and keeps the e-mail', async () => {
    await go('/login');
    await page.getByLabel('E-mail').fill(USERS.owner);
    await page.getByLabel('Password').fill('not the password');
    await submit(formWith('password'), 401);
    assert.equal(new URL(page.url()).pathname, '/login');
    await assert.doesNotReject(page.locator('.error-summary[role="alert"]').getByText('Wrong e-mail or password.').waitFor());
    assert.equal(await page.getByLabel('E-mail').inputValue(), USERS.owner, 'the e-mail is kept');
    assert.equal(await page.getByLabel('Password').inputValue(), '', 'the password is not echoed');
  });

  it('journey-2: the owner logs in and lands on the start page', async () => {
    await go('/login');
    await page.getByLabel('E-mail').fill(USERS.owner);
    await page.getByLabel('Password').fill(PASSWORD);
    await submit(formWith('password'));
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal(await page.locator('h1').innerText(), 'Hello, Olive Owner');
    // log out sits in the person's menu, a <details> under their name
    const me = page.locator('header details.me > summary');
    assert.match(await me.innerText(), /Olive Owner/);
    assert.equal(await page.getByRole('button', { name: 'Log out' }).isVisible(), false);
    await me.click();
    assert.ok(await page.getByRole('button', { name: 'Log out' }).isVisible());
    await me.click();
  });

  it('journey-3: the start page fits a 360 px phone without sideways scrolling', async () => {
    await page.setViewportSize(PHONE);
    try {
      await go('/');
      const w = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(w <= PHONE.width, `scrollWidth ${w} > ${PHONE.width}`);
    } finally {
      await page.setViewportSize(DESKTOP);
    }
  });

  it('journey-4: the owner writes the purpose on /org/edit and reads it on /org', async () => {
    await go('/org/edit');
    const purpose = 'We fix bicycles **the same day**, so people keep riding.';
    await page.getByLabel('Purpose').fill(purpose);
    await page.getByLabel('Values').fill('Say what you see\nFix it once');
    await submit(formWith('purpose'));
    assert.equal(new URL(page.url()).pathname, '/org');
    assert.match(await page.locator('.flash[role="status"]').innerText(), /Saved/);
    const text = await mainText();
    assert.match(text, /We fix bicycles the same day, so people keep riding\./);
    assert.equal(await page.locator('main strong', { hasText: 'the same day' }).count(), 1, 'markdown is rendered');
    assert.match(text, /Fix it once/);
    await go('/');
    assert.match(await mainText(), /We fix bicycles/, 'the start page shows the purpose');
  });

  it('journey-5: the owner adds a team on /teams/new and sees it on /teams', async () => {
    await go('/teams/new');
    await submit(formWith('name'), 422); // no name: the form comes back with the error next to the field
    await assert.doesNotReject(page.locator('.error-summary[role="alert"]').waitFor());
    assert.equal(await page.getByLabel(/^Name/).getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('.field.has-error .error').count(), 1);
    await page.getByLabel(/^Name/).fill('Workshop');
    await submit(formWith('name'));
    assert.match(await mainText(), /Workshop/);
    await go('/teams');
    await assert.doesNotReject(page.locator('main').getByRole('link', { name: 'Workshop' }).first().waitFor());
  });

  it('journey-6: the owner adds a person into that team and sees them on /people', async () => {
    await go('/people/new');
    await page.getByLabel(/^Name/).fill('Pat Mechanic');
    await page.getByLabel(/^E-?mail/i).fill('pat@a.test');
    await page.getByLabel(/^Team/).selectOption({ label: 'Workshop' });
    const title = page.getByLabel(/^Title/);
    if (await title.count()) await title.fill('Mechanic');
    await submit(formWith('email'));
    assert.match(await mainText(), /Pat Mechanic/);
    await go('/people');
    const row = page.locator('main tr', { hasText: 'Pat Mechanic' });
    await assert.doesNotReject(row.first().waitFor(), 'Pat is in the directory');
    assert.match(await row.first().innerText(), /Workshop/, 'in the Workshop team');
  });

  it('journey-7: the owner imports three people with a new team from a CSV file', async () => {
    await go('/people/import');
    const file = page.locator('main input[type="file"]');
    const form = page.locator('main form').filter({ has: page.locator('input[type="file"]') }).first();
    // A file with a bad row imports nothing and lists the problem by line.
    await file.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('name,email,team,manager_email,title,access\nNo Mail,,Deliveries,,,member\n') });
    await submit(form, 422);
    assert.match(await page.locator('.error-summary').innerText(), /[Ll]ine 2/);
    const csv = 'name,email,team,manager_email,title,access\n' +
      'Quinn Rider,quinn@a.test,Deliveries,owner@a.test,Courier,member\n' +
      '"Rosa ""Ro"" Wheel",rosa@a.test,Deliveries,quinn@a.test,Courier,member\n' +
      'Sam Spoke,sam@a.test,Deliveries,,"Dispatcher, nights",manager\n';
    await file.setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await submit(form);
    assert.match(await mainText(), /\b3\b/, 'the result names how many were imported');
    await go('/people');
    const text = await mainText();
    for (const name of ['Quinn Rider', 'Rosa "Ro" Wheel', 'Sam Spoke']) assert.ok(text.includes(name), `${name} is in the directory`);
    assert.match(await page.locator('main tr', { hasText: 'Sam Spoke' }).first().innerText(), /Deliveries/);
    await go('/teams');
    assert.match(await mainText(), /Deliveries/, 'the new team exists');
  });

  it('journey-8: every page visited fits a 360 px phone', async () => {
    await page.setViewportSize(PHONE);
    const wide = [];
    try {
      for (const path of [...visited].filter((p) => p !== '/login')) {
        const resp = await page.goto(srv.base + path);
        if (resp.status() >= 500) continue; // reported by the step that visited it
        const w = await page.evaluate(() => document.documentElement.scrollWidth);
        if (w > PHONE.width) wide.push(`${path}: scrollWidth ${w}`);
        await scan(`GET ${path} on a phone`);
      }
    } finally {
      await page.setViewportSize(DESKTOP);
    }
    assert.deepEqual(wide, []);
  });

  it('journey-9: the owner logs out and lands on /login', async () => {
    await go('/');
    await page.locator('header details.me > summary').click(); // the person's menu holds log out
    await submit(page.locator('header form[action="/logout"]'));
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.ok(await page.getByLabel('E-mail').isVisible());
    const resp = await page.goto(srv.base + '/org');
    assert.equal(new URL(page.url()).pathname, '/login', `after logout /org answers ${resp.status()} at ${page.url()}`);
  });

  it('app-1: app.js asks before submitting a form[data-confirm]', async () => {
    await page.goto(srv.base + '/login');
    await page.evaluate(() => { // a form as a page would write it; the DOM, not inline script (the CSP forbids that)
      const f = document.createElement('form');
      f.method = 'get'; f.action = '/healthz'; f.dataset.confirm = 'Delete this team?';
      const b = document.createElement('button'); b.type = 'submit'; b.textContent = 'Delete'; b.id = 'confirm-me';
      f.append(b); document.querySelector('main').append(f);
    });
    const asked = [];
    const answer = (accept) => page.once('dialog', (d) => { asked.push(d.message()); accept ? d.accept() : d.dismiss(); });
    answer(false);
    await page.click('#confirm-me');
    await page.waitForTimeout(300);
    assert.equal(new URL(page.url()).pathname, '/login', 'cancelled: the form is not sent');
    answer(true);
    await Promise.all([page.waitForNavigation(), page.click('#confirm-me')]);
    assert.equal(new URL(page.url()).pathname, '/healthz', 'confirmed: the form is sent');
    assert.deepEqual(asked, ['Delete this team?', 'Delete this team?']);
  });
});
