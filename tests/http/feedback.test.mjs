// feedback.test.mjs: feedback goes to its recipient alone (src/feedback.c):
// not their manager, not admins, not owners, on every page, API answer, CSV
// and notification, until the recipient shares one with their manager.
// Requests for feedback show on the asked person's home; bad input changes
// nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, USERS } from './lib.mjs';

let srv, owner, admin, manager, member, other;
const ids = {};
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const count = (t) => Number(sql(`SELECT count(*) FROM ${t}`));
const SECRET = 'Your pricing talk lost the room after minute five';

before(async () => {
  srv = await startServer();
  [owner, admin, manager, member, other] = await Promise.all([srv.login(USERS.owner), srv.login(USERS.admin), srv.login(USERS.manager), srv.login(USERS.member), srv.login(USERS.other)]);
  for (const [k, c] of Object.entries({ owner, admin, manager, member })) ids[k] = (await c.get('/api/v1/session')).json.person.id;
});
after(async () => { await srv.stop(); });

// nowhere: the text is in no answer of these clients on these paths
async function nowhere(clients, paths, text) {
  for (const [name, c] of Object.entries(clients))
    for (const p of paths) {
      const r = await c.get(p);
      assert.ok(!r.text.includes(text), `${name} GET ${p} shows it (${r.status})`);
    }
}

test('feedback: given unasked, only the recipient and the giver see it; the manager, admins and owners do not', async () => {
  const r = await admin.post('/api/v1/feedback', { recipient_id: ids.member, about: 'the supplier meeting', body: SECRET });
  assert.equal(r.status, 201, r.text);
  ids.fb = r.json.id;
  assert.equal(r.json.shared_with_manager, false);
  assert.equal((await member.get(`/api/v1/feedback/${ids.fb}`)).status, 200);
  assert.ok((await member.get('/api/v1/feedback')).json.items.some((f) => f.id === ids.fb));
  assert.ok((await admin.get('/api/v1/feedback?box=given')).json.items.some((f) => f.id === ids.fb), 'the giver sees what they gave');
  assert.match((await member.get('/feedback')).text, /lost the room/);
  for (const c of [owner, manager, other]) assert.equal((await c.get(`/api/v1/feedback/${ids.fb}`)).status, 404);
  const paths = ['/feedback', '/api/v1/feedback', '/api/v1/feedback?box=shared', '/api/v1/feedback?box=given', '/api/v1/feedback?box=received', '/api/v1/feedback?format=csv',
    '/', '/api/v1/home', `/people/${ids.member}`, `/api/v1/people/${ids.member}`, '/audit', '/api/v1/audit', '/actions'];
  await nowhere({ owner, manager, other }, paths, 'lost the room');
  // the rows: one notification, to the member, without the text
  assert.equal(sql(`SELECT group_concat(person_id) FROM notification WHERE kind LIKE 'feedback%'`), String(ids.member));
  assert.equal(count(`notification WHERE text LIKE '%lost the room%'`), 0);
  assert.equal(count(`audit WHERE detail LIKE '%lost the room%'`), 0);
  assert.equal(count(`outbox WHERE payload LIKE '%lost the room%'`), 0);
});

test('feedback: the recipient shares one with their manager, who then sees that one (and only while shared)', async () => {
  assert.equal((await admin.put(`/api/v1/feedback/${ids.fb}/share`)).status, 403, 'the giver may not share it');
  assert.equal((await manager.put(`/api/v1/feedback/${ids.fb}/share`)).status, 404);
  const other2 = await admin.post('/api/v1/feedback', { recipient_id: ids.member, body: 'Second note, never shared' });
  assert.equal(other2.status, 201);
  const s = await member.put(`/api/v1/feedback/${ids.fb}/share`);
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.shared_with_manager, true);
  assert.equal((await manager.get(`/api/v1/feedback/${ids.fb}`)).status, 200);
  const shared = (await manager.get('/api/v1/feedback?box=shared')).json.items;
  assert.deepEqual(shared.map((f) => f.id), [ids.fb]);
  assert.match((await manager.get('/feedback')).text, /lost the room/);
  assert.doesNotMatch((await manager.get('/feedback')).text, /never shared/);
  assert.equal(count(`notification WHERE kind = 'feedback.shared' AND person_id = ${ids.manager}`), 1);
  await nowhere({ owner, other }, ['/feedback', '/api/v1/feedback?box=shared'], 'lost the room');
  assert.equal((await owner.get(`/api/v1/feedback/${ids.fb}`)).status, 404);
  // stop sharing (the form's way)
  const f = await member.form(`/feedback/${ids.fb}/share`, { share: '0' });
  assert.equal(f.status, 303);
  assert.equal((await manager.get(`/api/v1/feedback/${ids.fb}`)).status, 404);
  assert.doesNotMatch((await manager.get('/feedback')).text, /lost the room/);
});

test('feedback: a request shows on the asked person\'s home; answering sends it to the asker; once', async () => {
  const q = await member.post('/api/v1/feedback-requests', { asked_id: ids.owner, about: 'my first catering order' });
  assert.equal(q.status, 201, q.text);
  const home = (await owner.get('/api/v1/home')).json;
  assert.ok(JSON.stringify(home).includes('feedback_requests'), 'on the asked person\'s home');
  assert.match((await owner.get('/feedback')).text, /my first catering order/);
  assert.equal((await member.post(`/api/v1/feedback-requests/${q.json.id}/decline`)).status, 403, 'the asker cannot decline');
  const a = await owner.form('/feedback', { request_id: String(q.json.id), body: 'The order was perfect; next time confirm the time twice.' });
  assert.equal(a.status, 303, a.text);
  const got = (await member.get('/api/v1/feedback')).json.items.find((f) => f.request_id === q.json.id);
  assert.ok(got);
  assert.equal(got.giver.id, ids.owner);
  assert.equal(got.about, 'my first catering order');
  assert.equal((await member.get('/api/v1/feedback-requests?box=mine')).json.items[0].status, 'answered');
  const again = await owner.post('/api/v1/feedback', { request_id: q.json.id, body: 'again' });
  assert.equal(again.status, 409);
  assert.equal((await manager.get(`/api/v1/feedback/${got.id}`)).status, 404, 'not the manager of the asker');
});

test('feedback: bad input gets a clear 4xx and changes nothing', async () => {
  const n = count('feedback'), q = count('feedback_request'), notes = count('notification');
  const cases = [
    ['/api/v1/feedback', { recipient_id: ids.member }, 422, 'body'],
    ['/api/v1/feedback', { recipient_id: ids.member, body: '  ' }, 422, 'body'],
    ['/api/v1/feedback', { recipient_id: ids.admin, body: 'me' }, 422, 'recipient_id'],
    ['/api/v1/feedback', { recipient_id: 99999, body: 'x' }, 422, 'recipient_id'],
    ['/api/v1/feedback', { body: 'x' }, 422, 'recipient_id'],
    ['/api/v1/feedback', { request_id: 99999, body: 'x' }, 422, 'request_id'],
    ['/api/v1/feedback', { recipient_id: ids.member, body: 'x'.repeat(5001) }, 422, 'body'],
    ['/api/v1/feedback', { recipient_id: ids.member, body: 'x', about: 'a\nb' }, 422, 'about'],
    ['/api/v1/feedback', { recipient_id: ids.member, body: 'x', score: 3 }, 400],
    ['/api/v1/feedback-requests', { asked_id: ids.admin, about: 'x' }, 422, 'asked_id'],
    ['/api/v1/feedback-requests', { asked_id: ids.member, about: '' }, 422, 'about'],
  ];
  for (const [p, body, status, field] of cases) {
    const r = await admin.post(p, body);
    assert.equal(r.status, status, `${p} ${JSON.stringify(body)} ${r.text}`);
    if (field) assert.equal(r.json.error.field, field);
  }
  assert.equal((await admin.req('POST', '/api/v1/feedback', { body: 'x', headers: { 'content-type': 'text/plain' } })).status, 415);
  assert.equal((await admin.get('/api/v1/feedback?box=all')).status, 400);
  const form = await admin.form('/feedback', { recipient_id: String(ids.member), body: '' });
  assert.equal(form.status, 422);
  assert.match(form.text, /Write the feedback first/);
  assert.equal(count('feedback'), n);
  assert.equal(count('feedback_request'), q);
  assert.equal(count('notification'), notes);
});
