// ideas.test.mjs: the challenges-and-ideas journey of issue 4, in headless
// Chromium. Set up through the API: the admin publishes an open
// organisation challenge; the owner, the admin and the manager each share
// an idea (the owner's is close to what the member will type). Then in the
// browser: the member opens the challenge from /challenges, sees the
// similar idea appear while typing a title, and shares an idea; the owner
// votes for it on the challenge page without a page load, and the manager
// votes with JavaScript off through the plain form; the manager has no way
// to move an idea of an organisation challenge, the admin moves it to
// "accepted" with a reason; the member sees the count in the navigation,
// the notification in the inbox and the stage on /ideas/mine; compares two
// ideas on the "Which is better?" screen on a 360x740 phone; and shares an
// idea anonymously, whose private follow link is shown once and opens,
// without a login, the idea with its stage history and comments. The admin
// also opens /insights/ideas. Every page visited is scanned with axe-core
// (WCAG 2 A and AA), on a desktop (the phone screen at 360 px), and
// checked at 360 px, where it must not scroll sideways nor let text spill
// out of its box; a "serious" or "critical" finding, a sideways scroll, a
// spill or a CSP violation fails the step that visited the page. Steps
// share one browser (a context per person) and run in order.
// REMIT_SHOTS=DIR also saves a screenshot of every page seen.
// Run: REMIT_BIN=$PWD/remit node --test tests/e2e/ideas.test.mjs
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

const CHALLENGE = 'How could we cut food waste by 20% this quarter?';
const SIMILAR = 'Compost the coffee grounds from the kitchen';
const MINE = 'Donate unsold coffee grounds to the community garden';
const ANON = 'Smaller plates at the staff canteen';
const OTHERS = ['Freeze the day-old bread for croutons', 'Weigh the waste bins every evening'];

let srv, browser;
const clients = {};    // person -> API client (lib.mjs Client)
const pages = {};      // person -> the Playwright page of their own browser context
const minor = [];      // moderate/minor axe findings, printed at the end
const ids = {};        // person -> person id; also challenge, idea, anon
let shot = 0;

// ---------- helpers ----------

// open: a fresh page in its own context (see browser.mjs).
const open = (opts = {}) => openPage(browser, { viewport: DESKTOP, ...opts });

// axe: serious/critical findings now; the others go to `minor`.
const axe = (page, label) => axeFindings(page, label, minor);

// scan: the page as it is now (a page that answered a POST is checked
// too): axe once, on a desktop (or at 360 px when the page is already
// there; REMIT_AXE_PHONE=1 runs it at 360 px as well, which doubles the
// time), then resized in place to 360 px, where it must not scroll
// sideways nor let text spill out of its box; no CSP violation. The
// viewport is restored. Fails with all of it.
async function scan(page, label) {
  const problems = [];
  const where = new URL(page.url());
  const name = (where.pathname + where.search).replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'home';
  const was = page.viewportSize();
  const phoneOnly = was.width <= PHONE.width;
  const n = String(++shot).padStart(2, '0');
  if (!phoneOnly) {
    if (SHOTS) await page.screenshot({ path: join(SHOTS, `ideas-${n}-${name}-desktop.png`), fullPage: true });
    problems.push(...await axe(page, 'desktop'));
    await page.setViewportSize(PHONE);
  }
  try {
    await page.evaluate(() => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res))));
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    if (w > PHONE.width) {
      const wide = await page.evaluate((max) => [...document.querySelectorAll('main *, header *')]
        .filter((e) => e.getBoundingClientRect().right > max + 0.5)
        .slice(0, 5).map((e) => `<${e.tagName.toLowerCase()}${typeof e.className === 'string' && e.className ? ` class="${e.className}"` : ''}> right=${Math.round(e.getBoundingClientRect().right)}`), PHONE.width);
      problems.push(`  at 360 px the page scrolls sideways: scrollWidth ${w}; too wide: ${wide.join(', ')}`);
    }
    // text that spills out of its own box (a tile, a card) without making
    // the page wider: the innermost boxes whose content is wider than they are
    const spill = await page.evaluate(() => {
      const over = [...document.querySelectorAll('main *')].filter((e) => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 &&
        getComputedStyle(e).overflowX === 'visible' && !/^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(e.tagName));
      return over.filter((e) => !over.some((o) => o !== e && e.contains(o))).slice(0, 5)
        .map((e) => `<${e.tagName.toLowerCase()}${e.className ? ` class="${e.className}"` : ''}> "${e.innerText.replace(/\s+/g, ' ').slice(0, 40)}" ${e.scrollWidth} px in ${e.clientWidth} px`);
    });
    if (spill.length) problems.push(`  at 360 px content spills out of its box: ${spill.join(', ')}`);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, `ideas-${n}-${name}-phone.png`), fullPage: true });
    if (phoneOnly || process.env.REMIT_AXE_PHONE) problems.push(...await axe(page, '360 px'));
  } finally {
    if (was.width !== PHONE.width || was.height !== PHONE.height) await page.setViewportSize(was);
  }
  if (page.csp.length) problems.push('  CSP violations: ' + page.csp.splice(0).join('; '));
  assert.equal(problems.length, 0, `${label} (${where.pathname}${where.search}):\n${problems.join('\n')}`);
}

const mainText = (page) => page.locator('main').innerText();

// go: a GET navigation that must answer `status`, then the scan.
async function go(page, path, status = 200) {
  const resp = await page.goto(srv.base + path);
  assert.equal(resp.status(), status, `GET ${path}: ${resp.status()}: ${(await mainText(page).catch(() => '')).slice(0, 300)}`);
  await scan(page, `GET ${path}`);
  return resp;
}

// follow: clicks a link or submit button (a locator), waits for the page
// the browser lands on (after redirects), checks its status, scans it
// (not with JavaScript off: axe runs in the page).
async function follow(page, target, status = 200, noScan = false) {
  const [resp] = await Promise.all([page.waitForNavigation(), target.click()]);
  const where = new URL(page.url()).pathname;
  assert.equal(resp.status(), status, `landed on ${where} with ${resp.status()}: ${(await mainText(page).catch(() => '')).slice(0, 300)}`);
  if (!noScan) await scan(page, `landing on ${where}`);
  return resp;
}

// login: the login form in a fresh context (opts: viewport, javaScriptEnabled).
async function login(who, opts = {}) {
  const page = await open(opts);
  await page.goto(srv.base + '/login');
  await page.getByLabel('E-mail').fill(USERS[who]);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.locator('main form button[type="submit"]').first().click()]);
  assert.equal(new URL(page.url()).pathname, '/', `${who} is logged in`);
  return page;
}

// as: the page of a person, logged in through the login form on first use.
async function as(who) {
  if (!pages[who]) pages[who] = await login(who);
  return pages[who];
}

// api: a 2xx answer or a failure with the body.
async function api(promise, what) {
  const r = await promise;
  assert.ok(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

// ideaItem: the idea's entry in the list on the challenge page.
const ideaItem = (page, title) => page.locator('main li.idea').filter({ has: page.locator('a', { hasText: title }) });

// ---------- the journey ----------

describe('challenges and ideas', { timeout: 300000 }, () => {
  before(async () => {
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    srv = await startServer();
    for (const who of ['owner', 'admin', 'manager', 'member']) {
      clients[who] = await srv.login(USERS[who]);
      ids[who] = (await clients[who].get('/api/v1/session')).json.person.id;
    }
    const closes = new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10);
    const c = await api(clients.admin.post('/api/v1/challenges', {
      title: CHALLENGE, body: 'We throw away **too much**. Small, practical ideas welcome.', scope: 'org', phase: 'open', closes_on: closes,
    }), 'the admin publishes the challenge');
    ids.challenge = c.id;
    assert.equal(c.phase, 'open');
    const share = (who, title) => api(clients[who].post(`/api/v1/challenges/${c.id}/ideas`, { title, body: `${title}: details.`, anonymous: false }), `${who} shares "${title}"`);
    ids.similar = (await share('owner', SIMILAR)).id;
    await share('admin', OTHERS[0]);
    await share('manager', OTHERS[1]);
    browser = await chromium.launch(LAUNCH);
  });

  after(async () => {
    if (minor.length) console.log('axe, moderate and minor findings (not failing):\n  ' + [...new Set(minor)].join('\n  '));
    await browser?.close();
    await srv?.stop();
  });

  it('ideas-1: the member finds the challenge, sees a similar idea while typing, and shares an idea', { timeout: 120000 }, async () => {
    const page = await as('member');
    await follow(page, await navLink(page, '/challenges'));
    assert.equal(new URL(page.url()).pathname, '/challenges');
    const row = page.locator('main tr').filter({ hasText: CHALLENGE });
    assert.match(await row.innerText(), /open/);
    assert.match(await row.innerText(), /closes in 3\d days|closes in 29 days/);
    await follow(page, row.getByRole('link', { name: CHALLENGE }));
    assert.equal(new URL(page.url()).pathname, `/challenges/${ids.challenge}`);
    assert.equal(await page.locator('main h1').innerText(), CHALLENGE);
    assert.equal(await ideaItem(page, SIMILAR).count(), 1, 'the owner\'s idea is listed');

    const form = page.locator('main section.idea-submit form');
    const title = form.getByLabel('Title', { exact: true });
    const hint = page.locator('#f-title-similar');
    assert.equal(await hint.getAttribute('aria-live'), 'polite', 'screen readers hear the hint');
    const asked = page.waitForResponse((r) => r.url().includes(`/api/v1/challenges/${ids.challenge}/similar?q=`) && /grounds/.test(decodeURIComponent(r.url())));
    await title.pressSequentially(MINE, { delay: 15 });
    assert.equal((await asked).status(), 200, 'app.js asked for similar ideas');
    const similar = hint.getByRole('link', { name: SIMILAR });
    await assert.doesNotReject(similar.waitFor(), 'the similar idea appears under the title');
    assert.equal(await similar.getAttribute('href'), `/ideas/${ids.similar}`);
    assert.match(await hint.innerText(), /Similar ideas already shared/);
    assert.equal(await hint.locator('li a').first().innerText(), SIMILAR, 'the closest match comes first');
    await scan(page, 'the challenge page with the similar-ideas hint');
    await form.getByLabel('Describe it').fill('The **garden** on Elm Street takes them for compost; a bin by the machine is enough.');
    await follow(page, form.getByRole('button', { name: 'Share the idea' }));
    const m = new URL(page.url()).pathname.match(/^\/ideas\/(\d+)$/);
    assert.ok(m, `landed on the idea's page: ${page.url()}`);
    ids.idea = Number(m[1]);
    assert.match(await page.locator('main .flash[role="status"]').innerText(), /Your idea is shared/);
    assert.equal(await page.locator('main h1').innerText(), MINE);
    assert.match(await page.locator('main .title-row .badge').innerText(), /^new$/);
    assert.equal(await page.locator('main .idea-body strong').innerText(), 'garden', 'the body is rendered markdown');
    assert.match(await mainText(page), /This is your idea; others vote for it/);
    assert.equal(await page.locator('main form[data-vote]').count(), 0, 'no vote button on one\'s own idea');
  });

  it('ideas-2: the owner votes on the challenge page without a reload; with JavaScript off the manager votes by the form', { timeout: 120000 }, async () => {
    const page = await as('owner');
    await go(page, `/challenges/${ids.challenge}`);
    const item = ideaItem(page, MINE);
    const count = item.locator('[data-votes]');
    assert.equal(await count.innerText(), '0');
    assert.equal(await item.locator('[data-votes-label]').innerText(), 'votes');
    let loads = 0;
    const onNav = (f) => { if (f === page.mainFrame()) loads++; };
    page.on('framenavigated', onNav);
    await page.evaluate(() => { window.remitStayed = true; });
    const before = page.url();
    const put = page.waitForResponse((r) => r.url().endsWith(`/api/v1/ideas/${ids.idea}/vote`) && r.request().method() === 'PUT');
    await item.getByRole('button', { name: 'Vote' }).click();
    assert.equal((await put).status(), 200, 'app.js sent the vote to the API');
    await assert.doesNotReject(count.filter({ hasText: /^1$/ }).waitFor(), 'the count went up to 1');
    assert.equal(await item.locator('[data-votes-label]').innerText(), 'vote');
    await assert.doesNotReject(item.getByRole('button', { name: 'Take back vote' }).waitFor(), 'the button offers to take it back');
    assert.equal(await item.locator('form[data-vote]').getAttribute('data-voted'), '1');
    page.off('framenavigated', onNav);
    assert.equal(loads, 0, 'no page load happened');
    assert.equal(await page.evaluate(() => window.remitStayed), true, 'still the same document');
    assert.equal(page.url(), before);
    await scan(page, 'the challenge page after voting');
    const api1 = await api(clients.owner.get(`/api/v1/ideas/${ids.idea}`), 'the idea');
    assert.equal(api1.votes, 1, 'the vote is stored');

    // the manager, with JavaScript off: the plain form, back to the list
    const plain = await login('manager', { javaScriptEnabled: false });
    try {
      await plain.goto(srv.base + `/challenges/${ids.challenge}`);
      const it2 = ideaItem(plain, MINE);
      assert.equal(await it2.locator('[data-votes]').innerText(), '1');
      await follow(plain, it2.getByRole('button', { name: 'Vote' }), 200, true);
      const url = new URL(plain.url());
      assert.equal(url.pathname, `/challenges/${ids.challenge}`, 'back on the challenge page');
      assert.equal(url.hash, `#idea-${ids.idea}`, 'at the idea voted for');
      assert.equal(await ideaItem(plain, MINE).locator('[data-votes]').innerText(), '2');
      assert.equal(await ideaItem(plain, MINE).getByRole('button', { name: 'Take back vote' }).count(), 1);
    } finally {
      await plain.context().close();
    }
    const api2 = await api(clients.owner.get(`/api/v1/ideas/${ids.idea}`), 'the idea');
    assert.equal(api2.votes, 2, 'both votes are stored');
  });

  it('ideas-3: the manager cannot move an organisation challenge\'s idea; the admin moves it to accepted with a reason', { timeout: 120000 }, async () => {
    const manager = await as('manager');
    await go(manager, `/ideas/${ids.idea}`);
    assert.equal(await manager.locator('main form[action$="/stage"]').count(), 0, 'no stage form for the manager');
    assert.equal(await manager.locator('main .vote-box [data-votes]').innerText(), '2');
    const denied = await clients.manager.post(`/api/v1/ideas/${ids.idea}/stage`, { stage: 'accepted', reason: 'Try' });
    assert.equal(denied.status, 403, `the API refuses the manager too: ${denied.status} ${denied.text}`);

    const page = await as('admin');
    await go(page, `/ideas/${ids.idea}`);
    const form = page.locator('main form[action$="/stage"]');
    await form.getByLabel('Stage', { exact: true }).selectOption('accepted');
    await form.getByLabel('Reason', { exact: true }).fill('Cheap, quick and the garden already said yes.');
    await follow(page, form.getByRole('button', { name: 'Move the idea' }));
    assert.equal(new URL(page.url()).pathname, `/ideas/${ids.idea}`);
    assert.match(await page.locator('main .flash[role="status"]').innerText(), /The idea has moved/);
    assert.match(await page.locator('main .title-row .badge').innerText(), /^accepted$/);
    const text = await mainText(page);
    assert.match(text, /Why accepted: Cheap, quick and the garden already said yes\./);
    const history = page.locator('main section[aria-labelledby="history-h"] li');
    assert.equal(await history.count(), 1);
    assert.match(await history.innerText(), /new\s*→\s*accepted[\s\S]*by Ada Admin/);
  });

  it('ideas-4: the member sees the count in the navigation, the notification in the inbox and the stage on /ideas/mine', { timeout: 120000 }, async () => {
    const page = await as('member');
    await go(page, '/challenges');
    const inboxLink = page.locator('header nav a[href="/inbox"]');
    const count = inboxLink.locator('.count');
    await assert.doesNotReject(count.waitFor(), 'the navigation shows a count');
    assert.ok(Number(await count.innerText()) >= 1, `count ${await count.innerText()}`);
    assert.match(await inboxLink.textContent(), /waiting/, 'the count is announced as waiting (hidden words, not an aria-label on a span)');
    await follow(page, inboxLink);
    assert.equal(new URL(page.url()).pathname, '/inbox');
    const note = page.locator('main ul.notifications li').filter({ hasText: MINE }).filter({ hasText: /accepted/ });
    assert.equal(await note.count(), 1, `the stage change is in the inbox: ${await mainText(page)}`);
    assert.match(await note.innerText(), /Ada Admin moved your idea/);
    assert.equal(await note.getByRole('link').getAttribute('href'), `/ideas/${ids.idea}`);
    assert.equal(await note.locator('.badge', { hasText: 'new' }).count(), 1, 'marked new');
    await go(page, '/inbox');
    assert.equal(await page.locator('header nav a[href="/inbox"] .count').count(), 0, 'read now: no count');

    await go(page, '/ideas/mine');
    const row = page.locator('main tr').filter({ hasText: MINE });
    assert.equal(await row.count(), 1, 'the idea is on /ideas/mine');
    assert.match(await row.locator('.badge').first().innerText(), /^accepted$/);
    assert.match(await row.innerText(), /Answered within a day/);
    assert.equal(await row.locator('td[data-label="Votes"]').innerText(), '2');
  });

  it('ideas-5: on a 360x740 phone the member picks the better of two ideas', { timeout: 120000 }, async () => {
    const page = await as('member');
    await page.setViewportSize(PHONE);
    try {
      await go(page, `/challenges/${ids.challenge}`);
      await follow(page, page.getByRole('link', { name: /Which is better\?/ }));
      assert.equal(new URL(page.url()).pathname, `/challenges/${ids.challenge}/pair`);
      const cards = page.locator('main form.pair-card');
      assert.equal(await cards.count(), 2, 'two ideas to compare');
      const titles = await cards.locator('h2').allInnerTexts();
      assert.ok(!titles.includes(MINE), `never one's own idea: ${titles}`);
      for (const t of titles) assert.ok([SIMILAR, ...OTHERS].includes(t), `an idea of the challenge: ${t}`);
      const [a, b] = [await cards.nth(0).boundingBox(), await cards.nth(1).boundingBox()];
      assert.ok(b.y >= a.y + a.height - 1, `the cards are stacked on a phone: ${JSON.stringify([a, b])}`);
      for (const box of [a, b]) assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, `a card fits the screen: ${JSON.stringify(box)}`);
      const button = cards.nth(0).getByRole('button', { name: 'This one is better' });
      const bb = await button.boundingBox();
      assert.ok(bb.height >= 24 && bb.width >= 24, `the button is big enough to tap: ${JSON.stringify(bb)}`);
      assert.match(await page.locator('main .pair-progress').innerText(), /compared 0 pairs/);
      await follow(page, button);
      assert.equal(new URL(page.url()).pathname, `/challenges/${ids.challenge}/pair`);
      assert.match(await page.locator('main .flash[role="status"]').innerText(), /Thanks, noted/);
      assert.match(await page.locator('main .pair-progress').innerText(), /compared 1 pair so far/);
      const next = await page.locator('main form.pair-card h2').allInnerTexts();
      assert.equal(next.length, 2, 'the next pair is offered');
      assert.notDeepEqual([...next].sort(), [...titles].sort(), 'a pair not judged yet');
      // the skip link offers another pair without recording anything
      await follow(page, page.locator('main').getByRole('link', { name: /^Skip/ }));
      assert.match(await page.locator('main .pair-progress').innerText(), /compared 1 pair so far/);
    } finally {
      await page.setViewportSize(DESKTOP);
    }
    const ranked = await api(clients.member.get(`/api/v1/challenges/${ids.challenge}/ideas?sort=pairwise`), 'the pairwise ranking');
    assert.equal((ranked.items ?? ranked).length, 4);
  });

  it('ideas-6: an anonymous idea shows its private link once; the link opens it without a login, with its updates', { timeout: 120000 }, async () => {
    const page = await as('member');
    await go(page, `/challenges/${ids.challenge}`);
    const form = page.locator('main section.idea-submit form');
    await form.getByLabel('Title', { exact: true }).fill(ANON);
    await form.getByLabel('Describe it').fill('Half the waste is food left on big plates.');
    await form.getByLabel('Submit anonymously').check();
    await follow(page, form.getByRole('button', { name: 'Share the idea' }), 201);
    assert.equal(await page.locator('main h1').innerText(), 'Your idea is in');
    assert.match(await mainText(page), /shown only this once/);
    const link = await page.getByLabel('Your private link').inputValue();
    assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/follow\?token=[A-Za-z0-9_-]{20,}$/, link);
    const path = new URL(link).pathname + new URL(link).search;
    assert.equal(await page.getByRole('link', { name: /Open your idea's private page/ }).getAttribute('href'), path);
    const token = new URL(link).searchParams.get('token');
    assert.match(await mainText(page), /Others will see it from/);

    // held back until its day is over (src/anon.c): not on the challenge page yet, but on the private page
    await go(page, `/challenges/${ids.challenge}?sort=new`);
    assert.equal(await page.locator('main').getByText(ANON).count(), 0, 'not shown to anyone before its day is over');
    await go(page, path);
    assert.match(await mainText(page), /Only you see it for now/);
    await srv.releaseAnonymous(); // the day ends

    // the idea is listed as anonymous, and the link is nowhere else to see
    await go(page, `/challenges/${ids.challenge}?sort=new`);
    const item = ideaItem(page, ANON);
    assert.match(await item.innerText(), /Anonymous/);
    assert.doesNotMatch(await item.innerText(), /Mia Member/);
    assert.ok(!(await page.content()).includes(token), 'the challenge page does not show the token');
    const anonId = Number((await item.locator('a[href^="/ideas/"]').first().getAttribute('href')).split('/').pop());
    await go(page, `/ideas/${anonId}`);
    assert.match(await mainText(page), /Shared anonymously/);
    assert.doesNotMatch(await mainText(page), /Mia Member/);
    assert.ok(!(await page.content()).includes(token), 'the idea page does not show the token');
    await go(page, '/ideas/mine');
    assert.doesNotMatch(await mainText(page), new RegExp(ANON), 'not among "my ideas"');

    // updates: the admin moves it and the owner comments
    await api(clients.admin.post(`/api/v1/ideas/${anonId}/stage`, { stage: 'reviewing', reason: 'Checking with the canteen.' }), 'the admin moves it');
    await api(clients.owner.post(`/api/v1/ideas/${anonId}/comments`, { body: 'We tried this at **another site**: it worked.' }), 'the owner comments');

    // a fresh context, no login: the private page
    const anon = await open();
    try {
      await go(anon, path);
      assert.equal(await anon.locator('header nav[aria-label="Main"], header .menu').count(), 0, 'not logged in');
      assert.equal(await anon.locator('main h1').innerText(), ANON);
      assert.match(await anon.locator('main .title-row .badge').innerText(), /^reviewing$/);
      const text = await mainText(anon);
      assert.match(text, /Shared anonymously/);
      assert.match(text, new RegExp(CHALLENGE.replace(/[?%]/g, '.')));
      assert.match(text, /Why reviewing: Checking with the canteen\./);
      assert.match(await anon.locator('main section[aria-labelledby="history-h"]').innerText(), /new\s*→\s*reviewing/);
      const comments = anon.locator('main ol.comments li');
      assert.equal(await comments.count(), 1);
      assert.match(await comments.innerText(), /Olive Owner/);
      assert.equal(await comments.locator('strong').innerText(), 'another site');
      assert.doesNotMatch(text, /Mia Member/);
      await go(anon, '/follow?token=' + 'x'.repeat(token.length), 404);
    } finally {
      await anon.context().close();
    }
  });

  it('ideas-7: the admin reads the idea insights', { timeout: 120000 }, async () => {
    const page = await as('admin');
    await go(page, '/challenges');
    await follow(page, page.locator('main a[href="/insights/ideas"]'));
    assert.equal(new URL(page.url()).pathname, '/insights/ideas');
    const text = await mainText(page);
    assert.match(text, /5\s+ideas submitted/);
    assert.match(text, /Waiting more than 14 days/);
    assert.ok(await page.locator('main svg.chart-stages').isVisible(), 'the chart of stages');
    await go(page, `/challenges/${ids.challenge}?sort=pairwise`);
    assert.equal(await page.locator('main li.idea').count(), 5);
  });
});
