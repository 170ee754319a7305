// shell.test.mjs: the shell of issue 10 on a 360 px phone with JavaScript
// OFF, on the demo organisation. The member (Lea) logs in through the form
// and sees what needs her on the home page, each item with a count and a
// link; the header is one row (measured); she opens the menu, a group and a
// link in it without any script, lands on the decision log, and finds what
// she may decide on her home page and on her person page (through her own
// menu). Every page visited is also opened at 360 px in a JavaScript-enabled
// context with the same session and scanned with axe-core (WCAG 2 A/AA;
// axe runs in the page, so not in the script-less one): a serious or
// critical finding, or a page wider than the phone, fails. Then she
// switches to German on her own page and finds the same things in German
// (the words expected are read from po/de.po, so the test follows the
// catalogue).
// Run: REMIT_BIN=$PWD/remit node --test tests/e2e/shell.test.mjs
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, remit, PASSWORD } from '../http/lib.mjs';
import { LAUNCH, openPage, axeFindings } from './browser.mjs';

const PHONE = { width: 360, height: 740 };

// german: the msgstr of a msgid in po/de.po (single-line entries), or fail.
function german(msgid) {
  const po = readFileSync(new URL('../../po/de.po', import.meta.url), 'utf8');
  const esc = msgid.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = po.match(new RegExp(`\nmsgid "${esc}"\nmsgstr "([^"\n]+)"`));
  assert.ok(m, `po/de.po translates "${msgid}"`);
  return m[1];
}
let srv, browser, page, scanner, dir;
const minor = [];

// check: the page now, opened again in the scripted context with the same
// session: axe-clean, and no wider than the phone.
async function check(label) {
  const url = page.url();
  await scanner.goto(url);
  const problems = await axeFindings(scanner, label, minor);
  const w = await scanner.evaluate(() => document.documentElement.scrollWidth);
  if (w > PHONE.width) problems.push(`  at 360 px the page scrolls sideways: scrollWidth ${w}`);
  assert.equal(problems.length, 0, `${label} (${new URL(url).pathname}):\n${problems.join('\n')}`);
}

// click: follows a link (a locator) and waits for the page it leads to.
async function click(target) {
  const [resp] = await Promise.all([page.waitForNavigation(), target.click()]);
  assert.equal(resp.status(), 200, `landed on ${page.url()} with ${resp.status()}`);
}

describe('the shell on a phone without JavaScript', { timeout: 180000 }, () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'remit-shell-'));
    const db = join(dir, 'demo.db');
    const r = remit(['demo', '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    srv = await startServer({ db });
    browser = await chromium.launch(LAUNCH);
    page = await openPage(browser, { viewport: PHONE, javaScriptEnabled: false });
  });
  after(async () => {
    if (minor.length) console.log('axe, moderate and minor findings (not failing):\n  ' + [...new Set(minor)].join('\n  '));
    await browser?.close();
    await srv?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shell-1: the member logs in and sees what needs her now, with counts and links', async () => {
    await page.goto(srv.base + '/login');
    await page.getByLabel('E-mail').fill('member@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await click(page.locator('main form button[type="submit"]').first());
    assert.equal(new URL(page.url()).pathname, '/');
    // the scripted twin shares the session, for axe
    scanner = await openPage(browser, { viewport: PHONE, storageState: await page.context().storageState() });
    const needs = page.getByRole('region', { name: 'What needs you now' });
    await needs.waitFor();
    const items = needs.getByRole('listitem');
    assert.ok(await items.count() >= 1, 'something waits for Lea in the demo');
    const first = items.first().getByRole('link');
    assert.match(await first.innerText(), /^\d+ \S/, 'each item says how many');
    assert.match(await first.getAttribute('href'), /^\/inbox#/);
    await check('home');
  });

  it('shell-2: the header is one row on a 360 px phone', async () => {
    const box = async (sel) => page.locator(sel).first().boundingBox();
    const header = await box('header.top');
    const parts = { brand: await box('header.top .brand'), menu: await box('header.top .menu > summary'), inbox: await box('header.top a.inbox'), me: await box('header.top .me > summary') };
    for (const [k, b] of Object.entries(parts)) {
      assert.ok(b, `${k} is shown`);
      assert.ok(b.x >= 0 && b.x + b.width <= PHONE.width + 0.5, `${k} fits in the width: ${JSON.stringify(b)}`);
      assert.ok(Math.abs(b.y + b.height / 2 - (header.y + header.height / 2)) < 6, `${k} is on the header's one row: ${JSON.stringify(b)} in ${JSON.stringify(header)}`);
    }
    assert.ok(header.height < 64, `the header is one row high: ${header.height} px`);
    // the groups are hidden until the menu opens
    assert.equal(await page.getByRole('link', { name: 'Decisions', exact: true }).isVisible(), false);
  });

  it('shell-3: she opens the menu and a group without JavaScript, and navigates through it', async () => {
    await page.locator('header .menu > summary').click();
    const decide = page.locator('header .group > summary', { hasText: 'Decide' });
    assert.ok(await decide.isVisible(), 'the menu opened: its groups show');
    assert.deepEqual(await page.locator('header .group > summary').allInnerTexts(), ['Purpose', 'Decide', 'Speak up', 'Grow'], 'no Evidence for a member; Grow holds recognition, feedback, one-to-ones, 360s, skills and training');
    // keyboard: the group opens with Enter on its summary
    await decide.focus();
    await page.keyboard.press('Enter');
    const link = page.getByRole('link', { name: 'Decisions', exact: true });
    assert.ok(await link.isVisible(), 'the group opened: its links show');
    await click(link);
    assert.equal(new URL(page.url()).pathname, '/decisions');
    assert.equal(await page.locator('header a[aria-current="page"]').getAttribute('href'), '/decisions');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Decisions');
    await check('the decision log');
    // the menu closed with the new page; Purpose > People works the same
    await page.locator('header .menu > summary').click();
    await page.locator('header .group > summary', { hasText: 'Purpose' }).click();
    await click(page.getByRole('link', { name: 'People', exact: true }));
    assert.equal(new URL(page.url()).pathname, '/people');
    await check('people');
  });

  it('shell-4: she finds what she may decide on her home page and on her own person page', async () => {
    await click(page.locator('header a.brand'));
    const home = page.getByRole('region', { name: 'What you may decide' });
    assert.match(await home.innerText(), /refunds[\s\S]*7 · delegate[\s\S]*50\.00/, 'her refund right with its level and limit');
    assert.match(await home.innerText(), /Customer Care Agent/, 'and the role it comes through');
    await page.locator('header .me > summary').click();
    await click(page.getByRole('link', { name: 'Your page' }));
    assert.match(new URL(page.url()).pathname, /^\/people\/\d+$/);
    const mine = page.getByRole('region', { name: 'What you may decide' });
    assert.match(await mine.innerText(), /refunds[\s\S]*7 · delegate/);
    await check('her person page');
    // and on a colleague's page, by name
    await page.goto(srv.base + '/people');
    await click(page.locator('main a[href^="/people/"]', { hasText: 'Tomás Novak' }).first());
    assert.ok(await page.getByRole('region', { name: 'What Tomás Novak may decide' }).isVisible());
    await check('a colleague\'s page');
  });

  it('shell-5: she switches to German, and what needs her and what she may decide speak German', async () => {
    await page.locator('header .me > summary').click();
    await click(page.getByRole('link', { name: 'Your account' }));
    await click(page.getByRole('link', { name: 'Your name, title and language' }));
    await page.getByLabel('Language').selectOption('de');
    await click(page.locator('main form button[type="submit"]').first());
    await click(page.locator('header a.brand'));
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
    const needs = page.getByRole('region', { name: german('What needs you now') });
    assert.ok(await needs.isVisible(), 'the home page greets her in German');
    assert.ok(await needs.getByRole('listitem').count() >= 1);
    const may = page.getByRole('region', { name: german('What you may decide') });
    assert.match(await may.innerText(), /refunds[\s\S]*50,00/, 'her limit written the German way');
    // the menu, without JavaScript, in German
    await page.locator('header .menu > summary').click();
    assert.ok(await page.locator('header .group > summary', { hasText: german('Decide') }).isVisible());
    await check('home in German');
  });
});
