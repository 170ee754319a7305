// cli.test.mjs: the command line contract (exit codes 0/1/2, --help on
// every subcommand, passwords from REMIT_PASSWORD), backup while serving,
// graceful shutdown, --secure-cookies and the per-address login throttle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { remit, startServer, makeDb, USERS, PASSWORD } from './lib.mjs';

const tmp = () => mkdtempSync(join(tmpdir(), 'remit-cli-'));
const sql = (db, q) => execFileSync('sqlite3', [db, q], { encoding: 'utf8' }).trim();

test('every subcommand has --help and exits 0', () => {
  for (const args of [['--help'], ['init', '--help'], ['org', 'add', '--help'], ['serve', '--help'], ['demo', '--help'], ['user', 'add', '--help'],
    ['token', 'create', '--help'], ['import', '--help'], ['backup', '--help'], ['http', '--help'], ['can', '--help']]) {
    const r = remit(args);
    assert.equal(r.code, 0, args.join(' '));
    assert.match(r.stdout, /usage: remit/, args.join(' '));
  }
});

test('usage errors exit 2 with a message; runtime errors exit 1 with one line', () => {
  const d = tmp();
  try {
    let r = remit(['frobnicate']);
    assert.equal(r.code, 2);
    r = remit(['init', '--db', join(d, 'x.db')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--org is required/);
    r = remit(['init', '--db', join(d, 'x.db'), '--org', 'X', '--owner-email', 'not-an-email', '--owner-name', 'N']);
    assert.equal(r.code, 2);
    r = remit(['serve', '--db', join(d, 'x.db'), '--bogus']);
    assert.equal(r.code, 2);
    r = remit(['serve', '--db', join(d, 'missing.db')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no database at/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    r = remit(['init', '--db', join(d, 'x.db'), '--org', 'X', '--owner-email', 'o@x.io', '--owner-name', 'N'], { env: { REMIT_PASSWORD: 'short' } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /at least 10/);
    assert.ok(!existsSync(join(d, 'x.db')), 'a failed init leaves no database behind');
  } finally { rmSync(d, { recursive: true, force: true }); }
});

test('init creates the database once and refuses to touch it again', () => {
  const d = tmp();
  try {
    const db = join(d, 'a.db');
    let r = remit(['init', '--db', db, '--org', 'Acme', '--owner-email', 'o@acme.io', '--owner-name', 'Otto']);
    assert.equal(r.code, 0);
    assert.equal(sql(db, "SELECT name || '|' || access FROM person"), 'Otto|owner');
    assert.equal(sql(db, 'PRAGMA journal_mode'), 'wal');
    const hash = sql(db, 'SELECT password_hash FROM person');
    assert.match(hash, /^\$argon2id\$/);
    assert.ok(!hash.includes(PASSWORD));
    r = remit(['init', '--db', db, '--org', 'Again', '--owner-email', 'o@acme.io', '--owner-name', 'Otto']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /already exists/);
    assert.equal(sql(db, 'SELECT count(*) FROM org'), '1');
    r = remit(['org', 'add', '--db', db, '--org', 'Second', '--owner-email', 'o@acme.io', '--owner-name', 'Otto Two']);
    assert.equal(r.code, 0);
    assert.equal(sql(db, 'SELECT count(*) FROM org'), '2');
  } finally { rmSync(d, { recursive: true, force: true }); }
});

test('user add and token create: the token alone on stdout, and it works', async () => {
  const srv = await startServer();
  try {
    let r = remit(['user', 'add', '--db', srv.db, '--org', 'Org A', '--email', 'new@a.test', '--name', 'New Person', '--access', 'member', '--manager', USERS.manager]);
    assert.equal(r.code, 0, r.stderr);
    r = remit(['user', 'add', '--db', srv.db, '--org', 'Org A', '--email', 'NEW@a.test', '--name', 'Dup', '--access', 'member']);
    assert.equal(r.code, 1, 'duplicate e-mail (any case) refused');
    r = remit(['user', 'add', '--db', srv.db, '--email', 'x@a.test', '--name', 'X', '--access', 'member']);
    assert.equal(r.code, 1, 'two organisations: --org needed');
    assert.match(r.stderr, /--org/);
    r = remit(['user', 'add', '--db', srv.db, '--org', 'Org A', '--email', 'x@a.test', '--name', 'X', '--access', 'root']);
    assert.equal(r.code, 2);
    r = remit(['token', 'create', '--db', srv.db, '--email', 'new@a.test']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^[A-Za-z0-9_-]{43}\n$/);
    const res = await fetch(srv.base + '/api/v1/session', { headers: { authorization: 'Bearer ' + r.stdout.trim() } });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).person.email, 'new@a.test');
    r = remit(['token', 'create', '--db', srv.db, '--email', 'ghost@a.test']);
    assert.equal(r.code, 1);
  } finally { await srv.stop(); }
});

test('backup while the server runs gives a consistent, complete copy', async () => {
  const srv = await startServer();
  const out = join(srv.dir, 'backup.db');
  try {
    const owner = await srv.login(USERS.owner);
    const writes = [];
    for (let i = 0; i < 20; i++) writes.push(owner.patch('/api/v1/org', { vision: `v${i}` }));
    const r = remit(['backup', '--db', srv.db, '--to', out]);
    await Promise.all(writes);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(sql(out, 'PRAGMA integrity_check'), 'ok');
    assert.equal(sql(out, 'PRAGMA foreign_key_check'), '');
    assert.equal(sql(out, 'SELECT count(*) FROM person'), sql(srv.db, 'SELECT count(*) FROM person'));
    assert.equal(remit(['backup', '--db', srv.db, '--to', out]).code, 1, 'never overwrites');
  } finally { await srv.stop(); }
});

test('demo creates a bakery-cafe group and prints the logins', () => {
  const d = tmp();
  try {
    const db = join(d, 'demo.db');
    let r = remit(['demo', '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    for (const who of ['owner@example.com', 'admin@example.com', 'manager@example.com', 'member@example.com']) assert.ok(r.stdout.includes(who));
    // about forty employed now, and the former staff of two years of people history (issue 15)
    const people = Number(sql(db, "SELECT count(*) FROM person WHERE status <> 'left'"));
    assert.ok(people >= 35 && people <= 45, `${people} people`);
    assert.ok(Number(sql(db, "SELECT count(*) FROM person WHERE status = 'left' AND left_on IS NOT NULL AND leave_reason IS NOT NULL")) >= 10, 'former staff');
    assert.equal(sql(db, 'SELECT count(*) FROM team'), '5');
    assert.equal(sql(db, "SELECT group_concat(DISTINCT access) FROM (SELECT access FROM person ORDER BY access)"), 'admin,manager,member,owner');
    assert.ok(Number(sql(db, 'SELECT count(*) FROM goal')) >= 5);
    assert.notEqual(sql(db, 'SELECT purpose FROM org'), '');
    r = remit(['demo', '--db', db]);
    assert.equal(r.code, 1, 'refuses an existing file');
    const gen = join(d, 'gen.db');
    r = remit(['demo', '--db', gen], { env: { REMIT_PASSWORD: '' } });
    assert.equal(r.code, 1, 'an empty REMIT_PASSWORD is too short');
  } finally { rmSync(d, { recursive: true, force: true }); }
});

test('import people from the command line: all rows or none', () => {
  const d = tmp();
  try {
    const db = makeDb(d);
    const before = sql(db, "SELECT count(*) FROM person WHERE org_id = 1");
    const bad = join(d, 'bad.csv');
    writeFileSync(bad, 'name,email,team,manager_email,title,access\nGood One,good@a.test,Kitchen,,Cook,member\nBad,not-an-email,Kitchen,,Cook,member\n');
    let r = remit(['import', 'people', '--db', db, '--org', 'Org A', bad]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /line 3/);
    assert.equal(sql(db, "SELECT count(*) FROM person WHERE org_id = 1"), before);
    const good = join(d, 'good.csv');
    writeFileSync(good, 'name,email,team,manager_email,title,access\nGood One,good@a.test,Kitchen,,Cook,member\nGood Two,two@a.test,Kitchen,good@a.test,"Cook, junior",member\n');
    r = remit(['import', 'people', '--db', db, '--org', 'Org A', good]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(Number(sql(db, "SELECT count(*) FROM person WHERE org_id = 1")), Number(before) + 2);
    assert.equal(remit(['import', 'people', '--db', db]).code, 2);
  } finally { rmSync(d, { recursive: true, force: true }); }
});

test('remit http answers one request from standard input', () => {
  const d = tmp();
  try {
    const db = makeDb(d);
    let r = remit(['http', '--db', db], { input: 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n' });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^HTTP\/1.1 200 OK\r\n/);
    assert.match(r.stdout, /\r\n\r\nok$/);
    r = remit(['http', '--db', db], { input: 'garbage' });
    assert.match(r.stdout, /^HTTP\/1.1 400/);
  } finally { rmSync(d, { recursive: true, force: true }); }
});

test('--secure-cookies marks the session cookie Secure', async () => {
  const d = tmp();
  const db = makeDb(d);
  const { spawn } = await import('node:child_process');
  const child = spawn(process.env.REMIT_BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--secure-cookies'], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    const base = await new Promise((res, rej) => {
      let log = '';
      child.stderr.on('data', (x) => { log += x; const m = log.match(/on (http:\/\/127\.0\.0\.1:\d+)\//); if (m) res(m[1]); });
      setTimeout(() => rej(new Error(log)), 10000);
    });
    const r = await fetch(base + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: USERS.owner, password: PASSWORD }) });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('set-cookie'), /; Secure/);
  } finally {
    child.kill('SIGINT');
    const code = await new Promise((res) => child.on('exit', (c) => res(c)));
    assert.equal(code, 0, 'SIGINT stops cleanly');
    rmSync(d, { recursive: true, force: true });
  }
});

test('30 failures from one address throttle that address for every e-mail', async () => {
  const srv = await startServer();
  try {
    for (let i = 0; i < 30; i++) {
      const r = await srv.anon().post('/api/v1/session', { email: `guess${i}@a.test`, password: 'not it at all' });
      assert.equal(r.status, 401, `attempt ${i + 1}`);
    }
    const r = await srv.anon().post('/api/v1/session', { email: USERS.owner, password: PASSWORD });
    assert.equal(r.status, 429);
  } finally { await srv.stop(); }
});

test('a slow client that stalls mid-request is disconnected after the timeout', async () => {
  const net = await import('node:net');
  const srv = await startServer({ args: ['--timeout', '1'] });
  try {
    const { port } = new URL(srv.base);
    const t0 = Date.now();
    const closed = await new Promise((resolve) => {
      const s = net.connect(Number(port), '127.0.0.1', () => s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n')); // never finishes the headers
      s.on('close', () => resolve(Date.now() - t0));
      s.on('error', () => {});
      setTimeout(() => { s.destroy(); resolve(-1); }, 8000);
    });
    assert.ok(closed > 0 && closed < 6000, `closed after ${closed} ms`);
    const r = await fetch(srv.base + '/healthz');
    assert.equal(r.status, 200, 'the server still serves others');
  } finally { await srv.stop(); }
});
