#!/usr/bin/env node
// soak.mjs: the soak test. Makes a demo organisation (or copies --db),
// starts the optimized binary with 4 threads on a free loopback port and
// drives it at a constant rate for a long time with the mix of a small
// business day: about 75% reads (HTML pages and API lists, as eight people
// from owner to member) and 25% writes (decisions logged, outcomes recorded,
// ideas shared, votes, comments), every one a valid request that must get a
// 2xx. It measures latency (client side and remit's Server-Timing) and
// watches the server's resident memory and open file descriptors.
//
//   REMIT_BIN=./remit node tests/soak/soak.mjs [--seconds 600] [--rate 200]
//       [--db FILE] [--size large|small] [--keep]
//   make soak SOAK_SECONDS=600
//
// The load is open loop: request n starts at n/rate seconds whatever the
// earlier ones are doing, over at most 32 keep-alive connections, and its
// latency runs from that planned start (a stall shows up, it is not hidden
// by sending less). The first 20% of the run (10-120 s) is warm-up: its
// latencies are left out, and memory and descriptors are measured right
// after it and again at the end. Two minutes, because remit's bounded
// caches fill that slowly at 200 requests/s: SQLite's page cache (1 MiB per
// connection) and prepared statements (about 1 MiB per connection; emptied
// at 160), measured together at 9.2 MiB after 150 s with REMIT_SQL_TRACE set
// (which prints them when the server stops). The test fails on any error (a non-2xx, a
// network error or no answer within 5 s), on more than 5% growth of the
// resident memory or of the descriptors, or when the server does not exit 0
// on SIGTERM. The last lines are key=value figures and "soak: PASS" or
// "soak: FAIL (reasons)"; the exit status is 0 only on PASS.
//
// REMIT_BIN names the binary (default ./remit, the -O2 build); it is copied
// first so that a rebuild during the run cannot swap it. --db FILE soaks a
// copy of FILE (made with `remit backup`); otherwise `remit demo` makes the
// organisation, `--size large` (the default) when the binary knows it. Every
// request carries an API token except the password logins (POST
// /api/v1/session as one of the four demo logins, 2% of their writes, about one
// every two seconds at 200/s): each runs argon2id (64 MiB, at most two at
// once), so memory is sampled only while no login is in flight, and the
// growth check compares like with like. With --db, the demo's logins must
// have the password soak-demo-password. The temporary directory is
// removed at the end unless --keep.
import http from 'node:http';
import os from 'node:os';
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, existsSync, copyFileSync, chmodSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const THREADS = 4, SOCKETS = 32, TIMEOUT_MS = 5000, SAMPLE_MS = 10000;
const WRITE_SHARE = 0.25, LIMIT_PCT = 5;
const PASSWORD = 'soak-demo-password';
const DEMO_LOGINS = ['owner@example.com', 'admin@example.com', 'manager@example.com', 'member@example.com'];
let loginsInFlight = 0; // password logins under way: memory is not sampled meanwhile
const WORDS = ['refund', 'waste', 'bread', 'oven', 'coffee', 'rota', 'supplier', 'discount', 'cake', 'milk', 'customer', 'price'];

// ---------- options ----------
const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt; };
const SECONDS = Number(opt('--seconds', '600'));
const RATE = Number(opt('--rate', '200'));
const DB_IN = opt('--db', null);
const SIZE = opt('--size', 'large');
const KEEP = argv.includes('--keep');
if (!(SECONDS >= 20) || !(RATE > 0 && RATE <= 5000) || !['large', 'small'].includes(SIZE)) {
  console.error('usage: soak.mjs [--seconds N>=20] [--rate R] [--db FILE] [--size large|small] [--keep]');
  process.exit(2);
}
const WARM_S = Math.min(120, Math.max(10, SECONDS * 0.2));

// ---------- helpers ----------
const rand = (n) => Math.floor(Math.random() * n);
const pick = (arr) => arr[rand(arr.length)];
const mib = (kib) => kib / 1024;
const fmt = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(d));
const growthPct = (a, b) => (a > 0 ? ((b - a) / a) * 100 : 0);
const today = (days = 0) => new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);

// percentile(sorted, q): the nearest-rank percentile of an ascending array.
function percentile(sorted, q) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
function summary(values) {
  const s = Float64Array.from(values).sort();
  return { n: s.length, p50: percentile(s, 0.5), p99: percentile(s, 0.99), max: s.length ? s[s.length - 1] : null };
}

// ---------- the binary, the directory and the server, cleaned up whatever happens ----------
const SRC_BIN = resolve(process.env.REMIT_BIN || join(root, 'remit'));
if (!existsSync(SRC_BIN)) { console.error(`soak: no binary at ${SRC_BIN} (run make)`); process.exit(2); }
const dir = mkdtempSync(join(os.tmpdir(), 'remit-soak-'));
const BIN = join(dir, 'remit');
copyFileSync(SRC_BIN, BIN);
chmodSync(BIN, 0o755);
let server = null; // the running child process, while it runs
process.on('exit', () => {
  if (server) { try { server.kill('SIGKILL'); } catch { /* gone */ } }
  if (KEEP) console.log(`soak: kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

const execFileP = promisify(execFile);
// cli(args): runs the remit CLI; resolves to stdout, throws with stderr.
async function cli(args) {
  try {
    const { stdout } = await execFileP(BIN, args, { env: { ...process.env, REMIT_PASSWORD: PASSWORD }, maxBuffer: 1 << 26 });
    return stdout;
  } catch (e) {
    throw new Error(`remit ${args.join(' ')}: ${(e.stderr || e.message).trim()}`);
  }
}

// makeDb(): the database to soak and a one-line description of it.
async function makeDb() {
  const db = join(dir, 'soak.db');
  const t0 = performance.now();
  if (DB_IN) {
    await cli(['backup', '--db', DB_IN, '--to', db]);
    return { db, what: `a copy of ${DB_IN}` };
  }
  const help = await execFileP(BIN, ['demo', '--help']).then((r) => r.stdout + r.stderr, (e) => `${e.stdout}${e.stderr}`);
  const large = SIZE === 'large' && help.includes('--size');
  await cli(['demo', '--db', db, ...(large ? ['--size', 'large'] : [])]);
  const how = large ? 'remit demo --size large' : SIZE === 'large' ? 'remit demo (this binary has no --size yet)' : 'remit demo';
  return { db, what: `${how}, made in ${fmt((performance.now() - t0) / 1000)} s` };
}

// startServer(db): `remit serve` on a free loopback port; resolves to
// {child, base, exited, log()}.
async function startServer(db) {
  const child = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--threads', String(THREADS)], { stdio: ['ignore', 'ignore', 'pipe'] });
  server = child;
  let log = '';
  const exited = new Promise((res) => child.on('exit', (code, sig) => { server = null; res({ code, sig }); }));
  child.stderr.on('data', (d) => { if (log.length < 1 << 20) log += d.toString(); });
  const base = await new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error('server did not start: ' + log)), 15000);
    child.stderr.on('data', () => { const m = log.match(/on (http:\/\/127\.0\.0\.1:\d+)\//); if (m) { clearTimeout(t); res(m[1]); } });
    exited.then(({ code, sig }) => { clearTimeout(t); rej(new Error(`server exited (${code ?? sig}) at start: ${log}`)); });
  });
  return { child, base, exited, log: () => log };
}

// ---------- HTTP ----------
// One agent for everything: keep-alive, at most SOCKETS connections, the
// least recently used free one first so that all stay warm and open.
const agent = new http.Agent({ keepAlive: true, maxSockets: SOCKETS, scheduling: 'fifo' });
const openSockets = () => [agent.sockets, agent.freeSockets].reduce((n, m) => n + Object.values(m).reduce((k, v) => k + v.length, 0), 0);

// send(base, method, path, token, body): one request; resolves (never
// rejects) to {status, app, text} or {status: 0, error} for a network
// error or no answer within TIMEOUT_MS.
function send(base, method, path, token, body) {
  return new Promise((resolvePromise) => {
    let settled = false;
    const done = (r) => { if (!settled) { settled = true; clearTimeout(timer); resolvePromise(r); } };
    const headers = token ? { authorization: `Bearer ${token}` } : {};
    const data = body === undefined ? undefined : JSON.stringify(body);
    if (data !== undefined) { headers['content-type'] = 'application/json'; headers['content-length'] = Buffer.byteLength(data); }
    const req = http.request(base + path, { method, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', (e) => done({ status: 0, error: e.code || e.message }));
      res.on('end', () => {
        const m = /app;dur=([\d.]+)/.exec(res.headers['server-timing'] || '');
        done({ status: res.statusCode, app: m ? Number(m[1]) : null, text: Buffer.concat(chunks).toString() });
      });
    });
    const timer = setTimeout(() => { done({ status: 0, error: 'timeout' }); req.destroy(); }, TIMEOUT_MS);
    req.on('error', (e) => done({ status: 0, error: e.code || e.message }));
    req.end(data);
  });
}

// getJson(base, token, path): a setup request that must answer 200 JSON.
async function getJson(base, token, path) {
  const r = await send(base, 'GET', path, token);
  if (r.status !== 200) throw new Error(`setup GET ${path}: ${r.status || r.error} ${(r.text || '').slice(0, 200)}`);
  return JSON.parse(r.text);
}
// getAll(base, token, path): every item of a paged list.
async function getAll(base, token, path) {
  const items = [];
  for (let after = null; ;) {
    const j = await getJson(base, token, `${path}${path.includes('?') ? '&' : '?'}limit=500${after ? `&after=${after}` : ''}`);
    items.push(...j.items);
    if (j.next_after === null || !j.items.length) return items;
    after = j.next_after;
  }
}

// ---------- the people and what they see ----------
// chooseActors(people): the four demo logins plus two more managers and two
// more members, from teams other than those already chosen where possible.
function chooseActors(people) {
  const byEmail = new Map(people.map((p) => [p.email, p]));
  const chosen = ['owner', 'admin', 'manager', 'member'].map((a) => {
    const p = byEmail.get(`${a}@example.com`);
    if (!p) throw new Error(`the demo has no ${a}@example.com`);
    return p;
  });
  for (const access of ['manager', 'member']) {
    for (let k = 0; k < 2; k++) {
      const free = people.filter((p) => p.access === access && p.status === 'active' && !chosen.includes(p));
      const fresh = free.filter((p) => !chosen.some((c) => c.team_id === p.team_id));
      const p = (fresh.length ? fresh : free)[Math.floor(((k + 1) * (fresh.length || free.length)) / 3)];
      if (p) chosen.push(p);
    }
  }
  return chosen;
}

// discover(base, actors, adminToken, people): the ids the load picks from. Every
// actor gets what they may see: decisions, challenges (and the open ones),
// ideas (and those they may vote for), their own decided decisions without
// an outcome, and for each domain their "Can I?" limit.
async function discover(base, actors, adminToken, people) {
  const w = {
    domains: (await getAll(base, adminToken, '/api/v1/domains')).map((d) => d.slug),
    teams: (await getAll(base, adminToken, '/api/v1/teams')).map((t) => t.id),
    goals: (await getAll(base, adminToken, '/api/v1/goals')).map((g) => g.id),
    roles: (await getAll(base, adminToken, '/api/v1/roles')).map((r) => r.id),
    people: people.map((p) => p.id),
    ideasOf: new Map(), // challenge id -> [{id, author, merged}]
  };
  for (const c of await getAll(base, adminToken, '/api/v1/challenges')) {
    const j = await getJson(base, adminToken, `/api/v1/challenges/${c.id}/ideas?sort=new&limit=500`);
    w.ideasOf.set(c.id, j.items.map((i) => ({ id: i.id, author: i.author?.id ?? 0, merged: i.merged_into_id !== null })));
  }
  for (const a of actors) {
    const visible = await getAll(base, a.token, '/api/v1/challenges');
    a.challenges = visible.map((c) => c.id);
    a.open = visible.filter((c) => c.phase === 'open').map((c) => c.id);
    a.ideas = a.challenges.flatMap((c) => w.ideasOf.get(c).filter((i) => !i.merged).map((i) => i.id));
    a.votable = a.open.flatMap((c) => w.ideasOf.get(c).filter((i) => !i.merged && i.author !== a.id).map((i) => i.id));
    a.decisions = (await getJson(base, a.token, '/api/v1/decisions?limit=300')).items.map((d) => d.id);
    a.decided = (await getJson(base, a.token, `/api/v1/decisions?person_id=${a.id}&status=decided&limit=500`)).items
      .filter((d) => d.outcome === null).map((d) => d.id);
    a.limits = {};
    for (const slug of w.domains) a.limits[slug] = (await getJson(base, a.token, `/api/v1/can?domain=${slug}`)).limit;
    a.follow = [];
  }
  return w;
}

// ---------- the load: what a day's requests look like ----------
// Each operation has a weight within its class, may need something (need),
// and makes {method, path, body, then}; then(json) sees a 2xx answer.
const isManager = (a) => ['owner', 'admin', 'manager'].includes(a.access);

function decisionBody(w, a, seq) {
  const slug = pick(w.domains), limit = a.limits[slug];
  const max = limit ? Number(limit) * 1.25 : 600;
  const amount = Math.random() < 0.3 ? null : (Math.round(Math.random() * max * 100) / 100).toFixed(2);
  return {
    domain: slug, title: `Soak ${seq}: ${pick(WORDS)} for a ${pick(['regular', 'new', 'upset', 'large'])} customer`, amount,
    context: `The ${pick(WORDS)} question came up at the counter (${seq}).`, options: 'Do it now, wait for the manager, or say no.',
    rationale: `Quicker for the ${pick(WORDS)} and the customer.`, risk: 1 + rand(5), reward: 1 + rand(5),
    review_on: Math.random() < 0.5 ? today(7 + rand(60)) : null,
  };
}

function operations(w, actors) {
  const read = (name, weight, path, need) => ({ name, weight, need, make: (a) => ({ method: 'GET', path: path(a) }) });
  const reads = [
    read('GET /', 8, () => '/'),
    read('GET /decisions', 5, () => '/decisions'),
    read('GET /decisions?status=pending', 3, () => '/decisions?status=pending'),
    read('GET /decisions/{id}', 6, (a) => `/decisions/${pick(a.decisions)}`, (a) => a.decisions.length),
    read('GET /inbox', 5, () => '/inbox'),
    read('GET /challenges', 3, () => '/challenges'),
    read('GET /challenges/{id}', 5, (a) => `/challenges/${pick(a.challenges)}`, (a) => a.challenges.length),
    read('GET /ideas/{id}', 5, (a) => `/ideas/${pick(a.ideas)}`, (a) => a.ideas.length),
    read('GET /people', 3, () => '/people'),
    read('GET /people/{id}', 2, () => `/people/${pick(w.people)}`),
    read('GET /teams', 2, () => '/teams'),
    read('GET /teams/{id}', 1, () => `/teams/${pick(w.teams)}`, () => w.teams.length),
    read('GET /org', 2, () => '/org'),
    read('GET /goals/{id}', 1, () => `/goals/${pick(w.goals)}`, () => w.goals.length),
    read('GET /roles', 2, () => '/roles'),
    read('GET /roles/{id}', 1, () => `/roles/${pick(w.roles)}`, () => w.roles.length),
    read('GET /rights', 1, () => '/rights'),
    read('GET /domains', 1, () => '/domains'),
    read('GET /autonomy', 1, () => '/autonomy'),
    read('GET /ideas/mine', 1, () => '/ideas/mine'),
    read('GET /insights', 2, () => '/insights', isManager),
    read('GET /insights/ideas', 1, () => '/insights/ideas', isManager),
    read('GET /learning?q=', 3, () => `/learning?q=${pick(WORDS)}`),
    read('GET /can?domain=&amount=', 2, () => `/can?domain=${pick(w.domains)}&amount=${rand(300)}`),
    read('GET /follow?token=', 1, (a) => pick(a.follow), (a) => a.follow.length),
    read('GET /api/v1/decisions', 4, () => '/api/v1/decisions?limit=50'),
    read('GET /api/v1/decisions?status=pending', 1, () => '/api/v1/decisions?status=pending&limit=50'),
    read('GET /api/v1/decisions/{id}', 2, (a) => `/api/v1/decisions/${pick(a.decisions)}`, (a) => a.decisions.length),
    read('GET /api/v1/inbox', 2, () => '/api/v1/inbox'),
    read('GET /api/v1/challenges/{id}/ideas', 4, (a) => `/api/v1/challenges/${pick(a.challenges)}/ideas?sort=${pick(['top', 'trending', 'new'])}&limit=50`,
      (a) => a.challenges.length),
    read('GET /api/v1/challenges/{id}/similar', 2, (a) => `/api/v1/challenges/${pick(a.challenges)}/similar?q=${pick(WORDS)}+${pick(WORDS)}`,
      (a) => a.challenges.length),
    read('GET /api/v1/ideas/mine', 1, () => '/api/v1/ideas/mine'),
    read('GET /api/v1/people', 2, () => '/api/v1/people?limit=100'),
    read('GET /api/v1/goals', 1, () => '/api/v1/goals'),
    read('GET /api/v1/can', 6, () => `/api/v1/can?domain=${pick(w.domains)}&amount=${rand(300)}.${rand(10)}0`),
    read('GET /api/v1/insights/decisions', 1, () => '/api/v1/insights/decisions', isManager),
  ];
  let seq = 0;
  const writes = [
    { name: 'POST /api/v1/decisions', short: 'decisions', weight: 40, make: (a) => ({
      method: 'POST', path: '/api/v1/decisions', body: decisionBody(w, a, ++seq),
      then: (j) => { a.decisions.push(j.id); if (j.status === 'decided') a.decided.push(j.id); },
    }) },
    { name: 'POST /api/v1/decisions/{id}/outcome', short: 'outcomes', weight: 10, need: (a) => a.decided.length, make: (a) => ({
      method: 'POST', path: `/api/v1/decisions/${a.decided.splice(rand(a.decided.length), 1)[0]}/outcome`,
      body: { outcome: pick(['good', 'good', 'good', 'mixed', 'bad']), account: `It went as planned with the ${pick(WORDS)}.`,
        learning: `Next time check the ${pick(WORDS)} first.` },
    }) },
    { name: 'POST /api/v1/challenges/{id}/ideas', short: 'ideas', weight: 12, need: (a) => a.open.length, make: (a) => {
      const c = pick(a.open), anonymous = Math.random() < 0.1;
      return {
        method: 'POST', path: `/api/v1/challenges/${c}/ideas`, body: { title: `Soak idea ${++seq}: less ${pick(WORDS)}, more ${pick(WORDS)}`,
          body: `We could change how we handle the ${pick(WORDS)} at the ${pick(WORDS)} station.`, anonymous },
        then: (j) => {
          w.ideasOf.get(c).push({ id: j.id, author: anonymous ? 0 : a.id, merged: false });
          for (const b of actors) {
            if (!b.challenges.includes(c)) continue;
            b.ideas.push(j.id);
            if (b !== a || anonymous) b.votable.push(j.id);
          }
          if (j.follow_url) a.follow.push(j.follow_url);
        },
      };
    } },
    { name: 'POST /api/v1/session (password login)', short: 'logins', weight: 2, need: (a) => DEMO_LOGINS.includes(a.email), anon: true, make: (a) => ({
      method: 'POST', path: '/api/v1/session', body: { email: a.email, password: PASSWORD }, login: true,
    }) },
    { name: 'PUT /api/v1/ideas/{id}/vote', short: 'votes', weight: 24, need: (a) => a.votable.length, make: (a) => ({ method: 'PUT', path: `/api/v1/ideas/${pick(a.votable)}/vote` }) },
    { name: 'POST /api/v1/ideas/{id}/comments', short: 'comments', weight: 14, need: (a) => a.ideas.length, make: (a) => ({
      method: 'POST', path: `/api/v1/ideas/${pick(a.ideas)}/comments`, body: { body: `Good point about the ${pick(WORDS)}; what about the ${pick(WORDS)}?` },
    }) },
  ];
  return { read: reads, write: writes };
}

// choose(ops, a): an operation of the class that a can do, by weight.
function choose(ops, a) {
  const can = ops.filter((o) => !o.need || o.need(a));
  let x = Math.random() * can.reduce((s, o) => s + o.weight, 0);
  for (const o of can) if ((x -= o.weight) < 0) return o;
  return can[can.length - 1];
}

// ---------- the server's memory, descriptors and CPU ----------
function procSample(pid, db) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (k) => Number((status.match(new RegExp(`^${k}:\\s+(\\d+)`, 'm')) || [0, 0])[1]);
  let fds = 0, sockets = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    fds++;
    try { if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) sockets++; } catch { /* closed meanwhile */ }
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const size = (f) => (existsSync(f) ? statSync(f).size : 0);
  return { rss: kib('VmRSS'), anon: kib('RssAnon'), hwm: kib('VmHWM'), fds, sockets, clientSockets: openSockets(),
    cpuTicks: Number(stat[11]) + Number(stat[12]), wal: size(`${db}-wal`), dbSize: size(db) };
}

// ---------- the run ----------
// run(base, pid, db, actors, ops): RATE requests a second for SECONDS;
// resolves to what was measured.
async function run(base, pid, db, actors, ops) {
  const interval = 1000 / RATE, total = Math.round(SECONDS * RATE), warmMs = WARM_S * 1000;
  const m = {
    lat: { read: [], write: [] }, app: { read: [], write: [] }, byOp: new Map(),
    count: 0, errors: new Map(), errorSamples: [], writes: new Map(), lagMax: 0,
    timeline: [], window: [], start: null, end: null,
  };
  const t0 = performance.now();
  let inflight = 0, sent = 0, windowErrors = 0, windowCount = 0, windowStart = 0;
  // closeWindow(): the figures of the timeline's current window, and a new one.
  const closeWindow = () => {
    const now = performance.now() - t0;
    const w = { t: now / 1000, rate: (windowCount * 1000) / (now - windowStart), p99: percentile(Float64Array.from(m.window).sort(), 0.99), errors: windowErrors };
    m.window = [];
    windowCount = windowErrors = 0;
    windowStart = now;
    return w;
  };

  const fire = async (planned) => {
    const cls = Math.random() < WRITE_SHARE ? 'write' : 'read';
    const a = pick(actors);
    const op = choose(ops[cls], a), req = op.make(a);
    inflight++;
    if (req.login) loginsInFlight++;
    const r = await send(base, req.method, req.path, op.anon ? null : a.token, req.body);
    if (req.login) loginsInFlight--;
    inflight--;
    const ms = performance.now() - planned;
    m.count++;
    windowCount++;
    let bad = r.status >= 200 && r.status < 300 ? null : r.status ? `HTTP ${r.status}` : r.error;
    if (!bad && req.then) {
      try { req.then(JSON.parse(r.text)); } catch { bad = 'bad JSON'; }
    }
    if (!bad && cls === 'write') m.writes.set(op.short, (m.writes.get(op.short) || 0) + 1);
    if (bad) {
      const kind = `${bad} ${op.name}`;
      m.errors.set(kind, (m.errors.get(kind) || 0) + 1);
      windowErrors++;
      if (m.errorSamples.length < 5) m.errorSamples.push(`${req.method} ${req.path} as ${a.email} (${a.access}): ${bad} ${(r.text || '').slice(0, 300)}`);
    }
    m.window.push(ms);
    if (planned - t0 < warmMs) return;
    m.lat[cls].push(ms);
    if (r.app !== null && r.app !== undefined) m.app[cls].push(r.app);
    if (!m.byOp.has(op.name)) m.byOp.set(op.name, []);
    m.byOp.get(op.name).push(ms);
  };

  await new Promise((done) => {
    // Samples every SAMPLE_MS, the start sample right after warm-up, and a
    // progress line every minute on stderr.
    const sample = async () => {
      for (let i = 0; i < 200 && loginsInFlight > 0; i++) await new Promise((r) => setTimeout(r, 25));
      const s = { ...procSample(pid, db), ...closeWindow() };
      m.timeline.push(s);
      if (Math.round(s.t) % 60 === 0) {
        console.error(`soak: ${Math.round(s.t)} s, ${m.count} requests, ${[...m.errors.values()].reduce((x, y) => x + y, 0)} errors, ` +
          `RSS ${fmt(mib(s.rss))} MiB, ${s.fds} fds, WAL ${fmt(s.wal / 1048576)} MiB`);
      }
    };
    const sampler = setInterval(sample, SAMPLE_MS);
    const startSample = () => { if (loginsInFlight > 0) setTimeout(startSample, 25); else m.start = procSample(pid, db); };
    setTimeout(startSample, warmMs);
    // The scheduler: whenever it wakes, it starts every request whose
    // planned time has come, each timed from its planned time.
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor((now - t0) / interval) + 1);
      if (sent < due) m.lagMax = Math.max(m.lagMax, now - (t0 + sent * interval));
      for (; sent < due; sent++) fire(t0 + sent * interval);
      if (sent < total) setTimeout(tick, Math.max(0, t0 + sent * interval - performance.now()));
      else { clearInterval(sampler); done(); }
    };
    tick();
  });
  while (inflight > 0) await new Promise((r) => setTimeout(r, 20));
  m.elapsed = (performance.now() - t0) / 1000;
  m.end = procSample(pid, db);
  m.timeline.push({ ...m.end, ...closeWindow() });
  return m;
}

// ---------- the report ----------
function machine() {
  const cpu = os.cpus()[0]?.model?.trim() || 'unknown CPU';
  const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  return `${os.availableParallelism()} cores, ${cpu}, ${os.type()} ${os.release()}, node ${process.version}, load average ${load}`;
}

function report(m, ctx) {
  const line = (cells, widths) => cells.map((c, i) => (i ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ');
  const W = [7, 9, 8, 8, 8, 9, 9, 9];
  console.log(`\n${line(['class', 'requests', 'p50 ms', 'p99 ms', 'max ms', 'app p50', 'app p99', 'app max'], W)}`);
  for (const cls of ['read', 'write', 'all']) {
    const lat = cls === 'all' ? [...m.lat.read, ...m.lat.write] : m.lat[cls];
    const app = cls === 'all' ? [...m.app.read, ...m.app.write] : m.app[cls];
    const c = summary(lat), s = summary(app);
    console.log(line([cls, c.n, fmt(c.p50, 2), fmt(c.p99, 2), fmt(c.max, 1), fmt(s.p50, 2), fmt(s.p99, 2), fmt(s.max, 1)], W));
  }
  console.log(`(after the ${WARM_S} s warm-up; client latency from each request's planned start; app = remit's Server-Timing)`);

  const slow = [...m.byOp].map(([name, v]) => ({ name, ...summary(v) })).sort((x, y) => y.p99 - x.p99).slice(0, 6);
  console.log('\nslowest requests by p99 (client ms):');
  for (const o of slow) console.log(`  ${o.name.padEnd(42)} n=${String(o.n).padStart(6)}  p50 ${fmt(o.p50, 2).padStart(6)}  p99 ${fmt(o.p99, 2).padStart(7)}  max ${fmt(o.max, 1)}`);

  console.log(`\nachieved ${fmt(m.count / m.elapsed)} req/s of ${RATE} (${m.count} requests in ${fmt(m.elapsed)} s); scheduler lag max ${fmt(m.lagMax)} ms`);
  console.log(`writes acknowledged: ${ctx.writeOps.map((o) => `${o.short} ${m.writes.get(o.short) || 0}`).join(', ')}`);
  const cpuS = (m.end.cpuTicks - ctx.cpuStart) / ctx.hz;
  console.log(`server CPU ${fmt(cpuS)} s over the run (${fmt((cpuS / m.elapsed) * 100)}% of one core); database ${fmt(m.end.dbSize / 1048576)} MiB, WAL ${fmt(m.end.wal / 1048576)} MiB`);
  const errs = [...m.errors.values()].reduce((x, y) => x + y, 0);
  console.log(`errors: ${errs}`);
  const kinds = [...m.errors].sort((x, y) => y[1] - x[1]);
  for (const [k, v] of kinds.slice(0, 10)) console.log(`  ${v} x ${k}`);
  if (kinds.length > 10) console.log(`  ... and ${kinds.length - 10} more kinds`);
  for (const s of m.errorSamples) console.log(`  e.g. ${s}`);

  const { start: a, end: b } = m;
  console.log(`\n${line(['', 'after warm-up', 'end', 'growth'], [14, 14, 14, 8])}`);
  console.log(line(['VmRSS MiB', fmt(mib(a.rss), 2), fmt(mib(b.rss), 2), `${fmt(growthPct(a.rss, b.rss))}%`], [14, 14, 14, 8]));
  console.log(line(['RssAnon MiB', fmt(mib(a.anon), 2), fmt(mib(b.anon), 2), `${fmt(growthPct(a.anon, b.anon))}%`], [14, 14, 14, 8]));
  console.log(line(['fds', `${a.fds} (${a.sockets} sock)`, `${b.fds} (${b.sockets} sock)`, `${fmt(growthPct(a.fds, b.fds))}%`], [14, 14, 14, 8]));
  console.log(`(client connections open: ${a.clientSockets} after warm-up, ${b.clientSockets} at the end; VmHWM at the end ${fmt(mib(b.hwm), 2)} MiB)`);

  console.log(`\ntimeline, one value per ${SAMPLE_MS / 1000} s and one at the end:`);
  const series = (label, f) => {
    const vals = m.timeline.map(f);
    for (let i = 0; i < vals.length; i += 15) console.log(`  ${(i ? '' : label).padEnd(11)}${vals.slice(i, i + 15).join(' ')}`);
  };
  series('RSS MiB', (s) => fmt(mib(s.rss)));
  series('fds', (s) => s.fds);
  series('WAL MiB', (s) => fmt(s.wal / 1048576));
  series('req/s', (s) => fmt(s.rate, 0));
  series('p99 ms', (s) => fmt(s.p99));
  series('errors', (s) => s.errors);
  return errs;
}

// ---------- main ----------
async function main() {
  const started = new Date();
  console.log(`soak: ${SECONDS} s at ${RATE} req/s, ${Math.round(WRITE_SHARE * 100)}% writes, open loop over ${SOCKETS} keep-alive connections, ` +
    `remit serve --threads ${THREADS}, warm-up ${WARM_S} s`);
  console.log(`machine: ${machine()}`);
  console.log(`date: ${started.toISOString()}; binary ${SRC_BIN}`);
  const { db, what } = await makeDb();

  const token = async (email) => (await cli(['token', 'create', '--db', db, '--email', email])).trim();
  const adminToken = await token('admin@example.com');
  const srv = await startServer(db);
  const people = await getAll(srv.base, adminToken, '/api/v1/people');
  const actors = chooseActors(people);
  for (const a of actors) a.token = await token(a.email);
  const w = await discover(srv.base, actors, adminToken, people);
  const nIdeas = [...w.ideasOf.values()].reduce((s, v) => s + v.length, 0);
  const nDecisions = (await getJson(srv.base, adminToken, `/api/v1/insights/decisions?from=${today(-3650)}&to=${today()}`)).total;
  console.log(`data: ${what}: ${people.length} people, ${w.teams.length} teams, ${nDecisions} decisions, ${w.ideasOf.size} challenges, ${nIdeas} ideas`);
  console.log(`as: ${actors.map((a) => `${a.email} (${a.access})`).join(', ')}`);

  // Open every connection before the clock starts, so that the descriptor
  // count holds the same connections after warm-up and at the end.
  await Promise.all(Array.from({ length: SOCKETS }, () => send(srv.base, 'GET', '/healthz', adminToken)));
  const hz = Number((await execFileP('getconf', ['CLK_TCK'])).stdout.trim()) || 100;
  const cpuStart = procSample(srv.child.pid, db).cpuTicks;

  const ops = operations(w, actors);
  let m;
  try {
    m = await run(srv.base, srv.child.pid, db, actors, ops);
  } finally {
    agent.destroy();
  }
  const errors = report(m, { cpuStart, hz, writeOps: ops.write });

  srv.child.kill('SIGTERM');
  const exit = await Promise.race([srv.exited, new Promise((r) => setTimeout(() => r({ code: 'none within 15 s' }), 15000))]);
  const extra = srv.log().split('\n').filter((l) => l && !/serving .* on http|SIGTERM received/.test(l));
  if (extra.length) console.log(`\nserver log (${extra.length} lines):\n  ${extra.slice(0, 10).join('\n  ')}`);

  const rssG = growthPct(m.start.rss, m.end.rss), fdG = growthPct(m.start.fds, m.end.fds);
  const reasons = [];
  if (errors > 0) reasons.push(`${errors} errors`);
  if (rssG > LIMIT_PCT) reasons.push(`RSS grew ${fmt(rssG)}%`);
  if (fdG > LIMIT_PCT) reasons.push(`fds grew ${fmt(fdG)}%`);
  if (exit.code !== 0) reasons.push(`server exit ${exit.code ?? exit.sig} on SIGTERM`);
  const all = summary([...m.lat.read, ...m.lat.write]);
  console.log('');
  console.log(`soak_seconds=${SECONDS}`);
  console.log(`soak_rate=${RATE}`);
  console.log(`soak_achieved_rate=${fmt(m.count / m.elapsed)}`);
  console.log(`soak_requests=${m.count}`);
  console.log(`soak_errors=${errors}`);
  console.log(`soak_p99_ms=${fmt(all.p99, 2)}`);
  console.log(`rss_start_mib=${fmt(mib(m.start.rss), 2)}`);
  console.log(`rss_end_mib=${fmt(mib(m.end.rss), 2)}`);
  console.log(`rss_growth_pct=${fmt(rssG, 2)}`);
  console.log(`fds_start=${m.start.fds}`);
  console.log(`fds_end=${m.end.fds}`);
  console.log(reasons.length ? `soak: FAIL (${reasons.join(', ')})` : 'soak: PASS');
  return reasons.length ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(`soak: ${e.stack || e.message}`);
  console.log('soak: FAIL (setup or run error)');
  process.exit(1);
});
