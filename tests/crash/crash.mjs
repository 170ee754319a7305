#!/usr/bin/env node
// crash.mjs: crash safety. Each trial makes a fresh database with the
// standard fixture, starts the optimized binary, runs 8 concurrent writers
// (decisions, ideas, votes; each writer is its own person with an API
// token), kills the server with SIGKILL at a random moment while requests
// are in flight, starts it again on the same files and checks, with the
// sqlite3 CLI and the API, that the database is sound, that every write that
// got a 2xx is there with everything its transaction wrote, and that nothing
// half-written exists. One trial in three also takes `remit backup` while the
// writers run and checks the copy the same way.
//
//   node tests/crash/crash.mjs [--trials N] [--seed S] [--keep]
//   make crashtest TRIALS=20
//
// REMIT_BIN names the binary (default ./remit, the normal -O2 build). One
// line per trial, then a summary; the last line is "crash: N passed, M
// failed" and the exit status is non-zero when any trial failed.
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, existsSync, statSync, copyFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// ---------- options ----------
const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt; };
const TRIALS = Number(opt('--trials', '3'));
const SEED = Number(opt('--seed', String(Date.now() % 1000000)));
const KEEP = argv.includes('--keep'); // keep a failed trial's directory
const WRITERS = 8;
const MIN_MS = 300, MAX_MS = 2500;
if (!Number.isInteger(TRIALS) || TRIALS < 1) { console.error('usage: crash.mjs [--trials N] [--seed S] [--keep]'); process.exit(2); }

// The optimized binary (not the sanitizer build the HTTP tests use), copied
// once so that a rebuild during the run cannot swap it under a trial.
// lib.mjs reads REMIT_BIN when it is loaded: set it first.
const SRC_BIN = resolve(process.env.REMIT_BIN || join(root, 'remit'));
if (!existsSync(SRC_BIN)) { console.error(`crash: no binary at ${SRC_BIN} (run make)`); process.exit(2); }
const binDir = mkdtempSync(join(tmpdir(), 'remit-crash-bin-'));
process.env.REMIT_BIN = join(binDir, 'remit');
copyFileSync(SRC_BIN, process.env.REMIT_BIN);
chmodSync(process.env.REMIT_BIN, 0o755);
const { makeDb, remit, Client, USERS } = await import('../http/lib.mjs');
const BIN = process.env.REMIT_BIN;

// mulberry32: a small seeded generator, so that a run's durations can be
// repeated with --seed (the interleaving of requests cannot).
let rs = SEED >>> 0;
function rand() {
  rs = (rs + 0x6D2B79F5) >>> 0;
  let t = rs;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (arr) => arr[Math.floor(rand() * arr.length)];

// ---------- processes and directories, cleaned up whatever happens ----------
const live = new Set(); // child processes still running
const dirs = new Set([binDir]); // temporary directories still present
function cleanupAll() {
  for (const c of live) { try { c.kill('SIGKILL'); } catch { /* gone */ } }
  live.clear();
  for (const d of dirs) { if (!KEEP || d === binDir) rmSync(d, { recursive: true, force: true }); }
  dirs.clear();
}
process.on('exit', cleanupAll);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { cleanupAll(); process.exit(130); });

// ---------- sqlite3 CLI ----------
// Asynchronous on purpose: a signal that arrives during execFileSync kills
// node without running the handler above, which would orphan a server.
const execFileP = promisify(execFile);
async function sqlRaw(db, sql, json = false) {
  const args = ['-bail', ...(json ? ['-json'] : []), '-cmd', '.timeout 10000', db, sql];
  const { stdout } = await execFileP('sqlite3', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  return stdout.trim();
}
async function rows(db, sql) { const out = await sqlRaw(db, sql, true); return out ? JSON.parse(out) : []; }
const num = async (db, sql) => Number(await sqlRaw(db, sql));

// ---------- the server ----------
// serve(db): starts `remit serve` on a free loopback port; resolves to
// {base, child, exited, log()}.
async function serve(db) {
  const child = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--threads', '4'], { stdio: ['ignore', 'ignore', 'pipe'] });
  live.add(child);
  let log = '';
  const exited = new Promise((res) => child.on('exit', (code, sig) => { live.delete(child); res({ code, sig }); }));
  child.stderr.on('data', (d) => { log += d.toString(); });
  const base = await new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error('server did not start: ' + log)), 15000);
    const look = () => { const m = log.match(/on (http:\/\/127\.0\.0\.1:\d+)\//); if (m) { clearTimeout(t); res(m[1]); } };
    child.stderr.on('data', look);
    exited.then(({ code, sig }) => { clearTimeout(t); rej(new Error(`server exited (${code ?? sig}) at start: ${log}`)); });
    look();
  });
  return { base, child, exited, log: () => log };
}

// ---------- the fixture ----------
// setup(dir): the standard fixture (makeDb) plus a domain "refund", 8 writers
// (members reporting to the manager, each with a right on refunds at a
// different level so that decisions are decided, informed, advised or sent
// for agreement, with and without notifications), an API token each, and
// an open organisation-wide challenge.
async function setup(dir) {
  const db = makeDb(dir);
  const must = (args) => { const r = remit(args); if (r.code !== 0) throw new Error(`remit ${args.join(' ')}: ${r.stderr}`); return r.stdout; };
  const org = await num(db, "SELECT id FROM org WHERE name = 'Org A'");
  const adminId = await num(db, `SELECT id FROM person WHERE email = '${USERS.admin}'`);
  const domain = await num(db, `INSERT INTO domain(org_id,slug,label,risk,created_at) VALUES(${org},'refund','refunds','low',0); SELECT last_insert_rowid();`);
  const levels = [7, 6, 5, 4];
  const writers = [];
  for (let w = 0; w < WRITERS; w++) {
    const email = `writer${w}@a.test`;
    const out = must(['user', 'add', '--db', db, '--org', 'Org A', '--email', email, '--name', `Writer ${w}`, '--access', 'member', '--manager', USERS.manager]);
    const id = Number(out.match(/person (\d+)/)[1]);
    await sqlRaw(db, `INSERT INTO decision_right(org_id,person_id,domain_id,level,limit_cents,advisor_id,created_at,updated_at) VALUES(${org},${id},${domain},${levels[w % 4]},100000,NULL,0,0)`);
    const token = must(['token', 'create', '--db', db, '--email', email, '--org', 'Org A']).trim();
    writers.push({ w, id, email, token });
  }
  const challenge = await num(db, `INSERT INTO challenge(org_id,title,body,scope,phase,owner_id,created_at,updated_at) VALUES(${org},'Crash challenge','','org','open',${adminId},0,0); SELECT last_insert_rowid();`);
  return { db, org, domain, challenge, writers };
}

// ---------- the writers ----------
// A run's shared record: what was attempted (sent) and what was
// acknowledged (a 2xx whose whole body arrived), by kind.
function newRecord() {
  return {
    attempted: { decisions: new Set(), ideas: new Set(), votes: new Set() },
    acked: { decisions: [], ideas: [], votes: [] },
    inflight: 0, inflightAtKill: -1, killedAt: 0, stop: false,
    busy: 0, problems: [], lat: [],
  };
}

function client(base, token) { const c = new Client(base); c.token = token; return c; }

// send: one request; null when the connection failed (the server is gone).
async function send(rec, f) {
  rec.inflight++;
  const t0 = performance.now();
  try { const r = await f(); rec.lat.push(performance.now() - t0); return r; } catch (e) {
    if (!rec.killedAt) rec.problems.push(`request failed before the kill: ${e.cause?.code || e.message}`);
    return null;
  } finally { rec.inflight--; }
}

// expect2xx: true for a 2xx; 503 busy is counted; anything else is a problem
// (the fixture allows every request the writers send).
function expect2xx(rec, r, what) {
  if (r.status >= 200 && r.status < 300) return true;
  if (r.status === 503) rec.busy++;
  else rec.problems.push(`${what}: ${r.status} ${r.text.slice(0, 200)}`);
  return false;
}

async function writer(t, fx, wr, base, rec) {
  const c = client(base, wr.token);
  const voted = new Set();
  for (let seq = 1; !rec.stop; seq++) {
    const tag = `t${t} w${wr.w} n${seq}`;
    // a decision, with every field
    const amount = seq % 2 ? String(Math.floor(rand() * 150000) / 100) : null;
    const d = { domain: 'refund', title: `crash ${tag} decision`, amount, context: `context of ${tag}`, options: `options of ${tag}`,
      rationale: `rationale of ${tag}`, risk: 1 + (seq % 5), reward: 1 + ((seq + wr.w) % 5) };
    rec.attempted.decisions.add(d.title);
    let r = await send(rec, () => c.post('/api/v1/decisions', d));
    if (!r) return;
    if (expect2xx(rec, r, `POST decision ${tag}`)) {
      if (!r.json?.id) rec.problems.push(`POST decision ${tag}: no id in ${r.text}`);
      else rec.acked.decisions.push({ ...d, id: r.json.id, author: wr.id, verdict: r.json.verdict, status: r.json.status, route_to: r.json.route_to?.id ?? null });
    }
    if (rec.stop) return;
    // an idea in the challenge
    const title = `crash ${tag} idea`;
    rec.attempted.ideas.add(title);
    r = await send(rec, () => c.post(`/api/v1/challenges/${fx.challenge}/ideas`, { title, body: `body of ${tag}` }));
    if (!r) return;
    if (expect2xx(rec, r, `POST idea ${tag}`)) {
      if (!r.json?.id) rec.problems.push(`POST idea ${tag}: no id in ${r.text}`);
      else rec.acked.ideas.push({ id: r.json.id, title, author: wr.id, w: wr.w });
    }
    if (rec.stop) return;
    // a vote for another writer's idea (one not voted for yet, if any)
    const others = rec.acked.ideas.filter((i) => i.w !== wr.w);
    if (others.length) {
      const fresh = others.filter((i) => !voted.has(i.id));
      const idea = pick(fresh.length ? fresh : others);
      const key = `${idea.id}:${wr.id}`;
      rec.attempted.votes.add(key);
      r = await send(rec, () => c.put(`/api/v1/ideas/${idea.id}/vote`));
      if (!r) return;
      if (expect2xx(rec, r, `PUT vote ${key}`)) {
        if (r.json?.voted !== true) rec.problems.push(`PUT vote ${key}: ${r.text}`);
        else { voted.add(idea.id); rec.acked.votes.push({ idea: idea.id, person: wr.id, key }); }
      }
    }
  }
}

// ---------- the checks ----------
const setEq = (a, b) => a.size === b.size && [...a].every((x) => b.has(x));

// checkDb(db, fx, rec, opts): problems found in the database file db.
// acked: the acknowledged writes that must be present (all of them after a
// crash; those acknowledged before a backup started, for a backup).
// attempted: every write that was sent (an upper bound on what may exist).
async function checkDb(db, fx, acked, attempted) {
  const p = [];
  const ic = await rows(db, 'PRAGMA integrity_check');
  if (ic.length !== 1 || ic[0].integrity_check !== 'ok') p.push(`integrity_check: ${JSON.stringify(ic).slice(0, 300)}`);
  const fk = await rows(db, 'PRAGMA foreign_key_check');
  if (fk.length) p.push(`foreign_key_check: ${fk.length} rows, e.g. ${JSON.stringify(fk[0])}`);
  for (const ft of ['decision_fts', 'idea_fts']) {
    // the plain form checks the index itself; rank = 1 also checks that it
    // agrees with its content table (decision, idea)
    try { await sqlRaw(db, `INSERT INTO ${ft}(${ft}) VALUES('integrity-check'); INSERT INTO ${ft}(${ft}, rank) VALUES('integrity-check', 1);`); } catch (e) {
      p.push(`${ft} integrity-check: ${(e.stderr || e.message).toString().trim()}`);
    }
  }

  // decisions: each with its audit line, its notification when routed, its
  // full-text entry, and every field as sent
  const dec = await rows(db, `SELECT d.id, d.org_id, d.author_id, d.domain_id, d.title, d.amount_cents, d.context, d.options, d.rationale, d.risk, d.reward,
      d.verdict, d.status, d.route_to_id, d.created_at,
      (SELECT count(*) FROM audit a WHERE a.action = 'decision.create' AND a.object = 'decision:' || d.id AND a.actor_id = d.author_id AND a.org_id = d.org_id) AS audits,
      (SELECT count(*) FROM notification n WHERE n.link = '/decisions/' || d.id) AS notes,
      (SELECT count(*) FROM notification n WHERE n.link = '/decisions/' || d.id AND n.person_id = d.route_to_id) AS notes_to
    FROM decision d`);
  const decById = new Map(dec.map((d) => [d.id, d]));
  for (const d of dec) {
    if (!attempted.decisions.has(d.title)) p.push(`decision ${d.id} "${d.title}" was never sent`);
    if (d.org_id !== fx.org || d.domain_id !== fx.domain || !fx.writers.some((w) => w.id === d.author_id)) p.push(`decision ${d.id}: wrong org, domain or author`);
    if (!d.title || !d.context || !d.options || !d.rationale || !d.verdict || !d.status || !d.created_at) p.push(`decision ${d.id} is half-written: ${JSON.stringify(d).slice(0, 300)}`);
    if (d.audits !== 1) p.push(`decision ${d.id}: ${d.audits} decision.create audit lines (want 1)`);
    const wantNotes = d.route_to_id ? 1 : 0;
    if (d.notes !== wantNotes || d.notes_to !== wantNotes) p.push(`decision ${d.id}: ${d.notes} notifications (${d.notes_to} to route_to ${d.route_to_id}), want ${wantNotes}`);
  }
  const dupD = await rows(db, 'SELECT title, count(*) AS n FROM decision GROUP BY title HAVING n > 1');
  if (dupD.length) p.push(`${dupD.length} decision titles stored twice, e.g. ${dupD[0].title}`);
  for (const a of acked.decisions) {
    const d = decById.get(a.id);
    if (!d) { p.push(`acknowledged decision ${a.id} "${a.title}" is missing`); continue; }
    const amount = a.amount === null ? null : Math.round(Number(a.amount) * 100);
    const same = d.title === a.title && d.author_id === a.author && d.context === a.context && d.options === a.options && d.rationale === a.rationale &&
      d.risk === a.risk && d.reward === a.reward && d.amount_cents === amount && d.verdict === a.verdict && d.status === a.status && d.route_to_id === a.route_to;
    if (!same) p.push(`acknowledged decision ${a.id} differs: stored ${JSON.stringify(d).slice(0, 300)} sent/answered ${JSON.stringify(a).slice(0, 300)}`);
  }
  const orphanAudit = await num(db, "SELECT count(*) FROM audit WHERE action = 'decision.create' AND CAST(substr(object, 10) AS INTEGER) NOT IN (SELECT id FROM decision)");
  if (orphanAudit) p.push(`${orphanAudit} decision.create audit lines without their decision`);
  const orphanNote = await num(db, "SELECT count(*) FROM notification WHERE link LIKE '/decisions/%' AND CAST(substr(link, 12) AS INTEGER) NOT IN (SELECT id FROM decision)");
  if (orphanNote) p.push(`${orphanNote} notifications for decisions that do not exist`);
  const ftsD = new Set((await rows(db, "SELECT rowid AS id FROM decision_fts WHERE decision_fts MATCH 'title:decision'")).map((r) => r.id));
  if (!setEq(ftsD, new Set(decById.keys()))) p.push(`decision_fts finds ${ftsD.size} decisions by title, the table holds ${decById.size}`);

  // ideas: each with its audit line and full-text entry
  const ideas = await rows(db, `SELECT i.id, i.org_id, i.challenge_id, i.title, i.body, i.author_id, i.anonymous, i.stage, i.created_at,
      (SELECT count(*) FROM audit a WHERE a.action = 'idea.create' AND a.object = 'idea:' || i.id AND a.actor_id = i.author_id) AS audits
    FROM idea i`);
  const ideaById = new Map(ideas.map((i) => [i.id, i]));
  for (const i of ideas) {
    if (!attempted.ideas.has(i.title)) p.push(`idea ${i.id} "${i.title}" was never sent`);
    if (i.org_id !== fx.org || i.challenge_id !== fx.challenge || i.anonymous !== 0 || !fx.writers.some((w) => w.id === i.author_id)) p.push(`idea ${i.id}: wrong org, challenge or author`);
    if (!i.body || i.stage !== 'new' || !i.created_at) p.push(`idea ${i.id} is half-written: ${JSON.stringify(i).slice(0, 300)}`);
    if (i.audits !== 1) p.push(`idea ${i.id}: ${i.audits} idea.create audit lines (want 1)`);
  }
  const dupI = await rows(db, 'SELECT title, count(*) AS n FROM idea GROUP BY title HAVING n > 1');
  if (dupI.length) p.push(`${dupI.length} idea titles stored twice, e.g. ${dupI[0].title}`);
  for (const a of acked.ideas) {
    const i = ideaById.get(a.id);
    if (!i) p.push(`acknowledged idea ${a.id} "${a.title}" is missing`);
    else if (i.title !== a.title || i.author_id !== a.author) p.push(`acknowledged idea ${a.id} differs: ${JSON.stringify(i).slice(0, 200)}`);
  }
  const orphanIA = await num(db, "SELECT count(*) FROM audit WHERE action = 'idea.create' AND CAST(substr(object, 6) AS INTEGER) NOT IN (SELECT id FROM idea)");
  if (orphanIA) p.push(`${orphanIA} idea.create audit lines without their idea`);
  const ftsI = new Set((await rows(db, "SELECT rowid AS id FROM idea_fts WHERE idea_fts MATCH 'title:idea'")).map((r) => r.id));
  if (!setEq(ftsI, new Set(ideaById.keys()))) p.push(`idea_fts finds ${ftsI.size} ideas by title, the table holds ${ideaById.size}`);

  // votes: each for an idea that exists, by a writer who is not its author
  const votes = await rows(db, 'SELECT v.idea_id, v.person_id, v.org_id, v.created_at, i.id AS iid, i.author_id FROM vote v LEFT JOIN idea i ON i.id = v.idea_id');
  const voteKeys = new Set(votes.map((v) => `${v.idea_id}:${v.person_id}`));
  for (const v of votes) {
    const key = `${v.idea_id}:${v.person_id}`;
    if (v.iid === null) p.push(`vote ${key}: its idea is missing`);
    else if (v.author_id === v.person_id) p.push(`vote ${key}: for the voter's own idea`);
    if (!attempted.votes.has(key)) p.push(`vote ${key} was never sent`);
    if (v.org_id !== fx.org || !v.created_at) p.push(`vote ${key} is half-written`);
  }
  for (const a of acked.votes) if (!voteKeys.has(a.key)) p.push(`acknowledged vote ${a.key} is missing`);

  return { problems: p, counts: { decisions: dec.length, ideas: ideas.length, votes: votes.length },
    stored: { decisions: new Set(decById.keys()), ideas: new Set(ideaById.keys()), votes: voteKeys } };
}

// checkApi: the restarted server answers for what was acknowledged (a
// sample, read by each decision's author, who may always see it), reports
// vote counts that agree with the table, and takes new writes.
async function checkApi(srv, fx, rec) {
  const p = [];
  const clients = new Map(fx.writers.map((w) => [w.id, client(srv.base, w.token)]));
  const sample = (arr, n) => { const a = [...arr]; for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; } return a.slice(0, n); };
  for (const a of sample(rec.acked.decisions, 60)) {
    const r = await clients.get(a.author).get(`/api/v1/decisions/${a.id}`);
    if (r.status !== 200 || r.json.title !== a.title || r.json.verdict !== a.verdict || r.json.status !== a.status) p.push(`API decision ${a.id}: ${r.status} ${r.text.slice(0, 200)}`);
  }
  const reader = clients.get(fx.writers[0].id);
  for (const a of sample(rec.acked.ideas, 60)) {
    const r = await reader.get(`/api/v1/ideas/${a.id}`);
    const stored = await num(fx.db, `SELECT count(*) FROM vote WHERE idea_id = ${a.id}`);
    if (r.status !== 200 || r.json.title !== a.title || r.json.votes !== stored) p.push(`API idea ${a.id}: ${r.status} votes ${r.json?.votes} (table ${stored}) ${r.text.slice(0, 200)}`);
  }
  // new writes after the restart
  const w0 = clients.get(fx.writers[0].id), w1 = clients.get(fx.writers[1].id);
  const d = await w0.post('/api/v1/decisions', { domain: 'refund', title: 'after the restart', context: 'c', options: 'o', rationale: 'r', risk: 1, reward: 1 });
  if (d.status !== 201) p.push(`POST decision after the restart: ${d.status} ${d.text.slice(0, 200)}`);
  const i = await w0.post(`/api/v1/challenges/${fx.challenge}/ideas`, { title: 'after the restart', body: 'b' });
  if (i.status !== 201) p.push(`POST idea after the restart: ${i.status} ${i.text.slice(0, 200)}`);
  else {
    const v = await w1.put(`/api/v1/ideas/${i.json.id}/vote`);
    if (v.status !== 200 || v.json.votes !== 1) p.push(`PUT vote after the restart: ${v.status} ${v.text.slice(0, 200)}`);
  }
  return p;
}

// runBackup: `remit backup` as a child process (never execFileSync: that
// would stop the writers' event loop). Resolves to {code, out}.
function runBackup(db, to) {
  return new Promise((res) => {
    const c = spawn(BIN, ['backup', '--db', db, '--to', to], { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(c);
    let out = '';
    c.stdout.on('data', (d) => { out += d; });
    c.stderr.on('data', (d) => { out += d; });
    c.on('exit', (code) => { live.delete(c); res({ code, out }); });
  });
}

// snapshot: copies of what had been acknowledged / attempted so far.
const snapshot = (rec) => ({
  acked: { decisions: [...rec.acked.decisions], ideas: [...rec.acked.ideas], votes: [...rec.acked.votes] },
  attempted: { decisions: new Set(rec.attempted.decisions), ideas: new Set(rec.attempted.ideas), votes: new Set(rec.attempted.votes) },
});

const pct = (v, q) => { if (!v.length) return 0; const a = [...v].sort((x, y) => x - y); return a[Math.min(a.length - 1, Math.floor(q * a.length))].toFixed(1); };

// ---------- one trial ----------
async function trial(t) {
  const dir = mkdtempSync(join(tmpdir(), 'remit-crash-'));
  dirs.add(dir);
  const rec = newRecord();
  const res = { t, ok: false, problems: rec.problems, ms: 0, acked: 0, rec, note: '' };
  let srv = null, srv2 = null, ok = false, backup = null;
  const logs = [];
  try {
    const fx = await setup(dir);
    srv = await serve(fx.db);
    logs.push(srv.log);
    const ms = Math.round(MIN_MS + rand() * (MAX_MS - MIN_MS));
    res.ms = ms;
    const withBackup = t % 3 === 1;
    const start = performance.now();
    const ws = fx.writers.map((wr) => writer(t, fx, wr, srv.base, rec));

    // the backup, started while the writers run
    if (withBackup) {
      backup = (async () => {
        await new Promise((r) => setTimeout(r, Math.round(ms * (0.15 + rand() * 0.5))));
        const before = snapshot(rec);
        const to = join(dir, 'backup.db');
        const b = await runBackup(fx.db, to);
        return { before, after: snapshot(rec), to, ...b, killedFirst: rec.killedAt > 0 };
      })();
    }

    // SIGKILL at the chosen moment, with requests in flight
    await new Promise((r) => setTimeout(r, Math.max(0, ms - (performance.now() - start))));
    rec.inflightAtKill = rec.inflight;
    rec.killedAt = performance.now();
    srv.child.kill('SIGKILL');
    const ex = await srv.exited;
    rec.stop = true;
    await Promise.all(ws);
    if (ex.sig !== 'SIGKILL') rec.problems.push(`the server ended by ${ex.code ?? ex.sig} before the kill: ${srv.log().slice(-500)}`);
    const walBytes = existsSync(fx.db + '-wal') ? statSync(fx.db + '-wal').size : 0;

    // restart on the same files (recovers the WAL), then check
    srv2 = await serve(fx.db);
    logs.push(srv2.log);
    const { problems, stored } = await checkDb(fx.db, fx, rec.acked, rec.attempted);
    rec.problems.push(...problems);
    const a = rec.acked;
    res.acked = a.decisions.length + a.ideas.length + a.votes.length;
    // stored but never acknowledged: requests in flight at the kill that
    // committed before the response went out (allowed, and whole)
    const ackedKeys = { decisions: new Set(a.decisions.map((x) => x.id)), ideas: new Set(a.ideas.map((x) => x.id)), votes: new Set(a.votes.map((x) => x.key)) };
    const extra = ['decisions', 'ideas', 'votes'].reduce((n, k) => n + [...stored[k]].filter((x) => !ackedKeys[k].has(x)).length, 0);
    res.extra = extra;
    rec.problems.push(...await checkApi(srv2, fx, rec));
    res.note = `${ms} ms, acked ${a.decisions.length} decisions, ${a.ideas.length} ideas, ${a.votes.length} votes; ` +
      `${rec.inflightAtKill} in flight at the kill, ${extra} committed but unacknowledged; WAL ${(walBytes / 1048576).toFixed(1)} MiB; ` +
      `latency p50 ${pct(rec.lat, 0.5)} ms, p99 ${pct(rec.lat, 0.99)} ms, max ${pct(rec.lat, 1)} ms` +
      (rec.busy ? `; ${rec.busy} busy (503)` : '');

    if (backup) {
      const b = await backup;
      if (b.code !== 0) rec.problems.push(`remit backup exited ${b.code}: ${b.out.trim()}`);
      else {
        if (existsSync(b.to + '-wal') || existsSync(b.to + '.partial')) rec.problems.push('the backup left a -wal or .partial file');
        const mode = await sqlRaw(b.to, 'PRAGMA journal_mode');
        if (mode !== 'delete') rec.problems.push(`backup journal_mode ${mode} (want delete)`);
        // everything acknowledged before the backup started is in it; nothing
        // in it was never sent; it is whole by the same rules as the database
        const r = await checkDb(b.to, fx, b.before.acked, b.after.attempted);
        rec.problems.push(...r.problems.map((x) => `backup: ${x}`));
        const c = r.counts, max = { decisions: b.after.attempted.decisions.size, ideas: b.after.attempted.ideas.size, votes: b.after.attempted.votes.size };
        for (const k of ['decisions', 'ideas', 'votes']) {
          if (c[k] < b.before.acked[k].length || c[k] > max[k]) rec.problems.push(`backup holds ${c[k]} ${k}: outside [${b.before.acked[k].length}, ${max[k]}]`);
        }
        res.note += `; backup (${c.decisions} decisions, ${c.ideas} ideas, ${c.votes} votes${b.killedFirst ? ', finished after the kill' : ''})`;
      }
    }

    // a clean stop of the restarted server
    srv2.child.kill('SIGTERM');
    const ex2 = await srv2.exited;
    srv2 = null;
    if (ex2.code !== 0) rec.problems.push(`the restarted server exited ${ex2.code ?? ex2.sig} on SIGTERM`);
    if (!res.acked) rec.problems.push('no write was acknowledged: the trial tested nothing');
    ok = rec.problems.length === 0;
    res.ok = ok;
  } catch (e) {
    rec.problems.push(`trial error: ${e.stack || e.message}`);
  } finally {
    rec.stop = true;
    if (backup) await backup.catch(() => {});
    for (const s of [srv, srv2]) if (s && s.child.exitCode === null && s.child.signalCode === null) { s.child.kill('SIGKILL'); await s.exited; }
    if (!ok) res.logs = logs.map((l) => l().trim().split('\n').slice(-6).join('\n')).filter(Boolean);
    if (ok || !KEEP) { rmSync(dir, { recursive: true, force: true }); dirs.delete(dir); } else res.note += ` (kept ${dir})`;
  }
  return res;
}

// ---------- main ----------
console.log(`crash: ${TRIALS} trials, ${WRITERS} writers, SIGKILL after ${MIN_MS}-${MAX_MS} ms, seed ${SEED}, ${SRC_BIN}`);
const results = [];
for (let t = 1; t <= TRIALS; t++) {
  const t0 = performance.now();
  const r = await trial(t);
  results.push(r);
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`trial ${t}/${TRIALS}: ${r.ok ? 'ok' : 'FAIL'} (${secs} s) ${r.note}`);
  if (!r.ok) for (const x of r.problems.slice(0, 20)) console.log(`  - ${x}`);
  if (!r.ok && r.problems.length > 20) console.log(`  - ... and ${r.problems.length - 20} more`);
  if (!r.ok) for (const [i, l] of (r.logs || []).entries()) console.log(`  server log (${i ? 'after the restart' : 'before the kill'}), last lines:\n    ${l.replace(/\n/g, '\n    ')}`);
}
const passed = results.filter((r) => r.ok).length, failed = results.length - passed;
const acked = results.map((r) => r.acked);
const sum = acked.reduce((a, b) => a + b, 0);
console.log(`crash: writes acknowledged per trial min ${Math.min(...acked)}, mean ${Math.round(sum / acked.length)}, max ${Math.max(...acked)} ` +
  `(${sum} in all); acknowledged but missing after the restart: ${results.reduce((a, r) => a + r.problems.filter((x) => /^acknowledged .* is missing$/.test(x)).length, 0)}; ` +
  `committed but unacknowledged (in flight at the kill): ${results.reduce((a, r) => a + (r.extra || 0), 0)}`);
console.log(`crash: ${passed} passed, ${failed} failed`);
cleanupAll();
process.exit(failed ? 1 : 0);
