// openapi.test.mjs: assets/openapi.json against the code. (a) its operations
// are exactly the /api/ lines of src/routes.c (method, path, public or not,
// summary); (b) the server serves the same document; (c) Redocly's
// recommended lint passes; (d) the live GET lists answer what it describes,
// and so do the writes that fill them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, USERS } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOC_PATH = join(root, 'assets', 'openapi.json');
const docText = readFileSync(DOC_PATH, 'utf8');
const doc = JSON.parse(docText);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

// routes(): the /api/ lines of src/routes.c as {method, path, needs, summary}.
function routes() {
  const src = readFileSync(join(root, 'src', 'routes.c'), 'utf8');
  const re = /\{\s*"([A-Z]+)"\s*,\s*"(\/api\/[^"]*)"\s*,\s*(\w+)\s*,\s*(\w+)\s*,\s*"((?:[^"\\]|\\.)*)"\s*\}/g;
  const out = [];
  for (const m of src.matchAll(re)) out.push({ method: m[1], path: m[2], handler: m[3], needs: m[4], summary: m[5].replace(/\\(.)/g, '$1') });
  return out;
}

// operations(): every operation of the document as {method, path, op}.
function operations() {
  const out = [];
  for (const [path, item] of Object.entries(doc.paths || {}))
    for (const m of METHODS) if (item[m]) out.push({ method: m.toUpperCase(), path, op: item[m] });
  return out;
}

const key = (x) => `${x.method} ${x.path}`;

test('openapi: the operations are exactly the /api/ routes of src/routes.c', () => {
  const rs = routes();
  assert.ok(rs.length >= 20, `only ${rs.length} /api/ routes parsed from src/routes.c: has the table's format changed?`);
  const fromRoutes = new Set(rs.map(key));
  const fromDoc = new Set(operations().map(key));
  const missing = [...fromRoutes].filter((k) => !fromDoc.has(k)).sort();
  const extra = [...fromDoc].filter((k) => !fromRoutes.has(k)).sort();
  assert.deepEqual({ missing_from_openapi_json: missing, not_in_routes_c: extra }, { missing_from_openapi_json: [], not_in_routes_c: [] },
    `assets/openapi.json and src/routes.c disagree:\n${missing.map((k) => `  - ${k} (in routes.c, not in openapi.json)`).join('\n')}\n${extra.map((k) => `  + ${k} (in openapi.json, not in routes.c)`).join('\n')}`);
});

test('openapi: public routes, summaries and path parameters match src/routes.c', () => {
  const ops = new Map(operations().map((o) => [key(o), o.op]));
  const problems = [];
  const ids = new Set();
  for (const r of routes()) {
    const op = ops.get(key(r));
    if (!op) continue; // reported by the test above
    const isPublic = Array.isArray(op.security) && op.security.length === 0;
    if (isPublic !== (r.needs === 'PUBLIC')) problems.push(`${key(r)}: routes.c says ${r.needs}, openapi.json says ${isPublic ? 'public (security: [])' : 'authenticated'}`);
    if (op.summary !== r.summary) problems.push(`${key(r)}: summary ${JSON.stringify(op.summary)}, routes.c says ${JSON.stringify(r.summary)}`);
    if (!op.operationId) problems.push(`${key(r)}: no operationId`);
    else if (ids.has(op.operationId)) problems.push(`${key(r)}: operationId ${op.operationId} used twice`);
    ids.add(op.operationId);
    const names = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const declared = (op.parameters || []).map((p) => (p.$ref ? resolve(p.$ref) : p)).filter((p) => p.in === 'path');
    for (const n of names) {
      const p = declared.find((d) => d.name === n);
      if (!p) problems.push(`${key(r)}: path parameter {${n}} not declared`);
      else if (p.schema?.type !== 'integer' || p.schema?.minimum !== 1) problems.push(`${key(r)}: {${n}} should be an integer with minimum 1`);
    }
  }
  assert.deepEqual(problems, []);
});

test('openapi: info and security are as promised', async () => {
  const h = readFileSync(join(root, 'src', 'remit.h'), 'utf8');
  const version = h.match(/#define\s+REMIT_VERSION\s+"([^"]+)"/)?.[1];
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(doc.info.title, 'remit');
  assert.equal(doc.info.version, version, 'info.version must be REMIT_VERSION from src/remit.h');
  assert.deepEqual(doc.servers, [{ url: '/' }]);
  const schemes = Object.values(doc.components.securitySchemes);
  assert.ok(schemes.some((s) => s.type === 'apiKey' && s.in === 'cookie' && s.name === 'remit_session'), 'cookie remit_session scheme');
  assert.ok(schemes.some((s) => s.type === 'http' && s.scheme === 'bearer'), 'bearer scheme');
});

test('openapi: GET /api/openapi.json serves assets/openapi.json', async () => {
  const srv = await startServer();
  try {
    const res = await fetch(srv.base + '/api/openapi.json');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') || '', /^application\/json/);
    const text = await res.text();
    assert.deepEqual(JSON.parse(text), doc, 'the served document differs from assets/openapi.json (rebuild: make remit build/san/remit)');
    assert.equal(text, docText);
  } finally {
    await srv.stop();
  }
});

test('openapi: @redocly/cli lint (recommended rules) passes', () => {
  const bin = join(root, 'tests', 'node_modules', '.bin', 'redocly');
  const r = spawnSync(bin, ['lint', 'assets/openapi.json', '--format=stylish', '--config', 'tests/redocly.yaml'], {
    cwd: root, encoding: 'utf8', timeout: 120000,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  assert.equal(r.error, undefined, `could not run ${bin}: ${r.error}`);
  assert.equal(r.status, 0, `redocly lint failed:\n${r.stdout}\n${r.stderr}`);
});

// ---------------------------------------------------------------------------
// (d) a small conformance check against the live server. validate() knows the
// parts of JSON Schema this document uses: $ref, type (or a list of types),
// enum, required, properties, items, oneOf, minimum/maximum,
// minLength/maxLength, maxItems, maxProperties, pattern, format date and
// date-time. It is stricter than JSON Schema in one way: an object schema
// with `properties` is closed unless it says `additionalProperties: true`, so
// a field the server sends but the document does not describe fails here
// (clients may still ignore extras).

function resolve(ref) {
  assert.ok(ref.startsWith('#/'), `only local $refs: ${ref}`);
  let v = doc;
  for (const part of ref.slice(2).split('/')) {
    v = v?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  assert.ok(v !== undefined, `unresolved ${ref}`);
  return v;
}

const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

// validate(value, schema, at) -> list of problems (strings).
function validate(v, s, at = '$') {
  if (s.$ref) return validate(v, resolve(s.$ref), at);
  const out = [];
  if (s.oneOf) {
    const ok = s.oneOf.filter((x) => validate(v, x, at).length === 0).length;
    if (ok !== 1) out.push(`${at}: matches ${ok} of the oneOf schemas (${JSON.stringify(v)})`);
    return out;
  }
  if (s.type) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    const t = typeOf(v);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) return [`${at}: is ${t}, expected ${types.join('|')}`];
  }
  if (s.enum && !s.enum.includes(v)) out.push(`${at}: ${JSON.stringify(v)} is not one of ${s.enum.join(', ')}`);
  if (typeof v === 'number') {
    if (s.minimum !== undefined && v < s.minimum) out.push(`${at}: ${v} < ${s.minimum}`);
    if (s.maximum !== undefined && v > s.maximum) out.push(`${at}: ${v} > ${s.maximum}`);
  }
  if (typeof v === 'string') {
    if (s.minLength !== undefined && v.length < s.minLength) out.push(`${at}: shorter than ${s.minLength}`);
    if (s.maxLength !== undefined && v.length > s.maxLength) out.push(`${at}: longer than ${s.maxLength}`);
    if (s.format === 'date-time' && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v)) out.push(`${at}: ${v} is not an ISO 8601 UTC time`);
    if (s.format === 'date' && !/^\d{4}-\d\d-\d\d$/.test(v)) out.push(`${at}: ${v} is not a date`);
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(v)) out.push(`${at}: ${JSON.stringify(v)} does not match ${s.pattern}`);
  }
  if (typeOf(v) === 'object') {
    if (s.maxProperties !== undefined && Object.keys(v).length > s.maxProperties) out.push(`${at}: more than ${s.maxProperties} keys`);
    for (const k of s.required || []) if (!(k in v)) out.push(`${at}: required key "${k}" is missing`);
    for (const [k, x] of Object.entries(v)) {
      if (s.properties?.[k]) out.push(...validate(x, s.properties[k], `${at}.${k}`));
      else if (s.properties && s.additionalProperties !== true) out.push(`${at}: key "${k}" is not described`);
    }
  }
  if (Array.isArray(v) && s.maxItems !== undefined && v.length > s.maxItems) out.push(`${at}: more than ${s.maxItems} items`);
  if (Array.isArray(v) && s.items) v.forEach((x, i) => out.push(...validate(x, s.items, `${at}[${i}]`)));
  return out;
}

function responseSchema(op, status) {
  let r = op.responses?.[String(status)];
  if (r?.$ref) r = resolve(r.$ref);
  return r?.content?.['application/json']?.schema;
}

// ok(res, status, path, method): the answer has this status and matches what
// the document says the operation answers with it; returns the parsed body.
function ok(res, status, path, method, label = `${method.toUpperCase()} ${path}`) {
  assert.equal(res.status, status, `${label}: ${res.status} ${res.text}`);
  const op = doc.paths[path]?.[method];
  assert.ok(op, `${label}: not in the document`);
  const schema = responseSchema(op, status);
  if (schema) assert.deepEqual(validate(res.json, schema), [], `${label} does not match its schema`);
  else assert.equal(res.text, '', `${label}: the document describes no body`);
  return res.json;
}

// Required query parameters of the GETs checked below, by path.
const QUERIES = { '/api/v1/can': '?domain=refund' };

test('openapi: live GET lists answer what the document describes', async () => {
  const srv = await startServer();
  try {
    const c = await srv.login(USERS.owner);
    // Something in every list: a team, a goal, and audit entries from both.
    const team = await c.post('/api/v1/teams', { name: 'Conformance' });
    assert.equal(team.status, 201, `POST /api/v1/teams: ${team.text}`);
    assert.deepEqual(validate(team.json, responseSchema(doc.paths['/api/v1/teams'].post, 201)), []);
    const goal = await c.post('/api/v1/goals', { title: 'Check the contract', owner_team_id: team.json.id });
    // a skill and a training, so that GET /api/v1/trainings/{id} has an id to check
    const sk = await c.post('/api/v1/skills', { name: 'Conformance' });
    assert.deepEqual(validate(sk.json, responseSchema(doc.paths['/api/v1/skills'].post, 201)), []);
    const tr = await c.post('/api/v1/trainings', { kind: 'session', title: 'Conformance', builds: [{ skill_id: sk.json.id, level: 2 }] });
    assert.deepEqual(validate(tr.json, responseSchema(doc.paths['/api/v1/trainings'].post, 201)), []);
    assert.equal(goal.status, 201, `POST /api/v1/goals: ${goal.text}`);
    assert.deepEqual(validate(goal.json, responseSchema(doc.paths['/api/v1/goals'].post, 201)), []);

    // The empowerment cycle: a domain, a role the owner holds and has
    // confirmed, a right for the role and a personal one for the member.
    const ownerId = (await c.get('/api/v1/session')).json.person.id;
    const memberId = (await c.get('/api/v1/people?q=member%40a.test')).json.items[0].id;
    const managerId = (await c.get('/api/v1/people?q=manager%40a.test')).json.items[0].id;
    ok(await c.post('/api/v1/domains', { slug: 'refund', label: 'refunds', risk: 'low' }), 201, '/api/v1/domains', 'post');
    const role = ok(await c.post('/api/v1/roles', {
      name: 'Till lead', team_id: team.json.id, goal_id: goal.json.id, purpose: 'Keeps the till *honest*.',
      accountabilities: ['Refunds up to the limit', 'The cash count'], resources: ['The till'],
    }), 201, '/api/v1/roles', 'post');
    ok(await c.post(`/api/v1/roles/${role.id}/holders`, { person_id: ownerId }), 201, '/api/v1/roles/{id}/holders', 'post');
    const acked = ok(await c.post(`/api/v1/roles/${role.id}/acknowledge`), 200, '/api/v1/roles/{id}/acknowledge', 'post');
    assert.equal(acked.holders[0].acknowledged, true);
    ok(await c.post('/api/v1/rights', { role_id: role.id, domain: 'refund', level: 7, limit: '200', reason: 'The till lead settles refunds.' }),
      201, '/api/v1/rights', 'post');
    ok(await c.post('/api/v1/rights', {
      person_id: memberId, domain: 'refund', level: 5, limit: '50.5', advisor_id: ownerId, expires_on: '2099-12-31', reason: 'Learning the till.',
    }), 201, '/api/v1/rights', 'post');

    // Ten decisions with bad outcomes (a coaching suggestion: the domain is
    // low risk), one with a review due today, and three of the member's: one
    // waiting for advice, two for approval, of which the owner approves one.
    const today = new Date().toISOString().slice(0, 10);
    for (let i = 1; i <= 10; i++) {
      const d = ok(await c.post('/api/v1/decisions', { domain: 'refund', title: `Refund ${i}`, amount: '150', risk: 2, reward: 3, context: 'A cold coffee.' }),
        201, '/api/v1/decisions', 'post');
      assert.equal(d.verdict, 'decide');
      ok(await c.post(`/api/v1/decisions/${d.id}/outcome`, { outcome: 'bad', account: 'The customer left anyway.', learning: i === 1 ? 'Ask first.' : null }),
        200, '/api/v1/decisions/{id}/outcome', 'post');
    }
    ok(await c.post('/api/v1/decisions', { domain: 'refund', title: 'Refund a cake', amount: null, risk: 1, reward: 1, review_on: today }),
      201, '/api/v1/decisions', 'post');
    const m = await srv.login(USERS.member);
    const advise = ok(await m.post('/api/v1/decisions', { domain: 'refund', title: 'Refund a muffin', amount: '20', risk: 1, reward: 2 }),
      201, '/api/v1/decisions', 'post');
    assert.deepEqual([advise.verdict, advise.status, advise.route_to?.id], ['advise', 'pending', ownerId]);
    for (const title of ['Refund a party', 'Refund a wedding']) {
      const big = ok(await m.post('/api/v1/decisions', { domain: 'refund', title, amount: '500.00', risk: 3, reward: 2 }), 201, '/api/v1/decisions', 'post');
      assert.deepEqual([big.verdict, big.status, big.route_to?.id], ['approve', 'pending', ownerId]);
      if (title === 'Refund a wedding') ok(await c.post(`/api/v1/decisions/${big.id}/approve`, { note: 'Fine.' }), 200, '/api/v1/decisions/{id}/approve', 'post');
    }
    // Can I? about someone else, with an amount; and its 400 answer.
    const can = ok(await c.get(`/api/v1/can?domain=refund&amount=500&person_id=${memberId}`), 200, '/api/v1/can', 'get');
    assert.equal(can.verdict, 'approve');
    ok(await c.get('/api/v1/can?domain=refund&amount=1e3'), 400, '/api/v1/can', 'get');
    ok(await m.get(`/api/v1/can?domain=refund&person_id=${managerId}`), 403, '/api/v1/can', 'get');

    // Challenges and ideas: an organisation challenge by the owner, a named
    // idea by the owner and one by the member, an anonymous one by the
    // manager; the owner votes for and comments on the member's idea and
    // moves it to piloting; the admin is assigned as reviewer (the manager
    // too, and removed again) and scores it; the member records a pair.
    const adminId = (await c.get('/api/v1/people?q=admin%40a.test')).json.items[0].id;
    const ch = ok(await c.post('/api/v1/challenges', {
      title: 'How could we cut food waste by 20%?', body: 'Small ideas *welcome*.', scope: 'org', goal_id: goal.json.id, opens_on: today, closes_on: '2099-12-31',
    }), 201, '/api/v1/challenges', 'post');
    assert.deepEqual([ch.scope, ch.team, ch.phase, ch.owner?.id, ch.goal?.id, ch.idea_count], ['org', null, 'open', ownerId, goal.json.id, 0]);
    ok(await c.patch(`/api/v1/challenges/${ch.id}`, { closes_on: null }), 200, '/api/v1/challenges/{id}', 'patch');
    ok(await m.patch(`/api/v1/challenges/${ch.id}`, { phase: 'closed' }), 403, '/api/v1/challenges/{id}', 'patch');
    const IDEAS = `/api/v1/challenges/${ch.id}/ideas`;
    const ownIdea = ok(await c.post(IDEAS, { title: 'Compost the peels', body: 'Feed the *garden*.' }), 201, '/api/v1/challenges/{id}/ideas', 'post');
    const memberIdea = ok(await m.post(IDEAS, { title: 'Smaller portions', anonymous: false }), 201, '/api/v1/challenges/{id}/ideas', 'post');
    const mgr = await srv.login(USERS.manager);
    const anonIdea = ok(await mgr.post(IDEAS, { title: 'Sell day-old bread cheaper', body: null, anonymous: true }), 201, '/api/v1/challenges/{id}/ideas', 'post');
    assert.deepEqual([ownIdea.follow_url, memberIdea.author?.id, anonIdea.author, anonIdea.anonymous], [undefined, memberId, null, true]);
    await srv.releaseAnonymous(); // held back until its day is over (src/anon.c)
    ok(await c.post(IDEAS, { title: ' ' }), 422, '/api/v1/challenges/{id}/ideas', 'post');
    assert.deepEqual(ok(await c.put(`/api/v1/ideas/${memberIdea.id}/vote`), 200, '/api/v1/ideas/{id}/vote', 'put'), { votes: 1, voted: true });
    ok(await c.put(`/api/v1/ideas/${ownIdea.id}/vote`), 403, '/api/v1/ideas/{id}/vote', 'put');
    ok(await m.put(`/api/v1/ideas/${anonIdea.id}/vote`), 200, '/api/v1/ideas/{id}/vote', 'put');
    assert.deepEqual(ok(await m.del(`/api/v1/ideas/${anonIdea.id}/vote`), 200, '/api/v1/ideas/{id}/vote', 'delete'), { votes: 0, voted: false });
    ok(await c.post(`/api/v1/ideas/${memberIdea.id}/comments`, { body: 'Worth a *try*.' }), 201, '/api/v1/ideas/{id}/comments', 'post');
    ok(await c.post(`/api/v1/ideas/${memberIdea.id}/stage`, { stage: 'declined' }), 422, '/api/v1/ideas/{id}/stage', 'post');
    ok(await m.post(`/api/v1/ideas/${memberIdea.id}/stage`, { stage: 'accepted' }), 403, '/api/v1/ideas/{id}/stage', 'post');
    const piloting = ok(await c.post(`/api/v1/ideas/${memberIdea.id}/stage`, { stage: 'piloting', reason: 'A month in the canteen.', owner_id: memberId, due_on: '2099-01-31' }),
      200, '/api/v1/ideas/{id}/stage', 'post');
    assert.deepEqual([piloting.stage, piloting.owner?.id, piloting.due_on, piloting.history.length], ['piloting', memberId, '2099-01-31', 1]);
    // The pilot became the member's action item; an invitation waits in the
    // outbox (e-mail is off here), a chat hook is connected, and the member
    // chooses a digest.
    const pilot = ok(await c.get('/api/v1/actions?source_kind=idea'), 200, '/api/v1/actions', 'get');
    assert.equal(pilot.items[0].owner.id, memberId);
    ok(await c.patch(`/api/v1/actions/${pilot.items[0].id}`, { due_on: '2099-02-28' }), 200, '/api/v1/actions/{id}', 'patch');
    ok(await c.post('/api/v1/actions', { title: 'Weigh the waste', owner_id: ownerId, due_on: null, source: null }), 201, '/api/v1/actions', 'post');
    const inv = ok(await c.post(`/api/v1/people/${memberId}/invite`), 202, '/api/v1/people/{id}/invite', 'post');
    assert.match(inv.link, /\/password\/set\?token=/, 'with e-mail off the admin gets the link');
    ok(await c.post('/api/v1/hooks', { kind: 'teams', url: 'https://example.com/hook/abc123' }), 201, '/api/v1/hooks', 'post');
    ok(await m.put('/api/v1/account/notifications', { idea: 'weekly' }), 200, '/api/v1/account/notifications', 'put');
    ok(await c.post(`/api/v1/challenges/${ch.id}/reviewers`, { person_id: adminId }), 201, '/api/v1/challenges/{id}/reviewers', 'post');
    const two = ok(await c.post(`/api/v1/challenges/${ch.id}/reviewers`, { person_id: managerId }), 201, '/api/v1/challenges/{id}/reviewers', 'post');
    assert.equal(two.reviewers.length, 2);
    ok(await c.post(`/api/v1/challenges/${ch.id}/reviewers`, { person_id: managerId }), 409, '/api/v1/challenges/{id}/reviewers', 'post');
    ok(await c.del(`/api/v1/challenges/${ch.id}/reviewers/${managerId}`), 204, '/api/v1/challenges/{id}/reviewers/{person_id}', 'delete');
    ok(await c.del(`/api/v1/challenges/${ch.id}/reviewers/${managerId}`), 404, '/api/v1/challenges/{id}/reviewers/{person_id}', 'delete');
    const adm = await srv.login(USERS.admin);
    const blind = ok(await adm.get(`/api/v1/ideas/${memberIdea.id}/reviews`), 200, '/api/v1/ideas/{id}/reviews', 'get');
    assert.deepEqual([blind.reviewer, blind.submitted, blind.summary], [true, false, null]);
    ok(await adm.post(`/api/v1/ideas/${memberIdea.id}/reviews`, { risk: 2, reward: 4, effort: 3, note: 'Cheap to try.' }), 201, '/api/v1/ideas/{id}/reviews', 'post');
    ok(await adm.post(`/api/v1/ideas/${memberIdea.id}/reviews`, { risk: 2, reward: 5, effort: 3, note: null }), 200, '/api/v1/ideas/{id}/reviews', 'post');
    ok(await m.post(`/api/v1/ideas/${ownIdea.id}/reviews`, { risk: 2, reward: 5, effort: 3 }), 403, '/api/v1/ideas/{id}/reviews', 'post');
    const pair = ok(await m.get(`/api/v1/challenges/${ch.id}/pair`), 200, '/api/v1/challenges/{id}/pair', 'get');
    assert.deepEqual([pair.a?.id, pair.b?.id].sort(), [ownIdea.id, anonIdea.id].sort(), 'the member is never offered their own idea');
    ok(await m.post(`/api/v1/challenges/${ch.id}/pair`, { winner: ownIdea.id, loser: anonIdea.id }), 201, '/api/v1/challenges/{id}/pair', 'post');
    ok(await m.post(`/api/v1/challenges/${ch.id}/pair`, { winner: anonIdea.id, loser: ownIdea.id }), 409, '/api/v1/challenges/{id}/pair', 'post');
    const done = ok(await m.get(`/api/v1/challenges/${ch.id}/pair`), 200, '/api/v1/challenges/{id}/pair', 'get');
    assert.deepEqual([done.a, done.b, done.done, done.compared], [null, null, true, 1]);

    // A survey (issue 12): the four people of Org A answer a custom survey
    // (k = 3) with a comment each; the owner closes the round, replies to a
    // comment and corrects its sentiment; its writer answers anonymously.
    const sv = ok(await c.post('/api/v1/surveys', {
      title: 'Conformance pulse', min_group: 3, min_comments: 3, questions: [
        { kind: 'agree5', text: 'Fine?', factor: 'trust' }, { kind: 'scale10', text: 'Recommend?', factor: 'enps' }, { kind: 'text', text: 'Anything?', optional: true }],
    }), 201, '/api/v1/surveys', 'post');
    const RID = sv.current_round.id, [sq1, sq2, sq3] = sv.questions.map((q) => q.id);
    const SURVEY_ANSWER = '/api/v1/surveys/{id}/rounds/{round}/response';
    ok(await m.put(`/api/v1/surveys/${sv.id}/rounds/${RID}/response`, { answers: [{ question_id: sq1, value: 2 }], final: false }), 200, SURVEY_ANSWER, 'put');
    let replyUrl = null;
    for (const [i, who] of [c, m, mgr, adm].entries()) {
      const res = ok(await who.put(`/api/v1/surveys/${sv.id}/rounds/${RID}/response`, {
        answers: [{ question_id: sq1, value: 4 }, { question_id: sq2, value: 9 - i }, { question_id: sq3, value: `Comment ${i}: good work` }], final: true,
      }), 200, SURVEY_ANSWER, 'put');
      replyUrl ??= res.reply_url;
    }
    ok(await m.put(`/api/v1/surveys/${sv.id}/rounds/${RID}/response`, { answers: [{ question_id: sq1, value: 3 }], final: true }), 409, SURVEY_ANSWER, 'put');
    ok(await c.post(`/api/v1/surveys/${sv.id}/rounds/${RID}/close`), 200, '/api/v1/surveys/{id}/rounds/{round}/close', 'post');
    ok(await c.patch(`/api/v1/surveys/${sv.id}`, { title: 'Conformance pulse, round 1' }), 200, '/api/v1/surveys/{id}', 'patch');
    const svComments = ok(await c.get(`/api/v1/surveys/${sv.id}/rounds/${RID}/comments`), 200, '/api/v1/surveys/{id}/rounds/{round}/comments', 'get');
    assert.equal(svComments.items.length, 4);
    const replyToken = replyUrl.slice(replyUrl.indexOf('token=') + 6);
    const mineSv = ok(await srv.anon().get(`/api/v1/survey-replies?token=${replyToken}`), 200, '/api/v1/survey-replies', 'get');
    ok(await c.post(`/api/v1/survey-comments/${mineSv.items[0].id}/replies`, { text: 'Thank you.' }), 201, '/api/v1/survey-comments/{id}/replies', 'post');
    ok(await c.patch(`/api/v1/survey-comments/${mineSv.items[0].id}`, { sentiment: 'neutral' }), 200, '/api/v1/survey-comments/{id}', 'patch');
    ok(await srv.anon().post('/api/v1/survey-replies', { token: replyToken, comment_id: mineSv.items[0].id, text: 'You are welcome.' }), 201, '/api/v1/survey-replies', 'post');
    ok(await c.get(`/api/v1/surveys/${sv.id}/rounds/${RID}/results?breakdown=team`), 200, '/api/v1/surveys/{id}/rounds/{round}/results', 'get');
    ok(await c.get(`/api/v1/surveys/${sv.id}/rounds/${RID}/results?breakdown=tenure`), 400, '/api/v1/surveys/{id}/rounds/{round}/results', 'get');
    // an action plan item from the closed round, and the suggestion box
    const svq = (await c.get(`/api/v1/surveys/${sv.id}`)).json.questions.find((q) => q.kind !== 'text');
    ok(await c.post(`/api/v1/surveys/${sv.id}/rounds/${RID}/actions`, { title: 'Talk it through', owner_id: ownerId, question_id: svq.id }), 201, '/api/v1/surveys/{id}/rounds/{round}/actions', 'post');
    const box = ok(await c.put('/api/v1/suggestion-boxes', { team_id: null, open: true }), 200, '/api/v1/suggestion-boxes', 'put');
    const sug = ok(await c.post('/api/v1/suggestions', { box_id: box.id, text: 'More plants, please.' }), 201, '/api/v1/suggestions', 'post');
    const sugToken = sug.follow_url.slice(sug.follow_url.indexOf('token=') + 6);

    // Just culture (issue 13): the member reports a near-miss, the owner (a
    // reviewer while no role is marked) shares its review; an anonymous report
    // for the follow link; a protocol for the refund domain.
    const base = { kind: 'near_miss', body: 'The seed tubs look the same.', happened_on: new Date().toISOString().slice(0, 10), harm: 'none', category: 'food safety' };
    const rep = ok(await m.post('/api/v1/reports', { ...base, identity: 'named' }), 201, '/api/v1/reports', 'post');
    ok(await c.post(`/api/v1/reports/${rep.id}/review`, { learned: 'Colour-code the tubs.', share: true }), 200, '/api/v1/reports/{id}/review', 'post');
    const anonRep = ok(await m.post('/api/v1/reports', { ...base, identity: 'anonymous' }), 201, '/api/v1/reports', 'post');
    ok(await c.post('/api/v1/protocols', { title: 'Refunds', body: 'Listen first.', domains: ['refund'] }), 201, '/api/v1/protocols', 'post');

    // issue 14 part A (recognition.c, feedback.c, oneonone.c): something in each list the owner reads
    ok(await c.patch('/api/v1/org', { values: ['Craft before speed'] }), 200, '/api/v1/org', 'patch');
    const rec = ok(await m.post('/api/v1/recognitions', { recipient_ids: [ownerId], values: ['Craft before speed'], body: 'Thanks for the *till*.', visibility: 'public', cites: null }),
      201, '/api/v1/recognitions', 'post');
    ok(await adm.post(`/api/v1/recognitions/${rec.id}/plus-one`), 200, '/api/v1/recognitions/{id}/plus-one', 'post');
    ok(await m.post('/api/v1/recognitions', { recipient_ids: [ownerId], values: ['Speed'], body: 'x' }), 422, '/api/v1/recognitions', 'post');
    const fb = ok(await m.post('/api/v1/feedback', { recipient_id: ownerId, about: 'the refunds', body: 'Clear and kind.' }), 201, '/api/v1/feedback', 'post');
    ok(await c.put(`/api/v1/feedback/${fb.id}/share`), 409, '/api/v1/feedback/{id}/share', 'put');
    ok(await m.post('/api/v1/feedback-requests', { asked_id: ownerId, about: 'my first week' }), 201, '/api/v1/feedback-requests', 'post');
    const fq = ok(await m.post('/api/v1/feedback-requests', { asked_id: adminId, about: 'the till' }), 201, '/api/v1/feedback-requests', 'post');
    ok(await adm.post(`/api/v1/feedback-requests/${fq.id}/decline`), 200, '/api/v1/feedback-requests/{id}/decline', 'post');
    ok(await c.patch(`/api/v1/people/${adminId}`, { manager_id: ownerId }), 200, '/api/v1/people/{id}', 'patch');
    const oo = ok(await c.post('/api/v1/one-to-ones', { report_id: adminId, rhythm: 'weekly', next_on: null }), 201, '/api/v1/one-to-ones', 'post');
    const oo2 = ok(await adm.post(`/api/v1/one-to-ones/${oo.id}/items`, { text: 'The till' }), 201, '/api/v1/one-to-ones/{id}/items', 'post');
    ok(await c.patch(`/api/v1/one-to-ones/${oo.id}/items/${oo2.agenda[0].id}`, { done: true }), 200, '/api/v1/one-to-ones/{id}/items/{item}', 'patch');
    ok(await c.post(`/api/v1/one-to-ones/${oo.id}/notes`, { body: 'Mine alone.' }), 201, '/api/v1/one-to-ones/{id}/notes', 'post');
    ok(await c.post(`/api/v1/one-to-ones/${oo.id}/actions`, { title: 'Count the till', owner_id: adminId, due_on: '2099-01-01' }), 201, '/api/v1/one-to-ones/{id}/actions', 'post');
    ok(await c.patch(`/api/v1/one-to-ones/${oo.id}`, { rhythm: 'monthly' }), 200, '/api/v1/one-to-ones/{id}', 'patch');
    ok(await c.post(`/api/v1/one-to-ones/${oo.id}/held`), 200, '/api/v1/one-to-ones/{id}/held', 'post');

    const peerIds = [adminId, managerId, memberId];
    const rv = ok(await c.post('/api/v1/reviews360', { subject_id: null, peer_ids: peerIds, report_ids: null, closes_on: null }), 201, '/api/v1/reviews360', 'post');
    const nbeh = rv.behaviours.length;
    ok(await c.put(`/api/v1/reviews360/${rv.id}/answer`, { ratings: Array(nbeh).fill(4), comment: 'Me.' }), 200, '/api/v1/reviews360/{id}/answer', 'put');
    for (const who of [adm, mgr, m]) ok(await who.put(`/api/v1/reviews360/${rv.id}/answer`, { ratings: Array(nbeh).fill(3), comment: null }), 200, '/api/v1/reviews360/{id}/answer', 'put');
    ok(await c.put(`/api/v1/reviews360/${rv.id}/answer`, { ratings: Array(nbeh).fill(4) }), 409, '/api/v1/reviews360/{id}/answer', 'put');
    ok(await c.get(`/api/v1/reviews360/${rv.id}/report`), 409, '/api/v1/reviews360/{id}/report', 'get');
    ok(await c.post(`/api/v1/reviews360/${rv.id}/close`), 200, '/api/v1/reviews360/{id}/close', 'post');
    ok(await c.put(`/api/v1/reviews360/${rv.id}/share`), 200, '/api/v1/reviews360/{id}/share', 'put');
    ok(await c.post(`/api/v1/reviews360/${rv.id}/plan`, { goal: 'Listen first', actions: [{ title: 'Ask before telling', due_on: null }] }), 200, '/api/v1/reviews360/{id}/plan', 'post');
    ok(await m.put('/api/v1/review360-behaviours', { behaviours: [{ skill: 'A', text: 'B' }] }), 403, '/api/v1/review360-behaviours', 'put');
    const lists = operations().filter((o) => o.method === 'GET' && !o.path.includes('{')
      && (o.op.parameters || []).some((p) => p.$ref === '#/components/parameters/Limit'));
    assert.ok(lists.length >= 9, `only ${lists.length} list routes found`);
    for (const { path, op } of lists) {
      const res = await c.get(path + '?limit=500');
      assert.equal(res.status, 200, `GET ${path}: ${res.status} ${res.text}`);
      assert.match(res.headers.get('content-type') || '', /^application\/json/, `GET ${path}: content type`);
      const schema = responseSchema(op, 200);
      assert.ok(schema, `GET ${path}: no 200 application/json schema`);
      const s = schema.$ref ? resolve(schema.$ref) : schema;
      assert.deepEqual([...(s.required || [])].sort(), ['items', 'next_after'], `GET ${path}: a list answer is {items, next_after}`);
      assert.ok(res.json.items.length > 0, `GET ${path}: expected at least one item to check`);
      assert.deepEqual(validate(res.json, schema), [], `GET ${path} does not match its schema`);
    }
    // The other GETs: without path parameters (the session, the org, this
    // document, the inbox, the insights), with their required query
    // parameters (QUERIES, and the token of the anonymous idea's follow
    // link), and with each {id} filled with the first id of the list its
    // path starts with (GET .../{id}, GET .../{id}/history), or for ideas,
    // which have no such list, with the member's idea.
    const queries = { ...QUERIES, '/api/v1/suggestions': `?box_id=${box.id}`, '/api/v1/suggestion-follow': `?token=${sugToken}`, '/api/v1/follow': anonIdea.follow_url.slice(anonIdea.follow_url.indexOf('?')), '/api/v1/survey-replies': `?token=${replyToken}`, '/api/v1/report-follow': `?token=${anonRep.follow_token}` };
    const fill = { '/api/v1/ideas': memberIdea.id };
    const checked = [];
    for (const { path, op } of operations().filter((o) => o.method === 'GET' && !lists.some((l) => l.path === o.path))) {
      let url = path;
      for (let i; (i = url.indexOf('/{id}')) >= 0;) {
        let id = fill[url.slice(0, i)];
        if (!id) {
          const list = await c.get(url.slice(0, i));
          assert.equal(list.status, 200, `GET ${url.slice(0, i)}: ${list.status}`);
          assert.ok(list.json.items?.length > 0, `GET ${url.slice(0, i)}: no item to fill {id} of ${path}`);
          id = list.json.items[0].id;
        }
        url = `${url.slice(0, i)}/${id}${url.slice(i + '/{id}'.length)}`;
      }
      url = url.replace('/{round}', `/${RID}`); // the survey's closed round
      assert.ok(!url.includes('{'), `GET ${path}: no way to fill its path parameters`);
      const required = (op.parameters || []).map((p) => (p.$ref ? resolve(p.$ref) : p)).filter((p) => p.in === 'query' && p.required);
      if (required.length) {
        assert.ok(queries[path], `GET ${path}: required query parameters ${required.map((p) => p.name).join(', ')}: add them to QUERIES`);
        url += queries[path];
      }
      const res = await c.get(url);
      assert.equal(res.status, 200, `GET ${url}: ${res.status} ${res.text}`);
      assert.deepEqual(validate(res.json, responseSchema(op, 200)), [], `GET ${url} does not match its schema`);
      checked.push({ path, json: res.json });
    }
    // The answers above had something in them worth checking.
    const got = (path) => checked.find((x) => x.path === path)?.json;
    const inbox = got('/api/v1/inbox');
    assert.deepEqual([inbox.approvals.length, inbox.advice.length, inbox.reviews_due.length], [1, 1, 1], JSON.stringify(inbox));
    assert.ok(inbox.notifications.length >= 3, 'notifications in the inbox');
    assert.ok(got('/api/v1/autonomy/suggestions/{id}').evidence.length === 10, 'the evidence behind the suggestion');
    assert.ok(got('/api/v1/rights/{id}/history').items.length >= 1, 'a right\'s history');
    const insights = got('/api/v1/insights/decisions');
    assert.equal(insights.total, 14);
    assert.equal(insights.wait_hours.answered, 1);
    assert.equal(got('/api/v1/challenges/{id}').idea_count, 3);
    assert.deepEqual(got('/api/v1/challenges/{id}/ideas').items.map((x) => x.id)[0], memberIdea.id, 'top: the most votes first');
    assert.deepEqual([got('/api/v1/challenges/{id}/pair').a?.id, got('/api/v1/challenges/{id}/pair').b?.id].sort(), [memberIdea.id, anonIdea.id].sort());
    assert.deepEqual(ok(await c.get('/api/v1/ideas/mine'), 200, '/api/v1/ideas/mine', 'get').items.map((x) => [x.id, x.challenge.id]), [[ownIdea.id, ch.id]]);
    assert.deepEqual([got('/api/v1/ideas/{id}').history.length, got('/api/v1/ideas/{id}').comment_count], [1, 1]);
    assert.equal(got('/api/v1/ideas/{id}/comments').items.length, 1);
    const reviews = got('/api/v1/ideas/{id}/reviews');
    assert.deepEqual([reviews.items.length, reviews.hidden, reviews.summary?.reward], [1, 0, 5], 'the owner manages the challenge and sees every scorecard');
    assert.equal(got('/api/v1/follow').idea.id, anonIdea.id);
    const ideaInsights = got('/api/v1/insights/ideas');
    assert.deepEqual([ideaInsights.scope, ideaInsights.submitted, ideaInsights.per_stage.piloting, ideaInsights.participants], ['organisation', 3, 1, 2]);
    // Each sort of the challenge's ideas, and a sort that does not exist.
    for (const sort of ['top', 'trending', 'new', 'pairwise']) {
      const list = ok(await c.get(`${IDEAS}?sort=${sort}`), 200, '/api/v1/challenges/{id}/ideas', 'get', `GET ${IDEAS}?sort=${sort}`);
      assert.equal(list.items.length, 3, sort);
      assert.ok(list.items.every((x) => ('score' in x) === (sort === 'pairwise')), `${sort}: a score only for pairwise`);
    }
    ok(await c.get(`${IDEAS}?sort=best`), 400, '/api/v1/challenges/{id}/ideas', 'get');
    // Similar ideas to a title being typed.
    const similar = ok(await m.get(`/api/v1/challenges/${ch.id}/similar?q=${encodeURIComponent('compost heaps')}`), 200, '/api/v1/challenges/{id}/similar', 'get');
    assert.deepEqual(similar.items.map((x) => x.id), [ownIdea.id]);
    // The scorecards as the idea's author sees them: the averages only.
    const mine = ok(await m.get(`/api/v1/ideas/${memberIdea.id}/reviews`), 200, '/api/v1/ideas/{id}/reviews', 'get');
    assert.deepEqual([mine.items.length, mine.hidden, mine.summary?.count, mine.reviewer], [0, 1, 1, false]);
    // The follow link works without a login; an unknown token is a 404.
    const follow = ok(await srv.anon().get('/api/v1' + anonIdea.follow_url), 200, '/api/v1/follow', 'get');
    assert.deepEqual([follow.idea.author, follow.challenge?.id, follow.merged_into], [null, ch.id, null]);
    ok(await srv.anon().get('/api/v1/follow?token=' + 'x'.repeat(43)), 404, '/api/v1/follow', 'get');
    // The member heard about the stage change and the comment.
    const memberInbox = ok(await m.get('/api/v1/inbox'), 200, '/api/v1/inbox', 'get');
    const kinds = memberInbox.notifications.map((n) => n.kind);
    assert.ok(kinds.includes('idea.stage') && kinds.includes('idea.comment'), JSON.stringify(kinds));
    // The CSV import: its 201 answer, and its 422 with a problem per line.
    const csv = (text) => c.req('POST', '/api/v1/people/import', { body: text, headers: { 'content-type': 'text/csv' } });
    const imp = doc.paths['/api/v1/people/import'].post;
    const good = await csv('name,email,team,manager_email,title,access\nCora Conform,cora@a.test,Conformance,,Tester,member\n');
    assert.equal(good.status, 201, `import: ${good.text}`);
    assert.deepEqual(validate(good.json, responseSchema(imp, 201)), []);
    const badCsv = await csv('name,email,team,manager_email,title,access\n,not-an-email,,,,owner\n');
    assert.equal(badCsv.status, 422, `bad import: ${badCsv.text}`);
    assert.deepEqual(validate(badCsv.json, responseSchema(imp, 422)), []);
    assert.ok(badCsv.json.error.details.every((d) => d.line === 2), `every problem is on line 2: ${badCsv.text}`);
    // An error answer has the shared envelope.
    const bad = await c.post('/api/v1/teams', { name: 'x', nonsense: 1 });
    assert.equal(bad.status, 400);
    assert.deepEqual(validate(bad.json, doc.components.schemas.Error), []);
  } finally {
    await srv.stop();
  }
});

// (e) answers the router gives every operation: 400 for text in the address
// that is not UTF-8 (any operation), 415 for a JSON body sent as text/plain
// (every operation that takes one), 422 for a missing field; the CSV
// exports and the document's 304. Each must be declared, with its schema.
test('openapi: bad encoding, 415, 422, CSV and 304 answers are declared', async () => {
  const srv = await startServer();
  try {
    const c = await srv.login(USERS.owner);
    const fill = (path) => path.replace(/\{[a-z_]+\}/g, '1');
    const missing = [];
    for (const { method, path, op } of operations()) {
      if (path === '/api/v1/session' && method === 'DELETE') continue; // would end the session the loop uses
      const m = method.toLowerCase();
      const res = await c.req(method, `${fill(path)}?x=%FF`, { json: op.requestBody ? {} : undefined });
      if (res.status !== 400 || res.json?.error?.code !== 'bad_encoding') missing.push(`${method} ${path}: ${res.status} ${res.text.slice(0, 80)}`);
      else ok(res, 400, path, m);
      if (op.requestBody?.content?.['application/json']) {
        const t = await c.req(method, fill(path), { body: '{}', headers: { 'content-type': 'text/plain' } });
        assert.equal(t.status, 415, `${method} ${path}: ${t.status} ${t.text}`);
        ok(t, 415, path, m);
        assert.ok(op.responses['422'], `${method} ${path}: 422 not declared`);
      }
    }
    assert.deepEqual(missing, [], 'every operation answers bad encoding with a declared 400');
    ok(await srv.anon().post('/api/v1/session', { email: USERS.owner }), 422, '/api/v1/session', 'post');
    // the exports: declared as text/csv with a format parameter
    for (const path of ['/api/v1/people', '/api/v1/teams', '/api/v1/goals', '/api/v1/rights', '/api/v1/decisions', '/api/v1/audit', '/api/v1/challenges/{id}/ideas']) {
      const op = doc.paths[path].get;
      assert.ok(op.responses['200'].content['text/csv'], `${path}: text/csv not declared`);
      const params = op.parameters.map((p) => (p.$ref ? resolve(p.$ref) : p));
      assert.deepEqual(params.find((p) => p.name === 'format')?.schema?.enum, ['json', 'csv'], `${path}: format`);
    }
    const csv = await c.get('/api/v1/people?format=csv');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    const fmt = await c.get('/api/v1/people?format=yaml');
    ok(fmt, 400, '/api/v1/people', 'get');
    // the document's own 304
    const d1 = await srv.anon().get('/api/openapi.json');
    const d2 = await srv.anon().get('/api/openapi.json', { headers: { 'if-none-match': d1.headers.get('etag') } });
    assert.equal(d2.status, 304);
    assert.ok(doc.paths['/api/openapi.json'].get.responses['304'], '304 declared');
  } finally {
    await srv.stop();
  }
});
