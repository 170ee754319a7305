// review360.test.mjs: 360 reviews (src/review360.c, review360calc.c)
// through the real binary: who may start one, peers' and reports' ratings
// stored without rater or time (checked on the rows), shown only as groups
// of three (folded, refused), the manager's attributed; the report is the
// person's, seen by the manager only when shared, never by admins; the plan
// goes to action items; bad input changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, makeDb, remit, USERS } from './lib.mjs';

let srv, owner, admin, manager, member;
const ids = {}, peers = [];
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const count = (t) => Number(sql(`SELECT count(*) FROM ${t}`));

before(async () => {
  const db = makeDb(mkdtempSync(join(tmpdir(), 'remit-360-')));
  for (let i = 1; i <= 4; i++) {
    const r = remit(['user', 'add', '--db', db, '--org', 'Org A', '--email', `peer${i}@a.test`, '--name', `Peer ${i}`, '--access', 'member', '--manager', USERS.manager]);
    assert.equal(r.code, 0, r.stderr);
  }
  srv = await startServer({ db });
  [owner, admin, manager, member] = await Promise.all([srv.login(USERS.owner), srv.login(USERS.admin), srv.login(USERS.manager), srv.login(USERS.member)]);
  for (const [k, c] of Object.entries({ owner, admin, manager, member })) ids[k] = (await c.get('/api/v1/session')).json.person.id;
  for (let i = 1; i <= 4; i++) {
    const c = await srv.login(`peer${i}@a.test`);
    peers.push({ c, id: (await c.get('/api/v1/session')).json.person.id });
  }
});
after(async () => { await srv.stop(); });

const nb = async (id) => (await member.get(`/api/v1/reviews360/${id}`)).json.behaviours.length;
const rate = (n, v) => Array.from({ length: n }, (_, i) => (typeof v === 'function' ? v(i) : v));

test('360: starting needs three peers, reports three or none, and a subject who is you or your report; nothing changes otherwise', async () => {
  const n = count('review360'), inv = count('review360_invite');
  const p = peers.map((x) => x.id);
  const cases = [
    [member, { peer_ids: p.slice(0, 2) }, 'peer_ids'],
    [member, { peer_ids: p.slice(0, 3), report_ids: [ids.owner] }, 'report_ids'],
    [member, { peer_ids: [p[0], p[0], p[1]] }, 'peer_ids'],
    [member, { peer_ids: [ids.member, p[0], p[1]] }, 'peer_ids'],
    [member, { peer_ids: [ids.manager, p[0], p[1]] }, 'peer_ids'],
    [admin, { subject_id: ids.member, peer_ids: p.slice(0, 3) }, 'subject_id'],
    [member, { peer_ids: p.slice(0, 3), closes_on: '2000-01-01' }, 'closes_on'],
  ];
  for (const [c, body, field] of cases) {
    const r = await c.post('/api/v1/reviews360', body);
    assert.equal(r.status, 422, JSON.stringify(body) + r.text);
    assert.equal(r.json.error.field, field);
  }
  assert.equal((await member.post('/api/v1/reviews360', { peer_ids: 'all' })).status, 400);
  assert.equal((await member.req('POST', '/api/v1/reviews360', { body: '{}', headers: { 'content-type': 'text/plain' } })).status, 415);
  assert.equal(count('review360'), n);
  assert.equal(count('review360_invite'), inv);
});

test('360: peers\' ratings are stored without rater or time, shown only as a group of three; the manager is attributed', async () => {
  const r = await manager.post('/api/v1/reviews360', { subject_id: ids.member, peer_ids: peers.slice(0, 3).map((x) => x.id) });
  assert.equal(r.status, 201, r.text);
  ids.r1 = r.json.id;
  assert.deepEqual(Object.keys(r.json.counts).sort(), ['manager', 'peer', 'self']);
  assert.equal(count(`notification WHERE kind = 'review360.invite'`), 5, 'self, manager and three peers are told');
  const n = await nb(ids.r1);
  assert.ok(n >= 20, `${n} behaviours in the built-in set`);
  // answers: self high on everything, manager 3, peers 2/3/4 on behaviour 0
  assert.equal((await member.put(`/api/v1/reviews360/${ids.r1}/answer`, { ratings: rate(n, 5), comment: 'I think I do well.' })).status, 200);
  assert.equal((await member.put(`/api/v1/reviews360/${ids.r1}/answer`, { ratings: rate(n, 5) })).status, 409, 'once');
  assert.equal((await manager.put(`/api/v1/reviews360/${ids.r1}/answer`, { ratings: rate(n, 3), comment: 'Solid; listen more.' })).status, 200);
  assert.equal((await owner.put(`/api/v1/reviews360/${ids.r1}/answer`, { ratings: rate(n, 3) })).status, 404, 'not invited, not visible');
  const before = count('review360_ballot');
  assert.equal((await peers[0].c.put(`/api/v1/reviews360/${ids.r1}/answer`, { ratings: rate(n, 0) })).status, 422);
  assert.equal((await peers[0].c.put(`/api/v1/reviews360/${ids.r1}/answer`, { ratings: rate(n - 1, 3) })).json.error.field, 'ratings');
  assert.equal(count('review360_ballot'), before, 'a refused answer stores nothing');
  for (const [i, p] of peers.slice(0, 3).entries()) {
    const a = await p.c.put(`/api/v1/reviews360/${ids.r1}/answer`, { ratings: rate(n, (k) => (k === 0 ? 2 + i : 4)), comment: `Peer comment ${i}` });
    assert.equal(a.status, 200, a.text);
  }
  // the rows: no person, no time beside a rating; ids random (not in answering order)
  const cols = sql(`SELECT group_concat(name) FROM pragma_table_info('review360_ballot')`);
  assert.equal(cols, 'id,review_id,relation,ratings');
  assert.equal(sql(`SELECT group_concat(name) FROM pragma_table_info('review360_comment')`), 'id,review_id,relation,body');
  assert.ok(Number(sql(`SELECT min(id) FROM review360_ballot`)) > 2 ** 32, 'random ids');
  assert.equal(count(`audit WHERE action LIKE 'review360%' AND action <> 'review360.start'`), 0, 'no audit line for an answer');
  assert.equal(sql(`SELECT group_concat(answered) FROM review360_invite WHERE review_id = ${ids.r1}`), '1,1,1,1,1');
  // no report while open
  assert.equal((await member.get(`/api/v1/reviews360/${ids.r1}/report`)).status, 409);
  assert.equal((await peers[0].c.post(`/api/v1/reviews360/${ids.r1}/close`)).status, 403);
  assert.equal((await manager.post(`/api/v1/reviews360/${ids.r1}/close`)).status, 200, 'who started it closes it');
  const rep = (await member.get(`/api/v1/reviews360/${ids.r1}/report`)).json;
  assert.deepEqual(rep.groups, { peers: 'peer', reports: 'absent' });
  const first = rep.skills[0];
  assert.equal(first.self, 5);
  assert.equal(first.manager, 3);
  assert.equal(rep.comments.manager[0], 'Solid; listen more.', 'the manager attributed');
  assert.deepEqual(rep.comments.peer.sort(), ['Peer comment 0', 'Peer comment 1', 'Peer comment 2']);
  assert.ok(rep.skills.every((s) => s.blind_spot === (s.self - s.everyone_else >= 1)));
  assert.ok(rep.blind_spots.includes(first.skill), 'self 5 against others\' lower view: a blind spot');
});

test('360: the report is the person\'s: the manager sees it once shared, admins and owners never', async () => {
  for (const c of [owner, admin, manager, peers[0].c]) assert.equal((await c.get(`/api/v1/reviews360/${ids.r1}/report`)).status, 404);
  assert.doesNotMatch((await manager.get(`/reviews360/${ids.r1}`)).text, /Peer comment/);
  assert.doesNotMatch((await owner.get(`/reviews360/${ids.r1}`)).text, /Peer comment/);
  assert.match((await member.get(`/reviews360/${ids.r1}`)).text, /Peer comment 1/);
  assert.equal((await manager.put(`/api/v1/reviews360/${ids.r1}/share`)).status, 403);
  assert.equal((await member.put(`/api/v1/reviews360/${ids.r1}/share`)).status, 200);
  assert.equal((await manager.get(`/api/v1/reviews360/${ids.r1}/report`)).status, 200);
  assert.match((await manager.get(`/reviews360/${ids.r1}`)).text, /Peer comment 1/);
  for (const c of [owner, admin]) assert.equal((await c.get(`/api/v1/reviews360/${ids.r1}/report`)).status, 404);
});

test('360: the person turns the report into a development plan (a goal and actions)', async () => {
  const acts = count('action_item');
  assert.equal((await member.post(`/api/v1/reviews360/${ids.r1}/plan`, { goal: ' ', actions: [] })).json.error.field, 'goal');
  assert.equal((await manager.post(`/api/v1/reviews360/${ids.r1}/plan`, { goal: 'x' })).status, 403);
  const p = await member.post(`/api/v1/reviews360/${ids.r1}/plan`, { goal: 'Listen before answering', actions: [{ title: 'Ask one question before giving my view', due_on: '2099-01-31' }] });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.goal, 'Listen before answering');
  assert.equal(count('action_item'), acts + 1);
  assert.equal(sql(`SELECT source_kind || ':' || owner_id FROM action_item ORDER BY id DESC LIMIT 1`), `review360:${ids.member}`);
  const f = await member.form(`/reviews360/${ids.r1}/plan`, { goal: 'Listen first', action: 'Summarise what I heard', due_on: '' });
  assert.equal(f.status, 303);
});

test('360: two peers and one report fold into "others"; two peers alone are refused', async () => {
  // the manager is reviewed: peers are the admin and owner (+1), reports are the peers
  const fold = await manager.post('/api/v1/reviews360', { peer_ids: [ids.admin, ids.owner, ids.member], report_ids: peers.slice(0, 3).map((x) => x.id) });
  assert.equal(fold.status, 201, fold.text);
  const n = await nb(fold.json.id).catch(() => 0) || (await manager.get(`/api/v1/reviews360/${fold.json.id}`)).json.behaviours.length;
  for (const c of [manager, admin, owner, peers[0].c]) assert.equal((await c.put(`/api/v1/reviews360/${fold.json.id}/answer`, { ratings: rate(n, 4), comment: 'ok' })).status, 200);
  await manager.post(`/api/v1/reviews360/${fold.json.id}/close`);
  const rep = (await manager.get(`/api/v1/reviews360/${fold.json.id}/report`)).json;
  assert.deepEqual(rep.groups, { peers: 'others', reports: 'others' }, '2 peers + 1 report = 3 others');
  assert.equal(rep.skills[0].peers, null);
  assert.equal(rep.skills[0].reports, null);
  assert.equal(rep.skills[0].others_group, 4);
  assert.equal(rep.comments.others.length, 3);
  assert.equal(rep.comments.peer.length + rep.comments.report.length, 0);
  const refused = await member.post('/api/v1/reviews360', { peer_ids: peers.slice(0, 3).map((x) => x.id) });
  for (const p of peers.slice(0, 2)) await p.c.put(`/api/v1/reviews360/${refused.json.id}/answer`, { ratings: rate(n, 1), comment: 'hidden words' });
  await member.post(`/api/v1/reviews360/${refused.json.id}/close`);
  const r2 = (await member.get(`/api/v1/reviews360/${refused.json.id}/report`)).json;
  assert.deepEqual(r2.groups, { peers: 'refused', reports: 'absent' });
  assert.ok(r2.skills.every((s) => s.peers === null && s.others_group === null && s.everyone_else === null), 'two peers count nowhere');
  assert.equal(JSON.stringify(r2).includes('hidden words'), false);
  assert.doesNotMatch((await member.get(`/reviews360/${refused.json.id}`)).text, /hidden words/);
});

test('360: admins edit the behaviours new rounds ask; bad sets change nothing', async () => {
  assert.equal((await member.put('/api/v1/review360-behaviours', { behaviours: [{ skill: 'A', text: 'B' }] })).status, 403);
  assert.equal((await admin.put('/api/v1/review360-behaviours', { behaviours: [] })).status, 422);
  assert.equal((await admin.put('/api/v1/review360-behaviours', { behaviours: [{ skill: '', text: 'x' }] })).status, 422);
  assert.equal(count('review360_behaviour'), 0);
  const r = await admin.put('/api/v1/review360-behaviours', { behaviours: [{ skill: 'Proactive', text: 'Restocks before the rush.' }, { skill: 'Listens actively', text: 'Lets guests finish.' }] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.behaviours.length, 2);
  const v = await member.post('/api/v1/reviews360', { peer_ids: peers.slice(1, 4).map((x) => x.id) });
  assert.equal(v.json.behaviours.length, 2, 'a new round asks the organisation\'s set');
  assert.ok((await member.get(`/api/v1/reviews360/${ids.r1}`)).json.behaviours.length > 2, 'an older round keeps its own');
  const f = await admin.form('/reviews360/behaviours', { behaviours: 'no bar here' });
  assert.equal(f.status, 422);
  assert.equal(count('review360_behaviour'), 2);
});

test('360: those who have not answered are reminded the day before closing, once; a round past its day closes', async () => {
  const p = peers.slice(0, 3).map((x) => x.id);
  const v = await member.post('/api/v1/reviews360', { peer_ids: p });
  assert.equal(v.status, 201, v.text);
  const n = v.json.behaviours.length;
  assert.equal((await peers[0].c.put(`/api/v1/reviews360/${v.json.id}/answer`, { ratings: rate(n, 3) })).status, 200);
  const tomorrow = new Date(Date.now() + 86400e3).toISOString().slice(0, 10), yesterday = new Date(Date.now() - 86400e3).toISOString().slice(0, 10);
  sql(`UPDATE review360 SET closes_on = '${tomorrow}' WHERE id = ${v.json.id}`);
  assert.equal(remit(['notify', 'run', '--db', srv.db]).code, 0);
  const told = sql(`SELECT group_concat(person_id) FROM (SELECT person_id FROM notification WHERE kind = 'review360.reminder' ORDER BY person_id)`).split(',').map(Number);
  assert.deepEqual(told, [ids.manager, ids.member, peers[1].id, peers[2].id].sort((a, b) => a - b), 'only those who have not answered');
  remit(['notify', 'run', '--db', srv.db]);
  assert.equal(count(`notification WHERE kind = 'review360.reminder'`), 4, 'once');
  sql(`UPDATE review360 SET closes_on = '${yesterday}' WHERE id = ${v.json.id}`);
  remit(['notify', 'run', '--db', srv.db]);
  assert.equal((await member.get(`/api/v1/reviews360/${v.json.id}`)).json.status, 'closed');
  assert.deepEqual((await member.get(`/api/v1/reviews360/${v.json.id}/report`)).json.groups, { peers: 'refused', reports: 'absent' });
});
