// goals.test.mjs: the goals feature (src/goals.c) through the real binary:
// the JSON API (/api/v1/goals), the pages (/goals/..., the tree on /org),
// every access level, isolation between organisations, the cycle and
// delete rules, bad input that must change nothing, and HTML escaping.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, USERS } from './lib.mjs';

let srv, owner, admin, manager, member, ownerB, adminTok, memberTok;

before(async () => {
  srv = await startServer();
  owner = await srv.login(USERS.owner);
  admin = await srv.login(USERS.admin);
  manager = await srv.login(USERS.manager);
  member = await srv.login(USERS.member);
  ownerB = await srv.login(USERS.other);
  adminTok = srv.bearer(USERS.admin);
  memberTok = srv.bearer(USERS.member);
});

after(async () => { await srv.stop(); });

const location = (r) => r.headers.get('location');
const sql = (q) => execFileSync('sqlite3', [srv.db, q], { encoding: 'utf8' }).trim();
const orgId = (name) => Number(sql(`SELECT id FROM org WHERE name = '${name}'`));

// mk: creates a goal as the Org A admin (or client c); returns its JSON.
async function mk(fields, c = admin) {
  const r = await c.post('/api/v1/goals', fields);
  assert.equal(r.status, 201, `create ${JSON.stringify(fields)}: ${r.text}`);
  return r.json;
}

// mkTeam: a team through the teams API; straight into the database while
// that API is not there yet (501). Returns its id.
async function mkTeam(name, c = admin, org = 'Org A') {
  const r = await c.post('/api/v1/teams', { name });
  if (r.status === 201) return r.json.id;
  assert.equal(r.status, 501, `team ${name}: ${r.text}`);
  return Number(sql(`INSERT INTO team(org_id, name, created_at) VALUES(${orgId(org)}, '${name}', 0); SELECT last_insert_rowid();`));
}

async function goal(id, c = admin) {
  const r = await c.get(`/api/v1/goals/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

const goalCount = (org = 'Org A') => Number(sql(`SELECT count(*) FROM goal WHERE org_id = ${orgId(org)}`));

test('goals-0: an organisation without goals shows a friendly empty state on /org', async () => {
  const r = await ownerB.get('/org');
  assert.equal(r.status, 200);
  assert.match(r.text, /<section class="card" id="goals">/);
  assert.match(r.text, /No goals yet/);
  assert.match(r.text, /href="\/goals\/new"/, 'an owner is offered to add one');
  const m = await member.get('/org');
  assert.match(m.text, /No goals yet/);
  assert.doesNotMatch(m.text, /href="\/goals\/new"/, 'a member is not offered to add one');
});

test('goals-1: create with every field, then read it back', async () => {
  const team = await mkTeam('Growth');
  const parent = await mk({ title: 'Grow the business' });
  assert.deepEqual(parent, {
    id: parent.id, title: 'Grow the business', parent_id: null, metric: '', target: '', due_on: null,
    owner_team_id: null, owner_team: null, status: 'active',
  });
  const r = await admin.post('/api/v1/goals', {
    title: '  Win 10 new customers ', parent_id: parent.id, metric: 'signed contracts', target: '10',
    due_on: '2026-06-30', owner_team_id: team, status: 'proposed',
  });
  assert.equal(r.status, 201);
  assert.equal(location(r), `/api/v1/goals/${r.json.id}`);
  assert.deepEqual(r.json, {
    id: r.json.id, title: 'Win 10 new customers', parent_id: parent.id, metric: 'signed contracts', target: '10',
    due_on: '2026-06-30', owner_team_id: team, owner_team: { id: team, name: 'Growth' }, status: 'proposed',
  });
  assert.deepEqual(await goal(r.json.id, member), r.json, 'a member reads the same goal');
  // 200 characters are fine, also when they take more bytes.
  const long = await mk({ title: 'é'.repeat(200), metric: 'm'.repeat(200), target: 't'.repeat(200) });
  assert.equal(long.title.length, 200);
  // An API token needs no CSRF token.
  const t = await adminTok.post('/api/v1/goals', { title: 'Made with a token' });
  assert.equal(t.status, 201);
});

test('goals-2: the list pages by id and filters by parent_id and status', async () => {
  const root = await mk({ title: 'List root' });
  const kids = [];
  for (let i = 0; i < 5; i++) kids.push(await mk({ title: `List kid ${i}`, parent_id: root.id, status: i % 2 ? 'achieved' : 'active' }));
  const all = await member.get('/api/v1/goals?limit=500');
  assert.equal(all.status, 200);
  assert.equal(all.json.next_after, null);
  const ids = all.json.items.map((g) => g.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'ordered by id');
  assert.equal(ids.length, goalCount());
  // Paging: limit 2 at a time, following next_after, sees every goal once.
  const seen = [];
  let after = 0;
  for (let guard = 0; guard < 100; guard++) {
    const p = await member.get(`/api/v1/goals?limit=2&after=${after}`);
    assert.equal(p.status, 200);
    assert.ok(p.json.items.length <= 2);
    seen.push(...p.json.items.map((g) => g.id));
    if (p.json.next_after === null) break;
    assert.equal(p.json.next_after, p.json.items.at(-1).id);
    after = p.json.next_after;
  }
  assert.deepEqual(seen, ids);
  // Filters.
  const sub = await member.get(`/api/v1/goals?parent_id=${root.id}`);
  assert.deepEqual(sub.json.items.map((g) => g.id), kids.map((g) => g.id));
  const top = await member.get('/api/v1/goals?parent_id=null&limit=500');
  assert.ok(top.json.items.length > 0);
  assert.ok(top.json.items.every((g) => g.parent_id === null));
  assert.ok(top.json.items.some((g) => g.id === root.id));
  assert.deepEqual((await member.get('/api/v1/goals?parent_id=0&limit=500')).json, top.json, 'parent_id=0 means top-level too');
  const done = await member.get(`/api/v1/goals?parent_id=${root.id}&status=achieved`);
  assert.deepEqual(done.json.items.map((g) => g.id), [kids[1].id, kids[3].id]);
  // Bad parameters.
  for (const q of ['status=finished', 'parent_id=abc', 'parent_id=-1', 'limit=0', 'limit=501', 'after=x']) {
    const b = await member.get(`/api/v1/goals?${q}`);
    assert.equal(b.status, 400, q);
    assert.equal(b.json.error.code, 'invalid_parameter', q);
  }
});

test('goals-3: PATCH changes any subset, and null clears optional fields', async () => {
  const team = await mkTeam('Patchers');
  const parent = await mk({ title: 'Patch parent' });
  const g = await mk({ title: 'Patch me', parent_id: parent.id, metric: 'NPS', target: '50', due_on: '2026-12-31', owner_team_id: team });
  let r = await admin.patch(`/api/v1/goals/${g.id}`, { target: '60' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { ...g, target: '60' });
  r = await admin.patch(`/api/v1/goals/${g.id}`, { status: 'achieved', title: 'Patched' });
  assert.deepEqual(r.json, { ...g, target: '60', status: 'achieved', title: 'Patched' });
  r = await admin.patch(`/api/v1/goals/${g.id}`, { parent_id: null, metric: null, target: null, due_on: null, owner_team_id: null });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, {
    id: g.id, title: 'Patched', parent_id: null, metric: '', target: '', due_on: null, owner_team_id: null, owner_team: null, status: 'achieved',
  });
  assert.deepEqual(await goal(g.id), r.json);
  // An empty patch changes nothing and still answers the goal.
  r = await admin.patch(`/api/v1/goals/${g.id}`, {});
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, await goal(g.id));
});

test('goals-4: members read, only admins write; without a login 401 or the login page', async () => {
  const g = await mk({ title: 'Guarded' });
  for (const c of [member, manager, memberTok]) {
    assert.equal((await c.get('/api/v1/goals')).status, 200);
    assert.equal((await c.get(`/api/v1/goals/${g.id}`)).status, 200);
    assert.equal((await c.get(`/goals/${g.id}`)).status, 200);
    for (const [m, p, json] of [['POST', '/api/v1/goals', { title: 'No' }], ['PATCH', `/api/v1/goals/${g.id}`, { title: 'No' }],
      ['DELETE', `/api/v1/goals/${g.id}`, undefined]]) {
      const r = await c.req(m, p, { json });
      assert.equal(r.status, 403, `${m} ${p}`);
      assert.equal(r.json.error.code, 'forbidden');
    }
    for (const p of ['/goals/new', `/goals/${g.id}/edit`]) assert.equal((await c.get(p)).status, 403, p);
    for (const p of ['/goals/new', `/goals/${g.id}/edit`, `/goals/${g.id}/delete`]) assert.equal((await c.form(p, { title: 'No' })).status, 403, p);
  }
  const anon = srv.anon();
  for (const [m, p] of [['GET', '/api/v1/goals'], ['POST', '/api/v1/goals'], ['GET', `/api/v1/goals/${g.id}`], ['PATCH', `/api/v1/goals/${g.id}`],
    ['DELETE', `/api/v1/goals/${g.id}`]]) {
    const r = await anon.req(m, p, m === 'POST' || m === 'PATCH' ? { json: { title: 'No' } } : {});
    assert.equal(r.status, 401, `${m} ${p}`);
    assert.equal(r.json.error.code, 'unauthenticated');
  }
  for (const p of ['/goals/new', `/goals/${g.id}`, `/goals/${g.id}/edit`]) {
    const r = await anon.get(p);
    assert.equal(r.status, 303, p);
    assert.equal(location(r), '/login?next=' + encodeURIComponent(p));
  }
  for (const p of ['/goals/new', `/goals/${g.id}/edit`, `/goals/${g.id}/delete`]) {
    const r = await anon.form(p, { title: 'No' });
    assert.equal(r.status, 303, p);
    assert.match(location(r), /^\/login/);
  }
  // A cookie session without the CSRF token is refused.
  const noCsrf = await admin.req('PATCH', `/api/v1/goals/${g.id}`, { json: { title: 'No' }, csrf: false });
  assert.equal(noCsrf.status, 403);
  assert.equal(noCsrf.json.error.code, 'csrf');
  assert.equal((await admin.form(`/goals/${g.id}/delete`, {}, { csrf: false })).status, 403);
  assert.deepEqual(await goal(g.id), g, 'nothing changed');
  // The owner is above admin and may write.
  const r = await owner.patch(`/api/v1/goals/${g.id}`, { metric: 'by the owner' });
  assert.equal(r.status, 200);
});

test('goals-5: another organisation\'s goals and teams answer like missing ones', async () => {
  const a = await mk({ title: 'Org A secret goal' });
  const b = await mk({ title: 'Org B goal' }, ownerB);
  const teamB = await mkTeam('B team', ownerB, 'Org B');
  const missing = 999999;
  for (const id of [b.id, missing]) {
    for (const [m, p, json] of [['GET', `/api/v1/goals/${id}`], ['PATCH', `/api/v1/goals/${id}`, { title: 'x' }], ['DELETE', `/api/v1/goals/${id}`]]) {
      const r = await admin.req(m, p, { json });
      assert.equal(r.status, 404, `${m} ${p}`);
      assert.equal(r.json.error.code, 'not_found');
    }
    for (const p of [`/goals/${id}`, `/goals/${id}/edit`]) assert.equal((await admin.get(p)).status, 404, p);
    assert.equal((await admin.form(`/goals/${id}/edit`, { title: 'x' })).status, 404);
    assert.equal((await admin.form(`/goals/${id}/delete`, {})).status, 404);
  }
  // The same 404 text for both, so an id of another org gives nothing away.
  const r1 = await admin.get(`/api/v1/goals/${b.id}`), r2 = await admin.get(`/api/v1/goals/${missing}`);
  assert.equal(r1.json.error.message.replace(String(b.id), 'N'), r2.json.error.message.replace(String(missing), 'N'));
  assert.equal((await ownerB.get(`/api/v1/goals/${a.id}`)).status, 404);
  assert.equal((await ownerB.get(`/goals/${a.id}`)).status, 404);
  // Lists and the /org tree show only the caller's org.
  const listB = await ownerB.get('/api/v1/goals?limit=500');
  assert.deepEqual(listB.json.items.map((g) => g.id), [b.id]);
  const listA = await admin.get('/api/v1/goals?limit=500');
  assert.ok(!listA.json.items.some((g) => g.id === b.id));
  assert.doesNotMatch((await ownerB.get('/org')).text, /Org A secret goal/);
  assert.doesNotMatch((await admin.get('/org')).text, /Org B goal/);
  // Referring to them is the same 422 as referring to nothing.
  const before = goalCount();
  for (const [field, id] of [['parent_id', b.id], ['parent_id', missing], ['owner_team_id', teamB], ['owner_team_id', missing]]) {
    const r = await admin.post('/api/v1/goals', { title: 'Cross', [field]: id });
    assert.equal(r.status, 422, `${field}=${id}`);
    assert.equal(r.json.error.field, field);
    const p = await admin.patch(`/api/v1/goals/${a.id}`, { [field]: id });
    assert.equal(p.status, 422, `patch ${field}=${id}`);
    assert.equal(p.json.error.field, field);
  }
  assert.equal(goalCount(), before);
  assert.deepEqual(await goal(a.id), a);
  assert.deepEqual(await goal(b.id, ownerB), b);
});

test('goals-6: a goal cannot become its own ancestor (409)', async () => {
  const a = await mk({ title: 'Cycle A' });
  const b = await mk({ title: 'Cycle B', parent_id: a.id });
  const c = await mk({ title: 'Cycle C', parent_id: b.id });
  for (const [g, parent] of [[a, a], [a, b], [a, c], [b, c], [c, c]]) {
    const r = await admin.patch(`/api/v1/goals/${g.id}`, { parent_id: parent.id, title: 'Renamed' });
    assert.equal(r.status, 409, `${g.title} under ${parent.title}`);
    assert.equal(r.json.error.code, 'cycle');
    assert.equal(r.json.error.field, 'parent_id');
  }
  assert.deepEqual(await goal(a.id), a);
  assert.deepEqual(await goal(b.id), b);
  assert.deepEqual(await goal(c.id), c);
  // The form says so too, keeps the typed values and changes nothing.
  const f = await admin.form(`/goals/${a.id}/edit`, { title: 'Typed title', parent_id: String(c.id), status: 'active' });
  assert.equal(f.status, 409);
  assert.match(f.text, /cannot sit under itself/);
  assert.match(f.text, /value="Typed title"/);
  assert.deepEqual(await goal(a.id), a);
  // Moving down a level elsewhere is fine: C under A directly.
  const ok = await admin.patch(`/api/v1/goals/${c.id}`, { parent_id: a.id });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.parent_id, a.id);
});

test('goals-7: a goal with sub-goals cannot be deleted (409); without, 204', async () => {
  const p = await mk({ title: 'Delete parent' });
  const k = await mk({ title: 'Delete kid', parent_id: p.id });
  const n = goalCount();
  const r = await admin.del(`/api/v1/goals/${p.id}`);
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'has_subgoals');
  const f = await admin.form(`/goals/${p.id}/delete`, {});
  assert.equal(f.status, 409);
  assert.match(f.text, /sub-goal/);
  assert.equal(goalCount(), n);
  assert.deepEqual(await goal(p.id), p);
  assert.deepEqual(await goal(k.id), k);
  // The edit page offers no delete button while sub-goals exist.
  const e = await admin.get(`/goals/${p.id}/edit`);
  assert.doesNotMatch(e.text, /class="danger"/);
  assert.match((await admin.get(`/goals/${k.id}/edit`)).text, /<button type="submit" class="danger">/);
  // Delete the kid through the page (back to its parent), then the parent through the API.
  const d = await admin.form(`/goals/${k.id}/delete`, {});
  assert.equal(d.status, 303);
  assert.equal(location(d), `/goals/${p.id}?deleted=1`);
  assert.match((await admin.get(location(d))).text, /class="flash"[^>]*>Deleted\./);
  const ok = await admin.del(`/api/v1/goals/${p.id}`);
  assert.equal(ok.status, 204);
  assert.equal(ok.text, '');
  assert.equal((await admin.get(`/api/v1/goals/${p.id}`)).status, 404);
  assert.equal((await admin.del(`/api/v1/goals/${p.id}`)).status, 404);
  assert.equal(goalCount(), n - 2);
  // A top-level goal deleted through the page goes back to /org.
  const t = await mk({ title: 'Delete top' });
  const d2 = await admin.form(`/goals/${t.id}/delete`, {});
  assert.equal(d2.status, 303);
  assert.equal(location(d2), '/org?saved=1');
});

test('goals-8: bad input is refused and changes nothing', async () => {
  const team = await mkTeam('Bad input team');
  const g = await mk({ title: 'Stable', metric: 'm', target: 't', due_on: '2026-01-31', owner_team_id: team });
  const n = goalCount();
  const cases = [
    [{ title: 'x', due_on: '2026-02-30' }, 400, 'invalid_field'],
    [{ title: 'x', due_on: '30.01.2026' }, 400, 'invalid_field'],
    [{ title: 'x', status: 'finished' }, 422, 'invalid', 'status'],
    [{ title: 'x', colour: 'red' }, 400, 'unknown_field'],
    [{ title: 5 }, 400, 'invalid_field'],
    [{ title: 'x', parent_id: String(g.id) }, 400, 'invalid_field'],
    [{ title: 'x', parent_id: 0 }, 400, 'invalid_field'],
    [{ title: 'x', owner_team_id: 'Ops' }, 400, 'invalid_field'],
    [{ title: 'x', metric: ['a'] }, 400, 'invalid_field'],
    [{ title: 'x', status: null }, 400, 'invalid_field'],
    [{ title: null }, 400, 'invalid_field'],
    [{ title: '   ' }, 422, 'invalid', 'title'],
    [{ title: 'x'.repeat(201) }, 422, 'invalid', 'title'],
    [{ title: 'x', metric: 'é'.repeat(201) }, 422, 'invalid', 'metric'],
    [{ title: 'x', target: 'y'.repeat(201) }, 422, 'invalid', 'target'],
    ['{"title": "x",', 400, 'malformed_json'],
    ['[1,2]', 400, 'bad_request'],
  ];
  for (const [body, status, code, field] of cases) {
    const label = typeof body === 'string' ? body : JSON.stringify(body).slice(0, 60);
    const r = await admin.post('/api/v1/goals', body);
    assert.equal(r.status, status, `POST ${label}: ${r.text}`);
    assert.equal(r.json.error.code, code, `POST ${label}`);
    if (field) assert.equal(r.json.error.field, field, `POST ${label}`);
    assert.equal(typeof r.json.error.message, 'string');
    const p = await admin.patch(`/api/v1/goals/${g.id}`, body);
    assert.equal(p.status, status, `PATCH ${label}: ${p.text}`);
    assert.equal(p.json.error.code, code, `PATCH ${label}`);
  }
  const missingTitle = await admin.post('/api/v1/goals', { metric: 'no title' });
  assert.equal(missingTitle.status, 422);
  assert.equal(missingTitle.json.error.field, 'title');
  const empty = await admin.req('POST', '/api/v1/goals', { body: '', headers: { 'content-type': 'application/json' } });
  assert.equal(empty.status, 400);
  assert.equal(goalCount(), n, 'no goal was created');
  assert.deepEqual(await goal(g.id), g, 'the goal is unchanged');
});

test('goals-9: /org shows the whole tree, escaped, with status badges', async () => {
  const root = await mk({ title: '<b>x</b>', metric: 'revenue & <profit>', target: '1M', due_on: '2027-01-01' });
  const kid = await mk({ title: 'Tree kid', parent_id: root.id, status: 'missed' });
  const grandkid = await mk({ title: 'Tree grandkid "q"', parent_id: kid.id, status: 'dropped' });
  const r = await member.get('/org');
  assert.equal(r.status, 200);
  assert.match(r.text, /<h2>Goals<\/h2>/);
  assert.ok(r.text.includes(`<a href="/goals/${root.id}">&lt;b&gt;x&lt;/b&gt;</a>`), 'the title is escaped');
  assert.ok(!r.text.includes('<b>x</b>'), 'no raw markup');
  assert.ok(r.text.includes('revenue &amp; &lt;profit&gt; &rarr; 1M'));
  assert.ok(r.text.includes('2027-01-01'));
  assert.ok(r.text.includes('Tree grandkid &quot;q&quot;'));
  assert.match(r.text, /<span class="badge status-missed">missed<\/span>/);
  assert.match(r.text, /<span class="badge status-dropped">dropped<\/span>/);
  // Nesting: root's li holds a ul.tree with kid, whose li holds one with grandkid.
  const at = (s) => r.text.indexOf(s);
  const rootLi = at(`<a href="/goals/${root.id}">`), kidLi = at(`<a href="/goals/${kid.id}">`), gkLi = at(`<a href="/goals/${grandkid.id}">`);
  assert.ok(rootLi > 0 && kidLi > rootLi && gkLi > kidLi);
  assert.match(r.text.slice(rootLi, kidLi), /<ul class="tree"><li>$/);
  assert.match(r.text.slice(kidLi, gkLi), /<ul class="tree"><li>$/);
  // Balanced lists.
  const tree = r.text.slice(at('id="goals"'), r.text.indexOf('</section>', at('id="goals"')));
  assert.equal((tree.match(/<ul/g) || []).length, (tree.match(/<\/ul>/g) || []).length);
  assert.equal((tree.match(/<li>/g) || []).length, (tree.match(/<\/li>/g) || []).length);
  assert.doesNotMatch(r.text, /Add a goal/, 'members get no add link');
  assert.match((await admin.get('/org')).text, /<a class="button secondary" href="\/goals\/new">Add a goal<\/a>/);
});

test('goals-10: the goal page shows the line of sight up to the purpose, and sub-goals', async () => {
  const purpose = 'We help *small shops* thrive <script>alert(1)</script>';
  const o = await owner.patch('/api/v1/org', { purpose });
  assert.equal(o.status, 200, o.text);
  const team = await mkTeam('Sight team');
  const top = await mk({ title: 'Sight top' });
  const mid = await mk({ title: 'Sight middle', parent_id: top.id });
  const leaf = await mk({ title: 'Sight leaf', parent_id: mid.id, metric: 'orders a day', target: '100', due_on: '2026-09-01', owner_team_id: team });
  const sub = await mk({ title: 'Sight below leaf', parent_id: leaf.id, status: 'achieved' });
  const r = await member.get(`/goals/${leaf.id}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /<h1>Sight leaf<\/h1>/);
  assert.match(r.text, /<span class="badge status-active">active<\/span>/);
  assert.ok(r.text.includes('orders a day &rarr; 100'));
  assert.ok(r.text.includes('<time datetime="2026-09-01">2026-09-01</time>'));
  assert.ok(r.text.includes(`<a href="/teams/${team}">Sight team</a>`));
  const los = r.text.slice(r.text.indexOf('<ol class="line-of-sight">'), r.text.indexOf('</ol>', r.text.indexOf('<ol class="line-of-sight">')));
  const pos = ['Sight leaf', `<a href="/goals/${mid.id}">Sight middle</a>`, `<a href="/goals/${top.id}">Sight top</a>`, '<a href="/org">', '<em>small shops</em>'].map(
    (s) => los.indexOf(s));
  assert.ok(pos.every((p) => p >= 0), `line of sight: ${los}`);
  assert.deepEqual(pos, [...pos].sort((a, b) => a - b), 'goal, parents, then the purpose');
  assert.ok(!r.text.includes('<script>alert(1)</script>'), 'the purpose markdown is rendered without raw HTML');
  assert.ok(r.text.includes(`<a href="/goals/${sub.id}">Sight below leaf</a>`), 'sub-goals are listed');
  assert.doesNotMatch(r.text, /href="\/goals\/\d+\/edit"/, 'members get no edit link');
  // The top goal lists the whole subtree; the admin sees edit and add links.
  const t = await admin.get(`/goals/${top.id}`);
  for (const g of [mid, leaf, sub]) assert.ok(t.text.includes(`<a href="/goals/${g.id}">`), g.title);
  assert.ok(t.text.includes(`href="/goals/${top.id}/edit"`));
  assert.ok(t.text.includes(`href="/goals/new?parent_id=${top.id}"`));
  // A goal without sub-goals says so.
  assert.match((await member.get(`/goals/${sub.id}`)).text, /No sub-goals yet/);
});

test('goals-11: the new and edit forms create and save, and show problems next to fields', async () => {
  const team = await mkTeam('Form team');
  const parent = await mk({ title: 'Form parent' });
  // ?parent_id= preselects the parent.
  const f = await admin.get(`/goals/new?parent_id=${parent.id}`);
  assert.equal(f.status, 200);
  assert.ok(f.text.includes(`<option value="${parent.id}" selected>Form parent</option>`));
  assert.match(f.text, /<form method="post" action="\/goals\/new"/);
  assert.match(f.text, /name="csrf_token"/);
  for (const s of ['proposed', 'active', 'achieved', 'missed', 'dropped']) assert.ok(f.text.includes(`<option value="${s}"`), s);
  assert.ok(f.text.includes(`<option value="${team}">Form team</option>`));
  // Problems: 422, each next to its field, typed values kept, nothing stored.
  const n = goalCount();
  const bad = await admin.form('/goals/new', {
    title: '', parent_id: String(parent.id), metric: 'kept <metric>', target: '', due_on: '2026-02-30', owner_team_id: String(team), status: 'active',
  });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /class="error-summary"/);
  assert.match(bad.text, /id="f-title-err">The goal needs a title\./);
  assert.match(bad.text, /id="f-due_on-err">Use a real date/);
  assert.ok(bad.text.includes('value="kept &lt;metric&gt;"'));
  assert.ok(bad.text.includes('value="2026-02-30"'));
  assert.ok(bad.text.includes(`<option value="${parent.id}" selected>`));
  assert.ok(bad.text.includes(`<option value="${team}" selected>`));
  const bad2 = await admin.form('/goals/new', { title: 'Status?', status: 'finished', owner_team_id: 'abc' });
  assert.equal(bad2.status, 422);
  assert.match(bad2.text, /id="f-status-err"/);
  assert.match(bad2.text, /id="f-owner_team_id-err"/);
  assert.equal(goalCount(), n);
  // Success: 303 to the goal with the flash.
  const ok = await admin.form('/goals/new', {
    title: 'Made by form', parent_id: String(parent.id), metric: 'visits', target: '1000', due_on: '2026-10-01', owner_team_id: String(team), status: 'proposed',
  });
  assert.equal(ok.status, 303);
  const m = location(ok).match(/^\/goals\/(\d+)\?saved=1$/);
  assert.ok(m, location(ok));
  const id = Number(m[1]);
  assert.deepEqual(await goal(id), {
    id, title: 'Made by form', parent_id: parent.id, metric: 'visits', target: '1000', due_on: '2026-10-01',
    owner_team_id: team, owner_team: { id: team, name: 'Form team' }, status: 'proposed',
  });
  assert.match((await admin.get(location(ok))).text, /<p class="flash" role="status">Saved\.<\/p>/);
  // Edit: prefilled; the goal itself is not offered as its own parent.
  const e = await admin.get(`/goals/${id}/edit`);
  assert.equal(e.status, 200);
  assert.ok(e.text.includes('value="Made by form"'));
  assert.ok(e.text.includes('value="2026-10-01"'));
  assert.ok(e.text.includes('<option value="proposed" selected>'));
  assert.ok(!e.text.includes(`<option value="${id}"`));
  assert.match(e.text, new RegExp(`action="/goals/${id}/delete"`));
  // Edit with a problem: 422, nothing changed.
  const eb = await admin.form(`/goals/${id}/edit`, { title: 'Changed', due_on: 'soon', status: 'active', parent_id: '', owner_team_id: '' });
  assert.equal(eb.status, 422);
  assert.ok(eb.text.includes('value="soon"'));
  assert.equal((await goal(id)).title, 'Made by form');
  // Edit: clear optional fields and save.
  const es = await admin.form(`/goals/${id}/edit`, { title: 'Edited', parent_id: '', metric: '', target: '', due_on: '', owner_team_id: '', status: 'achieved' });
  assert.equal(es.status, 303);
  assert.equal(location(es), `/goals/${id}?saved=1`);
  assert.deepEqual(await goal(id), {
    id, title: 'Edited', parent_id: null, metric: '', target: '', due_on: null, owner_team_id: null, owner_team: null, status: 'achieved',
  });
});

test('goals-12: every change is written to the audit log', async () => {
  const g = await mk({ title: 'Audited goal' });
  await admin.patch(`/api/v1/goals/${g.id}`, { status: 'achieved' });
  assert.equal((await admin.del(`/api/v1/goals/${g.id}`)).status, 204);
  const rows = sql(`SELECT action || '|' || detail FROM audit WHERE object = 'goal:${g.id}' ORDER BY id`).split('\n');
  assert.deepEqual(rows, ['goal.create|title: Audited goal', 'goal.update|changed: status (active -> achieved)', 'goal.delete|title: Audited goal']);
  // Refused writes leave no trace.
  const before = sql('SELECT count(*) FROM audit');
  await admin.post('/api/v1/goals', { title: '' });
  await member.post('/api/v1/goals', { title: 'x' });
  assert.equal(sql('SELECT count(*) FROM audit'), before);
});
