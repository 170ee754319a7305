// vnu.test.mjs: every page is valid HTML. Fetches every GET page route of
// src/routes.c (not /api/, not assets) on the demo organisation, with the
// demo's ids filled in, as the owner, a manager and a member (the public
// ones anonymously too), and runs the Nu HTML Checker (vnu-jar from npm, on
// Debian's Java) over all of them in ONE java invocation, because it is
// slow to start. Fails on any error vnu reports, naming the page and role.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, remit } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const VNU = require('vnu-jar'); // the path of vnu.jar
const ROLES = { owner: 'owner@example.com', manager: 'manager@example.com', member: 'member@example.com' };
const RANK = { PUBLIC: 0, MEMBER: 1, MANAGER: 2, ADMIN: 3, OWNER: 4 };
const LEVEL = { anon: 0, member: 1, manager: 2, owner: 4 };

// pageRoutes(): the GET routes that answer HTML, as {path, needs}.
function pageRoutes() {
  const src = readFileSync(join(root, 'src', 'routes.c'), 'utf8');
  const re = /\{\s*"GET"\s*,\s*"(\/[^"]*)"\s*,\s*(\w+)\s*,\s*(\w+)\s*,/g;
  return [...src.matchAll(re)].map((m) => ({ path: m[1], needs: m[3] }))
    .filter((r) => !r.path.startsWith('/api/') && !r.path.startsWith('/assets/') && r.path !== '/healthz');
}

let srv, dir;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'remit-vnu-'));
  const db = join(dir, 'demo.db');
  const r = remit(['demo', '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  srv = await startServer({ db });
});
after(async () => { await srv.stop(); rmSync(dir, { recursive: true, force: true }); });

// ids(c): the demo instances this caller can see, for each {id} a route has;
// the richest ones where it matters (a decision waiting for this caller's
// answer or outcome, so its forms are on the page).
async function ids(c, me) {
  const first = async (p) => (await c.get(p)).json?.items?.[0]?.id;
  const inbox = (await c.get('/api/v1/inbox')).json;
  const decision = inbox.approvals[0]?.id || inbox.reviews_due[0]?.id || inbox.advice[0]?.id || await first('/api/v1/decisions?limit=1');
  const challenges = (await c.get('/api/v1/challenges?limit=50')).json.items;
  const open = challenges.find((x) => x.phase === 'open') || challenges[0];
  const ideas = open ? (await c.get(`/api/v1/challenges/${open.id}/ideas?limit=5`)).json.items : [];
  // a survey with a closed round (its results) and an open one (its answer page): the demo's pulse
  let survey = null;
  for (const sv of (await c.get('/api/v1/surveys')).json?.items || []) {
    const rounds = (await c.get(`/api/v1/surveys/${sv.id}/rounds`)).json?.items || [];
    const closed = rounds.find((x) => x.status === 'closed'), openRound = rounds.find((x) => x.status === 'open');
    if (closed) { survey = { id: sv.id, round: closed.id, open: openRound?.id }; break; }
  }
  // just culture: a report this caller reviews when there is one (its forms are on the page), a protocol
  const reps = (await c.get('/api/v1/reports?limit=500')).json?.items || [];
  const report = (reps.find((x) => x.you_review && x.review_needed && x.identity !== 'anonymous') || reps.find((x) => x.identity !== 'anonymous'))?.id;
  return {
    reports: report, protocols: await first('/api/v1/protocols'),
    goals: await first('/api/v1/goals?limit=1'), teams: await first('/api/v1/teams?limit=1'), people: me,
    roles: await first('/api/v1/roles?limit=1'), rights: await first('/api/v1/rights?limit=1'), decisions: decision,
    autonomy: await first('/api/v1/autonomy/suggestions?limit=1'), challenges: open?.id, ideas: ideas[0]?.id,
    surveys: survey?.id, round: survey?.round, kpis: await first('/api/v1/kpis'),
    skills: me, training: await first('/api/v1/trainings'),
    recognitions: await first('/api/v1/recognitions?limit=1'), 'one-to-ones': await first('/api/v1/one-to-ones'),
    reviews360: await first('/api/v1/reviews360'),
  };
}

test('vnu: every GET page as owner, manager, member and anonymous is valid HTML (0 errors)', { timeout: 120000 }, async () => {
  const routes = pageRoutes();
  assert.ok(routes.length > 40, `found ${routes.length} page routes`);
  const files = [], names = new Map();
  for (const role of ['anon', ...Object.keys(ROLES)]) {
    const c = role === 'anon' ? srv.anon() : await srv.login(ROLES[role]);
    const me = role === 'anon' ? 0 : (await c.get('/api/v1/session')).json.person.id;
    const id = role === 'anon' ? {} : await ids(c, me);
    for (const r of routes) {
      if (LEVEL[role] < RANK[r.needs] || (role === 'anon' && r.needs !== 'PUBLIC')) continue;
      const kind = r.path.split('/')[1];
      if (r.path.includes('{') && !id[kind]) continue; // nothing of that kind to show this caller
      if (r.path.includes('{round}') && !id.round) continue;
      const path = r.path.replace('{id}', String(id[kind])).replace('{round}', String(id.round));
      const res = await c.get(path);
      assert.ok(res.status < 500, `${role} GET ${path}: ${res.status}`);
      if (!(res.headers.get('content-type') || '').startsWith('text/html')) continue;
      const file = join(dir, `${files.length}.html`);
      writeFileSync(file, res.text);
      files.push(file);
      names.set(file, `${role} GET ${path} (${res.status})`);
    }
  }
  // the pages only some instances show: an open round's answer page with "You said ...,
  // we did ...", the survey page's action plan, a suggestion's private follow page
  {
    const c = await srv.login(ROLES.member);
    const add = async (c2, path, role) => {
      const res = await c2.get(path);
      assert.equal(res.status, 200, `${role} GET ${path}: ${res.status}`);
      const file = join(dir, `${files.length}.html`);
      writeFileSync(file, res.text);
      files.push(file);
      names.set(file, `${role} GET ${path} (${res.status})`);
    };
    for (const sv of (await c.get('/api/v1/surveys')).json?.items || []) {
      const open = ((await c.get(`/api/v1/surveys/${sv.id}/rounds`)).json?.items || []).find((x) => x.status === 'open');
      if (open) await add(await srv.login(ROLES.owner), `/surveys/${sv.id}/rounds/${open.id}`, 'owner'); // the owner sees every team's plan
    }
    const box = (await c.get('/api/v1/suggestion-boxes')).json.items[0];
    const sent = await c.post('/api/v1/suggestions', { box_id: box.id, text: 'vnu: a suggestion to follow.' });
    assert.equal(sent.status, 201, sent.text);
    await add(srv.anon(), sent.json.follow_url, 'anon');
  }
  assert.ok(files.length > 100, `validated ${files.length} pages`);
  const out = spawnSync('java', ['-Xss4m', '-jar', VNU, '--errors-only', '--format', 'json', ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.ok(out.status !== null, `vnu did not run: ${out.error}`);
  const report = JSON.parse(out.stderr || '{"messages":[]}');
  const errors = report.messages.filter((m) => m.type === 'error' || m.subType === 'fatal');
  const lines = errors.slice(0, 40).map((m) => `${names.get(fileURLToPath(m.url)) || m.url}:${m.lastLine}: ${m.message} [${(m.extract || '').slice(0, 120)}]`);
  assert.equal(errors.length, 0, `vnu found ${errors.length} errors in ${files.length} pages:\n${lines.join('\n')}`);
});
