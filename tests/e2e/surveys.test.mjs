// surveys.test.mjs: the survey journey of issue 12 in headless Chromium.
// Set up through the API: a team "Kitchen" led by the manager, with the
// member and two more people, and a survey for it (k = 3, comments from 3).
// In the browser, on a 360 px phone WITHOUT JavaScript: the member finds
// the survey on /surveys, answers part of it and saves, comes back to find
// the answer kept, finishes with a comment and is shown the private link
// once. The two others answer through the API and the owner closes the
// round. The manager reads the Kitchen's results (hidden cells marked in
// the organisation's heatmap as an admin sees it) and replies to the
// comment; the member, logged out, opens the private link without
// JavaScript, reads the reply and answers anonymously. Every page with
// JavaScript on is scanned with axe-core (WCAG 2 A and AA) and must not
// scroll sideways at 360 px.
// Run: REMIT_BIN=$PWD/remit node --test tests/e2e/surveys.test.mjs
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer, USERS, PASSWORD } from '../http/lib.mjs';
import { LAUNCH, openPage, axeFindings, loginAs, clickThrough } from './browser.mjs';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const COMMENT = 'The dough mixer is so loud that we cannot talk during the morning shift.';
const REPLY = 'Thank you. We will look at moving the mixer this month: which hours are worst?';
const ANSWER = 'Between six and eight, when the first batches go in.';

let srv, browser, owner, manager, sid, rid, kitchen, privateLink;
const minor = [];

const mainText = (page) => page.locator('main').innerText();

// scan: axe on a desktop and at 360 px, no sideways scrolling on the phone.
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

describe('surveys: answer on a phone without JavaScript, and the anonymous conversation', { timeout: 600000 }, () => {
  before(async () => {
    srv = await startServer();
    owner = await srv.login(USERS.owner);
    manager = await srv.login(USERS.manager);
    const managerId = (await manager.get('/api/v1/session')).json.person.id;
    const memberId = (await (await srv.login(USERS.member)).get('/api/v1/session')).json.person.id;
    kitchen = (await owner.post('/api/v1/teams', { name: 'Kitchen', lead_id: managerId })).json.id;
    assert.equal((await owner.patch(`/api/v1/people/${memberId}`, { team_id: kitchen })).status, 200);
    await owner.post('/api/v1/teams', { name: 'Front', lead_id: null });
    for (const n of [1, 2]) {
      const p = await owner.post('/api/v1/people', { name: `Cook ${n}`, email: `cook${n}@a.test`, team_id: kitchen, access: 'member' });
      assert.equal(p.status, 201, p.text);
      if (n === 1) assert.equal((await owner.put(`/api/v1/people/${p.json.id}/password`, { password: PASSWORD })).status, 204);
    }
    const sv = await owner.post('/api/v1/surveys', {
      title: 'Kitchen pulse', team_ids: [kitchen], min_group: 3, min_comments: 3, questions: [
        { kind: 'agree5', text: 'I can decide how to do my work without asking first.', text_de: 'Ich kann selbst entscheiden.', factor: 'autonomy' },
        { kind: 'scale10', text: 'How likely are you to recommend us as a place to work?', factor: 'enps' },
        { kind: 'text', text: 'Anything you want to tell us?', optional: true },
      ],
    });
    assert.equal(sv.status, 201, sv.text);
    sid = sv.json.id;
    rid = sv.json.current_round.id;
    browser = await chromium.launch(LAUNCH);
  });

  after(async () => {
    if (browser) await browser.close();
    if (minor.length) console.log(`axe, moderate/minor (not failing):\n${[...new Set(minor)].join('\n')}`);
    await srv.stop();
  });

  it('surveys-e2e-1: on a 360 px phone without JavaScript: answer part-way, save, come back, finish, get the private link', async () => {
    const page = await openPage(browser, { viewport: PHONE, javaScriptEnabled: false });
    try {
      await login(page, USERS.member);
      await page.goto(srv.base + '/surveys');
      await click(page, page.locator('main').getByRole('link', { name: 'Answer' }).first());
      assert.equal(new URL(page.url()).pathname, `/surveys/${sid}/rounds/${rid}`);
      const q1 = page.getByRole('group', { name: /I can decide how to do my work/ });
      await q1.getByLabel('Agree', { exact: true }).check();
      await click(page, page.getByRole('button', { name: 'Save and finish later' }));
      assert.match(await mainText(page), /Saved\. Come back to finish/);
      // later: the saved answer is there
      await page.goto(srv.base + `/surveys/${sid}/rounds/${rid}`);
      assert.equal(await page.getByRole('group', { name: /I can decide how to do my work/ }).getByLabel('Agree', { exact: true }).isChecked(), true);
      // finishing without the required 0-10 answer says what is missing and keeps the rest
      await click(page, page.getByRole('button', { name: 'Finish and send' }), 422);
      assert.match(await mainText(page), /Please answer this question/);
      assert.equal(await page.getByRole('group', { name: /I can decide how to do my work/ }).getByLabel('Agree', { exact: true }).isChecked(), true);
      await page.getByRole('group', { name: /recommend us/ }).getByLabel('8', { exact: true }).check();
      await page.getByLabel('Your comment').fill(COMMENT);
      await click(page, page.getByRole('button', { name: 'Finish and send' }));
      assert.match(await mainText(page), /Thank you: your answers are in/);
      const link = page.getByRole('link', { name: 'Read replies to your comment here' });
      privateLink = await link.getAttribute('href');
      assert.match(privateLink, /^\/survey-reply\?token=[A-Za-z0-9_-]{43}$/);
      // the link is shown once: the survey now says it has the answer, and shows no link
      await page.goto(srv.base + `/surveys/${sid}/rounds/${rid}`);
      assert.match(await mainText(page), /you have answered this round/);
      assert.equal(await page.getByRole('link', { name: 'Read replies to your comment here' }).count(), 0);
    } finally {
      await page.context().close();
    }
    // the same pages with JavaScript on, for axe
    const page2 = await openPage(browser, { viewport: DESKTOP });
    try {
      await login(page2, 'cook1@a.test'); // in the audience, not yet answered
      await page2.goto(srv.base + '/surveys');
      await scan(page2, 'the surveys list');
      await page2.goto(srv.base + `/surveys/${sid}/rounds/${rid}`);
      assert.match(await mainText(page2), /Finish and send/);
      await scan(page2, 'the answer form');
      await page2.goto(srv.base + `/surveys/${sid}`);
      await scan(page2, 'the survey');
      await page2.goto(srv.base + '/surveys/new');
      await scan(page2, 'the new survey form');
    } finally {
      await page2.context().close();
    }
  });

  it('surveys-e2e-2: after close the manager reads the results and replies; the writer reads the reply through the private link and answers anonymously', async () => {
    const q = (await owner.get(`/api/v1/surveys/${sid}`)).json.questions.map((x) => x.id);
    for (const n of [1, 2]) {
      const c = srv.bearer(`cook${n}@a.test`);
      const r = await c.put(`/api/v1/surveys/${sid}/rounds/${rid}/response`, {
        answers: [{ question_id: q[0], value: 3 + n }, { question_id: q[1], value: 6 + n }, { question_id: q[2], value: n === 1 ? 'More hands on Saturdays, please.' : 'Great team, thank you!' }], final: true,
      });
      assert.equal(r.status, 200, r.text);
    }
    const resultsUrl = `/surveys/${sid}/rounds/${rid}/results?team_id=${kitchen}`;
    const early = await openPage(browser, { viewport: DESKTOP });
    await login(early, USERS.manager);
    assert.equal((await early.goto(srv.base + resultsUrl)).status(), 409, 'no results before the round closes');
    assert.equal((await owner.post(`/api/v1/surveys/${sid}/rounds/${rid}/close`)).status, 200);
    const page = early;
    try {
      assert.equal((await page.goto(srv.base + resultsUrl)).status(), 200);
      const text = await mainText(page);
      assert.match(text, /Responses: 3/);
      assert.match(text, /eNPS/);
      assert.match(text, new RegExp(COMMENT.slice(0, 30)));
      await scan(page, 'the Kitchen\'s results');
      const card = page.locator('article.comment', { hasText: COMMENT });
      await card.getByLabel(/^Reply/).fill(REPLY);
      await click(page, card.getByRole('button', { name: 'Send reply' }));
      assert.match(await mainText(page), new RegExp(REPLY.slice(0, 20)));
      // the organisation's page with the heatmap (the manager sees their teams)
      await page.goto(srv.base + `/surveys/${sid}/rounds/${rid}/results`);
      assert.match(await page.locator('table.heatmap').innerText(), /Kitchen/);
      await scan(page, 'the organisation\'s results with the heatmap');
    } finally {
      await page.context().close();
    }
    // the writer, logged out, on a phone without JavaScript
    const anon = await openPage(browser, { viewport: PHONE, javaScriptEnabled: false });
    try {
      assert.equal((await anon.goto(srv.base + privateLink)).status(), 200);
      const text = await mainText(anon);
      assert.match(text, new RegExp(COMMENT.slice(0, 30)));
      assert.match(text, /Max Manager/);
      assert.match(text, new RegExp(REPLY.slice(0, 20)));
      await anon.getByLabel('Answer anonymously').fill(ANSWER);
      await click(anon, anon.getByRole('button', { name: 'Send' }));
      assert.match(await mainText(anon), new RegExp(ANSWER.slice(0, 20)));
      assert.match(await mainText(anon), /You \(\d{4}-\d\d-\d\d\)/);
    } finally {
      await anon.context().close();
    }
    const js = await openPage(browser, { viewport: DESKTOP });
    try {
      await js.goto(srv.base + privateLink);
      await scan(js, 'the private reply page');
    } finally {
      await js.context().close();
    }
    // the manager sees the answer, anonymous
    const list = await manager.get(`/api/v1/surveys/${sid}/rounds/${rid}/comments?team_id=${kitchen}`);
    const thread = list.json.items.find((c) => c.text === COMMENT);
    assert.deepEqual(thread.replies.map((r) => r.from), ['Max Manager', 'the writer (anonymous)']);
  });
});
