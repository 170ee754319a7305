// recognition.test.mjs: recognition tied to values (src/recognition.c)
// through the real binary: who sees public and private recognition (API and
// pages), cites checked with their source's rule, +1 once each, bad input
// answered 4xx with nothing changed, the monthly prompt to managers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, remit, USERS } from './lib.mjs';

let srv, owner, admin, manager, member, other;
const ids = {};
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const count = (t) => Number(sql(`SELECT count(*) FROM ${t}`));
const VALUES = ['Craft before speed', 'Waste nothing'];

before(async () => {
  srv = await startServer();
  [owner, admin, manager, member, other] = await Promise.all([srv.login(USERS.owner), srv.login(USERS.admin), srv.login(USERS.manager), srv.login(USERS.member), srv.login(USERS.other)]);
  for (const [k, c] of Object.entries({ owner, admin, manager, member })) ids[k] = (await c.get('/api/v1/session')).json.person.id;
  assert.equal((await owner.patch('/api/v1/org', { values: VALUES })).status, 200);
});
after(async () => { await srv.stop(); });

test('recognition: the monthly prompt names the reports nobody recognised for 60 days, once a month', () => {
  const r0 = remit(['notify', 'run', '--db', srv.db]);
  assert.equal(r0.code, 0, r0.stderr);
  assert.equal(count(`notification WHERE kind = 'recognition.prompt'`), 0, 'nobody who joined less than 60 days ago is named');
  sql('UPDATE person SET created_at = created_at - 90 * 86400; DELETE FROM recognition_prompt'); // (the month was checked; a new month checks again)
  const r1 = remit(['notify', 'run', '--db', srv.db]);
  assert.equal(r1.code, 0, r1.stderr);
  const prompts = sql(`SELECT person_id || '|' || text FROM notification WHERE kind = 'recognition.prompt'`).split('\n').filter(Boolean);
  assert.equal(prompts.length, 1, 'only the manager with a report is prompted');
  assert.match(prompts[0], new RegExp(`^${ids.manager}\\|Nobody has recognised Mia Member for 60 days`));
  assert.doesNotMatch(prompts[0], /\d+ (times|recognitions)/, 'a prompt, never a count');
  remit(['notify', 'run', '--db', srv.db]);
  assert.equal(count(`notification WHERE kind = 'recognition.prompt'`), 1, 'once a month');
});

test('recognition: a public one is in everyone\'s feed, tells the recipient and the chat, and filters by person, team and value', async () => {
  const r = await admin.post('/api/v1/recognitions', { recipient_ids: [ids.member], values: ['Waste nothing'], body: 'Saved **40 loaves** by freezing the dough.', visibility: 'public' });
  assert.equal(r.status, 201, r.text);
  ids.pub = r.json.id;
  assert.equal(r.json.giver.id, ids.admin);
  assert.deepEqual(r.json.recipients.map((p) => p.id), [ids.member]);
  assert.deepEqual(r.json.values, ['Waste nothing']);
  assert.equal(r.json.plus_ones, 0);
  assert.equal(count(`notification WHERE kind = 'recognition.received' AND person_id = ${ids.member}`), 1);
  for (const c of [owner, manager, member]) {
    const list = await c.get('/api/v1/recognitions');
    assert.ok(list.json.items.some((x) => x.id === ids.pub));
  }
  assert.equal((await member.get(`/api/v1/recognitions?person_id=${ids.member}`)).json.items.length, 1);
  assert.equal((await member.get(`/api/v1/recognitions?person_id=${ids.owner}`)).json.items.length, 0);
  assert.equal((await member.get(`/api/v1/recognitions?value=${encodeURIComponent('Waste nothing')}`)).json.items.length, 1);
  assert.equal((await member.get(`/api/v1/recognitions?value=${encodeURIComponent('Craft before speed')}`)).json.items.length, 0);
  assert.equal((await member.get('/api/v1/recognitions?person_id=x')).status, 400);
  const page = await owner.get('/recognitions');
  assert.equal(page.status, 200);
  assert.match(page.text, /40 loaves/);
  assert.equal((await other.get(`/api/v1/recognitions/${ids.pub}`)).status, 404, 'another organisation sees nothing');
  assert.equal((await other.get('/api/v1/recognitions')).json.items.length, 0);
});

test('recognition: a private one is seen by the giver, the recipients and their managers only', async () => {
  const r = await owner.post('/api/v1/recognitions', { recipient_ids: [ids.member], values: ['Craft before speed'], body: 'Quiet thanks for the night shift.', visibility: 'private' });
  assert.equal(r.status, 201, r.text);
  ids.priv = r.json.id;
  for (const c of [owner, member, manager]) {
    assert.equal((await c.get(`/api/v1/recognitions/${ids.priv}`)).status, 200);
    assert.ok((await c.get('/api/v1/recognitions')).json.items.some((x) => x.id === ids.priv));
  }
  // the admin is neither giver, recipient nor the recipient's manager
  assert.equal((await admin.get(`/api/v1/recognitions/${ids.priv}`)).status, 404);
  assert.ok(!(await admin.get('/api/v1/recognitions')).json.items.some((x) => x.id === ids.priv));
  assert.equal((await admin.get(`/recognitions/${ids.priv}`)).status, 404);
  assert.doesNotMatch((await admin.get('/recognitions')).text, /night shift/);
  assert.match((await manager.get('/recognitions')).text, /night shift/);
  assert.equal(count(`notification WHERE kind = 'recognition.received' AND person_id = ${ids.member}`), 2);
});

test('recognition: a team is recognised through its members; cites only what the giver may see, titles only for those who may see them', async () => {
  const team = (await owner.post('/api/v1/teams', { name: 'Ovens' })).json;
  assert.ok(team.id);
  sql(`UPDATE person SET team_id = ${team.id} WHERE id IN (${ids.member}, ${ids.manager})`);
  const domain = Number(sql(`INSERT INTO domain(org_id,slug,label,risk,created_at) VALUES(1,'flour','Flour','low',0); SELECT last_insert_rowid();`));
  const decision = Number(sql(`INSERT INTO decision(org_id,author_id,domain_id,title,risk,reward,verdict,status,requested_at,created_at) VALUES(1,${ids.admin},${domain},'Switch to the local mill',1,1,'decide','decided',0,0); SELECT last_insert_rowid();`));
  assert.equal((await member.get(`/api/v1/decisions/${decision}`)).status, 404, 'precondition: the member may not see the decision');
  assert.equal((await owner.get(`/api/v1/decisions/${decision}`)).status, 200);
  const before = count('recognition');
  const bad = await member.post('/api/v1/recognitions', { team_id: team.id, values: ['Waste nothing'], body: 'x', cites: [{ kind: 'decision', id: decision }] });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.error.field, 'cites');
  assert.equal(count('recognition'), before);
  const r = await owner.post('/api/v1/recognitions', { team_id: team.id, values: ['Waste nothing'], body: 'The ovens team made the switch work.', cites: [{ kind: 'decision', id: decision }] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.team.id, team.id);
  assert.deepEqual(r.json.recipients.map((p) => p.id).sort(), [ids.manager, ids.member].sort());
  assert.deepEqual(r.json.cites, [{ kind: 'decision', id: decision, title: 'Switch to the local mill' }]);
  const seen = (await member.get(`/api/v1/recognitions/${r.json.id}`)).json;
  assert.deepEqual(seen.cites, [{ kind: 'decision', id: decision, title: null }], 'no title for a viewer who may not see the decision');
  assert.doesNotMatch((await member.get(`/recognitions/${r.json.id}`)).text, /local mill/);
  assert.match((await owner.get(`/recognitions/${r.json.id}`)).text, /local mill/);
  assert.equal((await member.get(`/api/v1/recognitions?team_id=${team.id}`)).json.items.length >= 1, true);
});

test('recognition: +1 once each, by others only', async () => {
  const p1 = await owner.post(`/api/v1/recognitions/${ids.pub}/plus-one`);
  assert.equal(p1.status, 200, p1.text);
  assert.equal(p1.json.plus_ones, 1);
  assert.equal(p1.json.plus_oned, true);
  assert.equal((await owner.post(`/api/v1/recognitions/${ids.pub}/plus-one`)).json.plus_ones, 1, 'once however often sent');
  assert.equal((await admin.post(`/api/v1/recognitions/${ids.pub}/plus-one`)).status, 403, 'not the giver');
  assert.equal((await member.post(`/api/v1/recognitions/${ids.pub}/plus-one`)).status, 403, 'not a recipient');
  assert.equal((await admin.post(`/api/v1/recognitions/${ids.priv}/plus-one`)).status, 404, 'not who may not see it');
  assert.equal((await manager.form(`/recognitions/${ids.pub}/plus-one`, { back: '/recognitions' })).status, 303);
  assert.equal(count(`recognition_plus WHERE recognition_id = ${ids.pub}`), 2);
});

test('recognition: bad input gets a clear 4xx and changes nothing', async () => {
  const n = count('recognition'), m = count('recognition_recipient'), notes = count('notification');
  const good = { recipient_ids: [ids.member], values: ['Waste nothing'], body: 'Thanks', visibility: 'public' };
  const cases = [
    [{ ...good, values: [] }, 422, 'values'],
    [{ ...good, values: ['Speed over craft'] }, 422, 'values'],
    [{ ...good, recipient_ids: [] }, 422, 'recipient_ids'],
    [{ ...good, recipient_ids: [ids.admin] }, 422, 'recipient_ids'], // admin is the caller: not yourself
    [{ ...good, recipient_ids: [999999] }, 422, 'recipient_ids'],
    [{ ...good, body: '   ' }, 422, 'body'],
    [{ ...good, body: 'x'.repeat(2001) }, 422, 'body'],
    [{ ...good, visibility: 'secret' }, 422, 'visibility'],
    [{ ...good, team_id: 999999 }, 422, 'team_id'],
    [{ ...good, cites: [{ kind: 'report', id: 1 }] }, 422, 'cites'],
    [{ ...good, cites: [{ kind: 'idea', id: 999999 }] }, 422, 'cites'],
    [{ ...good, cites: 'idea 1' }, 400, null],
    [{ ...good, recipient_ids: ['x'] }, 400, null],
    [{ ...good, points: 10 }, 400, null],
  ];
  for (const [body, status, field] of cases) {
    const r = await admin.post('/api/v1/recognitions', body);
    assert.equal(r.status, status, JSON.stringify(body) + ' ' + r.text);
    if (field) assert.equal(r.json.error.field, field, JSON.stringify(body));
  }
  assert.equal((await admin.req('POST', '/api/v1/recognitions', { body: 'x', headers: { 'content-type': 'text/plain' } })).status, 415);
  const form = await admin.form('/recognitions', { recipient_ids: String(ids.member), body: 'no values' });
  assert.equal(form.status, 422);
  assert.match(form.text, /Tag at least one/);
  assert.equal(count('recognition'), n);
  assert.equal(count('recognition_recipient'), m);
  assert.equal(count('notification'), notes);
});

test('recognition: the form recognises several colleagues and returns to the feed', async () => {
  const f = new URLSearchParams([['recipient_ids', String(ids.member)], ['recipient_ids', String(ids.manager)], ['values', 'Craft before speed'], ['body', 'Rescued the wedding cake order.'], ['visibility', 'public'], ['csrf_token', admin.csrf]]);
  const r = await admin.req('POST', '/recognitions', { csrf: false, body: f.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 303, r.text);
  const last = (await member.get('/api/v1/recognitions?limit=1')).json.items[0];
  assert.match(last.body, /wedding cake/);
  assert.deepEqual(last.recipients.map((p) => p.id).sort(), [ids.manager, ids.member].sort());
});
