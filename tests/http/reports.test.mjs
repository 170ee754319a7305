// reports.test.mjs: just culture (issue 13) against the real binary:
// reporting with its three identities (named, confidential, anonymous) on
// pages, lists, the CSV export, API answers, notifications and stored rows;
// reviewers and triage; culpability assessments (the same answers give the
// same result whatever the harm; who may see one; none for anonymous
// reports); blameless reviews with corrective actions and the shared lesson
// in the learning library; protocols in "Can I?"; bad input changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, remit, USERS } from './lib.mjs';

let srv, owner, admin, manager, member, other, rita, ids = {};
const q = (sql) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, sql], { encoding: 'utf8' }).trim();
const today = new Date().toISOString().slice(0, 10);
const base = { kind: 'near_miss', body: 'The seed tubs look the same.', happened_on: today, harm: 'none', category: 'food safety' };

async function release() {
  q('UPDATE report_pending SET day = day - 86400');
  for (let i = 0; i < 100 && Number(q('SELECT count(*) FROM report_pending')) > 0; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(q('SELECT count(*) FROM report_pending'), '0', 'anonymous reports were not released');
}

before(async () => {
  srv = await startServer();
  const add = remit(['user', 'add', '--db', srv.db, '--org', 'Org A', '--email', 'rita@a.test', '--name', 'Rita Reviewer', '--access', 'member']);
  assert.equal(add.code, 0, add.stderr);
  [owner, admin, manager, member, other, rita] = [srv.bearer(USERS.owner), srv.bearer(USERS.admin), srv.bearer(USERS.manager), srv.bearer(USERS.member),
    srv.bearer(USERS.other), srv.bearer('rita@a.test')];
  for (const [k, c] of Object.entries({ owner, admin, manager, member, rita })) ids[k] = (await c.get('/api/v1/session')).json.person.id;
  // reviewers for the whole organisation: admin, manager and Rita (the owner is no reviewer)
  const role = await owner.post('/api/v1/roles', { name: 'Safety reviewer' });
  assert.equal(role.status, 201, role.text);
  for (const p of [ids.admin, ids.manager, ids.rita]) assert.equal((await owner.post(`/api/v1/roles/${role.json.id}/holders`, { person_id: p })).status, 201);
  const s = await admin.put('/api/v1/report-settings', { reviewer_roles: [{ role_id: role.json.id, team_id: null }] });
  assert.equal(s.status, 200, s.text);
  ids.role = role.json.id;
});
after(async () => { await srv.stop(); });

test('reports: a named report reaches its reviewers, and only them', async () => {
  const r = await member.post('/api/v1/reports', { ...base, identity: 'named', self_report: true });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.reporter.name, 'Mia Member');
  assert.ok(r.json.id >= 2 ** 32, 'ids are random, never in creation order');
  assert.equal(r.json.received_on, today);
  assert.match(r.json.ack_due, /^\d{4}-\d\d-\d\d$/);
  for (const c of [member, admin, manager, rita, owner]) assert.equal((await c.get(`/api/v1/reports/${r.json.id}`)).status, 200);
  assert.equal((await other.get(`/api/v1/reports/${r.json.id}`)).status, 404, 'another organisation');
  // the reviewers were told, without the reporter's name
  const notes = q(`SELECT group_concat(person_id || ':' || text, '|') FROM notification WHERE kind = 'report.new'`);
  for (const p of [ids.admin, ids.manager, ids.rita]) assert.match(notes, new RegExp(`(^|\\|)${p}:`));
  assert.doesNotMatch(notes, /Mia/);
  ids.named = r.json.id;
});

test('reports: a confidential name is shown to the reviewers and the author only', async () => {
  const r = await member.post('/api/v1/reports', { ...base, body: 'Refunds over the phone are not written down.', category: 'customer', identity: 'confidential' });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  ids.confidential = id;
  assert.equal((await member.get(`/api/v1/reports/${id}`)).json.reporter.name, 'Mia Member', 'the author sees their own name');
  assert.equal((await admin.get(`/api/v1/reports/${id}`)).json.reporter.name, 'Mia Member', 'a reviewer sees it');
  const own = await owner.get(`/api/v1/reports/${id}`);
  assert.equal(own.status, 200, 'owners see the report');
  assert.equal(own.json.reporter, null, 'but not the name: the owner is no reviewer');
  assert.doesNotMatch(own.text, /Mia/);
  assert.equal((await owner.get('/api/v1/reports')).json.items.find((x) => x.id === id).reporter, null);
  const page = await owner.get(`/reports/${id}`);
  assert.equal(page.status, 200);
  assert.doesNotMatch(page.text, /Mia Member/);
  const csv = await owner.get('/api/v1/reports?format=csv');
  assert.equal(csv.status, 200);
  const row = csv.text.split('\r\n').find((l) => l.startsWith(String(id)));
  assert.ok(row, 'the confidential report is exported');
  assert.doesNotMatch(row, /Mia/);
  assert.match(csv.text.split('\r\n').find((l) => l.startsWith(String(ids.named))), /Mia Member/, 'a named one carries its name');
  assert.equal((await manager.get(`/reports/${id}`)).status, 200, 'the manager reviews it');
  assert.match((await manager.get(`/reports/${id}`)).text, /Mia Member/);
  // no audit line, notification or outbox mail names the author
  assert.equal(q(`SELECT count(*) FROM audit WHERE object = 'report:${id}' AND action = 'report.create'`), '0');
  assert.equal(q(`SELECT count(*) FROM notification WHERE text LIKE '%Mia%'`), '0');
  assert.equal(q(`SELECT count(*) FROM outbox WHERE payload LIKE '%Mia%'`) || '0', '0');
});

test('reports: an anonymous report keeps no author, no time finer than the day, and waits for its day', async () => {
  const auditBefore = q('SELECT count(*) FROM audit');
  const notesBefore = q('SELECT count(*) FROM notification');
  const r = await member.post('/api/v1/reports', { ...base, kind: 'concern', body: 'Two on the counter on Saturdays.', category: 'people', identity: 'anonymous' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.reporter, null);
  assert.match(r.json.follow_token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(r.json.follow_url, `/report-follow?token=${r.json.follow_token}`);
  const id = r.json.id;
  ids.anon = id;
  ids.token = r.json.follow_token;
  // held back: no reviewer sees it yet, only the link
  for (const c of [admin, manager, owner, member]) {
    assert.equal((await c.get(`/api/v1/reports/${id}`)).status, 404);
    assert.ok(!(await c.get('/api/v1/reports')).text.includes(String(id)));
  }
  const f = await srv.anon().get(`/api/v1/report-follow?token=${ids.token}`);
  assert.equal(f.status, 200);
  assert.equal(f.json.visible_from > today, true);
  assert.equal(q('SELECT count(*) FROM audit'), auditBefore, 'no audit line');
  assert.equal(q('SELECT count(*) FROM notification'), notesBefore, 'no notification yet');
  const pend = q(`SELECT * FROM report_pending WHERE id = ${id}`);
  assert.doesNotMatch(pend, /Mia|member@a\.test|127\.0\.0\.1/);
  assert.equal(Number(q(`SELECT day % 86400 FROM report_pending WHERE id = ${id}`)), 0, 'the day only');
  await release();
  const row = q(`SELECT author_id IS NULL, received_on % 86400, identity, follow_hash <> '${ids.token}' FROM report WHERE id = ${id}`);
  assert.equal(row, '1|0|anonymous|1', 'no author, the day only, the link stored as a hash');
  assert.equal(q(`SELECT count(*) FROM report_step WHERE report_id = ${id} AND (actor_id IS NOT NULL OR at % 86400 <> 0)`), '0');
  const seen = await admin.get(`/api/v1/reports/${id}`);
  assert.equal(seen.status, 200);
  assert.equal(seen.json.reporter, null);
  assert.doesNotMatch(seen.text, /Mia/);
  // the reviewers heard about it, kept to the day and without any name
  const told = q(`SELECT count(*), max(at % 86400) FROM notification WHERE kind = 'report.new' AND link = '/reports/${id}'`);
  assert.equal(told.split('|')[0], '3');
  assert.equal(told.split('|')[1], '0');
  // anonymous reports have no assessments
  const a = await admin.post(`/api/v1/reports/${id}/assessments`, { act: 'x', person_id: ids.member, second_id: ids.manager, answers: { intended_act: 'no' }, rationale: 'x' });
  assert.equal(a.status, 422);
  assert.equal(a.json.error.field, 'report');
  assert.equal((await admin.get(`/reports/${id}/assess`)).status, 422);
  // the whole stored database knows nothing that joins the member to it
  const dump = execFileSync('sqlite3', [srv.db, '.dump report report_step report_pending'], { encoding: 'utf8' });
  const line = dump.split('\n').find((l) => l.includes(String(id)) && l.startsWith('INSERT INTO report '));
  assert.ok(line);
  assert.doesNotMatch(line, new RegExp(`,${ids.member},`));
});

test('reports: the reporter sees every step; reviewers acknowledge and triage', async () => {
  assert.equal((await member.post(`/api/v1/reports/${ids.named}/acknowledge`)).status, 403, 'the author is no reviewer');
  const ack = await admin.post(`/api/v1/reports/${ids.named}/acknowledge`);
  assert.equal(ack.status, 200, ack.text);
  assert.equal((await admin.post(`/api/v1/reports/${ids.named}/acknowledge`)).status, 409);
  const t = await manager.patch(`/api/v1/reports/${ids.named}`, { severity: 'high', review_needed: true, answer: 'Thank you: we are looking at the tubs.' });
  assert.equal(t.status, 200, t.text);
  assert.deepEqual(t.json.steps.map((s) => s.what), ['received', 'acknowledged', 'triaged', 'answered']);
  const mine = await member.get(`/api/v1/reports/${ids.named}`);
  assert.equal(mine.json.answer, 'Thank you: we are looking at the tubs.');
  assert.ok(Number(q(`SELECT count(*) FROM notification WHERE person_id = ${ids.member} AND kind = 'report.step'`)) >= 3);
  const closeEarly = await manager.patch(`/api/v1/reports/${ids.named}`, { status: 'closed' });
  assert.equal(closeEarly.status, 409, 'a report that needs a review closes with its review');
  // the anonymous reporter follows through the link
  await admin.patch(`/api/v1/reports/${ids.anon}`, { severity: 'medium', review_needed: false, answer: 'A third person on Saturdays from next month.' });
  const f = await srv.anon().get(`/api/v1/report-follow?token=${ids.token}`);
  assert.equal(f.json.answer, 'A third person on Saturdays from next month.');
  assert.deepEqual(f.json.steps.map((s) => s.what), ['received', 'acknowledged', 'triaged', 'answered']);
  const page = await srv.anon().get(`/report-follow?token=${ids.token}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /A third person on Saturdays/);
  assert.equal((await srv.anon().get('/report-follow?token=nothing-like-a-real-token')).status, 404);
  const closed = await admin.patch(`/api/v1/reports/${ids.anon}`, { status: 'closed' });
  assert.equal(closed.status, 200, closed.text);
  // overdue acknowledgements show on a reviewer's home
  q(`UPDATE report SET ack_due = '2000-01-03' WHERE id = ${ids.confidential}`);
  const home = await rita.get('/api/v1/home');
  assert.ok(home.json.items.some((i) => i.key === 'reports_ack_overdue' && i.count >= 1), JSON.stringify(home.json.items));
  assert.ok(!(await member.get('/api/v1/home')).json.items.some((i) => i.key.startsWith('reports_ack')));
});

const ANSWERS = { intended_act: 'no', impaired: 'no', violation: 'yes', procedures_ok: 'no', self_reported: 'yes' };

test('assessments: the same answers give the same result whatever the harm', async () => {
  const out = [];
  for (const harm of ['none', 'minor', 'moderate', 'severe']) {
    const r = await member.post('/api/v1/reports', { ...base, kind: 'incident', harm, category: 'equipment', body: `A burn (${harm}).`, identity: 'named' });
    const a = await admin.post(`/api/v1/reports/${r.json.id}/assessments`, { act: 'Used the short peel', person_id: ids.member, second_id: ids.manager, answers: ANSWERS,
      rationale: 'One long peel for two ovens.' });
    assert.equal(a.status, 201, a.text);
    out.push([a.json.outcome, a.json.behaviour, a.json.mitigated]);
    if (harm === 'severe') ids.assessed = { report: r.json.id, assessment: a.json.id };
  }
  assert.deepEqual(out, Array(4).fill(['system_violation', 'at_risk', true]));
  // "don't know" takes the less culpable branch
  const r = await member.post('/api/v1/reports', { ...base, kind: 'incident', harm: 'severe', category: 'equipment', identity: 'named' });
  const dk = await admin.post(`/api/v1/reports/${r.json.id}/assessments`, { act: 'x', person_id: ids.member, second_id: ids.manager,
    answers: { intended_act: 'dont_know', impaired: 'dont_know', violation: 'dont_know', substitution: 'dont_know', history: 'dont_know', self_reported: 'no' }, rationale: 'Unsure.' });
  assert.equal(dk.json.outcome, 'blameless_error');
  const partial = await admin.post(`/api/v1/reports/${r.json.id}/assessments`, { act: 'x', person_id: ids.member, second_id: ids.manager, answers: { intended_act: 'no' }, rationale: 'x' });
  assert.equal(partial.status, 422);
  assert.equal(partial.json.error.field, 'answers');
});

test('assessments: two reviewers agree; only the assessors, owners and the person concerned see one', async () => {
  const { report, assessment } = ids.assessed;
  const seen = async (c) => ((await c.get(`/api/v1/reports/${report}`)).json?.assessments || []).some((a) => a.id === assessment);
  assert.equal(await seen(admin), true, 'the assessor');
  assert.equal(await seen(manager), true, 'the second assessor');
  assert.equal(await seen(member), true, 'the person it concerns');
  assert.equal(await seen(owner), true, 'an owner');
  assert.equal(await seen(rita), false, 'another reviewer of the report');
  assert.doesNotMatch((await rita.get(`/reports/${report}`)).text, /Used the short peel/);
  assert.equal((await admin.post(`/api/v1/reports/${report}/assessments/${assessment}/confirm`, { agree: true })).status, 403, 'not the named second');
  const dis = await manager.post(`/api/v1/reports/${report}/assessments/${assessment}/confirm`, { agree: false, rationale: 'The rule was workable.' });
  assert.equal(dis.status, 200, dis.text);
  assert.equal(dis.json.find((a) => a.id === assessment).status, 'disagreed', 'disagreement keeps it open');
  const ag = await manager.post(`/api/v1/reports/${report}/assessments/${assessment}/confirm`, { agree: true, rationale: 'On reflection, agreed.' });
  assert.equal(ag.json.find((a) => a.id === assessment).status, 'agreed');
  assert.equal((await manager.post(`/api/v1/reports/${report}/assessments/${assessment}/confirm`, { agree: true })).status, 409);
  // never in analytics by person
  assert.doesNotMatch((await owner.get('/api/v1/insights/reports')).text, /human_error|at_risk|Mia/);
});

test('review: blameless review, actions, closing, and the shared lesson with roles for names', async () => {
  const id = ids.named;
  const v = await manager.post(`/api/v1/reports/${id}/review`, {
    timeline: 'Mia Member reached for the sesame tub at 06:25.',
    factors: [{ category: 'tools_equipment', text: 'Identical tubs side by side.' }, { category: 'staffing_workload', text: 'One baker short.' }],
    whys: ['The tubs look the same.', 'We buy one kind of tub.'],
    went_well: 'Mia Member stopped and reported it.', learned: 'Mia Member showed that identical tubs invite mix-ups: colour-code them.',
    share: true, led_to_change: true, recognise_reporter: true, recognition_note: 'This near-miss led to colour-coded tubs.',
    actions: [{ title: 'Colour-code the tubs', owner_id: ids.manager, due_on: today }],
  });
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.actions, 1);
  assert.equal((await rita.get(`/api/v1/reports/${id}/review`)).json.recognise_reporter, true, 'reviewers see the full review');
  // the organisation sees the shared version: names replaced by roles
  const shared = await srv.bearer(USERS.other).get(`/api/v1/reports/${id}/review`);
  assert.equal(shared.status, 404, 'not another organisation');
  const m = await manager.get('/api/v1/actions?source_kind=report');
  assert.equal(m.json.items.length, 1);
  const actionId = m.json.items[0].id;
  // a member who cannot see the report reads the lesson, without names
  const add = remit(['user', 'add', '--db', srv.db, '--org', 'Org A', '--email', 'sam@a.test', '--name', 'Sam Staff', '--access', 'member']);
  assert.equal(add.code, 0);
  const sam = srv.bearer('sam@a.test');
  assert.equal((await sam.get(`/api/v1/reports/${id}`)).status, 404);
  const lesson = await sam.get(`/api/v1/reports/${id}/review`);
  assert.equal(lesson.status, 200);
  assert.doesNotMatch(lesson.text, /Mia Member/);
  assert.match(lesson.json.learned, /\[.+\] showed that identical tubs/);
  assert.equal(lesson.json.recognise_reporter, undefined);
  const lib = await sam.get('/learning?q=colour');
  assert.match(lib.text, /identical tubs invite mix-ups/);
  assert.doesNotMatch(lib.text, /Mia Member/);
  assert.equal(q(`SELECT count(*) FROM review_fts WHERE review_fts MATCH 'Mia'`), '0', 'the search index holds only the shared text');
  const page = await sam.get(`/reports/${id}`);
  assert.equal(page.status, 200);
  assert.doesNotMatch(page.text, /Mia Member/);
  // the reporter reads the lesson too; it closes only when its actions are done
  assert.equal((await manager.post(`/api/v1/reports/${id}/review`, { close: true })).status, 409);
  assert.equal((await manager.patch(`/api/v1/actions/${actionId}`, { status: 'done' })).status, 200);
  const closed = await manager.post(`/api/v1/reports/${id}/review`, { close: true });
  assert.equal(closed.status, 200, closed.text);
  assert.equal(closed.json.status, 'closed');
  assert.equal((await member.get(`/api/v1/reports/${id}`)).json.status, 'closed');
  assert.equal((await manager.post(`/api/v1/reports/${id}/review`, { learned: 'more' })).status, 409);
  const ev = await owner.get('/api/v1/insights/reports');
  assert.equal(ev.status, 200);
  assert.equal(ev.json.led_to_change, 1);
  assert.deepEqual(ev.json.teams, [], 'no team has five reports');
  assert.equal((await member.get('/api/v1/insights/reports')).status, 403);
});

test('reports: bad input answers 4xx and changes nothing', async () => {
  const count = () => q('SELECT (SELECT count(*) FROM report) + (SELECT count(*) FROM report_pending) + (SELECT count(*) FROM report_step)');
  const before = count();
  const cases = [
    [{ ...base, kind: 'accident' }, 422, 'kind'], [{ ...base, harm: 'awful' }, 422, 'harm'], [{ ...base, category: 'weather' }, 422, 'category'],
    [{ ...base, identity: 'secret' }, 422, 'identity'], [{ ...base, happened_on: '2026-02-30' }, 422, 'happened_on'], [{ ...base, happened_on: '2999-01-01' }, 422, 'happened_on'],
    [{ ...base, body: '   ' }, 422, 'body'], [{ ...base, team_id: 999999 }, 422, 'team_id'], [{ ...base, surprise: 1 }, 400, undefined], [{ ...base, kind: 3 }, 400, undefined],
  ];
  for (const [body, status, field] of cases) {
    const r = await member.post('/api/v1/reports', body);
    assert.equal(r.status, status, JSON.stringify(body) + r.text);
    if (field) assert.equal(r.json.error.field, field);
  }
  assert.equal((await member.req('POST', '/api/v1/reports', { body: '{}', headers: { 'content-type': 'text/plain' } })).status, 415);
  assert.equal((await member.post('/api/v1/reports', '{"kind":')).status, 400);
  assert.equal((await member.patch(`/api/v1/reports/${ids.confidential}`, { severity: 'huge' })).status, 403, 'the author is no reviewer');
  assert.equal((await admin.patch(`/api/v1/reports/${ids.confidential}`, { severity: 'huge' })).status, 422);
  assert.equal((await manager.patch('/api/v1/reports/12345', { severity: 'low' })).status, 404);
  assert.equal((await admin.post(`/api/v1/reports/${ids.confidential}/review`, { factors: [{ category: 'luck', text: 'x' }] })).status, 400);
  assert.equal((await admin.post(`/api/v1/reports/${ids.confidential}/review`, { actions: [{ title: 'x', owner_id: 999999 }] })).status, 422);
  assert.equal((await member.put('/api/v1/report-settings', { ack_days: 3 })).status, 403);
  assert.equal((await admin.put('/api/v1/report-settings', { ack_days: 0 })).status, 422);
  assert.equal((await admin.put('/api/v1/report-settings', { categories: [] })).status, 422);
  const form = await srv.login(USERS.member);
  const p = await form.form('/reports/new', { kind: 'near_miss', body: '', happened_on: today, harm: 'none', category: 'food safety', identity: 'named' });
  assert.equal(p.status, 422);
  assert.match(p.text, /Say what happened/);
  assert.equal(count(), before, 'nothing was written');
  assert.equal(q(`SELECT count(*) FROM report_review WHERE report_id = ${ids.confidential}`), '0');
});

test('settings: admins edit the categories and the time to acknowledge', async () => {
  const s = await admin.put('/api/v1/report-settings', { ack_days: 3, categories: ['food safety', 'customer', 'delivery'] });
  assert.equal(s.status, 200, s.text);
  assert.deepEqual(s.json.categories, ['food safety', 'customer', 'delivery']);
  assert.equal(s.json.reviewer_roles.length, 1, 'the reviewing roles stay');
  const r = await member.post('/api/v1/reports', { ...base, category: 'delivery', identity: 'named' });
  assert.equal(r.status, 201);
  const page = await (await srv.login(USERS.member)).get('/reports/new');
  assert.match(page.text, /value="delivery"/);
  assert.match(page.text, /nobody else, in no page, export or answer of the API/);
});

test('protocols: versions, domains in Can I?, a change proposed by a review and accepted by the owner', async () => {
  assert.equal((await owner.post('/api/v1/domains', { slug: 'refund', label: 'refunds', risk: 'low' })).status, 201);
  const p = await manager.post('/api/v1/protocols', { title: 'Complaints and refunds', body: 'Listen first.', domains: ['refund'], review_on: today });
  assert.equal(p.status, 201, p.text);
  assert.equal(p.json.version, 1);
  assert.deepEqual(p.json.domains, ['refund']);
  const can = await member.get('/api/v1/can?domain=refund');
  assert.deepEqual(can.json.protocols.map((x) => x.title), ['Complaints and refunds']);
  const canPage = await (await srv.login(USERS.member)).get('/can?domain=refund');
  assert.match(canPage.text, /Protocols that apply[\s\S]*Complaints and refunds/);
  const newDecision = await (await srv.login(USERS.member)).get('/decisions/new?domain=refund');
  assert.match(newDecision.text, /Complaints and refunds/);
  // the owner's review date is an action item (reminded by the actions service)
  assert.equal((await manager.get('/api/v1/actions?source_kind=protocol')).json.items[0].due_on, today);
  assert.equal((await member.patch(`/api/v1/protocols/${p.json.id}`, { body: 'x' })).status, 403);
  const v2 = await manager.patch(`/api/v1/protocols/${p.json.id}`, { body: 'Listen first. Write every refund down.', note: 'After a near-miss.' });
  assert.equal(v2.json.version, 2);
  assert.equal((await member.get(`/api/v1/protocols/${p.json.id}?version=1`)).json.body, 'Listen first.', 'every version kept');
  // a review proposes a change; the owner accepts it
  const rv = await admin.post(`/api/v1/reports/${ids.confidential}/review`, { protocol_change: { protocol_id: p.json.id, body: 'Listen first. Write every refund down, with the order number.', note: 'Phone refunds.' } });
  assert.equal(rv.status, 200, rv.text);
  const got = await manager.get(`/api/v1/protocols/${p.json.id}`);
  const change = got.json.changes[0];
  assert.equal(change.status, 'proposed');
  assert.equal((await member.post(`/api/v1/protocols/${p.json.id}/changes/${change.id}`, { accept: true })).status, 403);
  assert.equal((await manager.post(`/api/v1/protocols/${p.json.id}/changes/${change.id}`, { accept: false })).status, 422, 'declining needs a reason');
  const acc = await manager.post(`/api/v1/protocols/${p.json.id}/changes/${change.id}`, { accept: true });
  assert.equal(acc.status, 200, acc.text);
  assert.equal(acc.json.version, 3);
  // the role's holders are asked to confirm they read it
  const ask = await manager.post(`/api/v1/protocols/${p.json.id}/ask`, { role_id: ids.role });
  assert.equal(ask.status, 200, ask.text);
  assert.ok((await rita.get('/api/v1/home')).json.items.some((i) => i.key === 'protocols_to_read'));
  assert.equal((await rita.post(`/api/v1/protocols/${p.json.id}/read`)).json.read_version, 3);
  assert.ok(!(await rita.get('/api/v1/home')).json.items.some((i) => i.key === 'protocols_to_read'));
  assert.equal((await other.get(`/api/v1/protocols/${p.json.id}`)).status, 404);
});

test('evidence: per team only from k = 5 reports, with complementary suppression', async () => {
  const team = async (name) => (await admin.post('/api/v1/teams', { name })).json.id;
  const [a, b, c] = [await team('Ovens'), await team('Van'), await team('Counter')];
  const n = { [a]: 5, [b]: 2, [c]: 6 };
  for (const [t, k] of Object.entries(n))
    for (let i = 0; i < k; i++) assert.equal((await member.post('/api/v1/reports', { ...base, team_id: Number(t), identity: 'named' })).status, 201);
  const ev = await owner.get('/api/v1/insights/reports');
  // Van (2) is below k; Ovens (5), the smallest of the rest, is hidden with it
  // so that the total minus the shown teams is never a group below k
  assert.deepEqual(ev.json.teams.map((x) => [x.team.name, x.reports]), [['Counter', 6]]);
  const page = await (await srv.login(USERS.owner)).get('/reports/insights');
  assert.match(page.text, /Counter: 6 reports/);
  assert.doesNotMatch(page.text, /Van:|Ovens:/);
  assert.match(page.text, /rising trust/);
});
