// wiring.test.mjs: where the parts meet: a recognition citing a report or a
// shared review (named reports only: thanking the author of a confidential
// or anonymous one would name them), the KPIs counted from reports, action
// items and recognition, the fairness audit's "recognition received", and
// the eNPS stored at close for the evidence part.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, USERS } from './lib.mjs';

let srv, owner, admin, member;
const ids = {};
const q = (sql) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, sql], { encoding: 'utf8' }).trim();
const today = new Date().toISOString().slice(0, 10);
const month = today.slice(0, 7);
const base = { kind: 'near_miss', body: 'The seed tubs look the same.', happened_on: today, harm: 'none', category: 'food safety' };

before(async () => {
  srv = await startServer();
  [owner, admin, member] = [srv.bearer(USERS.owner), srv.bearer(USERS.admin), srv.bearer(USERS.member)];
  for (const [k, c] of Object.entries({ owner, admin, member })) ids[k] = (await c.get('/api/v1/session')).json.person.id;
  assert.equal((await owner.patch('/api/v1/org', { values: ['Waste nothing'] })).status, 200);
  // six more people, so that the organisation's figures are above k = 5
  const now = Math.floor(Date.now() / 1000) - 40 * 86400;
  for (let i = 0; i < 6; i++) q(`INSERT INTO person(org_id, name, email, email_lc, access, status, created_at) VALUES (1, 'W${i}', 'w${i}@a.test', 'w${i}@a.test', 'member', 'active', ${now})`);
});
after(async () => { await srv.stop(); });

test('wiring-1: a recognition may cite a named report, never a confidential or anonymous one', async () => {
  const named = await member.post('/api/v1/reports', { ...base, identity: 'named' });
  const conf = await member.post('/api/v1/reports', { ...base, identity: 'confidential' });
  assert.equal(named.status, 201, named.text);
  assert.equal(conf.status, 201, conf.text);
  const before = q('SELECT count(*) FROM recognition');
  const ok = await admin.post('/api/v1/recognitions', { recipient_ids: [ids.member], values: ['Waste nothing'], body: 'Thanks for reporting the tubs.', visibility: 'public',
    cites: [{ kind: 'report', id: named.json.id }] });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.cites[0].kind, 'report');
  assert.equal(ok.json.cites[0].title, `food safety, ${today}`);
  const page = await member.get(`/recognitions/${ok.json.id}`);
  assert.match(page.text, new RegExp(`href="/reports/${named.json.id}"`));
  const bad = await admin.post('/api/v1/recognitions', { recipient_ids: [ids.member], values: ['Waste nothing'], body: 'Thanks.', visibility: 'public',
    cites: [{ kind: 'report', id: conf.json.id }] });
  assert.equal(bad.status, 422, bad.text);
  assert.equal(bad.json.error.field, 'cites');
  assert.equal(q('SELECT count(*) FROM recognition'), String(Number(before) + 1), 'the refused one wrote nothing');
  const kind = await admin.post('/api/v1/recognitions', { recipient_ids: [ids.member], values: ['Waste nothing'], body: 'Thanks.', visibility: 'public',
    cites: [{ kind: 'review', id: 999999 }] });
  assert.equal(kind.status, 422, 'a review that is not shared cannot be cited');
});

test('wiring-2: reports, recognition and actions closed on time are KPIs counted from their own rows', async () => {
  // two actions due today: one done, one open (before any KPI is read: the
  // monthly facts are cached per connection for ten minutes)
  const a1 = await admin.post('/api/v1/actions', { title: 'Label the tubs', owner_id: ids.admin, due_on: today });
  const a2 = await admin.post('/api/v1/actions', { title: 'Move the tubs', owner_id: ids.admin, due_on: today });
  assert.equal(a1.status, 201, a1.text);
  assert.equal(a2.status, 201, a2.text);
  assert.equal((await admin.patch(`/api/v1/actions/${a1.json.id}`, { status: 'done' })).status, 200);
  const kpis = (await owner.get('/api/v1/kpis')).json.items;
  const k = (slug) => kpis.find((x) => x.slug === slug);
  for (const s of ['reports', 'recognition', 'actions_on_time']) assert.ok(k(s), s);
  const get = async (slug) => (await owner.get(`/api/v1/kpis/${k(slug).id}/series?from=${month}&to=${month}`)).json.items[0];
  const hc = Number(q("SELECT count(*) FROM person WHERE org_id = 1 AND status <> 'left'"));
  const rep = await get('reports');
  assert.equal(rep.hidden ?? false, false, JSON.stringify(rep));
  assert.ok(rep.value > 0, JSON.stringify(rep));
  const rec = await get('recognition');
  assert.ok(rec.value > 0 && rec.value <= 1, JSON.stringify(rec));
  const on = await get('actions_on_time');
  assert.equal(on.value, 50, JSON.stringify(on));
  assert.ok(hc >= 5);
});

test('wiring-3: the fairness audit counts recognition received', async () => {
  const r = await owner.get('/api/v1/fairness');
  assert.equal(r.status, 200, r.text);
  const p = r.json.processes.find((x) => x.key === 'recognition');
  assert.ok(p, 'a recognition process');
  assert.equal(p.name, 'Recognition received');
  assert.ok(p.eligible >= 5 && p.success >= 1, JSON.stringify({ e: p.eligible, s: p.success }));
});
