// anon.test.mjs: the anonymity promise of src/anon.c against the attack
// that found it broken (issue 9): a manager shares a named idea, a member
// logs in and shares an anonymous one, an admin shares a named one. Before
// the fix the anonymous idea's id lay between the other two, whose exact
// times pinned it to six seconds, and the author's session.last_seen held
// that second. Now nothing a person can see (ids, sort positions, list
// polling, counts) or read from the database file (any row of any table)
// narrows the author below the people active that day.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, USERS } from './lib.mjs';

let srv, owner, admin, manager, member, ORG, CID;
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8', maxBuffer: 1 << 26 }).trim();
const num = (q) => Number(sql(q));
// dump: every row of every table of the database file, one line each.
const dump = () => new Set(execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, '.dump'], { encoding: 'utf8', maxBuffer: 1 << 26 }).split('\n'));
const added = (a, b) => [...b].filter((l) => !a.has(l));
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
const DAY = 86400;

before(async () => {
  srv = await startServer();
  owner = await srv.login(USERS.owner);
  admin = await srv.login(USERS.admin);
  manager = await srv.login(USERS.manager);
  ORG = num("SELECT id FROM org WHERE name = 'Org A'");
  const ch = await owner.post('/api/v1/challenges', { title: 'Make Mondays easier', body: '', scope: 'org', phase: 'open' });
  assert.equal(ch.status, 201, ch.text);
  CID = ch.json.id;
  if (ch.json.phase !== 'open') assert.equal((await owner.patch(`/api/v1/challenges/${CID}`, { phase: 'open' })).status, 200);
});

after(async () => { await srv.stop(); });

test('anon-1: the three-person sequence: the anonymous idea cannot be placed between its neighbours, by the API or the database file', async () => {
  const named1 = await manager.post(`/api/v1/challenges/${CID}/ideas`, { title: 'Stand-up at ten', body: '' });
  assert.equal(named1.status, 201, named1.text);
  await sleep(1100);
  // the member logs in and looks at the challenge: both leave their traces before she writes
  member = await srv.login(USERS.member);
  const memberId = (await member.get('/api/v1/session')).json.person.id;
  assert.equal((await member.get(`/challenges/${CID}`)).status, 200);
  // her session was last seen long ago, so this request would record its time
  sql(`UPDATE session SET last_seen = last_seen - 600 WHERE person_id = ${memberId}`);
  const seenBefore = sql(`SELECT last_seen FROM session WHERE person_id = ${memberId}`);
  const countsBefore = (await owner.get(`/api/v1/challenges/${CID}`)).json;
  const fileBefore = dump();
  const auditBefore = num('SELECT max(id) FROM audit');

  const anon = await member.post(`/api/v1/challenges/${CID}/ideas`, { title: 'Quiet hour after lunch', body: 'No meetings 13-14', anonymous: true });
  assert.equal(anon.status, 201, anon.text);
  const fileAfter = dump();
  await sleep(1100);
  const named2 = await admin.post(`/api/v1/challenges/${CID}/ideas`, { title: 'Rota on the wall', body: '' });
  assert.equal(named2.status, 201, named2.text);

  // The database file after the anonymous submission: exactly one new row,
  // the held-back idea, with a random id, the day only, no person.
  const rows = added(fileBefore, fileAfter);
  assert.equal(rows.length, 1, rows.join('\n'));
  assert.match(rows[0], /^INSERT INTO idea_pending VALUES\(/);
  const [id, org, challenge, , , , day] = sql(`SELECT id, org_id, challenge_id, title, body, follow_hash, day FROM idea_pending`).split('|');
  assert.equal(Number(id), anon.json.id);
  assert.deepEqual([Number(org), Number(challenge)], [ORG, CID]);
  assert.equal(Number(day) % DAY, 0, 'the day only');
  assert.equal(sql("SELECT group_concat(name) FROM pragma_table_info('idea_pending')"), 'id,org_id,challenge_id,title,body,follow_hash,day',
    'no column for a person, an address or a time');
  // nothing else moved: not her session's last-seen time, no audit line, no notification
  assert.equal(sql(`SELECT last_seen FROM session WHERE person_id = ${memberId}`), seenBefore, 'session.last_seen untouched');
  assert.equal(num(`SELECT count(*) FROM audit WHERE id > ${auditBefore} AND object NOT LIKE 'idea:${named2.json.id}'`), 0);

  // Ids do not follow creation order: all three are random and large.
  for (const i of [named1.json, anon.json, named2.json]) assert.ok(i.id >= 2 ** 32 && i.id < 2 ** 53, `random id ${i.id}`);

  // Polling the list, the page and the counts shows nothing until the day is over.
  const list = (await member.get(`/api/v1/challenges/${CID}/ideas?sort=new`)).json.items.map((i) => i.id);
  assert.deepEqual(list, [named2.json.id, named1.json.id]);
  const page = await owner.get(`/challenges/${CID}`);
  assert.ok(!page.text.includes('Quiet hour after lunch'));
  assert.equal((await owner.get(`/api/v1/ideas/${anon.json.id}`)).status, 404);
  const countsAfter = (await owner.get(`/api/v1/challenges/${CID}`)).json;
  assert.equal(countsAfter.idea_count, countsBefore.idea_count + 1, 'only the admin\'s named idea counts');
  // ... while its author follows it on her private link
  const token = anon.json.follow_url.split('token=')[1];
  assert.equal((await srv.anon().get(`/api/v1/follow?token=${token}`)).json.idea.title, 'Quiet hour after lunch');

  // The day ends: the day's anonymous ideas appear together, dated by the day.
  const beforeRelease = dump();
  await srv.releaseAnonymous();
  const released = added(beforeRelease, dump());
  assert.ok(released.some((l) => l.startsWith('INSERT INTO idea VALUES(')), 'the idea row');
  for (const l of released) {
    // sqlite_sequence keeps the largest idea id ever stored (the table is
    // AUTOINCREMENT from before ids were random): the idea table shows it anyway
    if (l.startsWith("INSERT INTO sqlite_sequence VALUES('idea',")) {
      assert.equal(l, `INSERT INTO sqlite_sequence VALUES('idea',${sql('SELECT max(id) FROM idea')});`);
      continue;
    }
    assert.match(l, /^INSERT INTO "?(idea|idea_fts\w*)"? VALUES\(/, `only the idea and its search index change: ${l}`);
    assert.ok(!/\b(audit|session|notification|api_token)\b/.test(l), l);
  }
  const row = sql(`SELECT quote(author_id), anonymous, created_at, updated_at FROM idea WHERE id = ${anon.json.id}`).split('|');
  assert.equal(row[0], 'NULL');
  assert.equal(row[1], '1');
  assert.equal(Number(row[2]) % DAY, 0);
  assert.equal(Number(row[3]) % DAY, 0);
  // its place in every order is fixed by its day alone: "new" puts it after
  // every named idea of that day (at 00:00), whenever it was sent
  const all = (await member.get(`/api/v1/challenges/${CID}/ideas?sort=new`)).json.items;
  assert.equal(all.length, 3);
  assert.equal(all[2].id, anon.json.id, 'the anonymous idea sorts by its day only');
  assert.match(all[2].created_at, /T00:00:00Z$/);
  assert.equal(all[2].author, null);
  // the idea's neighbours' times (exact for named ideas) say nothing about it
  // now: its id is not between theirs in any meaningful sense, and there is
  // no other time to compare with.
  assert.equal(all[2].visible_from, null);
});

test('anon-2: ids of ideas are random: twenty named ideas in a row are not in id order', async () => {
  const made = [];
  for (let i = 0; i < 20; i++) made.push((await manager.post(`/api/v1/challenges/${CID}/ideas`, { title: `Batch ${i}` })).json.id);
  const sorted = [...made].sort((a, b) => a - b);
  assert.notDeepEqual(made, sorted, 'ids do not follow creation order (chance of a false failure: 1 in 20!)');
  assert.equal(new Set(made).size, 20);
});

test('anon-3: an API token that submits anonymously keeps its last-used time', async () => {
  const bearer = srv.bearer(USERS.member);
  assert.equal((await bearer.get('/api/v1/session')).status, 200);
  sql(`UPDATE api_token SET last_used = last_used - 600`);
  const before = sql('SELECT group_concat(last_used) FROM api_token');
  const r = await bearer.post(`/api/v1/challenges/${CID}/ideas`, { title: 'By token', anonymous: true });
  assert.equal(r.status, 201, r.text);
  assert.equal(sql('SELECT group_concat(last_used) FROM api_token'), before);
  // a named submission does record it (the rule is about anonymity, not a broken touch)
  const n = await bearer.post(`/api/v1/challenges/${CID}/ideas`, { title: 'By token, named' });
  assert.equal(n.status, 201);
  assert.notEqual(sql('SELECT group_concat(last_used) FROM api_token'), before);
  await srv.releaseAnonymous();
});

test('anon-4: the form says when others will see it, and that the author may vote for it', async () => {
  const page = await member.get(`/challenges/${CID}`);
  assert.match(page.text, /Others see it from the next day/);
  assert.match(page.text, /cannot stop you voting for it/);
  const r = await member.form(`/challenges/${CID}/ideas`, { title: 'By form', body: '', anonymous: '1' });
  assert.equal(r.status, 201);
  assert.match(r.text, /Others will see it from <time datetime="\d{4}-\d\d-\d\d">/);
  const link = r.text.match(/href="(\/follow\?token=[A-Za-z0-9_-]{43})"/)[1];
  const f = await srv.anon().get(link);
  assert.match(f.text, /Only you see it for now/);
  await srv.releaseAnonymous();
  const g = await srv.anon().get(link);
  assert.doesNotMatch(g.text, /Only you see it for now/);
  assert.match(g.text, /By form/);
});
