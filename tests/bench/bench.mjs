#!/usr/bin/env node
// bench.mjs: how fast remit serves, and in how much memory. On a copy of
// the optimized binary and a large demo organisation (or a copy of --db) it
// starts `remit serve --threads 4` on a free loopback port and measures with
// wrk (2 threads, --connections keep-alive connections, --seconds each,
// a 30 s timeout so that slow answers count in the latencies):
//   1. the decision log page with filters, 50 rows (/decisions?status=decided&domain=refund)
//   2. the page of the challenge with most ideas, sorted by votes (/challenges/ID?sort=top)
//   3. "Can I?" as JSON for the member (/api/v1/can?domain=refund&amount=120)
//   4. logging a decision as the member (POST /api/v1/decisions, post.lua); every one a 201
// Pages 1 and 2 are measured again as static files from nginx with one
// worker (the same bytes, the same Content-Type, keep-alive), as the
// baseline. Then remit's resident memory (idle after warm-up, and its peak),
// the in-process "Can I?" rate of `remit bench can`, the targets met or
// missed, the machine, and last one key=value line per figure.
// Requests are authenticated with API tokens (`remit token create`), never
// a password login, whose argon2id would weigh on the memory figures. The
// logins are measured apart, last, on a fresh server: 20 password logins
// arrive at once, and its peak memory (VmHWM) must stay under 160 MiB
// (argon2id takes 64 MiB a hash, and remit runs at most two at once).
//
// Like is compared with like: by default wrk sends no Accept-Encoding, so
// remit and nginx both answer plain; with --gzip wrk sends
// "Accept-Encoding: gzip" to both, and nginx compresses at remit's level
// (gzip_comp_level 1, from 1 KiB, Vary), so both pay for compression. The
// output says which.
//
//   REMIT_BIN=./remit node tests/bench/bench.mjs [--db FILE] [--seconds 10] [--connections 64] [--gzip] [--keep]
//   make bench
//
// REMIT_BIN defaults to ./remit (the -O2 build); it is copied first, so a
// rebuild cannot swap it mid-run. --db benchmarks a copy of that database
// (`remit backup`); it needs the demo's logins (owner@example.com and
// member@example.com). --keep keeps the temporary directory. The exit
// status is non-zero when the bench itself went wrong (a non-2xx response,
// a socket error, a server that died); missed targets are reported only.
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, mkdirSync, rmSync, copyFileSync, chmodSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir, availableParallelism, release, type, loadavg } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import http from 'node:http';
import net from 'node:net';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const WRK = '/usr/bin/wrk';
const NGINX = '/usr/sbin/nginx';
const PASSWORD = 'bench-password-0123'; // the demo's logins; used only by the logins scenario
const OWNER = 'owner@example.com', MEMBER = 'member@example.com';
// Scenario 4's request: a small refund the member may decide alone (201).
const DECISION = JSON.stringify({ domain: 'refund', title: 'Refund a late delivery', amount: '30.00', rationale: 'The order arrived an hour late.', risk: 1, reward: 2 });
const TARGET = { pageVsNginx: 0.5, readP99Ms: 10, writeRps: 2000, rssPeakMiB: 32, canInproc: 1000000, loginsPeakMiB: 160 };

// ---------- options ----------
function usage() {
  console.error('usage: bench.mjs [--db FILE] [--seconds N] [--connections N] [--gzip] [--keep]');
  process.exit(2);
}
const opts = { seconds: '10', connections: '64', db: null, keep: false, gzip: false };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--keep') opts.keep = true;
  else if (a === '--gzip') opts.gzip = true;
  else if (['--db', '--seconds', '--connections'].includes(a) && i + 1 < process.argv.length) opts[a.slice(2)] = process.argv[++i];
  else usage();
}
const SECONDS = Number(opts.seconds), CONNECTIONS = Number(opts.connections), DB_IN = opts.db, KEEP = opts.keep;
if (!(Number.isInteger(SECONDS) && SECONDS > 0) || !(Number.isInteger(CONNECTIONS) && CONNECTIONS >= 2)) usage();
// wrk leaves answers slower than --timeout out of its latency figures (it
// counts them as socket errors instead): 30 s keeps p99 honest.
const GZIP = opts.gzip;
const WRK_ARGS = ['-t2', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--timeout', '30s', '--latency', ...(GZIP ? ['-H', 'Accept-Encoding: gzip'] : [])];
const ENCODING = GZIP ? 'gzip: wrk sends Accept-Encoding: gzip to remit and nginx; both compress (level 1)'
  : 'plain: wrk sends no Accept-Encoding; neither remit nor nginx compresses';

// ---------- the temporary directory and child processes, cleaned up whatever happens ----------
const dir = mkdtempSync(join(tmpdir(), 'remit-bench-'));
const live = new Set();
process.on('exit', () => {
  for (const c of live) { try { c.kill('SIGKILL'); } catch { /* gone */ } }
  if (KEEP) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
});
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

// Errors of the bench itself: reported at once and again at the end.
const errors = [];
function benchError(msg) {
  errors.push(msg);
  console.error(`BENCH ERROR: ${msg}`);
}

// ---------- helpers ----------
const execFileP = promisify(execFile);

// run(cmd, args, env): a command to its end; {code, stdout, stderr}; throws
// only when it cannot start.
async function run(cmd, args, env = {}) {
  const p = execFileP(cmd, args, { env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  live.add(p.child);
  try {
    const { stdout, stderr } = await p;
    return { code: 0, stdout, stderr };
  } catch (e) {
    if (typeof e.code !== 'number') throw e;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  } finally {
    live.delete(p.child);
  }
}

async function mustRun(cmd, args, env) {
  const r = await run(cmd, args, env);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

// request(url, opts): one HTTP request without keep-alive or compression;
// resolves to {status, headers, body} with body the exact bytes.
function request(url, { method = 'GET', token, json, encoding } = {}) {
  return new Promise((resolveReq, reject) => {
    const headers = {};
    if (encoding) headers['accept-encoding'] = encoding;
    if (token) headers.authorization = `Bearer ${token}`;
    if (json !== undefined) { headers['content-type'] = 'application/json'; headers['content-length'] = Buffer.byteLength(json); }
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolveReq({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.setTimeout(30000, () => req.destroy(new Error(`no answer in 30 s: ${method} ${url}`)));
    req.end(json);
  });
}

async function getOk(url, token) {
  const r = await request(url, { token });
  if (r.status !== 200) throw new Error(`GET ${url}: ${r.status} ${r.body.toString().slice(0, 300)}`);
  return r;
}

async function freePort() {
  const s = net.createServer();
  await new Promise((res, rej) => { s.once('error', rej); s.listen(0, '127.0.0.1', res); });
  const { port } = s.address();
  await new Promise((res) => s.close(res));
  return port;
}

async function waitForPort(port, child, what) {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null || child.signalCode) throw new Error(`${what} exited before listening`);
    const ok = await new Promise((res) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); res(true); });
      s.on('error', () => res(false));
    });
    if (ok) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`${what} is not listening on port ${port}`);
}

// track(child): kill it if we exit early; keeps its stderr (the last 64 KiB)
// and resolves .exited with {code, signal}.
function track(child) {
  live.add(child);
  child.log = '';
  child.stderr?.on('data', (d) => { child.log = (child.log + d.toString()).slice(-65536); });
  child.exited = new Promise((res) => child.on('exit', (code, signal) => { live.delete(child); res({ code, signal }); }));
  return child;
}

async function stop(child, what) {
  if (child.exitCode !== null || child.signalCode) return child.exited;
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 10000);
  const r = await child.exited;
  clearTimeout(t);
  if (r.signal === 'SIGKILL') benchError(`${what} did not stop within 10 s of SIGTERM`);
  return r;
}

// procMiB(pid, field): VmRSS or VmHWM of a process, in MiB.
function procMiB(pid, field) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]) / 1024;
}

// waitIdle(pid): until the process has used (almost) no CPU for 0.4 s, so
// that requests queued by one measurement do not slow the next one down.
async function waitIdle(pid) {
  const ticks = () => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return Number(f[11]) + Number(f[12]); };
  let last = ticks(), quiet = 0;
  for (let i = 0; i < 600 && quiet < 2; i++) {
    await new Promise((res) => setTimeout(res, 200));
    const now = ticks();
    quiet = now - last <= 1 ? quiet + 1 : 0;
    last = now;
  }
}

const count = (buf, needle) => buf.toString().split(needle).length - 1;

// ---------- wrk ----------
const UNIT_MS = { us: 0.001, ms: 1, s: 1000, m: 60000, h: 3600000 };

// parseWrk(out): {rps, p50, p99 (ms), requests, non2xx, socketErrors} from wrk --latency.
function parseWrk(out) {
  const num = (re) => { const m = out.match(re); return m ? Number(m[1]) : null; };
  const pct = (p) => {
    const m = out.match(new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$`, 'm'));
    return m ? Number(m[1]) * UNIT_MS[m[2]] : null;
  };
  const sock = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const r = {
    rps: num(/^Requests\/sec:\s+([\d.]+)/m), p50: pct(50), p99: pct(99), requests: num(/^\s+(\d+) requests in /m),
    non2xx: num(/Non-2xx or 3xx responses: (\d+)/) ?? 0,
    socketErrors: sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0, socketLine: sock ? sock[0] : '',
  };
  if (r.rps === null || r.p50 === null || r.p99 === null || r.requests === null) throw new Error(`cannot read wrk's output:\n${out}`);
  return r;
}

// wrk(name, url, token, script, env): one measurement; errors are bench errors.
async function wrk(name, url, token, script, env) {
  const args = [...WRK_ARGS, '-H', `Authorization: Bearer ${token}`];
  if (script) args.push('-s', script);
  process.stdout.write(`  ${name} ... `);
  const r = parseWrk(await mustRun(WRK, [...args, url], env));
  console.log(`${Math.round(r.rps)} req/s`);
  if (r.non2xx) benchError(`${name}: ${r.non2xx} responses were not 2xx/3xx`);
  if (r.socketErrors) benchError(`${name}: ${r.socketLine}`);
  return { name, ...r };
}

// ---------- remit ----------
async function makeDatabase(bin, db) {
  if (DB_IN) {
    await mustRun(bin, ['backup', '--db', resolve(DB_IN), '--to', db]);
    console.log(`database: a copy of ${DB_IN}`);
    return null;
  }
  const help = await run(bin, ['demo', '--help']);
  const large = /--size/.test(help.stdout + help.stderr);
  const t0 = performance.now();
  await mustRun(bin, ['demo', '--db', db, ...(large ? ['--size', 'large'] : [])], { REMIT_PASSWORD: PASSWORD });
  const s = (performance.now() - t0) / 1000;
  console.log(`database: remit demo${large ? ' --size large' : ' (no --size yet: the small demo)'} in ${s.toFixed(1)} s`);
  return s;
}

async function startRemit(bin, db) {
  const child = track(spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--threads', '4'], { stdio: ['ignore', 'ignore', 'pipe'] }));
  const base = await new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error(`remit serve did not start: ${child.log}`)), 15000);
    child.stderr.on('data', () => {
      const m = child.log.match(/on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) { clearTimeout(t); res(m[1]); }
    });
    child.exited.then(({ code, signal }) => { clearTimeout(t); rej(new Error(`remit serve exited (${code ?? signal}): ${child.log}`)); });
  });
  return { child, base };
}

function assertAlive(child) {
  if (child.exitCode !== null || child.signalCode) throw new Error(`remit serve died (${child.exitCode ?? child.signalCode}):\n${child.log}`);
}

// The challenge with most ideas, over every page of the list.
async function busiestChallenge(base, token) {
  let best = null, after = null;
  do {
    const r = await getOk(`${base}/api/v1/challenges?limit=500${after ? `&after=${after}` : ''}`, token);
    const page = JSON.parse(r.body.toString());
    for (const c of page.items) if (!best || c.idea_count > best.idea_count) best = c;
    after = page.next_after;
  } while (after);
  if (!best) throw new Error('the database has no challenge');
  return best;
}

// ---------- nginx ----------
// One worker, keep-alive, every path and temporary file inside dir, serving
// pages [{path, file, body}] as text/html; charset=utf-8 (remit's type).
async function startNginx(pages) {
  const ndir = join(dir, 'nginx'), www = join(ndir, 'www');
  mkdirSync(www, { recursive: true });
  const V = (await run(NGINX, ['-V'])).stderr;
  const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .filter((m) => m === 'client_body' || !V.includes(`--without-http_${m}_module`))
    .map((m) => `  ${m}_temp_path ${join(ndir, `${m}_temp`)};`).join('\n');
  const locations = pages.map((p) => {
    writeFileSync(join(www, p.file), p.body);
    return `    location = ${p.path} { try_files /${p.file} =404; }`;
  }).join('\n');
  const port = await freePort();
  const conf = join(ndir, 'nginx.conf');
  writeFileSync(conf, `# generated by tests/bench/bench.mjs
worker_processes 1;
daemon off;
pid ${join(ndir, 'nginx.pid')};
error_log ${join(ndir, 'error.log')};
${process.getuid() === 0 ? 'user root;  # the temporary directory is private to us\n' : ''}events { worker_connections 1024; }
http {
  access_log off;
${temps}
  keepalive_requests 1000000;
  keepalive_timeout 300s;
  types { text/html html; }
  charset utf-8;
${GZIP ? '  gzip on;\n  gzip_comp_level 1;\n  gzip_min_length 1024;\n  gzip_vary on;\n  gzip_types text/html;\n' : ''}  server {
    listen 127.0.0.1:${port};
    root ${www};
${locations}
  }
}
`);
  const eFlag = /-e filename/.test((await run(NGINX, ['-h'])).stderr) ? ['-e', join(ndir, 'error.log')] : [];
  const child = track(spawn(NGINX, ['-p', ndir, '-c', conf, ...eFlag], { stdio: ['ignore', 'ignore', 'pipe'] }));
  try {
    await waitForPort(port, child, 'nginx');
  } catch (e) {
    throw new Error(`${e.message}: ${child.log}${existsSync(join(ndir, 'error.log')) ? readFileSync(join(ndir, 'error.log'), 'utf8') : ''}`);
  }
  return { child, base: `http://127.0.0.1:${port}` };
}

// ---------- the report ----------
const f2 = (x) => x.toFixed(2);
const f1 = (x) => x.toFixed(1);
const int = (x) => String(Math.round(x));

function table(rows) {
  const head = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'vs nginx'];
  const cells = [head, ...rows.map((r) => [r.name, int(r.rps), f2(r.p50), f2(r.p99), String(r.non2xx + r.socketErrors), r.ratio === undefined ? '' : f2(r.ratio)])];
  const w = head.map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  for (const c of cells) console.log('  ' + c.map((x, i) => (i === 0 ? x.padEnd(w[i]) : x.padStart(w[i]))).join('  '));
}

// machine(): one line: CPUs usable (as nproc), the CPU model, the kernel,
// and the load average when the bench began (other work skews the figures).
const loadAtStart = loadavg()[0];
function machine() {
  const model = (readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m) || [])[1] || 'unknown CPU';
  return `${availableParallelism()} CPUs usable (${model}), ${type()} ${release()}, load average ${loadAtStart.toFixed(2)} at the start`;
}

// ---------- main ----------
async function main() {
  const src = resolve(process.env.REMIT_BIN || join(root, 'remit'));
  if (!existsSync(src)) throw new Error(`no binary at ${src} (run make remit)`);
  const bin = join(dir, 'remit');
  copyFileSync(src, bin);
  chmodSync(bin, 0o755);
  console.log(`remit bench: ${src}; wrk ${WRK_ARGS.join(' ')}`);
  console.log(`encoding: ${ENCODING}`);

  const db = join(dir, 'bench.db');
  const demoSeconds = await makeDatabase(bin, db);
  const ownerToken = (await mustRun(bin, ['token', 'create', '--db', db, '--email', OWNER, '--label', 'bench'])).trim();
  const memberToken = (await mustRun(bin, ['token', 'create', '--db', db, '--email', MEMBER, '--label', 'bench'])).trim();

  const srv = await startRemit(bin, db);
  console.log(`server: ${srv.base}/ (pid ${srv.child.pid}, --threads 4)`);

  // The pages, checked and kept for nginx.
  const decisionsPath = '/decisions?status=decided&domain=refund';
  const decisionsPage = await getOk(srv.base + decisionsPath, ownerToken);
  const rows = count(decisionsPage.body, '<tr><td><a href="/decisions/');
  if (rows !== 50) benchError(`${decisionsPath} shows ${rows} rows, not 50`);
  const challenge = await busiestChallenge(srv.base, ownerToken);
  const challengePath = `/challenges/${challenge.id}?sort=top`;
  const challengePage = await getOk(srv.base + challengePath, ownerToken);
  const ideas = count(challengePage.body, '<li class="idea" id="idea-');
  console.log(`pages: ${decisionsPath} ${rows} rows, ${f1(decisionsPage.body.length / 1024)} KiB; ` +
    `${challengePath} ${ideas} ideas (of ${challenge.idea_count}), ${f1(challengePage.body.length / 1024)} KiB`);
  if (ideas !== 50) console.log(`note: the challenge page shows ${ideas} ideas, not the top 50`);

  const canPath = '/api/v1/can?domain=refund&amount=120';
  const can = await getOk(srv.base + canPath, memberToken);
  console.log(`can: ${can.body.toString().slice(0, 120)}`);

  // Warm-up, then the idle memory.
  for (let i = 0; i < 5; i++) {
    for (const [p, t] of [[decisionsPath, ownerToken], [challengePath, ownerToken], [canPath, memberToken]]) await getOk(srv.base + p, t);
  }
  const rssIdle = procMiB(srv.child.pid, 'VmRSS');

  // measure: wrk against remit, then wait until remit has answered what
  // wrk left queued, so that it does not weigh on the next measurement.
  const measure = async (name, path, token, script, env) => {
    const r = await wrk(name, srv.base + path, token, script, env);
    assertAlive(srv.child);
    await waitIdle(srv.child.pid);
    return r;
  };
  console.log('measuring:');
  const results = {};
  results.decisions = await measure('1 decisions page', decisionsPath, ownerToken);
  results.challenge = await measure('2 challenge page', challengePath, ownerToken);
  results.can = await measure('3 can API', canPath, memberToken);
  // The pages still answer 200 (wrk counts a redirect to /login as a success).
  for (const p of [decisionsPath, challengePath]) await getOk(srv.base + p, ownerToken);

  // The nginx baseline: the same bytes as static files.
  const ng = await startNginx([
    { path: '/decisions', file: 'decisions.html', body: decisionsPage.body },
    { path: `/challenges/${challenge.id}`, file: 'challenge.html', body: challengePage.body },
  ]);
  for (const [p, page] of [[decisionsPath, decisionsPage], [challengePath, challengePage]]) {
    const r = await getOk(ng.base + p, ownerToken);
    if (!r.body.equals(page.body) || r.headers['content-type'] !== page.headers['content-type'])
      throw new Error(`nginx serves ${p} differently (${r.headers['content-type']}, ${r.body.length} bytes)`);
  }
  // Like with like: with --gzip both compress, without it neither does.
  for (const [who, base] of [['remit', srv.base], ['nginx', ng.base]]) {
    const r = await request(base + decisionsPath, { token: ownerToken, encoding: GZIP ? 'gzip' : undefined });
    const enc = r.headers['content-encoding'] || 'plain';
    if (enc !== (GZIP ? 'gzip' : 'plain')) throw new Error(`${who} answers ${enc}, not ${GZIP ? 'gzip' : 'plain'}`);
    console.log(`  ${who} decisions page as sent: ${enc}, ${f1(r.body.length / 1024)} KiB`);
  }
  results.nginxDecisions = await wrk('nginx decisions page', ng.base + decisionsPath, ownerToken);
  results.nginxChallenge = await wrk('nginx challenge page', ng.base + challengePath, ownerToken);
  await stop(ng.child, 'nginx');

  // Writes: one checked by hand, then wrk; every request wrk counted must be a new decision.
  const probe = await request(`${srv.base}/api/v1/decisions`, { method: 'POST', token: memberToken, json: DECISION });
  if (probe.status !== 201) throw new Error(`POST /api/v1/decisions: ${probe.status} ${probe.body.toString().slice(0, 300)}`);
  const decisionCount = async () => Number((await mustRun('sqlite3', ['-cmd', '.timeout 10000', db, 'SELECT count(*) FROM decision'])).trim());
  const before = await decisionCount();
  results.write = await measure('4 log a decision', '/api/v1/decisions', memberToken, join(here, 'post.lua'), { BENCH_BODY: DECISION });
  const made = (await decisionCount()) - before;
  if (made < results.write.requests) benchError(`4 log a decision: ${results.write.requests} responses but ${made} new decisions (some were not 201)`);

  const rssPeak = procMiB(srv.child.pid, 'VmHWM');
  const { code, signal } = await stop(srv.child, 'remit serve');
  if (code !== 0) benchError(`remit serve exited ${code ?? signal} after SIGTERM:\n${srv.child.log}`);

  // In-process "Can I?" verdicts per second, with the server stopped.
  let canInproc = null;
  const b = await run(bin, ['bench', 'can', '--db', db]);
  if (b.code === 0) {
    const m = b.stdout.match(/^can_inproc_per_s=(\d+(?:\.\d+)?)\s*$/m);
    if (m) canInproc = Number(m[1]);
    else benchError(`remit bench can printed no can_inproc_per_s line:\n${b.stdout}`);
  } else if (!/unknown command/.test(b.stderr)) {
    benchError(`remit bench can exited ${b.code}: ${b.stderr.trim()}`);
  }

  const logins = await loginBurst(bin, db);
  report({ results, rssIdle, rssPeak, canInproc, demoSeconds, logins });
}

// loginBurst: a fresh `remit serve --threads 4`, and 20 password logins sent
// at once (each its own connection); every answer must be 200, or 503 with
// Retry-After. {ok, busy, peak, start, seconds}, or null when the demo's
// password does not log in (a --db of another origin).
async function loginBurst(bin, db) {
  const s = await startRemit(bin, db);
  try {
    const start = procMiB(s.child.pid, 'VmHWM');
    const body = JSON.stringify({ email: OWNER, password: PASSWORD });
    const t0 = performance.now();
    const rs = await Promise.all(Array.from({ length: 20 }, () => request(`${s.base}/api/v1/session`, { method: 'POST', json: body })));
    const seconds = (performance.now() - t0) / 1000;
    const peak = procMiB(s.child.pid, 'VmHWM');
    if (rs.some((r) => r.status === 401)) {
      console.log('logins: the demo\'s password does not log in to this database; scenario skipped');
      return null;
    }
    for (const r of rs)
      if (r.status !== 200 && !(r.status === 503 && Number(r.headers['retry-after']) > 0))
        benchError(`20 logins at once: an answer ${r.status}${r.status === 503 ? ' without Retry-After' : ''}`);
    const ok = rs.filter((r) => r.status === 200).length;
    return { ok, busy: rs.length - ok, peak, start, seconds };
  } finally {
    const { code, signal } = await stop(s.child, 'remit serve (logins)');
    if (code !== 0) benchError(`remit serve (logins) exited ${code ?? signal} after SIGTERM`);
  }
}

function report({ results: R, rssIdle, rssPeak, canInproc, demoSeconds, logins }) {
  R.decisions.ratio = R.decisions.rps / R.nginxDecisions.rps;
  R.challenge.ratio = R.challenge.rps / R.nginxChallenge.rps;
  const reads = [R.decisions, R.challenge, R.can];
  const p99Max = Math.max(...reads.map((r) => r.p99));
  console.log('');
  table([R.decisions, R.challenge, R.can, R.write, R.nginxDecisions, R.nginxChallenge]);
  console.log(`\nmemory (remit serve): ${f1(rssIdle)} MiB resident when idle after warm-up, ${f1(rssPeak)} MiB peak (VmHWM)`);
  if (logins) console.log(`20 password logins at once (fresh server): ${logins.ok} logged in, ${logins.busy} told 503 + Retry-After, in ${f1(logins.seconds)} s; ` +
    `VmHWM ${f1(logins.start)} MiB before, ${f1(logins.peak)} MiB after (target < ${TARGET.loginsPeakMiB} MiB: ${logins.peak < TARGET.loginsPeakMiB ? 'met' : 'MISSED'})`);
  console.log(`in-process "Can I?": ${canInproc === null ? 'n/a (no remit bench can)' : `${int(canInproc)} verdicts/s`}`);

  const verdict = (ok) => (ok === null ? 'n/a' : ok ? 'met' : 'MISSED');
  const targets = [
    ['decisions page >= 0.5 x nginx', f2(R.decisions.ratio), R.decisions.ratio >= TARGET.pageVsNginx],
    ['challenge page >= 0.5 x nginx', f2(R.challenge.ratio), R.challenge.ratio >= TARGET.pageVsNginx],
    ['read p99 <= 10 ms (max of 1-3)', `${f2(p99Max)} ms`, p99Max <= TARGET.readP99Ms],
    ['writes >= 2000/s', int(R.write.rps), R.write.rps >= TARGET.writeRps],
    ['peak RSS <= 32 MiB', `${f1(rssPeak)} MiB`, rssPeak <= TARGET.rssPeakMiB],
    ['peak RSS, 20 logins at once < 160 MiB', logins ? `${f1(logins.peak)} MiB` : 'n/a', logins ? logins.peak < TARGET.loginsPeakMiB : null],
    ['in-process verdicts >= 1,000,000/s', canInproc === null ? 'n/a' : int(canInproc), canInproc === null ? null : canInproc >= TARGET.canInproc],
  ];
  console.log('\ntargets:');
  for (const [what, value, ok] of targets) console.log(`  ${what.padEnd(40)} ${value.padStart(10)}  ${verdict(ok)}`);

  console.log(`\nmachine: ${machine()}; ${new Date().toISOString()}`);
  if (errors.length) console.log(`\nBENCH FAILED: ${errors.length} error(s):\n${errors.map((e) => `  - ${e}`).join('\n')}`);

  console.log('');
  if (demoSeconds !== null) console.log(`demo_seconds=${f1(demoSeconds)}`);
  console.log(`page_decisions_rps=${int(R.decisions.rps)}`);
  console.log(`nginx_decisions_rps=${int(R.nginxDecisions.rps)}`);
  console.log(`page_challenge_rps=${int(R.challenge.rps)}`);
  console.log(`nginx_challenge_rps=${int(R.nginxChallenge.rps)}`);
  console.log(`rss_idle_mib=${f1(rssIdle)}`);
  console.log(`page_decisions_vs_nginx=${f2(R.decisions.ratio)}`);
  console.log(`page_challenge_vs_nginx=${f2(R.challenge.ratio)}`);
  console.log(`can_rps=${int(R.can.rps)}`);
  console.log(`write_rps=${int(R.write.rps)}`);
  console.log(`p99_ms_max=${f2(p99Max)}`);
  console.log(`rss_peak_mib=${f1(rssPeak)}`);
  console.log(`can_inproc_per_s=${canInproc === null ? 'n/a' : int(canInproc)}`);
  console.log(`logins_peak_mib=${logins ? f1(logins.peak) : 'n/a'}`);
}

main().then(
  () => { process.exitCode = errors.length ? 1 : 0; },
  (e) => {
    console.error(`BENCH ERROR: ${e.message}`);
    process.exitCode = 1;
  },
);
