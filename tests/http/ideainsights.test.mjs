// ideainsights.test.mjs: idea insights (src/ideainsights.c) through the real
// binary, on a small known dataset written with sqlite3 in March 2025.
// Teams: Kitchen (led by the manager; Bea works there) and Café (Cai).
// Challenges: C1 organisation-wide (its title needs escaping), C2 for the
// Kitchen (the manager sees it), C3 for the Café (the manager does not).
//   i1  C1 member   03-03 implemented  first response after 2 days
//   i2  C1 anon     03-04 new          none          -> waiting
//   i3  C1 bea      03-05 declined     none          (declined: not waiting)
//   i4  C1 member   03-06 merged       none          (merged: not waiting)
//   i5  C1 manager  03-07 reviewing    after 5.26 days
//   i6  C1 member   03-10 new          none          -> waiting (a title needing escapes)
//   i7  C2 bea      03-08 accepted     after 1.25 days
//   i8  C2 anon     03-09 piloting     after 10 days
//   i9  C3 cai      03-11 new          none          -> waiting (admins only)
//   i10 C3 cai      03-12 implemented  after 3 days
//   i11 C1 member   02-20 new          none          (before the period)
//   i12 C1 owner    04-10 new          none          (after it)
// Votes: admin on i11 (03-05: a vote in the period on an older idea
// counts), member on i7, owner on i9, Dan (who has left) on i1 on 04-02.
// Comments: admin on i5, owner on i7, cai on i9 (their own idea).
// Active people: owner, admin, manager, member, Bea, Cai, Eve (who does
// nothing) = 7; Dan has left, so his vote does not make him a participant. Every idea is created at the same time of day,
// half a day away from now's, so "days waiting" never sits on a boundary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, remit, USERS } from './lib.mjs';

let srv, admin, manager, member, ownerB, orgA;
const ids = {};
const teams = {};
const ch = {};
const idea = {};
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const DAY = 86400;
const NOW = Math.floor(Date.now() / 1000);
const TOD = (NOW + DAY / 2) % DAY; // half a day away from now's time of day
const on = (m, d) => Math.floor(Date.UTC(2025, m - 1, d) / 1000) + TOD;
const RANGE = 'from=2025-03-01&to=2025-03-31';
const C1_TITLE = 'Cut <waste> & "more"';
const ESC_TITLE = '<b>Less</b> & "waste"';
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
const daysSince = (t) => Math.floor((NOW - t) / DAY);

function person(email, name, team) {
  const args = ['user', 'add', '--db', srv.db, '--org', 'Org A', '--email', email, '--name', name, '--access', 'member'];
  if (team) args.push('--team', team);
  const r = remit(args);
  assert.equal(r.code, 0, r.stderr);
  return Number(r.stdout.match(/person (\d+)/)[1]);
}

function challenge(title, scope, team, phase) {
  return Number(sql(`INSERT INTO challenge(org_id, title, body, scope, team_id, phase, owner_id, created_at, updated_at)
    VALUES (${orgA}, ${q(title)}, '', '${scope}', ${team ?? 'NULL'}, '${phase}', ${ids.admin}, ${on(2, 1)}, ${on(2, 1)}); SELECT last_insert_rowid();`));
}

// addIdea: author null = anonymous; response in days after creation (null: none).
function addIdea(key, chId, title, author, created, stage, response = null) {
  const fra = response === null ? 'NULL' : Math.round(created + response * DAY);
  idea[key] = Number(sql(`INSERT INTO idea(org_id, challenge_id, title, body, author_id, anonymous, follow_hash, created_at, stage, first_response_at, updated_at)
    VALUES (${orgA}, ${chId}, ${q(title)}, 'Body', ${author ?? 'NULL'}, ${author ? 0 : 1}, ${author ? 'NULL' : q(key + '-follow')}, ${created}, '${stage}', ${fra}, ${created});
    SELECT last_insert_rowid();`));
}
const vote = (i, p, t) => sql(`INSERT INTO vote(idea_id, person_id, org_id, created_at) VALUES (${idea[i]}, ${p}, ${orgA}, ${t})`);
const comment = (i, p, t) => sql(`INSERT INTO comment(org_id, idea_id, author_id, body, created_at) VALUES (${orgA}, ${idea[i]}, ${p}, 'Nice', ${t})`);

before(async () => {
  srv = await startServer();
  admin = await srv.login(USERS.admin);
  manager = await srv.login(USERS.manager);
  member = await srv.login(USERS.member);
  ownerB = await srv.login(USERS.other);
  for (const [k, c] of Object.entries({ admin, manager, member })) ids[k] = (await c.get('/api/v1/session')).json.person.id;
  orgA = Number(sql(`SELECT org_id FROM person WHERE id = ${ids.member}`));
  ids.owner = Number(sql(`SELECT id FROM person WHERE email_lc = '${USERS.owner}'`));
  for (const [name, lead] of [['Kitchen', ids.manager], ['Café', null]]) {
    const r = await admin.post('/api/v1/teams', { name, lead_id: lead });
    assert.equal(r.status, 201, r.text);
    teams[name] = r.json.id;
  }
  ids.bea = person('bea@a.test', 'Bea Baker', 'Kitchen');
  ids.cai = person('cai@a.test', 'Cai Cafe', 'Café');
  ids.eve = person('eve@a.test', 'Eve Idle', null);
  ids.dan = person('dan@a.test', 'Dan Gone', 'Café');
  sql(`UPDATE person SET status = 'left' WHERE id = ${ids.dan}`);

  ch.c1 = challenge(C1_TITLE, 'org', null, 'open');
  ch.c2 = challenge('Kitchen flow', 'team', teams.Kitchen, 'review');
  ch.c3 = challenge('Café queues', 'team', teams['Café'], 'open');
  addIdea('i1', ch.c1, 'Weigh the bins', ids.member, on(3, 3), 'implemented', 2);
  addIdea('i2', ch.c1, 'Smaller loaves', null, on(3, 4), 'new');
  addIdea('i3', ch.c1, 'Close at noon', ids.bea, on(3, 5), 'declined');
  addIdea('i4', ch.c1, 'Weigh waste', ids.member, on(3, 6), 'merged');
  addIdea('i5', ch.c1, 'Surprise bags', ids.manager, on(3, 7), 'reviewing', 5.26);
  addIdea('i6', ch.c1, ESC_TITLE, ids.member, on(3, 10), 'new');
  addIdea('i7', ch.c2, 'Prep the night before', ids.bea, on(3, 8), 'accepted', 1.25);
  addIdea('i8', ch.c2, 'Label dough tubs', null, on(3, 9), 'piloting', 10);
  addIdea('i9', ch.c3, 'Café secret: a second till', ids.cai, on(3, 11), 'new');
  addIdea('i10', ch.c3, 'Oat milk stock', ids.cai, on(3, 12), 'implemented', 3);
  addIdea('i11', ch.c1, 'Older idea', ids.member, on(2, 20), 'new');
  addIdea('i12', ch.c1, 'Later idea', ids.owner, on(4, 10), 'new');
  vote('i11', ids.admin, on(3, 5));
  vote('i7', ids.member, on(3, 9));
  vote('i9', ids.owner, on(3, 12));
  vote('i1', ids.dan, on(4, 2));
  comment('i5', ids.admin, on(3, 12));
  comment('i7', ids.owner, on(3, 10));
  comment('i9', ids.cai, on(3, 12));
});

after(async () => { await srv.stop(); });

const get = async (c, query) => {
  const r = await c.get(`/api/v1/insights/ideas?${query}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};

test('ideainsights-1: an admin sees every number of March 2025', async () => {
  const j = await get(admin, RANGE);
  assert.equal(j.from, '2025-03-01');
  assert.equal(j.to, '2025-03-31');
  assert.equal(j.scope, 'organisation');
  assert.equal(j.submitted, 10, 'i1..i10; i11 and i12 lie outside');
  assert.equal(j.participants, 6, 'member, Bea, manager, Cai, admin (a vote), owner (a vote and a comment); not Dan (April)');
  assert.equal(j.active_people, 7);
  assert.equal(j.participation_share, 0.857);
  assert.deepEqual(j.per_stage, { new: 3, reviewing: 1, accepted: 1, piloting: 1, implemented: 2, declined: 1, merged: 1 });
  assert.equal(j.implemented, 2);
  assert.equal(j.median_days_to_first_response, 3, 'median of 1.25, 2, 3, 5.26, 10');
  assert.deepEqual(j.waiting, [
    { id: idea.i2, title: 'Smaller loaves', challenge_id: ch.c1, days_waiting: daysSince(on(3, 4)) },
    { id: idea.i6, title: ESC_TITLE, challenge_id: ch.c1, days_waiting: daysSince(on(3, 10)) },
    { id: idea.i9, title: 'Café secret: a second till', challenge_id: ch.c3, days_waiting: daysSince(on(3, 11)) },
  ], 'oldest first; declined, merged and answered ideas are not waiting');
});

test('ideainsights-2: a manager sees only the challenges they can see', async () => {
  const j = await get(manager, RANGE);
  assert.equal(j.scope, 'yours');
  assert.equal(j.submitted, 8, 'the Café challenge (i9, i10) is not counted');
  assert.equal(j.participants, 5, 'Cai took part only in the Café challenge');
  assert.equal(j.active_people, 7);
  assert.equal(j.participation_share, 0.714);
  assert.deepEqual(j.per_stage, { new: 2, reviewing: 1, accepted: 1, piloting: 1, implemented: 1, declined: 1, merged: 1 });
  assert.equal(j.implemented, 1);
  assert.equal(j.median_days_to_first_response, 3.6, 'median of 1.25, 2, 5.26, 10 = 3.63');
  assert.deepEqual(j.waiting.map((w) => w.id), [idea.i2, idea.i6]);
  // narrower periods
  const early = await get(manager, 'from=2025-03-03&to=2025-03-04');
  assert.equal(early.submitted, 2);
  assert.equal(early.participants, 1, 'only the member (i1); i2 is anonymous');
  assert.equal(early.median_days_to_first_response, 2);
  const none = await get(admin, 'from=2025-03-13&to=2025-03-31');
  assert.equal(none.submitted, 0);
  assert.equal(none.participants, 0);
  assert.equal(none.participation_share, 0);
  assert.equal(none.median_days_to_first_response, null);
  assert.deepEqual(none.waiting, []);
  const april = await get(admin, 'from=2025-04-01&to=2025-04-30');
  assert.equal(april.submitted, 1);
  assert.equal(april.participants, 1, 'the owner (i12); Dan voted, but has left: only active people count');
  assert.equal(april.participation_share, 0.143);
});

test('ideainsights-3: members may not look; other organisations see nothing of ours', async () => {
  assert.equal((await member.get(`/api/v1/insights/ideas?${RANGE}`)).status, 403);
  assert.equal((await member.get(`/insights/ideas?${RANGE}`)).status, 403);
  assert.equal((await srv.anon().get('/api/v1/insights/ideas')).status, 401);
  const b = await get(ownerB, RANGE);
  assert.equal(b.submitted, 0);
  assert.equal(b.participants, 0);
  assert.equal(b.active_people, 1);
  assert.deepEqual(b.per_stage, { new: 0, reviewing: 0, accepted: 0, piloting: 0, implemented: 0, declined: 0, merged: 0 });
  assert.deepEqual(b.waiting, []);
});

test('ideainsights-4: dates are checked and default to the last 90 days', async () => {
  for (const qs of ['from=2025-13-01', 'from=2025-02-30', 'to=yesterday', 'from=2025-3-1', 'from=2025-03-10&to=2025-03-09',
    'from=1990-01-01&to=2025-01-01', 'from=2025-03-03x', 'from=%202025-03-03']) {
    const r = await admin.get(`/api/v1/insights/ideas?${qs}`);
    assert.equal(r.status, 400, qs);
    assert.equal(r.json.error.code, 'invalid_parameter', qs);
  }
  const d = await get(admin, '');
  const today = new Date().toISOString().slice(0, 10);
  assert.equal(d.to, today);
  assert.equal((Date.parse(d.to) - Date.parse(d.from)) / 86400000, 89);
  assert.equal((await get(admin, 'to=2025-03-31')).from, '2025-01-01');
  assert.equal((await get(admin, 'from=2025-03-01')).to, today);
});

test('ideainsights-5: waiting means more than 14 days without a response', async () => {
  const recent = NOW - 3 * DAY;
  const old = NOW - 20 * DAY - DAY / 2;
  addIdea('r1', ch.c1, 'Three days old', ids.member, recent, 'new');
  addIdea('r2', ch.c2, 'Twenty days old', null, old, 'reviewing');
  addIdea('r3', ch.c1, 'Answered', ids.bea, old, 'new', 0.5);
  const j = await get(manager, '');
  assert.equal(j.submitted, 3);
  assert.deepEqual(j.waiting, [{ id: idea.r2, title: 'Twenty days old', challenge_id: ch.c2, days_waiting: 20 }]);
  assert.equal(j.median_days_to_first_response, 0.5);
  assert.equal(j.participants, 2, 'the member and Bea; the anonymous author is not counted');
});

test('ideainsights-6: the page draws the stages as an SVG with escaped titles and lists the waiting ideas', async () => {
  const r = await admin.get(`/insights/ideas?${RANGE}`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/html/);
  const svgs = r.text.match(/<svg [^>]*>/g) || [];
  assert.equal(svgs.length, 1);
  assert.match(svgs[0], /role="img"/);
  assert.match(svgs[0], /aria-label="Bar chart: the current stage of the 10 ideas submitted from 2025-03-01 to 2025-03-31: new 3, reviewing 1, accepted 1, piloting 1, implemented 2, declined 1, merged 1."/);
  assert.equal((r.text.match(/<rect class="bar"/g) || []).length, 7, 'a bar per stage');
  assert.match(r.text, /<rect class="bar"[^>]*><title>New: 3 ideas \(30%\)<\/title><\/rect>/);
  assert.match(r.text, /<title>Reviewing: 1 idea \(10%\)<\/title>/);
  assert.match(r.text, /<caption>Ideas per stage<\/caption>/, 'the table beside the chart');
  assert.match(r.text, /<td>Implemented<\/td><td class="num">2<\/td>/);
  assert.match(r.text, new RegExp(`<a href="/ideas/${idea.i6}">&lt;b&gt;Less&lt;/b&gt; &amp; &quot;waste&quot;</a>`));
  assert.match(r.text, new RegExp(`<a href="/challenges/${ch.c1}">Cut &lt;waste&gt; &amp; &quot;more&quot;</a>`));
  assert.ok(!r.text.includes(ESC_TITLE) && !r.text.includes(C1_TITLE), 'raw titles never appear');
  assert.match(r.text, new RegExp(`<a href="/ideas/${idea.i9}">Café secret: a second till</a>`));
  assert.match(r.text, /<strong>10<\/strong> ideas submitted/);
  assert.match(r.text, /<strong>86%<\/strong> of 7 active people took part/);
  assert.match(r.text, /<strong>3.0 days<\/strong> median time to a first response/);
  assert.match(r.text, /<strong>3<\/strong> waiting more than 14 days/);
  assert.match(r.text, /<form method="get" action="\/insights\/ideas" class="filters">/);
  assert.match(r.text, /value="2025-03-01"/);
  assert.ok(r.text.indexOf(`/ideas/${idea.i2}"`) < r.text.indexOf(`/ideas/${idea.i6}"`), 'oldest first');

  const mgr = await manager.get(`/insights/ideas?${RANGE}`);
  assert.equal(mgr.status, 200);
  assert.ok(!mgr.text.includes('Café secret'), 'the manager does not see the Café challenge\'s ideas');
  assert.match(mgr.text, /<strong>8<\/strong> ideas submitted/);
  const bad = await admin.get('/insights/ideas?from=2025-99-01');
  assert.equal(bad.status, 400);
  assert.match(bad.text, /class="error-summary"/);
  assert.match(bad.text, /value="2025-99-01"/);
  const empty = await admin.get('/insights/ideas?from=2020-01-06&to=2020-01-12');
  assert.equal(empty.status, 200);
  assert.match(empty.text, /No ideas were submitted in this period/);
  assert.match(empty.text, /No idea from this period has waited more than 14 days/);
});

test('ideainsights-7: participation counts only the challenges the caller can see: their own subtree and the teams above, never a sibling', async () => {
  // Café front: a sub-team of the Café; Mia manages in it (she leads nothing).
  const t = await admin.post('/api/v1/teams', { name: 'Café front', parent_id: teams['Café'] });
  assert.equal(t.status, 201, t.text);
  const r = remit(['user', 'add', '--db', srv.db, '--org', 'Org A', '--email', 'mia@a.test', '--name', 'Mia Manager', '--access', 'manager', '--team', 'Café front']);
  assert.equal(r.code, 0, r.stderr);
  const mia = await srv.login('mia@a.test');
  ch.c4 = challenge('Front counter', 'team', t.json.id, 'open');
  const june = (d) => Math.floor(Date.UTC(2025, 5, d) / 1000) + TOD;
  addIdea('j1', ch.c3, 'Café in June', ids.cai, june(2), 'new');          // the Café: above Mia's team
  addIdea('j2', ch.c2, 'Kitchen in June', ids.bea, june(3), 'new');       // the Kitchen: a sibling subtree for Mia
  addIdea('j3', ch.c4, 'Front in June', null, june(4), 'new');            // her own team's challenge, anonymous
  vote('j2', ids.eve, june(5));                                            // Eve takes part in the Kitchen only
  comment('j1', ids.bea, june(6));                                         // Bea in the Café as well
  const JUNE = 'from=2025-06-01&to=2025-06-30';

  const a = await get(admin, JUNE);
  assert.equal(a.challenges, 4);
  assert.equal(a.submitted, 3);
  assert.equal(a.participants, 3, 'Cai, Bea and Eve');
  assert.equal(a.active_people, 8, 'Mia joined');

  const m = await get(mia, JUNE);
  assert.equal(m.scope, 'yours');
  assert.equal(m.challenges, 3, 'the organisation challenge, the Café above her team and her own team');
  assert.equal(m.submitted, 2, 'not the Kitchen idea');
  assert.equal(m.participants, 2, 'Cai and Bea (her comment in the Café); not Eve, whose vote was in the Kitchen');
  assert.equal(m.active_people, 8);

  const k = await get(manager, JUNE);
  assert.equal(k.challenges, 2, 'the organisation challenge and the Kitchen; neither the Café nor its sub-team');
  assert.equal(k.submitted, 1);
  assert.equal(k.participants, 2, 'Bea and Eve; not Cai');
  const page = await mia.get(`/insights/ideas?${JUNE}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<strong>2<\/strong> ideas submitted/);
  assert.match(page.text, /<strong>25%<\/strong> of 8 active people took part/);
});
