// listen.test.mjs: from listening to action (issue 12) in headless
// Chromium, on a 360 px phone WITHOUT JavaScript. Set up through the API: a
// team "Kitchen" led by the manager, with the member and two cooks, a
// monthly survey for it (k = 3) answered by all three and closed. The
// manager adds an action to the plan from the Kitchen's autonomy result on
// the results page; the next round opens, and the member sees on its answer
// page "You said ..., we did ...". The member writes to the suggestion box
// and is shown the private link once; after the day's release the owner
// answers it in the open on the box's page; the member, logged out, reads
// the answer through the private link. The new pages with JavaScript on are
// scanned with axe-core (WCAG 2 A and AA) and must not scroll sideways.
// Run: REMIT_BIN=$PWD/build/san/remit node --test tests/e2e/listen.test.mjs
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { startServer, USERS, PASSWORD } from '../http/lib.mjs';
import { LAUNCH, openPage, axeFindings, loginAs, clickThrough } from './browser.mjs';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const ACTION = 'Cooks plan the prep list themselves';
const SUGGESTION = 'Could we get a second knife sharpener for the morning shift?';
const ANSWER = 'Yes: a second one arrives next week.';

let srv, browser, owner, sid, rid, kitchen, followLink;
const minor = [];
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const mainText = (page) => page.locator('main').innerText();
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

async function scan(page, label) {
  const problems = [...await axeFindings(page, 'desktop', minor)];
  await page.setViewportSize(PHONE);
  try {
    await page.evaluate(() => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res))));
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    if (w > PHONE.width) problems.push(`  at 360 px the page scrolls sideways: scrollWidth ${w}`);
    problems.push(...await axeFindings(page, '360 px', minor));
  } finally {
    await page.setViewportSize(DESKTOP);
  }
  if (page.csp.length) problems.push('  CSP violations: ' + page.csp.splice(0).join('; '));
  assert.equal(problems.length, 0, `${label} (${new URL(page.url()).pathname}):\n${problems.join('\n')}`);
}

const login = (page, email) => loginAs(page, srv.base, email, PASSWORD);

const click = clickThrough;

describe('listening to action: an action plan, "You said ..., we did ...", the suggestion box', { timeout: 600000 }, () => {
  before(async () => {
    srv = await startServer();
    owner = await srv.login(USERS.owner);
    const manager = await srv.login(USERS.manager);
    const managerId = (await manager.get('/api/v1/session')).json.person.id;
    const memberId = (await (await srv.login(USERS.member)).get('/api/v1/session')).json.person.id;
    kitchen = (await owner.post('/api/v1/teams', { name: 'Kitchen', lead_id: managerId })).json.id;
    assert.equal((await owner.patch(`/api/v1/people/${memberId}`, { team_id: kitchen })).status, 200);
    for (const n of [1, 2]) {
      const p = await owner.post('/api/v1/people', { name: `Cook ${n}`, email: `cook${n}@a.test`, team_id: kitchen, access: 'member' });
      assert.equal(p.status, 201, p.text);
    }
    const sv = await owner.post('/api/v1/surveys', {
      title: 'Kitchen pulse', team_ids: [kitchen], min_group: 3, recurrence: 'monthly', questions: [
        { kind: 'agree5', text: 'I can decide how to do my work without asking first.', factor: 'autonomy' },
        { kind: 'scale10', text: 'How likely are you to recommend us as a place to work?', factor: 'enps' },
      ],
    });
    assert.equal(sv.status, 201, sv.text);
    sid = sv.json.id;
    rid = sv.json.current_round.id;
    const q = sv.json.questions.map((x) => x.id);
    for (const [c, v] of [[srv.bearer(USERS.member), 2], [srv.bearer('cook1@a.test'), 2], [srv.bearer('cook2@a.test'), 4]]) {
      const r = await c.put(`/api/v1/surveys/${sid}/rounds/${rid}/response`, { answers: [{ question_id: q[0], value: v }, { question_id: q[1], value: 7 }], final: true });
      assert.equal(r.status, 200, r.text);
    }
    assert.equal((await owner.post(`/api/v1/surveys/${sid}/rounds/${rid}/close`)).status, 200);
    assert.equal((await owner.put('/api/v1/suggestion-boxes', { team_id: null, open: true })).status, 200);
    browser = await chromium.launch(LAUNCH);
  });

  after(async () => {
    if (browser) await browser.close();
    if (minor.length) console.log(`axe, moderate/minor (not failing):\n${[...new Set(minor)].join('\n')}`);
    await srv.stop();
  });

  it('listen-e2e-1: the manager adds an action from a result; the next round shows its respondents "You said ..., we did ..."', async () => {
    const page = await openPage(browser, { viewport: PHONE, javaScriptEnabled: false });
    try {
      await login(page, USERS.manager);
      await page.goto(srv.base + `/surveys/${sid}/rounds/${rid}/results?team_id=${kitchen}`);
      const form = page.locator('section', { has: page.getByRole('heading', { name: 'Add to the action plan' }) });
      await form.getByLabel('Which result it answers').selectOption('f:autonomy');
      // a missing title is refused with the field marked, the choice kept
      await click(page, form.getByRole('button', { name: 'Add the action' }), 422);
      assert.match(await mainText(page), /Give the action a title/);
      const again = page.locator('section', { has: page.getByRole('heading', { name: 'Add to the action plan' }) });
      assert.equal(await again.getByLabel('Which result it answers').inputValue(), 'f:autonomy');
      await again.getByLabel('What will be done').fill(ACTION);
      await click(page, again.getByRole('button', { name: 'Add the action' }));
      assert.match(await mainText(page), /The action is in the plan/);
      assert.match(await mainText(page), new RegExp(`autonomy: 33% favourable → ${ACTION}`));
      await page.goto(srv.base + `/surveys/${sid}`);
      assert.match(await mainText(page), new RegExp(ACTION));
    } finally {
      await page.context().close();
    }
    // the next round opens (its day has come)
    sql(`UPDATE survey_round SET opens_on = date('now') WHERE survey_id = ${sid} AND number = 2`);
    for (let i = 0; i < 80 && sql(`SELECT status FROM survey_round WHERE survey_id = ${sid} AND number = 2`) !== 'open'; i++) await sleep(100);
    const r2 = sql(`SELECT id FROM survey_round WHERE survey_id = ${sid} AND number = 2`);
    const m = await openPage(browser, { viewport: PHONE, javaScriptEnabled: false });
    try {
      await login(m, USERS.member);
      await m.goto(srv.base + `/surveys/${sid}/rounds/${r2}`);
      const said = m.locator('section.you-said');
      assert.match(await said.innerText(), /You said \.\.\., we did \.\.\./);
      assert.match(await said.innerText(), /You said: autonomy: 33% favourable/);
      assert.match(await said.innerText(), new RegExp(`We are doing: ${ACTION}`));
    } finally {
      await m.context().close();
    }
    const js = await openPage(browser, { viewport: DESKTOP });
    try {
      await login(js, USERS.manager);
      await js.goto(srv.base + `/surveys/${sid}/rounds/${rid}/results?team_id=${kitchen}`);
      await scan(js, 'the results with the action plan form');
      await js.goto(srv.base + `/surveys/${sid}`);
      await scan(js, 'the survey with its action plan');
      await js.goto(srv.base + `/surveys/${sid}/rounds/${r2}`);
      await scan(js, 'the answer page with You said');
    } finally {
      await js.context().close();
    }
  });

  it('listen-e2e-2: a member writes to the suggestion box and later reads the answer through the private link', async () => {
    const page = await openPage(browser, { viewport: PHONE, javaScriptEnabled: false });
    try {
      await login(page, USERS.member);
      await page.goto(srv.base + '/suggestions');
      assert.match(await mainText(page), /may itself give you away/);
      await page.getByLabel('Anything you want to tell us?').fill(SUGGESTION);
      await click(page, page.getByRole('button', { name: 'Send anonymously' }));
      assert.match(await mainText(page), /Thank you\. Your suggestion shows/);
      followLink = await page.getByRole('link', { name: 'Read the answer here' }).getAttribute('href');
      assert.match(followLink, /^\/suggestion-follow\?token=[A-Za-z0-9_-]{43}$/);
      await page.goto(srv.base + '/suggestions');
      assert.doesNotMatch(await mainText(page), new RegExp(SUGGESTION.slice(0, 20)), 'not shown before it is answered');
    } finally {
      await page.context().close();
    }
    // the day is over: the day's batch is released
    sql('UPDATE suggestion_pending SET day = day - 86400');
    for (let i = 0; i < 80 && Number(sql('SELECT count(*) FROM suggestion_pending')) > 0; i++) await sleep(100);
    const o = await openPage(browser, { viewport: PHONE, javaScriptEnabled: false });
    try {
      await login(o, USERS.owner);
      await o.goto(srv.base + '/suggestions');
      const card = o.locator('article.suggestion', { hasText: SUGGESTION });
      await card.getByLabel(/^Answer in the open/).fill(ANSWER);
      await click(o, card.getByRole('button', { name: 'Publish the answer' }));
      assert.match(await mainText(o), new RegExp(ANSWER));
    } finally {
      await o.context().close();
    }
    const anon = await openPage(browser, { viewport: PHONE, javaScriptEnabled: false });
    try {
      assert.equal((await anon.goto(srv.base + followLink)).status(), 200);
      const text = await mainText(anon);
      assert.match(text, new RegExp(SUGGESTION.slice(0, 30)));
      assert.match(text, new RegExp(ANSWER));
      assert.match(text, /Olivia Owner|Owner/);
    } finally {
      await anon.context().close();
    }
    const js = await openPage(browser, { viewport: DESKTOP });
    try {
      await login(js, USERS.owner);
      await js.goto(srv.base + '/suggestions');
      await scan(js, 'the suggestion box');
      await js.goto(srv.base + followLink);
      await scan(js, 'the private follow page');
    } finally {
      await js.context().close();
    }
  });
});
