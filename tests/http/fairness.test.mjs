// fairness.test.mjs: the fairness audit over HTTP: groups of at least five
// only (with complementary suppression), the four-fifths flag with
// Fisher's exact test against the hand-computed value, owners and admins
// only; self-described attributes set and cleared by the person alone,
// never visible per person (pages, API, CSV) and stored only in their own
// table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, USERS } from './lib.mjs';

let srv, owner, admin, manager, member;
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const id = (email) => Number(sql(`SELECT id FROM person WHERE email_lc = '${email}'`));

before(async () => {
  srv = await startServer();
  [owner, admin, manager, member] = await Promise.all([USERS.owner, USERS.admin, USERS.manager, USERS.member].map((e) => srv.login(e)));
  // two teams of six; Kitchen gets 1 of 6 training plans approved, Front 5 of 6
  sql("INSERT INTO team(org_id, name, created_at) VALUES (1, 'Kitchen', 0), (1, 'Front', 0)");
  sql("INSERT INTO training(org_id, kind, title, created_at) VALUES (1, 'session', 'Food safety', 0)");
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < 12; i++) {
    const team = i < 6 ? 'Kitchen' : 'Front';
    sql(`INSERT INTO person(org_id, name, email, email_lc, team_id, access, status, created_at) VALUES (1, 'P${i}', 'p${i}@a.test', 'p${i}@a.test', (SELECT id FROM team WHERE name = '${team}'), 'member', 'active', ${now})`);
    const approved = i < 6 ? i === 0 : i !== 6;
    sql(`INSERT INTO training_plan(org_id, person_id, training_id, status, proposed_at) VALUES (1, (SELECT id FROM person WHERE email = 'p${i}@a.test'), 1, '${approved ? 'approved' : 'rejected'}', ${now})`);
  }
  // self-described: six women (one in Kitchen, five in Front); three in 25-34
  for (const i of [0, 7, 8, 9, 10, 11]) sql(`INSERT INTO self_attribute(org_id, person_id, gender) VALUES (1, (SELECT id FROM person WHERE email = 'p${i}@a.test'), 'woman')`);
  for (const i of [1, 2, 3]) sql(`INSERT INTO self_attribute(org_id, person_id, age_band) VALUES (1, (SELECT id FROM person WHERE email = 'p${i}@a.test'), '25-34')`);
});
after(async () => { await srv.stop(); });

const process = (r, key) => r.json.processes.find((p) => p.key === key);
const dim = (p, key) => p.dimensions.find((d) => d.key === key);

test('fairness-1: owners and admins only', async () => {
  assert.equal((await member.get('/api/v1/fairness')).status, 403);
  assert.equal((await manager.get('/api/v1/fairness')).status, 403);
  assert.equal((await manager.get('/fairness')).status, 403);
  assert.equal((await owner.get('/api/v1/fairness')).status, 200);
  assert.equal((await admin.get('/fairness')).status, 200);
});

test('fairness-2: a group below four fifths is flagged with Fisher\'s exact p (74/924, worked by hand)', async () => {
  const r = await admin.get('/api/v1/fairness');
  const tr = process(r, 'training');
  assert.equal(tr.eligible, 12);
  assert.equal(tr.success, 6);
  const teams = dim(tr, 'team');
  assert.deepEqual(teams.groups.map((g) => [g.name, g.people, g.success, g.eligible]).sort(), [['Front', 6, 5, 6], ['Kitchen', 6, 1, 6]]);
  assert.equal(teams.flags.length, 1);
  const f = teams.flags[0];
  assert.equal(f.group, 'Kitchen');
  assert.equal(f.best_group, 'Front');
  assert.deepEqual(f.table, [1, 5, 5, 1]);
  // margins 6/6 of 12: P(a) = C(6,a)^2 / 924; two-sided: (1 + 36 + 36 + 1) / 924
  assert.equal(f.p_value, Math.round((74 / 924) * 10000) / 10000);
  assert.match(f.sentence, /Kitchen succeeded 1 of 6 times \(17%\), below four fifths of the highest group's 83% \(Front\)/);
  assert.match(f.sentence, /p = 0\.080/);
  const page = await admin.get('/fairness');
  assert.match(page.text, /Kitchen succeeded 1 of 6 times/);
});

test('fairness-3: groups below five are hidden, and so is the group that would reveal them', async () => {
  const r = await admin.get('/api/v1/fairness');
  const tr = process(r, 'training');
  const g = dim(tr, 'gender');
  assert.deepEqual(g.groups.map((x) => [x.name, x.people]).sort(), [['not given', 6], ['woman', 6]]);
  const age = dim(tr, 'age_band');
  assert.equal(age.groups.length, 0, 'three in 25-34 hidden, and "not given" (9) with them, or 12 - 9 would give the three');
  assert.equal(age.hidden_groups, 2);
  const tenure = dim(tr, 'tenure');
  assert.ok(tenure.groups.every((x) => x.people >= 5));
  assert.equal(JSON.stringify(r.json.processes).includes('"P0"'), false, 'no person is named in the groups');
  assert.ok(r.json.suggestions.training.some((s) => s.person === 'P0' && s.status === 'approved'), 'the decided suggestions are linked, with their deciders');
});

test('attributes-1: the person sets and clears their own; bad answers are 422 and change nothing', async () => {
  assert.equal((await member.put('/api/v1/account/attributes', { gender: 'robot' })).status, 422);
  assert.equal((await member.put('/api/v1/account/attributes', { age: '30' })).status, 400);
  assert.equal((await member.req('PUT', '/api/v1/account/attributes', { body: 'x', headers: { 'content-type': 'text/plain' } })).status, 415);
  assert.equal(Number(sql(`SELECT count(*) FROM self_attribute WHERE person_id = ${id(USERS.member)}`)), 0);
  assert.equal((await member.put('/api/v1/account/attributes', { gender: 'non-binary', age_band: '55+' })).status, 204);
  assert.equal(sql(`SELECT gender || '/' || age_band FROM self_attribute WHERE person_id = ${id(USERS.member)}`), 'non-binary/55+');
  const acc = await member.get('/account');
  assert.match(acc.text, /<option value="non-binary" selected>/, 'the person sees their own answer on their account page');
  const r = await member.form('/account/attributes', { gender: '', age_band: '' });
  assert.equal(r.status, 303);
  assert.equal(Number(sql(`SELECT count(*) FROM self_attribute WHERE person_id = ${id(USERS.member)}`)), 0, 'cleared: the row is gone');
  await member.put('/api/v1/account/attributes', { gender: 'non-binary', age_band: '55+' });
  assert.equal((await member.del('/api/v1/account/attributes')).status, 204);
  assert.equal(Number(sql(`SELECT count(*) FROM self_attribute WHERE person_id = ${id(USERS.member)}`)), 0);
});

test('attributes-2: never visible per person: pages, API, CSV, the audit log; rows only in their own table', async () => {
  await member.put('/api/v1/account/attributes', { gender: 'non-binary', age_band: '55+' });
  const me = id(USERS.member);
  for (const [c, path] of [[admin, `/api/v1/people/${me}`], [admin, `/people/${me}`], [admin, '/api/v1/people?format=csv'], [admin, '/api/v1/people'],
    [manager, `/people/${me}`], [admin, '/api/v1/audit'], [admin, '/audit'], [admin, `/skills/people/${me}`], [admin, '/api/v1/fairness'], [admin, '/fairness']]) {
    const r = await c.get(path);
    assert.equal(r.status, 200, path);
    assert.equal(/non-binary|55\+/.test(r.text), false, `${path} shows nothing of it`);
  }
  const dump = execFileSync('sqlite3', [srv.db, '.dump'], { encoding: 'utf8' });
  const lines = dump.split('\n').filter((l) => l.includes('non-binary'));
  assert.ok(lines.length >= 1);
  assert.ok(lines.every((l) => l.startsWith('INSERT INTO self_attribute') || l.includes('CHECK') || l.startsWith('CREATE')), lines.join('\n'));
});
