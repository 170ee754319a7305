// listen.test.mjs: from listening to action (issue 12), against the real
// binary: action plans made from a closed round's results through the
// action-items service, visible like the result they came from, and the
// next round's "You said ..., we did ..."; the suggestion box: switched on
// per organisation or team by those allowed, written anonymously (checked
// on the database rows: exactly the pending row, the day only, no person,
// no session trace), released with the day's batch, answered in the open,
// declined with a reason only the private link shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, USERS } from './lib.mjs';

let srv, owner, admin, manager, member;
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8', maxBuffer: 1 << 26 }).trim();
const num = (q) => Number(sql(q));
const dump = () => new Set(execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, '.dump'], { encoding: 'utf8', maxBuffer: 1 << 26 }).split('\n'));
const added = (a, b) => [...b].filter((l) => !a.has(l));
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
const T = {}, P = {};
let MANAGER_ID, OWNER_ID;

async function team(name, parent, lead) {
  const r = await owner.post('/api/v1/teams', { name, parent_id: parent ?? null, lead_id: lead ?? null });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
async function people(teamName, n) {
  P[teamName] = [];
  for (let i = 0; i < n; i++) {
    const email = `l${teamName.toLowerCase()}${i}@a.test`;
    const r = await owner.post('/api/v1/people', { name: `${teamName} ${i}`, email, team_id: T[teamName], access: 'member' });
    assert.equal(r.status, 201, r.text);
    P[teamName].push({ id: r.json.id, email, c: srv.bearer(email) });
  }
}
async function until(f, what) {
  for (let i = 0; i < 80; i++) { if (await f()) return; await sleep(100); }
  assert.fail(`timed out waiting for ${what}`);
}

before(async () => {
  srv = await startServer();
  owner = await srv.login(USERS.owner);
  admin = await srv.login(USERS.admin);
  manager = await srv.login(USERS.manager);
  member = await srv.login(USERS.member);
  MANAGER_ID = num(`SELECT id FROM person WHERE email = '${USERS.manager}'`);
  OWNER_ID = num(`SELECT id FROM person WHERE email = '${USERS.owner}'`);
  T.Ops = await team('Ops', null, MANAGER_ID);
  T.Bakery = await team('Bakery', T.Ops);
  T.Tiny = await team('Tiny', T.Ops);
  T.Sales = await team('Sales');
  await people('Bakery', 6);
  await people('Tiny', 2);
  await people('Sales', 5);
});

after(async () => { await srv.stop(); });

const answer = (c, sid, rid, answers) => c.put(`/api/v1/surveys/${sid}/rounds/${rid}/response`, { answers, final: true });

test('listen-1: an action plan from a result: who may make it, what it records, who sees it, and "You said ..., we did ..." in the next round', async () => {
  const r = await owner.post('/api/v1/surveys', {
    title: 'Trust pulse', recurrence: 'monthly', team_ids: [T.Ops, T.Sales], questions: [
      { kind: 'agree5', text: 'I trust my colleagues.', factor: 'trust' },
      { kind: 'agree5', text: 'My work is noticed.', factor: 'recognition' },
    ],
  });
  assert.equal(r.status, 201, r.text);
  const sid = r.json.id, rid = r.json.current_round.id, [q1, q2] = r.json.questions.map((q) => q.id);
  const base = `/api/v1/surveys/${sid}/rounds/${rid}/actions`;
  // not while the round is open: there are no results to act on
  assert.equal((await owner.post(base, { title: 'Too early', owner_id: OWNER_ID, factor: 'trust' })).status, 409);
  const v1 = [5, 4, 4, 2, 1, 5], v2 = [4, 4, 2, 2, 2, 5];
  for (let i = 0; i < 6; i++) assert.equal((await answer(P.Bakery[i].c, sid, rid, [{ question_id: q1, value: v1[i] }, { question_id: q2, value: v2[i] }])).status, 200);
  for (const p of P.Tiny) assert.equal((await answer(p.c, sid, rid, [{ question_id: q1, value: 1 }, { question_id: q2, value: 1 }])).status, 200);
  for (const p of P.Sales) assert.equal((await answer(p.c, sid, rid, [{ question_id: q1, value: 4 }, { question_id: q2, value: 4 }])).status, 200);
  assert.equal((await owner.post(`/api/v1/surveys/${sid}/rounds/${rid}/close`)).status, 200);
  const bakeryRes = (await manager.get(`/api/v1/surveys/${sid}/rounds/${rid}/results?team_id=${T.Bakery}`)).json;
  assert.equal(bakeryRes.hidden, false);
  assert.equal(bakeryRes.factors.trust, 66.7); // 4 of 6 agree

  // bad input changes nothing
  const before = num('SELECT count(*) FROM action_item');
  const bad = [
    [{ title: 'x', owner_id: MANAGER_ID, team_id: T.Bakery }, 422, 'question_id'], // neither question nor factor
    [{ title: 'x', owner_id: MANAGER_ID, team_id: T.Bakery, factor: 'trust', question_id: q1 }, 422, 'question_id'], // both
    [{ title: 'x', owner_id: MANAGER_ID, team_id: T.Bakery, factor: 'pay' }, 422, 'factor'],
    [{ title: '', owner_id: MANAGER_ID, team_id: T.Bakery, factor: 'trust' }, 422, 'title'],
    [{ title: 'x', owner_id: 999999, team_id: T.Bakery, factor: 'trust' }, 422, 'owner_id'],
    [{ title: 'x', owner_id: MANAGER_ID, team_id: T.Bakery, factor: 'trust', due_on: '2026-02-30' }, 400, null],
    [{ title: 'x', owner_id: MANAGER_ID, team_id: 999999, factor: 'trust' }, 404, 'team_id'],
    [{ title: 'x', owner_id: MANAGER_ID, team_id: T.Sales, factor: 'trust' }, 403, 'team_id'], // not a team the manager leads
    [{ title: 'x', owner_id: MANAGER_ID, factor: 'trust' }, 403, 'team_id'], // the organisation's plan: admins and the survey's owner
  ];
  for (const [body, status, field] of bad) {
    const x = await manager.post(base, body);
    assert.equal(x.status, status, `${JSON.stringify(body)}: ${x.text}`);
    if (field) assert.equal(x.json.error.field, field, x.text);
  }
  assert.equal((await member.post(base, { title: 'x', owner_id: OWNER_ID, factor: 'trust' })).status, 403, 'members do not plan');
  assert.equal(num('SELECT count(*) FROM action_item'), before, 'nothing was written');

  // the manager plans for the Bakery, from its trust result
  const a1 = await manager.post(base, { title: 'Weekly ten-minute check-in', owner_id: P.Bakery[0].id, team_id: T.Bakery, factor: 'trust', due_on: '2030-01-31' });
  assert.equal(a1.status, 201, a1.text);
  assert.equal(a1.json.favourable, 66.7, 'the result as it was shown');
  assert.equal(a1.json.factor, 'trust');
  assert.equal(a1.json.team_id, T.Bakery);
  assert.equal(a1.json.owner.id, P.Bakery[0].id);
  assert.equal(sql(`SELECT source_kind || ':' || source_id FROM action_item WHERE id = ${a1.json.id}`), `survey:${a1.json.plan_id}`, 'an action item of the shared service');
  assert.equal(num(`SELECT count(*) FROM notification WHERE person_id = ${P.Bakery[0].id} AND kind = 'action.assigned'`), 1, 'its owner is told');
  // a hidden group: the action is allowed, but no figure is recorded
  const a2 = await manager.post(base, { title: 'Ask Tiny what they need', owner_id: MANAGER_ID, team_id: T.Tiny, question_id: q2 });
  assert.equal(a2.status, 201, a2.text);
  assert.equal(a2.json.favourable, null, 'Tiny was hidden below k: no figure');
  // the owner plans for the organisation
  const a3 = await owner.post(base, { title: 'Thank-you round at the team meeting', owner_id: OWNER_ID, question_id: q2 });
  assert.equal(a3.status, 201, a3.text);
  assert.equal(a3.json.team_id, 0);
  assert.equal(typeof a3.json.favourable, 'number');

  // who sees what: the Bakery's plan its people, the manager, admins; not Sales
  const titles = async (c) => (await c.get(base)).json.items.map((x) => x.title).sort();
  assert.deepEqual(await titles(P.Bakery[1].c), ['Thank-you round at the team meeting', 'Weekly ten-minute check-in']);
  assert.deepEqual(await titles(P.Sales[0].c), ['Thank-you round at the team meeting']);
  assert.deepEqual(await titles(manager), ['Ask Tiny what they need', 'Thank-you round at the team meeting', 'Weekly ten-minute check-in']);
  assert.equal((await admin.get(`${base}?team_id=${T.Bakery}`)).json.items.length, 1);
  const salesActions = (await P.Sales[0].c.get('/api/v1/actions?source_kind=survey')).json.items.map((x) => x.id);
  assert.ok(!salesActions.includes(a1.json.id), 'the action items service asks surveys_may_see');
  assert.ok(salesActions.includes(a3.json.id));
  assert.equal((await P.Sales[0].c.get(`/api/v1/actions?source_kind=survey`)).status, 200);
  // the survey page's action plan
  const page = await P.Bakery[1].c.get(`/surveys/${sid}`);
  assert.match(page.text, /Action plan/);
  assert.match(page.text, /Weekly ten-minute check-in/);
  assert.match(page.text, /trust: 67% favourable/);

  // progress, then the next round opens: "You said ..., we did ..."
  assert.equal((await P.Bakery[0].c.patch(`/api/v1/actions/${a1.json.id}`, { status: 'done' })).status, 200);
  sql(`UPDATE survey_round SET opens_on = date('now') WHERE survey_id = ${sid} AND number = 2`);
  await until(async () => sql(`SELECT status FROM survey_round WHERE survey_id = ${sid} AND number = 2`) === 'open', 'the second round to open');
  const r2 = num(`SELECT id FROM survey_round WHERE survey_id = ${sid} AND number = 2`);
  const said = await P.Bakery[2].c.get(`/surveys/${sid}/rounds/${r2}`);
  assert.equal(said.status, 200);
  assert.match(said.text, /You said \.\.\., we did \.\.\./);
  assert.match(said.text, /trust: 67% favourable/);
  assert.match(said.text, /We did:<\/strong> Weekly ten-minute check-in/);
  assert.match(said.text, /Thank-you round at the team meeting/);
  assert.doesNotMatch(said.text, /Ask Tiny/, 'the Tiny team\'s plan is not the Bakery\'s to see');
  const salesSaid = await P.Sales[1].c.get(`/surveys/${sid}/rounds/${r2}`);
  assert.doesNotMatch(salesSaid.text, /Weekly ten-minute check-in/, 'another team\'s plan stays with that team');
  assert.match(salesSaid.text, /Thank-you round at the team meeting/);
  // the done action joins the learning library, for those who may see its result only
  const lib = await P.Bakery[2].c.get('/learning?q=check-in');
  assert.match(lib.text, /You said, we did/);
  assert.match(lib.text, /We did:<\/strong> Weekly ten-minute check-in/);
  assert.doesNotMatch((await P.Sales[1].c.get('/learning?q=check-in')).text, /Weekly ten-minute check-in/, 'another team\'s lesson stays with that team');
  // the page form: errors are per field and keep what was typed
  const fields = new URLSearchParams({ csrf_token: manager.csrf, team_id: String(T.Bakery), about: 'f:trust', title: '', owner_id: String(MANAGER_ID), due_on: '2030-13-01' });
  const form = await manager.req('POST', `/surveys/${sid}/rounds/${rid}/actions`, { csrf: false, body: fields.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(form.status, 422, form.text.slice(0, 300));
  assert.match(form.text, /Give the action a title/);
  assert.match(form.text, /value="2030-13-01"/);
  assert.match(form.text, /<option value="f:trust" selected>/);
});

test('listen-2: the suggestion box: switched on by those allowed, anonymous on the rows, held back to the day, answered in the open', async () => {
  // switching: members never, managers their teams, admins the organisation
  assert.equal((await member.put('/api/v1/suggestion-boxes', { team_id: null, open: true })).status, 403);
  assert.equal((await manager.put('/api/v1/suggestion-boxes', { team_id: null, open: true })).status, 403);
  assert.equal((await manager.put('/api/v1/suggestion-boxes', { team_id: T.Sales, open: true })).status, 403);
  assert.equal((await manager.put('/api/v1/suggestion-boxes', { team_id: 999999, open: true })).status, 422);
  const ops = await manager.put('/api/v1/suggestion-boxes', { team_id: T.Ops, open: true });
  assert.equal(ops.status, 200, ops.text);
  const org = await admin.put('/api/v1/suggestion-boxes', { team_id: null, open: true });
  assert.equal(org.status, 200, org.text);
  const boxesOf = async (c) => (await c.get('/api/v1/suggestion-boxes')).json.items.map((b) => b.team_id);
  assert.deepEqual(await boxesOf(P.Bakery[0].c), [null, T.Ops], 'a team below Ops is in its box\'s scope');
  assert.deepEqual(await boxesOf(P.Sales[0].c), [null]);

  // bad input changes nothing
  const w = P.Bakery[3];
  for (const [body, status] of [[{ box_id: ops.json.id, text: '   ' }, 422], [{ box_id: 999999, text: 'x' }, 404], [{ box_id: ops.json.id }, 422]]) {
    const x = await w.c.post('/api/v1/suggestions', body);
    assert.ok([status, 400].includes(x.status), `${JSON.stringify(body)}: ${x.status} ${x.text}`);
  }
  assert.equal((await P.Sales[0].c.post('/api/v1/suggestions', { box_id: ops.json.id, text: 'Not my box' })).status, 404);
  assert.equal(num('SELECT count(*) FROM suggestion_pending'), 0);

  // the writer's session was last seen long ago, so this request would record its time
  const wc = await srv.login(USERS.member);
  const memberId = num(`SELECT id FROM person WHERE email = '${USERS.member}'`);
  sql(`UPDATE session SET last_seen = last_seen - 600 WHERE person_id = ${memberId}`);
  const seenBefore = sql(`SELECT group_concat(last_seen) FROM session WHERE person_id = ${memberId}`);
  const auditBefore = num('SELECT coalesce(max(id), 0) FROM audit');
  const notesBefore = num('SELECT count(*) FROM notification');
  const fileBefore = dump();
  const s1 = await wc.post('/api/v1/suggestions', { box_id: org.json.id, text: 'The break room is far too cold, it is terrible in winter.' });
  assert.equal(s1.status, 201, s1.text);
  const fileAfter = dump();
  const rows = added(fileBefore, fileAfter);
  assert.equal(rows.length, 1, rows.join('\n'));
  assert.match(rows[0], /^INSERT INTO suggestion_pending VALUES\(/);
  assert.equal(sql("SELECT group_concat(name) FROM pragma_table_info('suggestion_pending')"), 'id,org_id,box_id,body,sentiment,words,follow_hash,day',
    'no column for a person, an address or a time');
  const [id, , box, , sentiment, , hash, day] = sql('SELECT id, org_id, box_id, body, sentiment, words, follow_hash, day FROM suggestion_pending').split('|');
  assert.ok(Number(id) >= 2 ** 32, 'a random id');
  assert.equal(Number(box), org.json.id);
  assert.equal(Number(day) % 86400, 0, 'the day only');
  assert.equal(Number(sentiment), -1, 'scored by the sentiment scorer');
  const token = s1.json.follow_url.slice(s1.json.follow_url.indexOf('token=') + 6);
  assert.notEqual(hash, token, 'the link is stored as a hash');
  assert.ok(!hash.includes(token));
  assert.equal(sql(`SELECT group_concat(last_seen) FROM session WHERE person_id = ${memberId}`), seenBefore, 'session.last_seen untouched');
  assert.equal(num(`SELECT count(*) FROM audit WHERE id > ${auditBefore}`), 0, 'no audit line');
  assert.equal(num('SELECT count(*) FROM notification'), notesBefore, 'no notification');

  // nobody sees it before the day is over; the writer sees it waiting
  assert.equal((await admin.get(`/api/v1/suggestions?box_id=${org.json.id}`)).json.items.length, 0);
  const anon = srv.anon();
  const f1 = await anon.get(`/api/v1/suggestion-follow?token=${token}`);
  assert.equal(f1.status, 200, f1.text);
  assert.equal(f1.json.status, 'waiting');
  assert.equal((await anon.get('/api/v1/suggestion-follow?token=nope')).status, 404);

  // a second one, to the Ops box, then the day's batch is released
  const s2 = await P.Bakery[4].c.post('/api/v1/suggestions', { box_id: ops.json.id, text: 'Could the oven be serviced before the Christmas rush?' });
  assert.equal(s2.status, 201, s2.text);
  const s3 = await P.Bakery[5].c.post('/api/v1/suggestions', { box_id: ops.json.id, text: 'Something about one colleague only.' });
  assert.equal(s3.status, 201, s3.text);
  sql('UPDATE suggestion_pending SET day = day - 86400');
  await until(() => num('SELECT count(*) FROM suggestion_pending') === 0, 'the release');
  assert.equal(num('SELECT count(*) FROM suggestion'), 3);

  // those who answer the box see the new ones with their sentiment; others only answered ones
  const orgList = (await admin.get(`/api/v1/suggestions?box_id=${org.json.id}`)).json.items;
  assert.equal(orgList.length, 1);
  assert.equal(orgList[0].status, 'new');
  assert.equal(orgList[0].sentiment, 'negative');
  assert.equal((await manager.get(`/api/v1/suggestions?box_id=${org.json.id}`)).json.items.length, 0, 'the organisation\'s box is answered by admins');
  const opsList = (await manager.get(`/api/v1/suggestions?box_id=${ops.json.id}`)).json.items;
  assert.equal(opsList.length, 2);
  const homeItem = (await manager.get('/api/v1/home')).json.items.find((i) => i.key === 'suggestions');
  assert.deepEqual(homeItem, { key: 'suggestions', label: 'suggestions waiting for your answer', count: 2, href: '/suggestions', urgency: 'waiting' });
  assert.equal((await P.Bakery[0].c.get('/api/v1/home')).json.items.find((i) => i.key === 'suggestions'), undefined, 'members answer no box');
  assert.equal((await P.Bakery[0].c.get(`/api/v1/suggestions?box_id=${ops.json.id}`)).json.items.length, 0, 'not before it is answered');
  assert.equal((await P.Sales[0].c.get(`/api/v1/suggestions?box_id=${ops.json.id}`)).status, 404);

  // answered in the open; declined with a reason only the writer reads
  const oven = opsList.find((x) => /oven/.test(x.text)), other = opsList.find((x) => /colleague/.test(x.text));
  assert.equal((await P.Bakery[0].c.post(`/api/v1/suggestions/${oven.id}/answer`, { text: 'x' })).status, 403);
  assert.equal((await manager.post(`/api/v1/suggestions/${oven.id}/answer`, { text: ' ' })).status, 422);
  const ans = await manager.post(`/api/v1/suggestions/${oven.id}/answer`, { text: 'Booked for 1 December.' });
  assert.equal(ans.status, 200, ans.text);
  assert.equal((await manager.post(`/api/v1/suggestions/${oven.id}/answer`, { text: 'again' })).status, 409);
  assert.equal((await manager.post(`/api/v1/suggestions/${other.id}/decline`, { reason: 'x' })).status, 403, 'only admins decline');
  assert.equal((await admin.post(`/api/v1/suggestions/${other.id}/decline`, { reason: 'It names one person; please talk to HR.' })).status, 200);
  const seen = (await P.Bakery[0].c.get(`/api/v1/suggestions?box_id=${ops.json.id}`)).json.items;
  assert.equal(seen.length, 1);
  assert.equal(seen[0].answer, 'Booked for 1 December.');
  assert.equal(seen[0].answered_by.id, MANAGER_ID, 'answered in the open, named');
  assert.equal(seen[0].sentiment, undefined, 'the sentiment is for those who answer');
  const forManager = (await manager.get(`/api/v1/suggestions?box_id=${ops.json.id}`)).json.items.find((x) => x.id === other.id);
  assert.equal(forManager.status, 'declined');
  assert.equal(forManager.answer, null, 'the reason is not shown to anyone but the writer');
  const t2 = s2.json.follow_url.slice(s2.json.follow_url.indexOf('token=') + 6), t3 = s3.json.follow_url.slice(s3.json.follow_url.indexOf('token=') + 6);
  const f2 = await anon.get(`/api/v1/suggestion-follow?token=${t2}`);
  assert.equal(f2.json.status, 'answered');
  assert.equal(f2.json.answer, 'Booked for 1 December.');
  const f3 = await anon.get(`/suggestion-follow?token=${t3}`);
  assert.equal(f3.status, 200);
  assert.match(f3.text, /It names one person; please talk to HR\./);
  // the page says plainly that the text may give the writer away
  const pg = await P.Bakery[0].c.get('/suggestions');
  assert.match(pg.text, /may\s+itself give you away/);
  assert.match(pg.text, /Booked for 1 December\./);
  // switched off: no more writing
  assert.equal((await manager.put('/api/v1/suggestion-boxes', { team_id: T.Ops, open: false })).status, 200);
  assert.equal((await P.Bakery[0].c.post('/api/v1/suggestions', { box_id: ops.json.id, text: 'Hello?' })).status, 409);
});

const formPost = (c, path, fields) => c.req('POST', path, { csrf: false, body: new URLSearchParams({ csrf_token: c.csrf, ...fields }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

test('listen-3: custom questions on the new-survey page (rows without JavaScript, per-field errors, nothing lost) and the sentiment correction form', async () => {
  const page = await owner.get('/surveys/new');
  assert.equal(page.status, 200);
  for (let i = 1; i <= 3; i++) assert.match(page.text, new RegExp(`name="q${i}_text"`));
  assert.doesNotMatch(page.text, /name="q4_text"/);
  // more rows: the same form with three more, what was typed kept, nothing created
  const surveysBefore = num('SELECT count(*) FROM survey');
  const more = await formPost(owner, '/surveys/new', { template: 'custom', title: 'Own questions', rows: '3', more: '1', q1_text: 'Lunch breaks are long enough.', q1_kind: 'agree5' });
  assert.equal(more.status, 200);
  assert.match(more.text, /name="q6_text"/);
  assert.match(more.text, /value="Lunch breaks are long enough\."/);
  assert.equal(num('SELECT count(*) FROM survey'), surveysBefore);
  // errors per field, each row's values kept
  const bad = await formPost(owner, '/surveys/new', {
    template: 'custom', title: 'Own questions', rows: '6', opens_on: sql("SELECT date('now')"), closes_on: sql("SELECT date('now', '+7 days')"), recurrence: 'none', min_group: '5',
    q1_text: 'Lunch breaks are long enough.', q1_kind: 'agree5', q1_reverse: '1', q1_factor: 'workload',
    q2_text: 'Which shift do you prefer?', q2_kind: 'choice', q2_options: 'Early',
    q3_text: 'What should we stop doing?', q3_kind: 'text', q3_options: 'x\ny',
  });
  assert.equal(bad.status, 422, bad.text.slice(0, 200));
  assert.equal(num('SELECT count(*) FROM survey'), surveysBefore, 'nothing created');
  assert.match(bad.text, /value="Which shift do you prefer\?"/);
  assert.match(bad.text, /Give 2 to 20 options/);
  assert.match(bad.text, /Only questions with one or several choices have options/);
  assert.doesNotMatch(bad.text, /Only agree and 0 to 10 questions can be reverse-scored/, 'agree5 may be reversed');
  // fixed: the survey exists with exactly these questions
  const good = await formPost(owner, '/surveys/new', {
    template: 'custom', title: 'Own questions', rows: '6', opens_on: sql("SELECT date('now')"), closes_on: sql("SELECT date('now', '+7 days')"), recurrence: 'none', min_group: '5', team_id: String(T.Sales),
    q1_text: 'Lunch breaks are long enough.', q1_kind: 'agree5', q1_reverse: '1', q1_factor: 'workload',
    q2_text: 'Which shift do you prefer?', q2_kind: 'choice', q2_options: 'Early\r\nLate\r\n',
    q3_text: 'What should we stop doing?', q3_kind: 'text', q3_optional: '1',
    q5_text: 'Rate the new till.', q5_kind: 'scale10',
  });
  assert.equal(good.status, 303, good.text.slice(0, 300));
  const sid = Number(good.headers.get('location').split('/').pop());
  const qs = (await owner.get(`/api/v1/surveys/${sid}`)).json.questions;
  assert.deepEqual(qs.map((q) => [q.kind, q.text, q.factor, q.reverse, q.optional, q.options]), [
    ['agree5', 'Lunch breaks are long enough.', 'workload', true, false, []],
    ['choice', 'Which shift do you prefer?', null, false, false, ['Early', 'Late']],
    ['text', 'What should we stop doing?', null, false, true, []],
    ['scale10', 'Rate the new till.', null, false, false, []],
  ]);

  // the sentiment correction, from the results page's comments
  const rid = (await owner.get(`/api/v1/surveys/${sid}`)).json.current_round.id;
  const texts = ['Nothing, all good.', 'The late shift is awful and exhausting.', 'Stop the Monday meeting.', 'Fewer emails please.', 'I love the new rota.'];
  for (let i = 0; i < 5; i++) {
    const a = await P.Sales[i].c.put(`/api/v1/surveys/${sid}/rounds/${rid}/response`, { final: true, answers: [
      { question_id: qs[0].id, value: 3 }, { question_id: qs[1].id, value: 1 }, { question_id: qs[2].id, value: texts[i] }, { question_id: qs[3].id, value: 7 }] });
    assert.equal(a.status, 200, a.text);
  }
  assert.equal((await owner.post(`/api/v1/surveys/${sid}/rounds/${rid}/close`)).status, 200);
  const res = await admin.get(`/surveys/${sid}/rounds/${rid}/results?team_id=${T.Sales}`);
  assert.equal(res.status, 200);
  const m = res.text.match(/action="\/survey-comments\/(\d+)\/sentiment"/);
  assert.ok(m, 'admins get the correction form');
  assert.doesNotMatch((await manager.get(`/surveys/${sid}/rounds/${rid}/results?team_id=${T.Ops}`)).text, /\/sentiment"/);
  const cid = m[1];
  assert.equal((await formPost(manager, `/survey-comments/${cid}/sentiment`, { sentiment: 'positive' })).status, 403, 'admins only');
  assert.equal((await formPost(admin, `/survey-comments/${cid}/sentiment`, { sentiment: 'ecstatic' })).status, 422);
  const set = await formPost(admin, `/survey-comments/${cid}/sentiment`, { sentiment: 'positive', back: `/surveys/${sid}/rounds/${rid}/results?team_id=${T.Sales}` });
  assert.equal(set.status, 303);
  assert.equal(num(`SELECT sentiment_override FROM survey_comment WHERE id = ${cid}`), 1);
  assert.equal((await formPost(admin, `/survey-comments/${cid}/sentiment`, { sentiment: 'computed' })).status, 303);
  assert.equal(sql(`SELECT coalesce(sentiment_override, 'none') FROM survey_comment WHERE id = ${cid}`), 'none', 'the correction removed');
});
