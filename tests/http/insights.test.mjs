// insights.test.mjs: decision insights (src/insights.c) through the real
// binary, on a small known dataset written with sqlite3 in March 2025:
//   Bakery <&> Ovens (Bea, reports to the manager), week of 2025-03-03:
//     2 decide, 1 inform, 1 approve answered after 10 hours
//   Pastry (a sub-team of the Bakery; Pat reports to Bea), week of 03-10:
//     1 decide
//   Café (Cai, reports to the owner), week of 03-10:
//     1 agree answered after 4 hours, 1 propose still pending,
//     1 approve withdrawn after 2 hours (withdrawn is not an answer)
// Checks the numbers, the split per team and week, team subtrees, manager
// scoping, date validation, other organisations, and the dashboard's SVG.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, remit, USERS } from './lib.mjs';

let srv, admin, manager, member, ownerB, orgA;
const ids = {};
const teams = {};
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const at = (d, h = 9) => Math.floor(Date.UTC(2025, 2, d, h) / 1000); // a time in March 2025
const HOUR = 3600;
const RANGE = 'from=2025-03-03&to=2025-03-30';
const BAKERY = 'Bakery <&> Ovens';

function person(email, name, team, mgr) {
  const r = remit(['user', 'add', '--db', srv.db, '--org', 'Org A', '--email', email, '--name', name, '--access', 'member', '--team', team, '--manager', mgr]);
  assert.equal(r.code, 0, r.stderr);
  return Number(r.stdout.match(/person (\d+)/)[1]);
}

// decision: one logged decision; answered after `hours` (null: never).
function decision(author, verdict, status, requested, hours = null) {
  sql(`INSERT INTO decision(org_id, author_id, domain_id, title, risk, reward, verdict, status, requested_at, answered_at, created_at)
    VALUES (${orgA}, ${author}, ${ids.domain}, 'D', 2, 3, '${verdict}', '${status}', ${requested}, ${hours === null ? 'NULL' : requested + hours * HOUR}, ${requested})`);
}

before(async () => {
  srv = await startServer();
  admin = await srv.login(USERS.admin);
  manager = await srv.login(USERS.manager);
  member = await srv.login(USERS.member);
  ownerB = await srv.login(USERS.other);
  for (const [k, c] of Object.entries({ admin, manager, member })) ids[k] = (await c.get('/api/v1/session')).json.person.id;
  orgA = Number(sql(`SELECT org_id FROM person WHERE id = ${ids.member}`));
  for (const [name, parent] of [[BAKERY, null], ['Pastry', BAKERY], ['Café', null]]) {
    const r = await admin.post('/api/v1/teams', { name, parent_id: parent ? teams[parent] : null });
    assert.equal(r.status, 201, r.text);
    teams[name] = r.json.id;
  }
  ids.bea = person('bea@a.test', 'Bea Baker', BAKERY, USERS.manager);
  ids.pat = person('pat@a.test', 'Pat Pastry', 'Pastry', 'bea@a.test');
  ids.cai = person('cai@a.test', 'Cai Cafe', 'Café', USERS.owner);
  ids.domain = Number(sql(`INSERT INTO domain(org_id, slug, label, risk, created_at) VALUES (${orgA}, 'refund', 'Refunds', 'low', 0); SELECT last_insert_rowid();`));
  decision(ids.bea, 'decide', 'decided', at(3));
  decision(ids.bea, 'decide', 'decided', at(4));
  decision(ids.bea, 'inform', 'decided', at(5));
  decision(ids.bea, 'approve', 'approved', at(6), 10);
  decision(ids.pat, 'decide', 'decided', at(10));
  decision(ids.cai, 'agree', 'approved', at(11), 4);
  decision(ids.cai, 'propose', 'pending', at(12));
  decision(ids.cai, 'approve', 'withdrawn', at(13), 2);
  // outside the range: never counted
  decision(ids.cai, 'approve', 'approved', at(2, 23), 100);
  decision(ids.cai, 'approve', 'approved', at(31), 100);
});

after(async () => { await srv.stop(); });

const get = async (c, q) => {
  const r = await c.get(`/api/v1/insights/decisions?${q}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};

test('insights-1: 4 decisions (2 decide, 1 inform, 1 approve answered after 10 hours)', async () => {
  const j = await get(admin, 'from=2025-03-03&to=2025-03-09');
  assert.equal(j.from, '2025-03-03');
  assert.equal(j.to, '2025-03-09');
  assert.equal(j.total, 4);
  assert.equal(j.autonomous_share, 0.75);
  assert.deepEqual(j.wait_hours, { median: 10, p90: 10, answered: 1, still_pending: 0 });
  assert.deepEqual(j.per_verdict, { none: 0, approve: 1, decide: 2, inform: 1, advise: 0, agree: 0, propose: 0 });
  assert.deepEqual(j.per_team, [{ team: { id: teams[BAKERY], name: BAKERY }, total: 4, autonomous_share: 0.75, median_wait_hours: 10 }]);
  assert.deepEqual(j.weekly, [{ week: '2025-03-03', median_wait_hours: 10, decisions: 4 }]);
});

test('insights-2: the whole month for an admin: totals, waits, per team and per week', async () => {
  const j = await get(admin, RANGE);
  assert.equal(j.total, 8);
  assert.equal(j.autonomous_share, 0.5);
  assert.deepEqual(j.wait_hours, { median: 7, p90: 9.4, answered: 2, still_pending: 1 });
  assert.deepEqual(j.per_verdict, { none: 0, approve: 2, decide: 3, inform: 1, advise: 0, agree: 1, propose: 1 });
  assert.deepEqual(j.per_team, [
    { team: { id: teams[BAKERY], name: BAKERY }, total: 4, autonomous_share: 0.75, median_wait_hours: 10 },
    { team: { id: teams['Café'], name: 'Café' }, total: 3, autonomous_share: 0, median_wait_hours: 4 },
    { team: { id: teams.Pastry, name: 'Pastry' }, total: 1, autonomous_share: 1, median_wait_hours: null },
  ]);
  assert.deepEqual(j.weekly, [
    { week: '2025-03-03', median_wait_hours: 10, decisions: 4 },
    { week: '2025-03-10', median_wait_hours: 4, decisions: 4 },
    { week: '2025-03-17', median_wait_hours: null, decisions: 0 },
    { week: '2025-03-24', median_wait_hours: null, decisions: 0 },
  ]);
});

test('insights-3: ?team_id= covers the team and its sub-teams', async () => {
  const bakery = await get(admin, `${RANGE}&team_id=${teams[BAKERY]}`);
  assert.equal(bakery.total, 5, 'the Bakery and the Pastry sub-team');
  assert.equal(bakery.autonomous_share, 0.8);
  assert.equal(bakery.team_id, teams[BAKERY]);
  assert.deepEqual(bakery.per_team.map((t) => t.team.name), [BAKERY, 'Pastry']);
  const cafe = await get(admin, `${RANGE}&team_id=${teams['Café']}`);
  assert.equal(cafe.total, 3);
  assert.equal(cafe.autonomous_share, 0);
  assert.deepEqual(cafe.wait_hours, { median: 4, p90: 4, answered: 1, still_pending: 1 });
  const pastry = await get(admin, `${RANGE}&team_id=${teams.Pastry}`);
  assert.equal(pastry.total, 1);
  assert.deepEqual(pastry.wait_hours, { median: null, p90: null, answered: 0, still_pending: 0 });
});

test('insights-4: managers see only their part; members not at all; other organisations nothing', async () => {
  const j = await get(manager, RANGE);
  assert.equal(j.total, 5, 'Bea reports to the manager, Pat to Bea; Cai is elsewhere');
  assert.deepEqual(j.per_team.map((t) => t.team.name), [BAKERY, 'Pastry']);
  const cafe = await get(manager, `${RANGE}&team_id=${teams['Café']}`);
  assert.equal(cafe.total, 0, 'a team outside their part shows nothing');
  assert.equal(cafe.autonomous_share, null);
  assert.deepEqual(cafe.wait_hours, { median: null, p90: null, answered: 0, still_pending: 0 });
  const m = await member.get(`/api/v1/insights/decisions?${RANGE}`);
  assert.equal(m.status, 403);
  assert.equal((await member.get('/insights')).status, 403);
  const b = await get(ownerB, RANGE);
  assert.equal(b.total, 0);
  assert.deepEqual(b.per_team, []);
  assert.equal((await ownerB.get(`/api/v1/insights/decisions?${RANGE}&team_id=${teams.Pastry}`)).status, 404, 'a team of another organisation');
  assert.equal((await srv.anon().get('/api/v1/insights/decisions')).status, 401);
});

test('insights-5: dates and team ids are checked', async () => {
  for (const q of ['from=2025-13-01', 'from=2025-02-30', 'to=yesterday', 'from=2025-3-1', 'from=2025-03-10&to=2025-03-09', 'from=1990-01-01&to=2025-01-01',
    'from=2025-03-03x', 'from=%202025-03-03', 'team_id=abc', 'team_id=-1']) {
    const r = await admin.get(`/api/v1/insights/decisions?${q}`);
    assert.equal(r.status, 400, q);
    assert.equal(r.json.error.code, 'invalid_parameter', q);
  }
  assert.equal((await admin.get('/api/v1/insights/decisions?team_id=999999')).status, 404);
  const d = await get(admin, '');
  const today = new Date().toISOString().slice(0, 10);
  assert.equal(d.to, today, 'by default up to today');
  const span = (Date.parse(d.to) - Date.parse(d.from)) / 86400000;
  assert.equal(span, 89, 'the last 90 days');
  assert.ok(d.weekly.length >= 13 && d.weekly.length <= 14);
  for (const w of d.weekly) assert.equal(new Date(w.week + 'T00:00:00Z').getUTCDay(), 1, `${w.week} is a Monday`);
  const onlyFrom = await get(admin, 'from=2025-03-03');
  assert.equal(onlyFrom.from, '2025-03-03');
  assert.equal(onlyFrom.to, today);
  const onlyTo = await get(admin, 'to=2025-03-30');
  assert.equal(onlyTo.from, '2024-12-31');
});

test('insights-6: the dashboard draws both charts as inline SVG, escapes names, and keeps data tables', async () => {
  const r = await admin.get(`/insights?${RANGE}`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/html/);
  const svgs = r.text.match(/<svg [^>]*>/g) || [];
  assert.equal(svgs.length, 2, 'two charts');
  for (const s of svgs) {
    assert.match(s, /role="img"/);
    assert.match(s, /aria-label="Bar chart: [^"]+"/);
  }
  assert.match(svgs[0], /longest median was 10.0 hours, in the week of 2025-03-03/);
  assert.match(svgs[1], /Bakery &lt;&amp;&gt; Ovens 75%/);
  assert.match(r.text, /<rect class="bar"[^>]*><title>Week of 2025-03-03: median wait 10.0 hours over 1 answered request; 4 decisions logged<\/title><\/rect>/);
  assert.match(r.text, /<title>Bakery &lt;&amp;&gt; Ovens: 75% of 4 decisions taken without waiting<\/title>/);
  assert.ok(!r.text.includes(BAKERY), 'the raw name never appears');
  assert.match(r.text, /<text[^>]*>03-03<\/text>/, 'week labels on the x axis');
  assert.match(r.text, /<text[^>]*>10 h<\/text>/, 'hours on the y axis');
  assert.ok((r.text.match(/<table class="list">/g) || []).length >= 3, 'data tables for both charts and the verdicts');
  assert.match(r.text, /<strong>50%<\/strong> taken without waiting/);
  assert.match(r.text, /<strong>7.0 h<\/strong> median wait/);
  assert.match(r.text, /<strong>9.4 h<\/strong> 90th percentile/);
  assert.match(r.text, /<form method="get" action="\/insights" class="filters">/);
  assert.match(r.text, new RegExp(`<option value="${teams['Café']}">Café</option>`));
  assert.ok(!/<script>/.test(r.text.replace(/<script src="\/assets\/app.js" defer><\/script>/, '')), 'no inline script');

  const mgr = await manager.get(`/insights?${RANGE}`);
  assert.equal(mgr.status, 200);
  assert.ok(!mgr.text.includes('Café: '), 'the manager does not see the Café\'s numbers');
  const bad = await admin.get('/insights?from=2025-99-01');
  assert.equal(bad.status, 400);
  assert.match(bad.text, /class="error-summary"/);
  assert.match(bad.text, /value="2025-99-01"/);
  const empty = await admin.get('/insights?from=2020-01-06&to=2020-01-12');
  assert.equal(empty.status, 200);
  assert.match(empty.text, /No request was answered in this period/);
  assert.match(empty.text, /No decisions in this period/);
});

test('insights-7: a manager who leads a team also sees it and its sub-teams', async () => {
  const r = await admin.patch(`/api/v1/teams/${teams['Café']}`, { lead_id: ids.manager });
  assert.equal(r.status, 200, r.text);
  const j = await get(manager, RANGE);
  assert.equal(j.total, 8);
  assert.equal(j.autonomous_share, 0.5);
});

test('insights-8: people without a team count under "No team", last; a team filter narrows a manager\'s part', async () => {
  const r = remit(['user', 'add', '--db', srv.db, '--org', 'Org A', '--email', 'nia@a.test', '--name', 'Nia Noteam', '--access', 'member', '--manager', USERS.manager]);
  assert.equal(r.code, 0, r.stderr);
  ids.nia = Number(r.stdout.match(/person (\d+)/)[1]);
  decision(ids.nia, 'decide', 'decided', at(20));
  const a = await get(admin, RANGE);
  assert.equal(a.total, 9);
  assert.deepEqual(a.per_team.map((t) => t.team && t.team.name), [BAKERY, 'Café', 'Pastry', null]);
  assert.deepEqual(a.per_team[3], { team: null, total: 1, autonomous_share: 1, median_wait_hours: null });
  const m = await get(manager, RANGE);
  assert.equal(m.total, 9, 'Nia reports to the manager; the manager leads the Café since insights-7');
  const pastry = await get(manager, `${RANGE}&team_id=${teams.Pastry}`);
  assert.equal(pastry.total, 1);
  assert.deepEqual(pastry.per_team.map((t) => t.team.name), ['Pastry']);
  const page = await admin.get(`/insights?${RANGE}`);
  assert.match(page.text, /<tr><td>No team<\/td><td class="num">1<\/td><td class="num">100%<\/td><td class="num">none<\/td><\/tr>/);
});
