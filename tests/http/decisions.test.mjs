// decisions.test.mjs: the decision log, the inbox, notifications and the
// learning library (src/decisions.c) through the real binary: every verdict's
// life (decide, inform, advise, agree, propose, approve, none), who may
// advise, decide, approve, decline, withdraw and record the outcome, the
// visibility rules on every read, list filters and paging, passing pending
// items up the chain when someone is away or leaves, strict amounts, bad
// input that must leave nothing behind, and the pages (forms per role,
// flashes, HTML escaping). Domains and rights are set up with sqlite3 so
// these tests do not depend on the rights API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, remit, USERS } from './lib.mjs';
import { join } from 'node:path';

let srv, owner, admin, manager, member, ownerB, outsider;
const ids = {};
let ORG;
const dom = {};

const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const location = (r) => r.headers.get('location');

// addPerson: a person in Org A via the CLI (password PASSWORD); returns the id.
function addPerson(email, name, { access = 'member', manager: mgr } = {}) {
  const args = ['user', 'add', '--db', srv.db, '--org', 'Org A', '--email', email, '--name', name, '--access', access];
  if (mgr) args.push('--manager', mgr);
  const r = remit(args);
  assert.equal(r.code, 0, r.stderr);
  return Number(r.stdout.match(/person (\d+)/)[1]);
}

function addDomain(slug, label, risk = 'low') {
  return Number(sql(`INSERT INTO domain(org_id,slug,label,risk,created_at) VALUES(${ORG},'${slug}','${label}','${risk}',0); SELECT last_insert_rowid();`));
}

function grant(person, domainId, level, limitCents = null, advisor = null) {
  sql(`INSERT INTO decision_right(org_id,person_id,domain_id,level,limit_cents,advisor_id,created_at,updated_at) ` +
    `VALUES(${ORG},${person},${domainId},${level},${limitCents ?? 'NULL'},${advisor ?? 'NULL'},0,0)`);
}

const count = () => Number(sql('SELECT count(*) FROM decision'));

// log: logs a decision as client c; asserts 201 and returns the answer.
async function log(c, domain, extra = {}) {
  const r = await c.post('/api/v1/decisions', { domain, title: `A ${domain} decision`, risk: 2, reward: 3, ...extra });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

const getD = async (c, id) => (await c.get(`/api/v1/decisions/${id}`));
const inbox = async (c) => { const r = await c.get('/api/v1/inbox'); assert.equal(r.status, 200, r.text); return r.json; };

before(async () => {
  srv = await startServer();
  owner = await srv.login(USERS.owner);
  admin = await srv.login(USERS.admin);
  manager = await srv.login(USERS.manager);
  member = await srv.login(USERS.member);
  ownerB = await srv.login(USERS.other);
  for (const [k, c] of Object.entries({ owner, admin, manager, member, ownerB })) ids[k] = (await c.get('/api/v1/session')).json.person.id;
  ids.outsider = addPerson('outsider@a.test', 'Otto Outsider');
  outsider = await srv.login('outsider@a.test');
  ORG = Number(sql("SELECT id FROM org WHERE name = 'Org A'"));
  // The chain: member -> manager -> admin -> (owner by fallback).
  sql(`UPDATE person SET manager_id = ${ids.admin} WHERE id = ${ids.manager}`);
  dom.refund = addDomain('refund', 'refunds');
  grant(ids.member, dom.refund, 7, 20000);
  grant(ids.manager, dom.refund, 7, null);
  dom.discount = addDomain('discount', 'discounts');
  grant(ids.member, dom.discount, 6, null);
  dom.supplier = addDomain('supplier', 'supplier changes', 'medium');
  grant(ids.member, dom.supplier, 5, null);
  dom.recipe = addDomain('recipe', 'recipe changes');
  grant(ids.member, dom.recipe, 5, null, ids.admin);
  dom.rota = addDomain('rota', 'rota swaps');
  grant(ids.member, dom.rota, 4, null);
  dom.menu = addDomain('menu', 'menu changes');
  grant(ids.member, dom.menu, 2, null);
  dom.equipment = addDomain('equipment', 'equipment purchases', 'high');
  grant(ids.manager, dom.equipment, 7, 100000);
  // Org B has a domain with the same slug: it must never leak into Org A.
  const orgB = Number(sql("SELECT id FROM org WHERE name = 'Org B'"));
  sql(`INSERT INTO domain(org_id,slug,label,risk,created_at) VALUES(${orgB},'bonly','B only','low',0)`);
});

after(async () => { await srv.stop(); });

test('decisions-1: without a login the API answers 401 and the pages redirect to /login', async () => {
  const anon = srv.anon();
  for (const [m, p] of [['GET', '/api/v1/decisions'], ['POST', '/api/v1/decisions'], ['GET', '/api/v1/decisions/1'], ['POST', '/api/v1/decisions/1/approve'],
    ['POST', '/api/v1/decisions/1/outcome'], ['GET', '/api/v1/inbox']]) {
    const r = await anon.req(m, p, m === 'GET' ? {} : { json: {} });
    assert.equal(r.status, 401, `${m} ${p}`);
  }
  for (const p of ['/decisions', '/decisions/new', '/decisions/1', '/inbox', '/learning']) {
    const r = await anon.get(p);
    assert.equal(r.status, 303, p);
    assert.match(location(r), /^\/login\?next=/);
  }
});

test('decisions-2: decide: within the limit it is decided at once, and reads back whole', async () => {
  const before = count();
  const r = await member.post('/api/v1/decisions', {
    domain: 'refund', title: 'Refund order 42', amount: '120.5', context: 'Cold *coffee*', options: 'refund or voucher',
    rationale: 'Keep the customer', risk: 1, reward: 4, review_on: '2099-01-01',
  });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), ['explanation', 'id', 'route_to', 'status', 'verdict']);
  assert.equal(r.json.status, 'decided');
  assert.equal(r.json.verdict, 'decide');
  assert.equal(r.json.route_to, null);
  assert.match(r.json.explanation, /up to 200\.00/);
  assert.equal(count(), before + 1);
  const g = await getD(member, r.json.id);
  assert.equal(g.status, 200);
  assert.deepEqual(Object.keys(g.json).sort(), ['account', 'advice', 'advised_at', 'advised_by', 'amount', 'answer_note', 'answered_at', 'answered_by',
    'author', 'context', 'domain', 'domain_label', 'explanation', 'id', 'learning', 'level', 'limit', 'options', 'outcome', 'outcome_at', 'rationale',
    'requested_at', 'review_on', 'reward', 'risk', 'route_to', 'status', 'title', 'verdict'].sort());
  const d = g.json;
  assert.deepEqual(d.author, { id: ids.member, name: 'Mia Member' });
  assert.equal(d.domain, 'refund');
  assert.equal(d.domain_label, 'refunds');
  assert.equal(d.amount, '120.50');
  assert.equal(d.level, 7);
  assert.equal(d.limit, '200.00');
  assert.equal(d.context, 'Cold *coffee*');
  assert.equal(d.risk, 1);
  assert.equal(d.reward, 4);
  assert.equal(d.review_on, '2099-01-01');
  assert.match(d.requested_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  for (const k of ['advice', 'advised_by', 'advised_at', 'answered_at', 'answered_by', 'answer_note', 'outcome', 'account', 'learning', 'outcome_at'])
    assert.equal(d[k], null, k);
  // without an amount it is decided as well, and amount is null
  const n = await log(member, 'refund');
  assert.equal(n.status, 'decided');
  assert.equal((await getD(member, n.id)).json.amount, null);
  // audit trail
  assert.equal(Number(sql(`SELECT count(*) FROM audit WHERE action = 'decision.create' AND object = 'decision:${r.json.id}'`)), 1);
});

test('decisions-3: inform: decided at once, and the manager is told with a link', async () => {
  const r = await log(member, 'discount', { title: 'Ten percent off for the choir', amount: '35' });
  assert.equal(r.status, 'decided');
  assert.equal(r.verdict, 'inform');
  assert.deepEqual(r.route_to, { id: ids.manager, name: 'Max Manager' });
  const ib = await inbox(manager);
  const note = ib.notifications.find((n) => n.link === `/decisions/${r.id}`);
  assert.ok(note, 'the manager got a notification');
  assert.equal(note.kind, 'decision_informed');
  assert.equal(note.read, false);
  assert.match(note.text, /Mia Member decided "Ten percent off for the choir"/);
  assert.deepEqual(Object.keys(note).sort(), ['at', 'id', 'kind', 'link', 'read', 'text']);
  // informing is not asking: nothing to approve
  assert.ok(!ib.approvals.some((d) => d.id === r.id));
  assert.equal((await manager.post(`/api/v1/decisions/${r.id}/approve`, {})).status, 409);
});

test('decisions-4: advise: pending until advice, then the author decides', async () => {
  const r = await log(member, 'supplier', { title: 'Switch to the new mill', amount: '900' });
  assert.equal(r.status, 'pending');
  assert.equal(r.verdict, 'advise');
  assert.deepEqual(r.route_to, { id: ids.manager, name: 'Max Manager' });
  const id = r.id;
  assert.ok((await inbox(manager)).advice.some((d) => d.id === id), 'in the advisor\'s inbox');
  assert.ok((await inbox(manager)).notifications.some((n) => n.kind === 'advice_requested' && n.link === `/decisions/${id}`));
  // deciding before advice, approving, and advice by anyone else all fail
  assert.equal((await member.post(`/api/v1/decisions/${id}/decide`, {})).status, 409);
  assert.equal((await manager.post(`/api/v1/decisions/${id}/approve`, { note: 'ok' })).status, 409);
  assert.equal((await admin.post(`/api/v1/decisions/${id}/advice`, { advice: 'go' })).status, 403);
  assert.equal((await member.post(`/api/v1/decisions/${id}/advice`, { advice: 'self' })).status, 403);
  let a = await manager.post(`/api/v1/decisions/${id}/advice`, { advice: '   ' });
  assert.equal(a.status, 422);
  assert.equal(a.json.error.field, 'advice');
  a = await manager.post(`/api/v1/decisions/${id}/advice`, { advice: 'Check their delivery times first.' });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.status, 'pending');
  assert.equal(a.json.advice, 'Check their delivery times first.');
  assert.deepEqual(a.json.advised_by, { id: ids.manager, name: 'Max Manager' });
  assert.ok(a.json.advised_at);
  assert.equal((await manager.post(`/api/v1/decisions/${id}/advice`, { advice: 'again' })).status, 409, 'advice only once');
  const mi = await inbox(member);
  assert.ok(mi.to_decide.some((d) => d.id === id), 'ready for the author to decide');
  assert.ok(mi.notifications.some((n) => n.kind === 'advice_given' && n.link === `/decisions/${id}`));
  assert.ok(!(await inbox(manager)).advice.some((d) => d.id === id), 'no longer waiting for advice');
  // only the author decides
  assert.equal((await manager.post(`/api/v1/decisions/${id}/decide`, {})).status, 403);
  const d = await member.post(`/api/v1/decisions/${id}/decide`, { note: 'Going ahead, deliveries checked.' });
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.status, 'decided');
  assert.deepEqual(d.json.answered_by, { id: ids.member, name: 'Mia Member' });
  assert.equal(d.json.answer_note, 'Going ahead, deliveries checked.');
  assert.ok(d.json.answered_at);
  assert.equal((await member.post(`/api/v1/decisions/${id}/decide`, {})).status, 409);
  assert.ok(!(await inbox(member)).to_decide.some((x) => x.id === id));
  // decide without a body at all is fine too (on another one)
  const r2 = await log(member, 'supplier');
  await manager.post(`/api/v1/decisions/${r2.id}/advice`, { advice: 'fine' });
  const d2 = await member.req('POST', `/api/v1/decisions/${r2.id}/decide`);
  assert.equal(d2.status, 200, d2.text);
  assert.equal(d2.json.answer_note, null);
});

test('decisions-5: advise goes to the right\'s named advisor when there is one', async () => {
  const r = await log(member, 'recipe', { title: 'Less sugar in the scones' });
  assert.equal(r.verdict, 'advise');
  assert.deepEqual(r.route_to, { id: ids.admin, name: 'Ada Admin' });
  assert.equal((await manager.post(`/api/v1/decisions/${r.id}/advice`, { advice: 'x' })).status, 403, 'the manager is not the advisor');
  assert.equal((await admin.post(`/api/v1/decisions/${r.id}/advice`, { advice: 'Try a test batch.' })).status, 200);
});

test('decisions-6: agree, propose, approve and none wait for an answer; approve and decline', async () => {
  const cases = [
    ['rota', undefined, 'agree', ids.manager],
    ['menu', undefined, 'propose', ids.manager],
    ['refund', '250', 'approve', ids.manager],
    ['equipment', '500', 'none', ids.manager],
  ];
  for (const [domain, amount, verdict, to] of cases) {
    const r = await log(member, domain, amount ? { amount } : {});
    assert.equal(r.verdict, verdict, domain);
    assert.equal(r.status, 'pending', domain);
    assert.equal(r.route_to.id, to, domain);
    const ib = await inbox(manager);
    assert.ok(ib.approvals.some((d) => d.id === r.id), `${domain} in the approver's inbox`);
    assert.ok(ib.notifications.some((n) => n.kind === 'approval_requested' && n.link === `/decisions/${r.id}`), `${domain} notified`);
    // the author can never answer their own
    for (const act of ['approve', 'decline']) {
      const x = await member.post(`/api/v1/decisions/${r.id}/${act}`, { note: 'me' });
      assert.equal(x.status, 403, `${domain} ${act} by the author`);
    }
    assert.equal((await member.post(`/api/v1/decisions/${r.id}/advice`, { advice: 'x' })).status, 403);
    assert.equal((await manager.post(`/api/v1/decisions/${r.id}/advice`, { advice: 'x' })).status, 409, 'not an advise decision');
    assert.equal((await manager.post(`/api/v1/decisions/${r.id}/decide`, {})).status, 403);
    assert.equal((await member.post(`/api/v1/decisions/${r.id}/decide`, {})).status, 409);
    const act = verdict === 'propose' ? 'decline' : 'approve';
    const a = await manager.post(`/api/v1/decisions/${r.id}/${act}`, { note: `ok for ${domain}` });
    assert.equal(a.status, 200, a.text);
    assert.equal(a.json.status, act === 'approve' ? 'approved' : 'declined');
    assert.deepEqual(a.json.answered_by, { id: ids.manager, name: 'Max Manager' });
    assert.equal(a.json.answer_note, `ok for ${domain}`);
    for (const again of ['approve', 'decline']) assert.equal((await manager.post(`/api/v1/decisions/${r.id}/${again}`, {})).status, 409);
    const mi = await inbox(member);
    assert.ok(mi.notifications.some((n) => n.kind === (act === 'approve' ? 'decision_approved' : 'decision_declined') && n.link === `/decisions/${r.id}`));
    assert.ok(!(await inbox(manager)).approvals.some((d) => d.id === r.id), 'answered: out of the inbox');
    assert.equal(Number(sql(`SELECT count(*) FROM audit WHERE action = 'decision.${act}' AND object = 'decision:${r.id}'`)), 1);
  }
});

test('decisions-7: a superior may answer only with a right that covers it', async () => {
  const r = await log(member, 'rota', { title: 'Swap Friday shifts' });
  assert.equal(r.route_to.id, ids.manager);
  // the admin is above the manager but holds no rota right
  let x = await admin.post(`/api/v1/decisions/${r.id}/approve`, { note: 'fine' });
  assert.equal(x.status, 403);
  assert.equal(x.json.error.code, 'forbidden');
  // the owner is not in the chain... and has no right either
  assert.equal((await owner.post(`/api/v1/decisions/${r.id}/approve`, {})).status, 403);
  grant(ids.admin, dom.rota, 5, null);
  x = await admin.post(`/api/v1/decisions/${r.id}/approve`, { note: 'fine by me' });
  assert.equal(x.status, 200, x.text);
  assert.equal(x.json.status, 'approved');
  assert.deepEqual(x.json.answered_by, { id: ids.admin, name: 'Ada Admin' });
  // a superior whose right does not cover the amount may not
  const big = await log(member, 'refund', { amount: '500' });
  assert.equal(big.route_to.id, ids.manager);
  grant(ids.admin, dom.refund, 7, 100000);
  assert.equal((await admin.post(`/api/v1/decisions/${big.id}/approve`, {})).status, 200);
  const huge = await log(member, 'refund', { amount: '2000' });
  sql(`UPDATE decision_right SET limit_cents = 100 WHERE person_id = ${ids.admin} AND domain_id = ${dom.refund}`);
  assert.equal((await admin.post(`/api/v1/decisions/${huge.id}/approve`, {})).status, 403);
  assert.equal((await manager.post(`/api/v1/decisions/${huge.id}/approve`, {})).status, 200);
});

test('decisions-8: people who may not see a decision get 404, also across organisations', async () => {
  const r = await log(member, 'rota', { title: 'Private swap' });
  for (const c of [outsider, ownerB]) {
    assert.equal((await getD(c, r.id)).status, 404);
    for (const act of ['approve', 'decline', 'withdraw', 'decide']) assert.equal((await c.post(`/api/v1/decisions/${r.id}/${act}`, {})).status, 404, act);
    assert.equal((await c.post(`/api/v1/decisions/${r.id}/advice`, { advice: 'x' })).status, 404);
    assert.equal((await c.post(`/api/v1/decisions/${r.id}/outcome`, { outcome: 'good' })).status, 404);
    assert.equal((await c.get(`/decisions/${r.id}`)).status, 404);
    assert.equal((await c.form(`/decisions/${r.id}/approve`, { note: 'x' })).status, 404);
  }
  assert.equal((await getD(member, 999999)).status, 404);
  // another organisation's domain is unknown here
  const b = await member.post('/api/v1/decisions', { domain: 'bonly', title: 'x', risk: 1, reward: 1 });
  assert.equal(b.status, 422);
  assert.equal(b.json.error.code, 'unknown_domain');
  // the outsider may see decisions routed to them
  const mine = await outsider.post('/api/v1/decisions', { domain: 'refund', title: 'Outsider asks', risk: 1, reward: 1 });
  assert.equal(mine.status, 201);
  assert.equal((await getD(outsider, mine.json.id)).status, 200, 'the author sees their own');
  assert.equal((await getD(member, mine.json.id)).status, 404, 'a peer does not');
  assert.equal(mine.json.verdict, 'none');
  assert.equal(mine.json.route_to.id, ids.owner, 'without a manager, an owner decides');
  assert.equal((await owner.post(`/api/v1/decisions/${mine.json.id}/approve`, {})).status, 200);
});

test('decisions-9: withdraw: only the author, only while pending', async () => {
  const r = await log(member, 'rota', { title: 'Swap that is no longer needed' });
  assert.equal((await manager.post(`/api/v1/decisions/${r.id}/withdraw`, {})).status, 403, 'the approver cannot withdraw');
  const w = await member.post(`/api/v1/decisions/${r.id}/withdraw`, { note: 'Sorted it out myself.' });
  assert.equal(w.status, 200, w.text);
  assert.equal(w.json.status, 'withdrawn');
  assert.equal(w.json.answer_note, 'Sorted it out myself.');
  assert.equal((await member.post(`/api/v1/decisions/${r.id}/withdraw`, {})).status, 409, 'twice');
  assert.equal((await manager.post(`/api/v1/decisions/${r.id}/approve`, {})).status, 409, 'approving a withdrawn decision');
  assert.ok((await inbox(manager)).notifications.some((n) => n.kind === 'decision_withdrawn' && n.link === `/decisions/${r.id}`));
  assert.ok(!(await inbox(manager)).approvals.some((d) => d.id === r.id));
  // a decided one cannot be withdrawn (and an empty body is fine)
  const d = await log(member, 'refund', { amount: '10' });
  assert.equal((await member.req('POST', `/api/v1/decisions/${d.id}/withdraw`)).status, 409);
  // a malformed or unknown body is a 400 and changes nothing
  const p = await log(member, 'rota');
  assert.equal((await member.post(`/api/v1/decisions/${p.id}/withdraw`, { reason: 'x' })).status, 400);
  assert.equal((await member.post(`/api/v1/decisions/${p.id}/withdraw`, '{bad')).status, 400);
  assert.equal((await getD(member, p.id)).json.status, 'pending');
});

test('decisions-10: outcome: by the author, once, only when decided or approved', async () => {
  const d = await log(member, 'refund', { title: 'Refund the burnt croissant', amount: '4.50' });
  const path = `/api/v1/decisions/${d.id}/outcome`;
  assert.equal((await manager.post(path, { outcome: 'good' })).status, 403, 'not the author');
  assert.equal((await admin.post(path, { outcome: 'good' })).status, 403, 'not even an admin');
  let x = await member.post(path, { outcome: 'great' });
  assert.equal(x.status, 422);
  assert.equal(x.json.error.field, 'outcome');
  assert.equal((await member.post(path, {})).status, 422, 'outcome is required');
  assert.equal((await member.post(path, { outcome: 'good', learning: 'x'.repeat(5001) })).status, 422);
  assert.equal((await member.post(path, { outcome: 'good', extra: 1 })).status, 400);
  x = await member.post(path, { outcome: 'mixed', account: 'They came back, but grumbled.', learning: 'Offer the **voucher** first; customers prefer it.' });
  assert.equal(x.status, 200, x.text);
  assert.equal(x.json.outcome, 'mixed');
  assert.equal(x.json.account, 'They came back, but grumbled.');
  assert.equal(x.json.learning, 'Offer the **voucher** first; customers prefer it.');
  assert.ok(x.json.outcome_at);
  assert.equal((await member.post(path, { outcome: 'good' })).status, 409, 'only once');
  assert.equal((await getD(member, d.id)).json.outcome, 'mixed');
  // pending, declined and withdrawn decisions have no outcome yet
  const p = await log(member, 'rota');
  assert.equal((await member.post(`/api/v1/decisions/${p.id}/outcome`, { outcome: 'good' })).status, 409);
  await manager.post(`/api/v1/decisions/${p.id}/decline`, { note: 'no' });
  assert.equal((await member.post(`/api/v1/decisions/${p.id}/outcome`, { outcome: 'good' })).status, 409);
  // approved ones do
  const a = await log(member, 'rota');
  await manager.post(`/api/v1/decisions/${a.id}/approve`, {});
  assert.equal((await member.post(`/api/v1/decisions/${a.id}/outcome`, { outcome: 'bad', learning: 'Ask earlier.' })).status, 200);
  assert.equal(Number(sql(`SELECT count(*) FROM audit WHERE action = 'decision.outcome' AND object = 'decision:${a.id}'`)), 1);
});

test('decisions-11: list: visibility per person, filters and paging', async () => {
  // fresh people so that the counts are exact: a team tree and a chain
  const lead = addPerson('lead@a.test', 'Lena Lead', { access: 'manager' });
  const w1 = addPerson('w1@a.test', 'Walt One', { manager: 'lead@a.test' });
  const w2 = addPerson('w2@a.test', 'Wanda Two');
  const w3 = addPerson('w3@a.test', 'Wes Three');
  const top = (await admin.post('/api/v1/teams', { name: 'Kitchen' })).json;
  const sub = (await admin.post('/api/v1/teams', { name: 'Pastry', parent_id: top.id })).json;
  const other = (await admin.post('/api/v1/teams', { name: 'Front of house' })).json;
  for (const [p, t] of [[lead, top.id], [w2, sub.id], [w3, other.id]]) assert.equal((await admin.patch(`/api/v1/people/${p}`, { team_id: t })).status, 200);
  const c1 = await srv.login('w1@a.test'), c2 = await srv.login('w2@a.test'), c3 = await srv.login('w3@a.test'), cl = await srv.login('lead@a.test');
  const slug = 'listing';
  const dl = addDomain(slug, 'listing things');
  for (const p of [w1, w2, w3]) grant(p, dl, 7, null);
  const mk = async (c, title) => (await log(c, slug, { title })).id;
  const a1 = await mk(c1, 'w1 first'), b1 = await mk(c2, 'w2 first'), c31 = await mk(c3, 'w3 first'), a2 = await mk(c1, 'w1 second');
  const ids_ = async (c, q = '') => {
    const r = await c.get(`/api/v1/decisions?domain=${slug}${q}`);
    assert.equal(r.status, 200, r.text);
    return r.json.items.map((d) => d.id);
  };
  assert.deepEqual(await ids_(c1), [a2, a1], 'a member sees their own, newest first');
  assert.deepEqual(await ids_(c3), [c31]);
  assert.deepEqual(await ids_(cl), [a2, b1, a1], 'the lead sees their report (chain) and their team subtree');
  assert.deepEqual(await ids_(admin), [a2, c31, b1, a1], 'admins see all');
  assert.deepEqual(await ids_(owner), [a2, c31, b1, a1]);
  assert.deepEqual(await ids_(manager), [], 'another manager sees none of these');
  assert.deepEqual(await ids_(ownerB), [], 'another organisation sees nothing');
  // filters
  assert.deepEqual(await ids_(admin, `&person_id=${w1}`), [a2, a1]);
  assert.deepEqual(await ids_(admin, `&team_id=${top.id}`), [b1], 'team includes sub-teams (w2 is in Pastry; w1 has no team)');
  assert.deepEqual(await ids_(admin, `&team_id=${sub.id}`), [b1]);
  assert.deepEqual(await ids_(admin, `&team_id=${other.id}`), [c31]);
  assert.deepEqual(await ids_(admin, '&status=decided'), [a2, c31, b1, a1]);
  assert.deepEqual(await ids_(admin, '&status=pending'), []);
  const today = new Date().toISOString().slice(0, 10);
  assert.deepEqual(await ids_(admin, `&from=${today}&to=${today}`), [a2, c31, b1, a1]);
  assert.deepEqual(await ids_(admin, '&to=2000-01-01'), []);
  assert.deepEqual(await ids_(admin, '&from=2999-01-01'), []);
  assert.deepEqual((await admin.get('/api/v1/decisions?domain=nope')).json.items, []);
  // paging: after=N gives ids lower than N
  let r = await admin.get(`/api/v1/decisions?domain=${slug}&limit=2`);
  assert.deepEqual(r.json.items.map((d) => d.id), [a2, c31]);
  assert.equal(r.json.next_after, c31);
  r = await admin.get(`/api/v1/decisions?domain=${slug}&limit=2&after=${r.json.next_after}`);
  assert.deepEqual(r.json.items.map((d) => d.id), [b1, a1]);
  r = await admin.get(`/api/v1/decisions?domain=${slug}&limit=2&after=${a1}`);
  assert.deepEqual(r.json.items, []);
  assert.equal(r.json.next_after, null);
  // bad filters are 400s
  for (const q of ['status=maybe', 'person_id=x', 'team_id=-1', 'from=2024-02-30', 'to=tomorrow', 'limit=0', 'after=x'])
    assert.equal((await admin.get(`/api/v1/decisions?${q}`)).status, 400, q);
  // the list item is the same shape as GET by id
  const one = (await c1.get(`/api/v1/decisions?domain=${slug}&limit=1`)).json.items[0];
  assert.deepEqual(one, (await getD(c1, one.id)).json);
  // GET by id follows the same rules
  assert.equal((await getD(cl, b1)).status, 200);
  assert.equal((await getD(cl, c31)).status, 404);
  assert.equal((await getD(c2, a1)).status, 404);
});

test('decisions-12: the inbox: approvals, advice, to decide, reviews due and notifications', async () => {
  const ap = await log(member, 'rota', { title: 'Inbox approval' });
  const ad = await log(member, 'supplier', { title: 'Inbox advice' });
  const td = await log(member, 'supplier', { title: 'Inbox to decide' });
  await manager.post(`/api/v1/decisions/${td.id}/advice`, { advice: 'ok' });
  const rv = await log(member, 'refund', { title: 'Inbox review', review_on: '2020-01-01' });
  const later = await log(member, 'refund', { title: 'Inbox not yet', review_on: '2999-01-01' });
  const mi = await inbox(member), ma = await inbox(manager);
  assert.deepEqual(Object.keys(mi).sort(), ['advice', 'approvals', 'notifications', 'reviews_due', 'to_decide']);
  const has = (list, id) => list.some((d) => d.id === id);
  assert.ok(has(ma.approvals, ap.id));
  assert.ok(!has(ma.approvals, ad.id));
  assert.ok(has(ma.advice, ad.id));
  assert.ok(!has(ma.advice, td.id), 'advice already given');
  assert.ok(has(mi.to_decide, td.id));
  assert.ok(!has(mi.to_decide, ad.id));
  assert.ok(has(mi.reviews_due, rv.id));
  assert.ok(!has(mi.reviews_due, later.id), 'not due yet');
  assert.ok(!has(ma.reviews_due, rv.id), 'only the author reviews');
  assert.equal(mi.approvals.length, 0, 'nothing is routed to the member');
  assert.equal(mi.advice.length, 0);
  assert.deepEqual(ma.approvals.find((d) => d.id === ap.id), (await getD(manager, ap.id)).json, 'items are whole decisions');
  assert.ok(ma.notifications.length <= 50);
  const ids2 = ma.notifications.map((n) => n.id);
  assert.deepEqual(ids2, [...ids2].sort((a, b) => b - a), 'newest first');
  // recording the outcome clears the review
  await member.post(`/api/v1/decisions/${rv.id}/outcome`, { outcome: 'good' });
  assert.ok(!has((await inbox(member)).reviews_due, rv.id));
  // reading the API does not mark anything read
  assert.ok((await inbox(manager)).notifications.some((n) => !n.read));
});

test('decisions-13: a routed person who is away or leaves passes pending items up the chain', async () => {
  const director = addPerson('director@a.test', 'Dora Director', { access: 'manager' });
  const boss = addPerson('boss@a.test', 'Bea Boss', { access: 'manager', manager: 'director@a.test' });
  addPerson('worker@a.test', 'Will Worker', { manager: 'boss@a.test' });
  const worker = await srv.login('worker@a.test'), bossC = await srv.login('boss@a.test'), dirC = await srv.login('director@a.test');
  const travel = addDomain('travel', 'travel bookings'), training = addDomain('training', 'training courses');
  grant(boss, travel, 7, null);
  grant(director, travel, 7, null);
  grant(addPersonId('worker@a.test'), training, 5, null, boss);
  const t = await log(worker, 'travel', { title: 'Train to the trade fair', amount: '89' });
  assert.equal(t.verdict, 'none');
  assert.equal(t.route_to.id, boss);
  const tr = await log(worker, 'training', { title: 'Barista course' });
  assert.equal(tr.verdict, 'advise');
  assert.equal(tr.route_to.id, boss);
  const done = await log(worker, 'training', { title: 'Advised already' });
  await bossC.post(`/api/v1/decisions/${done.id}/advice`, { advice: 'fine' });
  assert.ok((await inbox(bossC)).approvals.some((d) => d.id === t.id));

  const p = await admin.patch(`/api/v1/people/${boss}`, { status: 'away' });
  assert.equal(p.status, 200, p.text);
  let g = (await getD(worker, t.id)).json;
  assert.deepEqual(g.route_to, { id: director, name: 'Dora Director' }, 'the next decider up the chain');
  assert.equal(g.status, 'pending');
  assert.equal((await getD(worker, tr.id)).json.route_to.id, director, 'advice goes to the next manager up');
  assert.equal((await getD(worker, done.id)).json.route_to.id, boss, 'advice already given: it waits for the author, not the advisor');
  let di = await inbox(dirC);
  assert.ok(di.approvals.some((d) => d.id === t.id), 'in the new approver\'s inbox');
  assert.ok(di.advice.some((d) => d.id === tr.id));
  assert.ok(di.notifications.some((n) => n.kind === 'decision_rerouted' && n.link === `/decisions/${t.id}` && /Bea Boss is away/.test(n.text)));
  assert.ok((await inbox(worker)).notifications.some((n) => n.kind === 'decision_rerouted' && /now waits for Dora Director/.test(n.text)));
  assert.ok(!(await inbox(bossC)).approvals.some((d) => d.id === t.id));
  assert.equal((await bossC.post(`/api/v1/decisions/${t.id}/approve`, {})).status, 403, 'no longer theirs to answer');
  // the director leaves too: nobody above, so an owner takes it
  const l = await admin.patch(`/api/v1/people/${director}`, { status: 'left' });
  assert.equal(l.status, 200, l.text);
  g = (await getD(worker, t.id)).json;
  assert.deepEqual(g.route_to, { id: ids.owner, name: 'Olive Owner' });
  const oi = await inbox(owner);
  assert.ok(oi.approvals.some((d) => d.id === t.id));
  assert.ok(oi.notifications.some((n) => n.link === `/decisions/${t.id}` && /Dora Director has left/.test(n.text)));
  assert.equal((await owner.post(`/api/v1/decisions/${t.id}/approve`, { note: 'Enjoy the fair' })).status, 200);
  assert.ok(Number(sql("SELECT count(*) FROM audit WHERE action = 'decision.reroute'")) >= 3);
  // nothing moves for someone who was never routed anything
  assert.equal((await admin.patch(`/api/v1/people/${boss}`, { status: 'active' })).status, 200);
});

function addPersonId(email) { return Number(sql(`SELECT id FROM person WHERE email_lc = '${email}'`)); }

test('decisions-14: strict amounts and bad input leave no decision behind', async () => {
  const before = count();
  const bad = async (body, status, code, field) => {
    const r = await member.post('/api/v1/decisions', { domain: 'refund', title: 'T', risk: 1, reward: 1, ...body });
    assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`);
    if (code) assert.equal(r.json.error.code, code, JSON.stringify(body));
    if (field) assert.equal(r.json.error.field, field, JSON.stringify(body));
  };
  for (const amount of ['-5', '1e3', '12.345', '99999999999999999999', ' 12', '12,50', '.5', '5.', '0x10', 'abc', '+3'])
    await bad({ amount }, 400, 'invalid_amount', 'amount');
  await bad({ amount: 12 }, 400);
  await bad({ title: '' }, 422, 'invalid', 'title');
  await bad({ title: '   ' }, 422, 'invalid', 'title');
  await bad({ title: 'x'.repeat(201) }, 422, 'invalid', 'title');
  await bad({ title: 'line\nbreak' }, 422, 'invalid', 'title');
  await bad({ domain: 'nope' }, 422, 'unknown_domain', 'domain');
  await bad({ domain: '' }, 422, 'invalid', 'domain');
  await bad({ risk: 0 }, 422, 'invalid', 'risk');
  await bad({ risk: 6 }, 422, 'invalid', 'risk');
  await bad({ reward: -1 }, 422, 'invalid', 'reward');
  await bad({ reward: 99999999999 }, 422, 'invalid', 'reward');
  await bad({ risk: '3' }, 400);
  await bad({ risk: 2.5 }, 400);
  await bad({ review_on: '2024-13-01' }, 400);
  await bad({ context: 'x'.repeat(5001) }, 422, 'invalid', 'context');
  await bad({ owner: 1 }, 400, 'unknown_field');
  const r1 = await member.post('/api/v1/decisions', { domain: 'refund', title: 'no risk' });
  assert.equal(r1.status, 422);
  assert.equal(r1.json.error.field, 'risk');
  assert.equal((await member.post('/api/v1/decisions', '{"domain":')).status, 400);
  assert.equal((await member.post('/api/v1/decisions', [])).status, 400);
  assert.equal(count(), before, 'nothing was stored');
  // the boundaries that are fine
  assert.equal((await log(member, 'refund', { amount: '200', title: 'x'.repeat(200), context: 'y'.repeat(5000), risk: 5, reward: 1 })).verdict, 'decide');
  assert.equal((await log(member, 'refund', { amount: '200.01' })).verdict, 'approve');
  assert.equal((await log(member, 'refund', { amount: '0' })).verdict, 'decide');
  assert.equal((await getD(member, (await log(member, 'refund', { amount: '0' })).id)).json.amount, '0.00', 'zero is an amount, not none');
  assert.equal((await log(member, 'refund', { amount: null })).verdict, 'decide');
});

test('decisions-15: the new decision form: the Can I? box first, then the form; errors keep what was typed', async () => {
  let r = await member.get('/decisions/new?domain=refund&amount=120');
  assert.equal(r.status, 200);
  const box = r.text.indexOf('Can I?'), form = r.text.indexOf('action="/decisions/new"');
  assert.ok(box > 0 && form > box, 'the box comes above the form');
  assert.match(r.text, /Yes: decide it/, 'the box answers for the prefilled domain and amount');
  assert.match(r.text, /<option value="refund" selected>refunds<\/option>/);
  for (const f of ['title', 'amount', 'context', 'options', 'rationale', 'risk', 'reward', 'review_on']) assert.match(r.text, new RegExp(`name="${f}"`), f);
  r = await member.get('/decisions/new');
  assert.equal(r.status, 200);
  assert.match(r.text, /Can I\?/);
  // a bad amount is a 400 with the form again, typed values kept; nothing stored
  const before = count();
  r = await member.form('/decisions/new', { domain: 'refund', title: 'Typed <title>', amount: '12.345', risk: '2', reward: '3' });
  assert.equal(r.status, 400);
  assert.match(r.text, /at most two decimals/);
  assert.match(r.text, /value="Typed &lt;title&gt;"/);
  r = await member.form('/decisions/new', { domain: 'refund', title: '', risk: '', reward: '9' });
  assert.equal(r.status, 422);
  assert.match(r.text, /short title/);
  assert.match(r.text, /Rate the risk/);
  assert.match(r.text, /Rate the reward/);
  r = await member.form('/decisions/new', { domain: 'refund', title: 'x', risk: '1', reward: '1' }, { csrf: false });
  assert.equal(r.status, 403, 'CSRF');
  assert.equal(count(), before);
  // logged and decided
  r = await member.form('/decisions/new', { domain: 'refund', title: 'Form refund', amount: ' 15 ', risk: '1', reward: '2', review_on: '' });
  assert.equal(r.status, 303, r.text);
  assert.match(location(r), /^\/decisions\/\d+\?done=created$/);
  let page = await member.get(location(r));
  assert.equal(page.status, 200);
  assert.match(page.text, /Logged and decided\./);
  const id = Number(location(r).match(/\/decisions\/(\d+)/)[1]);
  assert.equal((await getD(member, id)).json.amount, '15.00');
  // sent for approval
  r = await member.form('/decisions/new', { domain: 'refund', title: 'Big form refund', amount: '900', risk: '3', reward: '3' });
  assert.equal(r.status, 303);
  page = await member.get(location(r));
  assert.match(page.text, /Sent to Max Manager for approval\./);
  r = await member.form('/decisions/new', { domain: 'supplier', title: 'Form advice', risk: '3', reward: '3' });
  assert.match((await member.get(location(r))).text, /Sent to Max Manager for advice\./);
  r = await member.form('/decisions/new', { domain: 'discount', title: 'Form inform', risk: '1', reward: '1' });
  assert.match((await member.get(location(r))).text, /Logged and decided\. Max Manager has been told\./);
});

test('decisions-16: the decision page shows the forms each person may use, and escapes everything', async () => {
  const x = await log(member, 'rota', { title: '<script>alert(1)</script> swap', context: 'Context <script>evil()</script> and <b>bold</b>',
    rationale: 'Because [link](javascript:alert(1))' });
  const path = `/decisions/${x.id}`;
  const forms = (html, path = `/decisions/${x.id}`) => ({
    approve: html.includes(`action="${path}/approve"`), decline: html.includes(`formaction="${path}/decline"`), withdraw: html.includes(`action="${path}/withdraw"`),
    advice: html.includes(`action="${path}/advice"`), decide: html.includes(`action="${path}/decide"`), outcome: html.includes(`action="${path}/outcome"`),
  });
  let r = await member.get(path);
  assert.equal(r.status, 200);
  assert.ok(!r.text.includes('<script>alert'), 'title escaped');
  assert.ok(!r.text.includes('<script>evil'), 'context escaped');
  assert.ok(!r.text.includes('<b>bold</b>'), 'no raw HTML from markdown');
  assert.ok(!r.text.includes('href="javascript:'), 'no javascript: links');
  assert.match(r.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt; swap/);
  assert.match(r.text, /Waiting for Max Manager to agree/);
  assert.deepEqual(forms(r.text), { approve: false, decline: false, withdraw: true, advice: false, decide: false, outcome: false }, 'author, pending');
  r = await manager.get(path);
  assert.deepEqual(forms(r.text), { approve: true, decline: true, withdraw: false, advice: false, decide: false, outcome: false }, 'the approver');
  r = await owner.get(path);
  assert.equal(r.status, 200, 'owners see everything');
  assert.deepEqual(forms(r.text), { approve: false, decline: false, withdraw: false, advice: false, decide: false, outcome: false }, 'no right: no form');
  assert.equal((await outsider.get(path)).status, 404);
  // the author's form post to approve is refused
  r = await member.form(`${path}/approve`, { note: 'me' });
  assert.equal(r.status, 403);
  // the manager declines from the page: back with a flash
  r = await manager.form(`${path}/decline`, { note: 'Not this <week>' });
  assert.equal(r.status, 303);
  assert.equal(location(r), `${path}?done=declined`);
  r = await manager.get(location(r));
  assert.match(r.text, /Declined\. Mia Member has been told\./);
  assert.match(r.text, /Not this &lt;week&gt;/);
  // acting again: the page again with the conflict and 409
  r = await manager.form(`${path}/approve`, { note: 'changed my mind' });
  assert.equal(r.status, 409);
  assert.match(r.text, /not waiting for approval/);

  // advise: advisor gives advice by form, the author decides by form, then records the outcome
  const a = await log(member, 'supplier', { title: 'Page advice' });
  const ap = `/decisions/${a.id}`;
  assert.deepEqual(forms((await manager.get(ap)).text, ap), { approve: false, decline: false, withdraw: false, advice: true, decide: false, outcome: false });
  r = await manager.form(`${ap}/advice`, { advice: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Write your advice/);
  r = await manager.form(`${ap}/advice`, { advice: 'Ask for *samples*.' });
  assert.equal(r.status, 303);
  assert.match((await manager.get(location(r))).text, /Your advice has been sent to Mia Member\./);
  r = await member.get(ap);
  assert.match(r.text, /<em>samples<\/em>/, 'advice rendered as markdown');
  assert.deepEqual(forms(r.text, ap), { approve: false, decline: false, withdraw: true, advice: false, decide: true, outcome: false });
  r = await member.form(`${ap}/decide`, { note: 'Samples ordered.' });
  assert.equal(r.status, 303);
  r = await member.get(ap);
  assert.deepEqual(forms(r.text, ap), { approve: false, decline: false, withdraw: false, advice: false, decide: false, outcome: true });
  r = await member.form(`${ap}/outcome`, { outcome: 'meh', learning: 'x' });
  assert.equal(r.status, 422);
  assert.match(r.text, /good, mixed or bad/);
  assert.match(r.text, />x<\/textarea>/, 'typed lesson kept');
  r = await member.form(`${ap}/outcome`, { outcome: 'good', account: 'Better flour.', learning: 'Samples first <always>.' });
  assert.equal(r.status, 303);
  r = await member.get(location(r));
  assert.match(r.text, /Outcome recorded/);
  assert.match(r.text, /Samples first &lt;always&gt;\./);
  assert.deepEqual(forms(r.text, ap), { approve: false, decline: false, withdraw: false, advice: false, decide: false, outcome: false });
  // withdraw by form
  const w = await log(member, 'rota');
  r = await member.form(`/decisions/${w.id}/withdraw`, {});
  assert.equal(r.status, 303);
  assert.equal((await getD(member, w.id)).json.status, 'withdrawn');
});

test('decisions-17: the inbox page: sections, approve from the inbox, notifications marked read', async () => {
  const x = await log(member, 'menu', { title: 'Add a <vegan> pie' });
  let r = await manager.get('/inbox');
  assert.equal(r.status, 200);
  for (const h of ['Waiting for your answer', 'Asked for your advice', 'Ready for you to decide', 'Reviews due', 'Notifications']) assert.match(r.text, new RegExp(h), h);
  assert.match(r.text, /Add a &lt;vegan&gt; pie/);
  assert.ok(r.text.includes(`action="/decisions/${x.id}/approve"`));
  assert.match(r.text, /class="badge">new</);
  // opening the page marked every notification read
  assert.ok((await inbox(manager)).notifications.every((n) => n.read));
  r = await manager.get('/inbox');
  assert.ok(!r.text.includes('class="badge">new<'));
  // approve from the inbox: back to the inbox
  r = await manager.form(`/decisions/${x.id}/approve`, { note: 'Yes', next: 'inbox' });
  assert.equal(r.status, 303);
  assert.equal(location(r), '/inbox?done=approved');
  r = await manager.get(location(r));
  assert.match(r.text, /Approved; the author has been told\./);
  assert.ok(!r.text.includes(`action="/decisions/${x.id}/approve"`));
  // empty states
  r = await outsider.get('/inbox');
  assert.match(r.text, /Nothing waits for your approval\./);
  assert.match(r.text, /No reviews are due\./);
});

test('decisions-18: the learning library finds lessons by a word, escapes them, and shows only what the caller may see', async () => {
  const d = await log(member, 'refund', { title: 'Refund the soggy sandwich' });
  await member.post(`/api/v1/decisions/${d.id}/outcome`, { outcome: 'good', learning: 'Customers forgive quickly when the <marmalade> refund is instant.' });
  const p = await log(member, 'refund', { title: 'No outcome yet', rationale: 'marmalade' });
  let r = await member.get('/learning?q=marmalade');
  assert.equal(r.status, 200);
  assert.ok(r.text.includes(`href="/decisions/${d.id}"`), 'found by a word in the lesson');
  assert.ok(!r.text.includes(`href="/decisions/${p.id}"`), 'only decisions with an outcome');
  assert.match(r.text, /&lt;marmalade&gt;/);
  assert.ok(!r.text.includes('<marmalade>'));
  assert.match(r.text, /badge outcome-good/);
  r = await member.get('/learning?q=sogg');
  assert.ok(r.text.includes(`href="/decisions/${d.id}"`), 'prefixes match');
  r = await member.get('/learning?q=' + encodeURIComponent('soggy sandwich'));
  assert.ok(r.text.includes(`href="/decisions/${d.id}"`), 'all words must match');
  r = await member.get('/learning?q=' + encodeURIComponent('soggy zebra'));
  assert.ok(!r.text.includes(`href="/decisions/${d.id}"`));
  assert.match(r.text, /No lessons match/);
  // FTS syntax is just text
  for (const q of ['"', 'marmalade OR', 'NEAR(a b)', '*', 'a:b', '"unterminated', '(', '-x', '<script>alert(1)</script>']) {
    r = await member.get('/learning?q=' + encodeURIComponent(q));
    assert.equal(r.status, 200, q);
    assert.ok(!r.text.includes('<script>alert'), q);
  }
  // without q: the latest lessons
  r = await member.get('/learning');
  assert.ok(r.text.includes(`href="/decisions/${d.id}"`));
  // visibility: an outsider sees none of the member's lessons, the manager does
  r = await outsider.get('/learning?q=marmalade');
  assert.ok(!r.text.includes(`href="/decisions/${d.id}"`));
  r = await manager.get('/learning?q=marmalade');
  assert.ok(r.text.includes(`href="/decisions/${d.id}"`));
  r = await ownerB.get('/learning?q=marmalade');
  assert.ok(!r.text.includes(`href="/decisions/${d.id}"`));
});

test('decisions-19: the log page: filters, escaping, visibility and paging links', async () => {
  const x = await log(member, 'menu', { title: 'Log page <i>item</i>' });
  let r = await member.get('/decisions');
  assert.equal(r.status, 200);
  assert.ok(r.text.includes(`href="/decisions/${x.id}"`));
  assert.match(r.text, /Log page &lt;i&gt;item&lt;\/i&gt;/);
  for (const f of ['status', 'domain', 'person_id', 'team_id', 'from', 'to']) assert.match(r.text, new RegExp(`name="${f}"`), f);
  r = await member.get('/decisions?status=decided');
  assert.ok(!r.text.includes(`href="/decisions/${x.id}"`), 'filtered out');
  r = await member.get('/decisions?status=pending&domain=menu');
  assert.ok(r.text.includes(`href="/decisions/${x.id}"`));
  r = await member.get('/decisions?status=bogus&person_id=x&from=nope');
  assert.equal(r.status, 200, 'bad filters on the page are ignored or match nothing');
  r = await outsider.get('/decisions');
  assert.ok(!r.text.includes(`href="/decisions/${x.id}"`));
  // more than a page (50): an "Older" link that keeps the filters
  const pg = addDomain('paging', 'paging');
  sql(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 52) INSERT INTO decision(org_id, author_id, domain_id, title, risk, reward, ` +
    `verdict, status, requested_at, created_at) SELECT ${ORG}, ${ids.member}, ${pg}, 'Paged ' || i, 1, 1, 'decide', 'decided', 1700000000 + i, 0 FROM n`);
  r = await admin.get('/decisions?domain=paging');
  assert.equal((r.text.match(/>Paged \d+</g) || []).length, 50);
  assert.match(r.text, />Paged 52</);
  assert.ok(!r.text.includes('>Paged 2<'));
  const older = r.text.match(/href="(\/decisions\?after=\d+&amp;domain=paging)">Older</)[1].replace(/&amp;/g, '&');
  r = await admin.get(older);
  assert.equal(r.status, 200);
  assert.deepEqual(r.text.match(/>Paged \d+</g), ['>Paged 2<', '>Paged 1<']);
  assert.match(r.text, />Newest</);
  assert.ok(!r.text.includes('>Older<'));
  assert.equal((await admin.get('/decisions?after=abc')).status, 400);
});

test('dec-cache: the log\'s people and team lists are kept per connection, and follow every change at once', async () => {
  const page = async () => (await owner.get('/decisions')).text;
  for (let i = 0; i < 6; i++) assert.match(await page(), />Mia Member</, 'warms every server thread');
  sql("UPDATE person SET name = 'Mia <Renamed>' WHERE email_lc = 'member@a.test'");
  for (let i = 0; i < 6; i++) {
    const t = await page();
    assert.match(t, />Mia &lt;Renamed&gt;</, 'the new name, escaped, on every thread');
    assert.doesNotMatch(t, />Mia Member</);
  }
  sql("INSERT INTO team(org_id, name, created_at) VALUES (1, 'Night Bakers', 0)");
  const teamId = sql("SELECT id FROM team WHERE name = 'Night Bakers'");
  for (let i = 0; i < 6; i++) assert.match(await page(), new RegExp(`<option value="${teamId}">Night Bakers</option>`));
  const picked = (await owner.get(`/decisions?team_id=${teamId}`)).text;
  assert.match(picked, new RegExp(`<option value="${teamId}" selected>Night Bakers</option>`), 'the chosen team is selected');
  assert.equal((picked.match(/ selected>/g) || []).length, 1, 'and only that one (besides nothing else)');
  const other = (await ownerB.get('/decisions')).text;
  assert.doesNotMatch(other, /Night Bakers|Mia/, 'another organisation never sees these lists');
  sql("DELETE FROM team WHERE name = 'Night Bakers'");
  sql("UPDATE person SET name = 'Mia Member' WHERE email_lc = 'member@a.test'");
  assert.doesNotMatch(await page(), /Night Bakers/);
});

test('dec-search: the search index is brought up to date in batches, yet a search or a backup never misses a decision', async () => {
  const ftsOk = (db) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', db, "INSERT INTO decision_fts(decision_fts) VALUES('integrity-check'); SELECT 'ok';"], { encoding: 'utf8' }).trim();
  // written, then searched at once: found
  const a = await log(member, 'refund', { title: 'Refund the quokka cake' });
  assert.equal((await member.post(`/api/v1/decisions/${a.id}/outcome`, { outcome: 'good', learning: 'Quokkas like it.' })).status, 200);
  let r = await member.get('/learning?q=quokka');
  assert.ok(r.text.includes(`href="/decisions/${a.id}"`), 'found although it was written a moment ago');
  assert.equal(sql("SELECT upto >= (SELECT max(id) FROM decision) FROM search_state WHERE name = 'decision'"), '1');
  // a change to an indexed decision shows at once, the old words go
  const b = await log(member, 'refund', { title: 'Refund the wombat pie' });
  assert.equal((await member.post(`/api/v1/decisions/${b.id}/outcome`, { outcome: 'mixed', learning: 'Pies travel badly.' })).status, 200);
  await member.get('/learning?q=wombat'); // indexed now
  sql(`UPDATE decision SET title = 'Refund the numbat pie' WHERE id = ${b.id}`);
  r = await member.get('/learning?q=numbat');
  assert.ok(r.text.includes(`href="/decisions/${b.id}"`));
  r = await member.get('/learning?q=wombat');
  assert.ok(!r.text.includes(`href="/decisions/${b.id}"`), 'the old title is gone from the index');
  // decisions written just before a backup are in the backup's index, which is sound
  const c = await log(member, 'refund', { title: 'Refund the platypus tart' });
  const to = join(srv.dir, `search-backup-${Date.now()}.db`);
  const bk = remit(['backup', '--db', srv.db, '--to', to]);
  assert.equal(bk.code, 0, bk.stderr);
  assert.equal(ftsOk(to), 'ok');
  const found = execFileSync('sqlite3', [to, "SELECT rowid FROM decision_fts WHERE decision_fts MATCH 'platypus'"], { encoding: 'utf8' }).trim();
  assert.equal(found, String(c.id));
  // and the server's own index, brought up to date in the background, is sound
  for (let i = 0; i < 40 && sql("SELECT upto < (SELECT max(id) FROM decision) FROM search_state") === '1'; i++) await new Promise((res) => setTimeout(res, 100));
  assert.equal(sql("SELECT upto = (SELECT max(id) FROM decision) FROM search_state"), '1', 'caught up within seconds without a search');
  assert.equal(ftsOk(srv.db), 'ok');
});

test('dec-inbox-cap: a long queue shows its oldest 50 on the page (the API gives up to 200), and says so', async () => {
  const dom = addDomain('inboxcap', 'inbox cap');
  const boss = addPerson('boss.cap@a.test', 'Bea Boss', { access: 'manager' });
  const rows = [];
  for (let i = 0; i < 57; i++) rows.push(`(${ORG}, ${ids.member}, ${dom}, 'Queued ${i}', 2, 3, 'approve', 'pending', ${boss}, ${1700000000 + i}, ${1700000000 + i})`);
  sql(`INSERT INTO decision(org_id, author_id, domain_id, title, risk, reward, verdict, status, route_to_id, requested_at, created_at) VALUES ${rows.join(',')}`);
  const bossClient = await srv.login('boss.cap@a.test');
  const page = (await bossClient.get('/inbox')).text;
  assert.equal((page.match(/action="\/decisions\/\d+\/approve"/g) || []).length, 50, 'fifty approve forms');
  assert.match(page, /The oldest 50 are shown; answering them brings the next\./);
  assert.match(page, />Queued 0</, 'oldest first');
  assert.doesNotMatch(page, />Queued 56</);
  const api = await bossClient.get('/api/v1/inbox');
  assert.equal(api.status, 200);
  assert.equal(api.json.approvals.length, 57, 'the API lists them all');
  sql(`DELETE FROM decision WHERE domain_id = ${dom}`);
});
