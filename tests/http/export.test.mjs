// export.test.mjs: CSV exports (src/export.c). Every list's ?format=csv
// against its JSON list for the same caller and filters, the permissions of
// the list (a member cannot export what they cannot list), RFC 4180 quoting,
// formula neutralisation, the "Download CSV" links of the pages, and a long
// list streamed over several pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, USERS, rawGet } from './lib.mjs';

let srv, owner, admin, manager, member, other;
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const EVIL = "=cmd|' /C calc'!A0";

// parseCsv: RFC 4180 (CRLF rows, quoted fields with doubled quotes); fails
// the test on a bare LF outside quotes, so CRLF is checked on every row.
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', i = 0, quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      cell += c; i++; continue;
    }
    if (c === '"' && cell === '') { quoted = true; i++; continue; }
    if (c === ',') { row.push(cell); cell = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 2; continue; }
    assert.notEqual(c, '\n', `a bare LF outside quotes at ${i}`);
    cell += c; i++;
  }
  assert.equal(cell, '', 'the last row ends with CRLF');
  assert.equal(row.length, 0, 'the last row ends with CRLF');
  return rows;
}

// The columns of each export (header, path in the JSON item).
const COLS = {
  people: ['id', 'name', 'email', 'title', 'team_id', ['team', 'team.name'], 'manager_id', ['manager', 'manager.name'], 'access', 'status', 'started_on', 'left_on', 'leave_reason'],
  teams: ['id', 'name', 'parent_id', 'lead_id', ['lead', 'lead.name'], 'member_count'],
  goals: ['id', 'title', 'parent_id', 'metric', 'target', 'due_on', 'owner_team_id', ['owner_team', 'owner_team.name'], 'status'],
  rights: ['id', 'domain', 'domain_label', 'role_id', ['role', 'role.name'], 'person_id', ['person', 'person.name'], 'level', 'level_name', 'limit',
    'advisor_id', ['advisor', 'advisor.name'], 'expires_on', 'expired', 'reason', ['granted_by', 'granted_by.name'], 'created_at', 'updated_at'],
  decisions: ['id', 'requested_at', ['author_id', 'author.id'], ['author', 'author.name'], 'domain', 'title', 'amount', 'verdict', 'status',
    ['route_to', 'route_to.name'], 'answered_at', ['answered_by', 'answered_by.name'], 'risk', 'reward', 'review_on', 'outcome', 'context', 'rationale', 'learning'],
  ideas: ['id', 'title', 'stage', 'votes', ['author', 'author.name'], 'anonymous', 'comment_count', 'created_at', 'body'],
  audit: ['id', 'at', ['actor_id', 'actor.id'], ['actor', 'actor.name'], 'action', 'object', 'detail'],
};
const spec = (name) => COLS[name].map((c) => (Array.isArray(c) ? c : [c, c]));
// cell: what the export must write for one JSON value.
function cell(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return /^[=+\-@\t\r]/.test(v) ? "'" + v : v;
  return String(v);
}
const pick = (item, path) => path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), item);

// allJson: every page of a JSON list.
async function allJson(c, path, query = '') {
  const items = [];
  let after = null;
  for (;;) {
    const sep = query ? `?${query}&` : '?';
    const r = await c.get(`${path}${sep}limit=500${after ? `&after=${after}` : ''}`);
    assert.equal(r.status, 200, `${path}: ${r.text}`);
    items.push(...r.json.items);
    if (!r.json.next_after) return items;
    after = r.json.next_after;
  }
}

// sameAsJson: the CSV of path?query equals the JSON list, row for row.
async function sameAsJson(c, name, path, query = '') {
  const r = await c.get(`${path}?format=csv${query ? '&' + query : ''}`);
  assert.equal(r.status, 200, `${path} csv: ${r.text}`);
  assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.match(r.headers.get('content-disposition'), new RegExp(`^attachment; filename="${name === 'audit' ? 'audit-log' : name}-\\d{4}-\\d\\d-\\d\\d\\.csv"$`));
  const rows = parseCsv(r.text);
  const cols = spec(name);
  assert.deepEqual(rows[0], cols.map(([h]) => h), `${name}: header`);
  const items = await allJson(c, path, query);
  assert.deepEqual(rows.slice(1), items.map((it) => cols.map(([, p]) => cell(pick(it, p)))), `${name}: rows`);
  return { rows: rows.slice(1), items };
}

let ORG, teamId, challengeId, hiddenChallenge;
before(async () => {
  srv = await startServer();
  owner = await srv.login(USERS.owner);
  admin = await srv.login(USERS.admin);
  manager = await srv.login(USERS.manager);
  member = await srv.login(USERS.member);
  other = await srv.login(USERS.other);
  ORG = Number(sql("SELECT id FROM org WHERE name = 'Org A'"));
  const t = await admin.post('/api/v1/teams', { name: 'Ops, "north"' });
  assert.equal(t.status, 201, t.text);
  teamId = t.json.id;
  const hidden = await admin.post('/api/v1/teams', { name: 'Hidden team' });
  const p = await admin.post('/api/v1/people', { name: EVIL, email: 'evil@a.test', team_id: teamId, title: '+SUM(1,2)' });
  assert.equal(p.status, 201, p.text);
  await admin.post('/api/v1/people', { name: 'Dora "Dee" Lee', email: 'dora@a.test', title: '@home, mostly', status: 'away' });
  assert.equal((await admin.post('/api/v1/goals', { title: '-5% waste', metric: 'kg, per week', owner_team_id: teamId })).status, 201);
  sql(`INSERT INTO domain(org_id,slug,label,risk,created_at) VALUES(${ORG},'refund','refunds','low',0)`);
  const memberId = Number(sql(`SELECT id FROM person WHERE email = '${USERS.member}'`));
  const r = await admin.post('/api/v1/rights', { person_id: memberId, domain: 'refund', level: 7, limit: '50', reason: '=HYPERLINK("x")' });
  assert.equal(r.status, 201, r.text);
  for (let i = 0; i < 3; i++) assert.equal((await member.post('/api/v1/decisions', { domain: 'refund', title: `Refund ${i}, "quick"`, amount: '10', risk: 1, reward: 2 })).status, 201);
  assert.equal((await manager.post('/api/v1/decisions', { domain: 'refund', title: "The manager's own", risk: 1, reward: 1 })).status, 201);
  challengeId = Number(sql(`INSERT INTO challenge(org_id,title,body,scope,team_id,phase,owner_id,created_at,updated_at) VALUES (${ORG},'Ideas','','org',NULL,'open',${memberId},0,0); SELECT last_insert_rowid();`));
  hiddenChallenge = Number(sql(`INSERT INTO challenge(org_id,title,body,scope,team_id,phase,owner_id,created_at,updated_at) VALUES (${ORG},'Secret','','team',${hidden.json.id},'open',${memberId},0,0); SELECT last_insert_rowid();`));
  assert.equal((await member.post(`/api/v1/challenges/${challengeId}/ideas`, { title: '=1+1', body: 'line one\nline two, with comma' })).status, 201);
  assert.equal((await manager.post(`/api/v1/challenges/${challengeId}/ideas`, { title: 'Plain idea', body: '' })).status, 201);
});
after(async () => { await srv.stop(); });

test('export-1: every list exports the same header and rows as its JSON list', async () => {
  await sameAsJson(admin, 'people', '/api/v1/people');
  await sameAsJson(admin, 'teams', '/api/v1/teams');
  await sameAsJson(admin, 'goals', '/api/v1/goals');
  await sameAsJson(admin, 'rights', '/api/v1/rights');
  await sameAsJson(admin, 'decisions', '/api/v1/decisions');
  await sameAsJson(member, 'ideas', `/api/v1/challenges/${challengeId}/ideas`, 'sort=new');
  const audit = await sameAsJson(admin, 'audit', '/api/v1/audit');
  assert.ok(audit.rows.length >= 5, 'the audit log has entries');
});

test('export-2: filters are the list\'s own', async () => {
  const away = await sameAsJson(admin, 'people', '/api/v1/people', 'status=away');
  assert.deepEqual(away.rows.map((r) => r[1]), ['Dora "Dee" Lee']);
  const team = await sameAsJson(admin, 'people', '/api/v1/people', `team_id=${teamId}`);
  assert.deepEqual(team.rows.map((r) => r[1]), ["'" + EVIL]);
  const pend = await sameAsJson(manager, 'decisions', '/api/v1/decisions', 'status=decided&domain=refund');
  assert.ok(pend.rows.length >= 3 && pend.rows.every((r) => r[8] === 'decided'), JSON.stringify(pend.rows));
  await sameAsJson(admin, 'audit', '/api/v1/audit', 'action=person.create');
  // a bad filter is the list's own 400, as JSON, and no CSV
  const bad = await admin.get('/api/v1/decisions?format=csv&status=maybe');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.code, 'invalid_parameter');
  const fmt = await admin.get('/api/v1/people?format=xml');
  assert.equal(fmt.status, 400);
  assert.match(fmt.json.error.message, /format/);
  // format=json is the ordinary list
  const j = await admin.get('/api/v1/people?format=json&limit=2');
  assert.equal(j.status, 200);
  assert.equal(j.json.items.length, 2);
});

test('export-3: a member exports only what they can list', async () => {
  // the member sees only what the decision list shows them; the manager's own pending one is not among them
  const mine = await sameAsJson(member, 'decisions', '/api/v1/decisions');
  assert.ok(!mine.rows.some((r) => r[5] === "The manager's own"), 'no decision the member cannot see');
  // the audit log needs admin access: 403 as JSON, no rows
  const audit = await member.get('/api/v1/audit?format=csv');
  assert.equal(audit.status, 403);
  assert.equal(audit.json.error.code, 'forbidden');
  assert.doesNotMatch(audit.text, /person\.create/);
  // a challenge of a team the member is not in: 404 and no ideas
  const hidden = await member.get(`/api/v1/challenges/${hiddenChallenge}/ideas?format=csv`);
  assert.equal(hidden.status, 404);
  // another organisation's challenge: 404; its own people export has none of Org A
  assert.equal((await other.get(`/api/v1/challenges/${challengeId}/ideas?format=csv`)).status, 404);
  const theirs = parseCsv((await other.get('/api/v1/people?format=csv')).text);
  assert.deepEqual(theirs.slice(1).map((r) => r[2]), [USERS.other]);
  // without a login: 401
  assert.equal((await srv.anon().get('/api/v1/people?format=csv')).status, 401);
});

test('export-4: quoting and formula neutralisation, byte for byte', async () => {
  const text = (await admin.get('/api/v1/people?format=csv')).text;
  assert.match(text, /^id,name,email,title,team_id,team,manager_id,manager,access,status,started_on,left_on,leave_reason\r\n/);
  // the formula is neutralised and, holding a comma-free text, left unquoted; the title has a comma-free + formula
  assert.ok(text.includes(`,'=cmd|' /C calc'!A0,evil@a.test,"'+SUM(1,2)",${teamId},"Ops, ""north""",`), text);
  assert.ok(text.includes(`,"Dora ""Dee"" Lee",dora@a.test,"'@home, mostly",`), text);
  const goals = (await admin.get('/api/v1/goals?format=csv')).text;
  assert.ok(goals.includes(`,'-5% waste,,"kg, per week",`), goals);
  const rights = (await admin.get('/api/v1/rights?format=csv')).text;
  assert.ok(rights.includes(`"'=HYPERLINK(""x"")"`), rights);
  const ideas = (await member.get(`/api/v1/challenges/${challengeId}/ideas?format=csv&sort=new`)).text;
  assert.ok(ideas.includes(`,'=1+1,new,`), ideas);
  assert.ok(ideas.includes(`,"line one\nline two, with comma"\r\n`), ideas);
  // UTF-8 as it is
  assert.equal((await admin.patch(`/api/v1/teams/${teamId}`, { name: 'Café Süd' })).status, 200);
  assert.ok((await admin.get('/api/v1/teams?format=csv')).text.includes(',Café Süd,'));
});

test('export-5: pages link to their export with their filters', async () => {
  const cookieGet = (p) => member.get(p);
  const people = await admin.get(`/people?status=away&q=Dora&saved=1`);
  assert.match(people.text, /<a href="\/api\/v1\/people\?format=csv&amp;status=away&amp;q=Dora" download>Download CSV<\/a>/);
  const dec = await cookieGet('/decisions?status=decided&domain=refund');
  assert.match(dec.text, /href="\/api\/v1\/decisions\?format=csv&amp;status=decided&amp;domain=refund"/);
  assert.match((await cookieGet(`/challenges/${challengeId}?sort=new`)).text, new RegExp(`href="/api/v1/challenges/${challengeId}/ideas\\?format=csv&amp;sort=new"`));
  assert.match((await cookieGet('/teams')).text, /href="\/api\/v1\/teams\?format=csv"/);
  assert.match((await cookieGet('/org')).text, /href="\/api\/v1\/goals\?format=csv"/);
  assert.match((await cookieGet('/rights?domain=refund')).text, /href="\/api\/v1\/rights\?format=csv&amp;domain=refund"/);
  assert.match((await admin.get('/audit?action=person.create')).text, /href="\/api\/v1\/audit\?format=csv&amp;action=person.create"/);
  // the link works with the page's own cookie session, and gives the page's rows
  const csv = await admin.get('/api/v1/people?format=csv&status=away&q=Dora');
  assert.equal(csv.status, 200);
  assert.equal(parseCsv(csv.text).length, 2);
});

test('export-6: a list longer than a page is streamed whole, and gzip decodes to the same bytes', async () => {
  const memberId = Number(sql(`SELECT id FROM person WHERE email = '${USERS.member}'`));
  const did = Number(sql("SELECT id FROM domain WHERE slug = 'refund'"));
  sql(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200) ` +
    `INSERT INTO decision(org_id,author_id,domain_id,title,amount_cents,risk,reward,verdict,level,status,requested_at,created_at) ` +
    `SELECT ${ORG},${memberId},${did},'Bulk ' || i,100,1,1,'decide',7,'decided',1000 + i,1000 + i FROM n`);
  const { rows } = await sameAsJson(admin, 'decisions', '/api/v1/decisions');
  assert.ok(rows.length >= 1203, `${rows.length} rows`);
  assert.equal(new Set(rows.map((r) => r[0])).size, rows.length, 'no row twice');
  const plain = await rawGet(srv.base, '/api/v1/decisions?format=csv', { authorization: `Bearer ${srv.bearer(USERS.admin).token}` });
  const gz = await rawGet(srv.base, '/api/v1/decisions?format=csv', { authorization: `Bearer ${srv.bearer(USERS.admin).token}`, 'accept-encoding': 'gzip' });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gz.headers.vary, 'Accept-Encoding');
  assert.ok(gz.body.length < plain.body.length / 3, `${gz.body.length} vs ${plain.body.length}`);
  const { gunzipSync } = await import('node:zlib');
  assert.ok(gunzipSync(gz.body).equals(plain.body), 'gzip decodes to the same bytes');
});
