// oneonone.test.mjs: one-to-ones between a manager and a direct report
// (src/oneonone.c): the shared agenda, private notes that the other side,
// admins and owners never see (pages, API, notifications, rows), actions
// through the action items service, the rhythm and the day-before reminder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, remit, USERS } from './lib.mjs';

let srv, owner, admin, manager, member, other;
const ids = {};
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const count = (t) => Number(sql(`SELECT count(*) FROM ${t}`));
const day = (n) => new Date(Date.now() + n * 86400e3).toISOString().slice(0, 10);
const MGR_NOTE = 'Mia seems tired; ask about the rota gently';
const REP_NOTE = 'Want to raise the pay review next time';

before(async () => {
  srv = await startServer();
  [owner, admin, manager, member, other] = await Promise.all([srv.login(USERS.owner), srv.login(USERS.admin), srv.login(USERS.manager), srv.login(USERS.member), srv.login(USERS.other)]);
  for (const [k, c] of Object.entries({ owner, admin, manager, member })) ids[k] = (await c.get('/api/v1/session')).json.person.id;
});
after(async () => { await srv.stop(); });

test('one-to-ones: only a manager sets one up with a direct report, once', async () => {
  assert.equal((await member.post('/api/v1/one-to-ones', { report_id: ids.manager })).status, 422, 'the member manages nobody');
  assert.equal((await admin.post('/api/v1/one-to-ones', { report_id: ids.member })).status, 422, 'not the admin\'s report');
  assert.equal((await manager.post('/api/v1/one-to-ones', { report_id: ids.member, rhythm: 'daily' })).json.error.field, 'rhythm');
  assert.equal((await manager.post('/api/v1/one-to-ones', { report_id: ids.member, next_on: day(-3) })).json.error.field, 'next_on');
  assert.equal(count('one_to_one'), 0);
  const r = await manager.post('/api/v1/one-to-ones', { report_id: ids.member, rhythm: 'biweekly', next_on: day(1) });
  assert.equal(r.status, 201, r.text);
  ids.oo = r.json.id;
  assert.equal(r.json.next_on, day(1));
  assert.equal((await manager.post('/api/v1/one-to-ones', { report_id: ids.member })).status, 409);
  assert.equal(count(`notification WHERE kind = 'oneonone.setup' AND person_id = ${ids.member}`), 1);
  assert.match((await manager.get('/one-to-ones')).text, /Mia Member/);
  assert.match((await member.get('/one-to-ones')).text, new RegExp(`/one-to-ones/${ids.oo}`));
});

test('one-to-ones: the agenda is shared, each side\'s notes are its own; admins and owners see neither', async () => {
  assert.equal((await manager.post(`/api/v1/one-to-ones/${ids.oo}/items`, { text: 'The new oven schedule' })).status, 201);
  assert.equal((await member.post(`/api/v1/one-to-ones/${ids.oo}/items`, { text: 'Training budget' })).status, 201);
  assert.equal((await manager.post(`/api/v1/one-to-ones/${ids.oo}/notes`, { body: MGR_NOTE })).status, 201);
  const f = await member.form(`/one-to-ones/${ids.oo}/notes`, { body: REP_NOTE });
  assert.equal(f.status, 303);
  const m = (await manager.get(`/api/v1/one-to-ones/${ids.oo}`)).json, p = (await member.get(`/api/v1/one-to-ones/${ids.oo}`)).json;
  assert.deepEqual(m.agenda.map((i) => i.text).sort(), ['The new oven schedule', 'Training budget']);
  assert.deepEqual(p.agenda.map((i) => i.text).sort(), ['The new oven schedule', 'Training budget']);
  assert.deepEqual(m.my_notes.map((n) => n.body), [MGR_NOTE]);
  assert.deepEqual(p.my_notes.map((n) => n.body), [REP_NOTE]);
  const mp = (await manager.get(`/one-to-ones/${ids.oo}`)).text, pp = (await member.get(`/one-to-ones/${ids.oo}`)).text;
  assert.ok(mp.includes('ask about the rota') && !mp.includes('pay review'));
  assert.ok(pp.includes('pay review') && !pp.includes('ask about the rota'));
  for (const c of [owner, admin, other]) {
    assert.equal((await c.get(`/api/v1/one-to-ones/${ids.oo}`)).status, 404);
    assert.equal((await c.get(`/one-to-ones/${ids.oo}`)).status, 404);
    assert.equal((await c.post(`/api/v1/one-to-ones/${ids.oo}/notes`, { body: 'x' })).status, 404);
    for (const path of ['/one-to-ones', '/api/v1/one-to-ones', '/', '/api/v1/home', '/audit', '/api/v1/audit', '/api/v1/actions', '/actions', `/people/${ids.member}`]) {
      const t = (await c.get(path)).text;
      assert.ok(!t.includes('rota gently') && !t.includes('pay review'), `${path} shows a note`);
    }
  }
  // the rows: notes are never in a notification, the audit log or the outbox
  for (const t of ['notification WHERE text', 'audit WHERE detail', 'outbox WHERE payload'])
    assert.equal(count(`${t} LIKE '%rota gently%' OR ${t.split(' WHERE ')[1]} LIKE '%pay review%'`), 0, t);
  assert.equal(sql(`SELECT group_concat(DISTINCT author_id) FROM one_to_one_note WHERE body LIKE '%rota%'`), String(ids.manager));
});

test('one-to-ones: an agenda item is ticked, an action goes through the action items service, the rhythm gives the next date', async () => {
  const items = (await member.get(`/api/v1/one-to-ones/${ids.oo}`)).json.agenda;
  const it = items.find((i) => i.text === 'Training budget');
  const t = await manager.patch(`/api/v1/one-to-ones/${ids.oo}/items/${it.id}`, { done: true });
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.agenda.find((i) => i.id === it.id).done, true);
  assert.equal((await manager.patch(`/api/v1/one-to-ones/${ids.oo}/items/999999`, { done: true })).status, 404);
  const a = await manager.post(`/api/v1/one-to-ones/${ids.oo}/actions`, { title: 'Book the pastry course', owner_id: ids.member, due_on: day(14) });
  assert.equal(a.status, 201, a.text);
  assert.equal(a.json.actions[0].title, 'Book the pastry course');
  const act = Number(sql(`SELECT id FROM action_item WHERE source_kind = 'one_to_one' AND source_id = ${ids.oo}`));
  assert.equal(sql(`SELECT owner_id FROM action_item WHERE id = ${act}`), String(ids.member));
  assert.ok((await member.get('/api/v1/actions')).json.items.some((x) => x.id === act), 'the owner sees it in their actions');
  assert.equal((await manager.post(`/api/v1/one-to-ones/${ids.oo}/actions`, { title: 'x', owner_id: ids.owner })).json.error.field, 'owner_id');
  const p = await member.patch(`/api/v1/one-to-ones/${ids.oo}`, { rhythm: 'monthly', next_on: '2027-01-31' });
  assert.equal(p.status, 200, p.text);
  const h = await manager.post(`/api/v1/one-to-ones/${ids.oo}/held`);
  assert.equal(h.json.next_on, '2027-02-28', 'a month on, at the end of a shorter month');
  await manager.patch(`/api/v1/one-to-ones/${ids.oo}`, { rhythm: 'weekly', next_on: day(0) });
  assert.equal((await manager.form(`/one-to-ones/${ids.oo}/held`, {})).status, 303);
  assert.equal((await manager.get(`/api/v1/one-to-ones/${ids.oo}`)).json.next_on, day(7));
});

test('one-to-ones: both are reminded the day before, once', async () => {
  await manager.patch(`/api/v1/one-to-ones/${ids.oo}`, { rhythm: 'biweekly', next_on: day(1) });
  const n0 = count(`notification WHERE kind = 'oneonone.reminder'`);
  assert.equal(remit(['notify', 'run', '--db', srv.db]).code, 0);
  assert.equal(sql(`SELECT group_concat(person_id) FROM (SELECT person_id FROM notification WHERE kind = 'oneonone.reminder' ORDER BY person_id)`),
    [ids.manager, ids.member].sort((x, y) => x - y).join(','));
  remit(['notify', 'run', '--db', srv.db]);
  assert.equal(count(`notification WHERE kind = 'oneonone.reminder'`), n0 + 2, 'once per date');
});

test('one-to-ones: bad input gets a clear 4xx and changes nothing', async () => {
  const items = count('one_to_one_item'), notes = count('one_to_one_note'), acts = count('action_item');
  const cases = [
    [`/api/v1/one-to-ones/${ids.oo}/items`, { text: '' }, 422, 'text'],
    [`/api/v1/one-to-ones/${ids.oo}/items`, { text: 'x'.repeat(501) }, 422, 'text'],
    [`/api/v1/one-to-ones/${ids.oo}/items`, { text: 'x', private: true }, 400],
    [`/api/v1/one-to-ones/${ids.oo}/notes`, { body: ' ' }, 422, 'body'],
    [`/api/v1/one-to-ones/${ids.oo}/actions`, { title: '' }, 422, 'title'],
    [`/api/v1/one-to-ones/${ids.oo}/actions`, { title: 'x', due_on: 'soon' }, 400],
  ];
  for (const [p, body, status, field] of cases) {
    const r = await member.post(p, body);
    assert.equal(r.status, status, `${p} ${JSON.stringify(body)} ${r.text}`);
    if (field) assert.equal(r.json.error.field, field);
  }
  assert.equal((await member.req('POST', `/api/v1/one-to-ones/${ids.oo}/items`, { body: 'x', headers: { 'content-type': 'text/plain' } })).status, 415);
  assert.equal((await member.patch(`/api/v1/one-to-ones/${ids.oo}`, { rhythm: 'hourly' })).status, 422);
  const form = await member.form(`/one-to-ones/${ids.oo}/items`, { text: '' });
  assert.equal(form.status, 422);
  assert.equal(count('one_to_one_item'), items);
  assert.equal(count('one_to_one_note'), notes);
  assert.equal(count('action_item'), acts);
});
