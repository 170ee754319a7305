// grow.test.mjs: the Grow journeys of issue 14 part A in headless Chromium,
// on a 360 px phone: the member recognises their manager for one of the
// organisation's values through the Grow menu; the manager sets up
// one-to-ones with the member and runs one: an agenda item (ticked when
// discussed), a private note (which the member then does not see) and an
// action (which the member finds in their actions). Every page is scanned
// with axe-core (WCAG 2 A and AA) and must not scroll sideways.
// Run: REMIT_BIN=$PWD/remit node --test tests/e2e/grow.test.mjs
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer, USERS, PASSWORD } from '../http/lib.mjs';
import { LAUNCH, openPage, axeFindings, navLink, loginAs, clickThrough } from './browser.mjs';

const PHONE = { width: 360, height: 740 };
const NOTE = 'Ask gently whether the early shifts are too much.';
let srv, browser;
const minor = [];
const mainText = (page) => page.locator('main').innerText();

async function scan(page, label) {
  const problems = [...await axeFindings(page, '360 px', minor)];
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  if (w > PHONE.width) problems.push(`  at 360 px the page scrolls sideways: scrollWidth ${w}`);
  if (page.csp.length) problems.push('  CSP violations: ' + page.csp.splice(0).join('; '));
  assert.equal(problems.length, 0, `${label} (${new URL(page.url()).pathname}):\n${problems.join('\n')}`);
}

const login = (page, email) => loginAs(page, srv.base, email, PASSWORD);

const click = clickThrough;

describe('grow: recognise a colleague and run a one-to-one on a phone', { timeout: 300000 }, () => {
  before(async () => {
    srv = await startServer();
    const owner = await srv.login(USERS.owner);
    assert.equal((await owner.patch('/api/v1/org', { values: ['Craft before speed', 'Waste nothing'] })).status, 200);
    browser = await chromium.launch(LAUNCH);
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
    if (minor.length) console.log(`# axe, moderate/minor:\n# ${[...new Set(minor)].join('\n# ')}`);
  });

  it('the member recognises the manager for a value, from the Grow menu', async () => {
    const page = await openPage(browser, { viewport: PHONE });
    await login(page, USERS.member);
    await click(page, await navLink(page, '/recognitions'));
    await scan(page, 'the recognition feed');
    await page.getByLabel('Who', { exact: true }).selectOption({ label: 'Max Manager' });
    await page.getByLabel('Waste nothing').check();
    await page.getByLabel('What they did').fill('Turned the leftover dough into **forty** rolls for the shelter.');
    await click(page, page.getByRole('button', { name: 'Recognise', exact: true }));
    assert.match(await mainText(page), /They have been told/);
    const card = page.locator('article.recognition').first();
    assert.match(await card.innerText(), /Max Manager/);
    assert.match(await card.innerText(), /Waste nothing/);
    assert.equal(await card.locator('strong').innerText(), 'forty', 'markdown rendered');
    await scan(page, 'the feed after recognising');
    await page.context().close();
    // the manager is told and may +1 nothing of their own
    const m = await srv.login(USERS.manager);
    const feed = (await m.get('/api/v1/recognitions')).json.items;
    assert.equal(feed.length, 1);
    assert.equal((await m.post(`/api/v1/recognitions/${feed[0].id}/plus-one`)).status, 403);
  });

  it('the manager runs a one-to-one: agenda item, private note, an action', async () => {
    const page = await openPage(browser, { viewport: PHONE });
    await login(page, USERS.manager);
    await click(page, await navLink(page, '/one-to-ones'));
    await scan(page, 'one-to-ones, before');
    await click(page, page.getByRole('button', { name: 'Set up one-to-ones' }));
    assert.match(await page.locator('h1').innerText(), /Mia Member/);
    await scan(page, 'a new one-to-one');
    await page.getByLabel('Add to the agenda').fill('How the early shift is going');
    await click(page, page.getByRole('button', { name: 'Add', exact: true }));
    assert.match(await page.locator('#agenda').innerText(), /How the early shift is going/);
    await click(page, page.locator('#agenda').getByRole('button', { name: 'Discussed' }));
    assert.equal(await page.locator('#agenda li.done').count(), 1, 'ticked as discussed');
    await page.getByLabel('New note').fill(NOTE);
    await click(page, page.getByRole('button', { name: 'Save the note' }));
    assert.match(await page.locator('#notes').innerText(), /early shifts are too much/);
    await page.getByLabel('New action').fill('Book the pastry course');
    await page.getByLabel('For', { exact: true }).selectOption({ label: 'Mia Member' });
    await click(page, page.getByRole('button', { name: 'Add the action' }));
    assert.match(await page.locator('#actions').innerText(), /Book the pastry course/);
    await scan(page, 'the one-to-one with an item, a note and an action');
    const url = page.url().replace(/\?.*$/, '');
    await page.context().close();
    // the member: the agenda and the action, never the manager's note
    const mp = await openPage(browser, { viewport: PHONE });
    await login(mp, USERS.member);
    await mp.goto(url);
    const text = await mainText(mp);
    assert.match(text, /How the early shift is going/);
    assert.doesNotMatch(text, /early shifts are too much/);
    await scan(mp, 'the member\'s view of the one-to-one');
    await mp.goto(srv.base + '/actions');
    assert.match(await mainText(mp), /Book the pastry course/);
    await mp.context().close();
  });
});
