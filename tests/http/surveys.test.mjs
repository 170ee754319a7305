// surveys.test.mjs: surveys people can trust to be anonymous (issue 12),
// against the real binary: scores against hand-computed values, the
// anonymity contract on the database rows (after answers and after close),
// regrouping and complementary suppression against a manager who subtracts,
// results only after close and never changing, refused breakdowns, bad
// answers that change nothing, 50 people answering at once, the k clamp,
// reminders (only to those who have not answered, each once), comments with
// sentiment and the anonymous conversation through the private link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, USERS, Client } from './lib.mjs';

let srv, owner, admin, manager, member;
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8', maxBuffer: 1 << 26 }).trim();
const num = (q) => Number(sql(q));
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
const T = {}; // team ids by name
const P = {}; // people by team: [{id, client}]

async function team(name, parent, lead) {
  const r = await owner.post('/api/v1/teams', { name, parent_id: parent ?? null, lead_id: lead ?? null });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

// people(team, n): n members of a team, each with an API token client.
async function people(teamName, n) {
  P[teamName] = [];
  for (let i = 0; i < n; i++) {
    const email = `${teamName.toLowerCase()}${i}@a.test`;
    const r = await owner.post('/api/v1/people', { name: `${teamName} ${i}`, email, team_id: T[teamName], access: 'member' });
    assert.equal(r.status, 201, r.text);
    P[teamName].push({ id: r.json.id, c: srv.bearer(email) });
  }
}

// until(f): waits for the server's half-second upkeep to make f() true.
async function until(f, what) {
  for (let i = 0; i < 60; i++) { if (await f()) return; await sleep(100); }
  assert.fail(`timed out waiting for ${what}`);
}

let MANAGER_ID;
before(async () => {
  srv = await startServer();
  owner = await srv.login(USERS.owner);
  admin = await srv.login(USERS.admin);
  manager = await srv.login(USERS.manager);
  member = await srv.login(USERS.member);
  MANAGER_ID = num(`SELECT id FROM person WHERE email = '${USERS.manager}'`);
  T.Ops = await team('Ops', null, MANAGER_ID);
  T.Bakery = await team('Bakery', T.Ops);
  T.Cafe = await team('Cafe', T.Ops);
  T.Tiny = await team('Tiny', T.Ops);
  T.Sales = await team('Sales');
  await people('Bakery', 6);
  await people('Cafe', 5);
  await people('Tiny', 2);
  await people('Sales', 6);
});

after(async () => { await srv.stop(); });

const answer = (c, sid, rid, answers, final = true) => c.put(`/api/v1/surveys/${sid}/rounds/${rid}/response`, { answers, final });

test('surveys-1: scores match hand-computed values (favourability, reverse items, factor means, eNPS, distribution, response rate)', async () => {
  const r = await owner.post('/api/v1/surveys', {
    title: 'Scores', team_ids: [T.Sales], questions: [
      { kind: 'agree5', text: 'I trust my colleagues.', factor: 'trust' },
      { kind: 'agree5', text: 'People here hide things.', factor: 'trust', reverse: true },
      { kind: 'scale10', text: 'Recommend us?', factor: 'enps' },
    ],
  });
  assert.equal(r.status, 201, r.text);
  const sid = r.json.id, rid = r.json.current_round.id, [q1, q2, q3] = r.json.questions.map((q) => q.id);
  assert.equal(r.json.current_round.status, 'open');
  const v1 = [5, 4, 4, 2, 1], v2 = [1, 2, 5, 4, 3], v3 = [10, 9, 8, 6, 3];
  for (let i = 0; i < 5; i++) {
    const a = await answer(P.Sales[i].c, sid, rid, [{ question_id: q1, value: v1[i] }, { question_id: q2, value: v2[i] }, { question_id: q3, value: v3[i] }]);
    assert.equal(a.status, 200, a.text);
    assert.equal(a.json.reply_url, null, 'no comment, no private link');
  }
  assert.equal((await owner.get(`/api/v1/surveys/${sid}/rounds/${rid}/results`)).status, 409, 'no results while open');
  assert.equal((await owner.post(`/api/v1/surveys/${sid}/rounds/${rid}/close`)).status, 200);
  const res = await member.get(`/api/v1/surveys/${sid}/rounds/${rid}/results`);
  assert.equal(res.status, 200, res.text);
  const j = res.json, by = Object.fromEntries(j.questions.map((q) => [q.question_id, q]));
  assert.equal(j.hidden, false);
  assert.equal(j.responses, 5);
  assert.equal(j.response_rate, 83.3); // 5 of the 6 invited
  assert.equal(by[q1].mean, 3.2);
  assert.equal(by[q1].favourable, 60);
  assert.deepEqual(by[q1].distribution, [1, 1, 0, 2, 1]); // values 1..5
  assert.equal(by[q2].mean, 3, 'reverse-scored: 6 - x');
  assert.equal(by[q2].favourable, 40);
  assert.deepEqual(by[q2].distribution, [1, 1, 1, 1, 1], 'the distribution counts raw answers');
  assert.equal(j.factors.trust, 50, 'the mean favourability of the factor items');
  assert.deepEqual(j.enps, { score: 0, n: 5, promoters: 40, passives: 20, detractors: 40 });
  assert.equal(j.drivers.shown, false, 'drivers need 30 answers');
  assert.equal(j.drivers.min_n, 30);
  assert.match(j.drivers.explanation, /does not say that one causes the other/);
  // stored at close for the evidence: the factor scores of every shown group
  assert.equal(num(`SELECT score FROM survey_factor_score WHERE round_id = ${rid} AND team_id = 0 AND factor = 'trust'`), 50);
});

test('surveys-2: the anonymity contract on the rows: after answers and after close', async () => {
  const r = await owner.post('/api/v1/surveys', { template: 'pulse', team_ids: [T.Bakery] });
  assert.equal(r.status, 201, r.text);
  const sid = r.json.id, rid = r.json.current_round.id, qs = r.json.questions;
  const full = (seed) => qs.map((q, i) => ({ question_id: q.id, value: q.kind === 'scale10' ? (seed + i) % 11 : q.kind === 'agree7' ? 1 + ((seed + i) % 7) : 1 + ((seed + i) % 5) }));
  const auditBefore = num('SELECT count(*) FROM audit');
  // one part-saved, five final
  assert.equal((await answer(P.Bakery[5].c, sid, rid, full(9).slice(0, 2), false)).status, 200);
  for (let i = 0; i < 5; i++) assert.equal((await answer(P.Bakery[i].c, sid, rid, full(i))).status, 200);
  // the ballot table: exactly these columns, no person and no time
  const cols = sql(`SELECT group_concat(name, ',') FROM pragma_table_info('survey_ballot')`);
  assert.equal(cols, 'id,round_id,team_id,answers');
  const ccols = sql(`SELECT group_concat(name, ',') FROM pragma_table_info('survey_comment')`);
  for (const c of ccols.split(',')) assert.doesNotMatch(c, /person|author|_at$|^time|^day|created/, c);
  assert.equal(sql(`SELECT group_concat(name, ',') FROM pragma_table_info('survey_participant')`), 'round_id,person_id');
  assert.equal(num(`SELECT count(*) FROM pragma_table_info('survey_draft') WHERE name LIKE '%person%'`), 0);
  // random ids, at or above 2^32: no order of answering
  const ids = sql(`SELECT id FROM survey_ballot WHERE round_id = ${rid}`).split('\n').map(Number);
  assert.equal(ids.length, 5);
  for (const id of ids) assert.ok(id >= 2 ** 32 && id < 2 ** 53, `random id ${id}`);
  // the answers hold question ids and values only: no person's id appears
  for (const a of sql(`SELECT answers FROM survey_ballot WHERE round_id = ${rid}`).split('\n')) {
    const o = JSON.parse(a);
    assert.deepEqual(Object.keys(o).map(Number).sort((x, y) => x - y), qs.map((q) => q.id).sort((x, y) => x - y));
  }
  // while open: who has answered, and a draft keyed by a hash
  assert.equal(num(`SELECT count(*) FROM survey_participant WHERE round_id = ${rid}`), 5);
  assert.equal(num(`SELECT count(*) FROM survey_draft WHERE round_id = ${rid}`), 1);
  assert.match(sql(`SELECT key_hash FROM survey_draft WHERE round_id = ${rid}`), /^[0-9a-f]{64}$/);
  assert.equal(num('SELECT count(*) FROM audit'), auditBefore, 'no audit line about any answer');
  assert.equal(num("SELECT count(*) FROM audit WHERE action LIKE 'survey.answer%' OR action LIKE 'survey.response%'"), 0);
  const notesBefore = num("SELECT count(*) FROM notification WHERE kind <> 'survey'");
  assert.equal((await owner.post(`/api/v1/surveys/${sid}/rounds/${rid}/close`)).status, 200);
  // after close: no per-person row, no draft, no secret; counts per team
  assert.equal(num(`SELECT count(*) FROM survey_participant WHERE round_id = ${rid}`), 0);
  assert.equal(num(`SELECT count(*) FROM survey_draft WHERE round_id = ${rid}`), 0);
  assert.equal(sql(`SELECT coalesce(draft_secret, 'NULL') FROM survey_round WHERE id = ${rid}`), 'NULL');
  assert.equal(sql(`SELECT invited || '/' || answered FROM survey_round_count WHERE round_id = ${rid} AND team_id = ${T.Bakery}`), '6/5');
  assert.equal(num("SELECT count(*) FROM notification WHERE kind <> 'survey'"), notesBefore, 'no notification about answers');
  // every stored group below the organisation holds at least k ballots
  const groups = sql(`SELECT coalesce(team_id, 0) || ':' || count(*) FROM survey_ballot WHERE round_id = ${rid} GROUP BY team_id`).split('\n');
  for (const g of groups) { const [t, n] = g.split(':').map(Number); if (t) assert.ok(n >= 5, `group ${g}`); }
  // a person id appears in no ballot and no comment of any round
  const personIds = sql('SELECT id FROM person').split('\n');
  const ballotText = sql('SELECT id, round_id, coalesce(team_id, 0), answers FROM survey_ballot');
  assert.doesNotMatch(ballotText, /person/);
  assert.ok(personIds.length > 0);
});

test('surveys-3: regrouping and complementary suppression hold against a manager who subtracts; breakdowns refused', async () => {
  const r = await owner.post('/api/v1/surveys', { template: 'enps' });
  const sid = r.json.id, rid = r.json.current_round.id, q = r.json.questions[0].id;
  const groups = { Bakery: 6, Cafe: 5, Tiny: 2, Sales: 6 };
  for (const [t, n] of Object.entries(groups)) for (let i = 0; i < n; i++) assert.equal((await answer(P[t][i].c, sid, rid, [{ question_id: q, value: t === 'Tiny' ? 0 : 9 }])).status, 200);
  assert.equal((await owner.post(`/api/v1/surveys/${sid}/rounds/${rid}/close`)).status, 200);
  // Tiny's two ballots moved up past Ops (which would have held only them) to the organisation
  assert.equal(num(`SELECT count(*) FROM survey_ballot WHERE round_id = ${rid} AND team_id = ${T.Tiny}`), 0);
  assert.equal(num(`SELECT count(*) FROM survey_ballot WHERE round_id = ${rid} AND team_id = ${T.Ops}`), 0);
  assert.equal(num(`SELECT count(*) FROM survey_ballot WHERE round_id = ${rid} AND team_id IS NULL`), 2);
  const base = `/api/v1/surveys/${sid}/rounds/${rid}/results`;
  const get = async (c, team) => (await c.get(team ? `${base}?team_id=${team}` : base));
  // the manager leads Ops: Tiny is hidden with no figures at all
  const tiny = await get(manager, T.Tiny);
  assert.equal(tiny.status, 200, tiny.text);
  assert.deepEqual(Object.keys(tiny.json).sort(), ['hidden', 'k', 'round_id', 'team_id']);
  assert.equal(tiny.json.hidden, true);
  // subtraction inside Ops gives nothing away: Ops = Bakery + Cafe
  const ops = (await get(manager, T.Ops)).json, bak = (await get(manager, T.Bakery)).json, cafe = (await get(manager, T.Cafe)).json;
  assert.equal(ops.responses, bak.responses + cafe.responses);
  assert.equal(ops.enps.score, 100);
  // subtraction at the top: the organisation minus Ops would be Sales plus Tiny's two: Sales is hidden too
  const org = (await get(manager, null)).json;
  assert.equal(org.responses, 19);
  assert.equal((await get(manager, T.Sales)).status, 403, 'not the manager\'s team');
  const sales = await get(admin, T.Sales);
  assert.equal(sales.json.hidden, true, 'complementary suppression: the smallest sibling is hidden with the small group');
  // the heatmap marks hidden cells apart from "no data"
  const heat = await get(admin, null).then(() => admin.get(`${base}?breakdown=team`));
  assert.equal(heat.status, 200, heat.text);
  const row = Object.fromEntries(heat.json.teams.map((t) => [t.name, t]));
  assert.equal(row.Tiny.hidden, true);
  assert.equal(row.Sales.hidden, true);
  assert.equal(row.Bakery.hidden, false);
  assert.equal(row.Bakery.responses, 6);
  assert.equal(row.Tiny.responses, undefined, 'a hidden row has no figures');
  // members see the organisation and their own team, nothing else
  assert.equal((await get(P.Bakery[0].c, T.Bakery)).status, 200);
  assert.equal((await get(P.Bakery[0].c, T.Cafe)).status, 403);
  assert.equal((await P.Bakery[0].c.get(`${base}?breakdown=team`)).status, 403);
  // a second attribute or a day: refused
  for (const b of ['tenure', 'day', 'role', 'team,tenure']) {
    const x = await admin.get(`${base}?breakdown=${b}`);
    assert.equal(x.status, 400, b);
    assert.equal(x.json.error.code, 'breakdown_refused');
  }
  // results never change after close: the same answer later, whatever happens to the teams
  const before = JSON.stringify((await get(admin, T.Bakery)).json);
  assert.equal((await owner.patch(`/api/v1/people/${P.Bakery[0].id}`, { team_id: T.Cafe })).status, 200);
  assert.equal((await answer(P.Bakery[5].c, sid, rid, [{ question_id: q, value: 0 }])).status, 409, 'a closed round takes no answer');
  assert.equal(JSON.stringify((await get(admin, T.Bakery)).json), before);
  assert.equal((await owner.patch(`/api/v1/people/${P.Bakery[0].id}`, { team_id: T.Bakery })).status, 200);
});

test('surveys-4: bad answers answer 4xx and change nothing', async () => {
  const a = await owner.post('/api/v1/surveys', { title: 'Checks', team_ids: [T.Cafe], questions: [
    { kind: 'agree5', text: 'One' }, { kind: 'choice', text: 'Two', options: ['x', 'y'] }, { kind: 'multi', text: 'Three', options: ['a', 'b', 'c'], optional: true },
  ] });
  assert.equal(a.status, 201, a.text);
  const other = await owner.post('/api/v1/surveys', { template: 'enps', team_ids: [T.Cafe] });
  const sid = a.json.id, rid = a.json.current_round.id, [q1, q2, q3] = a.json.questions.map((q) => q.id);
  const foreign = other.json.questions[0].id;
  const c = P.Cafe[0].c;
  const rows = () => [num('SELECT count(*) FROM survey_ballot'), num('SELECT count(*) FROM survey_participant'), num('SELECT count(*) FROM survey_draft'), num('SELECT count(*) FROM survey_comment')].join();
  const start = rows();
  const bad = [
    [[{ question_id: q1, value: 6 }, { question_id: q2, value: 0 }], 422, 'out of range'],
    [[{ question_id: q1, value: 0 }, { question_id: q2, value: 0 }], 422, 'zero on agree5'],
    [[{ question_id: q1, value: '3' }, { question_id: q2, value: 0 }], 422, 'a string'],
    [[{ question_id: q1, value: 3 }, { question_id: q2, value: 2 }], 422, 'no such option'],
    [[{ question_id: q1, value: 3 }, { question_id: q2, value: 1 }, { question_id: q3, value: [0, 5] }], 422, 'multi out of range'],
    [[{ question_id: q1, value: 3 }, { question_id: foreign, value: 5 }], 422, "another survey's question"],
    [[{ question_id: q1, value: 3 }, { question_id: q1, value: 4 }, { question_id: q2, value: 1 }], 422, 'twice'],
    [[{ question_id: q1, value: 3 }], 422, 'a required question missing'],
    [[{ question: q1, value: 3 }], 400, 'malformed'],
  ];
  for (const [answers, status, why] of bad) {
    const x = await answer(c, sid, rid, answers);
    assert.equal(x.status, status, `${why}: ${x.text}`);
  }
  assert.equal((await c.put(`/api/v1/surveys/${sid}/rounds/${rid}/response`, { answers: [], final: 'yes' })).status, 400);
  assert.equal((await c.put(`/api/v1/surveys/${sid}/rounds/${rid}/response`, { answers: [], extra: 1 })).status, 400);
  // another round's survey: the round belongs to another survey
  assert.equal((await answer(c, other.json.id, rid, [{ question_id: q1, value: 3 }])).status, 404);
  // not in the audience
  assert.equal((await answer(P.Sales[0].c, sid, rid, [{ question_id: q1, value: 3 }, { question_id: q2, value: 1 }])).status, 403);
  assert.equal(rows(), start, 'nothing changed');
  // answering twice after final
  assert.equal((await answer(c, sid, rid, [{ question_id: q1, value: 3 }, { question_id: q2, value: 1 }, { question_id: q3, value: [0, 2] }])).status, 200);
  const once = rows();
  assert.equal((await answer(c, sid, rid, [{ question_id: q1, value: 4 }, { question_id: q2, value: 0 }])).status, 409);
  assert.equal((await answer(c, sid, rid, [{ question_id: q1, value: 4 }], false)).status, 409, 'no draft after final either');
  assert.equal(rows(), once);
  // a closed round
  assert.equal((await owner.post(`/api/v1/surveys/${sid}/rounds/${rid}/close`)).status, 200);
  const closed = rows();
  const late = await answer(P.Cafe[1].c, sid, rid, [{ question_id: q1, value: 3 }, { question_id: q2, value: 1 }]);
  assert.equal(late.status, 409);
  assert.equal(late.json.error.code, 'round_closed');
  assert.equal(rows(), closed);
  // only admins or the owner close; a member cannot
  assert.equal((await member.post(`/api/v1/surveys/${other.json.id}/rounds/${other.json.current_round.id}/close`)).status, 403);
});

test('surveys-5: a part-saved answer is kept and finished later', async () => {
  const a = await owner.post('/api/v1/surveys', { title: 'Drafts', team_ids: [T.Bakery], questions: [{ kind: 'agree7', text: 'One' }, { kind: 'text', text: 'Say more', optional: true }] });
  const sid = a.json.id, rid = a.json.current_round.id, [q1, q2] = a.json.questions.map((q) => q.id);
  const c = P.Bakery[1].c;
  assert.equal((await answer(c, sid, rid, [{ question_id: q2, value: 'Half a thought' }], false)).status, 200);
  const d = await c.get(`/api/v1/surveys/${sid}/rounds/${rid}/response`);
  assert.deepEqual(d.json, { answers: [{ question_id: q2, value: 'Half a thought' }], final: false });
  assert.equal(num('SELECT count(*) FROM survey_comment WHERE body = \'Half a thought\''), 0, 'a draft is no comment yet');
  const fin = await answer(c, sid, rid, [{ question_id: q1, value: 7 }]);
  assert.equal(fin.status, 200, fin.text);
  assert.match(fin.json.reply_url, /^\/survey-reply\?token=[A-Za-z0-9_-]{43}$/);
  assert.equal(num(`SELECT count(*) FROM survey_draft WHERE round_id = ${rid}`), 0, 'the draft is gone once final');
  assert.equal(num('SELECT count(*) FROM survey_comment WHERE body = \'Half a thought\''), 1, 'the saved text became the comment');
  assert.equal((await c.get(`/api/v1/surveys/${sid}/rounds/${rid}/response`)).json.final, true);
});

test('surveys-6: 50 people answering at once are each counted once', async () => {
  T.Crowd = await team('Crowd');
  await people('Crowd', 50);
  const a = await owner.post('/api/v1/surveys', { template: 'enps', team_ids: [T.Crowd] });
  const sid = a.json.id, rid = a.json.current_round.id, q = a.json.questions[0].id;
  const all = await Promise.all(P.Crowd.flatMap((p, i) => [answer(p.c, sid, rid, [{ question_id: q, value: i % 11 }]), answer(p.c, sid, rid, [{ question_id: q, value: i % 11 }])]));
  const ok = all.filter((x) => x.status === 200).length, dup = all.filter((x) => x.status === 409).length;
  assert.equal(ok, 50, all.filter((x) => x.status !== 200 && x.status !== 409).map((x) => x.text).join('\n'));
  assert.equal(dup, 50);
  assert.equal(num(`SELECT count(*) FROM survey_ballot WHERE round_id = ${rid}`), 50);
  assert.equal(num(`SELECT count(*) FROM survey_participant WHERE round_id = ${rid}`), 50);
  assert.equal((await owner.post(`/api/v1/surveys/${sid}/rounds/${rid}/close`)).status, 200);
  const res = (await owner.get(`/api/v1/surveys/${sid}/rounds/${rid}/results`)).json;
  assert.equal(res.responses, 50);
  assert.equal(res.response_rate, 100);
  assert.equal(res.drivers.shown, false, 'no other item to correlate');
});

test('surveys-7: k is clamped to 3..10 and fixed once a round has closed', async () => {
  const low = await owner.post('/api/v1/surveys', { template: 'enps', min_group: 1 });
  assert.equal(low.json.min_group, 3);
  const zero = await owner.post('/api/v1/surveys', { template: 'enps', min_group: 0 });
  assert.equal(zero.json.min_group, 3);
  const high = await owner.post('/api/v1/surveys', { template: 'enps', min_group: 50 });
  assert.equal(high.json.min_group, 10);
  assert.equal((await owner.post('/api/v1/surveys', { template: 'enps' })).json.min_group, 5);
  assert.equal((await owner.patch(`/api/v1/surveys/${low.json.id}`, { min_group: 2 })).json.min_group, 3);
  await owner.post(`/api/v1/surveys/${low.json.id}/rounds/${low.json.current_round.id}/close`);
  const fixed = await owner.patch(`/api/v1/surveys/${low.json.id}`, { min_group: 7 });
  assert.equal(fixed.status, 409);
  assert.equal(num(`SELECT min_group FROM survey WHERE id = ${low.json.id}`), 3);
  // bad input to create changes nothing
  const n = num('SELECT count(*) FROM survey');
  for (const body of [{}, { template: 'nope' }, { template: 'enps', recurrence: 'daily' }, { template: 'enps', opens_on: '2001-01-01' },
    { template: 'enps', closes_on: '2001-01-01' }, { title: 'x', questions: [{ kind: 'agree9', text: 'q' }] },
    { title: 'x', questions: [{ kind: 'choice', text: 'q', options: ['only one'] }] }, { template: 'enps', team_ids: [999999] }, { template: 'enps', colour: 'red' }]) {
    const x = await owner.post('/api/v1/surveys', body);
    assert.ok(x.status === 400 || x.status === 422, `${JSON.stringify(body)}: ${x.status}`);
  }
  assert.equal((await member.post('/api/v1/surveys', { template: 'enps' })).status, 403);
  assert.equal((await manager.post('/api/v1/surveys', { template: 'enps' })).status, 422, 'a manager names their teams');
  assert.equal((await manager.post('/api/v1/surveys', { template: 'enps', team_ids: [T.Sales] })).status, 422, 'not a team they lead');
  assert.equal(num('SELECT count(*) FROM survey'), n);
  assert.equal((await manager.post('/api/v1/surveys', { template: 'enps', team_ids: [T.Bakery] })).status, 201);
});

test('surveys-8: reminders go to those who have not answered, at opening, three days later and the day before closing, each once', async () => {
  T.Remind = await team('Remind');
  await people('Remind', 3);
  const a = await owner.post('/api/v1/surveys', { template: 'enps', team_ids: [T.Remind], recurrence: 'monthly' });
  const sid = a.json.id, rid = a.json.current_round.id, q = a.json.questions[0].id;
  const notes = (p) => num(`SELECT count(*) FROM notification WHERE person_id = ${p.id} AND kind = 'survey' AND link = '/surveys/${sid}/rounds/${rid}'`);
  const [p0, p1, p2] = P.Remind;
  assert.deepEqual([notes(p0), notes(p1), notes(p2)], [1, 1, 1], 'at opening');
  assert.equal(num(`SELECT count(*) FROM notification WHERE kind = 'survey' AND link = '/surveys/${sid}/rounds/${rid}' AND person_id NOT IN (${P.Remind.map((p) => p.id)})`), 0, 'only the audience');
  assert.equal((await answer(p0.c, sid, rid, [{ question_id: q, value: 8 }])).status, 200);
  sql(`UPDATE survey_round SET opens_on = date(opens_on, '-3 days') WHERE id = ${rid}`);
  await until(() => num(`SELECT reminders FROM survey_round WHERE id = ${rid}`) & 2, 'the three-day reminder');
  assert.deepEqual([notes(p0), notes(p1), notes(p2)], [1, 2, 2]);
  await sleep(1200);
  assert.deepEqual([notes(p0), notes(p1), notes(p2)], [1, 2, 2], 'once');
  assert.equal((await answer(p1.c, sid, rid, [{ question_id: q, value: 9 }])).status, 200);
  sql(`UPDATE survey_round SET closes_on = date('now', '+1 day') WHERE id = ${rid}`);
  await until(() => num(`SELECT reminders FROM survey_round WHERE id = ${rid}`) & 4, 'the day-before reminder');
  await sleep(1200);
  assert.deepEqual([notes(p0), notes(p1), notes(p2)], [1, 2, 3]);
  // monthly: the next occurrence is scheduled a month on
  assert.equal(num(`SELECT count(*) FROM survey_round WHERE survey_id = ${sid} AND number = 2 AND status = 'scheduled'`), 1);
  // the tick closes a round whose last day is over, and opens the next one when its day comes
  sql(`UPDATE survey_round SET closes_on = date('now', '-1 day') WHERE id = ${rid}`);
  sql(`UPDATE survey_round SET opens_on = date('now'), closes_on = date('now', '+5 days') WHERE survey_id = ${sid} AND number = 2`);
  await until(() => sql(`SELECT status FROM survey_round WHERE id = ${rid}`) === 'closed', 'the close by date');
  await until(() => sql(`SELECT status FROM survey_round WHERE survey_id = ${sid} AND number = 2`) === 'open', 'the next round to open');
  assert.equal(num(`SELECT count(*) FROM survey_participant WHERE round_id = ${rid}`), 0);
  assert.equal(num(`SELECT count(*) FROM notification WHERE link = '/surveys/${sid}/rounds/${rid}'`), 0, 'the reminders, which would say who had answered, are gone');
  const rounds = await member.get(`/api/v1/surveys/${sid}/rounds`);
  assert.deepEqual(rounds.json.items.map((x) => x.status).slice(0, 3), ['scheduled', 'open', 'closed']);
});

test('surveys-9: comments with sentiment, an admin\'s override, and the anonymous conversation through the private link', async () => {
  const a = await owner.post('/api/v1/surveys', { title: 'Say it', team_ids: [T.Ops], questions: [{ kind: 'agree5', text: 'OK?' }, { kind: 'text', text: 'Anything else?', optional: true }] });
  const sid = a.json.id, rid = a.json.current_round.id, [q1, q2] = a.json.questions.map((q) => q.id);
  const texts = ['The new rota is great, thank you!', 'Workload is terrible and nobody listens.', 'Die Kommunikation ist gut.', 'Tools are fine.', 'Pay is not fair.', 'Love the team.'];
  const links = [];
  for (let i = 0; i < 6; i++) {
    const x = await answer(P.Bakery[i].c, sid, rid, [{ question_id: q1, value: 4 }, { question_id: q2, value: texts[i] }]);
    assert.equal(x.status, 200, x.text);
    links.push(x.json.reply_url);
  }
  for (let i = 0; i < 5; i++) assert.equal((await answer(P.Cafe[i].c, sid, rid, [{ question_id: q1, value: 3 }, ...(i < 3 ? [{ question_id: q2, value: `Cafe note ${i}` }] : [])])).status, 200);
  assert.equal((await manager.get(`/api/v1/surveys/${sid}/rounds/${rid}/comments?team_id=${T.Bakery}`)).status, 409, 'not while open');
  assert.equal((await owner.post(`/api/v1/surveys/${sid}/rounds/${rid}/close`)).status, 200);
  const list = await manager.get(`/api/v1/surveys/${sid}/rounds/${rid}/comments?team_id=${T.Bakery}`);
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.items.length, 6);
  const by = Object.fromEntries(list.json.items.map((c) => [c.text, c]));
  assert.equal(by[texts[0]].sentiment, 'positive');
  assert.ok(by[texts[0]].words.includes('great'), JSON.stringify(by[texts[0]].words));
  assert.equal(by[texts[1]].sentiment, 'negative');
  assert.ok(by[texts[1]].themes.includes('workload'));
  assert.equal(list.json.items.some((c) => 'team_id' in c || 'person_id' in c), false);
  // the Cafe's three comments are fewer than five: not shown on their own
  const cafe = await manager.get(`/api/v1/surveys/${sid}/rounds/${rid}/comments?team_id=${T.Cafe}`);
  assert.equal(cafe.json.hidden, true);
  assert.equal(cafe.json.items.length, 0);
  assert.equal((await member.get(`/api/v1/surveys/${sid}/rounds/${rid}/comments`)).status, 403);
  // an admin corrects a sentiment: kept as an override beside the computed one
  const cid = by[texts[3]].id;
  assert.equal((await admin.patch(`/api/v1/survey-comments/${cid}`, { sentiment: 'negative' })).status, 200);
  assert.equal((await manager.patch(`/api/v1/survey-comments/${cid}`, { sentiment: 'negative' })).status, 403);
  const again = (await admin.get(`/api/v1/surveys/${sid}/rounds/${rid}/comments?team_id=${T.Bakery}`)).json.items.find((c) => c.id === cid);
  assert.equal(again.sentiment, 'negative');
  assert.equal(again.override, 'negative');
  assert.equal(again.computed_sentiment, by[texts[3]].computed_sentiment);
  // the manager replies, named; the writer reads it through their link and answers anonymously
  const target = by[texts[1]].id;
  assert.equal((await manager.post(`/api/v1/survey-comments/${target}/replies`, { text: 'Thank you. Can you tell me more about the workload?' })).status, 201);
  assert.equal((await P.Bakery[0].c.post(`/api/v1/survey-comments/${target}/replies`, { text: 'me too' })).status, 403);
  const token = links[1].split('token=')[1];
  const anon = new Client(srv.base);
  const mine = await anon.get(`/api/v1/survey-replies?token=${token}`);
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.json.items.length, 1);
  assert.equal(mine.json.items[0].text, texts[1]);
  assert.equal(mine.json.items[0].replies[0].from, 'Max Manager');
  assert.equal((await anon.get(`/api/v1/survey-replies?token=${links[0].split('token=')[1]}`)).json.items[0].replies.length, 0, 'another writer sees only their own');
  assert.equal((await anon.get(`/api/v1/survey-replies?token=${'x'.repeat(43)}`)).status, 404);
  const back = await anon.post('/api/v1/survey-replies', { token, comment_id: target, text: 'Three closes in a row every week.' });
  assert.equal(back.status, 201, back.text);
  assert.equal((await anon.post('/api/v1/survey-replies', { token, comment_id: by[texts[0]].id, text: 'not mine' })).status, 404);
  assert.equal(sql(`SELECT coalesce(author_id, 'NULL') || ' ' || length(day) FROM survey_reply WHERE comment_id = ${target} AND seq = 2`), 'NULL 10', 'anonymous, the day only');
  const thread = (await manager.get(`/api/v1/surveys/${sid}/rounds/${rid}/comments?team_id=${T.Bakery}`)).json.items.find((c) => c.id === target);
  assert.deepEqual(thread.replies.map((x) => x.from), ['Max Manager', 'the writer (anonymous)']);
  // the reply hashes of one writer's comments are not one value
  assert.equal(num(`SELECT count(DISTINCT reply_hash) FROM survey_comment WHERE round_id = ${rid}`), 9);
});

test('surveys-10: pages render, and the answer form works without JavaScript', async () => {
  const a = await owner.post('/api/v1/surveys', { template: 'pulse', team_ids: [T.Sales] });
  const sid = a.json.id, rid = a.json.current_round.id;
  const c = await srv.login(USERS.owner);
  for (const p of ['/surveys', '/surveys/new', `/surveys/${sid}`]) assert.equal((await c.get(p)).status, 200, p);
  const form = await c.get(`/surveys/${sid}/rounds/${rid}`);
  assert.equal(form.status, 200);
  assert.match(form.text, /This survey is not for your team/);
  const de = await c.get(`/surveys/${sid}?lang=de`);
  assert.match(de.text, /Gute Arbeit wird bei uns bemerkt/);
  const made = await c.form('/surveys/new', { template: 'enps', opens_on: new Date().toISOString().slice(0, 10), closes_on: new Date(Date.now() + 5 * 86400e3).toISOString().slice(0, 10), recurrence: 'none', min_group: '5', team_id: '' });
  assert.equal(made.status, 303, made.text);
  const bad = await c.form('/surveys/new', { template: 'enps', opens_on: '2001-01-01', closes_on: '2001-01-02', recurrence: 'none' });
  assert.equal(bad.status, 422);
});
