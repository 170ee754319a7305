// roles.test.mjs: role charters (src/roles.c) through the real binary: the
// JSON API (/api/v1/roles, holders, acknowledge), the pages (/roles...),
// every access level, isolation between organisations, the duplicate /
// delete / holder rules, the charter version that asks holders again, bad
// input that must change nothing, the line of sight up to the
// organisation's purpose, the rights that come with a role, CSRF and HTML
// escaping.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, remit, USERS } from './lib.mjs';

let srv, owner, admin, member, manager, ownerB, adminTok, memberTok;
const ids = {}; // person ids by fixture name

before(async () => {
  srv = await startServer();
  owner = await srv.login(USERS.owner);
  admin = await srv.login(USERS.admin);
  member = await srv.login(USERS.member);
  manager = await srv.login(USERS.manager);
  ownerB = await srv.login(USERS.other);
  adminTok = srv.bearer(USERS.admin);
  memberTok = srv.bearer(USERS.member);
  for (const [k, c] of Object.entries({ owner, admin, member, manager, ownerB })) ids[k] = (await c.get('/api/v1/session')).json.person.id;
});

after(async () => { await srv.stop(); });

const location = (r) => r.headers.get('location');
const sql = (q) => execFileSync('sqlite3', [srv.db, q], { encoding: 'utf8' }).trim();
const ROLE_KEYS = ['accountabilities', 'goal', 'goal_id', 'holders', 'id', 'name', 'purpose', 'resources', 'team', 'team_id', 'version'];
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

// mk: creates a role as the Org A admin (or the given client); returns it.
async function mk(name, extra = {}, c = admin) {
  const r = await c.post('/api/v1/roles', { name, ...extra });
  assert.equal(r.status, 201, `create ${name}: ${r.text}`);
  return r.json;
}

const get = (id, c = admin) => c.get(`/api/v1/roles/${id}`);

async function allRoles(c = admin, q = '') {
  const r = await c.get(`/api/v1/roles?limit=500${q}`);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

async function mkTeam(name, c = admin) {
  const r = await c.post('/api/v1/teams', { name });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function mkGoal(title, extra = {}, c = admin) {
  const r = await c.post('/api/v1/goals', { title, ...extra });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function assign(roleId, personId, c = admin) {
  const r = await c.post(`/api/v1/roles/${roleId}/holders`, { person_id: personId });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// addPerson: a member of Org A (or org) through the CLI; returns its id.
function addPerson(email, name, { org = 'Org A' } = {}) {
  const r = remit(['user', 'add', '--db', srv.db, '--org', org, '--email', email, '--name', name, '--access', 'member']);
  assert.equal(r.code, 0, r.stderr);
  return Number(r.stdout.match(/person (\d+)/)[1]);
}

// addRight: a decision right attached to a role, straight into the
// database (rights.c owns the API). Returns the right's id.
function addRight(roleId, { slug = 'refund', label = 'refunds', level = 7, limit = 20000, expires = null, advisor = null } = {}) {
  sql(`INSERT OR IGNORE INTO domain(org_id,slug,label,risk,created_at) VALUES(1,'${slug}','${label}','low',0)`);
  const d = sql(`SELECT id FROM domain WHERE org_id = 1 AND slug = '${slug}'`);
  return Number(sql(`INSERT INTO decision_right(org_id,role_id,domain_id,level,limit_cents,advisor_id,expires_on,created_at,updated_at) ` +
    `VALUES(1,${roleId},${d},${level},${limit === null ? 'NULL' : limit},${advisor === null ? 'NULL' : advisor},` +
    `${expires === null ? 'NULL' : `'${expires}'`},0,0); SELECT last_insert_rowid();`));
}

async function auditActions(action) {
  const r = await admin.get(`/api/v1/audit?limit=500&action=${action}`);
  assert.equal(r.status, 200);
  return r.json.items;
}

test('roles-1: without a login the API answers 401 and pages redirect to /login', async () => {
  const anon = srv.anon();
  const ro = await mk('Anon Check');
  for (const [m, p] of [['GET', '/api/v1/roles'], ['POST', '/api/v1/roles'], ['GET', `/api/v1/roles/${ro.id}`],
    ['PATCH', `/api/v1/roles/${ro.id}`], ['DELETE', `/api/v1/roles/${ro.id}`], ['POST', `/api/v1/roles/${ro.id}/holders`],
    ['DELETE', `/api/v1/roles/${ro.id}/holders/${ids.member}`], ['POST', `/api/v1/roles/${ro.id}/acknowledge`]]) {
    const r = await anon.req(m, p, m === 'GET' || m === 'DELETE' ? {} : { json: { name: 'x' } });
    assert.equal(r.status, 401, `${m} ${p}`);
    assert.equal(r.json.error.code, 'unauthenticated');
  }
  for (const p of ['/roles', '/roles/new', `/roles/${ro.id}`, `/roles/${ro.id}/edit`]) {
    const r = await anon.get(p);
    assert.equal(r.status, 303, p);
    assert.equal(location(r), '/login?next=' + encodeURIComponent(p));
  }
  for (const p of ['/roles/new', `/roles/${ro.id}/edit`, `/roles/${ro.id}/delete`, `/roles/${ro.id}/holders`,
    `/roles/${ro.id}/holders/${ids.member}/remove`, `/roles/${ro.id}/acknowledge`]) {
    const r = await anon.form(p, { name: 'Hacked', person_id: String(ids.member) });
    assert.equal(r.status, 303, p);
    assert.match(location(r), /^\/login/);
  }
  assert.deepEqual((await get(ro.id)).json, ro, 'unchanged');
});

test('roles-2: an admin creates a charter; it reads back by id and in the list', async () => {
  const team = await mkTeam('Customer Care');
  const goal = await mkGoal('Happy customers');
  const r = await admin.post('/api/v1/roles', {
    name: '  Customer Care Lead ', team_id: team.id, purpose: 'Keep **customers** happy.', goal_id: goal.id,
    accountabilities: ['  Answer complaints within a day ', 'Refund upset customers'], resources: ['Refund budget', 'The CRM'],
  });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), ROLE_KEYS);
  assert.equal(location(r), `/api/v1/roles/${r.json.id}`);
  assert.equal(r.json.name, 'Customer Care Lead', 'name is trimmed');
  assert.equal(r.json.team_id, team.id);
  assert.deepEqual(r.json.team, { id: team.id, name: 'Customer Care' });
  assert.equal(r.json.goal_id, goal.id);
  assert.deepEqual(r.json.goal, { id: goal.id, title: 'Happy customers' });
  assert.equal(r.json.purpose, 'Keep **customers** happy.');
  assert.deepEqual(r.json.accountabilities, ['Answer complaints within a day', 'Refund upset customers'], 'items are trimmed');
  assert.deepEqual(r.json.resources, ['Refund budget', 'The CRM']);
  assert.equal(r.json.version, 1);
  assert.deepEqual(r.json.holders, []);
  for (const c of [member, memberTok, manager]) {
    const g = await get(r.json.id, c);
    assert.equal(g.status, 200);
    assert.deepEqual(g.json, r.json);
  }
  assert.deepEqual((await allRoles(member)).find((x) => x.id === r.json.id), r.json);

  const bare = await mk('Bare Role');
  assert.equal(bare.team_id, null);
  assert.equal(bare.team, null);
  assert.equal(bare.goal_id, null);
  assert.equal(bare.goal, null);
  assert.equal(bare.purpose, '');
  assert.deepEqual(bare.accountabilities, []);
  assert.deepEqual(bare.resources, []);
  const audit = (await auditActions('role.create')).find((a) => a.object === `role:${r.json.id}`);
  assert.ok(audit, 'role.create is audited');
  assert.equal(audit.actor.id, ids.admin);
});

test('roles-3: a partial PATCH keeps the other fields; null clears team, goal and purpose', async () => {
  const team = await mkTeam('Bakery');
  const goal = await mkGoal('Fresh bread daily');
  const ro = await mk('Head Baker', { team_id: team.id, goal_id: goal.id, purpose: 'Bake.', accountabilities: ['Recipes'], resources: ['Oven'] });
  let p = await admin.patch(`/api/v1/roles/${ro.id}`, { purpose: 'Bake well.' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.purpose, 'Bake well.');
  assert.equal(p.json.name, 'Head Baker');
  assert.equal(p.json.team_id, team.id);
  assert.equal(p.json.goal_id, goal.id);
  assert.deepEqual(p.json.accountabilities, ['Recipes']);
  assert.deepEqual(p.json.resources, ['Oven']);
  p = await admin.patch(`/api/v1/roles/${ro.id}`, { team_id: null, goal_id: null, purpose: null, accountabilities: [], resources: [] });
  assert.equal(p.status, 200);
  assert.equal(p.json.team, null);
  assert.equal(p.json.goal, null);
  assert.equal(p.json.purpose, '');
  assert.deepEqual(p.json.accountabilities, []);
  assert.deepEqual(p.json.resources, []);
  assert.deepEqual((await get(ro.id)).json, p.json);
  const before = p.json;
  p = await admin.patch(`/api/v1/roles/${ro.id}`, {});
  assert.equal(p.status, 200, 'an empty PATCH changes nothing');
  assert.deepEqual(p.json, before);
});

test('roles-4: the list pages by id and filters by team and by holder', async () => {
  const team = await mkTeam('Filter Team');
  const a = await mk('Filter A', { team_id: team.id });
  const b = await mk('Filter B');
  const c = await mk('Filter C', { team_id: team.id });
  const all = await allRoles();
  assert.deepEqual(all.map((x) => x.id), [...all].map((x) => x.id).sort((x, y) => x - y), 'ordered by id');
  const p1 = await admin.get('/api/v1/roles?limit=2');
  assert.deepEqual(p1.json.items.map((x) => x.id), all.slice(0, 2).map((x) => x.id));
  assert.equal(p1.json.next_after, all[1].id);
  const p2 = await admin.get(`/api/v1/roles?limit=2&after=${p1.json.next_after}`);
  assert.deepEqual(p2.json.items.map((x) => x.id), all.slice(2, 4).map((x) => x.id));
  assert.deepEqual((await admin.get(`/api/v1/roles?after=${all.at(-1).id}`)).json, { items: [], next_after: null });

  assert.deepEqual((await allRoles(member, `&team_id=${team.id}`)).map((x) => x.id), [a.id, c.id]);
  const p = addPerson('filter1@a.test', 'Fil Ter');
  await assign(b.id, p);
  await assign(c.id, p);
  assert.deepEqual((await allRoles(member, `&person_id=${p}`)).map((x) => x.id), [b.id, c.id], 'a person may hold several roles');
  assert.deepEqual((await allRoles(member, `&person_id=${p}&team_id=${team.id}`)).map((x) => x.id), [c.id]);
  assert.deepEqual(await allRoles(member, '&person_id=999999'), []);
  assert.deepEqual(await allRoles(admin, `&person_id=${ids.ownerB}`), []);
  for (const q of ['limit=0', 'limit=501', 'after=x', 'team_id=abc', 'team_id=-1', 'person_id=0', 'person_id=1.5']) {
    const r = await admin.get(`/api/v1/roles?${q}`);
    assert.equal(r.status, 400, q);
  }
});

test('roles-5: members and managers read but may not write; only admins assign', async () => {
  const ro = await mk('Read Only Role', { purpose: 'Read me.' });
  await assign(ro.id, ids.manager);
  for (const c of [member, manager, memberTok]) {
    assert.equal((await c.get('/api/v1/roles')).status, 200);
    assert.equal((await get(ro.id, c)).status, 200);
    assert.equal((await c.get('/roles')).status, 200);
    assert.equal((await c.get(`/roles/${ro.id}`)).status, 200);
    for (const r of [
      await c.post('/api/v1/roles', { name: 'Nope' }),
      await c.patch(`/api/v1/roles/${ro.id}`, { name: 'Nope' }),
      await c.del(`/api/v1/roles/${ro.id}`),
      await c.post(`/api/v1/roles/${ro.id}/holders`, { person_id: ids.member }),
      await c.del(`/api/v1/roles/${ro.id}/holders/${ids.manager}`),
    ]) {
      assert.equal(r.status, 403);
      assert.equal(r.json.error.code, 'forbidden');
    }
    if (c === memberTok) continue;
    assert.equal((await c.get('/roles/new')).status, 403);
    assert.equal((await c.get(`/roles/${ro.id}/edit`)).status, 403);
    for (const [p, f] of [['/roles/new', { name: 'Nope' }], [`/roles/${ro.id}/edit`, { name: 'Nope' }], [`/roles/${ro.id}/delete`, {}],
      [`/roles/${ro.id}/holders`, { person_id: String(ids.member) }], [`/roles/${ro.id}/holders/${ids.manager}/remove`, {}]])
      assert.equal((await c.form(p, f)).status, 403, p);
  }
  const now = (await get(ro.id)).json;
  assert.equal(now.name, 'Read Only Role');
  assert.deepEqual(now.holders.map((h) => h.id), [ids.manager], 'holders unchanged');
  assert.ok(!(await allRoles()).some((x) => x.name === 'Nope'));
  // the owner and an admin token write
  const o = await owner.post('/api/v1/roles', { name: 'Owner Made' });
  assert.equal(o.status, 201);
  const t = await adminTok.patch(`/api/v1/roles/${o.json.id}`, { name: 'Token Renamed' });
  assert.equal(t.status, 200);
  assert.equal((await adminTok.del(`/api/v1/roles/${o.json.id}`)).status, 204);
});

test("roles-6: another organisation's role answers 404, same as a missing one", async () => {
  const b = await mk('B Secret Role', {}, ownerB);
  const a = await mk('A Secret Role');
  await assign(a.id, ids.member);
  const checks = async (c, id, other, person) => {
    for (const r of [await get(id, c), await c.patch(`/api/v1/roles/${id}`, { name: 'Stolen' }), await c.del(`/api/v1/roles/${id}`),
      await c.post(`/api/v1/roles/${id}/holders`, { person_id: person }), await c.del(`/api/v1/roles/${id}/holders/${person}`),
      await c.post(`/api/v1/roles/${id}/acknowledge`, {})]) {
      assert.equal(r.status, 404, r.text);
      assert.equal(r.json.error.code, 'not_found');
    }
    for (const r of [await c.get(`/roles/${id}`), await c.get(`/roles/${id}/edit`), await c.form(`/roles/${id}/edit`, { name: 'Stolen' }),
      await c.form(`/roles/${id}/delete`, {}), await c.form(`/roles/${id}/holders`, { person_id: String(person) }),
      await c.form(`/roles/${id}/holders/${person}/remove`, {}), await c.form(`/roles/${id}/acknowledge`, {})]) {
      assert.equal(r.status, 404);
      assert.doesNotMatch(r.text, new RegExp(other));
    }
    assert.ok(!(await allRoles(c)).some((x) => x.id === id), 'not listed');
    assert.doesNotMatch((await c.get('/roles')).text, new RegExp(other));
  };
  await checks(admin, b.id, 'B Secret Role', ids.admin);
  await checks(ownerB, a.id, 'A Secret Role', ids.ownerB);
  for (const r of [await get(999999), await admin.patch('/api/v1/roles/999999', { name: 'x' }), await admin.del('/api/v1/roles/999999'),
    await admin.post('/api/v1/roles/999999/holders', { person_id: ids.member }), await admin.get('/roles/999999')]) assert.equal(r.status, 404);
  assert.equal((await get(b.id, ownerB)).json.name, 'B Secret Role');
  assert.deepEqual((await get(a.id)).json.holders.map((h) => h.id), [ids.member], "Org A's holder kept");
});

test("roles-7: another organisation's team, goal or person is refused like a missing one (422)", async () => {
  const teamB = (await ownerB.post('/api/v1/teams', { name: 'B Team' })).json;
  const goalB = (await ownerB.post('/api/v1/goals', { title: 'B Goal' })).json;
  const ro = await mk('Cross Org Role');
  const before = await allRoles();
  for (const [body, field] of [
    [{ name: 'Cross 1', team_id: teamB.id }, 'team_id'], [{ name: 'Cross 2', team_id: 999999 }, 'team_id'],
    [{ name: 'Cross 3', goal_id: goalB.id }, 'goal_id'], [{ name: 'Cross 4', goal_id: 999999 }, 'goal_id'],
  ]) {
    for (const r of [await admin.post('/api/v1/roles', body), await admin.patch(`/api/v1/roles/${ro.id}`, body)]) {
      assert.equal(r.status, 422, JSON.stringify(body));
      assert.equal(r.json.error.code, 'invalid');
      assert.equal(r.json.error.field, field);
    }
  }
  for (const pid of [ids.ownerB, 999999]) {
    const r = await admin.post(`/api/v1/roles/${ro.id}/holders`, { person_id: pid });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'person_id');
  }
  assert.deepEqual(await allRoles(), before, 'nothing changed');
  const f = await admin.form('/roles/new', { name: 'Form Cross', team_id: String(teamB.id), goal_id: String(goalB.id) });
  assert.equal(f.status, 422);
  assert.match(f.text, /Choose a team from this organisation/);
  assert.match(f.text, /Choose a goal from this organisation/);
  assert.doesNotMatch(f.text, /B Team|B Goal/);
  const h = await admin.form(`/roles/${ro.id}/holders`, { person_id: String(ids.ownerB) });
  assert.equal(h.status, 422);
  assert.match(h.text, /Choose a person from this organisation/);
  assert.doesNotMatch(h.text, /Bob Other/);
});

test('roles-8: names are unique per organisation (409 conflict)', async () => {
  const s = await mk('Shift Lead');
  const before = (await allRoles()).length;
  for (const name of ['Shift Lead', '  Shift Lead ']) {
    const r = await admin.post('/api/v1/roles', { name });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.code, 'conflict');
    assert.equal(r.json.error.field, 'name');
  }
  assert.equal((await allRoles()).length, before);
  const other = await mk('Barista');
  const r = await admin.patch(`/api/v1/roles/${other.id}`, { name: 'Shift Lead' });
  assert.equal(r.status, 409);
  assert.equal((await get(other.id)).json.name, 'Barista');
  assert.equal((await admin.patch(`/api/v1/roles/${s.id}`, { name: 'Shift Lead' })).status, 200, 'its own name is no conflict');
  assert.equal((await ownerB.post('/api/v1/roles', { name: 'Shift Lead' })).status, 201, 'another organisation may use the name');
  const f = await admin.form('/roles/new', { name: 'Shift Lead', purpose: 'typed purpose' });
  assert.equal(f.status, 409);
  assert.match(f.text, /Another role already has this name/);
  assert.match(f.text, />typed purpose<\/textarea>/, 'typed values kept');
});

test('roles-9: bad input answers 400 or 422 and changes nothing', async () => {
  const ro = await mk('Solid Role', { purpose: 'Solid.', accountabilities: ['One'] });
  const before = await allRoles();
  const bad400 = [
    ['{"name":', 'malformed_json'], ['[1]', 'bad_request'], [{ name: 'X', colour: 'red' }, 'unknown_field'],
    [{ name: 42 }, 'invalid_field'], [{ name: null }, 'invalid_field'], [{ name: 'X', team_id: '1' }, 'invalid_field'],
    [{ name: 'X', goal_id: 0 }, 'invalid_field'], [{ name: 'X', purpose: 5 }, 'invalid_field'],
    [{ name: 'X', accountabilities: 'one' }, 'invalid_field'], [{ name: 'X', accountabilities: [1] }, 'invalid_field'],
    [{ name: 'X', accountabilities: [''] }, 'invalid_field'], [{ name: 'X', resources: null }, 'invalid_field'],
    [{ name: 'X', resources: Array(101).fill('r') }, 'invalid_field'], ['{"name":"X","name":"Y"}', 'malformed_json'],
  ];
  for (const [body, code] of bad400) {
    for (const r of [await admin.post('/api/v1/roles', body), await admin.patch(`/api/v1/roles/${ro.id}`, body)]) {
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.json.error.code, code, JSON.stringify(body));
    }
  }
  const bad422 = [
    [{}, 'name'], [{ name: '  ' }, 'name'], [{ name: 'x'.repeat(101) }, 'name'], [{ name: 'a\nb' }, 'name'],
    [{ name: 'X', purpose: 'p'.repeat(2001) }, 'purpose'], [{ name: 'X', accountabilities: ['ok', '   '] }, 'accountabilities'],
    [{ name: 'X', accountabilities: ['two\nlines'] }, 'accountabilities'], [{ name: 'X', resources: ['r'.repeat(301)] }, 'resources'],
    [{ name: 'X', resources: Array(51).fill('r') }, 'resources'],
  ];
  for (const [body, field] of bad422) {
    const r = await admin.post('/api/v1/roles', body);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.equal(r.json.error.field, field);
    if (Object.keys(body).length > 1) {
      const { name, ...rest } = body;
      const p = await admin.patch(`/api/v1/roles/${ro.id}`, rest);
      assert.equal(p.status, 422, JSON.stringify(rest));
    }
  }
  for (const body of [{}, { person_id: null }, '{"person_id":"1"}', { person_id: 1, x: 1 }]) {
    const r = await admin.post(`/api/v1/roles/${ro.id}/holders`, body);
    assert.ok([400, 422].includes(r.status), JSON.stringify(body));
  }
  assert.deepEqual(await allRoles(), before, 'nothing changed');
  // the limits count characters, not bytes
  const long = await admin.post('/api/v1/roles', { name: 'é'.repeat(100), purpose: 'ü'.repeat(2000), resources: ['ß'.repeat(300)] });
  assert.equal(long.status, 201, long.text);
  // a form with a non-id select value is refused next to the field
  const f = await admin.form(`/roles/${ro.id}/edit`, { name: 'Solid Role', team_id: 'abc', goal_id: '' });
  assert.equal(f.status, 422);
  assert.match(f.text, /Choose a team from the list/);
  assert.deepEqual((await get(ro.id)).json, before.find((x) => x.id === ro.id));
});

test('roles-10: holders are assigned once, may hold several roles, never after leaving, and are removed', async () => {
  const ro = await mk('Opening Shift');
  const other = await mk('Closing Shift');
  const p = addPerson('holder1@a.test', 'Hana Holder');
  let r = await admin.post(`/api/v1/roles/${ro.id}/holders`, { person_id: p });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), ROLE_KEYS);
  assert.equal(r.json.holders.length, 1);
  const h = r.json.holders[0];
  assert.deepEqual(Object.keys(h).sort(), ['acknowledged', 'acknowledged_at', 'id', 'name', 'since']);
  assert.equal(h.id, p);
  assert.equal(h.name, 'Hana Holder');
  assert.match(h.since, ISO);
  assert.equal(h.acknowledged, false);
  assert.equal(h.acknowledged_at, null);
  assert.equal(r.json.version, 1, 'a holder change is no charter change');

  r = await admin.post(`/api/v1/roles/${ro.id}/holders`, { person_id: p });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'conflict');
  assert.equal((await assign(other.id, p)).holders[0].id, p, 'a person may hold several roles');
  await assign(ro.id, ids.member);
  assert.deepEqual((await get(ro.id)).json.holders.map((x) => x.name), ['Hana Holder', 'Mia Member'], 'holders in name order');

  // away people may hold a role; people who left may not
  const away = addPerson('away1@a.test', 'Avi Away');
  const left = addPerson('left1@a.test', 'Lee Left');
  assert.equal((await admin.patch(`/api/v1/people/${away}`, { status: 'away' })).status, 200);
  assert.equal((await admin.patch(`/api/v1/people/${left}`, { status: 'left' })).status, 200);
  await assign(ro.id, away);
  r = await admin.post(`/api/v1/roles/${ro.id}/holders`, { person_id: left });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'person_id');
  assert.match(r.json.error.message, /left/);

  r = await admin.del(`/api/v1/roles/${ro.id}/holders/${p}`);
  assert.equal(r.status, 204);
  assert.equal(r.text, '');
  assert.deepEqual((await get(ro.id)).json.holders.map((x) => x.id).sort(), [ids.member, away].sort());
  assert.deepEqual((await get(other.id)).json.holders.map((x) => x.id), [p], 'the other role is kept');
  for (const pid of [p, left, 999999]) assert.equal((await admin.del(`/api/v1/roles/${ro.id}/holders/${pid}`)).status, 404, `not a holder ${pid}`);
  const assigns = (await auditActions('role.assign')).filter((a) => a.object === `role:${ro.id}`);
  assert.equal(assigns.length, 3);
  const unassigns = (await auditActions('role.unassign')).filter((a) => a.object === `role:${ro.id}`);
  assert.equal(unassigns.length, 1);
  assert.match(unassigns[0].detail, new RegExp(`person ${p}`));
});

test('roles-11: only a holder acknowledges; a changed charter asks again, a holder change does not', async () => {
  const goal = await mkGoal('Ack Goal');
  const ro = await mk('Ack Role', { purpose: 'v1' });
  for (const c of [member, admin, owner]) {
    const r = await c.post(`/api/v1/roles/${ro.id}/acknowledge`, {});
    assert.equal(r.status, 403, 'not a holder yet');
    assert.equal(r.json.error.code, 'forbidden');
  }
  await assign(ro.id, ids.member);
  await assign(ro.id, ids.manager);
  let r = await member.post(`/api/v1/roles/${ro.id}/acknowledge`, {});
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), ROLE_KEYS);
  const mine = (j) => j.holders.find((h) => h.id === ids.member);
  assert.equal(mine(r.json).acknowledged, true);
  assert.match(mine(r.json).acknowledged_at, ISO);
  assert.equal(r.json.holders.find((h) => h.id === ids.manager).acknowledged, false, 'only the caller');
  assert.equal(sql(`SELECT acknowledged_version FROM role_holder WHERE role_id = ${ro.id} AND person_id = ${ids.member}`), '1');
  const again = await memberTok.post(`/api/v1/roles/${ro.id}/acknowledge`, {});
  assert.equal(again.status, 200, 'acknowledging twice is fine');
  assert.equal(mine(again.json).acknowledged_at, mine(r.json).acknowledged_at, 'and changes nothing');
  assert.equal((await auditActions('role.acknowledge')).filter((a) => a.object === `role:${ro.id}`).length, 1);

  // not charter text: team, holders, an unchanged value
  const team = await mkTeam('Ack Team');
  for (const body of [{ team_id: team.id }, { purpose: 'v1' }, { name: 'Ack Role' }, {}]) {
    const p = await admin.patch(`/api/v1/roles/${ro.id}`, body);
    assert.equal(p.json.version, 1, JSON.stringify(body));
    assert.equal(mine(p.json).acknowledged, true);
  }
  const extra = addPerson('ack1@a.test', 'Ari Ack');
  await assign(ro.id, extra);
  await admin.del(`/api/v1/roles/${ro.id}/holders/${extra}`);
  assert.equal(mine((await get(ro.id)).json).acknowledged, true, 'a holder change asks nobody again');
  assert.equal((await get(ro.id)).json.version, 1);

  // every part of the charter text makes a new version
  let v = 1;
  for (const body of [{ purpose: 'v2' }, { name: 'Ack Role Renamed' }, { goal_id: goal.id }, { accountabilities: ['New duty'] },
    { resources: ['New tool'] }, { goal_id: null }]) {
    const p = await admin.patch(`/api/v1/roles/${ro.id}`, body);
    assert.equal(p.status, 200);
    assert.equal(p.json.version, ++v, JSON.stringify(body));
    assert.equal(mine(p.json).acknowledged, false, 'a changed charter asks again');
    assert.match(mine(p.json).acknowledged_at, ISO, 'the last confirmation stays on record');
    r = await member.post(`/api/v1/roles/${ro.id}/acknowledge`, {});
    assert.equal(mine(r.json).acknowledged, true);
  }
  assert.equal(sql(`SELECT acknowledged_version FROM role_holder WHERE role_id = ${ro.id} AND person_id = ${ids.member}`), String(v));
  const upd = (await auditActions('role.update')).filter((a) => a.object === `role:${ro.id}`);
  assert.ok(upd.some((a) => /version 1->2/.test(a.detail)), JSON.stringify(upd.map((a) => a.detail)));
  // someone removed from the role can no longer acknowledge
  await admin.del(`/api/v1/roles/${ro.id}/holders/${ids.manager}`);
  assert.equal((await manager.post(`/api/v1/roles/${ro.id}/acknowledge`, {})).status, 403);
});

test('roles-12: a role with holders or decision rights is not deleted (409); a free one is (204)', async () => {
  const ro = await mk('Delete Me');
  await assign(ro.id, ids.member);
  let r = await admin.del(`/api/v1/roles/${ro.id}`);
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'conflict');
  assert.match(r.json.error.message, /holds this role/);
  assert.equal((await get(ro.id)).status, 200);
  await admin.del(`/api/v1/roles/${ro.id}/holders/${ids.member}`);

  const right = addRight(ro.id);
  r = await admin.del(`/api/v1/roles/${ro.id}`);
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /decision right/);
  const page = await admin.form(`/roles/${ro.id}/delete`, {});
  assert.equal(page.status, 409);
  assert.match(page.text, /<h1>Delete Me<\/h1>/);
  assert.match(page.text, /role="alert"><p>A decision right is attached to this role/);
  assert.equal((await get(ro.id)).status, 200);
  sql(`DELETE FROM decision_right WHERE id = ${right}`);

  r = await admin.del(`/api/v1/roles/${ro.id}`);
  assert.equal(r.status, 204);
  assert.equal(r.text, '');
  assert.equal((await get(ro.id)).status, 404);
  assert.equal((await admin.del(`/api/v1/roles/${ro.id}`)).status, 404);
  assert.ok((await auditActions('role.delete')).some((a) => a.object === `role:${ro.id}` && /Delete Me/.test(a.detail)));

  const viaPage = await mk('Delete By Page');
  r = await admin.form(`/roles/${viaPage.id}/delete`, {});
  assert.equal(r.status, 303);
  assert.equal(location(r), '/roles?deleted=1');
  assert.equal((await get(viaPage.id)).status, 404);
  assert.match((await admin.get('/roles?deleted=1')).text, /<p class="flash" role="status">Role deleted\.<\/p>/);
});

test('roles-13: the pages create, show and edit a charter; errors sit next to their fields', async () => {
  const team = await mkTeam('Kitchen');
  const goal = await mkGoal('Zero waste');
  const n = await admin.get('/roles/new');
  assert.equal(n.status, 200);
  assert.match(n.headers.get('content-type'), /^text\/html/);
  assert.match(n.text, /<form method="post" action="\/roles\/new"/);
  assert.match(n.text, /name="csrf_token" value="[^"]+"/);
  assert.match(n.text, /<input id="f-name" name="name"/);
  assert.match(n.text, new RegExp(`<option value="${team.id}">Kitchen</option>`));
  assert.match(n.text, new RegExp(`<option value="${goal.id}">Zero waste</option>`));
  for (const f of ['purpose', 'accountabilities', 'resources']) assert.match(n.text, new RegExp(`<textarea id="f-${f}" name="${f}"`));
  assert.doesNotMatch(n.text, /B Team|B Goal/, 'only this organisation');
  const pre = await admin.get(`/roles/new?team_id=${team.id}&goal_id=${goal.id}`);
  assert.match(pre.text, new RegExp(`<option value="${team.id}" selected>Kitchen</option>`));

  let r = await admin.form('/roles/new', {
    name: ' Sous Chef ', team_id: String(team.id), goal_id: String(goal.id), purpose: 'Run the *line*.',
    accountabilities: 'Prep lists\r\n\r\n  Waste log  \nOrders', resources: 'Supplier accounts\n',
  });
  assert.equal(r.status, 303, r.text);
  const m = location(r).match(/^\/roles\/(\d+)\?saved=1$/);
  assert.ok(m, location(r));
  const id = Number(m[1]);
  const created = (await get(id)).json;
  assert.equal(created.name, 'Sous Chef');
  assert.equal(created.team_id, team.id);
  assert.equal(created.goal_id, goal.id);
  assert.equal(created.purpose, 'Run the *line*.');
  assert.deepEqual(created.accountabilities, ['Prep lists', 'Waste log', 'Orders'], 'one item per line, blank lines skipped');
  assert.deepEqual(created.resources, ['Supplier accounts']);

  const v = await member.get(location(r));
  assert.equal(v.status, 200);
  assert.match(v.text, /<p class="flash" role="status">Saved\.<\/p>/);
  assert.match(v.text, /<h1>Sous Chef<\/h1>/);
  assert.match(v.text, new RegExp(`<dt>Team</dt><dd><a href="/teams/${team.id}">Kitchen</a></dd>`));
  assert.match(v.text, new RegExp(`<dt>Serves</dt><dd><a href="/goals/${goal.id}">Zero waste</a></dd>`));
  assert.match(v.text, /<dt>Charter version<\/dt><dd>1<\/dd>/);
  assert.match(v.text, /<h2>Accountabilities<\/h2><ul><li>Prep lists<\/li><li>Waste log<\/li><li>Orders<\/li><\/ul>/);
  assert.match(v.text, /<h2>Resources<\/h2><ul><li>Supplier accounts<\/li><\/ul>/);
  assert.match(v.text, /Nobody holds this role yet/);
  assert.match(v.text, /<em>line<\/em>/, 'the purpose is markdown');
  assert.doesNotMatch(v.text, /\/edit"|Delete role|Assign a person|Grant a right/, 'no admin controls for a member');
  assert.doesNotMatch((await member.get(`/roles/${id}`)).text, /Saved\./, 'flash only after saving');

  const e = await admin.get(`/roles/${id}/edit`);
  assert.equal(e.status, 200);
  assert.match(e.text, /value="Sous Chef"/);
  assert.match(e.text, />Prep lists\nWaste log\nOrders<\/textarea>/);
  assert.match(e.text, new RegExp(`<option value="${goal.id}" selected>Zero waste</option>`));
  assert.match(e.text, /new version/);

  r = await admin.form(`/roles/${id}/edit`, { name: 'Sous-Chef', team_id: '', goal_id: String(goal.id), purpose: 'Run the line.',
    accountabilities: 'Prep lists', resources: '' });
  assert.equal(r.status, 303);
  assert.equal(location(r), `/roles/${id}?saved=1`);
  const after = (await get(id)).json;
  assert.equal(after.name, 'Sous-Chef');
  assert.equal(after.team_id, null);
  assert.deepEqual(after.accountabilities, ['Prep lists']);
  assert.deepEqual(after.resources, []);
  assert.equal(after.version, 2);

  r = await admin.form(`/roles/${id}/edit`, { name: '  ', team_id: '', goal_id: String(goal.id), purpose: 'kept typing',
    accountabilities: 'a\n' + 'x'.repeat(301), resources: 'tool' });
  assert.equal(r.status, 422);
  assert.match(r.text, /<div class="field has-error"><label for="f-name">Name<\/label><input id="f-name" name="name" type="text" value="  "[^>]*aria-invalid="true"/);
  assert.match(r.text, /<p class="error" id="f-name-err">The role needs a name\.<\/p>/);
  assert.match(r.text, /<p class="error" id="f-accountabilities-err">Keep each item of the accountabilities to 300 characters or fewer\.<\/p>/);
  assert.match(r.text, />kept typing<\/textarea>/);
  assert.match(r.text, />tool<\/textarea>/);
  assert.deepEqual((await get(id)).json, after, 'unchanged');

  const list = await member.get('/roles');
  assert.equal(list.status, 200);
  assert.doesNotMatch(list.text, /href="\/roles\/new"/);
  assert.match((await admin.get('/roles')).text, /href="\/roles\/new"/);
});

test("roles-14: the charter's line of sight runs from the role through its goals to the organisation's purpose", async () => {
  const nolink = await mk('Unlinked Role');
  let page = await member.get(`/roles/${nolink.id}`);
  assert.match(page.text, /<ol class="line-of-sight"><li aria-current="page"><strong>Unlinked Role<\/strong> <span class="muted">\(no purpose written yet\)<\/span><\/li><li><span class="muted">Serves no goal yet\.<\/span><\/li><li class="purpose">/);

  const o = await owner.patch('/api/v1/org', { purpose: 'Good bread for *everyone* in town.' });
  assert.equal(o.status, 200, o.text);
  const root = await mkGoal('Feed the town');
  const mid = await mkGoal('Open a second shop', { parent_id: root.id });
  const leaf = await mkGoal('Hire two bakers', { parent_id: mid.id });
  const ro = await mk('Hiring Lead', { goal_id: leaf.id, purpose: 'Find **great** bakers.' });
  page = await member.get(`/roles/${ro.id}`);
  assert.equal(page.status, 200);
  const los = page.text.match(/<ol class="line-of-sight">[^]*?<\/ol>/)[0];
  const expected = '<ol class="line-of-sight">' +
    '<li aria-current="page"><strong>Hiring Lead</strong><div class="purpose-text"><p>Find <strong>great</strong> bakers.</p>\n</div></li>' +
    `<li><a href="/goals/${leaf.id}">Hire two bakers</a></li>` +
    `<li><a href="/goals/${mid.id}">Open a second shop</a></li>` +
    `<li><a href="/goals/${root.id}">Feed the town</a></li>` +
    '<li class="purpose"><a href="/org">The organisation\'s purpose</a><div class="purpose-text"><p>Good bread for <em>everyone</em> in town.</p>\n</div></li></ol>';
  assert.equal(los, expected);
});

test('roles-15: "Everything the holder may decide" lists the rights attached to the role', async () => {
  const ro = await mk('Refund Desk');
  let page = await admin.get(`/roles/${ro.id}`);
  assert.match(page.text, /<h2>Everything the holder may decide<\/h2>/);
  assert.match(page.text, /No decision rights are attached to this role yet/);
  assert.match(page.text, new RegExp(`<a class="button secondary" href="/rights/new\\?role_id=${ro.id}">Grant a right to this role</a>`));
  const r1 = addRight(ro.id);
  const r2 = addRight(ro.id, { slug: 'discount', label: 'discounts', level: 5, limit: null, advisor: ids.manager, expires: '2000-01-01' });
  page = await member.get(`/roles/${ro.id}`);
  const rights = page.text.match(/<section class="card" id="rights">[^]*?<\/section>/)[0];
  assert.match(rights, new RegExp(`<tr><td><a href="/rights/${r1}">refunds</a> <span class="muted">refund</span></td><td>7 · delegate</td><td>200\\.00</td><td><span class="muted">none</span></td><td>never</td></tr>`));
  assert.match(rights, new RegExp(`<a href="/rights/${r2}">discounts</a>[^]*<td>5 · advise</td><td>no limit</td><td><a href="/people/${ids.manager}">Max Manager</a></td><td><time datetime="2000-01-01">2000-01-01</time> <span class="badge status-missed">expired</span></td>`));
  assert.doesNotMatch(rights, /Grant a right/, 'members cannot grant from here');
  sql(`DELETE FROM decision_right WHERE role_id = ${ro.id}`);
});

test('roles-16: a holder confirms "I own this charter" on the page; the page asks again after a change', async () => {
  const ro = await mk('Page Ack Role', { purpose: 'First.' });
  await assign(ro.id, ids.member);
  let page = await member.get(`/roles/${ro.id}`);
  assert.match(page.text, /<section class="card" id="acknowledge"><h2>This is your role<\/h2>/);
  assert.match(page.text, new RegExp(`<form method="post" action="/roles/${ro.id}/acknowledge"[^>]*>.*?<button type="submit">I own this charter</button>`));
  assert.doesNotMatch((await manager.get(`/roles/${ro.id}`)).text, /I own this charter/, 'not for someone who does not hold it');
  assert.match((await admin.get(`/roles/${ro.id}`)).text, /needs acknowledgement/);

  assert.equal((await manager.form(`/roles/${ro.id}/acknowledge`, {})).status, 403);
  let r = await member.form(`/roles/${ro.id}/acknowledge`, {});
  assert.equal(r.status, 303);
  assert.equal(location(r), `/roles/${ro.id}?acknowledged=1`);
  page = await member.get(location(r));
  assert.match(page.text, /<p class="flash" role="status">Thank you: you own this charter\.<\/p>/);
  assert.doesNotMatch(page.text, /I own this charter<\/button>/);
  assert.match(page.text, /<dt>You<\/dt><dd>confirmed you own this charter on \d{1,2} [A-Z][a-z]{2} \d{4}<\/dd>/); // the reader's date format
  assert.match(page.text, /<span class="badge status-active">acknowledged<\/span>/);
  assert.equal((await get(ro.id)).json.holders[0].acknowledged, true);

  await admin.patch(`/api/v1/roles/${ro.id}`, { purpose: 'Second.' });
  page = await member.get(`/roles/${ro.id}`);
  assert.match(page.text, /The charter has changed since you confirmed version 1/);
  assert.match(page.text, /I own this charter<\/button>/);
  assert.match(page.text, /<span class="badge status-away">needs acknowledgement<\/span>/);
});

test('roles-17: admins assign and remove holders from the charter page', async () => {
  const ro = await mk('Page Holder Role');
  const p = addPerson('pageholder@a.test', 'Pia Page');
  const left = addPerson('pageleft@a.test', 'Lou Gone');
  await admin.patch(`/api/v1/people/${left}`, { status: 'left' });
  let page = await admin.get(`/roles/${ro.id}`);
  const select = page.text.match(/<select id="f-person_id"[^]*?<\/select>/)[0];
  assert.match(select, new RegExp(`<option value="${p}">Pia Page</option>`));
  assert.doesNotMatch(select, /Lou Gone/, 'people who left are not offered');
  assert.doesNotMatch(select, /Bob Other/, 'only this organisation');

  let r = await admin.form(`/roles/${ro.id}/holders`, { person_id: String(p) });
  assert.equal(r.status, 303);
  assert.equal(location(r), `/roles/${ro.id}?assigned=1#holders`);
  page = await admin.get(`/roles/${ro.id}?assigned=1`);
  assert.match(page.text, /<p class="flash" role="status">Assigned\.<\/p>/);
  assert.match(page.text, new RegExp(`<a href="/people/${p}">Pia Page</a></td><td><time datetime="[^"]+">\\d{1,2} [A-Z][a-z]{2} \\d{4}</time></td><td><span class="badge status-away">needs acknowledgement</span>`)); // the date as the reader's language writes it
  assert.match(page.text, new RegExp(`<form method="post" action="/roles/${ro.id}/holders/${p}/remove" data-confirm="Remove Pia Page from this role\\?">`));
  assert.doesNotMatch(page.text.match(/<select id="f-person_id"[^]*?<\/select>/)[0], /Pia Page/, 'not offered twice');

  r = await admin.form(`/roles/${ro.id}/holders`, { person_id: String(p) });
  assert.equal(r.status, 409);
  assert.match(r.text, /This person already holds the role/);
  r = await admin.form(`/roles/${ro.id}/holders`, { person_id: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Choose a person to assign/);
  r = await admin.form(`/roles/${ro.id}/holders`, { person_id: String(left) });
  assert.equal(r.status, 422);

  r = await admin.form(`/roles/${ro.id}/holders/${p}/remove`, {});
  assert.equal(r.status, 303);
  assert.equal(location(r), `/roles/${ro.id}?removed=1#holders`);
  assert.deepEqual((await get(ro.id)).json.holders, []);
  assert.equal((await admin.form(`/roles/${ro.id}/holders/${p}/remove`, {})).status, 404);
});

test('roles-18: /roles groups the charters by team and shows who confirmed them', async () => {
  const team = await mkTeam('Front of House');
  const a = await mk('Host', { team_id: team.id });
  const b = await mk('Free Agent');
  await assign(a.id, ids.member);
  await assign(a.id, ids.manager);
  await member.post(`/api/v1/roles/${a.id}/acknowledge`, {});
  const list = await member.get('/roles');
  assert.equal(list.status, 200);
  const section = list.text.match(new RegExp(`<section class="card"><h2><a href="/teams/${team.id}">Front of House</a></h2>[^]*?</section>`))[0];
  assert.match(section, new RegExp(`<a href="/roles/${a.id}">Host</a>`));
  assert.match(section, new RegExp(`<a href="/people/${ids.manager}">Max Manager</a> <span class="badge status-away">needs acknowledgement</span>`));
  assert.match(section, new RegExp(`<a href="/people/${ids.member}">Mia Member</a> <span class="badge status-active">acknowledged</span>`));
  assert.doesNotMatch(section, /Free Agent/);
  const free = list.text.match(/<section class="card"><h2>Roles outside a team<\/h2>[^]*?<\/section>/)[0];
  assert.match(free, new RegExp(`<a href="/roles/${b.id}">Free Agent</a></td><td><span class="muted">no goal yet</span></td><td><span class="muted">nobody yet</span>`));
  assert.ok(list.text.indexOf('Front of House') < list.text.indexOf('Roles outside a team'), 'roles without a team come last');
});

test('roles-19: names, purposes and list items are escaped in every page', async () => {
  const evil = '<script>alert(1)</script>';
  const ro = await mk(`Evil ${evil}`, { purpose: `Purpose ${evil} [x](javascript:alert(1))`, accountabilities: [`Duty ${evil}`], resources: [`Tool "${evil}"`] });
  await assign(ro.id, ids.member);
  for (const p of [`/roles/${ro.id}`, '/roles', `/roles/${ro.id}/edit`]) {
    const page = await admin.get(p);
    assert.equal(page.status, 200, p);
    assert.doesNotMatch(page.text, /<script>alert/, p);
    assert.match(page.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, p);
  }
  const v = await member.get(`/roles/${ro.id}`);
  assert.doesNotMatch(v.text, /javascript:/);
  assert.match(v.text, /<li>Duty &lt;script&gt;alert\(1\)&lt;\/script&gt;<\/li>/);
  assert.match(v.text, /<li>Tool &quot;&lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;<\/li>/);
  assert.equal((await get(ro.id)).json.name, `Evil ${evil}`, 'stored as typed');
});

test('roles-20: a cookie session without the CSRF token is refused (403) and nothing changes', async () => {
  const ro = await mk('Csrf Role');
  await assign(ro.id, ids.member);
  const before = await allRoles();
  for (const r of [
    await admin.post('/api/v1/roles', { name: 'Csrf New' }, { csrf: false }),
    await admin.patch(`/api/v1/roles/${ro.id}`, { name: 'Csrf Renamed' }, { csrf: false }),
    await admin.del(`/api/v1/roles/${ro.id}`, { csrf: false }),
    await admin.post(`/api/v1/roles/${ro.id}/holders`, { person_id: ids.manager }, { csrf: false }),
    await admin.del(`/api/v1/roles/${ro.id}/holders/${ids.member}`, { csrf: false }),
    await member.post(`/api/v1/roles/${ro.id}/acknowledge`, {}, { csrf: false }),
  ]) {
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, 'csrf');
  }
  for (const [c, p, f] of [[admin, '/roles/new', { name: 'Csrf Form' }], [admin, `/roles/${ro.id}/edit`, { name: 'Csrf Form' }],
    [admin, `/roles/${ro.id}/delete`, {}], [admin, `/roles/${ro.id}/holders`, { person_id: String(ids.manager) }],
    [admin, `/roles/${ro.id}/holders/${ids.member}/remove`, {}], [member, `/roles/${ro.id}/acknowledge`, {}]]) {
    assert.equal((await c.form(p, f, { csrf: false })).status, 403, p);
  }
  assert.deepEqual(await allRoles(), before);
});

test("roles-21: a person's page lists the roles they hold (once people.c calls roles_render_for_person)", async (t) => {
  const ro = await mk('Person Page Role');
  await assign(ro.id, ids.member);
  const page = await member.get(`/people/${ids.member}`);
  assert.equal(page.status, 200);
  if (!page.text.includes('<section class="card" id="roles">')) return t.skip('people.c does not call roles_render_for_person yet');
  const card = page.text.match(/<section class="card" id="roles">[^]*?<\/section>/)[0];
  assert.match(card, new RegExp(`<a href="/roles/${ro.id}">Person Page Role</a> <span class="badge status-away">needs acknowledgement</span> <a href="/roles/${ro.id}#acknowledge">Read and confirm</a>`));
  await member.post(`/api/v1/roles/${ro.id}/acknowledge`, {});
  const seen = (await admin.get(`/people/${ids.member}`)).text.match(/<section class="card" id="roles">[^]*?<\/section>/)[0];
  assert.match(seen, new RegExp(`<a href="/roles/${ro.id}">Person Page Role</a> <span class="badge status-active">acknowledged</span></li>`));
  const none = (await admin.get(`/people/${ids.owner}`)).text.match(/<section class="card" id="roles">[^]*?<\/section>/)[0];
  assert.match(none, /No roles\./);
});
