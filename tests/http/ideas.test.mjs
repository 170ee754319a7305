// ideas.test.mjs: ideas that answer a challenge (src/ideas.c) through the
// real binary: sharing named and anonymous ideas, anonymity (nothing in the
// database row, the audit log or any API answer ties an anonymous idea to
// its author; the private follow link works without a login), votes (one
// per person, also under 50 concurrent requests; never for your own idea;
// only while the challenge is open), comments and the first response,
// stages and their rules, merges that move votes without counting anyone
// twice, notifications, sorts, the similar-ideas search, team-scope
// visibility, and the pages (forms, escaping, the follow page). Challenges
// are made with sqlite3 so these tests do not depend on challenges.c.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, remit, USERS } from './lib.mjs';

let srv, owner, admin, manager, member, ownerB;
const ids = {};
const people = {}; // key -> {id, name, email, client}
let ORG, ORGB, TEAM;

const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const num = (q) => Number(sql(q));
const location = (r) => r.headers.get('location');

// addPerson: a person in Org A via the CLI, logged in; returns {id,name,email,client}.
async function addPerson(key, name, access = 'member') {
  const email = `${key}@a.test`;
  const r = remit(['user', 'add', '--db', srv.db, '--org', 'Org A', '--email', email, '--name', name, '--access', access]);
  assert.equal(r.code, 0, r.stderr);
  const id = Number(r.stdout.match(/person (\d+)/)[1]);
  people[key] = { id, name, email, client: await srv.login(email) };
  return people[key];
}

// challenge: a challenge row in Org A (open, organisation-wide unless told).
let nChallenges = 0;
function challenge({ phase = 'open', scope = 'org', team = null, title } = {}) {
  title = title ?? `Challenge ${++nChallenges}`;
  return num(`INSERT INTO challenge(org_id,title,body,scope,team_id,phase,owner_id,created_at,updated_at) ` +
    `VALUES (${ORG},'${title}','','${scope}',${team ?? 'NULL'},'${phase}',${ids.admin},0,0); SELECT last_insert_rowid();`);
}

// release: what a day's end does to anonymous ideas (src/anon.c): the
// held-back ones are dated a day earlier and the server's half-second upkeep
// moves them into view; waits until it has.
const release = () => srv.releaseAnonymous();

// share: an idea through the API; asserts 201 and returns the answer (an
// anonymous one released at once, as if its day were over).
async function share(c, cid, title, extra = {}) {
  const r = await c.post(`/api/v1/challenges/${cid}/ideas`, { title, body: '', ...extra });
  assert.equal(r.status, 201, r.text);
  if (extra.anonymous) await release();
  return r.json;
}

const idea = async (c, id) => { const r = await c.get(`/api/v1/ideas/${id}`); assert.equal(r.status, 200, r.text); return r.json; };
const inbox = async (c) => { const r = await c.get('/api/v1/inbox'); assert.equal(r.status, 200, r.text); return r.json.notifications; };
const voteRows = (id) => num(`SELECT count(*) FROM vote WHERE idea_id = ${id}`);

// mentions: whether a JSON answer names a person: by name, email, or a
// person reference ({id, name}) with their id.
function mentions(value, p) {
  const s = JSON.stringify(value);
  if (s.includes(p.name) || s.includes(p.email)) return true;
  let found = false;
  (function walk(v) {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if (v.id === p.id && 'name' in v) found = true;
      for (const [k, x] of Object.entries(v)) {
        if (/author_id|person_id|actor_id/.test(k) && x === p.id) found = true;
        walk(x);
      }
    }
  })(value);
  return found;
}

before(async () => {
  srv = await startServer();
  owner = await srv.login(USERS.owner);
  admin = await srv.login(USERS.admin);
  manager = await srv.login(USERS.manager);
  member = await srv.login(USERS.member);
  ownerB = await srv.login(USERS.other);
  for (const [k, c] of Object.entries({ owner, admin, manager, member, ownerB })) ids[k] = (await c.get('/api/v1/session')).json.person.id;
  ORG = num("SELECT id FROM org WHERE name = 'Org A'");
  ORGB = num("SELECT id FROM org WHERE name = 'Org B'");
  // The kitchen team: the manager belongs to it; the member does not.
  TEAM = num(`INSERT INTO team(org_id,name,created_at) VALUES (${ORG},'Kitchen',0); SELECT last_insert_rowid();`);
  sql(`UPDATE person SET team_id = ${TEAM} WHERE id = ${ids.manager}`);
  await addPerson('anna', 'Anna Anonymous');
  await addPerson('xavier', 'Xavier Voter');
  await addPerson('yara', 'Yara Voter');
  await addPerson('zoe', 'Zoe Voter');
  await addPerson('walt', 'Walt Writer');
});

after(async () => { await srv.stop(); });

test('ideas-1: without a login the API answers 401 and the pages redirect; the follow link is public', async () => {
  const anon = srv.anon();
  for (const [m, p] of [['GET', '/api/v1/challenges/1/ideas'], ['POST', '/api/v1/challenges/1/ideas'], ['GET', '/api/v1/challenges/1/similar?q=x'],
    ['GET', '/api/v1/ideas/mine'], ['GET', '/api/v1/ideas/1'], ['PUT', '/api/v1/ideas/1/vote'], ['DELETE', '/api/v1/ideas/1/vote'],
    ['GET', '/api/v1/ideas/1/comments'], ['POST', '/api/v1/ideas/1/comments'], ['POST', '/api/v1/ideas/1/stage']]) {
    const r = await anon.req(m, p, m === 'GET' || m === 'DELETE' ? {} : { json: {} });
    assert.equal(r.status, 401, `${m} ${p}`);
  }
  for (const p of ['/ideas/mine', '/ideas/1']) {
    const r = await anon.get(p);
    assert.equal(r.status, 303, p);
    assert.match(location(r), /^\/login\?next=/);
  }
  assert.equal((await anon.get('/api/v1/follow?token=nope')).status, 404);
  assert.equal((await anon.get('/api/v1/follow')).status, 404);
  assert.equal((await anon.get('/api/v1/follow?token=' + 'A'.repeat(43))).status, 404);
  const page = await anon.get('/follow?token=' + 'A'.repeat(43));
  assert.equal(page.status, 404);
  assert.match(page.headers.get('content-type'), /text\/html/);
});

test('ideas-2: a named idea records its author and exact time, and reads back whole', async () => {
  const cid = challenge();
  const t0 = Math.floor(Date.now() / 1000);
  const r = await member.post(`/api/v1/challenges/${cid}/ideas`, { title: '  Compost the peels  ', body: 'Less *waste*', anonymous: false });
  assert.equal(r.status, 201, r.text);
  const t1 = Math.floor(Date.now() / 1000);
  assert.deepEqual(Object.keys(r.json).sort(), ['anonymous', 'author', 'body', 'challenge_id', 'comment_count', 'created_at', 'due_on',
    'first_response_at', 'id', 'merged_into_id', 'owner', 'stage', 'stage_reason', 'title', 'visible_from', 'voted', 'votes'].sort());
  assert.equal(r.json.visible_from, null, 'a named idea is seen at once');
  const i = r.json;
  assert.equal(i.title, 'Compost the peels');
  assert.equal(i.body, 'Less *waste*');
  assert.equal(i.challenge_id, cid);
  assert.equal(i.stage, 'new');
  assert.equal(i.votes, 0);
  assert.equal(i.voted, false);
  assert.equal(i.anonymous, false);
  assert.deepEqual(i.author, { id: ids.member, name: 'Mia Member' });
  assert.equal(i.owner, null);
  assert.equal(i.merged_into_id, null);
  assert.equal(i.comment_count, 0);
  assert.equal(i.follow_url, undefined);
  const row = sql(`SELECT author_id, anonymous, created_at, follow_hash IS NULL FROM idea WHERE id = ${i.id}`).split('|').map(Number);
  assert.equal(row[0], ids.member);
  assert.equal(row[1], 0);
  assert.ok(row[2] >= t0 && row[2] <= t1, 'exact time');
  assert.equal(row[3], 1, 'no follow link for a named idea');
  assert.equal(num(`SELECT count(*) FROM audit WHERE object = 'idea:${i.id}' AND action = 'idea.create' AND actor_id = ${ids.member}`), 1);
  // anonymous defaults to false
  const d = await share(member, cid, 'Default named');
  assert.equal(d.anonymous, false);
  assert.equal(d.author.id, ids.member);
});

test('ideas-3: bad input is refused and stores nothing', async () => {
  const cid = challenge();
  const before = num('SELECT count(*) FROM idea');
  const cases = [
    [{ title: '' }, 422, 'title'], [{ title: '   ' }, 422, 'title'], [{ title: 'x'.repeat(201) }, 422, 'title'],
    [{ title: 'two\nlines' }, 422, 'title'], [{ title: 'ok', body: 'b'.repeat(5001) }, 422, 'body'],
    [{ body: 'no title' }, 422, 'title'], [{ title: 'ok', anonymous: 'yes' }, 400], [{ title: 'ok', author_id: 1 }, 400],
    [{ title: 5 }, 400], ['{"title":', 400], ['[]', 400],
  ];
  for (const [body, status, field] of cases) {
    const r = await member.post(`/api/v1/challenges/${cid}/ideas`, body);
    assert.equal(r.status, status, JSON.stringify(body) + ' ' + r.text);
    if (field) assert.equal(r.json.error.field, field);
  }
  // 200 characters of multi-byte text are fine
  await share(member, cid, 'é'.repeat(200));
  assert.equal(num('SELECT count(*) FROM idea'), before + 1);
  // unknown or other-organisation challenges are 404; closed ones 409
  assert.equal((await member.post('/api/v1/challenges/99999/ideas', { title: 'x' })).status, 404);
  const closed = challenge({ phase: 'closed' });
  const review = challenge({ phase: 'review' });
  for (const c of [closed, review]) {
    const r = await member.post(`/api/v1/challenges/${c}/ideas`, { title: 'Too late' });
    assert.equal(r.status, 409, r.text);
  }
  assert.equal((await ownerB.post(`/api/v1/challenges/${cid}/ideas`, { title: 'From B' })).status, 404);
  assert.equal(num('SELECT count(*) FROM idea'), before + 1);
});

test('ideas-4: anonymity: no trace of the author in the row, the audit log or any answer; the follow link works without a login', async () => {
  const anna = people.anna;
  const cid = challenge({ title: 'Quiet ideas' });
  const auditBefore = num('SELECT max(id) FROM audit');
  const r = await anna.client.post(`/api/v1/challenges/${cid}/ideas`, { title: 'Fewer meetings', body: 'Say it *safely*', anonymous: true });
  assert.equal(r.status, 201, r.text);
  const i = r.json;
  assert.equal(i.anonymous, true);
  assert.equal(i.author, null);
  assert.match(i.follow_url, /^\/follow\?token=[A-Za-z0-9_-]{43}$/);
  assert.ok(!mentions(i, anna), 'the answer itself');
  const token = i.follow_url.split('token=')[1];
  // held back until the day is over: only the follow link shows it
  const tomorrow = new Date((Math.floor(Date.now() / 86400000) + 1) * 86400000).toISOString().slice(0, 10);
  assert.equal(i.visible_from, tomorrow);
  assert.equal(num(`SELECT count(*) FROM idea WHERE id = ${i.id}`), 0);
  assert.equal(num(`SELECT count(*) FROM idea_pending WHERE id = ${i.id} AND day % 86400 = 0`), 1);
  assert.equal((await member.get(`/api/v1/ideas/${i.id}`)).status, 404);
  assert.equal((await member.get(`/api/v1/challenges/${cid}/ideas?sort=new`)).json.items.length, 0);
  const early = await srv.anon().get(`/api/v1/follow?token=${token}`);
  assert.equal(early.status, 200, early.text);
  assert.equal(early.json.idea.visible_from, tomorrow);
  assert.match((await srv.anon().get(`/follow?token=${token}`)).text, /Only you see it for now/);
  await release();
  assert.ok(i.id >= 2 ** 32 && i.id < 2 ** 53, `a random id: ${i.id}`);

  // the row: no author, the day only, the token only as a hash
  const [author, anonymous, created, updated, hash] = sql(`SELECT quote(author_id), anonymous, created_at, updated_at, follow_hash FROM idea WHERE id = ${i.id}`).split('|');
  assert.equal(author, 'NULL');
  assert.equal(anonymous, '1');
  assert.equal(Number(created) % 86400, 0);
  assert.equal(Number(updated) % 86400, 0);
  assert.match(hash, /^[0-9a-f]{64}$/);
  assert.ok(!hash.includes(token));
  // (release() dated it a day earlier, as if that day were over)
  assert.equal(i.created_at, new Date((Number(created) + 86400) * 1000).toISOString().replace(/\.000Z$/, 'Z'));
  assert.match(i.created_at, /T00:00:00Z$/);
  // nothing in the audit log since the submission names Anna or the idea
  assert.equal(num(`SELECT count(*) FROM audit WHERE id > ${auditBefore} AND (actor_id = ${anna.id} OR object = 'idea:${i.id}' ` +
    `OR detail LIKE '%Anna%' OR detail LIKE '%anna@%')`), 0);
  // no notification to anyone
  assert.equal(num(`SELECT count(*) FROM notification WHERE link = '/ideas/${i.id}'`), 0);

  // others vote, comment and move it; Anna votes for it too (nobody knows it is hers)
  assert.equal((await people.xavier.client.put(`/api/v1/ideas/${i.id}/vote`)).status, 200);
  assert.equal((await anna.client.put(`/api/v1/ideas/${i.id}/vote`)).status, 200, 'the anonymous author is not known, so may vote');
  const c1 = await manager.post(`/api/v1/ideas/${i.id}/comments`, { body: 'Good point, **thanks**' });
  assert.equal(c1.status, 201, c1.text);
  const st = await admin.post(`/api/v1/ideas/${i.id}/stage`, { stage: 'accepted', reason: 'We try it next month' });
  assert.equal(st.status, 200, st.text);
  const [upd] = sql(`SELECT updated_at FROM idea WHERE id = ${i.id}`).split('|');
  assert.equal(Number(upd) % 86400, 0, 'updated_at stays coarse');
  // the stage change's audit line names the admin, never Anna
  for (const line of sql(`SELECT quote(actor_id) || ':' || detail FROM audit WHERE object = 'idea:${i.id}'`).split('\n').filter(Boolean)) {
    assert.ok(!line.includes(String(anna.name)) && !line.startsWith(`${anna.id}:`), line);
  }

  // every answer, to everyone (Anna included), is free of her
  const answers = [];
  for (const c of [owner, admin, manager, member, anna.client, people.xavier.client]) {
    answers.push((await c.get(`/api/v1/ideas/${i.id}`)).json);
    for (const s of ['top', 'new', 'trending', 'pairwise']) answers.push((await c.get(`/api/v1/challenges/${cid}/ideas?sort=${s}`)).json);
    answers.push((await c.get(`/api/v1/ideas/${i.id}/comments`)).json);
    answers.push((await c.get(`/api/v1/challenges/${cid}/similar?q=meetings`)).json);
    if (c !== anna.client) answers.push((await c.get('/api/v1/inbox')).json);
    answers.push((await c.get('/api/v1/ideas/mine')).json);
  }
  for (const a of answers) assert.ok(!mentions(a, anna), JSON.stringify(a).slice(0, 300));
  const mine = (await anna.client.get('/api/v1/ideas/mine')).json;
  assert.equal(mine.items.length, 0, 'an anonymous idea is linked to nobody');
  const g = await idea(member, i.id);
  assert.equal(g.author, null);
  assert.equal(g.votes, 2);
  // the pages others see do not name her either
  for (const c of [admin, member]) {
    const p = await c.get(`/ideas/${i.id}`);
    assert.equal(p.status, 200);
    // (the managers' owner select lists everyone, Anna too: that says nothing)
    const text = p.text.replace(/<select id="f-owner_id"[\s\S]*?<\/select>/, '');
    assert.ok(!text.includes(anna.name) && !text.includes(anna.email));
    assert.match(p.text, /Shared anonymously/);
  }

  // the follow link: no login needed, and it shows the updates
  const anon = srv.anon();
  const f = await anon.get(`/api/v1/follow?token=${token}`);
  assert.equal(f.status, 200, f.text);
  assert.deepEqual(Object.keys(f.json).sort(), ['challenge', 'comments', 'history', 'idea', 'merged_into']);
  assert.equal(f.json.idea.id, i.id);
  assert.equal(f.json.idea.stage, 'accepted');
  assert.equal(f.json.idea.stage_reason, 'We try it next month');
  assert.equal(f.json.idea.voted, false);
  assert.equal(f.json.challenge.title, 'Quiet ideas');
  assert.equal(f.json.history.length, 1);
  assert.deepEqual([f.json.history[0].from, f.json.history[0].to], ['new', 'accepted']);
  assert.equal(f.json.history[0].actor.name, 'Ada Admin');
  assert.equal(f.json.comments.length, 1);
  assert.equal(f.json.comments[0].body, 'Good point, **thanks**');
  assert.equal(f.json.merged_into, null);
  assert.ok(!mentions(f.json, anna));
  const fp = await anon.get(`/follow?token=${token}`);
  assert.equal(fp.status, 200);
  assert.match(fp.text, /Fewer meetings/);
  assert.match(fp.text, /accepted/);
  assert.match(fp.text, /We try it next month/);
  assert.match(fp.text, /Good point, <strong>thanks<\/strong>/);
  assert.ok(!fp.text.includes(anna.name));
  assert.equal(fp.headers.get('cache-control'), 'no-store');
  // a token that differs by one character finds nothing
  const wrong = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
  assert.equal((await anon.get(`/api/v1/follow?token=${wrong}`)).status, 404);
});

test('ideas-5: votes: one per person, idempotent, never for your own idea, only while open', async () => {
  const cid = challenge();
  const i = await share(member, cid, 'Shorter shifts');
  const x = people.xavier.client;
  let r = await x.put(`/api/v1/ideas/${i.id}/vote`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { votes: 1, voted: true });
  r = await x.put(`/api/v1/ideas/${i.id}/vote`);
  assert.deepEqual([r.status, r.json], [200, { votes: 1, voted: true }]);
  assert.equal(voteRows(i.id), 1);
  r = await people.yara.client.put(`/api/v1/ideas/${i.id}/vote`);
  assert.deepEqual(r.json, { votes: 2, voted: true });
  assert.equal((await idea(x, i.id)).voted, true);
  assert.equal((await idea(people.zoe.client, i.id)).voted, false);
  // the author may not vote
  r = await member.put(`/api/v1/ideas/${i.id}/vote`);
  assert.equal(r.status, 403, r.text);
  assert.equal(voteRows(i.id), 2);
  // take back, twice
  r = await x.del(`/api/v1/ideas/${i.id}/vote`);
  assert.deepEqual([r.status, r.json], [200, { votes: 1, voted: false }]);
  r = await x.del(`/api/v1/ideas/${i.id}/vote`);
  assert.deepEqual([r.status, r.json], [200, { votes: 1, voted: false }]);
  // bearer tokens vote too (no CSRF needed)
  const tok = srv.bearer(people.zoe.email);
  assert.equal((await tok.put(`/api/v1/ideas/${i.id}/vote`)).status, 200);
  // a cookie session without the CSRF token cannot
  assert.equal((await x.req('PUT', `/api/v1/ideas/${i.id}/vote`, { csrf: false })).status, 403);
  // review and closed phases: 409 both ways, nothing changes
  for (const phase of ['review', 'closed']) {
    sql(`UPDATE challenge SET phase = '${phase}' WHERE id = ${cid}`);
    assert.equal((await x.put(`/api/v1/ideas/${i.id}/vote`)).status, 409);
    assert.equal((await people.yara.client.del(`/api/v1/ideas/${i.id}/vote`)).status, 409);
    assert.equal(voteRows(i.id), 2);
  }
  // unknown idea, another organisation: 404
  assert.equal((await x.put('/api/v1/ideas/999999/vote')).status, 404);
  sql(`UPDATE challenge SET phase = 'open' WHERE id = ${cid}`);
  assert.equal((await ownerB.put(`/api/v1/ideas/${i.id}/vote`)).status, 404);
  assert.equal((await ownerB.get(`/api/v1/ideas/${i.id}`)).status, 404);
});

test('ideas-6: 50 concurrent votes by one person leave exactly one vote', async () => {
  const cid = challenge();
  const i = await share(member, cid, 'Race me');
  const x = people.xavier.client;
  const answers = await Promise.all(Array.from({ length: 50 }, () => x.put(`/api/v1/ideas/${i.id}/vote`)));
  for (const a of answers) assert.equal(a.status, 200, a.text);
  for (const a of answers) assert.equal(a.json.voted, true);
  assert.equal(voteRows(i.id), 1);
  assert.equal(num(`SELECT count(*) FROM vote WHERE idea_id = ${i.id} AND person_id = ${people.xavier.id}`), 1);
  assert.equal((await idea(x, i.id)).votes, 1);
  // and 50 concurrent mixed PUT/DELETE still leave at most one
  await Promise.all(Array.from({ length: 50 }, (_, k) => (k % 2 ? x.put(`/api/v1/ideas/${i.id}/vote`) : x.del(`/api/v1/ideas/${i.id}/vote`))));
  assert.ok(voteRows(i.id) <= 1);
});

test('ideas-7: comments: markdown kept as written, escaped on pages; the first response is someone else\'s', async () => {
  const cid = challenge();
  const i = await share(member, cid, 'Share recipes');
  // the author's own comment is not a response
  let r = await member.post(`/api/v1/ideas/${i.id}/comments`, { body: 'More detail: soups first.' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), ['author', 'body', 'created_at', 'id', 'idea_id']);
  assert.deepEqual(r.json.author, { id: ids.member, name: 'Mia Member' });
  assert.equal(sql(`SELECT quote(first_response_at) FROM idea WHERE id = ${i.id}`), 'NULL');
  r = await people.xavier.client.post(`/api/v1/ideas/${i.id}/comments`, { body: '<script>alert(1)</script> **yes** [x](javascript:alert(2))' });
  assert.equal(r.status, 201, r.text);
  const first = num(`SELECT first_response_at FROM idea WHERE id = ${i.id}`);
  assert.ok(first > 0);
  // a later response does not move it
  await people.yara.client.post(`/api/v1/ideas/${i.id}/comments`, { body: 'Me too' });
  assert.equal(num(`SELECT first_response_at FROM idea WHERE id = ${i.id}`), first);
  const list = await member.get(`/api/v1/ideas/${i.id}/comments`);
  assert.equal(list.status, 200);
  assert.equal(list.json.items.length, 3);
  assert.equal(list.json.items[1].body, '<script>alert(1)</script> **yes** [x](javascript:alert(2))');
  assert.equal(list.json.next_after, null);
  const paged = await member.get(`/api/v1/ideas/${i.id}/comments?limit=2`);
  assert.equal(paged.json.items.length, 2);
  const rest = await member.get(`/api/v1/ideas/${i.id}/comments?limit=2&after=${paged.json.next_after}`);
  assert.deepEqual(rest.json.items.map((c) => c.body), ['Me too']);
  assert.equal((await idea(member, i.id)).comment_count, 3);
  const page = await member.get(`/ideas/${i.id}`);
  assert.equal(page.status, 200);
  assert.ok(!page.text.includes('<script>alert(1)'));
  assert.match(page.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(page.text, /<strong>yes<\/strong>/);
  assert.ok(!/href="javascript:/i.test(page.text));
  // bad comments
  for (const [body, status] of [[{ body: '' }, 422], [{ body: '  \n ' }, 422], [{ body: 'c'.repeat(5001) }, 422], [{}, 422], [{ body: null }, 400], [{ body: 1 }, 400], [{ text: 'x' }, 400]]) {
    r = await member.post(`/api/v1/ideas/${i.id}/comments`, body);
    assert.equal(r.status, status, JSON.stringify(body));
  }
  assert.equal((await member.post(`/api/v1/ideas/${i.id}/comments`, { body: 'c'.repeat(5000) })).status, 201);
  // an anonymous idea: every comment counts as a response (its author is unknown)
  const a = await share(people.anna.client, cid, 'Anonymous one', { anonymous: true });
  await people.anna.client.post(`/api/v1/ideas/${a.id}/comments`, { body: 'any comment' });
  assert.ok(num(`SELECT first_response_at FROM idea WHERE id = ${a.id}`) > 0);
  assert.equal((await ownerB.get(`/api/v1/ideas/${i.id}/comments`)).status, 404);
});

test('ideas-8: stages: who may move ideas, and the rules of declined, piloting and merged', async () => {
  const cid = challenge();
  const i = await share(member, cid, 'Open kitchen day');
  const other = await share(people.walt.client, cid, 'Another idea');
  const elsewhere = await share(member, challenge(), 'Elsewhere');
  // members and managers of an organisation challenge: 403
  for (const c of [member, manager, people.xavier.client]) {
    const r = await c.post(`/api/v1/ideas/${i.id}/stage`, { stage: 'reviewing' });
    assert.equal(r.status, 403, r.text);
  }
  const bad = [
    [{}, 'stage'], [{ stage: 'maybe' }, 'stage'], [{ stage: 'declined' }, 'reason'], [{ stage: 'declined', reason: '   ' }, 'reason'],
    [{ stage: 'piloting', due_on: '2099-01-01' }, 'owner_id'], [{ stage: 'piloting', owner_id: ids.manager }, 'due_on'],
    [{ stage: 'piloting', owner_id: ids.manager, due_on: '2099-02-30' }, 'due_on'],
    [{ stage: 'piloting', owner_id: ids.ownerB, due_on: '2099-01-01' }, 'owner_id'], [{ stage: 'piloting', owner_id: 999999, due_on: '2099-01-01' }, 'owner_id'],
    [{ stage: 'merged' }, 'into_id'], [{ stage: 'merged', into_id: i.id }, 'into_id'], [{ stage: 'merged', into_id: elsewhere.id }, 'into_id'],
    [{ stage: 'merged', into_id: 999999 }, 'into_id'],
  ];
  for (const [body, field] of bad) {
    const r = await admin.post(`/api/v1/ideas/${i.id}/stage`, body);
    assert.equal(r.status, 422, JSON.stringify(body) + r.text);
    assert.equal(r.json.error.field, field, JSON.stringify(body));
  }
  for (const body of [{ stage: 'new', extra: 1 }, { stage: 'new', owner_id: 'x' }, { stage: 'new', owner_id: 0 }]) {
    assert.equal((await admin.post(`/api/v1/ideas/${i.id}/stage`, body)).status, 400, JSON.stringify(body));
  }
  assert.equal(sql(`SELECT stage FROM idea WHERE id = ${i.id}`), 'new');
  assert.equal(num(`SELECT count(*) FROM idea_stage WHERE idea_id = ${i.id}`), 0);
  assert.equal(sql(`SELECT quote(first_response_at) FROM idea WHERE id = ${i.id}`), 'NULL');

  let r = await admin.post(`/api/v1/ideas/${i.id}/stage`, { stage: 'reviewing' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.stage, 'reviewing');
  assert.ok(num(`SELECT first_response_at FROM idea WHERE id = ${i.id}`) > 0, 'a stage change is a response');
  r = await owner.post(`/api/v1/ideas/${i.id}/stage`, { stage: 'piloting', owner_id: ids.manager, due_on: '2099-03-01', reason: 'Try it' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.owner, { id: ids.manager, name: 'Max Manager' });
  assert.equal(r.json.due_on, '2099-03-01');
  assert.equal(r.json.stage_reason, 'Try it');
  r = await admin.post(`/api/v1/ideas/${i.id}/stage`, { stage: 'declined', reason: 'Too costly' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.stage_reason, 'Too costly');
  assert.deepEqual(r.json.history.map((h) => [h.from, h.to, h.actor.id]), [
    ['new', 'reviewing', ids.admin], ['reviewing', 'piloting', ids.owner], ['piloting', 'declined', ids.admin]]);
  assert.equal(r.json.history[2].reason, 'Too costly');
  assert.deepEqual(Object.keys(r.json.history[0]).sort(), ['actor', 'at', 'from', 'reason', 'to']);
  assert.equal(num(`SELECT count(*) FROM audit WHERE object = 'idea:${i.id}' AND action = 'idea.stage'`), 3);
  // merged: into another idea of the challenge; then it moves no more
  r = await admin.post(`/api/v1/ideas/${i.id}/stage`, { stage: 'merged', into_id: other.id });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.merged_into_id, other.id);
  r = await admin.post(`/api/v1/ideas/${i.id}/stage`, { stage: 'new' });
  assert.equal(r.status, 409);
  // nothing merges into a merged idea
  const third = await share(member, cid, 'Third');
  r = await admin.post(`/api/v1/ideas/${third.id}/stage`, { stage: 'merged', into_id: i.id });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'into_id');
});

test('ideas-9: a merge moves the votes without counting anyone twice', async () => {
  const cid = challenge();
  const { xavier: X, yara: Y, zoe: Z, walt: W } = people;
  const A = await share(member, cid, 'Idea A');
  const B = await share(W.client, cid, 'Idea B');
  for (const p of [X, Y, W]) assert.equal((await p.client.put(`/api/v1/ideas/${A.id}/vote`)).status, 200);
  for (const p of [Y, Z]) assert.equal((await p.client.put(`/api/v1/ideas/${B.id}/vote`)).status, 200);
  const r = await admin.post(`/api/v1/ideas/${A.id}/stage`, { stage: 'merged', into_id: B.id, reason: 'Same thing' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.stage, 'merged');
  assert.equal(r.json.votes, 0);
  const b = await idea(admin, B.id);
  assert.equal(b.votes, 3, 'X, Y and Z; Y once; W wrote B');
  const voters = sql(`SELECT person_id FROM vote WHERE idea_id = ${B.id} ORDER BY person_id`).split('\n').map(Number);
  assert.deepEqual(voters, [X.id, Y.id, Z.id].sort((a, c) => a - c));
  assert.equal(voteRows(A.id), 0);
  // the merged idea leaves the lists and takes no votes
  for (const s of ['top', 'new', 'trending', 'pairwise']) {
    const l = await member.get(`/api/v1/challenges/${cid}/ideas?sort=${s}`);
    assert.deepEqual(l.json.items.map((x) => x.id), [B.id], s);
  }
  assert.equal((await Z.client.put(`/api/v1/ideas/${A.id}/vote`)).status, 409);
  // but its page says where it went
  const page = await member.get(`/ideas/${A.id}`);
  assert.match(page.text, new RegExp(`merged into <a href="/ideas/${B.id}">Idea B</a>`));
  // everyone concerned was told: A's author, A's voters, B's author
  for (const p of [{ c: member }, { c: X.client }, { c: Y.client }]) {
    const n = (await inbox(p.c)).find((x) => x.kind === 'idea.merge' && x.link === `/ideas/${A.id}`);
    assert.ok(n, 'merge notification');
  }
  const w = (await inbox(W.client)).filter((x) => x.kind === 'idea.merge' && x.text.includes('"Idea A"'));
  assert.equal(w.length, 1);
  assert.match(w[0].text, /into your idea "Idea B"/);
  // a merged anonymous idea: its follow page points to the target
  const anon = await share(people.anna.client, cid, 'Anon dup', { anonymous: true });
  assert.equal((await admin.post(`/api/v1/ideas/${anon.id}/stage`, { stage: 'merged', into_id: B.id })).status, 200);
  const token = anon.follow_url.split('token=')[1];
  const f = await srv.anon().get(`/api/v1/follow?token=${token}`);
  assert.deepEqual(f.json.merged_into, { id: B.id, title: 'Idea B' });
  const fp = await srv.anon().get(anon.follow_url);
  assert.match(fp.text, new RegExp(`merged into <a href="/ideas/${B.id}">Idea B</a>`));
});

test('ideas-10: stage changes and comments notify the author and voters, never the actor', async () => {
  const cid = challenge();
  const i = await share(member, cid, 'Notify me');
  const { xavier: X, yara: Y } = people;
  await X.client.put(`/api/v1/ideas/${i.id}/vote`);
  await Y.client.put(`/api/v1/ideas/${i.id}/vote`);
  assert.equal((await admin.post(`/api/v1/ideas/${i.id}/stage`, { stage: 'accepted' })).status, 200);
  const link = `/ideas/${i.id}`;
  const m = (await inbox(member)).find((n) => n.kind === 'idea.stage' && n.link === link);
  assert.ok(m);
  assert.match(m.text, /Ada Admin moved your idea "Notify me" to accepted/);
  for (const c of [X.client, Y.client]) assert.ok((await inbox(c)).find((n) => n.kind === 'idea.stage' && n.link === link));
  assert.ok(!(await inbox(admin)).find((n) => n.link === link), 'the actor is not told');
  // X comments: the author and Y are told, X is not
  assert.equal((await X.client.post(`/api/v1/ideas/${i.id}/comments`, { body: 'Great' })).status, 201);
  assert.ok((await inbox(member)).find((n) => n.kind === 'idea.comment' && n.link === link));
  assert.ok((await inbox(Y.client)).find((n) => n.kind === 'idea.comment' && n.link === link));
  assert.ok(!(await inbox(X.client)).find((n) => n.kind === 'idea.comment' && n.link === link));
  // the author comments: the voters are told, the author is not
  assert.equal((await member.post(`/api/v1/ideas/${i.id}/comments`, { body: 'Thanks' })).status, 201);
  assert.equal((await inbox(member)).filter((n) => n.kind === 'idea.comment' && n.link === link).length, 1);
  assert.equal((await inbox(X.client)).filter((n) => n.kind === 'idea.comment' && n.link === link).length, 1);
  // the inbox page links to the idea
  const page = await member.get('/inbox');
  assert.match(page.text, new RegExp(`href="${link}"`));
});

test('ideas-11: sorts: top, new, trending and pairwise; others are 400', async () => {
  const cid = challenge();
  const a = await share(member, cid, 'Sort A');
  const b = await share(member, cid, 'Sort B');
  const c = await share(member, cid, 'Sort C');
  // b has 2 votes, c 1, a 0; a is the oldest, c the newest
  sql(`UPDATE idea SET created_at = created_at - 86400 * 30 WHERE id = ${a.id}`);
  sql(`UPDATE idea SET created_at = created_at - 3600 WHERE id = ${b.id}`);
  for (const p of ['xavier', 'yara']) await people[p].client.put(`/api/v1/ideas/${b.id}/vote`);
  await people.zoe.client.put(`/api/v1/ideas/${c.id}/vote`);
  const order = async (q) => {
    const r = await member.get(`/api/v1/challenges/${cid}/ideas${q}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.next_after, null);
    return r.json.items.map((x) => x.id);
  };
  assert.deepEqual(await order(''), [b.id, c.id, a.id]);
  assert.deepEqual(await order('?sort=top'), [b.id, c.id, a.id]);
  assert.deepEqual(await order('?sort=new'), [c.id, b.id, a.id]);
  const trending = await order('?sort=trending');
  assert.equal(trending.length, 3);
  assert.equal(trending[2], a.id, 'old and without votes: last');
  assert.deepEqual(await order('?sort=top&limit=1'), [b.id]);
  // pairwise: c beat a and b, a beat b
  const pair = (x, y, w, who) => sql(`INSERT INTO pair_choice(org_id,challenge_id,person_id,idea_a,idea_b,winner_id,created_at) ` +
    `VALUES (${ORG},${cid},${who},${Math.min(x, y)},${Math.max(x, y)},${w},0)`);
  pair(a.id, c.id, c.id, ids.member);
  pair(b.id, c.id, c.id, ids.member);
  pair(a.id, b.id, a.id, ids.member);
  pair(a.id, c.id, c.id, ids.admin);
  const pw = await member.get(`/api/v1/challenges/${cid}/ideas?sort=pairwise`);
  assert.equal(pw.status, 200);
  assert.equal(pw.json.items.length, 3);
  for (const it of pw.json.items) assert.equal(typeof it.score, 'number');
  const scores = pw.json.items.map((x) => x.score);
  assert.deepEqual(scores, [...scores].sort((x, y) => y - x), 'sorted by score');
  const top = await member.get(`/api/v1/challenges/${cid}/ideas?sort=top`);
  assert.equal(top.json.items[0].score, undefined);
  for (const q of ['?sort=best', '?sort=TOP', '?sort=top&limit=0', '?sort=top&limit=501', '?limit=x']) {
    assert.equal((await member.get(`/api/v1/challenges/${cid}/ideas${q}`)).status, 400, q);
  }
  assert.equal((await member.get('/api/v1/challenges/999999/ideas')).status, 404);
});

test('ideas-12: similar ideas: words of the title, safely, at most five', async () => {
  const cid = challenge();
  const other = challenge();
  await share(member, cid, 'Reduce food waste in the kitchen');
  await share(member, cid, 'Donate leftover bread');
  await share(member, other, 'Food waste elsewhere');
  let r = await member.get(`/api/v1/challenges/${cid}/similar?q=${encodeURIComponent('waste of food')}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((x) => x.title), ['Reduce food waste in the kitchen']);
  assert.deepEqual(Object.keys(r.json.items[0]).sort(), ['id', 'stage', 'title', 'votes']);
  r = await member.get(`/api/v1/challenges/${cid}/similar?q=leftov`);
  assert.deepEqual(r.json.items.map((x) => x.title), ['Donate leftover bread'], 'prefixes match');
  for (const q of ['"', 'foo" OR "', 'NEAR(a b)', '*', 'title:waste', '(((', 'a AND', '', '   ', 'ä ö ü', 'x'.repeat(500)]) {
    r = await member.get(`/api/v1/challenges/${cid}/similar?q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200, q + r.text);
    assert.ok(Array.isArray(r.json.items));
  }
  r = await member.get(`/api/v1/challenges/${cid}/similar`);
  assert.deepEqual(r.json.items, []);
  for (let k = 0; k < 7; k++) await share(member, cid, `Bread idea ${k}`);
  r = await member.get(`/api/v1/challenges/${cid}/similar?q=bread`);
  assert.equal(r.json.items.length, 5);
  assert.equal((await ownerB.get(`/api/v1/challenges/${cid}/similar?q=bread`)).status, 404);
});

test('ideas-13: a team challenge\'s ideas are 404 for everyone outside its scope', async () => {
  const cid = challenge({ scope: 'team', team: TEAM, title: 'Kitchen only' });
  const i = await share(manager, cid, 'Sharper knives');
  const j = await share(admin, cid, 'Cleaner ovens');
  // the member is not in the kitchen team
  const p = `/api/v1/ideas/${i.id}`;
  for (const [m, path, body] of [['GET', `/api/v1/challenges/${cid}/ideas`], ['POST', `/api/v1/challenges/${cid}/ideas`, { title: 'x' }],
    ['GET', `/api/v1/challenges/${cid}/similar?q=knives`], ['GET', p], ['PUT', `${p}/vote`], ['DELETE', `${p}/vote`], ['GET', `${p}/comments`],
    ['POST', `${p}/comments`, { body: 'x' }], ['POST', `${p}/stage`, { stage: 'accepted' }]]) {
    const r = await member.req(m, path, body ? { json: body } : {});
    assert.equal(r.status, 404, `${m} ${path}`);
    const b = await ownerB.req(m, path, body ? { json: body } : {});
    assert.equal(b.status, 404, `Org B: ${m} ${path}`);
  }
  for (const path of [`/ideas/${i.id}`]) assert.equal((await member.get(path)).status, 404);
  assert.equal((await member.form(`/ideas/${i.id}/vote`, { vote: '1' })).status, 404);
  assert.equal((await member.form(`/challenges/${cid}/ideas`, { title: 'x' })).status, 404);
  assert.equal(voteRows(i.id), 0);
  // inside the scope: the manager sees, votes and manages (a team challenge in their subtree)
  assert.equal((await manager.get(`/api/v1/challenges/${cid}/ideas`)).json.items.length, 2);
  assert.equal((await manager.put(`/api/v1/ideas/${j.id}/vote`)).status, 200);
  const r = await manager.post(`/api/v1/ideas/${j.id}/stage`, { stage: 'accepted' });
  assert.equal(r.status, 200, r.text);
  assert.equal((await admin.get(p)).status, 200);
  // the manager's "mine" lists it; the member's does not see it
  assert.ok((await manager.get('/api/v1/ideas/mine')).json.items.some((x) => x.id === i.id));
});

test('ideas-14: my ideas: the caller\'s named ideas with their challenge; never anonymous ones', async () => {
  const cid = challenge({ title: 'Mine challenge' });
  const w = people.walt;
  const named = await share(w.client, cid, 'Walt named');
  await share(w.client, cid, 'Walt secret', { anonymous: true });
  const r = await w.client.get('/api/v1/ideas/mine');
  assert.equal(r.status, 200);
  assert.equal(r.json.next_after, null);
  const titles = r.json.items.map((x) => x.title);
  assert.ok(titles.includes('Walt named'));
  assert.ok(!titles.includes('Walt secret'));
  const item = r.json.items.find((x) => x.id === named.id);
  assert.deepEqual(item.challenge, { id: cid, title: 'Mine challenge', phase: 'open' });
  assert.equal((await w.client.get('/api/v1/ideas/mine?limit=1')).json.items.length, 1);
  assert.equal((await w.client.get('/api/v1/ideas/mine?limit=0')).status, 400);
  const page = await w.client.get('/ideas/mine');
  assert.equal(page.status, 200);
  assert.match(page.text, /Walt named/);
  assert.ok(!page.text.includes('Walt secret'));
  assert.match(page.text, /No answer yet/);
  await admin.post(`/api/v1/ideas/${named.id}/stage`, { stage: 'reviewing' });
  assert.match((await w.client.get('/ideas/mine')).text, /Answered within a day/);
  const empty = await people.zoe.client.get('/ideas/mine');
  assert.match(empty.text, /not shared an idea under your name/);
});

test('ideas-15: pages: the idea page escapes, and every action works as a form', async () => {
  const cid = challenge({ title: 'Pages <b>challenge</b>' });
  const i = await share(member, cid, '<script>alert("t")</script> Title', { body: '<img src=x onerror=alert(1)> *body*' });
  const x = people.xavier.client;
  let r = await x.get(`/ideas/${i.id}`);
  assert.equal(r.status, 200);
  assert.ok(!r.text.includes('<script>alert("t")'));
  assert.match(r.text, /&lt;script&gt;alert\(&quot;t&quot;\)&lt;\/script&gt; Title/);
  assert.ok(!r.text.includes('<img src=x'));
  assert.match(r.text, /<em>body<\/em>/);
  assert.match(r.text, /Pages &lt;b&gt;challenge&lt;\/b&gt;/);
  assert.match(r.text, new RegExp(`action="/ideas/${i.id}/vote"[^>]*data-vote="${i.id}" data-voted="0"`));
  assert.match(r.text, /name="vote" value="1"/);
  assert.ok(!r.text.includes(`action="/ideas/${i.id}/stage"`), 'no stage form for members');
  assert.match(r.text, /By <a href="\/people\/\d+">Mia Member<\/a>/);
  // the author sees no vote form
  r = await member.get(`/ideas/${i.id}`);
  assert.ok(!r.text.includes(`action="/ideas/${i.id}/vote"`));
  // vote by form: back to a same-site path, or to the idea
  r = await x.form(`/ideas/${i.id}/vote`, { vote: '1', back: `/challenges/${cid}?sort=new#idea-${i.id}` });
  assert.equal(r.status, 303);
  assert.equal(location(r), `/challenges/${cid}?sort=new#idea-${i.id}`);
  assert.equal(voteRows(i.id), 1);
  r = await x.form(`/ideas/${i.id}/vote`, { vote: '1', back: '//evil.example/' });
  assert.equal(location(r), `/ideas/${i.id}?done=voted`);
  assert.equal(voteRows(i.id), 1);
  for (const back of ['https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
    r = await x.form(`/ideas/${i.id}/vote`, { vote: '1', back });
    assert.equal(location(r), `/ideas/${i.id}?done=voted`, back);
  }
  r = await x.get(`/ideas/${i.id}?done=voted`);
  assert.match(r.text, /Your vote is in/);
  assert.match(r.text, /data-voted="1"/);
  assert.match(r.text, /Take back vote/);
  // without vote=, the form toggles
  r = await x.form(`/ideas/${i.id}/vote`, {});
  assert.equal(location(r), `/ideas/${i.id}?done=unvoted`);
  assert.equal(voteRows(i.id), 0);
  // a form without the CSRF token is refused
  r = await x.form(`/ideas/${i.id}/vote`, { vote: '1' }, { csrf: false });
  assert.equal(r.status, 403);
  // the author's vote: the page again, with the reason and 403
  r = await member.form(`/ideas/${i.id}/vote`, { vote: '1' });
  assert.equal(r.status, 403);
  assert.match(r.text, /cannot vote for your own idea/);
  // comments by form: errors keep what was typed
  r = await x.form(`/ideas/${i.id}/comments`, { body: '   ' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Write a comment first/);
  r = await x.form(`/ideas/${i.id}/comments`, { body: 'c'.repeat(5001) });
  assert.equal(r.status, 422);
  assert.ok(r.text.includes('c'.repeat(5001)), 'typed text kept');
  r = await x.form(`/ideas/${i.id}/comments`, { body: 'By **form**' });
  assert.equal(r.status, 303);
  assert.match(location(r), new RegExp(`^/ideas/${i.id}\\?done=commented#comment-\\d+$`));
  assert.match((await x.get(`/ideas/${i.id}`)).text, /By <strong>form<\/strong>/);
  // stages by form: 403 for members; managers of the scope get the form, errors keep values
  r = await member.form(`/ideas/${i.id}/stage`, { stage: 'accepted' });
  assert.equal(r.status, 403);
  r = await admin.get(`/ideas/${i.id}`);
  assert.match(r.text, new RegExp(`action="/ideas/${i.id}/stage"`));
  assert.match(r.text, /<select id="f-stage" name="stage"/);
  assert.match(r.text, /<select id="f-owner_id" name="owner_id"/);
  assert.match(r.text, /<select id="f-into_id" name="into_id"/);
  r = await admin.form(`/ideas/${i.id}/stage`, { stage: 'piloting', reason: 'Kept <reason>', owner_id: '', due_on: '2099-01-01', into_id: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Name who carries the pilot/);
  assert.match(r.text, /Kept &lt;reason&gt;/);
  assert.match(r.text, /value="2099-01-01"/);
  assert.match(r.text, /<option value="piloting" selected>/);
  r = await admin.form(`/ideas/${i.id}/stage`, { stage: 'piloting', reason: '', owner_id: String(ids.manager), due_on: '2099-01-01', into_id: '' });
  assert.equal(r.status, 303);
  assert.equal(location(r), `/ideas/${i.id}?done=stage`);
  r = await x.get(`/ideas/${i.id}`);
  assert.match(r.text, /Carried by Max Manager, due <time datetime="2099-01-01">/);
  assert.match(r.text, /Stage history/);
  assert.match(r.text, /by Ada Admin/);
  assert.equal((await x.get('/ideas/999999')).status, 404);
});

test('ideas-16: sharing by form: named goes to the idea; anonymous shows the private link once', async () => {
  const cid = challenge();
  let r = await member.form(`/challenges/${cid}/ideas`, { title: 'By form', body: 'Body' });
  assert.equal(r.status, 303);
  const id = Number(location(r).match(/^\/ideas\/(\d+)\?done=created$/)[1]);
  assert.equal(num(`SELECT author_id FROM idea WHERE id = ${id}`), ids.member);
  r = await member.get(location(r));
  assert.match(r.text, /Your idea is shared/);
  // errors: the form again, with what was typed
  r = await member.form(`/challenges/${cid}/ideas`, { title: '', body: 'Kept <body>', anonymous: '1' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Give your idea a short title/);
  assert.match(r.text, /Kept &lt;body&gt;/);
  assert.match(r.text, /name="anonymous" value="1"[^>]* checked/);
  // anonymous: the link, once, and no trace
  const before = num('SELECT count(*) FROM idea');
  r = await people.anna.client.form(`/challenges/${cid}/ideas`, { title: 'Anon by form', body: '', anonymous: '1' });
  assert.equal(r.status, 201);
  const m = r.text.match(/href="(\/follow\?token=[A-Za-z0-9_-]{43})"/);
  assert.ok(m, 'the follow link is shown');
  assert.match(r.text, /only this once/);
  assert.match(r.text, /Others will see it from/);
  await release();
  assert.match(r.text, /readonly value="http:\/\/127\.0\.0\.1:\d+\/follow\?token=/);
  assert.equal(num('SELECT count(*) FROM idea'), before + 1);
  const row = sql("SELECT quote(author_id), created_at % 86400 FROM idea WHERE title = 'Anon by form'");
  assert.equal(row, 'NULL|0');
  const f = await srv.anon().get(m[1]);
  assert.equal(f.status, 200);
  assert.match(f.text, /Anon by form/);
  // a closed challenge: 409 with the reason
  const closed = challenge({ phase: 'closed' });
  r = await member.form(`/challenges/${closed}/ideas`, { title: 'Late' });
  assert.equal(r.status, 409);
  assert.match(r.text, /takes no more ideas/);
});

test('ideas-17: the challenge page pieces: the submit form and the list with sort tabs and vote forms', async (t) => {
  const cid = challenge({ title: 'Rendered' });
  const i = await share(member, cid, 'Listed <idea>');
  const page = await people.xavier.client.get(`/challenges/${cid}?sort=new`);
  if (page.status === 501) { t.skip('challenges.c does not render its page yet'); return; }
  assert.equal(page.status, 200);
  assert.match(page.text, new RegExp(`<form method="post" action="/challenges/${cid}/ideas"`));
  assert.match(page.text, new RegExp(`data-similar="/api/v1/challenges/${cid}/similar"`));
  assert.match(page.text, /name="anonymous"/);
  assert.match(page.text, new RegExp(`href="/challenges/${cid}\\?sort=new#ideas" aria-current="page"`));
  assert.match(page.text, new RegExp(`href="/challenges/${cid}\\?sort=top#ideas">`));
  assert.match(page.text, /Listed &lt;idea&gt;/);
  assert.match(page.text, new RegExp(`data-vote="${i.id}"`));
  assert.match(page.text, new RegExp(`name="back" value="/challenges/${cid}\\?sort=new#idea-${i.id}"`));
  // a closed challenge: no submit form, no vote forms
  sql(`UPDATE challenge SET phase = 'closed' WHERE id = ${cid}`);
  const closed = await people.xavier.client.get(`/challenges/${cid}`);
  assert.ok(!closed.text.includes(`action="/challenges/${cid}/ideas"`));
  assert.ok(!closed.text.includes(`data-vote="${i.id}"`));
});

test('ideas-18: app.js carries the vote and similar-ideas enhancements', async () => {
  const r = await member.get('/assets/app.js');
  assert.equal(r.status, 200);
  assert.match(r.text, /form\[data-vote\]/);
  assert.match(r.text, /X-CSRF-Token/);
  assert.match(r.text, /input\[data-similar\]/);
  assert.ok(!/innerHTML/.test(r.text), 'text only, never HTML');
});

test('ideas-19: the challenge page shows 50 ideas at a time with plain links to the others, keeping the sort', async () => {
  const cid = challenge({ title: 'Many ideas' });
  const other = challenge({ title: 'Elsewhere' });
  // 120 ideas without votes: top is then the oldest first (by id), new the newest first
  const made = [];
  for (let k = 1; k <= 120; k++) {
    made.push(num(`INSERT INTO idea(org_id,challenge_id,title,body,author_id,anonymous,created_at,updated_at) ` +
      `VALUES (${ORG},${cid},'Paged ${k}','',${ids.member},0,${1000 + k},${1000 + k}); SELECT last_insert_rowid();`));
  }
  sql(`INSERT INTO idea(org_id,challenge_id,title,body,author_id,anonymous,created_at,updated_at,stage) VALUES (${ORG},${cid},'Merged away','',${ids.member},0,5000,5000,'merged')`);
  sql(`INSERT INTO idea(org_id,challenge_id,title,body,author_id,anonymous,created_at,updated_at) VALUES (${ORG},${other},'Not here','',${ids.member},0,5000,5000)`);
  const c = people.xavier.client;
  const shown = (text) => [...text.matchAll(/<li class="idea" id="idea-(\d+)"/g)].map((m) => Number(m[1]));
  const esc = (s) => s.replace(/[?]/g, '\\?');

  const p1 = await c.get(`/challenges/${cid}`);
  assert.equal(p1.status, 200);
  assert.match(p1.text, /<h2 id="ideas-h">Ideas <span class="muted">\(120\)<\/span><\/h2>/, 'the heading counts them all');
  assert.deepEqual(shown(p1.text), made.slice(0, 50), 'the top 50');
  assert.match(p1.text, /Ideas 1 to 50 of 120\./);
  assert.match(p1.text, new RegExp(esc(`<a href="/challenges/${cid}?sort=top&amp;page=2#ideas" rel="next">Next 50 ideas</a>`)));
  assert.ok(!p1.text.includes('rel="prev"'));
  assert.match(p1.text, /<nav class="pager" aria-label="More ideas">/);

  const p2 = await c.get(`/challenges/${cid}?sort=top&page=2`);
  assert.deepEqual(shown(p2.text), made.slice(50, 100));
  assert.match(p2.text, /<ol class="plain idea-list" start="51">/);
  assert.match(p2.text, new RegExp(esc(`<a href="/challenges/${cid}?sort=top#ideas" rel="prev">Previous 50 ideas</a>`)));
  assert.match(p2.text, new RegExp(esc(`<a href="/challenges/${cid}?sort=top&amp;page=3#ideas" rel="next">Next 20 ideas</a>`)));
  assert.match(p2.text, new RegExp(esc(`name="back" value="/challenges/${cid}?sort=top&amp;page=2#idea-${made[50]}"`)), 'a vote comes back to this page');

  const p3 = await c.get(`/challenges/${cid}?sort=top&page=3`);
  assert.deepEqual(shown(p3.text), made.slice(100));
  assert.match(p3.text, /Ideas 101 to 120 of 120\./);
  assert.ok(!p3.text.includes('rel="next"'));
  assert.deepEqual(shown((await c.get(`/challenges/${cid}?sort=top&page=99`)).text), made.slice(100), 'past the end: the last page');
  for (const bad of ['0', '-1', 'abc', '1e3', '']) assert.deepEqual(shown((await c.get(`/challenges/${cid}?page=${bad}`)).text), made.slice(0, 50), bad);

  // another sort keeps its own order and its name in every link
  const n2 = await c.get(`/challenges/${cid}?sort=new&page=2`);
  assert.deepEqual(shown(n2.text), made.slice().reverse().slice(50, 100));
  assert.match(n2.text, new RegExp(esc(`href="/challenges/${cid}?sort=new#ideas" rel="prev"`)));
  assert.match(n2.text, new RegExp(esc(`href="/challenges/${cid}?sort=new&amp;page=3#ideas" rel="next"`)));
  assert.match(n2.text, new RegExp(esc(`href="/challenges/${cid}?sort=new#ideas" aria-current="page"`)), 'the tabs start from the first page');
  const junk = await c.get(`/challenges/${cid}?sort=%3Cx%3E&page=2`);
  assert.deepEqual(shown(junk.text), made.slice(50, 100), 'an unknown sort is top');
  assert.ok(!junk.text.includes('<x>'));

  // a vote from page 2 comes back to page 2
  const r = await c.form(`/ideas/${made[60]}/vote`, { vote: '1', back: `/challenges/${cid}?sort=top&page=2#idea-${made[60]}` });
  assert.equal(r.status, 303);
  assert.equal(location(r), `/challenges/${cid}?sort=top&page=2#idea-${made[60]}`);
  assert.equal(shown((await c.get(`/challenges/${cid}`)).text)[0], made[60], 'now on top');

  // the API keeps its own contract: ?limit= up to 500, no paging of rankings
  const all = await c.get(`/api/v1/challenges/${cid}/ideas?sort=top&limit=500`);
  assert.equal(all.status, 200);
  assert.equal(all.json.items.length, 120);
  assert.equal(all.json.next_after, null);
  assert.equal(all.json.items[0].id, made[60]);
  assert.equal(all.json.items[0].votes, 1);
  assert.equal(all.json.items[0].voted, true);
  assert.equal((await c.get(`/api/v1/challenges/${cid}/ideas?sort=new&limit=60`)).json.items.length, 60);
  assert.equal((await c.get(`/api/v1/challenges/${cid}/ideas`)).json.items.length, 50, 'the default limit');
});
