// lib.mjs: the HTTP test harness. Starts the real remit binary on a free
// loopback port (127.0.0.1, port 0, read back from its log) over a fresh
// database, and gives clients that log in with a cookie + CSRF token or use
// an API token. Every server is stopped by the test that started it.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.REMIT_BIN || join(root, 'build', 'san', 'remit');
export const PASSWORD = 'correct horse battery';

// remit(args, {env, input}) runs the CLI; returns {code, stdout, stderr}.
export function remit(args, opts = {}) {
  try {
    const stdout = execFileSync(BIN, args, {
      env: { ...process.env, REMIT_PASSWORD: PASSWORD, ...(opts.env || {}) },
      input: opts.input ?? '', stdio: ['pipe', 'pipe', 'pipe'], encoding: 'utf8',
    });
    return { code: 0, stdout, stderr: '' };
  } catch (e) {
    return { code: e.status, stdout: e.stdout?.toString() ?? '', stderr: e.stderr?.toString() ?? '' };
  }
}

// The standard fixture: organisation "Org A" with an owner, an admin, a
// manager and a member reporting to the manager; and a second
// organisation "Org B" with its own owner, to check isolation.
export const USERS = {
  owner: 'owner@a.test', admin: 'admin@a.test', manager: 'manager@a.test', member: 'member@a.test', other: 'owner@b.test',
};

export function makeDb(dir) {
  const db = join(dir, 'test.db');
  const must = (args) => { const r = remit(args); if (r.code !== 0) throw new Error(`remit ${args.join(' ')}: ${r.stderr}`); return r; };
  must(['init', '--db', db, '--org', 'Org A', '--owner-email', USERS.owner, '--owner-name', 'Olive Owner']);
  must(['org', 'add', '--db', db, '--org', 'Org B', '--owner-email', USERS.other, '--owner-name', 'Bob Other']);
  must(['user', 'add', '--db', db, '--org', 'Org A', '--email', USERS.admin, '--name', 'Ada Admin', '--access', 'admin']);
  must(['user', 'add', '--db', db, '--org', 'Org A', '--email', USERS.manager, '--name', 'Max Manager', '--access', 'manager']);
  must(['user', 'add', '--db', db, '--org', 'Org A', '--email', USERS.member, '--name', 'Mia Member', '--access', 'member', '--manager', USERS.manager]);
  return db;
}

// startServer({db}) -> {base, db, dir, stop(), login(email), bearer(email), anon()}
export async function startServer(opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'remit-test-'));
  const db = opts.db || makeDb(dir);
  const child = spawn(opts.bin || BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--threads', String(opts.threads || 4), ...(opts.args || [])], {
    stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1' },
  });
  let log = '';
  const base = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('server did not start: ' + log)), 15000);
    child.stderr.on('data', (d) => {
      log += d.toString();
      const m = log.match(/on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) { clearTimeout(t); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(t); reject(new Error(`server exited ${code}: ${log}`)); });
  });
  child.removeAllListeners('exit');
  const exited = new Promise((res) => child.on('exit', (code, sig) => res({ code, sig })));
  const srv = {
    base, db, dir, pid: child.pid,
    get log() { return log; },
    // stop: SIGTERM, wait, and fail loudly if the sanitizers complained.
    async stop() {
      child.kill('SIGTERM');
      const { code } = await exited;
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0 || /ERROR: (Address|Leak)Sanitizer|runtime error:/.test(log)) throw new Error(`server exited ${code}:\n${log}`);
    },
    anon() { return new Client(base); },
    // releaseAnonymous: what a day's end does to held-back anonymous items
    // (src/anon.c): dates them a day earlier and waits until the server's
    // half-second upkeep has moved them into view.
    async releaseAnonymous() {
      const q = (sql) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', db, sql], { encoding: 'utf8' }).trim();
      q('UPDATE idea_pending SET day = day - 86400');
      for (let i = 0; i < 100 && Number(q('SELECT count(*) FROM idea_pending')) > 0; i++) await new Promise((res) => setTimeout(res, 100));
      if (Number(q('SELECT count(*) FROM idea_pending')) > 0) throw new Error('anonymous items were not released');
    },
    async login(email, password = PASSWORD) {
      const c = new Client(base);
      const r = await c.post('/api/v1/session', { email, password });
      if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${r.text}`);
      c.csrf = r.json.csrf_token;
      return c;
    },
    bearer(email, org) {
      const args = ['token', 'create', '--db', db, '--email', email];
      if (org) args.push('--org', org);
      const r = remit(args);
      if (r.code !== 0) throw new Error(r.stderr);
      const c = new Client(base);
      c.token = r.stdout.trim();
      return c;
    },
  };
  return srv;
}

// Client: a cookie jar of one cookie, an optional CSRF token, an optional
// bearer token. Every call resolves to {status, headers, text, json}.
export class Client {
  constructor(base) { this.base = base; this.cookie = null; this.prelogin = null; this.csrf = null; this.token = null; }
  async req(method, path, { json, body, headers = {}, csrf = true, redirect = 'manual' } = {}) {
    const h = { ...headers };
    const jar = [this.cookie, this.prelogin].filter(Boolean).join('; ');
    if (jar) h.cookie = jar;
    if (this.token) h.authorization = `Bearer ${this.token}`;
    if (csrf && this.csrf && !['GET', 'HEAD'].includes(method)) h['x-csrf-token'] = this.csrf;
    if (json !== undefined) { h['content-type'] = 'application/json'; body = typeof json === 'string' ? json : JSON.stringify(json); }
    const res = await fetch(this.base + path, { method, headers: h, body, redirect });
    for (const sc of res.headers.getSetCookie()) {
      const m = sc.match(/^remit_session=([^;]*)/);
      if (m) this.cookie = m[1] ? `remit_session=${m[1]}` : null;
      const p = sc.match(/^remit_prelogin=([^;]*)/);
      if (p) this.prelogin = p[1] ? `remit_prelogin=${p[1]}` : null;
    }
    const text = await res.text();
    let parsed = null;
    if ((res.headers.get('content-type') || '').startsWith('application/json') && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, text, json: parsed };
  }
  get(p, o) { return this.req('GET', p, o); }
  post(p, json, o = {}) { return this.req('POST', p, { ...o, json }); }
  patch(p, json, o = {}) { return this.req('PATCH', p, { ...o, json }); }
  put(p, json, o = {}) { return this.req('PUT', p, { ...o, json }); }
  del(p, o) { return this.req('DELETE', p, o); }
  // formLogin(fields): the HTML login as a browser does it: GET /login (the
  // pre-login cookie and the form's login_token), then POST /login.
  async formLogin(fields, o = {}) {
    const page = await this.get('/login');
    const m = page.text.match(/name="login_token" value="([^"]+)"/);
    if (!m) throw new Error('no login_token in the login form');
    return this.form('/login', { login_token: m[1], ...fields }, o);
  }
  // form(path, fields): an HTML form post, with the session's csrf_token field.
  form(p, fields, o = {}) {
    const f = new URLSearchParams(fields);
    if (this.csrf && !('csrf_token' in fields) && o.csrf !== false) f.set('csrf_token', this.csrf);
    return this.req('POST', p, { ...o, csrf: false, body: f.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...(o.headers || {}) } });
  }
}

// rawGet(base, path, headers): one request with node:http, which (unlike
// fetch) leaves the body as sent: {status, headers, body: Buffer}. For
// checking Content-Encoding and the compressed bytes themselves.
export async function rawGet(base, path, headers = {}, method = 'GET') {
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = http.request(base + path, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
