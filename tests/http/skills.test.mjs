// skills.test.mjs: skills, training and rights with prerequisites over
// HTTP: a right that needs a training is absent for "Can I?" (with
// "missing") until the manager confirms the training completed; levels
// raised never lowered; who may assess, confirm, approve and complete; the
// team matrix with gaps and single points of failure; bad input 4xx that
// changes nothing; other organisations' ids are 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, USERS } from './lib.mjs';

let srv, owner, admin, manager, member, other;
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const id = (email) => Number(sql(`SELECT id FROM person WHERE email_lc = '${email}'`));
const count = (t) => Number(sql(`SELECT count(*) FROM ${t}`));
let skill, training, shadow, role, team, right;

before(async () => {
  srv = await startServer();
  [owner, admin, manager, member, other] = await Promise.all([USERS.owner, USERS.admin, USERS.manager, USERS.member, USERS.other].map((e) => srv.login(e)));
  sql("INSERT INTO domain(org_id, slug, label, risk, created_at) VALUES (1, 'refund', 'refunds', 'low', 0)");
  sql("INSERT INTO role(org_id, name, created_at, updated_at) VALUES (1, 'Barista', 0, 0)");
  role = Number(sql("SELECT id FROM role WHERE name = 'Barista'"));
  sql(`INSERT INTO role_holder(role_id, person_id, org_id, since) VALUES (${role}, ${id(USERS.member)}, 1, 0), (${role}, ${id(USERS.manager)}, 1, 0)`);
  sql(`INSERT INTO team(org_id, name, lead_id, created_at) VALUES (1, 'Café', ${id(USERS.manager)}, 0), (1, 'Bakery', ${id(USERS.owner)}, 0)`);
  team = Number(sql("SELECT id FROM team WHERE name = 'Café'"));
  sql(`UPDATE person SET team_id = ${team} WHERE id IN (${id(USERS.member)}, ${id(USERS.manager)})`);
});
after(async () => { await srv.stop(); });

test('skills-1: admins add skills; bad input is 4xx and changes nothing', async () => {
  let r = await admin.post('/api/v1/skills', { name: 'Complaint handling', description: 'Turning an upset guest around' });
  assert.equal(r.status, 201);
  skill = r.json.id;
  assert.equal(r.json.name, 'Complaint handling');
  r = await admin.post('/api/v1/skills', { name: 'Latte art' });
  assert.equal(r.status, 201);
  const before = count('skill');
  assert.equal((await admin.post('/api/v1/skills', { name: 'Complaint handling' })).status, 409);
  assert.equal((await admin.post('/api/v1/skills', { name: '  ' })).json.error.field, 'name');
  assert.equal((await admin.post('/api/v1/skills', { name: 'x', colour: 'red' })).status, 400);
  assert.equal((await admin.req('POST', '/api/v1/skills', { body: 'name=x', headers: { 'content-type': 'text/plain' } })).status, 415);
  assert.equal((await member.post('/api/v1/skills', { name: 'Sneaky' })).status, 403);
  assert.equal(count('skill'), before);
  assert.equal((await other.get('/api/v1/skills')).json.items.length, 0, 'another organisation sees none');
  assert.equal((await other.patch(`/api/v1/skills/${skill}`, { name: 'Mine' })).status, 404);
});

test('skills-2: a role needs a skill at a level; levels are 1..4', async () => {
  assert.equal((await admin.put(`/api/v1/roles/${role}/skills`, { skills: [{ skill_id: skill, level: 5 }] })).status, 422);
  assert.equal((await admin.put(`/api/v1/roles/${role}/skills`, { skills: [{ skill_id: 99999, level: 2 }] })).status, 422);
  assert.equal(count('role_skill'), 0);
  const r = await admin.put(`/api/v1/roles/${role}/skills`, { skills: [{ skill_id: skill, level: 3 }] });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.skills, [{ skill_id: skill, name: 'Complaint handling', level: 3 }]);
  assert.equal((await other.get(`/api/v1/roles/${role}/skills`)).status, 404);
});

test('skills-3: a person assesses themself; only a manager above confirms', async () => {
  const me = id(USERS.member);
  let r = await member.put(`/api/v1/people/${me}/skills/${skill}`, { self_level: 3 });
  assert.equal(r.status, 200);
  let row = r.json.skills.find((s) => s.skill_id === skill);
  assert.equal(row.self_level, 3);
  assert.equal(row.confirmed_level, null);
  assert.equal(row.gap, true, 'the own view does not count');
  assert.equal((await member.put(`/api/v1/people/${me}/skills/${skill}`, { confirmed_level: 3 })).status, 403);
  assert.equal((await member.put(`/api/v1/people/${id(USERS.manager)}/skills/${skill}`, { self_level: 1 })).status, 404, 'not visible to a member');
  assert.equal((await manager.put(`/api/v1/people/${me}/skills/${skill}`, { self_level: 1 })).status, 403);
  assert.equal((await manager.put(`/api/v1/people/${me}/skills/${skill}`, { confirmed_level: 9 })).status, 422);
  r = await manager.put(`/api/v1/people/${me}/skills/${skill}`, { confirmed_level: 2 });
  assert.equal(r.status, 200);
  row = r.json.skills.find((s) => s.skill_id === skill);
  assert.equal(row.confirmed_level, 2);
  assert.equal(row.confirmed_by.name, 'Max Manager');
  assert.equal(row.needed, 3);
  assert.equal((await other.get(`/api/v1/people/${me}/skills`)).status, 404);
});

test('skills-4: the team matrix shows gaps and single points of failure', async () => {
  const mgr = id(USERS.manager);
  await admin.put(`/api/v1/people/${mgr}/skills/${skill}`, { confirmed_level: 4 });
  const r = await manager.get(`/api/v1/teams/${team}/skills`);
  assert.equal(r.status, 200);
  const s = r.json.skills.find((x) => x.id === skill);
  assert.equal(s.needed, 3);
  assert.equal(s.holders, 1);
  assert.equal(s.single_point_of_failure, true);
  assert.deepEqual(r.json.single_points_of_failure, [skill]);
  assert.equal(r.json.gaps, 1, 'the member is at 2 where 3 is needed');
  assert.equal((await member.get(`/api/v1/teams/${team}/skills`)).status, 403);
  const bakery = Number(sql("SELECT id FROM team WHERE name = 'Bakery'"));
  assert.equal((await manager.get(`/api/v1/teams/${bakery}/skills`)).status, 403, 'a manager sees the teams they lead, or whose lead is below them');
  assert.equal((await admin.get(`/api/v1/teams/${bakery}/skills`)).status, 200);
  assert.equal((await other.get(`/api/v1/teams/${team}/skills`)).status, 404);
  const page = await manager.get(`/teams/${team}/skills`);
  assert.equal(page.status, 200);
  assert.match(page.text, /Single points of failure/);
  assert.match(page.text, /Complaint handling at level 3: only Max Manager/);
});

test('training-1: the catalogue takes http(s) links only; bad input changes nothing', async () => {
  const before = count('training');
  for (const body of [{ kind: 'course', title: 'X', url: 'javascript:alert(1)' }, { kind: 'party', title: 'X' }, { kind: 'course', title: '' },
    { kind: 'course', title: 'X', builds: [{ skill_id: skill, level: 0 }] }, { kind: 'course', title: 'X', builds: [{ skill_id: 424242, level: 2 }] }]) {
    const r = await manager.post('/api/v1/trainings', body);
    assert.equal(r.status, 422, JSON.stringify(body));
  }
  assert.equal((await member.post('/api/v1/trainings', { kind: 'session', title: 'Mine' })).status, 403);
  assert.equal(count('training'), before);
  let r = await manager.post('/api/v1/trainings', { kind: 'session', title: 'Complaint handling session', url: 'https://example.org/complaints', builds: [{ skill_id: skill, level: 3 }] });
  assert.equal(r.status, 201);
  training = r.json.id;
  assert.deepEqual(r.json.builds, [{ skill_id: skill, name: 'Complaint handling', level: 3 }]);
  r = await manager.post('/api/v1/trainings', { kind: 'shadowing', title: 'Shadow a shift lead', builds: [{ skill_id: skill, level: 2 }] });
  shadow = r.json.id;
  assert.equal((await member.get(`/api/v1/trainings/${training}`)).json.url, 'https://example.org/complaints');
  assert.equal((await other.get(`/api/v1/trainings/${training}`)).status, 404);
});

test('rights-req-1: a right may require a training; bad prerequisites are 422', async () => {
  const base = { person_id: id(USERS.member), domain: 'refund', level: 7, limit: '200', reason: 'Refunds at the counter' };
  const before = count('decision_right');
  for (const requires of [[{ skill_id: skill }], [{ skill_id: skill, level: 7 }], [{ training_id: 9999 }], [{ skill_id: skill, level: 2, training_id: training }], 'x', [1, 2, 3, 4, 5]]) {
    const r = await admin.post('/api/v1/rights', { ...base, requires });
    assert.equal(r.status, 422, JSON.stringify(requires));
    assert.equal(r.json.error.field, 'requires');
  }
  assert.equal(count('decision_right'), before);
  const r = await admin.post('/api/v1/rights', { ...base, requires: [{ training_id: training }] });
  assert.equal(r.status, 201);
  right = r.json.id;
  assert.deepEqual(r.json.requires, [{ training_id: training }]);
  const page = await admin.get(`/rights/${right}`);
  assert.match(page.text, /Prerequisites/);
  assert.match(page.text, new RegExp(`href="/training/${training}"`));
});

test('rights-req-2: until the training is completed "Can I?" treats the right as absent and says what is missing', async () => {
  const r = await member.get('/api/v1/can?domain=refund&amount=50');
  assert.equal(r.json.verdict, 'none', 'the member has no right that counts, so it goes to a decider');
  assert.ok(r.json.route_to, 'and says whom to ask until then');
  assert.equal(r.json.right_id, null);
  assert.deepEqual(r.json.missing, [{ training_id: training, name: 'Complaint handling session', text: 'complete the training Complaint handling session' }]);
  assert.equal(r.json.missing_right_id, right);
  assert.match(r.json.explanation, /^Not yet: complete the training Complaint handling session; until then: /);
  const page = await member.get('/can?domain=refund&amount=50');
  assert.match(page.text, /data-missing/);
  assert.match(page.text, /the training Complaint handling session/);
  assert.match(page.text, /Until then, ask /);
});

test('training-2: suggestions explain themselves; plans are approved and completed by someone with authority', async () => {
  const me = id(USERS.member);
  let r = await member.get('/api/v1/training-suggestions');
  assert.equal(r.status, 200);
  assert.equal(r.json.items[0].training_id, training);
  assert.equal(r.json.items[0].kind, 'right_training');
  assert.equal(r.json.items[0].evidence, "Mia Member holds refunds up to 200.00 once the training 'Complaint handling session' is completed; it is the right's prerequisite.");
  assert.equal((await member.get(`/api/v1/training-suggestions?person_id=${id(USERS.manager)}`)).status, 404);
  assert.equal((await manager.get(`/api/v1/training-suggestions?person_id=${me}`)).status, 200);

  const before = count('training_plan');
  assert.equal((await member.post('/api/v1/training-plans', { training_id: 424242 })).status, 422);
  assert.equal((await member.post('/api/v1/training-plans', { training_id: training, person_id: id(USERS.manager) })).status, 422);
  assert.equal((await member.req('POST', '/api/v1/training-plans', { body: 'x', headers: { 'content-type': 'text/plain' } })).status, 415);
  assert.equal(count('training_plan'), before);
  r = await member.post('/api/v1/training-plans', { training_id: training, evidence: r.json.items[0].evidence });
  assert.equal(r.status, 201);
  const plan = r.json.id;
  assert.equal(r.json.status, 'proposed');
  assert.equal(r.json.proposed_by.name, 'Mia Member');
  assert.equal((await member.post('/api/v1/training-plans', { training_id: training })).status, 409, 'planned once');
  assert.equal((await member.post(`/api/v1/training-plans/${plan}/approve`)).status, 403, 'nobody approves their own plan');
  assert.equal((await manager.post(`/api/v1/training-plans/${plan}/complete`)).status, 409, 'approve first');
  assert.equal((await other.post(`/api/v1/training-plans/${plan}/approve`)).status, 404);
  r = await manager.post(`/api/v1/training-plans/${plan}/approve`, { note: 'Go for it' });
  assert.equal(r.status, 200);
  assert.equal(r.json.decided_by.name, 'Max Manager');
  // still missing until the completion is confirmed
  assert.ok((await member.get('/api/v1/can?domain=refund&amount=50')).json.missing);
  assert.equal((await member.post(`/api/v1/training-plans/${plan}/complete`)).status, 403, 'the manager confirms, not the person');
  r = await manager.post(`/api/v1/training-plans/${plan}/complete`);
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'completed');
  assert.equal(r.json.completed_by.name, 'Max Manager');
  assert.ok(r.json.completed_at);
  const can = await member.get('/api/v1/can?domain=refund&amount=50');
  assert.equal(can.json.verdict, 'decide');
  assert.equal(can.json.right_id, right);
  assert.equal(can.json.missing, undefined);
  const lv = await member.get(`/api/v1/people/${me}/skills`);
  assert.equal(lv.json.skills.find((s) => s.skill_id === skill).confirmed_level, 3, 'raised to what the training builds');
  assert.match(sql("SELECT group_concat(action) FROM audit WHERE action LIKE 'training.%'"), /training.propose,training.approve,training.complete/);
});

test('training-3: completion never lowers a level; dismissals record who turned a suggestion down', async () => {
  const mgr = id(USERS.manager);
  let r = await admin.post('/api/v1/training-plans', { training_id: shadow, person_id: mgr });
  assert.equal(r.status, 201);
  await admin.post(`/api/v1/training-plans/${r.json.id}/approve`);
  await admin.post(`/api/v1/training-plans/${r.json.id}/complete`);
  assert.equal(Number(sql(`SELECT confirmed_level FROM person_skill WHERE person_id = ${mgr} AND skill_id = ${skill}`)), 4, 'still 4, not 2');
  r = await admin.post('/api/v1/training-plans', { training_id: shadow, person_id: id(USERS.member), dismiss: true, evidence: 'not needed' });
  assert.equal(r.status, 201);
  assert.equal(r.json.status, 'dismissed');
  assert.equal(r.json.decided_by.name, 'Ada Admin');
  const plans = await member.get('/api/v1/training-plans');
  assert.equal(plans.json.items.length, 2);
});

test('training-4: the pages work without JavaScript', async () => {
  const me = id(USERS.member);
  let r = await member.get('/training');
  assert.equal(r.status, 200);
  assert.match(r.text, /Complaint handling session/);
  r = await member.get(`/training/${training}`);
  assert.match(r.text, /https:\/\/example.org\/complaints/);
  r = await member.get(`/skills/people/${me}`);
  assert.match(r.text, /Assess yourself/);
  r = await member.form(`/skills/people/${me}`, { which: 'self', skill_id: String(skill), level: '4' });
  assert.equal(r.status, 303);
  assert.equal(Number(sql(`SELECT self_level FROM person_skill WHERE person_id = ${me} AND skill_id = ${skill}`)), 4);
  r = await member.form(`/skills/people/${me}`, { which: 'confirmed', skill_id: String(skill), level: '4' });
  assert.equal(r.status, 403);
  r = await admin.form('/skills', { name: 'Allergens', description: '' });
  assert.equal(r.status, 303);
  r = await admin.form('/skills', { name: '' });
  assert.equal(r.status, 422);
  r = await manager.form('/training', { kind: 'course', title: 'Bad link', url: 'ftp://x' });
  assert.equal(r.status, 422);
  assert.equal(Number(sql("SELECT count(*) FROM training WHERE title = 'Bad link'")), 0);
  r = await member.get('/skills');
  assert.match(r.text, /Complaint handling/);
});
