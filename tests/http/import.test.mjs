// import.test.mjs: importing people from CSV through the API
// (POST /api/v1/people/import), the page (/people/import, file upload and
// pasted text) and the command line (`remit import people`). All rows or
// none: a file with any problem imports nothing and reports every problem by
// the line its record starts on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, remit, USERS } from './lib.mjs';

let srv, owner, admin, member, other, anon;
const HEADER = 'name,email,team,manager_email,title,access';

before(async () => {
  srv = await startServer();
  owner = await srv.login(USERS.owner);
  admin = await srv.login(USERS.admin);
  member = await srv.login(USERS.member);
  other = await srv.login(USERS.other);
  anon = srv.anon();
});
after(async () => { await srv.stop(); });

async function all(c) {
  const r = await c.get('/api/v1/people?limit=500');
  assert.equal(r.status, 200);
  assert.equal(r.json.next_after, null, 'fixture grew past one page');
  return r.json.items;
}
const find = (items, email) => items.find((p) => p.email.toLowerCase() === email.toLowerCase());
const importCsv = (c, csv, ctype = 'text/csv') => c.req('POST', '/api/v1/people/import', { body: csv, headers: { 'content-type': ctype } });

// multipart(c, fields, file): posts /people/import like a browser would,
// with the session's csrf_token field; file = {name, text} or null.
async function multipart(c, { csv = '', file = null } = {}) {
  const fd = new FormData();
  fd.set('csrf_token', c.csrf);
  if (file) fd.set('file', new Blob([file.text], { type: 'text/csv' }), file.name);
  else fd.set('file', new Blob([], { type: 'application/octet-stream' }), '');
  fd.set('csv', csv);
  return c.req('POST', '/people/import', { body: fd, csrf: false });
}

test('import-1.1: a good file imports every row: quoted comma and newline, new team, manager defined later', async () => {
  const before = await all(admin);
  const csv = [
    'Name,Email,Team,Manager_Email,Title,Access', // header names in any case
    '"Lee, Sam",sam@imp.test,Kitchen Crew,boss@imp.test,"Baker,',
    'night shift",',
    'Ria Report,ria@imp.test,kitchen crew,sam@imp.test,Apprentice,member',
    '',
    'Bo Boss,BOSS@imp.test,Kitchen Crew,manager@a.test,Head baker,manager',
  ].join('\r\n') + '\r\n';
  const r = await importCsv(admin, csv);
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json, { imported: 3, invited: false }); // invited: whether ?invite=1 e-mailed them (issue 11)
  const now = await all(admin);
  assert.equal(now.length, before.length + 3);
  const sam = find(now, 'sam@imp.test'), ria = find(now, 'ria@imp.test'), bo = find(now, 'boss@imp.test');
  const max = find(now, USERS.manager);
  assert.equal(sam.name, 'Lee, Sam');
  assert.equal(sam.title, 'Baker,\r\nnight shift');
  assert.equal(sam.access, 'member', 'blank access is member');
  assert.equal(sam.status, 'active');
  assert.equal(sam.manager_id, bo.id, 'a manager defined later in the file');
  assert.equal(ria.manager_id, sam.id);
  assert.equal(bo.manager_id, max.id, 'a manager already in the organisation');
  assert.equal(bo.email, 'BOSS@imp.test');
  assert.equal(bo.access, 'manager');
  assert.ok(sam.team && sam.team.name === 'Kitchen Crew', 'the team was created');
  assert.equal(ria.team_id, sam.team_id, 'team names match in any case');
  assert.equal(bo.team_id, sam.team_id);
  // an existing team is reused, not created again
  const r2 = await importCsv(admin, `${HEADER}\nKim Later,kim@imp.test,KITCHEN CREW,,,\n`);
  assert.equal(r2.status, 201);
  assert.equal(find(await all(admin), 'kim@imp.test').team_id, sam.team_id);
  // imported people have no password until an admin sets one
  assert.equal((await anon.post('/api/v1/session', { email: 'sam@imp.test', password: 'correct horse battery' })).status, 401);
});

test('import-1.2: a file with two bad rows reports both lines and imports nothing', async () => {
  const before = await all(admin);
  const csv = [HEADER,
    'Good One,good1@imp2.test,New Team X,,,',
    'Bad Mail,not-an-email,,,,',
    'Good Two,good2@imp2.test,,good1@imp2.test,,',
    '"Multi',
    'Line",ml@imp2.test,,,,',
    'Bad Access,bad@imp2.test,,,,emperor',
  ].join('\n');
  const r = await importCsv(admin, csv);
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'invalid_csv');
  assert.match(r.json.error.message, /nothing was imported/);
  assert.deepEqual(r.json.error.details.map((d) => d.line), [3, 7], 'the line after a two-line record is 7');
  assert.match(r.json.error.details[0].message, /not-an-email/);
  assert.match(r.json.error.details[1].message, /access/);
  const now = await all(admin);
  assert.equal(now.length, before.length, 'nobody imported');
  assert.equal(find(now, 'good1@imp2.test'), undefined);
  const fresh = await importCsv(admin, `${HEADER}\nProbe,probe@imp2.test,,,,\n`);
  assert.equal(fresh.status, 201);
  assert.equal(find(await all(admin), 'probe@imp2.test').team, null);
});

test('import-1.3: every rule: duplicates, unknown managers, owners, loops, header and size problems', async () => {
  const before = (await all(admin)).length;
  const cases = [
    ['', [1], /empty/],
    [`${HEADER}\n`, [1], /no rows/],
    [`${HEADER}\n,,,,,\n`, [1], /no rows/],
    ['name,email,team,boss,title,access\nA,a@x.test,,,,\n', [1, 1], /boss|manager_email/],
    ['name,email\nA,a@x.test\n', [1, 1, 1, 1], /team|manager_email|title|access/],
    [`${HEADER}\nA,dup@x.test,,,,\nB,DUP@x.test,,,,\n`, [3], /also on line 2/],
    [`${HEADER}\nA,MEMBER@a.test,,,,\n`, [2], /already in this organisation/],
    [`${HEADER}\nA,a@x.test,,ghost@x.test,,\n`, [2], /neither in this file nor/],
    [`${HEADER}\nA,a@x.test,,a@x.test,,\n`, [2], /own manager/],
    [`${HEADER}\nA,a@x.test,,,,owner\n`, [2], /owner/],
    [`${HEADER}\nA,a@x.test,,b@x.test,,\nB,b@x.test,,c@x.test,,\nC,c@x.test,,a@x.test,,\nD,d@x.test,,a@x.test,,\n`, [2, 3, 4], /loops/],
    [`${HEADER}\nA,a@x.test,,,\n`, [2], /expected 6 fields/],
    [`${HEADER}\nA b"c,a@x.test,,,,\n`, [2], /malformed/],
    [`${HEADER}\n"A,a@x.test,,,,\n`, [2], /never closed/],
    [`${HEADER}\n,a@x.test,,,,\n`, [2], /name is empty/],
  ];
  for (const [csv, lines, re] of cases) {
    const r = await importCsv(admin, csv);
    assert.equal(r.status, 422, JSON.stringify(csv) + ' ' + r.text);
    assert.deepEqual(r.json.error.details.map((d) => d.line), lines, JSON.stringify(csv) + ' ' + r.text);
    assert.match(r.json.error.details[0].message, re, JSON.stringify(csv));
  }
  assert.equal((await all(admin)).length, before, 'nothing imported');
});

test('import-1.4: at most 5000 rows per import', async () => {
  const rows = [HEADER];
  for (let i = 0; i < 5001; i++) rows.push(`P${i},p${i}@cap.test,,,,`);
  const r = await importCsv(admin, rows.join('\n'));
  assert.equal(r.status, 422);
  assert.ok(r.json.error.details.some((d) => d.line === 5002 && /too many rows/.test(d.message)), r.text.slice(0, 300));
  assert.equal((await admin.get('/api/v1/people?q=cap.test')).json.items.length, 0);
});

test('import-2.1: only admins import; members get 403, strangers 401; the body must be CSV', async () => {
  const csv = `${HEADER}\nNope,nope@perm.test,,,,\n`;
  assert.equal((await importCsv(member, csv)).status, 403);
  assert.equal((await importCsv(anon, csv)).status, 401);
  assert.equal((await admin.req('POST', '/api/v1/people/import', { body: csv, headers: { 'content-type': 'text/csv' }, csrf: false })).status, 403, 'cookie sessions need the CSRF token');
  assert.equal((await importCsv(admin, csv, 'application/json')).status, 415);
  assert.equal((await admin.get('/api/v1/people?q=nope%40perm')).json.items.length, 0);
  assert.equal((await member.get('/people/import')).status, 403);
  assert.equal((await anon.get('/people/import')).status, 303);
  // an API token works, and organisations are separate: Org B may import an
  // e-mail that Org A already has, and lands in Org B only
  const tok = srv.bearer(USERS.other);
  const r = await importCsv(tok, `${HEADER}\nMia In B,member@a.test,B Crew,owner@b.test,,admin\n`);
  assert.equal(r.status, 201, r.text);
  const inB = find(await all(other), 'member@a.test');
  assert.equal(inB.name, 'Mia In B');
  assert.equal(inB.access, 'admin');
  assert.equal(inB.team.name, 'B Crew');
  assert.equal(find(await all(admin), 'member@a.test').name.startsWith('Mia'), true);
  assert.ok(!(await all(admin)).some((p) => p.name === 'Mia In B'));
});

test('import-3.1: the page: a form with a file input and a paste box; problems listed by line; pasted text kept', async () => {
  let r = await admin.get('/people/import');
  assert.equal(r.status, 200);
  assert.match(r.text, /enctype="multipart\/form-data"/);
  assert.match(r.text, /<input id="f-file" name="file" type="file"/);
  assert.match(r.text, /<textarea id="f-csv" name="csv"/);
  const before = (await all(admin)).length;
  const pasted = `${HEADER}\nOk Person,ok@page.test,,,,\nBad <b>Row</b>,nope,,,,\nOther,other@page.test,,ghost@page.test,,\n`;
  r = await multipart(admin, { csv: pasted });
  assert.equal(r.status, 422);
  assert.match(r.text, /Nothing was imported/);
  assert.match(r.text, /<li>Line 3: [^<]*nope/);
  assert.match(r.text, /<li>Line 4: [^<]*ghost@page\.test/);
  assert.ok(r.text.includes('Bad &lt;b&gt;Row&lt;/b&gt;,nope'), 'the pasted text is kept, escaped');
  assert.ok(!r.text.includes('<b>Row</b>'));
  assert.equal((await all(admin)).length, before);
  r = await multipart(admin, { csv: '' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Choose a CSV file or paste/);
  // the same form posted url-encoded (pasted text) also works
  r = await admin.form('/people/import', { csv: `${HEADER}\nUrl Person,url@page.test,,,,\n` });
  assert.equal(r.status, 303);
  assert.equal((await all(admin)).length, before + 1);
});

test('import-3.2: the page: an uploaded file imports and redirects to /people with a flash', async () => {
  const before = (await all(admin)).length;
  const text = `${HEADER}\r\n"Up, Loaded",up1@page.test,Upload Team,,,\r\nSecond Upload,up2@page.test,Upload Team,up1@page.test,,\r\n`;
  const r = await multipart(admin, { file: { name: 'people.csv', text }, csv: 'ignored when a file is chosen' });
  assert.equal(r.status, 303, r.text);
  assert.equal(r.headers.get('location'), '/people?imported=2');
  const page = await admin.get(r.headers.get('location'));
  assert.match(page.text, /class="flash"[^>]*>Imported 2 people\./);
  assert.match(page.text, /Up, Loaded/);
  const now = await all(admin);
  assert.equal(now.length, before + 2);
  assert.equal(find(now, 'up2@page.test').manager.name, 'Up, Loaded');
  // a bad uploaded file: problems by line, its text offered for fixing
  const bad = await multipart(admin, { file: { name: 'bad.csv', text: `${HEADER}\nX,up1@page.test,,,,\n` } });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /<li>Line 2: [^<]*already in this organisation/);
  assert.match(bad.text, /X,up1@page\.test/);
  assert.equal((await member.req('POST', '/people/import', { body: new FormData() })).status, 403);
});

test('import-4.1: the command line imports all or nothing, exiting 0 or 1', async () => {
  const good = join(srv.dir, 'good.csv');
  const bad = join(srv.dir, 'bad.csv');
  writeFileSync(good, `${HEADER}\nCli One,cli1@cli.test,Cli Team,,,\nCli Two,cli2@cli.test,Cli Team,cli1@cli.test,,manager\n`);
  writeFileSync(bad, `${HEADER}\nCli Three,cli3@cli.test,,,,\nBroken,broken,,,,\nCli One Again,CLI1@cli.test,,,,\n`);
  const before = (await all(admin)).length;
  let r = remit(['import', 'people', '--db', srv.db, '--org', 'Org A', good]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /imported 2 people/);
  let now = await all(admin);
  assert.equal(now.length, before + 2);
  assert.equal(find(now, 'cli2@cli.test').manager.name, 'Cli One');
  assert.equal(find(now, 'cli2@cli.test').access, 'manager');
  r = remit(['import', 'people', '--db', srv.db, '--org', 'Org A', bad]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /nothing imported/);
  assert.match(r.stderr, /line 3: .*broken/);
  assert.match(r.stderr, /line 4: .*already in this organisation/);
  assert.equal((await all(admin)).length, before + 2, 'nothing from the bad file');
  assert.equal(find(await all(admin), 'cli3@cli.test'), undefined);
  r = remit(['import', 'people', '--db', srv.db, '--org', 'Org A', join(srv.dir, 'missing.csv')]);
  assert.equal(r.code, 1);
  r = remit(['import', 'people', '--db', srv.db, good]);
  assert.equal(r.code, 1, 'two organisations: --org is needed');
});
