// can.test.mjs: "Can I?" over HTTP, as a page and on the command line: the
// answers for real rights in the database, who may ask about whom, and
// strict amounts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, remit, USERS } from './lib.mjs';

let srv, owner, admin, manager, member, other;
const sql = (q) => execFileSync('sqlite3', [srv.db, q], { encoding: 'utf8' }).trim();
const id = (email) => Number(sql(`SELECT id FROM person WHERE email_lc = '${email}'`));

before(async () => {
  srv = await startServer();
  [owner, admin, manager, member, other] = await Promise.all([USERS.owner, USERS.admin, USERS.manager, USERS.member, USERS.other].map((e) => srv.login(e)));
  // the manager reports to the admin, who reports to the owner
  sql(`UPDATE person SET manager_id = ${id(USERS.admin)} WHERE id = ${id(USERS.manager)}`);
  sql(`UPDATE person SET manager_id = ${id(USERS.owner)} WHERE id = ${id(USERS.admin)}`);
  sql("INSERT INTO domain(org_id, slug, label, risk, created_at) VALUES (1, 'refund', 'refunds', 'low', 0), (1, 'discount', 'discounts', 'medium', 0), (2, 'refund', 'refunds', 'low', 0)");
  sql("INSERT INTO role(org_id, name, created_at, updated_at) VALUES (1, 'Customer Care Agent', 0, 0)");
  sql(`INSERT INTO role_holder(role_id, person_id, org_id, since) VALUES (1, ${id(USERS.member)}, 1, 0)`);
  sql("INSERT INTO decision_right(org_id, role_id, domain_id, level, limit_cents, created_at, updated_at) VALUES (1, 1, 1, 7, 20000, 0, 0)");
  sql(`INSERT INTO decision_right(org_id, person_id, domain_id, level, limit_cents, created_at, updated_at) VALUES (1, ${id(USERS.manager)}, 1, 7, 100000, 0, 0)`);
  sql(`INSERT INTO decision_right(org_id, person_id, domain_id, level, advisor_id, created_at, updated_at) VALUES (1, ${id(USERS.member)}, 2, 5, ${id(USERS.admin)}, 0, 0)`);
});
after(async () => { await srv.stop(); });

test('can-1: within the role limit the member decides alone', async () => {
  const r = await member.get('/api/v1/can?domain=refund&amount=120.50');
  assert.equal(r.status, 200);
  // issue 13 added "protocols": the protocols linked to the domain (none here)
  assert.deepEqual(Object.keys(r.json).sort(), ['explanation', 'level', 'limit', 'protocols', 'right_id', 'route_to', 'verdict']);
  assert.deepEqual(r.json.protocols, []);
  assert.equal(r.json.verdict, 'decide');
  assert.equal(r.json.level, 7);
  assert.equal(r.json.limit, '200.00');
  assert.equal(r.json.route_to, null);
  assert.match(r.json.explanation, /up to 200\.00.*Customer Care Agent/);
});

test('can-2: above the limit it goes to the nearest decider, by name', async () => {
  const r = await member.get('/api/v1/can?domain=refund&amount=350');
  assert.equal(r.json.verdict, 'approve');
  assert.deepEqual(r.json.route_to, { id: id(USERS.manager), name: 'Max Manager' });
  assert.match(r.json.explanation, /Max Manager/);
  const big = await member.get('/api/v1/can?domain=refund&amount=5000');
  assert.equal(big.json.route_to.id, id(USERS.owner), 'nobody in the chain covers it: an owner');
});

test('can-3: level 5 asks the advisor; no right at all is "none"', async () => {
  let r = await member.get('/api/v1/can?domain=discount');
  assert.equal(r.json.verdict, 'advise');
  assert.equal(r.json.route_to.id, id(USERS.admin));
  assert.equal(r.json.limit, null);
  r = await manager.get('/api/v1/can?domain=discount&amount=10');
  assert.equal(r.json.verdict, 'none');
  assert.equal(r.json.level, null);
  assert.equal(r.json.route_to.id, id(USERS.owner));
});

test('can-4: an expired right counts as absent', async () => {
  sql("UPDATE decision_right SET expires_on = '2020-01-01' WHERE role_id = 1");
  try {
    const r = await member.get('/api/v1/can?domain=refund&amount=10');
    assert.equal(r.json.verdict, 'none');
    assert.equal(r.json.route_to.id, id(USERS.manager));
  } finally { sql('UPDATE decision_right SET expires_on = NULL WHERE role_id = 1'); }
});

test('can-5: an away manager is skipped and the chain goes on', async () => {
  sql(`UPDATE person SET status = 'away' WHERE id = ${id(USERS.manager)}`);
  try {
    const r = await member.get('/api/v1/can?domain=refund&amount=350');
    assert.equal(r.json.route_to.id, id(USERS.owner));
  } finally { sql(`UPDATE person SET status = 'active' WHERE id = ${id(USERS.manager)}`); }
});

test('can-6: who may ask about whom', async () => {
  const mid = id(USERS.member);
  assert.equal((await member.get(`/api/v1/can?domain=refund&person_id=${mid}`)).status, 200, 'about oneself');
  assert.equal((await member.get(`/api/v1/can?domain=refund&person_id=${id(USERS.manager)}`)).status, 403, 'a member about someone else');
  assert.equal((await manager.get(`/api/v1/can?domain=refund&person_id=${mid}`)).status, 200, 'a manager about a report');
  assert.equal((await manager.get(`/api/v1/can?domain=refund&person_id=${id(USERS.admin)}`)).status, 403, 'a manager about their boss');
  assert.equal((await admin.get(`/api/v1/can?domain=refund&person_id=${id(USERS.manager)}`)).status, 200, 'an admin about anyone');
  const r = await admin.get(`/api/v1/can?domain=refund&amount=300&person_id=${mid}`);
  assert.equal(r.json.verdict, 'approve');
  assert.equal((await admin.get(`/api/v1/can?domain=refund&person_id=${id(USERS.other)}`)).status, 404, 'another organisation\'s person');
  assert.equal((await other.get('/api/v1/can?domain=refund')).json.verdict, 'none', 'org B has its own refund domain and no rights');
  assert.equal((await srv.anon().get('/api/v1/can?domain=refund')).status, 401);
});

test('can-7: strict amounts and clear errors', async () => {
  for (const a of ['-5', '1e3', '12.345', '99999999999999999999', 'abc', '1,000', '.5', ' 5']) {
    const r = await member.get(`/api/v1/can?domain=refund&amount=${encodeURIComponent(a)}`);
    assert.equal(r.status, 400, a);
    assert.equal(r.json.error.code, 'invalid_amount', a);
  }
  for (const a of ['120', '120.5', '120.50', '0']) assert.equal((await member.get(`/api/v1/can?domain=refund&amount=${a}`)).status, 200, a);
  let r = await member.get('/api/v1/can');
  assert.equal(r.status, 400);
  r = await member.get('/api/v1/can?domain=nope');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'unknown_domain');
  assert.equal((await member.get('/api/v1/can?domain=refund&person_id=abc')).status, 400);
});

test('can-8: the page answers a plain form and the home page has the box', async () => {
  let r = await member.get('/can?domain=refund&amount=350');
  assert.equal(r.status, 200);
  assert.match(r.text, /Not alone: it needs approval/);
  assert.match(r.text, /Max Manager/);
  assert.match(r.text, /href="\/decisions\/new\?domain=refund&amp;amount=350"/);
  r = await member.get('/can?domain=refund&amount=-1');
  assert.equal(r.status, 400);
  assert.match(r.text, /two decimals/);
  r = await member.get('/');
  assert.match(r.text, /data-can/);
  assert.match(r.text, /<option value="refund">refunds<\/option>/);
});

test('can-9: the command line answers too', () => {
  let r = remit(['can', '--db', srv.db, '--org', 'Org A', '--email', USERS.member, '--domain', 'refund', '--amount', '350']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^approve: .*Max Manager/);
  r = remit(['can', '--db', srv.db, '--org', 'Org A', '--email', USERS.member, '--domain', 'refund', '--amount', '1e3']);
  assert.equal(r.code, 2);
  r = remit(['can', '--db', srv.db, '--org', 'Org A', '--email', USERS.member, '--domain', 'nope']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no decision domain/);
});

test('can-10: the page\'s error answers keep the security headers (regression)', async () => {
  for (const q of ['domain=nope', 'domain=refund&amount=1e3']) {
    const r = await member.get(`/can?${q}`);
    assert.ok(r.status === 400 || r.status === 422, q);
    assert.match(r.headers.get('content-security-policy') || '', /default-src 'self'/, q);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', q);
    assert.equal(r.headers.get('cache-control'), 'no-store', q);
  }
});

test('can-11: the server keeps rights in memory, and every kind of change shows at once (also from another process)', async () => {
  const ask = async (c = member, amount = '350') => (await c.get(`/api/v1/can?domain=refund&amount=${amount}`)).json;
  // warm every server thread's cache
  for (let i = 0; i < 8; i++) assert.equal((await ask()).route_to.id, id(USERS.manager));
  // the decider is away: the next one up
  sql(`UPDATE person SET status = 'away' WHERE id = ${id(USERS.manager)}`);
  for (let i = 0; i < 4; i++) assert.equal((await ask()).route_to.id, id(USERS.owner), 'away shows on every thread');
  sql(`UPDATE person SET status = 'active' WHERE id = ${id(USERS.manager)}`);
  assert.equal((await ask()).route_to.id, id(USERS.manager));
  // a renamed person, a renamed role, a raised limit, a removed holder
  sql(`UPDATE person SET name = 'Maxine Manager' WHERE id = ${id(USERS.manager)}`);
  assert.equal((await ask()).route_to.name, 'Maxine Manager');
  sql("UPDATE role SET name = 'Care Agent' WHERE id = 1");
  assert.match((await ask(member, '10')).explanation, /as Care Agent/);
  sql('UPDATE decision_right SET limit_cents = 50000 WHERE role_id = 1');
  assert.equal((await ask()).verdict, 'decide');
  sql(`DELETE FROM role_holder WHERE role_id = 1 AND person_id = ${id(USERS.member)}`);
  assert.equal((await ask()).verdict, 'none');
  // put it back as it was for any later test
  sql(`INSERT INTO role_holder(role_id, person_id, org_id, since) VALUES (1, ${id(USERS.member)}, 1, 0)`);
  sql("UPDATE role SET name = 'Customer Care Agent' WHERE id = 1");
  sql('UPDATE decision_right SET limit_cents = 20000 WHERE role_id = 1');
  sql(`UPDATE person SET name = 'Max Manager' WHERE id = ${id(USERS.manager)}`);
  assert.equal((await ask()).route_to.name, 'Max Manager');
});
