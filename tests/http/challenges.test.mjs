// challenges.test.mjs: challenges (src/challenges.c) through the real
// binary: the JSON API (/api/v1/challenges, reviewers), the pages
// (/challenges...), who may publish (admins any scope, managers their team
// subtree), team-scope visibility (people in the subtree, leads above it,
// admins; everyone else 404), phase changes, reviewer rules, bad input that
// must change nothing, isolation between organisations and HTML escaping.
//
// Teams: Ops (led by Max Manager) > Ops Night; Sales. Mia Member works in
// Ops Night, Nina in Ops, Sam in Sales; Mona is a manager in Ops Night.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, remit, USERS } from './lib.mjs';

let srv, owner, admin, manager, member, ownerB, memberTok, nina, sam, mona;
const ids = {};
const teams = {};

const location = (r) => r.headers.get('location');
const KEYS = ['body', 'closes_on', 'created_at', 'goal', 'goal_id', 'id', 'idea_count', 'opens_on', 'owner', 'phase', 'reviewers', 'scope',
  'team', 'team_id', 'title', 'updated_at'];

// addPerson: a person of Org A (or org) through the CLI; returns its id.
function addPerson(email, name, access = 'member', org = 'Org A') {
  const r = remit(['user', 'add', '--db', srv.db, '--org', org, '--email', email, '--name', name, '--access', access]);
  assert.equal(r.code, 0, r.stderr);
  return Number(r.stdout.match(/person (\d+)/)[1]);
}

async function mkTeam(name, extra = {}) {
  const r = await admin.post('/api/v1/teams', { name, ...extra });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

async function joinTeam(person, team) {
  const r = await admin.patch(`/api/v1/people/${person}`, { team_id: team });
  assert.equal(r.status, 200, r.text);
}

// mk: publishes a challenge (as the admin, or c); returns it.
async function mk(title, extra = {}, c = admin) {
  const r = await c.post('/api/v1/challenges', { title, ...extra });
  assert.equal(r.status, 201, `create ${title}: ${r.text}`);
  return r.json;
}

const get = (id, c = admin) => c.get(`/api/v1/challenges/${id}`);

async function all(c = admin, q = '') {
  const r = await c.get(`/api/v1/challenges?limit=500${q}`);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

async function auditFor(action, id) {
  const r = await admin.get(`/api/v1/audit?limit=500&action=${action}`);
  assert.equal(r.status, 200);
  return r.json.items.filter((a) => a.object === `challenge:${id}`);
}

// isoDay: today plus n days (UTC), as the server computes "closes in".
const isoDay = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

before(async () => {
  srv = await startServer();
  owner = await srv.login(USERS.owner);
  admin = await srv.login(USERS.admin);
  manager = await srv.login(USERS.manager);
  member = await srv.login(USERS.member);
  ownerB = await srv.login(USERS.other);
  memberTok = srv.bearer(USERS.member);
  for (const [k, c] of Object.entries({ owner, admin, manager, member, ownerB })) ids[k] = (await c.get('/api/v1/session')).json.person.id;
  ids.nina = addPerson('nina@a.test', 'Nina Ops');
  ids.sam = addPerson('sam@a.test', 'Sam Sales');
  ids.mona = addPerson('mona@a.test', 'Mona Night', 'manager');
  ids.lee = addPerson('lee@a.test', 'Lee Left');
  teams.ops = await mkTeam('Ops', { lead_id: ids.manager });
  teams.night = await mkTeam('Ops Night', { parent_id: teams.ops });
  teams.sales = await mkTeam('Sales');
  await joinTeam(ids.member, teams.night);
  await joinTeam(ids.nina, teams.ops);
  await joinTeam(ids.sam, teams.sales);
  await joinTeam(ids.mona, teams.night);
  await joinTeam(ids.lee, teams.night);
  assert.equal((await admin.patch(`/api/v1/people/${ids.lee}`, { status: 'left' })).status, 200);
  nina = await srv.login('nina@a.test');
  sam = await srv.login('sam@a.test');
  mona = await srv.login('mona@a.test');
});

after(async () => { await srv.stop(); });

test('challenges-1: without a login the API answers 401 and pages redirect to /login', async () => {
  const anon = srv.anon();
  const c = await mk('Anon check');
  for (const [m, p] of [['GET', '/api/v1/challenges'], ['POST', '/api/v1/challenges'], ['GET', `/api/v1/challenges/${c.id}`],
    ['PATCH', `/api/v1/challenges/${c.id}`], ['POST', `/api/v1/challenges/${c.id}/reviewers`],
    ['DELETE', `/api/v1/challenges/${c.id}/reviewers/${ids.member}`]]) {
    const r = await anon.req(m, p, m === 'GET' || m === 'DELETE' ? {} : { json: { title: 'x' } });
    assert.equal(r.status, 401, `${m} ${p}`);
  }
  for (const p of ['/challenges', '/challenges/new', `/challenges/${c.id}`, `/challenges/${c.id}/edit`]) {
    const r = await anon.get(p);
    assert.equal(r.status, 303, p);
    assert.equal(location(r), '/login?next=' + encodeURIComponent(p));
  }
  assert.deepEqual((await get(c.id)).json, c, 'unchanged');
});

test('challenges-2: an admin publishes an organisation challenge; everyone in the organisation reads it', async () => {
  const goal = (await admin.post('/api/v1/goals', { title: 'Cut food waste' })).json;
  const r = await admin.post('/api/v1/challenges', {
    title: '  How could we cut food waste by 20%? ', body: 'Think **big**.', scope: 'org', goal_id: goal.id,
    opens_on: '2026-01-01', closes_on: '2026-03-31',
  });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), KEYS);
  assert.equal(location(r), `/api/v1/challenges/${r.json.id}`);
  assert.equal(r.json.title, 'How could we cut food waste by 20%?', 'title is trimmed');
  assert.equal(r.json.body, 'Think **big**.');
  assert.equal(r.json.scope, 'org');
  assert.equal(r.json.team_id, null);
  assert.equal(r.json.team, null);
  assert.equal(r.json.goal_id, goal.id);
  assert.deepEqual(r.json.goal, { id: goal.id, title: 'Cut food waste' });
  assert.equal(r.json.opens_on, '2026-01-01');
  assert.equal(r.json.closes_on, '2026-03-31');
  assert.equal(r.json.phase, 'open', 'open by default');
  assert.deepEqual(r.json.owner, { id: ids.admin, name: 'Ada Admin' });
  assert.equal(r.json.idea_count, 0);
  assert.deepEqual(r.json.reviewers, []);
  for (const c of [member, memberTok, sam, nina, manager, owner]) {
    const g = await get(r.json.id, c);
    assert.equal(g.status, 200);
    assert.deepEqual(g.json, r.json);
  }
  assert.deepEqual((await all(sam)).find((x) => x.id === r.json.id), r.json, 'listed');
  const a = await auditFor('challenge.create', r.json.id);
  assert.equal(a.length, 1, 'challenge.create is audited');
  assert.equal(a[0].actor.id, ids.admin);
  // scope defaults to org without a team; the owner publishes too
  const o = await mk('Owner asks', {}, owner);
  assert.equal(o.scope, 'org');
  assert.equal(o.body, '');
  assert.equal(o.opens_on, null);
  const t = await mk('Inferred team scope', { team_id: teams.sales });
  assert.equal(t.scope, 'team', 'a team_id without a scope means a team challenge');
  assert.deepEqual(t.team, { id: teams.sales, name: 'Sales' });
});

test('challenges-3: managers publish for their team subtree only; members not at all', async () => {
  const before = (await all()).length;
  const ops = await mk('Ops question', { scope: 'team', team_id: teams.ops }, manager);
  assert.equal(ops.scope, 'team');
  assert.deepEqual(ops.team, { id: teams.ops, name: 'Ops' });
  assert.deepEqual(ops.owner, { id: ids.manager, name: 'Max Manager' });
  const night = await mk('Night question', { scope: 'team', team_id: teams.night }, manager);
  assert.equal(night.team_id, teams.night);
  // Mona, a manager in Ops Night, publishes for her own team
  const mine = await mk('Mona asks', { scope: 'team', team_id: teams.night }, mona);
  assert.equal(mine.team_id, teams.night);
  for (const [c, body, field] of [
    [manager, { title: 'Sales q', scope: 'team', team_id: teams.sales }, 'team_id'],
    [manager, { title: 'Org q', scope: 'org' }, 'scope'],
    [manager, { title: 'Org q' }, 'scope'],
    [mona, { title: 'Up the tree', scope: 'team', team_id: teams.ops }, 'team_id'],
  ]) {
    const r = await c.post('/api/v1/challenges', body);
    assert.equal(r.status, 403, JSON.stringify(body));
    assert.equal(r.json.error.code, 'forbidden');
    assert.equal(r.json.error.field, field);
  }
  for (const c of [member, memberTok, sam]) {
    const r = await c.post('/api/v1/challenges', { title: 'Member q', scope: 'team', team_id: teams.night });
    assert.equal(r.status, 403);
  }
  assert.equal((await all()).length, before + 3, 'only the three allowed ones were made');
});

test('challenges-4: field rules answer 422 (or 400 for the wrong type) and create nothing', async () => {
  const goalB = (await ownerB.post('/api/v1/goals', { title: 'B Goal' })).json;
  const teamB = (await ownerB.post('/api/v1/teams', { name: 'B Team' })).json;
  const before = await all();
  const cases = [
    [{ body: 'no title' }, 422, 'title'],
    [{ title: '   ' }, 422, 'title'],
    [{ title: 'x'.repeat(201) }, 422, 'title'],
    [{ title: 'two\nlines' }, 422, 'title'],
    [{ title: 'Long body', body: 'b'.repeat(5001) }, 422, 'body'],
    [{ title: 'Bad scope', scope: 'dept' }, 422, 'scope'],
    [{ title: 'No team', scope: 'team' }, 422, 'team_id'],
    [{ title: 'Org with team', scope: 'org', team_id: teams.ops }, 422, 'team_id'],
    [{ title: 'Foreign team', scope: 'team', team_id: teamB.id }, 422, 'team_id'],
    [{ title: 'Missing team', scope: 'team', team_id: 999999 }, 422, 'team_id'],
    [{ title: 'Foreign goal', goal_id: goalB.id }, 422, 'goal_id'],
    [{ title: 'Missing goal', goal_id: 999999 }, 422, 'goal_id'],
    [{ title: 'Backwards', opens_on: '2026-05-02', closes_on: '2026-05-01' }, 422, 'closes_on'],
    [{ title: 'Bad phase', phase: 'draft' }, 422, 'phase'],
    [{ title: 'Bad date', closes_on: '2026-02-30' }, 400, null],
    [{ title: 'Bad date', opens_on: 'tomorrow' }, 400, null],
    [{ title: 42 }, 400, null],
    [{ title: 'Extra', colour: 'red' }, 400, null],
    [{ title: 'Neg', goal_id: -1 }, 400, null],
  ];
  for (const [body, status, field] of cases) {
    const r = await admin.post('/api/v1/challenges', body);
    assert.equal(r.status, status, `${JSON.stringify(body).slice(0, 80)}: ${r.text}`);
    if (field) {
      assert.equal(r.json.error.code, 'invalid');
      assert.equal(r.json.error.field, field);
    }
  }
  assert.equal((await admin.req('POST', '/api/v1/challenges', { json: '{"title":' })).status, 400);
  assert.deepEqual(await all(), before, 'nothing was created');
  // the edges that are allowed
  const edge = await mk('y'.repeat(200), { body: 'é'.repeat(5000), opens_on: '2026-05-01', closes_on: '2026-05-01', phase: 'review' });
  assert.equal(edge.title.length, 200);
  assert.equal(edge.phase, 'review');
  assert.equal(edge.closes_on, '2026-05-01');
});

test('challenges-5: a team challenge is visible only in its subtree, to leads above it and admins', async () => {
  const ops = await mk('Visible to Ops', { scope: 'team', team_id: teams.ops }, manager);
  const night = await mk('Visible to Ops Night', { scope: 'team', team_id: teams.night }, manager);
  const sales = await mk('Visible to Sales', { scope: 'team', team_id: teams.sales });
  const org = await mk('Visible to all');
  const sees = {
    member: [ops, night, org], // Ops Night is inside Ops
    nina: [ops, org], // Ops is above Ops Night: not inside its subtree
    sam: [sales, org],
    manager: [ops, night, org], // leads Ops
    mona: [ops, night, org],
    admin: [ops, night, sales, org],
    owner: [ops, night, sales, org],
  };
  const clients = { member, nina, sam, manager, mona, admin, owner };
  for (const [who, visible] of Object.entries(sees)) {
    const c = clients[who];
    const listed = (await all(c)).map((x) => x.id);
    for (const ch of [ops, night, sales, org]) {
      const ok = visible.includes(ch);
      const g = await get(ch.id, c);
      assert.equal(g.status, ok ? 200 : 404, `${who} GET ${ch.title}`);
      if (!ok) assert.equal(g.json.error.code, 'not_found');
      assert.equal(listed.includes(ch.id), ok, `${who} list ${ch.title}`);
      const p = await c.get(`/challenges/${ch.id}`);
      assert.equal(p.status, ok ? 200 : 404, `${who} page ${ch.title}`);
      if (!ok) assert.doesNotMatch(p.text, new RegExp(ch.title));
    }
    const page = await c.get('/challenges');
    assert.equal(page.status, 200);
    for (const ch of [ops, night, sales]) assert.equal(page.text.includes(ch.title), visible.includes(ch), `${who} /challenges ${ch.title}`);
  }
  // the API token sees what its person sees
  assert.equal((await get(sales.id, memberTok)).status, 404);
  assert.equal((await get(ops.id, memberTok)).status, 200);
  // another organisation: 404 for all of them, and none listed
  for (const ch of [ops, night, sales, org]) {
    assert.equal((await get(ch.id, ownerB)).status, 404);
    assert.equal((await ownerB.get(`/challenges/${ch.id}`)).status, 404);
    assert.equal((await ownerB.patch(`/api/v1/challenges/${ch.id}`, { title: 'Stolen' })).status, 404);
    assert.equal((await ownerB.post(`/api/v1/challenges/${ch.id}/reviewers`, { person_id: ids.ownerB })).status, 404);
  }
  assert.ok(!(await all(ownerB)).some((x) => [ops.id, night.id, sales.id, org.id].includes(x.id)));
  // writes by someone who cannot see the challenge are 404, not 403
  assert.equal((await mona.patch(`/api/v1/challenges/${sales.id}`, { title: 'Nope' })).status, 404);
  assert.equal((await manager.post(`/api/v1/challenges/${sales.id}/reviewers`, { person_id: ids.sam })).status, 404);
  assert.equal((await get(sales.id)).json.title, 'Visible to Sales');
  // moving to another team changes who sees it
  assert.equal((await admin.patch(`/api/v1/challenges/${sales.id}`, { team_id: teams.night })).status, 200);
  assert.equal((await get(sales.id, sam)).status, 404);
  assert.equal((await get(sales.id, member)).status, 200);
});

test('challenges-6: the list pages by id and filters by phase', async () => {
  await mk('Page review', { phase: 'review' });
  await mk('Page closed', { phase: 'closed' });
  const items = await all();
  assert.deepEqual(items.map((x) => x.id), items.map((x) => x.id).sort((a, b) => a - b), 'id order');
  const p1 = await admin.get('/api/v1/challenges?limit=2');
  assert.deepEqual(p1.json.items.map((x) => x.id), items.slice(0, 2).map((x) => x.id));
  assert.equal(p1.json.next_after, items[1].id);
  const p2 = await admin.get(`/api/v1/challenges?limit=2&after=${p1.json.next_after}`);
  assert.deepEqual(p2.json.items.map((x) => x.id), items.slice(2, 4).map((x) => x.id));
  assert.deepEqual((await admin.get(`/api/v1/challenges?after=${items.at(-1).id}`)).json, { items: [], next_after: null });
  for (const phase of ['open', 'review', 'closed']) {
    const got = await all(admin, `&phase=${phase}`);
    assert.ok(got.length > 0, phase);
    assert.ok(got.every((x) => x.phase === phase), phase);
    assert.deepEqual(got.map((x) => x.id), items.filter((x) => x.phase === phase).map((x) => x.id));
  }
  for (const q of ['limit=0', 'limit=501', 'after=x', 'phase=draft', 'phase=OPEN']) {
    const r = await admin.get(`/api/v1/challenges?${q}`);
    assert.equal(r.status, 400, q);
  }
});

test('challenges-7: PATCH changes any subset; phases move, and only admins reopen a closed challenge', async () => {
  const goal = (await admin.post('/api/v1/goals', { title: 'Faster nights' })).json;
  const c = await mk('Night shift handover', { scope: 'team', team_id: teams.ops, body: 'Why slow?', goal_id: goal.id, opens_on: '2026-01-01',
    closes_on: '2026-02-01' }, manager);
  let p = await manager.patch(`/api/v1/challenges/${c.id}`, { title: 'Faster night handover' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.title, 'Faster night handover');
  assert.equal(p.json.body, 'Why slow?');
  assert.equal(p.json.goal_id, goal.id);
  assert.equal(p.json.closes_on, '2026-02-01');
  const before = p.json;
  p = await manager.patch(`/api/v1/challenges/${c.id}`, {});
  assert.equal(p.status, 200);
  assert.deepEqual({ ...p.json, updated_at: 0 }, { ...before, updated_at: 0 }, 'an empty PATCH changes nothing');
  p = await manager.patch(`/api/v1/challenges/${c.id}`, { goal_id: null, opens_on: null, closes_on: null, body: null });
  assert.equal(p.status, 200);
  assert.equal(p.json.goal, null);
  assert.equal(p.json.opens_on, null);
  assert.equal(p.json.closes_on, null);
  assert.equal(p.json.body, '');
  p = await manager.patch(`/api/v1/challenges/${c.id}`, { opens_on: '2026-03-01' });
  assert.equal(p.status, 200);
  p = await manager.patch(`/api/v1/challenges/${c.id}`, { closes_on: '2026-02-01' });
  assert.equal(p.status, 422, 'closes before the stored opening date');
  assert.equal(p.json.error.field, 'closes_on');

  // phases: open -> review -> open -> review -> closed; reopening is for admins
  for (const phase of ['review', 'open', 'review', 'closed']) {
    const r = await manager.patch(`/api/v1/challenges/${c.id}`, { phase });
    assert.equal(r.status, 200, `${phase}: ${r.text}`);
    assert.equal(r.json.phase, phase);
  }
  for (const phase of ['open', 'review']) {
    const r = await manager.patch(`/api/v1/challenges/${c.id}`, { phase });
    assert.equal(r.status, 403, phase);
    assert.equal(r.json.error.field, 'phase');
  }
  assert.equal((await manager.patch(`/api/v1/challenges/${c.id}`, { phase: 'closed', title: 'Still closed' })).status, 200, 'a closed one can be edited');
  assert.equal((await manager.patch(`/api/v1/challenges/${c.id}`, { phase: 'shelved' })).status, 422);
  const re = await admin.patch(`/api/v1/challenges/${c.id}`, { phase: 'open' });
  assert.equal(re.status, 200);
  assert.equal(re.json.phase, 'open');
  const moves = (await auditFor('challenge.phase', c.id)).map((a) => a.detail).reverse();
  assert.deepEqual(moves, ['open -> review', 'review -> open', 'open -> review', 'review -> closed', 'closed -> open']);
  assert.ok((await auditFor('challenge.update', c.id)).length >= 3, 'field changes are audited');

  // who may PATCH
  const org = await mk('Org wide for patch');
  for (const [cl, id, status] of [[manager, org.id, 403], [member, c.id, 403], [nina, c.id, 403], [mona, c.id, 403]]) {
    const r = await cl.patch(`/api/v1/challenges/${id}`, { title: 'Hijacked' });
    assert.equal(r.status, status);
  }
  // a manager cannot move a challenge out of their subtree
  for (const body of [{ team_id: teams.sales }, { scope: 'org' }, { scope: 'org', team_id: null }]) {
    const r = await manager.patch(`/api/v1/challenges/${c.id}`, body);
    assert.equal(r.status, 403, JSON.stringify(body));
  }
  assert.equal((await manager.patch(`/api/v1/challenges/${c.id}`, { team_id: teams.night })).status, 200, 'within the subtree is fine');
  assert.equal((await manager.patch(`/api/v1/challenges/${c.id}`, { scope: 'team', team_id: null })).status, 422);
  const now = (await get(c.id)).json;
  assert.equal(now.title, 'Still closed');
  assert.equal(now.team_id, teams.night);
  // an admin turns it into an organisation challenge: the team goes
  const o = await admin.patch(`/api/v1/challenges/${c.id}`, { scope: 'org' });
  assert.equal(o.status, 200, o.text);
  assert.equal(o.json.team, null);
  assert.equal((await admin.patch(`/api/v1/challenges/${c.id}`, { scope: 'org', team_id: teams.ops })).status, 422);
  assert.equal((await get(org.id)).json.title, 'Org wide for patch');
});

test('challenges-8: reviewers are assigned by the owner or a manager, from the people who can see the challenge', async () => {
  const c = await mk('Review me', { scope: 'team', team_id: teams.ops }, manager);
  let r = await manager.post(`/api/v1/challenges/${c.id}/reviewers`, { person_id: ids.member });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.reviewers, [{ id: ids.member, name: 'Mia Member' }]);
  r = await manager.post(`/api/v1/challenges/${c.id}/reviewers`, { person_id: ids.nina });
  assert.equal(r.status, 201);
  assert.deepEqual(r.json.reviewers.map((x) => x.id), [ids.member, ids.nina], 'in name order');
  r = await admin.post(`/api/v1/challenges/${c.id}/reviewers`, { person_id: ids.admin });
  assert.equal(r.status, 201, 'admins see every challenge, so they may review');
  assert.deepEqual((await get(c.id, member)).json.reviewers.map((x) => x.name), ['Ada Admin', 'Mia Member', 'Nina Ops']);

  r = await manager.post(`/api/v1/challenges/${c.id}/reviewers`, { person_id: ids.member });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'conflict');
  for (const pid of [ids.sam, ids.ownerB, 999999, ids.lee]) {
    r = await manager.post(`/api/v1/challenges/${c.id}/reviewers`, { person_id: pid });
    assert.equal(r.status, 422, `person ${pid}`);
    assert.equal(r.json.error.field, 'person_id');
  }
  for (const body of [{}, { person_id: null }]) assert.equal((await manager.post(`/api/v1/challenges/${c.id}/reviewers`, body)).status, 422);
  for (const body of [{ person_id: 'x' }, { person_id: 0 }, { who: 1 }]) assert.equal((await manager.post(`/api/v1/challenges/${c.id}/reviewers`, body)).status, 400);
  // who may assign: not members (router), not a manager outside its scope
  assert.equal((await member.post(`/api/v1/challenges/${c.id}/reviewers`, { person_id: ids.nina })).status, 403);
  assert.equal((await mona.post(`/api/v1/challenges/${c.id}/reviewers`, { person_id: ids.mona })).status, 403);
  const org = await mk('Org review');
  r = await manager.post(`/api/v1/challenges/${org.id}/reviewers`, { person_id: ids.sam });
  assert.equal(r.status, 403, "a manager who neither owns nor manages it");
  r = await admin.post(`/api/v1/challenges/${org.id}/reviewers`, { person_id: ids.sam });
  assert.equal(r.status, 201, 'anyone in the organisation may review an organisation challenge');

  // removing
  assert.equal((await member.del(`/api/v1/challenges/${c.id}/reviewers/${ids.nina}`)).status, 403);
  assert.equal((await mona.del(`/api/v1/challenges/${c.id}/reviewers/${ids.nina}`)).status, 403);
  assert.equal((await manager.del(`/api/v1/challenges/${c.id}/reviewers/${ids.nina}`)).status, 204);
  assert.equal((await manager.del(`/api/v1/challenges/${c.id}/reviewers/${ids.nina}`)).status, 404);
  assert.equal((await manager.del(`/api/v1/challenges/${c.id}/reviewers/${ids.sam}`)).status, 404);
  assert.deepEqual((await get(c.id)).json.reviewers.map((x) => x.id), [ids.admin, ids.member]);
  const adds = await auditFor('challenge.reviewer_add', c.id);
  assert.equal(adds.length, 3);
  assert.equal((await auditFor('challenge.reviewer_remove', c.id)).length, 1);
});

test('challenges-9: the list page shows open ones first with closing dates, goals, scope and the publish button', async () => {
  const goal = (await admin.post('/api/v1/goals', { title: 'Goal for the list' })).json;
  const soon = await mk('Closes soon question', { closes_on: isoDay(5), goal_id: goal.id });
  const closed = await mk('Finished question', { phase: 'closed' });
  const today = await mk('Last day question', { scope: 'team', team_id: teams.night, closes_on: isoDay(0) }, manager);
  const r = await member.get('/challenges');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/html/);
  const row = (title) => r.text.slice(r.text.indexOf(title), r.text.indexOf('</tr>', r.text.indexOf(title)));
  assert.match(row('Closes soon question'), /closes in 5 days/);
  assert.match(row('Closes soon question'), new RegExp(`href="/goals/${goal.id}"`));
  assert.match(row('Closes soon question'), /whole organisation/);
  assert.match(row('Last day question'), /closes today/);
  assert.match(row('Last day question'), /team: Ops Night/);
  assert.match(row('Finished question'), />closed</);
  assert.ok(r.text.indexOf('Closes soon question') < r.text.indexOf('Finished question'), 'open before closed');
  assert.match(r.text, new RegExp(`href="/challenges/${soon.id}"`));
  assert.match(r.text, new RegExp(`href="/challenges/${closed.id}"`));
  assert.match(r.text, new RegExp(`href="/challenges/${today.id}"`));
  assert.doesNotMatch(r.text, /Publish a challenge/, 'members do not publish');
  for (const c of [manager, admin]) assert.match((await c.get('/challenges')).text, /href="\/challenges\/new"/);
  const f = await member.get('/challenges?phase=closed');
  assert.match(f.text, /Finished question/);
  assert.doesNotMatch(f.text, /Closes soon question/);
});

test('challenges-10: the publish form: 403 for members, errors next to the fields with the typed values kept, 303 on success', async () => {
  assert.equal((await member.get('/challenges/new')).status, 403);
  assert.equal((await member.form('/challenges/new', { title: 'Nope', scope: 'org' })).status, 403);
  const g = await manager.get('/challenges/new');
  assert.equal(g.status, 200);
  assert.match(g.text, /name="title"/);
  assert.match(g.text, new RegExp(`<option value="${teams.night}"`), 'their subtree is offered');
  assert.doesNotMatch(g.text, new RegExp(`<option value="${teams.sales}">Sales<`), 'other teams are not');
  assert.doesNotMatch(g.text, /<option value="org"/, 'no organisation scope for managers');
  assert.match((await admin.get('/challenges/new')).text, /<option value="org" selected/);
  const before = (await all()).length;

  let r = await admin.form('/challenges/new', { title: 'Kept <title>', body: 'Kept body', scope: 'team', team_id: '', goal_id: '', opens_on: '2026-05-02',
    closes_on: '2026-05-01', phase: 'open' });
  assert.equal(r.status, 422);
  assert.match(r.text, /A team challenge needs a team/);
  assert.match(r.text, /cannot come before the opening date/);
  assert.match(r.text, /value="Kept &lt;title&gt;"/);
  assert.match(r.text, />Kept body<\/textarea>/);
  assert.match(r.text, /value="2026-05-02"/);
  r = await admin.form('/challenges/new', { title: '', scope: 'org', closes_on: 'soon', team_id: 'x' });
  assert.equal(r.status, 422);
  assert.match(r.text, /needs a title/);
  assert.match(r.text, /Use a real date/);
  assert.match(r.text, /value="soon"/);
  assert.match(r.text, /Choose a team from the list/);
  r = await manager.form('/challenges/new', { title: 'Sales by form', scope: 'team', team_id: String(teams.sales) });
  assert.equal(r.status, 403);
  assert.match(r.text, /only for the teams you lead or belong to/);
  assert.match(r.text, /value="Sales by form"/);
  assert.equal((await all()).length, before, 'nothing was created');

  r = await manager.form('/challenges/new', { title: 'Form made', body: 'By *form*', scope: 'team', team_id: String(teams.night), goal_id: '',
    opens_on: '', closes_on: '2026-12-31', phase: 'open' });
  assert.equal(r.status, 303, r.text);
  const m = location(r).match(/^\/challenges\/(\d+)\?saved=1$/);
  assert.ok(m, location(r));
  const c = (await get(Number(m[1]))).json;
  assert.equal(c.title, 'Form made');
  assert.equal(c.team_id, teams.night);
  assert.equal(c.opens_on, null);
  assert.equal(c.closes_on, '2026-12-31');
  assert.deepEqual(c.owner, { id: ids.manager, name: 'Max Manager' });
  const page = await manager.get(location(r));
  assert.match(page.text, /Saved\./);
});

test('challenges-11: the edit form is for managers of the challenge; 404 for those who cannot see it', async () => {
  const c = await mk('Edit me', { scope: 'team', team_id: teams.night, closes_on: '2026-06-30' }, manager);
  const org = await mk('Org edit');
  const sales = await mk('Sales edit', { scope: 'team', team_id: teams.sales });
  const g = await manager.get(`/challenges/${c.id}/edit`);
  assert.equal(g.status, 200);
  assert.match(g.text, /value="Edit me"/);
  assert.match(g.text, /value="2026-06-30"/);
  assert.match(g.text, new RegExp(`<option value="${teams.night}" selected`));
  assert.equal((await mona.get(`/challenges/${c.id}/edit`)).status, 200, 'Mona manages her own team');
  assert.equal((await manager.get(`/challenges/${org.id}/edit`)).status, 403);
  assert.equal((await member.get(`/challenges/${c.id}/edit`)).status, 403);
  assert.equal((await manager.get(`/challenges/${sales.id}/edit`)).status, 404);
  assert.equal((await manager.form(`/challenges/${sales.id}/edit`, { title: 'Stolen' })).status, 404);
  assert.equal((await manager.form(`/challenges/${org.id}/edit`, { title: 'Stolen', scope: 'org' })).status, 403);
  assert.equal((await ownerB.get(`/challenges/${c.id}/edit`)).status, 404);

  let r = await manager.form(`/challenges/${c.id}/edit`, { title: 'x'.repeat(201), scope: 'team', team_id: String(teams.night), phase: 'review',
    closes_on: '2026-06-30' });
  assert.equal(r.status, 422);
  assert.match(r.text, /200 characters or fewer/);
  assert.match(r.text, /<option value="review" selected/, 'the typed phase is kept');
  r = await manager.form(`/challenges/${c.id}/edit`, { title: 'Edited', scope: 'team', team_id: String(teams.night), phase: 'closed',
    closes_on: '2026-06-30', body: 'New body' });
  assert.equal(r.status, 303);
  assert.equal(location(r), `/challenges/${c.id}?saved=1`);
  const now = (await get(c.id)).json;
  assert.equal(now.title, 'Edited');
  assert.equal(now.phase, 'closed');
  assert.equal(now.body, 'New body');
  r = await manager.form(`/challenges/${c.id}/edit`, { title: 'Edited', scope: 'team', team_id: String(teams.night), phase: 'open' });
  assert.equal(r.status, 403);
  assert.match(r.text, /Only an admin can reopen/);
  assert.equal((await get(c.id)).json.phase, 'closed');
  assert.equal((await get(sales.id)).json.title, 'Sales edit');
  assert.equal((await get(org.id)).json.title, 'Org edit');
});

test('challenges-12: the challenge page escapes text, links the goal and the pairwise screen, and shows managers the reviewers', async () => {
  const goal = (await admin.post('/api/v1/goals', { title: 'Goal <b>bold</b>' })).json;
  const c = await mk('<script>alert(1)</script> title', { scope: 'team', team_id: teams.ops, goal_id: goal.id, closes_on: isoDay(3),
    body: '<script>alert(2)</script> and **bold** [x](javascript:alert(3))' }, manager);
  const r = await member.get(`/challenges/${c.id}`);
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.text, /<script>alert/);
  assert.match(r.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt; title/);
  assert.match(r.text, /<strong>bold<\/strong>/);
  assert.doesNotMatch(r.text, /href="javascript:/);
  assert.match(r.text, new RegExp(`href="/goals/${goal.id}">Goal &lt;b&gt;bold&lt;/b&gt;`));
  assert.match(r.text, new RegExp(`href="/teams/${teams.ops}">Ops</a>`));
  assert.match(r.text, /closes in 3 days/);
  assert.match(r.text, new RegExp(`href="/challenges/${c.id}/pair"`));
  assert.match(r.text, /Which is better\?/);
  assert.doesNotMatch(r.text, /id="reviewers"/, 'members do not see the reviewers card');
  assert.doesNotMatch(r.text, new RegExp(`/challenges/${c.id}/edit`), 'nor an Edit button');

  const m = await manager.get(`/challenges/${c.id}`);
  assert.match(m.text, new RegExp(`href="/challenges/${c.id}/edit"`));
  assert.match(m.text, /id="reviewers"/);
  assert.match(m.text, /No reviewers yet/);
  const options = m.text.slice(m.text.indexOf('name="person_id"'), m.text.indexOf('</select>', m.text.indexOf('name="person_id"')));
  for (const name of ['Mia Member', 'Nina Ops', 'Mona Night', 'Ada Admin', 'Max Manager']) assert.match(options, new RegExp(name), name);
  for (const name of ['Sam Sales', 'Lee Left', 'Bob Other']) assert.doesNotMatch(options, new RegExp(name), name);

  // assign and remove through the page
  let f = await manager.form(`/challenges/${c.id}/reviewers`, { person_id: String(ids.member) });
  assert.equal(f.status, 303);
  assert.equal(location(f), `/challenges/${c.id}?reviewers=1#reviewers`);
  assert.deepEqual((await get(c.id)).json.reviewers.map((x) => x.id), [ids.member]);
  // the list of who may still be assigned is kept per connection: it follows
  // every assignment and removal on every server thread
  const offered = async () => {
    const t = (await manager.get(`/challenges/${c.id}`)).text;
    const at = t.indexOf('name="person_id"');
    return at < 0 ? '' : t.slice(at, t.indexOf('</select>', at));
  };
  for (let i = 0; i < 6; i++) assert.doesNotMatch(await offered(), new RegExp(`value="${ids.member}"`), 'a reviewer is not offered again');
  f = await manager.form(`/challenges/${c.id}/reviewers`, { person_id: String(ids.member) });
  assert.equal(f.status, 409);
  assert.match(f.text, /already reviews/);
  f = await manager.form(`/challenges/${c.id}/reviewers`, { person_id: String(ids.sam) });
  assert.equal(f.status, 422);
  assert.match(f.text, /cannot see the challenge/);
  assert.equal((await member.form(`/challenges/${c.id}/reviewers`, { person_id: String(ids.nina) })).status, 403);
  assert.match((await member.get(`/challenges/${c.id}`)).text, /You are a reviewer/);
  f = await manager.form(`/challenges/${c.id}/reviewers`, { remove: String(ids.member) });
  assert.equal(f.status, 303);
  assert.deepEqual((await get(c.id)).json.reviewers, []);
  for (let i = 0; i < 6; i++) assert.match(await offered(), new RegExp(`value="${ids.member}"`), 'offered again once removed');
  assert.equal((await manager.form(`/challenges/${c.id}/reviewers`, { remove: String(ids.member) })).status, 404);
  assert.equal((await manager.form(`/challenges/${c.id}/reviewers`, { person_id: String(ids.member) }, { csrf: false })).status, 403, 'CSRF');
  assert.deepEqual((await get(c.id)).json.reviewers, []);

  // no pairwise link once it is in review; 404 pages for those who cannot see it
  assert.equal((await manager.patch(`/api/v1/challenges/${c.id}`, { phase: 'review' })).status, 200);
  const rv = await member.get(`/challenges/${c.id}`);
  assert.doesNotMatch(rv.text, new RegExp(`/challenges/${c.id}/pair`));
  assert.match(rv.text, /in review/);
  for (const cl of [sam, ownerB]) {
    const p = await cl.get(`/challenges/${c.id}`);
    assert.equal(p.status, 404);
    assert.doesNotMatch(p.text, /alert\(1\)/);
  }
  assert.equal((await sam.form(`/challenges/${c.id}/reviewers`, { person_id: String(ids.sam) })).status, 403, 'the route needs a manager');
  assert.equal((await admin.get('/challenges/999999')).status, 404);
});
