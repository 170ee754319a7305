// evidence.test.mjs: issue 15's journey in headless Chromium: the owner
// sets up a pilot (Riverside against Old Town, watching CSAT, the start six
// months ago) on /programme, imports twelve months of CSAT for both cafés on
// the KPI's page, reads the comparison (Riverside rose by 6 points more than
// Old Town, beyond month-to-month variation) and prints the monthly report:
// with print media the navigation and the choosers are hidden, the table is
// not. Every page is scanned with axe-core (WCAG 2 A and AA).
// Run: REMIT_BIN=$PWD/build/san/remit node --test tests/e2e/evidence.test.mjs
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer, USERS, PASSWORD } from '../http/lib.mjs';
import { LAUNCH, openPage, axeFindings } from './browser.mjs';

const minor = [];
let srv, browser, page, csatId;

async function scan(label) {
  const problems = await axeFindings(page, 'desktop', minor);
  if (page.csp.length) problems.push('  CSP violations: ' + page.csp.splice(0).join('; '));
  assert.equal(problems.length, 0, `${label} (${new URL(page.url()).pathname}):\n${problems.join('\n')}`);
}

async function submit(button, label) {
  const [resp] = await Promise.all([page.waitForNavigation(), button.click()]);
  assert.ok(resp.status() < 400, `${label}: ${resp.status()} ${(await page.locator('main').innerText()).slice(0, 300)}`);
  await scan(label);
}

// month(k): YYYY-MM, k months before the current one
function month(k) {
  const d = new Date();
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - k, 1));
  return t.toISOString().slice(0, 7);
}

before(async () => {
  srv = await startServer();
  const api = srv.bearer(USERS.owner);
  for (const name of ['Riverside', 'Old Town']) assert.equal((await api.post('/api/v1/teams', { name })).status, 201);
  csatId = (await api.get('/api/v1/kpis')).json.items.find((k) => k.slug === 'csat').id;
  browser = await chromium.launch(LAUNCH);
  page = await openPage(browser, { viewport: { width: 1280, height: 900 } });
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  if (minor.length) console.log('moderate/minor axe findings:\n' + [...new Set(minor)].join('\n'));
});

describe('evidence: a pilot against a comparison', () => {
  it('the owner sets up the pilot', async () => {
    await page.goto(srv.base + '/login');
    await page.getByLabel('E-mail').fill(USERS.owner);
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForNavigation(), page.locator('main form button[type="submit"]').first().click()]);
    await page.goto(srv.base + '/programme');
    await scan('the programme');
    const setup = page.locator('#setup');
    await setup.getByLabel('Phase').selectOption('pilot');
    await setup.getByLabel('Pilot start').fill(`${month(6)}-01`);
    await setup.getByLabel('What changes for the pilot teams (rights delegated, training)').fill('Shift leads decide refunds up to 50.');
    await setup.locator('fieldset', { hasText: 'Pilot teams' }).getByLabel('Riverside').check();
    await setup.locator('fieldset', { hasText: 'Comparison teams' }).getByLabel('Old Town').check();
    await setup.locator('fieldset', { hasText: 'KPIs to watch' }).getByLabel('Customer satisfaction (CSAT)').check();
    await submit(setup.getByRole('button', { name: 'Save the programme' }), 'saving the programme');
    const text = await page.locator('main').innerText();
    assert.match(text, /Current phase: pilot/);
    assert.match(text, /Pilot teams\s+Riverside/);
    // a checklist action for the pilot phase
    await page.locator('#pilot').getByLabel('Add an action').fill('Monthly review with the shift leads');
    await submit(page.locator('#pilot').getByRole('button', { name: 'Add' }), 'adding an action');
    assert.match(await page.locator('#pilot').innerText(), /Monthly review with the shift leads/);
  });

  it('imports twelve months of CSAT for both cafés', async () => {
    await page.goto(`${srv.base}/kpis/${csatId}`);
    await scan('the CSAT page');
    const rows = ['month,team,value'];
    for (let k = 12; k >= 1; k--) {
      const after = k <= 6; // the pilot started six months ago
      const wobble = [0.4, -0.3, 0.1, -0.5, 0.2, 0][k % 6];
      rows.push(`${month(k)},Riverside,${(80 + wobble + (after ? 6 : 0)).toFixed(1)}`);
      rows.push(`${month(k)},Old Town,${(81 - wobble).toFixed(1)}`);
    }
    // a bad line first: nothing is imported and the line is named
    await page.getByLabel('CSV').fill(rows.join('\n') + '\n2025-13,Riverside,70\n');
    const [bad] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Import' }).click()]);
    assert.equal(bad.status(), 422);
    assert.match(await page.locator('.error-summary').innerText(), /line 26: month is not a month/);
    await page.getByLabel('CSV').fill(rows.join('\n') + '\n');
    await submit(page.getByRole('button', { name: 'Import' }), 'importing CSAT');
    assert.match(await page.locator('main').innerText(), /Saved/);
    assert.equal(await page.locator('svg.kpi-chart polyline').count(), 1);
  });

  it('reads the comparison', async () => {
    await page.goto(srv.base + '/programme/comparison');
    await scan('the comparison');
    const card = page.locator('section.comparison').first();
    assert.equal(await card.getAttribute('data-conclusion'), 'better');
    const text = await card.innerText();
    // by hand: the monthly gap is Riverside - Old Town = 2 x wobble - 1 before, 2 x wobble + 5 after: the wobbles cancel, 6 points
    assert.match(text, /Difference-in-differences: 6\.00/);
    assert.match(text, /moved in the good direction/);
    assert.match(await page.locator('main').innerText(), /bootstrap over months/);
  });

  it('prints the monthly report without the navigation', async () => {
    await page.goto(`${srv.base}/kpis/report?month=${month(1)}`);
    await scan('the monthly report');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header.top nav').isVisible(), false, 'the navigation is hidden in print');
    assert.equal(await page.locator('form.no-print').isVisible(), false, 'the choosers are hidden in print');
    assert.equal(await page.locator('table.report-table').isVisible(), true);
    assert.match(await page.locator('table.report-table').innerText(), /Customer satisfaction \(CSAT\)/);
    // printing needs no script: the page is the same with JavaScript off
    const off = await browser.newContext({ javaScriptEnabled: false });
    const p2 = await off.newPage();
    await p2.context().addCookies(await page.context().cookies());
    await p2.goto(`${srv.base}/kpis/report?month=${month(1)}`);
    await p2.emulateMedia({ media: 'print' });
    assert.equal(await p2.locator('header.top nav').isVisible(), false);
    assert.equal(await p2.locator('table.report-table tbody tr').count(), await page.locator('table.report-table tbody tr').count());
    await off.close();
    await page.emulateMedia({ media: 'screen' });
    assert.equal(await page.locator('header.top nav').isVisible(), true);
    const csv = await page.request.get(`${srv.base}/kpis/report?month=${month(1)}&format=csv`);
    assert.match(csv.headers()['content-type'], /text\/csv/);
    assert.match(await csv.text(), /^kpi,unit,direction,month,value,previous_month,year_before,target\r\n/);
  });
});
