#!/usr/bin/env node
// walk.mjs: "the large demo stays fast everywhere". Creates the large demo
// organisation (or uses --db FILE), serves it on a free loopback port and
// walks every GET route of src/routes.c as the owner, a manager and a member
// (public routes anonymously), with path parameters filled by the heaviest
// realistic instances found through the API and the query variants the UI
// offers. Each URL is asked 3 times; the minimum of remit's own
// `Server-Timing: app;dur=MS` must stay within --limit-ms (default 50).
//
//   REMIT_BIN=/work/main/remit node tests/perf/walk.mjs [--db FILE] [--limit-ms 50] [--keep]
//
// A check is one URL for one role: ok when it answers 200 within the limit;
// a 403/404 that the role's access or the visibility rules call for is
// counted apart ("denied"), never as slow. Anything else fails: over the
// limit, 5xx, an unexpected status, or a route whose parameters cannot be
// filled. The last line is `walk: N passed, M failed`; the exit code is 1
// on any failure. Node 20 built-ins only.
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PASSWORD = 'walk-the-large-demo';
const REPEATS = 3;
const MAX_LIMIT = 500; // the API lists' largest ?limit=
const ROLES = { owner: 'owner@example.com', manager: 'manager@example.com', member: 'member@example.com' };
const RANK = { anon: 0, PUBLIC: 0, member: 1, MEMBER: 1, manager: 2, MANAGER: 2, ADMIN: 3, owner: 4, OWNER: 4 };

// the instances whose visibility depends on the role (see discoverRole)
const SCOPED = ['decision', 'challenge', 'openChallenge', 'idea', 'commentedIdea', 'suggestion', 'report', 'reviewed', 'recognition', 'feedback', 'oneToOne', 'review', 'closedReview'];

const log = (...a) => console.log('walk:', ...a);
const ms = (x) => x.toFixed(2);

// ---------- the binary, the demo and the server ----------

function remit(bin, args) {
  return execFileSync(bin, args, { env: { ...process.env, REMIT_PASSWORD: PASSWORD }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function demoSupportsSize(bin) {
  try {
    return /--size/.test(remit(bin, ['demo', '--help']));
  } catch (e) {
    return /--size/.test(`${e.stdout}${e.stderr}`); // --help may exit 2 with the usage on stderr
  }
}

// startServer(bin, db) -> {base, child, exited}: `remit serve` on 127.0.0.1:0.
async function startServer(bin, db) {
  const child = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let text = '';
  const base = await new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error(`server did not start: ${text}`)), 30000);
    child.stderr.on('data', (d) => {
      text += d;
      const m = text.match(/on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) { clearTimeout(t); res(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(t); rej(new Error(`server exited ${code}: ${text}`)); });
  });
  child.removeAllListeners('exit');
  const exited = new Promise((res) => child.on('exit', (code, sig) => res({ code, sig })));
  return { base, child, exited, log: () => text };
}

// ---------- HTTP ----------

// get(base, token, url) -> {status, server, client, json}: one request;
// server is remit's Server-Timing app;dur, client the round trip, both ms.
async function get(base, token, url) {
  const t0 = performance.now();
  const res = await fetch(base + url, { headers: token ? { authorization: `Bearer ${token}` } : {}, redirect: 'manual' });
  const body = await res.text();
  const client = performance.now() - t0;
  const m = (res.headers.get('server-timing') || '').match(/app;dur=([\d.]+)/);
  let json = null;
  if ((res.headers.get('content-type') || '').startsWith('application/json') && body) json = JSON.parse(body);
  return { status: res.status, server: m ? Number(m[1]) : NaN, client, json };
}

async function getJson(base, token, url) {
  const r = await get(base, token, url);
  if (r.status !== 200 || !r.json) throw new Error(`GET ${url}: ${r.status}`);
  return r.json;
}

// listAll: every item of an API list, following next_after.
async function listAll(base, token, path) {
  const sep = path.includes('?') ? '&' : '?';
  const items = [];
  for (let after = 0; ;) {
    const page = await getJson(base, token, `${path}${sep}limit=${MAX_LIMIT}${after ? `&after=${after}` : ''}`);
    items.push(...page.items);
    if (page.next_after == null) return items;
    after = page.next_after;
  }
}

// ---------- the routes ----------

// routes(): every line of the route table as {method, path, needs}.
function routes() {
  const src = readFileSync(join(ROOT, 'src', 'routes.c'), 'utf8');
  const re = /\{\s*"([A-Z]+)"\s*,\s*"(\/[^"]*)"\s*,\s*(\w+)\s*,\s*(\w+)\s*,\s*"((?:[^"\\]|\\.)*)"\s*\}/g;
  return [...src.matchAll(re)].map((m) => ({ method: m[1], path: m[2], needs: m[4] }));
}

const maxBy = (xs, f) => xs.reduce((best, x) => (best === undefined || f(x) > f(best) ? x : best), undefined);
const countBy = (xs, f) => xs.reduce((m, x) => m.set(f(x), (m.get(f(x)) || 0) + 1), new Map());
const topKey = (m) => [...m.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
const isoDay = (d) => d.toISOString().slice(0, 10);
const daysAgo = (n) => isoDay(new Date(Date.now() - n * 86400e3));

// discoverShared: the instances every role reads alike, found as the owner.
async function discoverShared(base, token) {
  const teams = await listAll(base, token, '/api/v1/teams');
  const people = await listAll(base, token, '/api/v1/people');
  const goals = await listAll(base, token, '/api/v1/goals');
  const roles = await listAll(base, token, '/api/v1/roles');
  const rights = await listAll(base, token, '/api/v1/rights');
  const decisions = await listAll(base, token, '/api/v1/decisions');
  const audit = await getJson(base, token, '/api/v1/audit?limit=1');

  // the team whose subtree holds the most people, and the biggest leaf-ward child
  const subtree = (id) => (teams.find((t) => t.id === id)?.member_count || 0) + teams.filter((t) => t.parent_id === id).reduce((s, t) => s + subtree(t.id), 0);
  const team = maxBy(teams, (t) => subtree(t.id));
  const subTeam = maxBy(teams.filter((t) => t.parent_id === team.id), (t) => subtree(t.id)) || team;
  const byAuthor = countBy(decisions, (d) => d.author.id);
  const person = people.find((p) => p.id === topKey(byAuthor)) || people[0];
  const goalKids = countBy(goals, (g) => g.parent_id);
  const words = countBy(decisions.flatMap((d) => (d.learning || '').toLowerCase().match(/[a-z]{6,}/g) || []), (w) => w);
  const surveys = await listAll(base, token, '/api/v1/surveys');
  const rounds = {};
  for (const sv of surveys) rounds[sv.id] = (await getJson(base, token, `/api/v1/surveys/${sv.id}/rounds`)).items;
  const survey = maxBy(surveys, (sv) => rounds[sv.id].length);
  const trainings = (await getJson(base, token, '/api/v1/trainings')).items;
  // the team with the most direct members: the skills matrix's heaviest
  const bigTeam = maxBy(teams, (t) => t.member_count || 0);
  const closed = survey && rounds[survey.id].find((x) => x.status === 'closed');
  const openRound = survey && rounds[survey.id].find((x) => x.status === 'open');
  const kpis = (await getJson(base, token, '/api/v1/kpis')).items || [];
  const box = (await getJson(base, token, '/api/v1/suggestion-boxes')).items?.[0]?.id;
  return {
    kpi: kpis.find((k) => k.slug === 'turnover_12m')?.id, kpiEntered: kpis.find((k) => k.slug === 'csat')?.id,
    survey: survey?.id, closedRound: closed?.id, openRound: openRound?.id, box,
    team: team.id, subTeam: subTeam.id, bigTeam: bigTeam.id, training: trainings[0]?.id,
    person: person.id, personQ: person.name.split(' ').pop().slice(0, 4),
    goal: maxBy(goals, (g) => goalKids.get(g.id) || 0).id,
    role: maxBy(roles, (r) => r.holders.length).id,
    right: maxBy(rights, (r) => r.updated_at).id,
    domain: topKey(countBy(decisions, (d) => d.domain)),
    deepDecision: decisions[Math.floor(decisions.length * 0.9)]?.id || 1,
    deepAudit: Math.max(1, Math.floor((audit.items[0]?.id || 1) / 10)),
    lesson: topKey(words) || 'customer',
    byAuthor, people, decisionCount: decisions.length, peopleCount: people.length, teamCount: teams.length,
  };
}

// discoverRole: what this role can see, the heaviest of each kind.
async function discoverRole(base, token, shared) {
  const me = (await getJson(base, token, '/api/v1/session')).person;
  const decisions = (await getJson(base, token, `/api/v1/decisions?limit=${MAX_LIMIT}`)).items;
  const challenges = await listAll(base, token, '/api/v1/challenges');
  const suggestions = await listAll(base, token, '/api/v1/autonomy/suggestions');
  const challenge = maxBy(challenges, (c) => c.idea_count);
  const open = maxBy(challenges.filter((c) => c.phase === 'open'), (c) => c.idea_count);
  const ideas = challenge ? (await getJson(base, token, `/api/v1/challenges/${challenge.id}/ideas?sort=top&limit=${MAX_LIMIT}`)).items : [];
  const reports = shared.people.filter((p) => p.manager_id === me.id);
  const weight = (d) => (d.outcome ? 2 : 0) + (d.advice ? 1 : 0) + (d.learning ? 1 : 0);
  // just culture: a report this role reviews, the richest first (reviewed, named); a protocol with versions
  const myReports = (await getJson(base, token, `/api/v1/reports?limit=${MAX_LIMIT}`)).items.filter((x) => x.identity !== 'anonymous');
  const report = maxBy(myReports, (x) => (x.you_review ? 4 : 0) + (x.review_needed ? 2 : 0) + (x.status === 'closed' ? 1 : 0));
  const reviewed = myReports.find((x) => x.review_needed && ['reviewing', 'closed'].includes(x.status));
  const protocol = maxBy((await getJson(base, token, '/api/v1/protocols')).items, (p) => p.version);
  return {
    report: report?.id, reviewed: reviewed?.id, protocol: protocol?.id,
    me, self: me.id,
    decision: maxBy(decisions, weight)?.id,
    challenge: challenge?.id, openChallenge: open?.id,
    idea: ideas[0]?.id, ideaTitle: ideas[0]?.title || 'waste',
    commentedIdea: maxBy(ideas, (i) => i.comment_count)?.id,
    suggestion: maxBy(suggestions, (s) => s.n)?.id,
    // Grow (recognition.c, feedback.c, oneonone.c): the newest recognition, feedback received, the first one-to-one
    recognition: (await getJson(base, token, '/api/v1/recognitions?limit=1')).items[0]?.id,
    feedback: (await getJson(base, token, '/api/v1/feedback?limit=1')).items[0]?.id,
    oneToOne: (await getJson(base, token, '/api/v1/one-to-ones')).items[0]?.id,
    ...(await (async () => {
      const rounds = (await getJson(base, token, '/api/v1/reviews360')).items;
      return { review: rounds[0]?.id, closedReview: rounds.find((x) => x.status === 'closed')?.id };
    })()),
    canPerson: me.access === 'owner' || me.access === 'admin' ? shared.person : maxBy(reports, (p) => shared.byAuthor.get(p.id) || 0)?.id || me.id,
  };
}

// urlsFor(path, shared, role context, follow token): the URLs that walk one
// route for one role, null when a parameter has no instance. A route with
// path parameters and no entry here is reported, not guessed; one without
// is walked as it is.
function urlsFor(path, s, r, follow) {
  const L = `limit=${MAX_LIMIT}`;
  const q = encodeURIComponent;
  const dec = (base, api) => [
    '', `status=pending`, `domain=${q(s.domain)}`, `person_id=${s.person}`, `team_id=${s.team}`, `from=${daysAgo(30)}&to=${daysAgo(0)}`,
    `after=${s.deepDecision}`, `status=decided&team_id=${s.subTeam}&from=${daysAgo(365)}`,
  ].map((v) => base + (api ? `?${L}${v ? `&${v}` : ''}` : v ? `?${v}` : ''));
  const sorts = ['top', 'trending', 'new', 'pairwise'];
  const insightPeriods = (p) => [p, `${p}?from=${daysAgo(364)}`, `${p}?from=${daysAgo(729)}&to=${daysAgo(0)}`];
  const table = {
    '/api/v1/people': [`/api/v1/people?${L}`, `/api/v1/people?${L}&team_id=${s.team}`, `/api/v1/people?${L}&q=${q(s.personQ)}`, `/api/v1/people?${L}&status=active`],
    '/people': ['/people', `/people?q=${q(s.personQ)}`, `/people?team_id=${s.team}`, '/people?status=active'],
    '/api/v1/teams': [`/api/v1/teams?${L}`],
    '/api/v1/goals': [`/api/v1/goals?${L}`, `/api/v1/goals?${L}&parent_id=${s.goal}`],
    '/api/v1/roles': [`/api/v1/roles?${L}`, `/api/v1/roles?${L}&team_id=${s.team}`, `/api/v1/roles?${L}&person_id=${s.person}`],
    '/roles': ['/roles', `/roles?team_id=${s.team}`],
    '/api/v1/domains': [`/api/v1/domains?${L}`],
    '/api/v1/rights': [`/api/v1/rights?${L}`, `/api/v1/rights?${L}&domain=${q(s.domain)}`, `/api/v1/rights?${L}&person_id=${s.person}`, `/api/v1/rights?${L}&role_id=${s.role}`],
    '/rights': ['/rights', `/rights?domain=${q(s.domain)}`, `/rights?person_id=${s.person}`, `/rights?role_id=${s.role}`],
    '/api/v1/can': [`/api/v1/can?domain=${q(s.domain)}&amount=250`, `/api/v1/can?person_id=${r.canPerson}&domain=${q(s.domain)}&amount=1500.50`],
    '/can': ['/can', `/can?domain=${q(s.domain)}&amount=250`],
    '/decisions/new': ['/decisions/new', `/decisions/new?domain=${q(s.domain)}&amount=250`],
    '/api/v1/decisions': dec('/api/v1/decisions', true),
    '/decisions': dec('/decisions', false),
    '/learning': ['/learning', `/learning?q=${q(s.lesson)}`],
    '/api/v1/autonomy/suggestions': [`/api/v1/autonomy/suggestions?${L}`, `/api/v1/autonomy/suggestions?${L}&status=open`],
    '/api/v1/insights/decisions': [...insightPeriods('/api/v1/insights/decisions'), `/api/v1/insights/decisions?team_id=${s.team}`, `/api/v1/insights/decisions?team_id=${s.subTeam}&from=${daysAgo(729)}`],
    '/insights': [...insightPeriods('/insights'), `/insights?team_id=${s.subTeam}&from=${daysAgo(729)}`],
    '/api/v1/insights/ideas': insightPeriods('/api/v1/insights/ideas'),
    '/insights/ideas': insightPeriods('/insights/ideas'),
    '/api/v1/challenges': [`/api/v1/challenges?${L}`],
    '/challenges': ['/challenges', '/challenges?phase=open', '/challenges?phase=review', '/challenges?phase=closed'],
    '/api/v1/ideas/mine': [`/api/v1/ideas/mine?${L}`],
    '/api/v1/audit': [`/api/v1/audit?${L}`, `/api/v1/audit?${L}&after=${s.deepAudit}`, `/api/v1/audit?${L}&action=decision.create`],
    '/audit': ['/audit', `/audit?after=${s.deepAudit}`, '/audit?action=decision.create'],
    '/api/v1/follow': [`/api/v1/follow?token=${follow}`],
    '/follow': [`/follow?token=${follow}`],
    // the links of invitation, reset and unsubscribe e-mails are secrets the walk
    // cannot read: it walks unknown ones (expect 404); tests/http/notify.test.mjs
    // opens real ones
    '/password/set': [`/password/set?token=${'x'.repeat(43)}`],
    '/unsubscribe': [`/unsubscribe?p=1&k=idea&s=${'0'.repeat(64)}`],
    '/assets/{file}': readdirSync(join(ROOT, 'assets')).filter((f) => statSync(join(ROOT, 'assets', f)).isFile()).map((f) => `/assets/${f}`),
    '/api/v1/goals/{id}': [`/api/v1/goals/${s.goal}`],
    '/goals/{id}': [`/goals/${s.goal}`],
    '/goals/{id}/edit': [`/goals/${s.goal}/edit`],
    '/api/v1/teams/{id}': [`/api/v1/teams/${s.team}`],
    '/teams/{id}': [`/teams/${s.team}`, `/teams/${s.subTeam}`],
    '/teams/{id}/edit': [`/teams/${s.team}/edit`],
    '/api/v1/people/{id}': [`/api/v1/people/${s.person}`],
    '/people/{id}': [`/people/${s.person}`, `/people/${r.self}`],
    '/people/{id}/edit': [`/people/${r.self}/edit`],
    '/api/v1/roles/{id}': [`/api/v1/roles/${s.role}`],
    '/roles/{id}': [`/roles/${s.role}`],
    '/roles/{id}/edit': [`/roles/${s.role}/edit`],
    '/api/v1/rights/{id}': [`/api/v1/rights/${s.right}`],
    '/api/v1/rights/{id}/history': [`/api/v1/rights/${s.right}/history`],
    '/rights/{id}': [`/rights/${s.right}`],
    '/rights/{id}/edit': [`/rights/${s.right}/edit`],
    '/api/v1/decisions/{id}': r.decision && [`/api/v1/decisions/${r.decision}`],
    '/decisions/{id}': r.decision && [`/decisions/${r.decision}`],
    '/api/v1/autonomy/suggestions/{id}': r.suggestion && [`/api/v1/autonomy/suggestions/${r.suggestion}`],
    '/autonomy/{id}': r.suggestion && [`/autonomy/${r.suggestion}`],
    '/api/v1/challenges/{id}': r.challenge && [`/api/v1/challenges/${r.challenge}`],
    '/challenges/{id}': r.challenge && ['', ...sorts.map((x) => `?sort=${x}`)].map((v) => `/challenges/${r.challenge}${v}`),
    '/challenges/{id}/edit': r.challenge && [`/challenges/${r.challenge}/edit`],
    '/api/v1/challenges/{id}/ideas': r.challenge && sorts.map((x) => `/api/v1/challenges/${r.challenge}/ideas?sort=${x}&${L}`),
    '/api/v1/challenges/{id}/similar': r.challenge && [`/api/v1/challenges/${r.challenge}/similar?q=${q(r.ideaTitle)}`],
    '/api/v1/challenges/{id}/pair': r.openChallenge && [`/api/v1/challenges/${r.openChallenge}/pair`],
    '/challenges/{id}/pair': r.openChallenge && [`/challenges/${r.openChallenge}/pair`],
    '/api/v1/ideas/{id}': r.idea && [`/api/v1/ideas/${r.idea}`],
    '/ideas/{id}': r.idea && [`/ideas/${r.idea}`],
    '/api/v1/ideas/{id}/comments': r.commentedIdea && [`/api/v1/ideas/${r.commentedIdea}/comments?${L}`],
    '/api/v1/ideas/{id}/reviews': r.idea && [`/api/v1/ideas/${r.idea}/reviews`],
    '/api/v1/surveys': [`/api/v1/surveys?${L}`],
    '/api/v1/surveys/{id}': s.survey && [`/api/v1/surveys/${s.survey}`],
    '/api/v1/surveys/{id}/rounds': s.survey && [`/api/v1/surveys/${s.survey}/rounds`],
    '/api/v1/surveys/{id}/rounds/{round}/response': s.openRound && [`/api/v1/surveys/${s.survey}/rounds/${s.openRound}/response`],
    '/api/v1/surveys/{id}/rounds/{round}/results': s.closedRound && ['', `?team_id=${s.team}`, `?team_id=${s.subTeam}`, '?breakdown=team'].map((v) => `/api/v1/surveys/${s.survey}/rounds/${s.closedRound}/results${v}`),
    '/api/v1/surveys/{id}/rounds/{round}/comments': s.closedRound && ['', `?team_id=${s.team}`].map((v) => `/api/v1/surveys/${s.survey}/rounds/${s.closedRound}/comments${v}`),
    '/surveys/{id}': s.survey && [`/surveys/${s.survey}`],
    '/surveys/{id}/rounds/{round}': s.openRound && [`/surveys/${s.survey}/rounds/${s.openRound}`],
    '/surveys/{id}/rounds/{round}/results': s.closedRound && ['', `?team_id=${s.team}`, `?team_id=${s.subTeam}`].map((v) => `/surveys/${s.survey}/rounds/${s.closedRound}/results${v}`),
    '/api/v1/survey-replies': [`/api/v1/survey-replies?token=${'x'.repeat(43)}`],
    '/api/v1/reports': [`/api/v1/reports?${L}`, `/api/v1/reports?${L}&kind=near_miss`, `/api/v1/reports?${L}&mine=1`],
    '/api/v1/reports/{id}': r.report && [`/api/v1/reports/${r.report}`],
    '/api/v1/reports/{id}/review': r.reviewed && [`/api/v1/reports/${r.reviewed}/review`],
    '/reports/{id}': r.report && [`/reports/${r.report}`],
    '/reports/{id}/assess': r.report && [`/reports/${r.report}/assess`, `/reports/${r.report}/assess?act=walk&person_id=${r.self}&second_id=${s.person}&a=n-n-n`],
    '/reports/{id}/review': r.report && [`/reports/${r.report}/review`],
    '/api/v1/report-follow': [`/api/v1/report-follow?token=${'x'.repeat(43)}`],
    '/report-follow': [`/report-follow?token=${'x'.repeat(43)}`],
    '/api/v1/protocols/{id}': r.protocol && [`/api/v1/protocols/${r.protocol}`, `/api/v1/protocols/${r.protocol}?version=1`],
    '/protocols/{id}': r.protocol && [`/protocols/${r.protocol}`, `/protocols/${r.protocol}?version=1`],
    '/api/v1/roles/{id}/skills': [`/api/v1/roles/${s.role}/skills`],
    '/api/v1/people/{id}/skills': [`/api/v1/people/${r.self}/skills`, `/api/v1/people/${r.canPerson}/skills`],
    '/api/v1/teams/{id}/skills': [`/api/v1/teams/${s.bigTeam}/skills`, `/api/v1/teams/${s.team}/skills`],
    '/teams/{id}/skills': [`/teams/${s.bigTeam}/skills`, `/teams/${s.team}/skills`],
    '/skills/people/{id}': [`/skills/people/${r.self}`, `/skills/people/${r.canPerson}`],
    '/api/v1/trainings/{id}': s.training && [`/api/v1/trainings/${s.training}`],
    '/training/{id}': s.training && [`/training/${s.training}`],
    '/training': ['/training', `/training?person_id=${r.canPerson}`],
    '/api/v1/training-suggestions': ['/api/v1/training-suggestions', `/api/v1/training-suggestions?person_id=${r.canPerson}`],
    '/api/v1/training-plans': ['/api/v1/training-plans', `/api/v1/training-plans?person_id=${r.canPerson}`, '/api/v1/training-plans?all=1'],
    '/survey-reply': [`/survey-reply?token=${'x'.repeat(43)}`],
    '/api/v1/surveys/{id}/rounds/{round}/actions': s.closedRound && [`/api/v1/surveys/${s.survey}/rounds/${s.closedRound}/actions`],
    '/api/v1/suggestions': s.box && [`/api/v1/suggestions?box_id=${s.box}`],
    '/api/v1/suggestion-follow': [`/api/v1/suggestion-follow?token=${'x'.repeat(43)}`],
    '/suggestion-follow': [`/suggestion-follow?token=${'x'.repeat(43)}`],
    '/api/v1/recognitions': [`/api/v1/recognitions?${L}`, `/api/v1/recognitions?${L}&person_id=${s.person}`, `/api/v1/recognitions?${L}&team_id=${s.team}`,
      `/api/v1/recognitions?${L}&value=${q('Waste nothing')}`, `/api/v1/recognitions?${L}&after=${r.recognition || 1}`],
    '/recognitions': ['/recognitions', `/recognitions?person_id=${s.person}`, `/recognitions?team_id=${s.team}`, `/recognitions?team_id=${s.subTeam}`],
    '/api/v1/recognitions/{id}': r.recognition && [`/api/v1/recognitions/${r.recognition}`],
    '/recognitions/{id}': r.recognition && [`/recognitions/${r.recognition}`],
    '/api/v1/feedback': ['received', 'given', 'shared'].map((b) => `/api/v1/feedback?${L}&box=${b}`),
    '/api/v1/feedback/{id}': r.feedback && [`/api/v1/feedback/${r.feedback}`],
    '/api/v1/feedback-requests': [`/api/v1/feedback-requests?${L}`, `/api/v1/feedback-requests?${L}&box=mine`],
    '/api/v1/one-to-ones/{id}': r.oneToOne && [`/api/v1/one-to-ones/${r.oneToOne}`],
    '/one-to-ones/{id}': r.oneToOne && [`/one-to-ones/${r.oneToOne}`],
    '/api/v1/reviews360/{id}': r.review && [`/api/v1/reviews360/${r.review}`],
    '/api/v1/reviews360/{id}/report': r.closedReview && [`/api/v1/reviews360/${r.closedReview}/report`],
    '/reviews360/{id}': r.review && [`/reviews360/${r.review}`, ...(r.closedReview ? [`/reviews360/${r.closedReview}`] : [])],
    '/reviews360/{id}/answer': r.review && [`/reviews360/${r.review}/answer`],
    // the evidence part: a computed and an entered KPI, for the organisation, a team and a sub-team, over 10 years
    '/api/v1/kpis/{id}/series': s.kpi && [s.kpi, s.kpiEntered].flatMap((k) => ['', `?team_id=${s.team}`, `?team_id=${s.subTeam}`, `?from=2017-01`].map((v) => `/api/v1/kpis/${k}/series${v}`)),
    '/kpis/{id}': s.kpi && [s.kpi, s.kpiEntered].flatMap((k) => ['', `?team_id=${s.team}`, `?from=2017-01`].map((v) => `/kpis/${k}${v}`)),
    '/kpis': ['/kpis', `/kpis?team_id=${s.team}`, `/kpis?team_id=${s.subTeam}`],
    '/kpis/report': ['/kpis/report', `/kpis/report?team_id=${s.team}`, '/kpis/report?format=csv'],
  };
  if (path in table) return table[path] || null;
  return path.includes('{') ? null : [path];
}

// measure: REPEATS requests; the minimum server time, the maximum, the
// minimum client time and the statuses seen.
async function measure(base, token, url) {
  const runs = [];
  for (let i = 0; i < REPEATS; i++) runs.push(await get(base, token, url));
  const statuses = [...new Set(runs.map((x) => x.status))];
  return {
    status: statuses.length === 1 ? statuses[0] : statuses.join('/'),
    min: Math.min(...runs.map((x) => x.server)), max: Math.max(...runs.map((x) => x.server)),
    client: Math.min(...runs.map((x) => x.client)),
  };
}

// verdict: 'ok', 'denied' (a 403/404 the role's access or visibility calls
// for) or the reason of a failure.
function verdict(check, limit) {
  const { status, min, role, needs } = check;
  const below = RANK[role] < RANK[needs];
  if (below) return status === 403 ? 'denied' : `expected 403 for ${role} (route needs ${needs}), got ${status}`;
  if (status === 200) return Number.isNaN(min) ? 'no Server-Timing header' : min <= limit ? 'ok' : `slow: ${ms(min)} ms > ${limit} ms`;
  if ((status === 403 || status === 404) && role !== 'owner') return 'denied';
  if (status === 404 && check.expect404) return 'denied';
  return `unexpected status ${status}`;
}

// ---------- main ----------

async function main() {
  let opt;
  try {
    opt = parseArgs({ options: { db: { type: 'string' }, 'limit-ms': { type: 'string', default: '50' }, keep: { type: 'boolean', default: false } } }).values;
    if (!(Number(opt['limit-ms']) > 0)) throw new Error('--limit-ms must be a positive number');
  } catch (e) {
    console.error(`${e.message}\nusage: REMIT_BIN=./remit node tests/perf/walk.mjs [--db FILE] [--limit-ms 50] [--keep]`);
    process.exit(2);
  }
  const limit = Number(opt['limit-ms']);
  const src = resolve(process.env.REMIT_BIN || join(ROOT, 'remit'));
  const dir = mkdtempSync(join(tmpdir(), 'remit-walk-'));
  let srv = null;
  const cleanup = () => {
    if (srv && srv.child.exitCode === null) srv.child.kill('SIGTERM');
    if (!opt.keep) rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', cleanup);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

  let passed = 0, failed = 0;
  const fail = (msg) => { failed++; log(`FAIL ${msg}`); };
  try {
    const bin = join(dir, 'remit');
    try { copyFileSync(src, bin); } catch (e) { throw new Error(`cannot copy REMIT_BIN ${src} (build it: make remit): ${e.message}`); }
    const db = opt.db ? resolve(opt.db) : join(dir, 'walk.db');
    if (!opt.db) {
      const size = demoSupportsSize(bin) ? ['--size', 'large'] : [];
      const t0 = performance.now();
      const out = remit(bin, ['demo', '--db', db, ...size]);
      log(`remit demo ${size.join(' ') || '(no --size yet: the small demo)'} took ${((performance.now() - t0) / 1000).toFixed(1)} s: ${out.split('\n')[0]}`);
    }
    const tokens = Object.fromEntries(Object.entries(ROLES).map(([role, email]) => [role, remit(bin, ['token', 'create', '--db', db, '--email', email]).trim()]));

    srv = await startServer(bin, db);
    log(`serving ${db} on ${srv.base} (remit copied from ${src})`);
    const t0 = performance.now();
    const shared = await discoverShared(srv.base, tokens.owner);
    const ctx = {};
    for (const role of Object.keys(ROLES)) ctx[role] = await discoverRole(srv.base, tokens[role], shared);
    // What a role cannot see is walked with the owner's instance: its 403/404 is then checked as documented.
    for (const role of Object.keys(ROLES))
      for (const key of SCOPED) if (ctx[role][key] == null && ctx.owner[key] != null) {
        ctx[role][key] = ctx.owner[key];
        log(`${role} sees no ${key}: walks the owner's (${ctx.owner[key]}), expecting 403/404`);
      }
    log(`found ${shared.peopleCount} people, ${shared.teamCount} teams, ${shared.decisionCount} decisions; heaviest: person ${shared.person}, team ${shared.team} (sub-team ${shared.subTeam}), challenge ${ctx.owner.challenge}, idea ${ctx.owner.idea} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

    // A real private follow link needs an anonymous idea: shared only in a demo this walk made.
    let follow = 'x'.repeat(43), expect404 = true;
    if (!opt.db && ctx.member.openChallenge) {
      const res = await fetch(`${srv.base}/api/v1/challenges/${ctx.member.openChallenge}/ideas`, {
        method: 'POST', headers: { authorization: `Bearer ${tokens.member}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Walk: a private follow link to time', body: 'Shared anonymously by tests/perf/walk.mjs.', anonymous: true }),
      });
      const j = await res.json();
      if (res.status === 201 && j.follow_url) { follow = j.follow_url.split('token=')[1]; expect404 = false; } else fail(`could not share an anonymous idea for /follow: ${res.status}`);
    } else log('/follow and /api/v1/follow walk an unknown token (expect 404): with --db the walk shares no anonymous idea');

    const all = routes();
    const gets = all.filter((x) => x.method === 'GET');
    const others = countBy(all.filter((x) => x.method !== 'GET'), (x) => x.method);
    log(`${gets.length} GET routes in src/routes.c; skipped ${all.length - gets.length} routes that are not a plain GET (${[...others].map(([m, n]) => `${n} ${m}`).join(', ')}: they write)`);

    const checks = [];
    for (const route of gets) {
      const roles = route.needs === 'PUBLIC' ? ['anon'] : Object.keys(ROLES);
      for (const role of roles) {
        const urls = urlsFor(route.path, shared, ctx[role] || ctx.owner, follow);
        if (!urls) { fail(`GET ${route.path} (${role}): no instance to fill its parameters (add it to urlsFor)`); continue; }
        for (const url of urls) {
          const m = await measure(srv.base, role === 'anon' ? null : tokens[role], url);
          checks.push({ ...m, url, role, needs: route.needs, expect404: (expect404 && route.path.endsWith('/follow')) || ['/password/set', '/unsubscribe'].includes(route.path) || route.path.endsWith('/survey-replies') || route.path === '/survey-reply' || route.path.endsWith('/suggestion-follow') || route.path.endsWith('/report-follow') });
        }
      }
    }

    const timed = checks.filter((c) => c.status === 200).sort((a, b) => b.min - a.min);
    log(`walked ${new Set(checks.map((c) => c.url)).size} distinct URLs as ${['anon', ...Object.keys(ROLES)].join('/')}: ${checks.length} checks, ${REPEATS} requests each; server time = min of ${REPEATS}`);
    log(`the 15 slowest (server min / server max / client min, ms):`);
    for (const c of timed.slice(0, 15)) log(`  ${ms(c.min).padStart(8)} ${ms(c.max).padStart(8)} ${ms(c.client).padStart(8)}  ${c.role.padEnd(7)} GET ${c.url}`);
    let denied = 0;
    for (const c of checks) {
      const v = verdict(c, limit);
      if (v === 'ok') passed++;
      else if (v === 'denied') { passed++; denied++; } else fail(`GET ${c.url} (${c.role}): ${v}`);
    }
    log(`${denied} checks answered the documented 403/404 for their role (counted as passed, not timed against the limit)`);
    if (timed[0]) log(`slowest ${ms(timed[0].min)} ms GET ${timed[0].url} (${timed[0].role})`);

    srv.child.kill('SIGTERM');
    const { code, sig } = await srv.exited;
    if (code !== 0) fail(`remit serve exited ${code ?? sig} after SIGTERM:\n${srv.log()}`);
  } catch (e) {
    fail(e?.constructor === Error ? e.message : e?.stack || String(e)); // our own errors say enough; others need their stack
  }
  log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

await main();
