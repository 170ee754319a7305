// rights.test.mjs: decision domains and decision rights (src/rights.c)
// through the real binary: the JSON API (/api/v1/domains, /api/v1/rights),
// the pages (/domains, /rights...), the grant rule (nobody grants what they
// don't hold, nor to themselves), strict money, history with reasons, audit,
// isolation between organisations, bad input that must change nothing, and
// "Can I?" answering from a right granted here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, USERS } from './lib.mjs';

let srv, owner, admin, manager, member, ownerB, adminTok, memberTok;
const ids = {};
let orgA, orgB;
const sql = (q) => execFileSync('sqlite3', [srv.db, q], { encoding: 'utf8' }).trim();
const count = (table, where = '1') => Number(sql(`SELECT count(*) FROM ${table} WHERE ${where}`));
const location = (r) => r.headers.get('location');

before(async () => {
  srv = await startServer();
  [owner, admin, manager, member, ownerB] = await Promise.all(
    [USERS.owner, USERS.admin, USERS.manager, USERS.member, USERS.other].map((e) => srv.login(e)));
  adminTok = srv.bearer(USERS.admin);
  memberTok = srv.bearer(USERS.member);
  for (const [k, c] of Object.entries({ owner, admin, manager, member, ownerB })) ids[k] = (await c.get('/api/v1/session')).json.person.id;
  orgA = Number(sql("SELECT id FROM org WHERE name = 'Org A'"));
  orgB = Number(sql("SELECT id FROM org WHERE name = 'Org B'"));
});

after(async () => { await srv.stop(); });

// domain: creates a domain as the Org A admin (or c); returns it.
async function domain(slug, label = slug, risk, c = admin) {
  const body = { slug, label };
  if (risk) body.risk = risk;
  const r = await c.post('/api/v1/domains', body);
  assert.equal(r.status, 201, `domain ${slug}: ${r.text}`);
  return r.json;
}

// grant: a right granted by c (the admin by default); asserts 201.
async function grant(body, c = admin) {
  const r = await c.post('/api/v1/rights', { reason: 'because', ...body });
  assert.equal(r.status, 201, `grant ${JSON.stringify(body)}: ${r.text}`);
  return r.json;
}

// role: a role in an organisation (roles.c is another helper's), optionally
// held by people; returns its id.
function role(name, holders = [], org = orgA) {
  sql(`INSERT INTO role(org_id, name, created_at, updated_at) VALUES (${org}, '${name}', 0, 0)`);
  const id = Number(sql(`SELECT id FROM role WHERE org_id = ${org} AND name = '${name}'`));
  for (const p of holders) sql(`INSERT INTO role_holder(role_id, person_id, org_id, since) VALUES (${id}, ${p}, ${org}, 0)`);
  return id;
}

const snapshot = () => sql('SELECT count(*) FROM decision_right') + '/' + sql('SELECT count(*) FROM right_history') + '/' +
  sql("SELECT count(*) FROM audit WHERE action LIKE 'right.%'") + '/' + sql("SELECT group_concat(id || ':' || level || ':' || coalesce(limit_cents, 'x') || ':' || coalesce(expires_on, '') || ':' || reason, ',') FROM decision_right");

// ---------- domains ----------

test('rights-1: an admin creates domains; every member reads them', async () => {
  const r = await admin.post('/api/v1/domains', { slug: 'refund', label: 'Refunds' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), ['id', 'label', 'risk', 'slug']);
  assert.equal(r.json.risk, 'medium', 'risk defaults to medium');
  assert.equal(r.json.slug, 'refund');
  const o = await owner.post('/api/v1/domains', { slug: 'supplier-change', label: 'Changing a supplier', risk: 'high' });
  assert.equal(o.status, 201);
  assert.equal(o.json.risk, 'high');
  const t = await adminTok.post('/api/v1/domains', { slug: 'discount', label: '  Discounts  ', risk: 'low' });
  assert.equal(t.status, 201, 'an API token needs no CSRF');
  assert.equal(t.json.label, 'Discounts', 'label is trimmed');
  for (const c of [member, manager, memberTok]) {
    const l = await c.get('/api/v1/domains');
    assert.equal(l.status, 200);
    assert.deepEqual(l.json.items.map((d) => d.slug), ['refund', 'supplier-change', 'discount']);
    assert.equal(l.json.next_after, null);
    assert.deepEqual(l.json.items[0], r.json);
  }
  const p = await admin.get('/api/v1/domains?limit=2');
  assert.equal(p.json.items.length, 2);
  assert.equal(p.json.next_after, o.json.id);
  const p2 = await admin.get(`/api/v1/domains?after=${p.json.next_after}`);
  assert.deepEqual(p2.json.items.map((d) => d.slug), ['discount']);
  assert.equal((await admin.get('/api/v1/domains?limit=0')).status, 400);
});

test('rights-2: members and managers may not write domains; anonymous callers are refused', async () => {
  const before = sql('SELECT group_concat(id || slug || label || risk) FROM domain');
  const d = (await admin.get('/api/v1/domains')).json.items[0];
  for (const c of [member, manager, memberTok]) {
    const w = [await c.post('/api/v1/domains', { slug: 'nope', label: 'Nope' }), await c.patch(`/api/v1/domains/${d.id}`, { label: 'Nope' })];
    for (const r of w) {
      assert.equal(r.status, 403);
      assert.equal(r.json.error.code, 'forbidden');
    }
  }
  for (const c of [member, manager]) {
    assert.equal((await c.form('/domains', { slug: 'nope', label: 'Nope' })).status, 403);
    assert.equal((await c.form(`/domains/${d.id}`, { label: 'Nope', risk: 'low' })).status, 403);
  }
  const anon = srv.anon();
  assert.equal((await anon.get('/api/v1/domains')).status, 401);
  assert.equal((await anon.post('/api/v1/domains', { slug: 'x', label: 'x' })).status, 401);
  assert.equal((await anon.get('/api/v1/rights')).status, 401);
  assert.equal((await anon.post('/api/v1/rights', { reason: 'x' })).status, 401);
  assert.equal((await anon.get('/domains')).status, 303);
  assert.equal((await anon.get('/rights')).status, 303);
  assert.equal(location(await anon.get('/rights/new')), '/login?next=%2Frights%2Fnew');
  // a cookie session without the CSRF token is refused
  assert.equal((await admin.post('/api/v1/domains', { slug: 'no-csrf', label: 'x' }, { csrf: false })).status, 403);
  assert.equal(sql('SELECT group_concat(id || slug || label || risk) FROM domain'), before, 'nothing changed');
});

test('rights-3: slug, label and risk rules; a duplicate slug is 409 within an organisation only', async () => {
  const before = count('domain');
  for (const slug of ['', 'Refund', '1abc', '-abc', 'a_b', 'a b', 'ref\u00fcnd', 'a'.repeat(41), ' refund2']) {
    const r = await admin.post('/api/v1/domains', { slug, label: 'x' });
    assert.equal(r.status, 422, `slug ${JSON.stringify(slug)}: ${r.text}`);
    assert.equal(r.json.error.field, 'slug');
  }
  let r = await admin.post('/api/v1/domains', { label: 'No slug' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'slug');
  for (const label of ['', '   ', 'x'.repeat(101), 'two\nlines']) {
    r = await admin.post('/api/v1/domains', { slug: 'fine', label });
    assert.equal(r.status, 422, `label ${JSON.stringify(label)}`);
    assert.equal(r.json.error.field, 'label');
  }
  r = await admin.post('/api/v1/domains', { slug: 'fine', label: 'Fine', risk: 'extreme' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'risk');
  for (const body of [{ slug: 5, label: 'x' }, { slug: 'fine', label: null }, { slug: 'fine', label: 'x', risk: null }, { slug: 'fine', label: 'x', extra: 1 }]) {
    r = await admin.post('/api/v1/domains', body);
    assert.equal(r.status, 400, JSON.stringify(body));
  }
  assert.equal(count('domain'), before, 'nothing was created');

  const long = await domain('a' + '-b'.repeat(19) + 'c', 'x'.repeat(100), 'low');
  assert.equal(long.slug.length, 40);
  r = await admin.post('/api/v1/domains', { slug: 'refund', label: 'Refunds again' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.field, 'slug');
  r = await ownerB.post('/api/v1/domains', { slug: 'refund', label: 'Refunds in B', risk: 'low' });
  assert.equal(r.status, 201, 'another organisation may use the same slug');
  const listB = (await ownerB.get('/api/v1/domains')).json.items;
  assert.deepEqual(listB.map((d) => d.slug), ['refund'], 'Org B sees only its own domains');
});

test('rights-4: PATCH changes label and risk; the slug is immutable; other organisations see 404', async () => {
  const d = await domain('rota-swap', 'Rota swaps', 'low');
  let r = await admin.patch(`/api/v1/domains/${d.id}`, { risk: 'high' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { ...d, risk: 'high' });
  r = await admin.patch(`/api/v1/domains/${d.id}`, { label: 'Swapping shifts' });
  assert.deepEqual(r.json, { ...d, risk: 'high', label: 'Swapping shifts' });
  r = await admin.patch(`/api/v1/domains/${d.id}`, { slug: 'other' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'unknown_field');
  r = await admin.patch(`/api/v1/domains/${d.id}`, { risk: 'huge' });
  assert.equal(r.status, 422);
  r = await admin.patch(`/api/v1/domains/${d.id}`, { label: '' });
  assert.equal(r.status, 422);
  assert.equal((await ownerB.patch(`/api/v1/domains/${d.id}`, { label: 'Mine' })).status, 404);
  assert.equal((await admin.patch('/api/v1/domains/999999', { label: 'Nobody' })).status, 404);
  const now = (await admin.get('/api/v1/domains?limit=500')).json.items.find((x) => x.id === d.id);
  assert.deepEqual(now, { ...d, risk: 'high', label: 'Swapping shifts' }, 'refused changes changed nothing');
  const a = sql(`SELECT action || '|' || actor_id FROM audit WHERE object = 'domain:${d.id}' ORDER BY id`).split('\n');
  assert.deepEqual(a, [`domain.create|${ids.admin}`, `domain.update|${ids.admin}`, `domain.update|${ids.admin}`]);
});

// ---------- rights ----------

test('rights-5: an admin grants personal and role rights; they read back with the contract shape', async () => {
  const cashier = role('Cashier', [ids.member]);
  const r = await admin.post('/api/v1/rights', {
    person_id: ids.member, domain: 'discount', level: 5, limit: '25.50', advisor_id: ids.manager, expires_on: '2099-12-31', reason: 'Regulars ask for it',
  });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), ['advisor', 'advisor_id', 'created_at', 'domain', 'domain_label', 'expired', 'expires_on', 'granted_by',
    'id', 'level', 'level_name', 'limit', 'person', 'person_id', 'reason', 'requires', 'role', 'role_id', 'updated_at']);
  const x = r.json;
  assert.equal(location(r), `/api/v1/rights/${x.id}`);
  assert.equal(x.role_id, null);
  assert.equal(x.role, null);
  assert.equal(x.person_id, ids.member);
  assert.deepEqual(x.person, { id: ids.member, name: 'Mia Member' });
  assert.equal(x.domain, 'discount');
  assert.equal(x.domain_label, 'Discounts');
  assert.equal(x.level, 5);
  assert.equal(x.level_name, 'advise');
  assert.equal(x.limit, '25.50');
  assert.deepEqual(x.advisor, { id: ids.manager, name: 'Max Manager' });
  assert.equal(x.expires_on, '2099-12-31');
  assert.equal(x.expired, false);
  assert.equal(x.reason, 'Regulars ask for it');
  assert.deepEqual(x.granted_by, { id: ids.admin, name: 'Ada Admin' });
  assert.match(x.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(x.updated_at, x.created_at);

  const rr = await grant({ role_id: cashier, domain: 'refund', level: 7, limit: '50' });
  assert.deepEqual(rr.role, { id: cashier, name: 'Cashier' });
  assert.equal(rr.person, null);
  assert.equal(rr.limit, '50.00');
  assert.equal(rr.advisor, null);
  assert.equal(rr.expires_on, null);
  const nolimit = await grant({ role_id: cashier, domain: 'supplier-change', level: 3 }, owner);
  assert.equal(nolimit.limit, null, 'no limit');
  assert.deepEqual(nolimit.granted_by, { id: ids.owner, name: 'Olive Owner' });

  for (const c of [member, manager, memberTok]) {
    const g = await c.get(`/api/v1/rights/${x.id}`);
    assert.equal(g.status, 200, 'every member reads every right');
    assert.deepEqual(g.json, x);
  }
  const all = (await member.get('/api/v1/rights')).json;
  assert.deepEqual(all.items.map((i) => i.id), [x.id, rr.id, nolimit.id]);
  assert.equal(all.next_after, null);
  assert.deepEqual((await member.get(`/api/v1/rights?role_id=${cashier}`)).json.items.map((i) => i.id), [rr.id, nolimit.id]);
  assert.deepEqual((await member.get(`/api/v1/rights?person_id=${ids.member}`)).json.items.map((i) => i.id), [x.id]);
  assert.deepEqual((await member.get('/api/v1/rights?domain=refund')).json.items.map((i) => i.id), [rr.id]);
  assert.deepEqual((await member.get(`/api/v1/rights?domain=refund&role_id=${cashier}`)).json.items.map((i) => i.id), [rr.id]);
  assert.deepEqual((await member.get('/api/v1/rights?domain=nothing')).json.items, []);
  const page1 = (await member.get('/api/v1/rights?limit=2')).json;
  assert.equal(page1.next_after, rr.id);
  assert.deepEqual((await member.get(`/api/v1/rights?after=${page1.next_after}`)).json.items.map((i) => i.id), [nolimit.id]);
  for (const q of ['role_id=x', 'person_id=-1', 'limit=501', 'after=x']) assert.equal((await member.get(`/api/v1/rights?${q}`)).status, 400, q);
  assert.equal((await member.get('/api/v1/rights/999999')).status, 404);

  // PATCH: partial, with a reason; null clears
  const p = await admin.patch(`/api/v1/rights/${x.id}`, { limit: null, advisor_id: null, expires_on: null, reason: 'No cap needed' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.limit, null);
  assert.equal(p.json.advisor, null);
  assert.equal(p.json.expires_on, null);
  assert.equal(p.json.level, 5, 'untouched field kept');
  assert.equal(p.json.reason, 'No cap needed');
  // moving a right from a person to a role needs both holder fields
  let m = await admin.patch(`/api/v1/rights/${x.id}`, { role_id: cashier, reason: 'To the role' });
  assert.equal(m.status, 422);
  assert.equal(m.json.error.field, 'holder');
  m = await admin.patch(`/api/v1/rights/${x.id}`, { role_id: cashier, person_id: null, reason: 'To the role' });
  assert.equal(m.status, 200);
  assert.equal(m.json.person, null);
  assert.deepEqual(m.json.role, { id: cashier, name: 'Cashier' });
  for (const id of [x.id, rr.id, nolimit.id]) assert.equal((await admin.del(`/api/v1/rights/${id}`)).status, 204);
});

test('rights-6: limits are strict money: a decimal string with at most two decimals', async () => {
  for (const [limit, shown] of [['200', '200.00'], ['200.5', '200.50'], ['200.50', '200.50'], ['0', '0.00'], ['0.05', '0.05']]) {
    const x = await grant({ person_id: ids.member, domain: 'refund', level: 4, limit });
    assert.equal(x.limit, shown, limit);
    assert.equal(Number(sql(`SELECT limit_cents FROM decision_right WHERE id = ${x.id}`)), Math.round(Number(shown) * 100));
    assert.equal((await admin.del(`/api/v1/rights/${x.id}`)).status, 204);
  }
  const before = snapshot();
  for (const limit of ['-5', '1e3', '12.345', '99999999999999999999', '', ' 5', '5.', '.5', '1,000', 'abc', '+5', '0x10']) {
    const r = await admin.post('/api/v1/rights', { person_id: ids.member, domain: 'refund', level: 4, limit, reason: 'x' });
    assert.equal(r.status, 400, `limit ${JSON.stringify(limit)}: ${r.text}`);
    assert.equal(r.json.error.code, 'invalid_amount');
  }
  const r = await admin.post('/api/v1/rights', { person_id: ids.member, domain: 'refund', level: 4, limit: 200, reason: 'x' });
  assert.equal(r.status, 400, 'a JSON number is not a decimal string');
  assert.equal(snapshot(), before, 'nothing changed');
  const x = await grant({ person_id: ids.member, domain: 'refund', level: 4, limit: '10' });
  const before2 = snapshot();
  const p = await admin.patch(`/api/v1/rights/${x.id}`, { limit: '1e3', reason: 'x' });
  assert.equal(p.status, 400);
  assert.equal(p.json.error.code, 'invalid_amount');
  assert.equal(snapshot(), before2, 'nothing changed');
  await admin.del(`/api/v1/rights/${x.id}`);
});

test('rights-7: exactly one holder; fields checked; other organisations\' ids are like missing ones', async () => {
  const roleB = role('B Role', [], orgB);
  const roleA = role('Baker', []);
  const before = snapshot();
  const base = { domain: 'refund', level: 5, reason: 'ok' };
  const cases = [
    [{ ...base, role_id: roleA, person_id: ids.member }, 422, 'holder'],
    [{ ...base }, 422, 'holder'],
    [{ ...base, role_id: null, person_id: null }, 422, 'holder'],
    [{ ...base, role_id: roleB }, 422, 'role_id'],
    [{ ...base, role_id: 999999 }, 422, 'role_id'],
    [{ ...base, person_id: ids.ownerB }, 422, 'person_id'],
    [{ ...base, person_id: 999999 }, 422, 'person_id'],
    [{ ...base, person_id: ids.member, advisor_id: ids.ownerB }, 422, 'advisor_id'],
    [{ ...base, person_id: ids.member, domain: 'nope' }, 422, 'domain'],
    [{ ...base, person_id: ids.member, domain: undefined }, 422, 'domain'],
    [{ ...base, person_id: ids.member, level: 0 }, 422, 'level'],
    [{ ...base, person_id: ids.member, level: 8 }, 422, 'level'],
    [{ ...base, person_id: ids.member, level: -3 }, 422, 'level'],
    [{ ...base, person_id: ids.member, level: 99999999999 }, 422, 'level'],
    [{ ...base, person_id: ids.member, level: undefined }, 422, 'level'],
    [{ ...base, person_id: ids.member, reason: '' }, 422, 'reason'],
    [{ ...base, person_id: ids.member, reason: '   ' }, 422, 'reason'],
    [{ ...base, person_id: ids.member, reason: undefined }, 422, 'reason'],
    [{ ...base, person_id: ids.member, reason: 'x'.repeat(2001) }, 422, 'reason'],
    [{ ...base, person_id: ids.member, level: '5' }, 400],
    [{ ...base, person_id: ids.member, level: 5.5 }, 400],
    [{ ...base, person_id: ids.member, expires_on: '2025-02-30' }, 400],
    [{ ...base, person_id: ids.member, expires_on: 'tomorrow' }, 400],
    [{ ...base, person_id: ids.member, role_id: 0 }, 400],
    [{ ...base, person_id: ids.member, surprise: true }, 400],
  ];
  for (const [body, status, field] of cases) {
    const r = await admin.post('/api/v1/rights', body);
    assert.equal(r.status, status, `${JSON.stringify(body).slice(0, 120)}: ${r.text}`);
    if (field) assert.equal(r.json.error.field, field, JSON.stringify(body).slice(0, 120));
  }
  assert.equal((await admin.req('POST', '/api/v1/rights', { json: '{"person_id":' })).status, 400);
  assert.equal((await admin.req('POST', '/api/v1/rights', { json: '[]' })).status, 400);
  // a domain of another organisation is unknown here
  const onlyB = await domain('only-b', 'Only in B', 'low', ownerB);
  let r = await admin.post('/api/v1/rights', { ...base, person_id: ids.member, domain: onlyB.slug });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'domain');
  // every field problem is reported at once
  r = await admin.post('/api/v1/rights', { domain: 'nope', level: 9, reason: '' });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.error.details.map((d) => d.field), ['holder', 'domain', 'level', 'reason']);
  assert.equal(snapshot(), before, 'nothing changed');
});

test('rights-8: THE GRANT RULE: a manager grants only within what they hold, never to themselves', async () => {
  const mine = await grant({ person_id: ids.manager, domain: 'refund', level: 6, limit: '500.00', reason: 'Runs the shop floor' });
  // within: level 5 up to 300.00 for the member
  const given = await grant({ person_id: ids.member, domain: 'refund', level: 5, limit: '300.00', reason: 'Trusted with regulars' }, manager);
  assert.deepEqual(given.granted_by, { id: ids.manager, name: 'Max Manager' });
  // exactly equal is within
  const equal = await grant({ person_id: ids.member, domain: 'refund', level: 6, limit: '500', reason: 'Cover while I am off' }, manager);
  assert.equal(equal.limit, '500.00');

  const before = snapshot();
  const refused = [
    [{ person_id: ids.member, domain: 'refund', level: 7, limit: '100.00' }, 'a higher level'],
    [{ person_id: ids.member, domain: 'refund', level: 5, limit: '600.00' }, 'a higher limit'],
    [{ person_id: ids.member, domain: 'refund', level: 5, limit: '500.01' }, 'a cent more'],
    [{ person_id: ids.member, domain: 'refund', level: 5 }, 'no limit is more than any limit'],
    [{ person_id: ids.member, domain: 'discount', level: 1, limit: '1' }, 'a domain the manager does not hold'],
    [{ person_id: ids.manager, domain: 'refund', level: 5, limit: '100' }, 'to themselves'],
  ];
  for (const [body, why] of refused) {
    const r = await manager.post('/api/v1/rights', { ...body, reason: 'try' });
    assert.equal(r.status, 403, `${why}: ${r.text}`);
    assert.equal(r.json.error.code, 'forbidden');
  }
  let r = await manager.post('/api/v1/rights', { person_id: ids.member, domain: 'refund', level: 7, limit: '100.00', reason: 'x' });
  assert.match(r.json.error.message, /only what you hold yourself.*level 6 \(inquire\) up to 500\.00/);
  r = await manager.post('/api/v1/rights', { person_id: ids.member, domain: 'discount', level: 1, reason: 'x' });
  assert.match(r.json.error.message, /no active right for Discounts/);

  // their own right: not raised, not even touched
  r = await manager.patch(`/api/v1/rights/${mine.id}`, { level: 7, reason: 'I deserve it' });
  assert.equal(r.status, 403);
  r = await manager.patch(`/api/v1/rights/${mine.id}`, { limit: '100', reason: 'Lower' });
  assert.equal(r.status, 403, 'nobody changes their own right');

  // changing a right they granted: both the old and the new state must be within
  r = await manager.patch(`/api/v1/rights/${given.id}`, { limit: '600.00', reason: 'More' });
  assert.equal(r.status, 403);
  r = await manager.patch(`/api/v1/rights/${given.id}`, { person_id: ids.manager, reason: 'Mine now' });
  assert.equal(r.status, 403, 'moving a right to oneself is granting it to oneself');
  // a right above what they hold: neither changed nor revoked
  const high = await grant({ person_id: ids.member, domain: 'refund', level: 7, reason: 'Owner trusts her' });
  const before2 = snapshot();
  r = await manager.patch(`/api/v1/rights/${high.id}`, { level: 5, limit: '10', reason: 'Too much' });
  assert.equal(r.status, 403, 'the old state is beyond what the manager holds');
  r = await manager.del(`/api/v1/rights/${high.id}`);
  assert.equal(r.status, 403);
  r = await manager.del(`/api/v1/rights/${high.id}`, { json: { reason: 'Too much' } });
  assert.equal(r.status, 403);
  assert.equal(snapshot(), before2, 'refused changes changed nothing');

  // within on both sides: allowed
  r = await manager.patch(`/api/v1/rights/${given.id}`, { limit: '400.00', reason: 'A little more' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.limit, '400.00');
  r = await manager.del(`/api/v1/rights/${equal.id}`, { json: { reason: 'Back from leave' } });
  assert.equal(r.status, 204);

  // the member now holds refund level 5 up to 400.00: nothing elsewhere, nothing above
  assert.equal((await admin.del(`/api/v1/rights/${high.id}`)).status, 204);
  const before3 = snapshot();
  r = await member.post('/api/v1/rights', { person_id: ids.manager, domain: 'supplier-change', level: 1, limit: '1', reason: 'x' });
  assert.equal(r.status, 403, 'a domain the member does not hold');
  r = await member.del(`/api/v1/rights/${mine.id}`);
  assert.equal(r.status, 403, 'the manager\'s right is above the member\'s');
  r = await member.del(`/api/v1/rights/${given.id}`, { json: { reason: 'Do not want it' } });
  assert.equal(r.status, 403, 'nobody revokes their own right either');
  r = await manager.del(`/api/v1/rights/${mine.id}`, { json: { reason: 'Hand over' } });
  assert.equal(r.status, 403, 'not even the manager');
  assert.equal(snapshot(), before3, 'refused revocations changed nothing');
  assert.equal((await admin.del(`/api/v1/rights/${mine.id}`, { json: { reason: 'Hand over' } })).status, 204);
  r = await manager.post('/api/v1/rights', { person_id: ids.member, domain: 'refund', level: 1, limit: '1', reason: 'x' });
  assert.equal(r.status, 403, 'nothing held, nothing granted');
  await admin.del(`/api/v1/rights/${given.id}`);
  assert.ok(before.length > 0);
});

test('rights-9: an expired right of the granter does not count', async () => {
  const mine = await grant({ person_id: ids.manager, domain: 'refund', level: 6, limit: '500.00', expires_on: '2020-01-01', reason: 'Old' });
  assert.equal(mine.expired, true);
  const before = snapshot();
  let r = await manager.post('/api/v1/rights', { person_id: ids.member, domain: 'refund', level: 5, limit: '10', reason: 'x' });
  assert.equal(r.status, 403);
  assert.match(r.json.error.message, /no active right/);
  assert.equal(snapshot(), before);
  assert.equal((await manager.get('/rights/new')).status, 403, 'no active right: no grant form');
  const p = await admin.patch(`/api/v1/rights/${mine.id}`, { expires_on: '2999-01-01', reason: 'Extended' });
  assert.equal(p.json.expired, false);
  r = await manager.post('/api/v1/rights', { person_id: ids.member, domain: 'refund', level: 5, limit: '10', reason: 'x' });
  assert.equal(r.status, 403, 'a right that expires cannot grant one that never does');
  assert.match(r.json.error.message, /until 2999-01-01/);
  r = await manager.post('/api/v1/rights', { person_id: ids.member, domain: 'refund', level: 5, limit: '10', expires_on: '2999-01-02', reason: 'x' });
  assert.equal(r.status, 403, 'nor one that outlives it');
  r = await manager.post('/api/v1/rights', { person_id: ids.member, domain: 'refund', level: 5, limit: '10', expires_on: '2999-01-01', reason: 'x' });
  assert.equal(r.status, 201);
  // a right is still active on its expiry day
  const today = new Date().toISOString().slice(0, 10);
  await admin.patch(`/api/v1/rights/${mine.id}`, { expires_on: today, reason: 'Last day' });
  assert.equal((await admin.get(`/api/v1/rights/${mine.id}`)).json.expired, false);
  const more = await manager.post('/api/v1/rights', { person_id: ids.member, domain: 'refund', level: 4, limit: '10', expires_on: today, reason: 'x' });
  assert.equal(more.status, 201);
  for (const id of [mine.id, r.json.id, more.json.id]) assert.equal((await admin.del(`/api/v1/rights/${id}`)).status, 204);
});

test('rights-10: rights held through a role count; a role the granter holds is theirs too', async () => {
  const lead = role('Shift Lead', [ids.manager]);
  const viaRole = await grant({ role_id: lead, domain: 'refund', level: 7, reason: 'Shift leads settle refunds' });
  const x = await grant({ person_id: ids.member, domain: 'refund', level: 7, reason: 'Weekend cover' }, manager);
  assert.equal(x.limit, null, 'no limit may be granted by someone with no limit');
  const before = snapshot();
  let r = await manager.post('/api/v1/rights', { role_id: lead, domain: 'refund', level: 6, limit: '10', reason: 'x' });
  assert.equal(r.status, 403, 'a role the manager holds');
  assert.match(r.json.error.message, /hold this role yourself/);
  r = await manager.patch(`/api/v1/rights/${viaRole.id}`, { level: 6, reason: 'x' });
  assert.equal(r.status, 403);
  assert.equal(snapshot(), before);
  const other = role('Barista', []);
  const y = await grant({ role_id: other, domain: 'refund', level: 2, limit: '5', reason: 'Small things' }, manager);
  assert.deepEqual(y.role, { id: other, name: 'Barista' });
  for (const id of [viaRole.id, x.id, y.id]) await admin.del(`/api/v1/rights/${id}`);
});

test('rights-11: admins and owners may do anything, even for themselves', async () => {
  const a = await grant({ person_id: ids.admin, domain: 'refund', level: 7, reason: 'Admin' });
  const o = await grant({ person_id: ids.owner, domain: 'supplier-change', level: 7, reason: 'Owner' }, owner);
  const p = await admin.patch(`/api/v1/rights/${a.id}`, { level: 3, limit: '1.00', reason: 'Less' });
  assert.equal(p.status, 200);
  assert.equal((await admin.del(`/api/v1/rights/${o.id}`)).status, 204);
  assert.equal((await owner.del(`/api/v1/rights/${a.id}`)).status, 204);
});

test('rights-12: the history keeps create, update and delete with their reasons, in order; each is audited', async () => {
  const x = await grant({ person_id: ids.member, domain: 'refund', level: 4, limit: '100', reason: 'First weeks' });
  await admin.patch(`/api/v1/rights/${x.id}`, { level: 6, reason: 'Proved herself' });
  await admin.patch(`/api/v1/rights/${x.id}`, { limit: '250.00', reason: 'Busy season' });
  // refused and invalid changes leave no history
  await admin.patch(`/api/v1/rights/${x.id}`, { level: 9, reason: 'x' });
  await admin.patch(`/api/v1/rights/${x.id}`, { level: 7 });
  await manager.patch(`/api/v1/rights/${x.id}`, { level: 7, reason: 'x' });
  let h = await member.get(`/api/v1/rights/${x.id}/history`);
  assert.equal(h.status, 200);
  assert.deepEqual(h.json.items.map((i) => [i.action, i.reason, i.state.level, i.state.limit]),
    [['create', 'First weeks', 4, '100.00'], ['update', 'Proved herself', 6, '100.00'], ['update', 'Busy season', 6, '250.00']]);
  const first = h.json.items[0];
  assert.deepEqual(Object.keys(first).sort(), ['action', 'actor', 'at', 'id', 'reason', 'state']);
  assert.deepEqual(first.actor, { id: ids.admin, name: 'Ada Admin' });
  assert.match(first.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual(first.state, { ...x }, 'the state is the right as the API showed it');

  assert.equal((await admin.del(`/api/v1/rights/${x.id}`)).status, 204, 'no body: the reason is "revoked"');
  assert.equal((await admin.get(`/api/v1/rights/${x.id}`)).status, 404);
  assert.equal((await admin.del(`/api/v1/rights/${x.id}`)).status, 404);
  h = await member.get(`/api/v1/rights/${x.id}/history`);
  assert.equal(h.status, 200, 'a revoked right keeps its history');
  assert.deepEqual(h.json.items.map((i) => [i.action, i.reason]),
    [['create', 'First weeks'], ['update', 'Proved herself'], ['update', 'Busy season'], ['delete', 'revoked']]);
  assert.equal(h.json.items[3].state.limit, '250.00', 'the last state before revoking');

  const y = await grant({ person_id: ids.member, domain: 'refund', level: 2, reason: 'Try' });
  assert.equal((await admin.del(`/api/v1/rights/${y.id}`, { json: { reason: 'Moved to the role' } })).status, 204);
  assert.equal((await member.get(`/api/v1/rights/${y.id}/history`)).json.items[1].reason, 'Moved to the role');
  const z = await grant({ person_id: ids.member, domain: 'refund', level: 2, reason: 'Try' });
  assert.equal((await admin.del(`/api/v1/rights/${z.id}`, { json: { nope: 1 } })).status, 400);
  assert.equal((await admin.del(`/api/v1/rights/${z.id}`, { json: { reason: 'x'.repeat(2001) } })).status, 422);
  assert.equal((await admin.get(`/api/v1/rights/${z.id}`)).status, 200, 'bad revocations change nothing');
  await admin.del(`/api/v1/rights/${z.id}`);

  const audit = sql(`SELECT action || '|' || actor_id || '|' || detail FROM audit WHERE object = 'right:${x.id}' ORDER BY id`).split('\n');
  assert.equal(audit.length, 4, audit.join('\n'));
  assert.match(audit[0], new RegExp(`^right\\.grant\\|${ids.admin}\\|person ${ids.member} refund level 4 limit 100\\.00: First weeks$`));
  assert.match(audit[1], /^right\.change\|.*level 6 limit 100\.00 \(was .* level 4 limit 100\.00\): Proved herself$/);
  assert.match(audit[3], /^right\.revoke\|.*: revoked$/);
  assert.equal((await member.get('/api/v1/rights/999999/history')).status, 404);
});

test('rights-13: other organisations see nothing and change nothing', async () => {
  const x = await grant({ person_id: ids.member, domain: 'refund', level: 5, limit: '20', reason: 'A only' });
  const before = snapshot();
  for (const [m, p, body] of [['GET', `/api/v1/rights/${x.id}`], ['GET', `/api/v1/rights/${x.id}/history`],
    ['PATCH', `/api/v1/rights/${x.id}`, { level: 1, reason: 'x' }], ['DELETE', `/api/v1/rights/${x.id}`]]) {
    const r = await ownerB.req(m, p, body ? { json: body } : {});
    assert.equal(r.status, 404, `${m} ${p}`);
  }
  for (const p of [`/rights/${x.id}`, `/rights/${x.id}/edit`]) assert.equal((await ownerB.get(p)).status, 404, p);
  assert.equal((await ownerB.form(`/rights/${x.id}/delete`, { reason: 'x' })).status, 404);
  assert.equal((await ownerB.form(`/rights/${x.id}/edit`, { level: '1', reason: 'x' })).status, 404);
  assert.ok(!(await ownerB.get('/api/v1/rights')).json.items.some((i) => i.id === x.id));
  assert.equal((await ownerB.get(`/api/v1/rights?person_id=${ids.member}`)).json.items.length, 0);
  // Org B's owner grants in B only: an A person is unknown there
  let r = await ownerB.post('/api/v1/rights', { person_id: ids.member, domain: 'refund', level: 7, reason: 'x' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'person_id');
  r = await ownerB.post('/api/v1/rights', { person_id: ids.ownerB, domain: 'discount', level: 7, reason: 'x' });
  assert.equal(r.status, 422, 'discount is an Org A domain');
  assert.equal(r.json.error.field, 'domain');
  assert.equal(snapshot(), before);
  const b = await grant({ person_id: ids.ownerB, domain: 'refund', level: 7, reason: 'B' }, ownerB);
  assert.equal(b.domain_label, 'Refunds in B');
  assert.equal((await admin.get(`/api/v1/rights/${b.id}`)).status, 404);
  assert.ok(!(await admin.get('/api/v1/rights?limit=500')).json.items.some((i) => i.id === b.id));
  await admin.del(`/api/v1/rights/${x.id}`);
});

test('rights-14: "Can I?" answers from a right granted here, and stops when it is revoked', async () => {
  const mine = await grant({ person_id: ids.manager, domain: 'discount', level: 7, limit: '500.00', reason: 'Manager' });
  let c = await member.get('/api/v1/can?domain=discount&amount=100');
  assert.equal(c.json.verdict, 'none');
  const x = await grant({ person_id: ids.member, domain: 'discount', level: 7, limit: '150.00', reason: 'Happy hour' }, manager);
  c = await member.get('/api/v1/can?domain=discount&amount=100');
  assert.equal(c.status, 200);
  assert.equal(c.json.verdict, 'decide');
  assert.equal(c.json.right_id, x.id);
  assert.equal(c.json.limit, '150.00');
  c = await member.get('/api/v1/can?domain=discount&amount=150.01');
  assert.equal(c.json.verdict, 'approve');
  assert.deepEqual(c.json.route_to, { id: ids.manager, name: 'Max Manager' });
  await manager.patch(`/api/v1/rights/${x.id}`, { level: 6, reason: 'Tell me after' });
  c = await member.get('/api/v1/can?domain=discount&amount=100');
  assert.equal(c.json.verdict, 'inform');
  await manager.del(`/api/v1/rights/${x.id}`, { json: { reason: 'Season over' } });
  c = await member.get('/api/v1/can?domain=discount&amount=100');
  assert.equal(c.json.verdict, 'none');
  await admin.del(`/api/v1/rights/${mine.id}`);
});

// ---------- pages ----------

test('rights-15: /domains shows risk badges; admins get the add and change forms', async () => {
  const m = await member.get('/domains');
  assert.equal(m.status, 200);
  assert.match(m.text, /<h1>Decision domains<\/h1>/);
  assert.match(m.text, /<a href="\/rights\?domain=refund">Refunds<\/a><\/td><td><code>refund<\/code><\/td><td><span class="badge risk-medium">medium risk<\/span>/);
  assert.match(m.text, /<span class="badge risk-high">high risk<\/span>/);
  assert.doesNotMatch(m.text, /action="\/domains/, 'no forms for members');
  const a = await admin.get('/domains');
  assert.match(a.text, /<form method="post" action="\/domains" novalidate>/);
  const refund = (await admin.get('/api/v1/domains')).json.items.find((d) => d.slug === 'refund');
  assert.match(a.text, new RegExp(`<form method="post" action="/domains/${refund.id}" class="filters">`));
  assert.match(a.text, new RegExp(`<input id="d-${refund.id}-label" name="label" type="text" value="Refunds">`));

  let r = await admin.form('/domains', { slug: 'recipe-change', label: 'Changing a recipe', risk: 'low' });
  assert.equal(r.status, 303);
  assert.match(location(r), /^\/domains\?created=1#domain-\d+$/);
  assert.match((await admin.get(location(r))).text, /Domain added\./);
  const made = (await admin.get('/api/v1/domains?limit=500')).json.items.find((d) => d.slug === 'recipe-change');
  assert.deepEqual(made, { id: made.id, slug: 'recipe-change', label: 'Changing a recipe', risk: 'low' });
  // errors next to the fields, typed values kept
  r = await admin.form('/domains', { slug: 'Bad Slug', label: 'Kept label', risk: 'high' });
  assert.equal(r.status, 422);
  assert.match(r.text, /<div class="field has-error"><label for="f-slug">Slug<\/label><input id="f-slug" name="slug" type="text" value="Bad Slug"/);
  assert.match(r.text, /value="Kept label"/);
  assert.match(r.text, /<option value="high" selected>high<\/option>/);
  r = await admin.form('/domains', { slug: 'refund', label: 'Again', risk: 'low' });
  assert.equal(r.status, 409);
  assert.match(r.text, /Another domain already uses this slug/);
  r = await admin.form(`/domains/${made.id}`, { label: 'Recipes', risk: 'medium' });
  assert.equal(r.status, 303);
  assert.equal(location(r), `/domains?saved=1#domain-${made.id}`);
  assert.equal((await admin.get('/api/v1/domains?limit=500')).json.items.find((d) => d.id === made.id).label, 'Recipes');
  r = await admin.form(`/domains/${made.id}`, { label: '', risk: 'low' });
  assert.equal(r.status, 422);
  assert.match(r.text, new RegExp(`<input id="d-${made.id}-label" name="label" type="text" value="" aria-invalid="true"`));
  assert.equal((await admin.get('/api/v1/domains?limit=500')).json.items.find((d) => d.id === made.id).risk, 'medium', 'unchanged');
  assert.equal((await admin.form('/domains/999999', { label: 'x', risk: 'low' })).status, 404);
});

test('rights-16: /rights lists every right with holder, level, limit, advisor and expiry; filters by domain', async () => {
  assert.doesNotMatch((await member.get('/rights')).text, /href="\/rights\/new"/, 'a member who holds nothing is not offered the grant form');
  const cook = role('Cook', []);
  const x = await grant({ person_id: ids.member, domain: 'refund', level: 5, limit: '300.00', advisor_id: ids.manager, reason: 'r' });
  const y = await grant({ role_id: cook, domain: 'recipe-change', level: 7, expires_on: '2020-05-01', reason: 'r' });
  const l = await member.get('/rights');
  assert.equal(l.status, 200);
  assert.match(l.text, /<h1>Decision rights<\/h1>/);
  assert.match(l.text, /href="\/rights\/new"/, 'now the member holds a right, so may grant within it');
  assert.match(l.text, new RegExp(`<td><a href="/people/${ids.member}">Mia Member</a></td><td>Refunds</td><td><a href="/rights/${x.id}">5 · advise</a></td><td>300\\.00</td><td><a href="/people/${ids.manager}">Max Manager</a></td><td></td>`));
  assert.match(l.text, new RegExp(`<td><a href="/roles/${cook}">Cook</a> <span class="muted">\\(role\\)</span></td><td>Recipes</td><td><a href="/rights/${y.id}">7 · delegate</a></td><td><span class="muted">no limit</span></td><td></td><td><time datetime="2020-05-01">2020-05-01</time> <span class="badge status-expired">expired</span></td>`));
  const f = await member.get('/rights?domain=recipe-change');
  assert.match(f.text, /<option value="recipe-change" selected>Recipes<\/option>/);
  assert.match(f.text, new RegExp(`href="/rights/${y.id}"`));
  assert.doesNotMatch(f.text, new RegExp(`href="/rights/${x.id}"`));
  assert.match((await member.get('/rights?domain=nothing')).text, /No rights for this domain yet\./);
  assert.match((await admin.get('/rights')).text, /href="\/rights\/new"/);
  await admin.del(`/api/v1/rights/${x.id}`);
  await admin.del(`/api/v1/rights/${y.id}`);
});

test('rights-17: the grant form: 403 for someone who holds nothing; errors next to fields keep what was typed', async () => {
  assert.equal((await member.get('/rights/new')).status, 403);
  const before = snapshot();
  assert.equal((await member.form('/rights/new', { person_id: String(ids.manager), domain_id: '1', level: '1', reason: 'x' })).status, 403);
  assert.equal(snapshot(), before);

  const refund = (await admin.get('/api/v1/domains')).json.items.find((d) => d.slug === 'refund');
  const n = await admin.get(`/rights/new?person_id=${ids.member}&domain=refund`);
  assert.equal(n.status, 200);
  assert.match(n.text, /<h1>Grant a decision right<\/h1>/);
  assert.match(n.text, /<legend>Who holds it<\/legend>/);
  assert.match(n.text, new RegExp(`<select id="f-person_id" name="person_id"><option value="">\\(no person\\)</option>.*<option value="${ids.member}" selected>Mia Member</option>`));
  assert.match(n.text, new RegExp(`<option value="${refund.id}" selected>Refunds \\(refund\\)</option>`));
  assert.match(n.text, /<option value="6">6 · inquire: the holder decides; the manager is told after<\/option>/);
  assert.doesNotMatch(n.text, /Bob Other/, 'only people of this organisation');

  let r = await admin.form('/rights/new', { role_id: '', person_id: String(ids.member), domain_id: String(refund.id), level: '5', limit: '12.345',
    advisor_id: '', expires_on: '2099-01-01', reason: '' });
  assert.equal(r.status, 400);
  assert.match(r.text, /<div class="field has-error"><label for="f-limit">[^<]*<\/label><input id="f-limit" name="limit" type="text" value="12.345"/);
  assert.match(r.text, /<p class="error" id="f-reason-err">Say why/);
  assert.match(r.text, /<option value="5" selected>5 · advise/);
  assert.match(r.text, /value="2099-01-01"/);
  assert.match(r.text, new RegExp(`<option value="${ids.member}" selected>Mia Member</option>`));
  r = await admin.form('/rights/new', { role_id: '', person_id: '', domain_id: String(refund.id), level: '5', limit: '', reason: 'Why not' });
  assert.equal(r.status, 422);
  assert.match(r.text, /<p class="error" id="f-holder-err">A right belongs to a role or to one person/);
  assert.match(r.text, />Why not<\/textarea>/);
  assert.equal(snapshot(), before, 'nothing was granted');

  r = await admin.form('/rights/new', { role_id: '', person_id: String(ids.manager), domain_id: String(refund.id), level: '6', limit: '500',
    advisor_id: '', expires_on: '', reason: 'Runs the floor' });
  assert.equal(r.status, 303, r.text);
  const m = location(r).match(/^\/rights\/(\d+)\?saved=1$/);
  assert.ok(m, location(r));
  const managerRight = Number(m[1]);
  const got = (await admin.get(`/api/v1/rights/${managerRight}`)).json;
  assert.equal(got.limit, '500.00');
  assert.equal(got.level, 6);
  assert.equal(got.expires_on, null);

  // the manager now may grant, within what they hold: beyond it, the form says why (403)
  const mf = await manager.get('/rights/new');
  assert.equal(mf.status, 200);
  assert.match(mf.text, /You can grant only what you hold yourself/);
  assert.doesNotMatch(mf.text, /Discounts \(discount\)/, 'only domains the manager holds are offered');
  r = await manager.form('/rights/new', { person_id: String(ids.member), domain_id: String(refund.id), level: '7', limit: '100', reason: 'Go' });
  assert.equal(r.status, 403);
  assert.match(r.text, /level 6 \(inquire\) up to 500\.00/);
  assert.match(r.text, /<option value="7" selected>/, 'what was typed is kept');
  r = await manager.form('/rights/new', { person_id: String(ids.member), domain_id: String(refund.id), level: '5', limit: '100', reason: 'Go' });
  assert.equal(r.status, 303);
  const memberRight = Number(location(r).match(/^\/rights\/(\d+)/)[1]);
  await admin.del(`/api/v1/rights/${memberRight}`);
  await admin.del(`/api/v1/rights/${managerRight}`);
});

test('rights-18: the right page shows the full history; change and revoke work as forms', async () => {
  const mine = await grant({ person_id: ids.manager, domain: 'refund', level: 6, limit: '500.00', reason: 'Manager' });
  const x = await grant({ person_id: ids.member, domain: 'refund', level: 4, limit: '100', reason: 'Start' }, manager);
  let r = await admin.form(`/rights/${x.id}/edit`, { level: '5', limit: '200', reason: 'Doing well' });
  assert.equal(r.status, 303);
  assert.equal(location(r), `/rights/${x.id}?saved=1`);
  const v = await manager.get(`/rights/${x.id}?saved=1`);
  assert.equal(v.status, 200);
  assert.match(v.text, /<h1>Mia Member: Refunds<\/h1>/);
  assert.match(v.text, /Saved\./);
  assert.match(v.text, /<dt>Level<\/dt><dd>5 · advise <span class="muted">\(the holder decides after advice\)<\/span><\/dd><dt>Limit<\/dt><dd>up to 200\.00<\/dd>/);
  assert.match(v.text, /<dt>Granted by<\/dt><dd><a href="\/people\/\d+">Ada Admin<\/a><\/dd>/);
  assert.match(v.text, /<h2>History<\/h2>/);
  const rows = [...v.text.matchAll(/<tr><td><time[^>]*>[^<]*<\/time><\/td><td>(\w+)<\/td><td><a href="\/people\/\d+">([^<]+)<\/a><\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)]
    .map((m) => [m[1], m[2], m[3], m[4]]);
  assert.deepEqual(rows, [
    ['granted', 'Max Manager', 'Mia Member · level 4 · agree · up to 100.00', 'Start'],
    ['changed', 'Ada Admin', 'Mia Member · level 5 · advise · up to 200.00', 'Doing well'],
  ]);
  assert.match(v.text, new RegExp(`href="/rights/${x.id}/edit"`), 'the manager may change it');
  assert.match(v.text, new RegExp(`<form method="post" action="/rights/${x.id}/delete" data-confirm="Revoke this right\\?">`));
  const mv = await member.get(`/rights/${x.id}`);
  assert.equal(mv.status, 200);
  assert.doesNotMatch(mv.text, /\/edit"/, 'the holder may not change their own right');
  assert.doesNotMatch(mv.text, /\/delete"/);
  assert.equal((await member.get(`/rights/${x.id}/edit`)).status, 403);
  assert.equal((await member.form(`/rights/${x.id}/edit`, { level: '7', reason: 'me' })).status, 403);
  const own = await manager.get(`/rights/${mine.id}`);
  assert.doesNotMatch(own.text, /\/edit"/, 'nobody changes their own right');
  assert.doesNotMatch(own.text, /\/delete"/, 'nor revokes it');

  // the edit form keeps the values and asks for a new reason
  const ef = await manager.get(`/rights/${x.id}/edit`);
  assert.equal(ef.status, 200);
  assert.match(ef.text, /<h1>Change a decision right<\/h1>/);
  assert.match(ef.text, /<input id="f-limit" name="limit" type="text" value="200.00">/);
  assert.match(ef.text, /<textarea id="f-reason" name="reason" rows="5"[^>]*><\/textarea>/);
  r = await manager.form(`/rights/${x.id}/edit`, { level: '7', limit: '200.00', reason: 'More' });
  assert.equal(r.status, 403, 'beyond what the manager holds');
  assert.match(r.text, /<option value="7" selected>/);
  r = await manager.form(`/rights/${x.id}/edit`, { level: '5', limit: '250.00', reason: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /value="250.00"/);

  // revoking needs a reason in the form
  r = await manager.form(`/rights/${x.id}/delete`, { reason: '  ' });
  assert.equal(r.status, 422);
  assert.match(r.text, /<p class="error" id="f-reason-err">Say why the right is revoked/);
  assert.equal((await admin.get(`/api/v1/rights/${x.id}`)).status, 200);
  const high = await grant({ person_id: ids.member, domain: 'refund', level: 7, reason: 'x' });
  assert.equal((await manager.form(`/rights/${high.id}/delete`, { reason: 'No' })).status, 403);
  assert.equal((await admin.get(`/api/v1/rights/${high.id}`)).status, 200);
  r = await manager.form(`/rights/${x.id}/delete`, { reason: 'Moved to the café' });
  assert.equal(r.status, 303);
  assert.equal(location(r), '/rights?revoked=1');
  assert.match((await manager.get('/rights?revoked=1')).text, /Right revoked\./);
  const gone = await member.get(`/rights/${x.id}`);
  assert.equal(gone.status, 200, 'a revoked right keeps its history page');
  assert.match(gone.text, /<h1>Revoked decision right<\/h1>/);
  assert.match(gone.text, /<td>revoked<\/td>.*Moved to the café/s);
  assert.equal((await member.get('/rights/999999')).status, 404);
  await admin.del(`/api/v1/rights/${high.id}`);
  await admin.del(`/api/v1/rights/${mine.id}`);
});

test('rights-19: reasons, labels and names are HTML-escaped on every page', async () => {
  const evil = '<script>alert(1)</script>';
  const esc = '&lt;script&gt;alert(1)&lt;/script&gt;';
  const d = await domain('evil', evil, 'low');
  const nasty = role('<b>Role</b>', []);
  const x = await grant({ role_id: nasty, domain: 'evil', level: 7, reason: evil });
  await admin.patch(`/api/v1/rights/${x.id}`, { level: 6, reason: `"quoted" & ${evil}` });
  for (const p of ['/domains', '/rights', `/rights/${x.id}`, `/rights/${x.id}/edit`, '/rights/new', '/rights?domain=evil']) {
    const r = await admin.get(p);
    assert.equal(r.status, 200, p);
    assert.ok(!r.text.includes(evil), `${p} has no raw script`);
    assert.ok(!r.text.includes('<b>Role</b>'), `${p} has no raw role markup`);
  }
  const v = await admin.get(`/rights/${x.id}`);
  assert.ok(v.text.includes(`<td>${esc}</td>`), 'the first reason in the history');
  assert.ok(v.text.includes('&quot;quoted&quot; &amp; ' + esc), 'the latest reason');
  assert.ok(v.text.includes('&lt;b&gt;Role&lt;/b&gt;'));
  assert.ok((await admin.get('/domains')).text.includes(`>${esc}</a>`));
  assert.equal((await admin.get(`/api/v1/rights/${x.id}`)).json.reason, `"quoted" & ${evil}`, 'the API returns the reason as typed');
  await admin.del(`/api/v1/rights/${x.id}`);
  assert.ok(d.id);
});

// Regression: decision_right.id is an INTEGER PRIMARY KEY without
// AUTOINCREMENT, so SQLite handed a revoked right's id (the highest) to the
// next right, which then showed the revoked right's history as its own.
test('rights-20: a new right never reuses a revoked right\'s id, so it never inherits its history', async () => {
  const a = await grant({ person_id: ids.member, domain: 'refund', level: 3, reason: 'Old one' });
  assert.equal((await admin.del(`/api/v1/rights/${a.id}`, { json: { reason: 'Gone' } })).status, 204);
  const b = await grant({ person_id: ids.member, domain: 'refund', level: 4, reason: 'New one' });
  assert.ok(b.id > a.id, `new id ${b.id} after revoked ${a.id}`);
  const h = (await member.get(`/api/v1/rights/${b.id}/history`)).json.items;
  assert.deepEqual(h.map((i) => [i.action, i.reason]), [['create', 'New one']]);
  assert.deepEqual((await member.get(`/api/v1/rights/${a.id}/history`)).json.items.map((i) => i.action), ['create', 'delete']);
  await admin.del(`/api/v1/rights/${b.id}`);
});
