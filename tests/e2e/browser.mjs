import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';

// browser.mjs: how the browser tests launch Chromium: Debian's build
// (/usr/bin/chromium, or $CHROMIUM), headless, with nothing that reaches the
// network on its own. Never a downloaded browser.
export const LAUNCH = {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
};

// openPage: a fresh browser context (its own cookies) and page; console
// messages about the Content-Security-Policy are collected on page.csp.
export async function openPage(browser, opts = {}) {
  const ctx = await browser.newContext(opts);
  const page = await ctx.newPage();
  page.setDefaultTimeout(10000);
  page.csp = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) page.csp.push(m.text()); });
  return page;
}

// axeFindings: the serious/critical WCAG 2 A/AA findings on the page now,
// as text lines; moderate and minor ones are pushed onto `minor`.
export async function axeFindings(page, label, minor) {
  const res = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const path = new URL(page.url()).pathname;
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of res.violations) if (!bad.includes(v)) minor.push(`${path} (${label}): [${v.impact}] ${v.id}: ${v.help}`);
  return bad.map((v) => `  [${v.impact}] ${v.id}: ${v.help} (${label})\n` +
    v.nodes.slice(0, 5).map((n) => `      ${n.target.join(' ')}  ${n.failureSummary.replace(/\s+/g, ' ')}`).join('\n'));
}

// navLink: the header's link to href, made visible first: the links sit in
// <details> groups (dropdowns on a desktop, inside "Menu" on a phone), so
// this opens the menu and the link's group when they are closed.
export async function navLink(page, href) {
  const link = page.locator(`header nav a[href="${href}"]`);
  if (await link.isVisible()) return link;
  const menu = page.locator('header details.menu');
  if (await menu.locator('> summary').isVisible() && !(await menu.evaluate((d) => d.open))) await menu.locator('> summary').click();
  const group = page.locator("header details.group").filter({ has: page.locator(`a[href="${href}"]`) });
  if (!(await group.evaluate((d) => d.open))) await group.locator('> summary').click();
  return link;
}

// loginAs: logs email in through the login form (no JavaScript needed) and
// asserts it landed on the home page.
export async function loginAs(page, base, email, password) {
  await page.goto(base + '/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForNavigation(), page.locator('main form button[type="submit"]').first().click()]);
  assert.equal(new URL(page.url()).pathname, '/', `${email} is logged in`);
}

// clickThrough: clicks locator, waits for the page it leads to and asserts
// its status (the page main text in the message when it is not).
export async function clickThrough(page, locator, status = 200) {
  const [resp] = await Promise.all([page.waitForNavigation(), locator.click()]);
  const text = await page.locator('main').innerText().catch(() => '');
  assert.equal(resp.status(), status, `landed on ${page.url()} with ${resp.status()}: ${text.slice(0, 300)}`);
  return resp;
}
