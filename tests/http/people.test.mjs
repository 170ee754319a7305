// people.test.mjs: /api/v1/people and the /people pages against the real
// binary: every route's happy path, each access level, organisation
// isolation, the level rule (nobody raises anyone above themself), manager
// loops, sessions ended by "left" and by a password set, bad input changing
// nothing, and HTML escaping.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, USERS, PASSWORD } from './lib.mjs';

let srv, owner, admin, manager, member, other, anon;
const NEW_PASSWORD = 'a brand new password';

before(async () => {
  srv = await startServer();
  owner = await srv.login(USERS.owner);
  admin = await srv.login(USERS.admin);
  manager = await srv.login(USERS.manager);
  member = await srv.login(USERS.member);
  other = await srv.login(USERS.other);
  anon = srv.anon();
});
after(async () => { await srv.stop(); });

// all(c, query): every person the client can list, following next_after.
async function all(c, query = '') {
  const items = [];
  let after = 0;
  for (;;) {
    const r = await c.get(`/api/v1/people?limit=500&after=${after}${query}`);
    assert.equal(r.status, 200, r.text);
    items.push(...r.json.items);
    if (r.json.next_after === null) return items;
    after = r.json.next_after;
  }
}
async function byEmail(c, email) {
  const p = (await all(c)).find((x) => x.email.toLowerCase() === email.toLowerCase());
  assert.ok(p, `no person ${email}`);
  return p;
}
async function create(c, body) {
  const r = await c.post('/api/v1/people', body);
  assert.equal(r.status, 201, r.text);
  return r.json;
}
let seq = 0;
const uniq = (p = 'p') => `${p}${++seq}-${Date.now()}@a.test`;

// A team can only be made here through an import (teams.c is another
// feature); the team is created with the person.
async function teamVia(c, teamName) {
  const email = uniq('t');
  const r = await c.req('POST', '/api/v1/people/import', {
    body: `name,email,team,manager_email,title,access\nTeam Seed,${email},${teamName},,,\n`, headers: { 'content-type': 'text/csv' },
  });
  assert.equal(r.status, 201, r.text);
  return (await byEmail(c, email)).team;
}

// pub: a person as someone who is neither an admin nor that person sees them
const pub = ({ started_on, left_on, leave_reason, ...rest }) => rest; // eslint-disable-line no-unused-vars

test('people-1.1: unauthenticated callers get 401 (API) and a redirect to /login (pages)', async () => {
  for (const [m, p] of [['GET', '/api/v1/people'], ['POST', '/api/v1/people'], ['GET', '/api/v1/people/1'], ['PATCH', '/api/v1/people/1'], ['PUT', '/api/v1/people/1/password']]) {
    const r = await anon.req(m, p, m === 'GET' ? {} : { json: {} });
    assert.equal(r.status, 401, `${m} ${p}`);
    assert.equal(r.json.error.code, 'unauthenticated');
  }
  for (const p of ['/people', '/people/new', '/people/1', '/people/1/edit']) {
    const r = await anon.get(p);
    assert.equal(r.status, 303, p);
    assert.equal(r.headers.get('location'), `/login?next=${encodeURIComponent(p)}`);
  }
});

test('people-1.2: a member lists people with paging, ordered by id, without password hashes', async () => {
  const r = await member.get('/api/v1/people');
  assert.equal(r.status, 200);
  const emails = r.json.items.map((p) => p.email);
  for (const e of [USERS.owner, USERS.admin, USERS.manager, USERS.member]) assert.ok(emails.includes(e), e);
  assert.ok(!emails.includes(USERS.other), 'another organisation leaks into the list');
  assert.ok(!/password|hash/.test(r.text), 'password data in the list');
  const ids = r.json.items.map((p) => p.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
  const p1 = await member.get('/api/v1/people?limit=2');
  assert.equal(p1.json.items.length, 2);
  assert.equal(p1.json.next_after, p1.json.items[1].id);
  const p2 = await member.get(`/api/v1/people?limit=2&after=${p1.json.next_after}`);
  assert.ok(p2.json.items[0].id > p1.json.items[1].id);
  const mia = r.json.items.find((p) => p.email === USERS.member);
  const max = r.json.items.find((p) => p.email === USERS.manager);
  // the people history (issue 15) is HR data: the person sees their own, other members nobody's
  assert.deepEqual(Object.keys(mia).sort(), ['access', 'email', 'id', 'language', 'leave_reason', 'left_on', 'manager', 'manager_id', 'name', 'started_on', 'status', 'team', 'team_id', 'title']);
  assert.deepEqual(Object.keys(max).sort(), ['access', 'email', 'id', 'language', 'manager', 'manager_id', 'name', 'status', 'team', 'team_id', 'title']);
  assert.equal(mia.manager_id, max.id);
  assert.deepEqual(mia.manager, { id: max.id, name: 'Max Manager' });
  assert.equal(mia.access, 'member');
  assert.equal(mia.status, 'active');
});

test('people-1.3: list filters ?q= (name or e-mail, any case), ?status= and ?team_id=; bad values are 400', async () => {
  let r = await member.get('/api/v1/people?q=MIA');
  assert.deepEqual(r.json.items.map((p) => p.email), [USERS.member]);
  r = await member.get('/api/v1/people?q=manager%40a');
  assert.deepEqual(r.json.items.map((p) => p.email), [USERS.manager]);
  r = await member.get('/api/v1/people?q=%25');
  assert.equal(r.json.items.length, 0, '% must be matched literally');
  const team = await teamVia(admin, 'Filter Team');
  const x = await create(admin, { name: 'Fay Filter', email: uniq('f'), team_id: team.id, status: 'away' });
  r = await member.get(`/api/v1/people?team_id=${team.id}&status=away`);
  assert.deepEqual(r.json.items.map((p) => p.id), [x.id]);
  r = await member.get('/api/v1/people?status=left&q=Fay');
  assert.equal(r.json.items.length, 0);
  for (const q of ['team_id=abc', 'status=bogus', 'limit=0', 'after=x']) assert.equal((await member.get(`/api/v1/people?${q}`)).status, 400, q);
});

test('people-1.4: one person by id; other organisations\' ids and missing ids are 404', async () => {
  const mia = await byEmail(member, USERS.member);
  const r = await manager.get(`/api/v1/people/${mia.id}`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, pub(mia), 'the same person, without the history only admins and Mia see');
  const bob = (await all(other))[0];
  assert.equal(bob.email, USERS.other);
  assert.equal((await member.get(`/api/v1/people/${bob.id}`)).status, 404);
  assert.equal((await other.get(`/api/v1/people/${mia.id}`)).status, 404);
  assert.equal((await member.get('/api/v1/people/999999')).status, 404);
  assert.equal((await member.get(`/people/${bob.id}`)).status, 404);
  assert.equal((await other.patch(`/api/v1/people/${mia.id}`, { title: 'x' })).status, 404);
  assert.equal((await other.put(`/api/v1/people/${mia.id}/password`, { password: NEW_PASSWORD })).status, 404);
  assert.equal((await other.get(`/people/${mia.id}/edit`)).status, 404);
  assert.equal((await member.get(`/api/v1/people/${mia.id}`)).json.title, mia.title, 'unchanged');
});

test('people-2.1: an admin adds a person (201); with a password they can log in, without one they cannot', async () => {
  const mgr = await byEmail(admin, USERS.manager);
  const team = await teamVia(admin, 'Bakery');
  const email = uniq('new');
  const p = await create(admin, { name: ' Nora New ', email, title: 'Baker', team_id: team.id, manager_id: mgr.id, access: 'manager', password: NEW_PASSWORD });
  assert.equal(p.name, 'Nora New');
  assert.equal(p.email, email);
  assert.equal(p.title, 'Baker');
  assert.deepEqual(p.team, { id: team.id, name: 'Bakery' });
  assert.deepEqual(p.manager, { id: mgr.id, name: 'Max Manager' });
  assert.equal(p.access, 'manager');
  assert.equal(p.status, 'active');
  assert.ok(!('password' in p) && !('password_hash' in p));
  assert.deepEqual((await member.get(`/api/v1/people/${p.id}`)).json, pub(p));
  const c = await srv.login(email, NEW_PASSWORD);
  assert.equal((await c.get('/api/v1/session')).json.person.access, 'manager');

  const quiet = await create(admin, { name: 'No Login', email: uniq('nl') });
  assert.equal(quiet.access, 'member');
  assert.equal(quiet.team, null);
  assert.equal(quiet.manager, null);
  assert.equal(quiet.title, '');
  const r = await anon.post('/api/v1/session', { email: quiet.email, password: PASSWORD });
  assert.equal(r.status, 401);
});

test('people-2.2: only owners and admins add people; an admin cannot add an owner', async () => {
  const before = (await all(owner)).length;
  for (const c of [member, manager]) {
    const r = await c.post('/api/v1/people', { name: 'Sneaky', email: uniq('s') });
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, 'forbidden');
  }
  const r = await admin.post('/api/v1/people', { name: 'Would Be Owner', email: uniq('o'), access: 'owner' });
  assert.equal(r.status, 403);
  assert.equal((await all(owner)).length, before, 'nothing was added');
  const a2 = await create(admin, { name: 'Second Admin', email: uniq('a'), access: 'admin' });
  assert.equal(a2.access, 'admin');
  const o2 = await create(owner, { name: 'Second Owner', email: uniq('o'), access: 'owner' });
  assert.equal(o2.access, 'owner');
});

test('people-2.3: e-mails are unique per organisation, ignoring case (409); another organisation may reuse one', async () => {
  const before = (await all(owner)).length;
  let r = await admin.post('/api/v1/people', { name: 'Dup', email: 'MEMBER@A.TEST' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'conflict');
  assert.equal(r.json.error.field, 'email');
  assert.equal((await all(owner)).length, before);
  const shared = uniq('shared');
  await create(other, { name: 'In B', email: shared });
  const a = await create(admin, { name: 'In A', email: shared.toUpperCase() });
  assert.equal(a.email, shared.toUpperCase());
  // changing an e-mail onto someone else's is a conflict too
  r = await admin.patch(`/api/v1/people/${a.id}`, { email: USERS.manager.toUpperCase() });
  assert.equal(r.status, 409);
  assert.equal((await admin.get(`/api/v1/people/${a.id}`)).json.email, shared.toUpperCase());
});

test('people-2.4: bad input is 400 or 422 and changes nothing', async () => {
  const before = await all(owner);
  const bTeam = await teamVia(other, 'B Team');
  const bob = await byEmail(other, USERS.other);
  const cases = [
    [{ name: 'X', email: 'not-an-email' }, 422, 'email'],
    [{ name: '   ', email: uniq('x') }, 422, 'name'],
    [{ email: uniq('x') }, 422, 'name'],
    [{ name: 'X', email: uniq('x'), access: 'superuser' }, 422, 'access'],
    [{ name: 'X', email: uniq('x'), status: 'gone' }, 422, 'status'],
    [{ name: 'X', email: uniq('x'), team_id: 999999 }, 422, 'team_id'],
    [{ name: 'X', email: uniq('x'), team_id: bTeam.id }, 422, 'team_id'],
    [{ name: 'X', email: uniq('x'), manager_id: 999999 }, 422, 'manager_id'],
    [{ name: 'X', email: uniq('x'), manager_id: bob.id }, 422, 'manager_id'],
    [{ name: 'X', email: uniq('x'), password: 'short' }, 422, 'password'],
    [{ name: 'X', email: uniq('x'), shoe_size: 44 }, 400, null],
    [{ name: 'X', email: uniq('x'), team_id: 'one' }, 400, null],
    [{ name: 'x'.repeat(201), email: uniq('x') }, 400, null],
  ];
  for (const [body, status, field] of cases) {
    const r = await admin.post('/api/v1/people', body);
    assert.equal(r.status, status, JSON.stringify(body) + ' ' + r.text);
    if (field) assert.equal(r.json.error.field, field, JSON.stringify(body));
  }
  assert.equal((await admin.req('POST', '/api/v1/people', { body: '{"name":', headers: { 'content-type': 'application/json' } })).status, 400);
  const mia = before.find((p) => p.email === USERS.member);
  for (const body of [{ email: 'nope' }, { name: '' }, { team_id: bTeam.id }, { manager_id: bob.id }, { access: 'boss' }, { status: 'x' }, { password: NEW_PASSWORD }]) {
    const r = await admin.patch(`/api/v1/people/${mia.id}`, body);
    assert.ok(r.status === 400 || r.status === 422, JSON.stringify(body) + ' ' + r.status);
  }
  const afterAll = await all(owner);
  assert.deepEqual(afterAll.filter((p) => before.some((b) => b.id === p.id)), before, 'existing people unchanged');
  assert.equal(afterAll.length, before.length + 0 + 0, 'nobody added');
});

test('people-3.1: an admin changes any field of a member; PATCH answers the new state', async () => {
  const p = await create(admin, { name: 'Pat Patch', email: uniq('pp') });
  const team = await teamVia(admin, 'Patch Team');
  const mgr = await byEmail(admin, USERS.manager);
  let r = await admin.patch(`/api/v1/people/${p.id}`, { title: 'Lead', team_id: team.id, manager_id: mgr.id, access: 'manager', status: 'away', email: 'PAT@a.test' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.title, 'Lead');
  assert.deepEqual(r.json.team, { id: team.id, name: 'Patch Team' });
  assert.equal(r.json.manager_id, mgr.id);
  assert.equal(r.json.access, 'manager');
  assert.equal(r.json.status, 'away');
  assert.equal(r.json.email, 'PAT@a.test');
  r = await admin.patch(`/api/v1/people/${p.id}`, { team_id: null, manager_id: null, title: null });
  assert.equal(r.status, 200);
  assert.equal(r.json.team, null);
  assert.equal(r.json.manager, null);
  assert.equal(r.json.title, '');
  assert.deepEqual((await member.get(`/api/v1/people/${p.id}`)).json, pub(r.json));
});

test('people-3.2: a non-admin changes only their own name and title (else 403, nothing changed)', async () => {
  const me = await byEmail(member, USERS.member);
  let r = await member.patch(`/api/v1/people/${me.id}`, { name: 'Mia M.', title: 'Barista' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.name, 'Mia M.');
  assert.equal(r.json.title, 'Barista');
  const now = r.json;
  const team = await teamVia(admin, 'Member Team');
  for (const body of [{ access: 'admin' }, { status: 'away' }, { email: 'mia2@a.test' }, { team_id: team.id }, { manager_id: null }, { title: 'Boss', access: 'owner' }]) {
    r = await member.patch(`/api/v1/people/${me.id}`, body);
    assert.equal(r.status, 403, JSON.stringify(body));
  }
  const max = await byEmail(member, USERS.manager);
  r = await member.patch(`/api/v1/people/${max.id}`, { title: 'Hacked' });
  assert.equal(r.status, 403);
  r = await manager.patch(`/api/v1/people/${me.id}`, { title: 'Hacked' });
  assert.equal(r.status, 403, 'a manager is not an admin');
  assert.deepEqual((await member.get(`/api/v1/people/${me.id}`)).json, now);
  assert.equal((await member.get(`/api/v1/people/${max.id}`)).json.title, max.title);
  // sending back unchanged values is not a change
  r = await member.patch(`/api/v1/people/${me.id}`, { title: 'Barista', access: 'member', email: me.email });
  assert.equal(r.status, 200);
});

test('people-3.3: nobody raises anyone above their own level; an admin cannot touch an owner\'s access, status or password', async () => {
  const p = await create(admin, { name: 'Raise Me', email: uniq('r') });
  let r = await admin.patch(`/api/v1/people/${p.id}`, { access: 'owner' });
  assert.equal(r.status, 403);
  const ownerP = await byEmail(admin, USERS.owner);
  for (const body of [{ access: 'member' }, { status: 'left' }, { email: 'owner2@a.test' }]) {
    r = await admin.patch(`/api/v1/people/${ownerP.id}`, body);
    assert.equal(r.status, 403, JSON.stringify(body));
  }
  r = await admin.put(`/api/v1/people/${ownerP.id}/password`, { password: NEW_PASSWORD });
  assert.equal(r.status, 403);
  assert.deepEqual((await admin.get(`/api/v1/people/${ownerP.id}`)).json, ownerP);
  assert.equal((await admin.get(`/api/v1/people/${p.id}`)).json.access, 'member');
  assert.equal((await owner.get('/api/v1/session')).status, 200, 'the owner is still logged in');
  // the owner may make an owner
  r = await owner.patch(`/api/v1/people/${p.id}`, { access: 'owner' });
  assert.equal(r.status, 200);
  assert.equal(r.json.access, 'owner');
});

test('people-3.4: a manager chain cannot loop (409)', async () => {
  const a = await create(admin, { name: 'Chain A', email: uniq('ca') });
  const b = await create(admin, { name: 'Chain B', email: uniq('cb'), manager_id: a.id });
  const c = await create(admin, { name: 'Chain C', email: uniq('cc'), manager_id: b.id });
  let r = await admin.patch(`/api/v1/people/${a.id}`, { manager_id: b.id });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'conflict');
  assert.equal(r.json.error.field, 'manager_id');
  r = await admin.patch(`/api/v1/people/${a.id}`, { manager_id: c.id });
  assert.equal(r.status, 409);
  r = await admin.patch(`/api/v1/people/${a.id}`, { manager_id: a.id });
  assert.equal(r.status, 409);
  assert.equal((await admin.get(`/api/v1/people/${a.id}`)).json.manager_id, null);
  r = await admin.patch(`/api/v1/people/${c.id}`, { manager_id: a.id });
  assert.equal(r.status, 200, 'moving within the tree is fine');
});

test('people-4.1: status "left" ends the person\'s sessions and tokens', async () => {
  const email = uniq('leaver');
  const p = await create(admin, { name: 'Lee Leaver', email, password: NEW_PASSWORD });
  const c = await srv.login(email, NEW_PASSWORD);
  const t = srv.bearer(email);
  assert.equal((await c.get('/api/v1/session')).status, 200);
  assert.equal((await t.get('/api/v1/people')).status, 200);
  const r = await admin.patch(`/api/v1/people/${p.id}`, { status: 'left' });
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'left');
  assert.equal((await c.get('/api/v1/session')).status, 401);
  assert.equal((await t.get('/api/v1/people')).status, 401);
  assert.equal((await c.get('/people')).status, 303);
  assert.equal((await anon.post('/api/v1/session', { email, password: NEW_PASSWORD })).status, 401, 'cannot log in again');
  assert.equal((await admin.patch(`/api/v1/people/${p.id}`, { status: 'active' })).status, 200);
  assert.equal((await t.get('/api/v1/people')).status, 401, 'coming back does not revive the old token');
});

test('people-4.2: an admin sets a password: 204, sessions end, the new password logs in', async () => {
  const email = uniq('pw');
  const p = await create(admin, { name: 'Pia Password', email, password: PASSWORD });
  const c = await srv.login(email, PASSWORD);
  assert.equal((await member.put(`/api/v1/people/${p.id}/password`, { password: NEW_PASSWORD })).status, 403);
  let r = await admin.put(`/api/v1/people/${p.id}/password`, { password: 'short' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'password');
  assert.equal((await admin.put(`/api/v1/people/${p.id}/password`, {})).status, 422); // missing field: 422, not 400
  assert.equal((await admin.put('/api/v1/people/999999/password', { password: NEW_PASSWORD })).status, 404);
  assert.equal((await c.get('/api/v1/session')).status, 200, 'failed attempts end nothing');
  r = await admin.put(`/api/v1/people/${p.id}/password`, { password: NEW_PASSWORD });
  assert.equal(r.status, 204);
  assert.equal(r.text, '');
  assert.equal((await c.get('/api/v1/session')).status, 401);
  assert.equal((await anon.post('/api/v1/session', { email, password: PASSWORD })).status, 401);
  const again = await srv.login(email, NEW_PASSWORD);
  assert.equal((await again.get('/api/v1/session')).json.person.id, p.id);
  // a person created without a password can log in once one is set
  const q = await create(admin, { name: 'Quinn', email: uniq('q') });
  assert.equal((await admin.put(`/api/v1/people/${q.id}/password`, { password: NEW_PASSWORD })).status, 204);
  await srv.login(q.email, NEW_PASSWORD);
});

test('people-4.3: the last owner cannot be demoted or leave (409)', async () => {
  // Org B has exactly one owner
  const bob = await byEmail(other, USERS.other);
  let r = await other.patch(`/api/v1/people/${bob.id}`, { access: 'admin' });
  assert.equal(r.status, 409);
  r = await other.patch(`/api/v1/people/${bob.id}`, { status: 'left' });
  assert.equal(r.status, 409);
  assert.equal((await other.get(`/api/v1/people/${bob.id}`)).json.access, 'owner');
});

test('people-5.1: the directory: table, search and team filter without JS; admins see the add and import buttons', async () => {
  let r = await member.get('/people');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/html/);
  assert.match(r.text, /<table class="list">/);
  assert.match(r.text, /Max Manager/);
  assert.match(r.text, /<form method="get" action="\/people"/);
  assert.ok(!r.text.includes('Add a person'), 'members see no add button');
  assert.ok(!r.text.includes('Import from CSV'));
  r = await admin.get('/people');
  assert.match(r.text, /href="\/people\/new">Add a person</);
  assert.match(r.text, /href="\/people\/import">Import from CSV</);
  r = await member.get('/people?q=max');
  assert.match(r.text, /Max Manager/);
  assert.ok(!r.text.includes('Olive Owner'));
  assert.match(r.text, /value="max"/, 'the search box keeps the query');
  const team = await teamVia(admin, 'Directory Team');
  await create(admin, { name: 'Dora Directory', email: uniq('d'), team_id: team.id, title: 'Finder' });
  r = await member.get(`/people?team_id=${team.id}`);
  assert.match(r.text, /Dora Directory/);
  assert.match(r.text, /Finder/);
  assert.ok(!r.text.includes('Max Manager'));
  assert.match(r.text, new RegExp(`<option value="${team.id}" selected>Directory Team</option>`));
  r = await member.get('/people?q=nobody-has-this-name');
  assert.match(r.text, /Nobody matches/);
});

test('people-5.2: a person\'s page shows team, manager, title, access, status and direct reports', async () => {
  const max = await byEmail(member, USERS.manager);
  const mia = await byEmail(member, USERS.member);
  let r = await member.get(`/people/${max.id}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /<h1>Max Manager<\/h1>/);
  assert.match(r.text, /Direct reports/);
  assert.match(r.text, new RegExp(`<a href="/people/${mia.id}">${mia.name.replace('.', '\\.')}</a>`));
  assert.ok(!r.text.includes(`/people/${max.id}/edit`), 'a member cannot edit someone else');
  r = await member.get(`/people/${mia.id}`);
  assert.match(r.text, new RegExp(`<dt>Manager</dt><dd><a href="/people/${max.id}">Max Manager</a></dd>`));
  assert.match(r.text, /<dt>Access<\/dt><dd>member<\/dd>/);
  assert.match(r.text, /<dt>Status<\/dt><dd><span class="badge status-active">active<\/span><\/dd>/);
  assert.match(r.text, new RegExp(`href="/people/${mia.id}/edit"`), 'members can edit themselves');
  assert.equal((await member.get('/people/999999')).status, 404);
});

test('people-5.3: names are escaped on /people and /people/{id}', async () => {
  const evil = '<img src=x onerror=alert(1)>';
  const p = await create(admin, { name: evil, email: uniq('xss'), title: '"><script>alert(2)</script>' });
  for (const path of ['/people', `/people/${p.id}`, `/people/${p.id}/edit`]) {
    const r = await admin.get(path);
    assert.equal(r.status, 200, path);
    assert.ok(!r.text.includes('<img src=x'), `raw name on ${path}`);
    assert.ok(!r.text.includes('<script>alert'), `raw title on ${path}`);
    assert.ok(r.text.includes('&lt;img src=x onerror=alert(1)&gt;'), `escaped name on ${path}`);
  }
});

test('people-6.1: the add form: admins only; errors next to fields keep typed values; success redirects', async () => {
  assert.equal((await member.get('/people/new')).status, 403);
  assert.equal((await member.form('/people/new', { name: 'X', email: uniq('x') })).status, 403);
  let r = await admin.get('/people/new');
  assert.equal(r.status, 200);
  for (const f of ['name', 'email', 'title', 'team_id', 'manager_id', 'access', 'password']) assert.match(r.text, new RegExp(`name="${f}"`), f);
  assert.ok(!r.text.includes('<option value="owner"'), 'an admin is not offered owner');
  assert.match((await owner.get('/people/new')).text, /<option value="owner"/);
  const before = (await all(owner)).length;
  r = await admin.form('/people/new', { name: 'Typed Name', email: 'broken', title: 'Kept Title', team_id: '', manager_id: '', access: 'member', password: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /value="Typed Name"/);
  assert.match(r.text, /value="broken"/);
  assert.match(r.text, /value="Kept Title"/);
  assert.match(r.text, /<p class="error" id="f-email-err">/);
  r = await admin.form('/people/new', { name: 'Dupe', email: 'MANAGER@a.test', access: 'member' });
  assert.equal(r.status, 409);
  assert.match(r.text, /already has this e-mail/);
  r = await admin.form('/people/new', { name: 'Owner?', email: uniq('o'), access: 'owner' });
  assert.equal(r.status, 403);
  assert.equal((await all(owner)).length, before, 'nothing added');
  const email = uniq('form');
  r = await admin.form('/people/new', { name: 'Form Made', email, title: 'Clerk', team_id: '', manager_id: '', access: 'member', password: NEW_PASSWORD });
  assert.equal(r.status, 303);
  const p = await byEmail(admin, email);
  assert.equal(r.headers.get('location'), `/people/${p.id}?saved=1`);
  assert.equal(p.title, 'Clerk');
  assert.match((await admin.get(`/people/${p.id}?saved=1`)).text, /class="flash"/);
  await srv.login(email, NEW_PASSWORD);
  // without the CSRF token the form is refused
  r = await admin.form('/people/new', { name: 'No Csrf', email: uniq('n') }, { csrf: false });
  assert.equal(r.status, 403);
});

test('people-6.2: the edit form: a member edits only their own name and title; an admin edits everything', async () => {
  const mia = await byEmail(member, USERS.member);
  const max = await byEmail(member, USERS.manager);
  let r = await member.get(`/people/${mia.id}/edit`);
  assert.equal(r.status, 200);
  assert.match(r.text, /name="name"/);
  assert.match(r.text, /name="title"/);
  for (const f of ['email', 'access', 'status', 'team_id', 'manager_id', 'password']) assert.ok(!r.text.includes(`name="${f}"`), f);
  assert.equal((await member.get(`/people/${max.id}/edit`)).status, 403);
  assert.equal((await member.form(`/people/${max.id}/edit`, { title: 'Hacked' })).status, 403);
  r = await member.form(`/people/${mia.id}/edit`, { name: 'Mia Member', title: 'Head Barista' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/people/${mia.id}?saved=1`);
  assert.equal((await member.get(`/api/v1/people/${mia.id}`)).json.title, 'Head Barista');
  r = await member.form(`/people/${mia.id}/edit`, { name: 'Mia Member', title: 'x', access: 'admin' });
  assert.equal(r.status, 403);
  r = await member.form(`/people/${mia.id}/edit`, { name: '', title: 'Kept' });
  assert.equal(r.status, 422);
  assert.match(r.text, /value="Kept"/);
  assert.equal((await member.get(`/api/v1/people/${mia.id}`)).json.title, 'Head Barista');

  const email = uniq('ed');
  const p = await create(admin, { name: 'Eddie Edit', email, password: PASSWORD });
  const c = await srv.login(email, PASSWORD);
  r = await admin.get(`/people/${p.id}/edit`);
  for (const f of ['name', 'email', 'title', 'team_id', 'manager_id', 'access', 'status', 'password']) assert.match(r.text, new RegExp(`name="${f}"`), f);
  r = await admin.form(`/people/${p.id}/edit`, { name: 'Eddie Edited', email, title: 'T', team_id: '', manager_id: String(max.id), access: 'manager', status: 'active', password: NEW_PASSWORD });
  assert.equal(r.status, 303, r.text);
  const now = (await admin.get(`/api/v1/people/${p.id}`)).json;
  assert.equal(now.name, 'Eddie Edited');
  assert.equal(now.manager_id, max.id);
  assert.equal(now.access, 'manager');
  assert.equal((await c.get('/api/v1/session')).status, 401, 'setting a password ends their sessions');
  await srv.login(email, NEW_PASSWORD);
  r = await admin.form(`/people/${p.id}/edit`, { name: 'Eddie Edited', email, manager_id: '999999', team_id: 'abc', access: 'manager', status: 'active', password: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="f-manager_id-err"/);
  assert.match(r.text, /id="f-team_id-err"/);
  assert.deepEqual((await admin.get(`/api/v1/people/${p.id}`)).json, now, 'unchanged');
  // an admin editing an owner sees no access, status, e-mail or password fields
  const ownerP = await byEmail(admin, USERS.owner);
  r = await admin.get(`/people/${ownerP.id}/edit`);
  assert.equal(r.status, 200);
  for (const f of ['email', 'access', 'status', 'password']) assert.ok(!r.text.includes(`name="${f}"`), f);
});
