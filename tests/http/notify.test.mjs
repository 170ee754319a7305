// notify.test.mjs: the notifications service end to end through the real
// binary: a real SMTP server (npm smtp-server, read with mailparser) and a
// local HTTP sink for chat webhooks, both on 127.0.0.1 and started here.
// Invitations and password resets (read the link from the mail, set the
// password, log in; single use; sessions and tokens end), imports with
// invitations, preferences, e-mail at once with List-Unsubscribe one-click,
// digests, delivery while the SMTP server is down then up (once), remit
// killed with SIGKILL with mail queued (delivered once after the restart),
// chat hooks (https only, masked, signed), action items and their API, and
// the pilot action an idea's owner gets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { startServer, remit, USERS, PASSWORD, BIN, makeDb, Client } from './lib.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.REMIT_OUTBOX_BACKOFF_MS = '150';
process.env.REMIT_ALLOW_HTTP_WEBHOOKS = '1';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// smtp(port?): a real SMTP server on 127.0.0.1; every message parsed into
// mails (with its raw text). close() stops it; start again on the same port.
function smtp(port = 0) {
  const box = { mails: [], port };
  box.start = () => new Promise((resolve, reject) => {
    box.server = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
      onData(stream, session, cb) {
        const chunks = [];
        stream.on('data', (c) => chunks.push(c));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const m = await simpleParser(raw);
          m.raw = raw;
          m.rcpt = session.envelope.rcptTo.map((x) => x.address);
          box.mails.push(m);
          cb();
        });
      },
    });
    box.server.on('error', () => {});
    box.server.listen(box.port, '127.0.0.1', () => { box.port = box.server.server.address().port; resolve(box); });
    box.server.server.once('error', reject);
  });
  box.close = () => new Promise((r) => box.server.close(r));
  return box;
}

// waitFor: polls until fn() is truthy (or fails after ms).
async function waitFor(fn, what, ms = 8000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const linkIn = (m) => m.text.match(/https?:\/\/\S+\/password\/set\?token=[A-Za-z0-9_-]{43}/)[0];
const mailsTo = (box, to) => box.mails.filter((m) => m.rcpt.includes(to));

let box, srv, admin, manager, member, ownerB, ids = {};
const sql = (db, q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', db, q], { encoding: 'utf8' }).trim();

before(async () => {
  box = await smtp().start();
  srv = await startServer({ args: ['--smtp', `smtp://127.0.0.1:${box.port}`, '--smtp-from', 'remit@a.test'] });
  admin = srv.bearer(USERS.admin);
  manager = srv.bearer(USERS.manager);
  member = srv.bearer(USERS.member);
  ownerB = srv.bearer(USERS.other);
  for (const k of ['admin', 'manager', 'member']) ids[k] = Number(sql(srv.db, `SELECT id FROM person WHERE email_lc = '${USERS[k]}'`));
});
after(async () => { await srv.stop(); await box.close(); });

test('invite-1: an invitation e-mail has both parts and a one-time link that sets the password; the link works once', async () => {
  const add = await admin.post('/api/v1/people', { name: 'Nia Neu', email: 'nia@a.test', access: 'member' });
  assert.equal(add.status, 201, add.text);
  assert.equal((await member.post(`/api/v1/people/${add.json.id}/invite`)).status, 403);
  assert.equal((await ownerB.post(`/api/v1/people/${add.json.id}/invite`)).status, 404);
  const r = await admin.post(`/api/v1/people/${add.json.id}/invite`);
  assert.equal(r.status, 202, r.text);
  assert.equal(r.json.link, null, 'with e-mail on, the link travels only by e-mail');
  const m = await waitFor(() => mailsTo(box, 'nia@a.test')[0], 'the invitation');
  assert.match(m.raw, /Content-Type: multipart\/alternative/);
  assert.ok(m.text.includes('invited') && m.html.includes('<a href='), 'a text and an HTML part');
  assert.doesNotMatch(m.html, /<img/i, 'no tracking pixel');
  const link = linkIn(m);
  assert.ok(link.startsWith(srv.base), 'the link points at this server');
  const token = new URL(link).searchParams.get('token');
  const page = await srv.anon().get(new URL(link).pathname + new URL(link).search);
  assert.equal(page.status, 200);
  assert.match(page.text, /Welcome to Org A, Nia Neu/);
  assert.equal((await srv.anon().post('/api/v1/password-reset/complete', { token, new_password: 'short' })).status, 422);
  const set = await srv.anon().post('/api/v1/password-reset/complete', { token, new_password: 'a brand new passphrase' });
  assert.equal(set.status, 200, set.text);
  await srv.login('nia@a.test', 'a brand new passphrase');
  const again = await srv.anon().post('/api/v1/password-reset/complete', { token, new_password: 'another new passphrase' });
  assert.equal(again.status, 404, 'single use');
  assert.equal((await srv.anon().get(`/password/set?token=${token}`)).status, 404);
  assert.equal(sql(srv.db, `SELECT count(*) FROM account_token WHERE token_hash = '${token}'`), '0', 'only the hash is stored');
});

test('invite-2: remit user invite prints the link alone, and the running server e-mails the same link', async () => {
  await admin.post('/api/v1/people', { name: 'Cli Person', email: 'cli@a.test', access: 'member' });
  const r = remit(['user', 'invite', '--db', srv.db, '--email', 'cli@a.test', '--public-url', 'https://remit.example.com/']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^https:\/\/remit\.example\.com\/password\/set\?token=[A-Za-z0-9_-]{43}\n$/);
  const m = await waitFor(() => mailsTo(box, 'cli@a.test')[0], 'the CLI invitation');
  assert.equal(linkIn(m), r.stdout.trim());
  assert.equal(remit(['user', 'invite', '--db', srv.db, '--email', 'nobody@a.test']).code, 1);
  assert.equal(remit(['user', 'invite', '--db', srv.db, '--email', 'cli@a.test', '--public-url', 'ftp://x']).code, 2);
});

test('invite-3: importing with invitations e-mails every imported person', async () => {
  const csv = 'name,email,team,manager_email,title,access\nImp One,imp1@a.test,,,,\nImp Two,imp2@a.test,,,,\nImp Three,imp3@a.test,,,,\n';
  const r = await admin.req('POST', '/api/v1/people/import?invite=1', { body: csv, headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json, { imported: 3, invited: true });
  for (const e of ['imp1@a.test', 'imp2@a.test', 'imp3@a.test']) await waitFor(() => mailsTo(box, e).length === 1, `invitation to ${e}`);
  const bad = await admin.req('POST', '/api/v1/people/import?invite=maybe', { body: csv, headers: { 'content-type': 'text/csv' } });
  assert.equal(bad.status, 400);
});

test('reset-1: the same 202 whether or not the address exists; the link ends every session and token; throttled', async () => {
  await admin.post('/api/v1/people', { name: 'Rita Reset', email: 'rita@a.test', access: 'member' });
  sql(srv.db, `UPDATE person SET password_hash = (SELECT password_hash FROM person WHERE email_lc = '${USERS.member}') WHERE email_lc = 'rita@a.test'`);
  const session = await srv.login('rita@a.test');
  const token = srv.bearer('rita@a.test');
  const known = await srv.anon().post('/api/v1/password-reset', { email: 'Rita@a.test' });
  const unknown = await srv.anon().post('/api/v1/password-reset', { email: 'ghost@a.test' });
  assert.equal(known.status, 202);
  assert.equal(unknown.status, 202);
  assert.equal(known.text, unknown.text, 'the same body');
  assert.equal((await srv.anon().post('/api/v1/password-reset', { email: 1 })).status, 400);
  const m = await waitFor(() => mailsTo(box, 'rita@a.test')[0], 'the reset e-mail');
  await sleep(300);
  assert.equal(mailsTo(box, 'ghost@a.test').length, 0);
  assert.match(m.text, /one hour/);
  const tok = new URL(linkIn(m)).searchParams.get('token');
  const page = await srv.anon().form('/password/set', { token: tok, new_password: 'reset passphrase one' });
  assert.equal(page.status, 303);
  assert.equal(page.headers.get('location'), '/login?password=set');
  assert.equal((await session.get('/api/v1/session')).status, 401, 'the old session ended');
  assert.equal((await token.get('/api/v1/session')).status, 401, 'the old API token ended');
  await srv.login('rita@a.test', 'reset passphrase one');
  // throttled: 10 per e-mail in 15 minutes from anywhere (1 used above), a cap on mail to one person
  let last;
  for (let i = 0; i < 10; i++) last = await srv.anon().post("/api/v1/password-reset", { email: "rita@a.test" });
  assert.equal(last.status, 429);
  const forgot = await srv.anon().get('/password/forgot');
  assert.equal(forgot.status, 200);
  assert.match((await srv.anon().get('/login')).text, /href="\/password\/forgot"/);
});

test('prefs-1: preferences by API and page; e-mail at once has List-Unsubscribe whose one-click POST turns it off', async () => {
  const p = await member.get('/api/v1/account/notifications');
  assert.equal(p.status, 200);
  assert.equal(p.json.email_enabled, true);
  assert.ok(p.json.items.find((i) => i.kind === 'action' && i.mode === 'app'));
  assert.equal((await member.put('/api/v1/account/notifications', { action: 'sometimes' })).status, 422);
  assert.equal((await member.put('/api/v1/account/notifications', { nope: 'app' })).status, 400);
  assert.equal((await member.put('/api/v1/account/notifications', { action: 'email' })).status, 200);
  const a = await manager.post('/api/v1/actions', { title: 'Grüße an das Team überbringen', owner_id: ids.member, due_on: '2030-01-01', source: null });
  assert.equal(a.status, 201, a.text);
  const m = await waitFor(() => mailsTo(box, USERS.member).find((x) => x.subject.includes('Grüße')), 'the action e-mail');
  assert.match(m.raw, /^Subject: =\?UTF-8\?B\?/m, 'RFC 2047 subject');
  const unsub = { url: (m.raw.match(/^List-Unsubscribe: <([^>]+)>\r?$/m) || [])[1] };
  assert.ok(unsub.url, 'List-Unsubscribe');
  assert.match(m.raw, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
  const url = new URL(unsub.url);
  assert.equal((await srv.anon().get(url.pathname + url.search)).status, 200, 'a GET only asks');
  assert.equal(sql(srv.db, `SELECT mode FROM notify_pref WHERE person_id = ${ids.member} AND kind = 'action'`), 'email');
  const forged = new URLSearchParams(url.search);
  forged.set('p', String(ids.manager));
  assert.equal((await srv.anon().req('POST', '/unsubscribe?' + forged, { body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status, 404);
  const one = await srv.anon().req('POST', url.pathname + url.search, { body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(one.status, 200);
  assert.equal(sql(srv.db, `SELECT mode FROM notify_pref WHERE person_id = ${ids.member} AND kind = 'action'`), 'app');
  const before = mailsTo(box, USERS.member).length;
  await manager.post('/api/v1/actions', { title: 'Quiet one', owner_id: ids.member, due_on: null, source: null });
  await sleep(600);
  assert.equal(mailsTo(box, USERS.member).length, before, 'no more e-mail of that kind');
  // the page
  const pg = await srv.login(USERS.member);
  const html = await pg.get('/account/notifications');
  assert.equal(html.status, 200);
  assert.match(html.text, /name="action" value="app" checked/);
  assert.equal((await pg.form('/account/notifications', { action: 'weekly' })).status, 303);
  assert.equal(sql(srv.db, `SELECT mode FROM notify_pref WHERE person_id = ${ids.member} AND kind = 'action'`), 'weekly');
});

test('digest-1: a daily digest is one e-mail listing what waited', async () => {
  assert.equal((await manager.put('/api/v1/account/notifications', { action: 'daily' })).status, 200);
  for (const t of ['First for the digest', 'Second for the digest'])
    assert.equal((await admin.post('/api/v1/actions', { title: t, owner_id: ids.manager, due_on: null, source: null })).status, 201);
  await sleep(500);
  assert.equal(mailsTo(box, USERS.manager).length, 0, 'nothing at once');
  const r = remit(['notify', 'run', '--db', srv.db, '--digest', 'daily']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /1 digests queued/);
  const m = await waitFor(() => mailsTo(box, USERS.manager)[0], 'the digest');
  assert.match(m.subject, /2 things waited for you/);
  assert.ok(m.text.includes('First for the digest') && m.text.includes('Second for the digest'));
  assert.match(m.raw, /^List-Unsubscribe: <https?:\/\/[^>]+\/unsubscribe\?p=\d+&k=all&s=[0-9a-f]{64}>\r?$/m);
  assert.match(remit(['notify', 'run', '--db', srv.db, '--digest', 'daily']).stdout, /0 digests queued/);
  assert.equal(remit(['notify', 'run', '--db', srv.db, '--digest', 'hourly']).code, 2);
});

test('digest-2: a German speaker\'s digest comes in German (the person\'s language, not the server\'s)', async () => {
  sql(srv.db, `UPDATE person SET language = 'de' WHERE id = ${ids.manager}`);
  try {
    for (const t of ['Ofen reinigen', 'Kasse zählen'])
      assert.equal((await admin.post('/api/v1/actions', { title: t, owner_id: ids.manager, due_on: null, source: null })).status, 201);
    const before = mailsTo(box, USERS.manager).length;
    assert.match(remit(['notify', 'run', '--db', srv.db, '--digest', 'daily']).stdout, /1 digests queued/);
    const m = await waitFor(() => mailsTo(box, USERS.manager)[before], 'the German digest');
    assert.match(m.subject, /remit: 2 Sachen haben auf dich gewartet/);
    assert.match(m.html, /Was heute auf dich gewartet hat/);
    assert.ok(m.text.includes('Ofen reinigen') && m.text.includes('Kasse zählen'));
  } finally {
    sql(srv.db, `UPDATE person SET language = NULL WHERE id = ${ids.manager}`);
  }
});

test('outbox-1: while the SMTP server is down remit retries with backoff, and delivers once when it is back', async () => {
  const down = smtp();
  await down.start();
  const port = down.port;
  await down.close();
  const dir = mkdtempSync(join(tmpdir(), 'remit-outbox-'));
  const s2 = await startServer({ db: makeDb(dir), args: ['--smtp', `smtp://127.0.0.1:${port}`, '--smtp-from', 'remit@a.test'] });
  try {
    const a2 = s2.bearer(USERS.admin);
    const id = Number(sql(s2.db, `SELECT id FROM person WHERE email_lc = '${USERS.member}'`));
    assert.equal((await a2.post(`/api/v1/people/${id}/invite`)).status, 202);
    const row = await waitFor(async () => {
      const r = await a2.get('/api/v1/outbox?status=queued');
      return r.json.items.find((x) => x.attempts >= 2) && r.json.items[0];
    }, 'retries');
    assert.ok(row.last_error, 'the failure is recorded');
    assert.equal((await srv.bearer(USERS.member).get('/api/v1/outbox')).status, 403);
    const up = smtp(port);
    await up.start();
    try {
      await waitFor(() => up.mails.length === 1, 'delivery after the server came back', 10000);
      await sleep(800);
      assert.equal(up.mails.length, 1, 'once');
      const sent = await a2.get('/api/v1/outbox?status=sent');
      assert.equal(sent.json.items.length, 1);
    } finally { await up.close(); }
  } finally { await s2.stop(); rmSync(dir, { recursive: true, force: true }); }
});

// serveRaw: remit serve as a child we may SIGKILL.
async function serveRaw(db, args) {
  const child = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: process.env });
  let log = '';
  const base = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no start: ' + log)), 15000);
    child.stderr.on('data', (d) => { log += d; const m = log.match(/on (http:\/\/127\.0\.0\.1:\d+)\//); if (m) { clearTimeout(t); resolve(m[1]); } });
  });
  const exited = new Promise((r) => child.on('exit', r));
  return { base, child, exited, get log() { return log; } };
}

test('outbox-2: remit killed with SIGKILL while mail is queued delivers all of it, once, after the restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'remit-kill-'));
  const db = makeDb(dir);
  const probe = smtp();
  await probe.start();
  const port = probe.port;
  await probe.close();
  const args = ['--smtp', `smtp://127.0.0.1:${port}`, '--smtp-from', 'remit@a.test'];
  let s = await serveRaw(db, args);
  try {
    const c = new Client(s.base);
    c.token = remit(['token', 'create', '--db', db, '--email', USERS.admin]).stdout.trim();
    for (const n of [1, 2, 3]) assert.equal((await c.post('/api/v1/password-reset', { email: USERS.member })).status, 202, `reset ${n}`);
    assert.equal(sql(db, "SELECT count(*) FROM outbox WHERE status = 'queued'"), '3');
    s.child.kill('SIGKILL');
    await s.exited;
    const up = smtp(port);
    await up.start();
    try {
      s = await serveRaw(db, args);
      await waitFor(() => up.mails.length === 3, 'three e-mails after the restart', 10000);
      await sleep(800);
      assert.equal(up.mails.length, 3, 'each once');
      assert.equal(new Set(up.mails.map((m) => linkIn(m))).size, 3);
      s.child.kill('SIGTERM');
      await s.exited;
      s = null;
      assert.equal(sql(db, "SELECT count(*) FROM outbox WHERE status = 'sent'"), '3');
    } finally { await up.close(); if (s) { s.child.kill('SIGKILL'); await s.exited; } }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('chat-1: hooks are https (or loopback in test mode), never shown in full; new challenges are posted, signed for json hooks; retried after a 5xx', async () => {
  const got = [];
  let fail = 1;
  const sink = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      if (fail > 0) { fail--; res.writeHead(500); res.end(); return; }
      got.push({ url: req.url, headers: req.headers, body });
      res.writeHead(200); res.end('ok');
    });
  });
  await new Promise((r) => sink.listen(0, '127.0.0.1', r));
  const port = sink.address().port;
  try {
    assert.equal((await admin.post('/api/v1/hooks', { kind: 'slack', url: 'http://example.com/hook' })).status, 422);
    assert.equal((await admin.post('/api/v1/hooks', { kind: 'pigeon', url: 'https://example.com/hook' })).status, 422);
    assert.equal((await member.post('/api/v1/hooks', { kind: 'slack', url: 'https://example.com/hook' })).status, 403);
    assert.equal((await manager.post('/api/v1/hooks', { kind: 'slack', url: 'https://example.com/hook', team_id: null })).status, 403, 'managers do not connect the organisation');
    const slack = await admin.post('/api/v1/hooks', { kind: 'slack', url: `http://127.0.0.1:${port}/slack/SECRETPART/XyZ1` });
    assert.equal(slack.status, 201, slack.text);
    assert.ok(slack.json.secret == null, 'only json hooks have a secret');
    assert.ok(!slack.json.url.includes('SECRETPART'));
    const json = await admin.post('/api/v1/hooks', { kind: 'json', url: `http://127.0.0.1:${port}/json/HIDDEN` });
    assert.equal(json.status, 201);
    assert.match(json.json.secret, /^[A-Za-z0-9_-]{43}$/, 'the secret is shown once');
    const list = await manager.get('/api/v1/hooks');
    assert.ok(!list.text.includes('SECRETPART') && !list.text.includes('HIDDEN') && !list.text.includes(json.json.secret));
    assert.ok(!(await ownerB.get('/api/v1/hooks')).text.includes('127.0.0.1'), 'another organisation sees none');
    const ch = await admin.post('/api/v1/challenges', { title: 'How do we waste less bread?', body: '' });
    assert.equal(ch.status, 201, ch.text);
    await waitFor(() => got.length === 2, 'two chat posts (one after a retry)');
    const s = got.find((g) => g.url.startsWith('/slack'));
    assert.match(JSON.parse(s.body).text, /How do we waste less bread\?.*\/challenges\/\d+\|Open>/);
    const j = got.find((g) => g.url.startsWith('/json'));
    const want = 'sha256=' + createHmac('sha256', json.json.secret).update(j.body).digest('hex');
    assert.equal(j.headers['x-remit-signature'], want);
    assert.equal(JSON.parse(j.body).event, 'challenge.new');
    assert.equal(s.headers['x-remit-signature'], undefined);
    assert.equal((await member.del(`/api/v1/hooks/${slack.json.id}`)).status, 403);
    assert.equal((await ownerB.del(`/api/v1/hooks/${slack.json.id}`)).status, 404);
    assert.equal((await admin.del(`/api/v1/hooks/${slack.json.id}`)).status, 204);
    assert.equal((await admin.del(`/api/v1/hooks/${json.json.id}`)).status, 204);
  } finally { sink.close(); }
});

test('chat-2: without the test switch, plain http hooks are refused even to 127.0.0.1', async () => {
  delete process.env.REMIT_ALLOW_HTTP_WEBHOOKS;
  const s2 = await startServer();
  process.env.REMIT_ALLOW_HTTP_WEBHOOKS = '1';
  try {
    const r = await s2.bearer(USERS.admin).post('/api/v1/hooks', { kind: 'json', url: 'http://127.0.0.1:9/x' });
    assert.equal(r.status, 422);
    const p = await s2.bearer(USERS.member).get('/api/v1/account/notifications');
    assert.equal(p.json.email_enabled, false, 'no --smtp: e-mail is off');
    const page = await (await s2.login(USERS.member)).get('/account/notifications');
    assert.match(page.text, /E-mail is off/);
  } finally { await s2.stop(); }
});

test('actions-1: create, list, filter, change; rules and scope', async () => {
  assert.equal((await member.post('/api/v1/actions', { title: 'x', owner_id: ids.manager, due_on: null, source: null })).status, 403, 'members give actions only to themselves');
  assert.equal((await member.post('/api/v1/actions', { title: '  ', owner_id: ids.member, due_on: null, source: null })).status, 422);
  assert.equal((await member.post('/api/v1/actions', { title: 'x', owner_id: ids.member, due_on: '2030-02-30', source: null })).status, 400);
  assert.equal((await member.post('/api/v1/actions', { title: 'x', owner_id: ids.member, source: { kind: 'idea', id: 999999 } })).status, 404);
  assert.equal((await member.post('/api/v1/actions', { title: 'x', owner_id: ids.member, source: { kind: 'moon', id: 1 } })).status, 422);
  assert.equal((await member.post('/api/v1/actions', { title: 'x', owner_id: ids.member, source: 'idea:1' })).status, 400);
  assert.equal((await member.post('/api/v1/actions', { title: 'x', owner_id: ids.member, extra: 1 })).status, 400);
  const mine = await member.post('/api/v1/actions', { title: 'Clean the proofing cabinet', owner_id: ids.member, due_on: '2020-01-01', source: null });
  assert.equal(mine.status, 201, mine.text);
  assert.equal(mine.json.status, 'open');
  assert.deepEqual(mine.json.owner, { id: ids.member, name: 'Mia Member' });
  const list = await member.get(`/api/v1/actions?owner_id=${ids.member}&status=open`);
  assert.ok(list.json.items.find((x) => x.id === mine.json.id));
  assert.equal((await member.get('/api/v1/actions?status=later')).status, 400);
  assert.ok(!(await ownerB.get('/api/v1/actions')).json.items.length, 'another organisation sees none');
  assert.equal((await ownerB.patch(`/api/v1/actions/${mine.json.id}`, { status: 'done' })).status, 404);
  assert.equal((await member.patch(`/api/v1/actions/${mine.json.id}`, { status: 'dropped' })).status, 422, 'dropping needs a reason');
  const dropped = await member.patch(`/api/v1/actions/${mine.json.id}`, { status: 'dropped', reason: 'The cabinet was replaced.' });
  assert.equal(dropped.status, 200, dropped.text);
  assert.equal(dropped.json.reason, 'The cabinet was replaced.');
  assert.equal((await member.patch(`/api/v1/actions/${mine.json.id}`, { status: 'open' })).json.reason, null);
  // reminders: overdue once
  const r1 = remit(['notify', 'run', '--db', srv.db]);
  assert.match(r1.stdout, /[1-9]\d* action reminders/);
  assert.match(remit(['notify', 'run', '--db', srv.db]).stdout, /^0 action reminders/);
  const notes = (await member.get('/api/v1/inbox')).json.notifications.filter((n) => n.kind === 'action.overdue' && n.text.includes('proofing'));
  assert.equal(notes.length, 1, 'told once');
  // the page and the home page
  const pg = await srv.login(USERS.member);
  const page = await pg.get('/actions');
  assert.equal(page.status, 200);
  assert.match(page.text, /Clean the proofing cabinet/);
  assert.match((await pg.get('/')).text, /Your actions[\s\S]*Clean the proofing cabinet[\s\S]*overdue since 2020-01-01/);
  assert.equal((await pg.form(`/actions/${mine.json.id}`, { status: 'done' })).status, 303);
  assert.equal(sql(srv.db, `SELECT status FROM action_item WHERE id = ${mine.json.id}`), 'done');
});

test('actions-2: an idea that enters piloting gives its owner the pilot action, visible through the idea', async () => {
  const ch = await admin.post('/api/v1/challenges', { title: 'Pilot ground', body: '' });
  const idea = await member.post(`/api/v1/challenges/${ch.json.id}/ideas`, { title: 'Sourdough Sundays', body: '', anonymous: true });
  assert.equal(idea.status, 201, idea.text);
  await srv.releaseAnonymous(); // held back until its day is over (src/anon.c)
  const v = await manager.req('PUT', `/api/v1/ideas/${idea.json.id}/vote`);
  assert.equal(v.status, 200, v.text);
  const st = await admin.post(`/api/v1/ideas/${idea.json.id}/stage`, { stage: 'piloting', owner_id: ids.manager, due_on: '2031-03-01', reason: 'Try it' });
  assert.equal(st.status, 200, st.text);
  const list = await manager.get('/api/v1/actions?source_kind=idea');
  const a = list.json.items.find((x) => x.source && x.source.id === idea.json.id);
  assert.ok(a, 'the pilot action');
  assert.equal(a.title, 'Pilot: Sourdough Sundays');
  assert.equal(a.due_on, '2031-03-01');
  assert.ok((await member.get('/api/v1/actions?source_kind=idea')).json.items.find((x) => x.id === a.id), 'whoever sees the idea sees its action');
  // the voter hears of the anonymous idea's stage, with nothing that points at its author
  const notes = (await manager.get('/api/v1/inbox')).json.notifications.filter((n) => n.link === `/ideas/${idea.json.id}` && n.kind === 'idea.stage');
  assert.equal(notes.length, 1);
  assert.ok(!notes[0].text.includes('Mia') && !notes[0].at.match(/T(?!00:00:00)/), 'day-only time, no author');
  assert.equal(sql(srv.db, `SELECT count(*) FROM notification WHERE person_id = ${ids.member} AND link = '/ideas/${idea.json.id}'`), '0', 'nothing to the author');
});
