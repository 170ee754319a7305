// audit.test.mjs: reading the audit log (src/auditlog.c) through the real
// binary: /api/v1/audit (newest first, ?after= pages to older entries,
// ?action= filters) and the /audit page, for admins only, one organisation
// at a time, and never writing to the log while reading it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, USERS } from './lib.mjs';

let srv, owner, admin, manager, member, ownerB, adminTok, memberTok, adminId;

before(async () => {
  srv = await startServer();
  owner = await srv.login(USERS.owner);
  admin = await srv.login(USERS.admin);
  manager = await srv.login(USERS.manager);
  member = await srv.login(USERS.member);
  ownerB = await srv.login(USERS.other);
  adminTok = srv.bearer(USERS.admin);
  memberTok = srv.bearer(USERS.member);
  adminId = (await admin.get('/api/v1/session')).json.person.id;
});

after(async () => { await srv.stop(); });

const location = (r) => r.headers.get('location');
const sql = (q) => execFileSync('sqlite3', [srv.db, q], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

async function mkGoal(title, c = admin) {
  const r = await c.post('/api/v1/goals', { title });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// everything: the whole log as c sees it, following next_after.
async function everything(c = admin, query = '') {
  const out = [];
  let after = 0;
  for (let guard = 0; guard < 1000; guard++) {
    const r = await c.get(`/api/v1/audit?limit=500&after=${after}${query}`);
    assert.equal(r.status, 200, r.text);
    out.push(...r.json.items);
    if (r.json.next_after === null) return out;
    after = r.json.next_after;
  }
  throw new Error('paging does not end');
}

test('audit-1: a goal change is recorded with the actor, time, object and detail', async () => {
  const g = await mkGoal('Audit me');
  const p = await admin.patch(`/api/v1/goals/${g.id}`, { title: 'Audit me too' });
  assert.equal(p.status, 200);
  const r = await admin.get('/api/v1/audit?limit=2');
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.json).sort(), ['items', 'next_after']);
  const [upd, crt] = r.json.items;
  assert.deepEqual(Object.keys(upd).sort(), ['action', 'actor', 'at', 'detail', 'id', 'object']);
  assert.equal(upd.action, 'goal.update');
  assert.equal(upd.object, `goal:${g.id}`);
  assert.deepEqual(upd.actor, { id: adminId, name: 'Ada Admin' });
  assert.match(upd.detail, /title/);
  assert.match(upd.at, ISO);
  assert.ok(Math.abs(Date.parse(upd.at) - Date.now()) < 10 * 60 * 1000, 'at is about now');
  assert.equal(crt.action, 'goal.create');
  assert.equal(crt.detail, 'title: Audit me');
  assert.ok(upd.id > crt.id);
  // Entries written by the command line have no actor.
  const all = await everything();
  const cli = all.find((e) => e.action === 'person.create');
  assert.ok(cli, 'the fixture users were added by the CLI');
  assert.equal(cli.actor, null);
  assert.ok(all.some((e) => e.action === 'login' && e.actor && e.actor.name === 'Mia Member'));
});

test('audit-2: newest first; ?after= pages to older entries', async () => {
  for (let i = 0; i < 5; i++) await mkGoal(`Paging ${i}`);
  const all = await everything();
  const ids = all.map((e) => e.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'ids descending');
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(all[0].detail, 'title: Paging 4', 'the newest entry comes first');
  const seen = [];
  let after = 0;
  for (let guard = 0; guard < 200; guard++) {
    const r = await admin.get(`/api/v1/audit?limit=3${after ? `&after=${after}` : ''}`);
    assert.equal(r.status, 200);
    assert.ok(r.json.items.length <= 3);
    if (after) assert.ok(r.json.items.every((e) => e.id < after), 'after means older');
    seen.push(...r.json.items.map((e) => e.id));
    if (r.json.next_after === null) break;
    assert.equal(r.json.next_after, r.json.items.at(-1).id);
    after = r.json.next_after;
  }
  assert.deepEqual(seen, ids);
  for (const q of ['limit=0', 'limit=501', 'limit=x', 'after=-3', 'after=abc', `action=${'x'.repeat(101)}`]) {
    const r = await admin.get(`/api/v1/audit?${q}`);
    assert.equal(r.status, 400, q);
    assert.equal(r.json.error.code, 'invalid_parameter');
  }
});

test('audit-3: ?action= keeps exactly that action', async () => {
  const g = await mkGoal('Filter me');
  assert.equal((await admin.del(`/api/v1/goals/${g.id}`)).status, 204);
  const creates = await everything(admin, '&action=goal.create');
  assert.ok(creates.length >= 2);
  assert.ok(creates.every((e) => e.action === 'goal.create'));
  const deletes = await everything(admin, '&action=goal.delete');
  assert.deepEqual(deletes.map((e) => [e.object, e.detail]), [[`goal:${g.id}`, 'title: Filter me']]);
  assert.deepEqual(await everything(admin, '&action=goal'), [], 'no prefix matching');
  assert.deepEqual(await everything(admin, '&action=GOAL.CREATE'), [], 'case matters');
  const empty = await admin.get('/api/v1/audit?action=');
  assert.equal(empty.status, 200, 'an empty filter is no filter');
  assert.ok(empty.json.items.length > 0);
});

test('audit-4: only admins and owners read the log; members and managers get 403, strangers 401 or the login page', async () => {
  for (const c of [admin, owner, adminTok]) {
    assert.equal((await c.get('/api/v1/audit')).status, 200);
    assert.equal((await c.get('/audit')).status, 200);
  }
  for (const c of [member, manager, memberTok]) {
    const r = await c.get('/api/v1/audit');
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, 'forbidden');
    const p = await c.get('/audit');
    assert.equal(p.status, 403);
    assert.doesNotMatch(p.text, /<table class="list">/);
  }
  assert.doesNotMatch((await member.get('/')).text, /href="\/audit"/, 'members get no link to it');
  const anon = srv.anon();
  const r = await anon.get('/api/v1/audit');
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'unauthenticated');
  const p = await anon.get('/audit');
  assert.equal(p.status, 303);
  assert.equal(location(p), '/login?next=%2Faudit');
  // The log is read-only over HTTP too.
  for (const m of ['POST', 'PATCH', 'DELETE']) assert.equal((await admin.req(m, '/api/v1/audit', { json: {} })).status, 405, m);
});

test('audit-5: each organisation sees only its own entries', async () => {
  const g = await mkGoal('Org A only');
  const b = await mkGoal('Org B only', ownerB);
  const bAll = await everything(ownerB);
  assert.ok(bAll.length > 0);
  assert.ok(bAll.some((e) => e.object === `goal:${b.id}`));
  assert.ok(!bAll.some((e) => e.object === `goal:${g.id}` || /Org A only/.test(e.detail)));
  const bNames = new Set(bAll.filter((e) => e.actor).map((e) => e.actor.name));
  assert.deepEqual([...bNames], ['Bob Other']);
  const aAll = await everything(admin);
  assert.ok(!aAll.some((e) => e.object === `goal:${b.id}` || /Org B only/.test(e.detail)));
  const aIds = new Set(aAll.map((e) => e.id));
  assert.ok(!bAll.some((e) => aIds.has(e.id)), 'no entry in both');
  // The page too, also when paging past another org's ids.
  const page = await ownerB.get('/audit');
  assert.match(page.text, /Org B only/);
  assert.doesNotMatch(page.text, /Org A only|Ada Admin/);
  const maxA = Math.max(...aIds);
  const older = await ownerB.get(`/api/v1/audit?after=${maxA + 1}&limit=500`);
  assert.ok(older.json.items.every((e) => !aIds.has(e.id)));
});

test('audit-6: the page lists entries in a table with links, escaped, with a filter', async () => {
  const g = await mkGoal('<i>Escaped</i> & "quoted"');
  const r = await admin.get('/audit');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.match(r.text, /<table class="list"><thead><tr><th scope="col">Time<\/th><th scope="col">Who<\/th><th scope="col">Action<\/th><th scope="col">Object<\/th><th scope="col">Detail<\/th>/);
  const row = r.text.slice(r.text.indexOf('<tbody><tr>') + 7, r.text.indexOf('</tr>', r.text.indexOf('<tbody><tr>')));
  assert.match(row, /<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">/);
  assert.ok(row.includes(`<a href="/people/${adminId}">Ada Admin</a>`), row);
  assert.ok(row.includes('<code>goal.create</code>'));
  assert.ok(row.includes(`<a href="/goals/${g.id}">goal:${g.id}</a>`));
  assert.ok(row.includes('title: &lt;i&gt;Escaped&lt;/i&gt; &amp; &quot;quoted&quot;'), row);
  assert.ok(!r.text.includes('<i>Escaped</i>'));
  assert.match(r.text, /<span class="muted">system<\/span>/, 'CLI entries have no actor');
  // The filter is a GET form; filtered pages show only that action.
  assert.match(r.text, /<form method="get" action="\/audit"[^>]*>/);
  assert.match(r.text, /name="action"/);
  const f = await admin.get('/audit?action=login');
  assert.equal(f.status, 200);
  assert.match(f.text, /value="login"/);
  assert.ok((f.text.match(/<code>login<\/code>/g) || []).length >= 1);
  assert.doesNotMatch(f.text, /<code>goal\.create<\/code>/);
  assert.match(f.text, /href="\/audit">Show all actions/);
  const none = await admin.get('/audit?action=%3Cnothing%3E');
  assert.equal(none.status, 200);
  assert.match(none.text, /No entries with the action "&lt;nothing&gt;"/);
  assert.equal((await admin.get('/audit?after=abc')).status, 400);
});

test('audit-7: the page shows the newest 100 and links to older ones', async () => {
  const total = Number(sql(`SELECT count(*) FROM audit WHERE org_id = (SELECT org_id FROM person WHERE email = '${USERS.admin}')`));
  for (let i = total; i < 130; i++) await mkGoal(`Bulk ${i}`, adminTok);
  const all = await everything();
  assert.ok(all.length >= 130);
  const first = await admin.get('/audit');
  const rows = (t) => (t.match(/<tr><td><time/g) || []).length;
  assert.equal(rows(first.text), 100);
  const m = first.text.match(/<a href="\/audit\?after=(\d+)">Older<\/a>/);
  assert.ok(m, 'an Older link');
  assert.equal(Number(m[1]), all[99].id, 'older starts after the 100th entry');
  const second = await admin.get(`/audit?after=${m[1]}`);
  assert.equal(second.status, 200);
  assert.equal(rows(second.text), Math.min(100, all.length - 100));
  assert.ok(second.text.includes(`<a href="/goals/`));
  assert.match(second.text, /<a href="\/audit">Newest<\/a>/);
  if (all.length <= 200) assert.doesNotMatch(second.text, />Older</);
  // The Older link keeps the action filter.
  const filtered = await admin.get('/audit?action=goal.create');
  const fm = filtered.text.match(/<a href="\/audit\?after=(\d+)&amp;action=goal\.create">Older<\/a>/);
  assert.ok(fm, 'Older keeps the filter');
  const f2 = await admin.get(`/audit?after=${fm[1]}&action=goal.create`);
  assert.ok(rows(f2.text) > 0);
  assert.doesNotMatch(f2.text, /<code>(?!goal\.create)/);
});

test('audit-8: reading the log writes nothing, and the table refuses changes', async () => {
  const count = () => sql('SELECT count(*) || \'/\' || max(id) FROM audit');
  const before = count();
  await admin.get('/api/v1/audit');
  await admin.get('/api/v1/audit?action=login&limit=5');
  await admin.get('/audit');
  await admin.get('/audit?action=goal.create');
  await member.get('/api/v1/audit');
  await srv.anon().get('/audit');
  assert.equal(count(), before);
  assert.throws(() => sql('UPDATE audit SET detail = \'x\''), /append-only/);
  assert.throws(() => sql('DELETE FROM audit'), /append-only/);
  assert.equal(count(), before);
});
