// teams.test.mjs: the teams feature (src/teams.c) through the real binary:
// the JSON API (/api/v1/teams), the pages (/teams...), every access level,
// isolation between organisations, the cycle / duplicate / delete rules, bad
// input that must change nothing, CSRF and HTML escaping.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, remit, USERS } from './lib.mjs';

let srv, admin, member, manager, ownerB, adminTok, memberTok;
let ids = {}; // person ids by role

before(async () => {
  srv = await startServer();
  admin = await srv.login(USERS.admin);
  member = await srv.login(USERS.member);
  manager = await srv.login(USERS.manager);
  ownerB = await srv.login(USERS.other);
  adminTok = srv.bearer(USERS.admin);
  memberTok = srv.bearer(USERS.member);
  for (const [k, c] of Object.entries({ admin, member, manager, ownerB })) ids[k] = (await c.get('/api/v1/session')).json.person.id;
});

after(async () => { await srv.stop(); });

// mk: creates a team as the Org A admin (or the given client); returns it.
async function mk(name, extra = {}, c = admin) {
  const r = await c.post('/api/v1/teams', { name, ...extra });
  assert.equal(r.status, 201, `create ${name}: ${r.text}`);
  return r.json;
}

// addPerson: a person in Org A (or org) placed in team by name, via the CLI
// so these tests do not depend on the people API. Returns the person id.
function addPerson(email, name, team, { title = '', org = 'Org A' } = {}) {
  const args = ['user', 'add', '--db', srv.db, '--org', org, '--email', email, '--name', name, '--access', 'member'];
  if (team) args.push('--team', team);
  if (title) args.push('--title', title);
  const r = remit(args);
  assert.equal(r.code, 0, r.stderr);
  return Number(r.stdout.match(/person (\d+)/)[1]);
}

async function get(id, c = admin) {
  const r = await c.get(`/api/v1/teams/${id}`);
  return r;
}

async function allTeams(c = admin) {
  const r = await c.get('/api/v1/teams?limit=500');
  assert.equal(r.status, 200);
  return r.json.items;
}

const location = (r) => r.headers.get('location');

let hasSqlite = true;
try { execFileSync('sqlite3', ['-version'], { stdio: 'ignore' }); } catch { hasSqlite = false; }
const sql = (q) => execFileSync('sqlite3', [srv.db, q], { encoding: 'utf8' }).trim();

test('teams-1: without a login the API answers 401 and pages redirect to /login', async () => {
  const anon = srv.anon();
  const t = await mk('Anon Check');
  for (const [m, p] of [['GET', '/api/v1/teams'], ['POST', '/api/v1/teams'], ['GET', `/api/v1/teams/${t.id}`],
    ['PATCH', `/api/v1/teams/${t.id}`], ['DELETE', `/api/v1/teams/${t.id}`]]) {
    const r = await anon.req(m, p, m === 'GET' || m === 'DELETE' ? {} : { json: { name: 'x' } });
    assert.equal(r.status, 401, `${m} ${p}`);
    assert.equal(r.json.error.code, 'unauthenticated');
  }
  for (const p of ['/teams', '/teams/new', `/teams/${t.id}`, `/teams/${t.id}/edit`]) {
    const r = await anon.get(p);
    assert.equal(r.status, 303, p);
    assert.equal(location(r), '/login?next=' + encodeURIComponent(p));
  }
  for (const p of ['/teams/new', `/teams/${t.id}/edit`, `/teams/${t.id}/delete`]) {
    const r = await anon.form(p, { name: 'Hacked' });
    assert.equal(r.status, 303, p);
    assert.match(location(r), /^\/login/);
  }
  assert.equal((await get(t.id)).json.name, 'Anon Check');
});

test('teams-2: an admin creates a team; it reads back by id and in the list', async () => {
  const r = await admin.post('/api/v1/teams', { name: '  Platform  ' });
  assert.equal(r.status, 201);
  assert.deepEqual(Object.keys(r.json).sort(), ['id', 'lead', 'lead_id', 'member_count', 'name', 'parent_id']);
  assert.equal(r.json.name, 'Platform', 'name is trimmed');
  assert.equal(r.json.parent_id, null);
  assert.equal(r.json.lead_id, null);
  assert.equal(r.json.lead, null);
  assert.equal(r.json.member_count, 0);
  assert.ok(Number.isInteger(r.json.id) && r.json.id > 0);
  const g = await get(r.json.id, member);
  assert.equal(g.status, 200);
  assert.deepEqual(g.json, r.json);
  const list = await allTeams(member);
  assert.deepEqual(list.find((t) => t.id === r.json.id), r.json);
});

test('teams-3: parent and lead are set, kept by a partial PATCH, and cleared with null', async () => {
  const parent = await mk('Engineering');
  const r = await admin.post('/api/v1/teams', { name: 'Backend', parent_id: parent.id, lead_id: ids.manager });
  assert.equal(r.status, 201);
  assert.equal(r.json.parent_id, parent.id);
  assert.equal(r.json.lead_id, ids.manager);
  assert.deepEqual(r.json.lead, { id: ids.manager, name: 'Max Manager' });
  const id = r.json.id;

  let p = await admin.patch(`/api/v1/teams/${id}`, { name: 'Backend Services' });
  assert.equal(p.status, 200);
  assert.equal(p.json.name, 'Backend Services');
  assert.equal(p.json.parent_id, parent.id, 'untouched field kept');
  assert.equal(p.json.lead_id, ids.manager, 'untouched field kept');

  p = await admin.patch(`/api/v1/teams/${id}`, { lead_id: ids.member });
  assert.equal(p.status, 200);
  assert.deepEqual(p.json.lead, { id: ids.member, name: 'Mia Member' });

  p = await admin.patch(`/api/v1/teams/${id}`, { parent_id: null, lead_id: null });
  assert.equal(p.status, 200);
  assert.equal(p.json.parent_id, null);
  assert.equal(p.json.lead_id, null);
  assert.equal(p.json.lead, null);
  assert.equal(p.json.name, 'Backend Services');
  assert.deepEqual((await get(id)).json, p.json);

  p = await admin.patch(`/api/v1/teams/${id}`, { parent_id: parent.id });
  assert.equal(p.json.parent_id, parent.id);
  p = await admin.patch(`/api/v1/teams/${id}`, {});
  assert.equal(p.status, 200, 'an empty PATCH changes nothing');
  assert.equal(p.json.parent_id, parent.id);
});

test('teams-4: the list pages by id with ?limit and ?after', async () => {
  for (const n of ['Page 1', 'Page 2', 'Page 3']) await mk(n);
  const all = await allTeams();
  const sorted = [...all].sort((a, b) => a.id - b.id);
  assert.deepEqual(all.map((t) => t.id), sorted.map((t) => t.id), 'ordered by id');
  const p1 = await admin.get('/api/v1/teams?limit=2');
  assert.equal(p1.status, 200);
  assert.deepEqual(p1.json.items.map((t) => t.id), all.slice(0, 2).map((t) => t.id));
  assert.equal(p1.json.next_after, all[1].id);
  const p2 = await admin.get(`/api/v1/teams?limit=2&after=${p1.json.next_after}`);
  assert.deepEqual(p2.json.items.map((t) => t.id), all.slice(2, 4).map((t) => t.id));
  const last = await admin.get(`/api/v1/teams?after=${all[all.length - 1].id}`);
  assert.deepEqual(last.json, { items: [], next_after: null });
  const whole = await admin.get('/api/v1/teams');
  assert.equal(whole.json.next_after, null);
  for (const q of ['limit=0', 'limit=abc', 'limit=501', 'after=-1', 'after=x']) {
    const r = await admin.get(`/api/v1/teams?${q}`);
    assert.equal(r.status, 400, q);
  }
});

test('teams-5: members and managers read but may not write', async () => {
  const t = await mk('Read Only', { lead_id: ids.admin });
  for (const c of [member, manager, memberTok]) {
    assert.equal((await c.get('/api/v1/teams')).status, 200);
    assert.equal((await get(t.id, c)).status, 200);
    assert.equal((await c.get('/teams')).status, 200);
    assert.equal((await c.get(`/teams/${t.id}`)).status, 200);
    const writes = [
      await c.post('/api/v1/teams', { name: 'Nope' }),
      await c.patch(`/api/v1/teams/${t.id}`, { name: 'Nope' }),
      await c.del(`/api/v1/teams/${t.id}`),
    ];
    for (const r of writes) {
      assert.equal(r.status, 403);
      assert.equal(r.json.error.code, 'forbidden');
    }
    assert.equal((await c.get('/teams/new')).status, 403);
    assert.equal((await c.get(`/teams/${t.id}/edit`)).status, 403);
    assert.equal((await c.form('/teams/new', { name: 'Nope' })).status, 403);
    assert.equal((await c.form(`/teams/${t.id}/edit`, { name: 'Nope' })).status, 403);
    assert.equal((await c.form(`/teams/${t.id}/delete`, {})).status, 403);
  }
  assert.deepEqual((await get(t.id)).json, t, 'nothing changed');
  assert.ok(!(await allTeams()).some((x) => x.name === 'Nope'));
});

test('teams-6: an admin API token writes without CSRF; the owner may write too', async () => {
  const t = await mk('Token Made', {}, adminTok);
  const p = await adminTok.patch(`/api/v1/teams/${t.id}`, { name: 'Token Renamed' });
  assert.equal(p.status, 200);
  assert.equal(p.json.name, 'Token Renamed');
  const owner = await srv.login(USERS.owner);
  const o = await owner.post('/api/v1/teams', { name: 'Owner Made' });
  assert.equal(o.status, 201);
  assert.equal((await adminTok.del(`/api/v1/teams/${t.id}`)).status, 204);
});

test("teams-7: another organisation's team answers 404, same as a missing one", async () => {
  const b = await mk('B Secret', {}, ownerB);
  const a = await mk('A Secret');
  const checks = async (c, id, other) => {
    for (const r of [await get(id, c), await c.patch(`/api/v1/teams/${id}`, { name: 'Stolen' }), await c.del(`/api/v1/teams/${id}`)]) {
      assert.equal(r.status, 404);
      assert.equal(r.json.error.code, 'not_found');
    }
    for (const r of [await c.get(`/teams/${id}`), await c.get(`/teams/${id}/edit`), await c.form(`/teams/${id}/edit`, { name: 'Stolen' }),
      await c.form(`/teams/${id}/delete`, {})]) {
      assert.equal(r.status, 404);
      assert.doesNotMatch(r.text, new RegExp(other));
    }
    assert.ok(!(await allTeams(c)).some((t) => t.id === id), 'not listed');
    assert.doesNotMatch((await c.get('/teams')).text, new RegExp(other));
  };
  await checks(admin, b.id, 'B Secret');
  await checks(adminTok, b.id, 'B Secret');
  await checks(ownerB, a.id, 'A Secret');
  for (const r of [await get(999999), await admin.patch('/api/v1/teams/999999', { name: 'x' }), await admin.del('/api/v1/teams/999999'),
    await admin.get('/teams/999999')]) assert.equal(r.status, 404);
  assert.deepEqual((await get(b.id, ownerB)).json, b, "Org B's team unchanged");
  assert.deepEqual((await get(a.id)).json, a, "Org A's team unchanged");
});

test('teams-8: a parent or lead from another organisation is refused like a nonexistent one (422)', async () => {
  const b = await mk('B Parent', {}, ownerB);
  const t = await mk('A Child');
  const before = (await allTeams()).length;
  for (const [body, field] of [
    [{ name: 'Cross 1', parent_id: b.id }, 'parent_id'],
    [{ name: 'Cross 2', parent_id: 999999 }, 'parent_id'],
    [{ name: 'Cross 3', lead_id: ids.ownerB }, 'lead_id'],
    [{ name: 'Cross 4', lead_id: 999999 }, 'lead_id'],
  ]) {
    const r = await admin.post('/api/v1/teams', body);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.equal(r.json.error.code, 'invalid');
    assert.equal(r.json.error.field, field);
    assert.ok(r.json.error.message);
  }
  assert.equal((await allTeams()).length, before, 'nothing created');
  for (const body of [{ parent_id: b.id }, { lead_id: ids.ownerB }, { name: 'A Child Renamed', lead_id: ids.ownerB }]) {
    const r = await admin.patch(`/api/v1/teams/${t.id}`, body);
    assert.equal(r.status, 422);
  }
  // and the other way round: Org B cannot use Org A's team or people
  assert.equal((await ownerB.post('/api/v1/teams', { name: 'B Cross', parent_id: t.id })).status, 422);
  assert.equal((await ownerB.post('/api/v1/teams', { name: 'B Cross', lead_id: ids.admin })).status, 422);
  assert.deepEqual((await get(t.id)).json, t, 'unchanged');
  // the page form says so next to the field
  const f = await admin.form('/teams/new', { name: 'Form Cross', parent_id: String(b.id), lead_id: String(ids.ownerB) });
  assert.equal(f.status, 422);
  assert.match(f.text, /Choose a parent team from this organisation/);
  assert.match(f.text, /Choose a lead from this organisation/);
  assert.doesNotMatch(f.text, /B Parent|Bob Other/);
});

test('teams-9: a team cannot become its own ancestor (409)', async () => {
  const a = await mk('Cycle A');
  const b = await mk('Cycle B', { parent_id: a.id });
  const c = await mk('Cycle C', { parent_id: b.id });
  for (const parent of [a.id, b.id, c.id]) {
    const r = await admin.patch(`/api/v1/teams/${a.id}`, { parent_id: parent });
    assert.equal(r.status, 409, `A under ${parent}`);
    assert.equal(r.json.error.code, 'conflict');
    assert.equal(r.json.error.field, 'parent_id');
  }
  const self = await admin.patch(`/api/v1/teams/${b.id}`, { parent_id: b.id });
  assert.equal(self.status, 409);
  assert.match(self.json.error.message, /own parent/);
  assert.deepEqual((await get(a.id)).json, a, 'A unchanged');
  assert.equal((await get(b.id)).json.parent_id, a.id, 'B unchanged');
  // the page form answers the same, keeping what was typed
  const f = await admin.form(`/teams/${a.id}/edit`, { name: 'Cycle A typed', parent_id: String(c.id), lead_id: '' });
  assert.equal(f.status, 409);
  assert.match(f.text, /cannot be its own ancestor/);
  assert.match(f.text, /value="Cycle A typed"/);
  assert.equal((await get(a.id)).json.name, 'Cycle A');
  // the edit form does not even offer the team itself or its descendants
  const e = await admin.get(`/teams/${a.id}/edit`);
  assert.equal(e.status, 200);
  const parentSelect = e.text.match(/<select id="f-parent_id"[^]*?<\/select>/)[0];
  for (const t of [a, b, c]) assert.doesNotMatch(parentSelect, new RegExp(`value="${t.id}"`));
  assert.match(parentSelect, />Platform</);
  // moving a leaf elsewhere is fine
  const ok = await admin.patch(`/api/v1/teams/${c.id}`, { parent_id: a.id });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.parent_id, a.id);
});

test('teams-10: names are unique per organisation (409 conflict)', async () => {
  const s = await mk('Sales');
  const before = (await allTeams()).length;
  for (const name of ['Sales', '  Sales ']) {
    const r = await admin.post('/api/v1/teams', { name });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.code, 'conflict');
    assert.equal(r.json.error.field, 'name');
  }
  assert.equal((await allTeams()).length, before);
  const other = await mk('Marketing');
  const r = await admin.patch(`/api/v1/teams/${other.id}`, { name: 'Sales' });
  assert.equal(r.status, 409);
  assert.equal((await get(other.id)).json.name, 'Marketing');
  const same = await admin.patch(`/api/v1/teams/${s.id}`, { name: 'Sales' });
  assert.equal(same.status, 200, 'keeping its own name is not a conflict');
  const inB = await ownerB.post('/api/v1/teams', { name: 'Sales' });
  assert.equal(inB.status, 201, 'another organisation may use the name');
  const f = await admin.form('/teams/new', { name: 'Sales', parent_id: '', lead_id: '' });
  assert.equal(f.status, 409);
  assert.match(f.text, /Another team already has this name/);
});

test('teams-11: bad input answers 400 or 422 and changes nothing', async () => {
  const t = await mk('Solid', { lead_id: ids.manager });
  const before = await allTeams();
  const bad400 = [
    ['{"name":', 'malformed_json'],
    ['[1,2]', 'bad_request'],
    ['"Solid"', 'malformed_json'], // jansson accepts only an object or array at the top
    [{ name: 'X', colour: 'red' }, 'unknown_field'],
    [{ name: 42 }, 'invalid_field'],
    [{ name: null }, 'invalid_field'],
    [{ name: 'X', parent_id: '1' }, 'invalid_field'],
    [{ name: 'X', parent_id: 0 }, 'invalid_field'],
    [{ name: 'X', parent_id: -3 }, 'invalid_field'],
    [{ name: 'X', lead_id: 1.5 }, 'invalid_field'],
    [{ name: 'X', lead_id: true }, 'invalid_field'],
    ['{"name":"X","name":"Y"}', 'malformed_json'],
  ];
  for (const [body, code] of bad400) {
    for (const r of [await admin.post('/api/v1/teams', body), await admin.patch(`/api/v1/teams/${t.id}`, body)]) {
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.json.error.code, code, JSON.stringify(body));
    }
  }
  const empty = await admin.req('POST', '/api/v1/teams', { body: '', headers: { 'content-type': 'application/json' } });
  assert.equal(empty.status, 400);
  const bad422 = [{}, { name: '' }, { name: '   ' }, { name: 'x'.repeat(101) }, { name: 'line\nbreak' }, { parent_id: null }];
  for (const body of bad422) {
    const r = await admin.post('/api/v1/teams', body);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.equal(r.json.error.field, 'name');
  }
  for (const body of [{ name: '' }, { name: ' ' }, { name: 'y'.repeat(101) }]) {
    const r = await admin.patch(`/api/v1/teams/${t.id}`, body);
    assert.equal(r.status, 422);
    assert.equal(r.json.error.field, 'name');
  }
  assert.deepEqual(await allTeams(), before, 'nothing changed');
  // 100 characters is the limit, counted in characters, not bytes
  const long = await admin.post('/api/v1/teams', { name: 'é'.repeat(100) });
  assert.equal(long.status, 201);
  assert.equal(long.json.name, 'é'.repeat(100));
  // a form with a non-id select value is refused next to the field
  const f = await admin.form(`/teams/${t.id}/edit`, { name: 'Solid', parent_id: 'abc', lead_id: String(ids.manager) });
  assert.equal(f.status, 422);
  assert.match(f.text, /Choose a parent team from the list/);
  assert.deepEqual((await get(t.id)).json, t);
});

test('teams-12: deleting a team with people or sub-teams is refused (409); an empty one goes (204)', async () => {
  const parent = await mk('Delete Parent');
  const child = await mk('Delete Child', { parent_id: parent.id });
  let r = await admin.del(`/api/v1/teams/${parent.id}`);
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'conflict');
  assert.match(r.json.error.message, /sub-team/);
  assert.deepEqual((await get(parent.id)).json, parent);
  assert.deepEqual((await get(child.id)).json, child);

  const staffed = await mk('Staffed');
  addPerson('staff1@a.test', 'Sam Staff', 'Staffed', { title: 'Engineer' });
  assert.equal((await get(staffed.id)).json.member_count, 1);
  r = await admin.del(`/api/v1/teams/${staffed.id}`);
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /person/);
  const still = await get(staffed.id);
  assert.equal(still.status, 200);
  assert.equal(still.json.member_count, 1);

  r = await admin.del(`/api/v1/teams/${child.id}`);
  assert.equal(r.status, 204);
  assert.equal(r.text, '');
  assert.equal((await get(child.id)).status, 404);
  assert.equal((await admin.del(`/api/v1/teams/${child.id}`)).status, 404);
  r = await admin.del(`/api/v1/teams/${parent.id}`);
  assert.equal(r.status, 204, 'empty once its sub-team is gone');
});

test('teams-13: a cookie session without the CSRF token is refused (403) and nothing changes', async () => {
  const t = await mk('Csrf Target');
  const before = (await allTeams()).length;
  for (const r of [
    await admin.post('/api/v1/teams', { name: 'Csrf New' }, { csrf: false }),
    await admin.patch(`/api/v1/teams/${t.id}`, { name: 'Csrf Renamed' }, { csrf: false }),
    await admin.del(`/api/v1/teams/${t.id}`, { csrf: false }),
    await admin.req('PATCH', `/api/v1/teams/${t.id}`, { json: { name: 'Csrf Wrong' }, csrf: false, headers: { 'x-csrf-token': 'wrong' } }),
  ]) {
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, 'csrf');
  }
  for (const [p, f] of [['/teams/new', { name: 'Csrf Form' }], [`/teams/${t.id}/edit`, { name: 'Csrf Form' }], [`/teams/${t.id}/delete`, {}]]) {
    const r = await admin.form(p, f, { csrf: false });
    assert.equal(r.status, 403, p);
  }
  assert.equal((await allTeams()).length, before);
  assert.deepEqual((await get(t.id)).json, t);
});

test('teams-14: the pages create, show and edit a team', async () => {
  const n = await admin.get('/teams/new');
  assert.equal(n.status, 200);
  assert.match(n.headers.get('content-type'), /^text\/html/);
  assert.match(n.text, /<form method="post" action="\/teams\/new"/);
  assert.match(n.text, /name="csrf_token" value="[^"]+"/);
  assert.match(n.text, /<input id="f-name" name="name"/);
  assert.match(n.text, /<select id="f-parent_id" name="parent_id"/);
  const leadSelect = n.text.match(/<select id="f-lead_id"[^]*?<\/select>/)[0];
  assert.match(leadSelect, new RegExp(`<option value="${ids.manager}">Max Manager</option>`));
  assert.doesNotMatch(leadSelect, /Bob Other/, 'only people of this organisation');
  assert.doesNotMatch(n.text, /B Secret/, 'only teams of this organisation');

  const parent = await mk('Web Group');
  let r = await admin.form('/teams/new', { name: ' Web Front ', parent_id: String(parent.id), lead_id: String(ids.manager) });
  assert.equal(r.status, 303);
  const m = location(r).match(/^\/teams\/(\d+)\?saved=1$/);
  assert.ok(m, location(r));
  const id = Number(m[1]);
  const created = (await get(id)).json;
  assert.equal(created.name, 'Web Front');
  assert.equal(created.parent_id, parent.id);
  assert.equal(created.lead_id, ids.manager);

  const p1 = addPerson('front1@a.test', 'Fay Front', 'Web Front', { title: 'Designer' });
  addPerson('front2@a.test', 'Gus Front', 'Web Front', { title: 'Developer' });
  const v = await admin.get(location(r));
  assert.equal(v.status, 200);
  assert.match(v.text, /<p class="flash" role="status">Saved\.<\/p>/);
  assert.match(v.text, /<h1>Web Front<\/h1>/);
  assert.match(v.text, new RegExp(`<dt>Part of</dt><dd><a href="/teams/${parent.id}">Web Group</a></dd>`));
  assert.match(v.text, new RegExp(`<dt>Lead</dt><dd><a href="/people/${ids.manager}">Max Manager</a></dd>`));
  assert.match(v.text, /<dt>Head count<\/dt><dd>2<\/dd>/);
  assert.match(v.text, new RegExp(`<a href="/people/${p1}">Fay Front</a></td><td>Designer</td>`));
  assert.match(v.text, /Gus Front<\/a><\/td><td>Developer<\/td>/);
  assert.match(v.text, new RegExp(`href="/teams/${id}/edit"`));
  assert.doesNotMatch((await admin.get(`/teams/${id}`)).text, /Saved\./, 'flash only after saving');

  const pv = await admin.get(`/teams/${parent.id}`);
  assert.match(pv.text, new RegExp(`<h2>Sub-teams</h2><ul class="plain"><li><a href="/teams/${id}">Web Front</a></li></ul>`));
  assert.match(pv.text, /Nobody is in this team yet/);

  const list = await member.get('/teams');
  assert.equal(list.status, 200);
  assert.match(list.text, /<ul class="tree">/);
  assert.match(list.text, new RegExp(`<li><a href="/teams/${parent.id}">Web Group</a> <span class="muted">0 people</span><ul><li><a href="/teams/${id}">Web Front</a>`),
    'the child is nested under its parent');
  assert.match(list.text, new RegExp(`<a href="/teams/${id}">Web Front</a> <span class="muted">lead <a href="/people/${ids.manager}">Max Manager</a> · 2 people</span>`));

  const e = await admin.get(`/teams/${id}/edit`);
  assert.equal(e.status, 200);
  assert.match(e.text, /value="Web Front"/);
  assert.match(e.text, new RegExp(`<option value="${parent.id}" selected>Web Group</option>`));
  assert.match(e.text, new RegExp(`<option value="${ids.manager}" selected>Max Manager</option>`));

  r = await admin.form(`/teams/${id}/edit`, { name: 'Web Frontend', parent_id: '', lead_id: String(ids.member) });
  assert.equal(r.status, 303);
  assert.equal(location(r), `/teams/${id}?saved=1`);
  const after = (await get(id)).json;
  assert.equal(after.name, 'Web Frontend');
  assert.equal(after.parent_id, null);
  assert.equal(after.lead_id, ids.member);
  assert.equal(after.member_count, 2);

  // errors are shown next to the field, with what was typed kept
  r = await admin.form(`/teams/${id}/edit`, { name: '   ', parent_id: String(parent.id), lead_id: String(ids.manager) });
  assert.equal(r.status, 422);
  assert.match(r.text, /<div class="field has-error"><label for="f-name">Name<\/label><input id="f-name" name="name" type="text" value="   "[^>]*aria-invalid="true"/);
  assert.match(r.text, /<p class="error" id="f-name-err">The team needs a name\.<\/p>/);
  assert.match(r.text, new RegExp(`<option value="${parent.id}" selected>Web Group</option>`));
  assert.match(r.text, new RegExp(`<option value="${ids.manager}" selected>Max Manager</option>`));
  assert.equal((await get(id)).json.name, 'Web Frontend', 'unchanged');
  r = await admin.form('/teams/new', { name: 'z'.repeat(101), parent_id: '', lead_id: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /100 characters or fewer/);
});

test('teams-15: edit and delete controls are shown to admins only', async () => {
  const t = await mk('Buttons');
  const forMember = await member.get(`/teams/${t.id}`);
  assert.equal(forMember.status, 200);
  assert.doesNotMatch(forMember.text, /\/edit"/);
  assert.doesNotMatch(forMember.text, /Delete team/);
  assert.doesNotMatch(forMember.text, /\/delete"/);
  const listMember = await member.get('/teams');
  assert.doesNotMatch(listMember.text, /href="\/teams\/new"/);
  const forAdmin = await admin.get(`/teams/${t.id}`);
  assert.match(forAdmin.text, new RegExp(`href="/teams/${t.id}/edit"`));
  assert.match(forAdmin.text, new RegExp(`<form method="post" action="/teams/${t.id}/delete"`));
  assert.match(forAdmin.text, /<button type="submit" class="danger">Delete team<\/button>/);
  assert.match((await admin.get('/teams')).text, /href="\/teams\/new"/);
});

test('teams-16: the delete page refuses a team with people (409) and removes an empty one', async () => {
  const t = await mk('Page Delete Staffed');
  addPerson('pd1@a.test', 'Pat Delete', 'Page Delete Staffed');
  let r = await admin.form(`/teams/${t.id}/delete`, {});
  assert.equal(r.status, 409);
  assert.match(r.text, /<h1>Page Delete Staffed<\/h1>/);
  assert.match(r.text, /role="alert"><p>One person still belongs to this team/);
  assert.equal((await get(t.id)).status, 200);

  const parent = await mk('Page Delete Parent');
  await mk('Page Delete Sub', { parent_id: parent.id });
  r = await admin.form(`/teams/${parent.id}/delete`, {});
  assert.equal(r.status, 409);
  assert.match(r.text, /sub-team/);

  const empty = await mk('Page Delete Empty');
  r = await admin.form(`/teams/${empty.id}/delete`, {});
  assert.equal(r.status, 303);
  assert.equal(location(r), '/teams?deleted=1');
  assert.equal((await get(empty.id)).status, 404);
  const l = await admin.get('/teams?deleted=1');
  assert.match(l.text, /<p class="flash" role="status">Team deleted\.<\/p>/);
  assert.doesNotMatch(l.text, /Page Delete Empty/);
});

test('teams-17: team names are HTML-escaped on every page', async () => {
  const evil = '<script>alert(1)</script>';
  const t = await mk(evil, { lead_id: ids.manager });
  const child = await mk('Under Evil', { parent_id: t.id });
  const esc = '&lt;script&gt;alert(1)&lt;/script&gt;';
  for (const p of ['/teams', `/teams/${t.id}`, `/teams/${t.id}/edit`, `/teams/${child.id}`, `/teams/${child.id}/edit`, '/teams/new']) {
    const r = await admin.get(p);
    assert.equal(r.status, 200, p);
    assert.ok(r.text.includes(esc), `${p} shows the escaped name`);
    assert.ok(!r.text.includes(evil), `${p} has no raw script`);
  }
  const quoted = await mk('"quoted" & \'apos\'');
  const e = await admin.get(`/teams/${quoted.id}/edit`);
  assert.match(e.text, /value="&quot;quoted&quot; &amp; &#39;apos&#39;"/);
  assert.equal((await get(t.id)).json.name, evil, 'the API returns the name as typed');
});

test('teams-18: every write is audited', { skip: !hasSqlite && 'sqlite3 CLI not installed' }, async () => {
  const t = await mk('Audited');
  await admin.patch(`/api/v1/teams/${t.id}`, { name: 'Audited Renamed', lead_id: ids.manager });
  await admin.del(`/api/v1/teams/${t.id}`);
  const rows = sql(`SELECT action || '|' || actor_id || '|' || detail FROM audit WHERE object = 'team:${t.id}' ORDER BY id`).split('\n');
  assert.equal(rows.length, 3, rows.join('\n'));
  assert.match(rows[0], new RegExp(`^team\\.create\\|${ids.admin}\\|name "Audited"`));
  assert.match(rows[1], new RegExp(`^team\\.update\\|${ids.admin}\\|changed: name \\(was "Audited"\\) lead 0->${ids.manager}`));
  assert.match(rows[2], new RegExp(`^team\\.delete\\|${ids.admin}\\|name "Audited Renamed"`));
  // refused writes leave no trace
  await admin.post('/api/v1/teams', { name: '' });
  const refused = await admin.post('/api/v1/teams', { name: 'Audited Renamed', parent_id: 999999 });
  assert.equal(refused.status, 422);
  assert.equal(sql("SELECT count(*) FROM audit WHERE action LIKE 'team.%' AND detail LIKE '%parent 999999%'"), '0');
});
