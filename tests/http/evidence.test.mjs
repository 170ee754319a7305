// evidence.test.mjs: issue 15 over HTTP: people history in the people API
// and the CSV import, the KPI series against values worked out by hand,
// the k = 5 rule with complementary suppression, value imports all or
// nothing, the dashboards and the monthly report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, USERS } from './lib.mjs';

let srv, owner, admin, manager, member, other;
const q = (sql) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, sql], { encoding: 'utf8' }).trim();
const HEADER = 'name,email,team,manager_email,title,access,started_on,left_on,leave_reason';

before(async () => {
  srv = await startServer();
  owner = await srv.login(USERS.owner);
  admin = await srv.login(USERS.admin);
  manager = await srv.login(USERS.manager);
  member = await srv.login(USERS.member);
  other = await srv.login(USERS.other);
  // Bakery: 10 from 2025-01-01, one resigned 2025-03-10, one dismissed 2025-03-31 (8 now).
  // Cafe: 6 from 2025-01-01. Tiny: 3 from 2025-01-01.
  const rows = [HEADER];
  for (let i = 0; i < 10; i++) {
    const left = i === 0 ? '2025-03-10,resigned' : i === 1 ? '2025-03-31,dismissed' : ',';
    rows.push(`Baker ${i},baker${i}@ev.test,Bakery,,Baker,,2025-01-01,${left}`);
  }
  for (let i = 0; i < 6; i++) rows.push(`Server ${i},server${i}@ev.test,Cafe,,Server,,2025-01-01,,`);
  for (let i = 0; i < 3; i++) rows.push(`Tiny ${i},tiny${i}@ev.test,Tiny,,Clerk,,2025-01-01,,`);
  const r = await admin.req('POST', '/api/v1/people/import', { body: rows.join('\n') + '\n', headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 201, r.text);
});
after(async () => { await srv.stop(); });

async function kpi(c, slug) {
  const r = await c.get('/api/v1/kpis');
  assert.equal(r.status, 200, r.text);
  return r.json.items.find((k) => k.slug === slug);
}
const teamId = (name) => Number(q(`SELECT id FROM team WHERE name = '${name}'`));
const series = (c, id, qs) => c.get(`/api/v1/kpis/${id}/series?${qs}`);

test('evidence-1.1: the import stores the history; a leaving day that has come makes them "left"', () => {
  assert.equal(q("SELECT started_on || ' ' || left_on || ' ' || leave_reason || ' ' || status FROM person WHERE email = 'baker0@ev.test'"), '2025-01-01 2025-03-10 resigned left');
  assert.equal(q("SELECT status || ' ' || coalesce(left_on, '-') FROM person WHERE email = 'baker5@ev.test'"), 'active -');
});

test('evidence-1.4: the history is HR data: admins see it, other people do not', async () => {
  const id = q("SELECT id FROM person WHERE email = 'baker1@ev.test'");
  assert.equal((await admin.get(`/api/v1/people/${id}`)).json.leave_reason, 'dismissed');
  const seen = (await manager.get(`/api/v1/people/${id}`)).json;
  assert.ok(!('leave_reason' in seen) && !('left_on' in seen) && !('started_on' in seen), JSON.stringify(seen));
  assert.doesNotMatch((await manager.get(`/people/${id}`)).text, /dismissed|Left<\/dt>/);
});

test('evidence-1.2: an import with a bad history row imports nothing and names the lines', async () => {
  const before = q('SELECT count(*) FROM person');
  const csv = [HEADER, 'A One,a1@ev.test,,,,,2025-02-01,2025-01-01,', 'B Two,b2@ev.test,,,,,,,resigned', 'C Three,c3@ev.test,,,,,2025-02-30,,',
    'D Four,d4@ev.test,,,,,,2025-05-01,fired'].join('\n');
  const r = await admin.req('POST', '/api/v1/people/import', { body: csv, headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 422);
  const lines = r.json.error.details.map((d) => d.line);
  assert.deepEqual(lines, [2, 3, 4, 5]);
  assert.match(r.json.error.details[0].message, /left_on is before started_on/);
  assert.match(r.json.error.details[1].message, /needs a left_on/);
  assert.equal(q('SELECT count(*) FROM person'), before);
});

test('evidence-1.3: the people API reads and validates the history; setting a past leaving day ends the sessions', async () => {
  const me = (await member.get('/api/v1/session')).json.person;
  let r = await admin.patch(`/api/v1/people/${me.id}`, { started_on: '2024-05-01' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.started_on, '2024-05-01');
  assert.equal(r.json.left_on, null);
  r = await admin.patch(`/api/v1/people/${me.id}`, { left_on: '2024-04-01' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'left_on');
  r = await admin.patch(`/api/v1/people/${me.id}`, { leave_reason: 'career' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'leave_reason');
  r = await admin.patch(`/api/v1/people/${me.id}`, { left_on: '2026-01-05', leave_reason: 'sacked' });
  assert.equal(r.status, 422);
  r = await member.patch(`/api/v1/people/${me.id}`, { started_on: '2020-01-01' });
  assert.equal(r.status, 403, 'a member cannot change their own history');
  assert.equal((await member.get('/api/v1/session')).status, 200);
  r = await admin.patch(`/api/v1/people/${me.id}`, { left_on: '2026-01-05', leave_reason: 'career' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'left');
  assert.equal(r.json.leave_reason, 'career');
  assert.equal((await member.get('/api/v1/session')).status, 401, 'leaving ended the session');
  const page = await admin.get(`/people/${me.id}/edit`);
  assert.match(page.text, /name="left_on"[^>]*value="2026-01-05"/);
  assert.match(page.text, /<option value="career" selected>/);
});

test('evidence-2.1: turnover against hand-computed values (Bakery, March 2025: 2 left over an average of 9)', async () => {
  const k = await kpi(owner, 'turnover');
  const bakery = teamId('Bakery');
  const r = await series(owner, k.id, `team_id=${bakery}&from=2025-01&to=2025-03`);
  assert.equal(r.status, 200, r.text);
  // January and February: 10 on the first and the last day, nobody left: 0%.
  // March: 10 on the first day, 8 on the last (left_on is the first day away), average 9: 2 / 9 = 22.22%.
  assert.deepEqual(r.json.items.map((i) => i.value), [0, 0, 22.22]);
  const vol = await kpi(owner, 'turnover_voluntary_12m');
  // Twelve months to 2025-03: average headcounts 0 x 9, 10, 10, 9: mean 29 / 12; one voluntary leaver: 12 / 29 = 41.38%.
  const rv = await series(owner, vol.id, `team_id=${bakery}&from=2025-03&to=2025-03`);
  assert.equal(rv.json.items[0].value, 41.38);
});

test('evidence-2.2: a team below k is hidden, and so is the sibling that would give it away', async () => {
  const k = await kpi(owner, 'turnover');
  const tiny = await series(owner, k.id, `team_id=${teamId('Tiny')}&from=2025-03&to=2025-03`);
  assert.equal(tiny.json.items[0].hidden, true);
  assert.equal(tiny.json.items[0].value, null);
  // Cafe (6) is the smallest shown sibling: the organisation minus Bakery minus Cafe would be Tiny, so Cafe is hidden too.
  const cafe = await series(owner, k.id, `team_id=${teamId('Cafe')}&from=2025-03&to=2025-03`);
  assert.equal(cafe.json.items[0].hidden, true);
  const bakery = await series(owner, k.id, `team_id=${teamId('Bakery')}&from=2025-03&to=2025-03`);
  assert.equal(bakery.json.items[0].hidden, false);
  const page = await owner.get(`/kpis/${k.id}?team_id=${teamId('Tiny')}&from=2025-03&to=2025-03`);
  assert.equal(page.status, 200);
  assert.match(page.text, /hidden \(fewer than 5 people\)/);
});

test('evidence-3.1: absence imported per person is stored as team totals and divided by headcount', async () => {
  const k = await kpi(owner, 'absenteeism');
  const csv = 'email,date,days\nbaker2@ev.test,2025-03-03,3\nbaker3@ev.test,2025-03-20,1.5\n';
  const r = await admin.req('POST', `/api/v1/kpis/${k.id}/values`, { body: csv, headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(q(`SELECT count(*) FROM kpi_value WHERE kpi_id = ${k.id}`), '1', 'one team total, no row per person');
  assert.equal(q(`SELECT value FROM kpi_value WHERE kpi_id = ${k.id}`), '4.5');
  const s = await series(owner, k.id, `team_id=${teamId('Bakery')}&from=2025-03&to=2025-03`);
  assert.equal(s.json.items[0].value, 0.5); // 4.5 days / 9 people
});

test('evidence-3.2: a values file with any bad row imports nothing and lists each line', async () => {
  const k = await kpi(owner, 'csat');
  const before = q('SELECT count(*) FROM kpi_value');
  const csv = 'month,team,value\n2025-03,Cafe,88\n2025-3,Cafe,80\n2025-04,Nowhere,70\n2025-04,,lots\n';
  const r = await admin.req('POST', `/api/v1/kpis/${k.id}/values`, { body: csv, headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.error.details.map((d) => d.line), [3, 4, 5]);
  assert.equal(q('SELECT count(*) FROM kpi_value'), before);
  const bad = await admin.req('POST', `/api/v1/kpis/${k.id}/values`, { body: '{}', headers: { 'content-type': 'text/plain' } });
  assert.equal(bad.status, 415);
});

test('evidence-3.3: CSAT per team; the organisation is the mean of its teams; JSON values; CSV export', async () => {
  const k = await kpi(owner, 'csat');
  let r = await admin.post(`/api/v1/kpis/${k.id}/values`, { values: [{ month: '2025-03', team_id: teamId('Cafe'), value: 90 }, { month: '2025-03', team_id: teamId('Bakery'), value: 80 }] });
  assert.equal(r.status, 201, r.text);
  r = await series(owner, k.id, 'from=2025-03&to=2025-03');
  assert.equal(r.json.items[0].value, 85);
  r = await series(owner, k.id, `team_id=${teamId('Cafe')}&from=2025-03&to=2025-03`);
  assert.equal(r.json.items[0].value, 90, 'CSAT is not about people: no k rule');
  const csv = await owner.get(`/api/v1/kpis/${k.id}/series?format=csv&from=2025-02&to=2025-03`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  assert.match(csv.text, /^month,value,hidden\r\n2025-02,,false\r\n2025-03,85,false\r\n$/);
  const turn = await kpi(owner, 'turnover');
  r = await admin.post(`/api/v1/kpis/${turn.id}/values`, { values: [{ month: '2025-03', value: 1 }] });
  assert.equal(r.status, 409, 'computed KPIs take no values');
});

test('evidence-4.1: define a KPI, set a target; permissions and organisations', async () => {
  let r = await admin.post('/api/v1/kpis', { name: 'Waste', unit: 'kg', direction: 'down', scope: 'team', target: 20 });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.kind, 'entered');
  assert.equal(r.json.target, 20);
  const id = r.json.id;
  r = await admin.post('/api/v1/kpis', { name: 'Bad', direction: 'sideways' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'direction');
  r = await manager.post('/api/v1/kpis', { name: 'X', direction: 'up' });
  assert.equal(r.status, 403);
  assert.equal((await other.get(`/api/v1/kpis/${id}/series`)).status, 404, 'another organisation');
  const t = await kpi(owner, 'turnover');
  r = await admin.patch(`/api/v1/kpis/${t.id}`, { target: 1.5 });
  assert.equal(r.status, 200);
  assert.equal(r.json.target, 1.5);
  r = await admin.patch(`/api/v1/kpis/${t.id}`, { name: 'Churn' });
  assert.equal(r.status, 422, 'a computed KPI keeps its name');
  r = await owner.get('/api/v1/kpis/1/series?from=2025-13');
  assert.equal(r.status, 400);
});

test('evidence-5.1: the dashboard, a star on the home, and the monthly report with its CSV', async () => {
  const t = await kpi(owner, 'turnover');
  let r = await owner.get('/kpis');
  assert.equal(r.status, 200);
  assert.match(r.text, /<svg class="kpi-chart"/);
  assert.match(r.text, new RegExp(`href="/kpis/${t.id}#how"`));
  r = await owner.form(`/kpis/${t.id}/star`, {});
  assert.equal(r.status, 303);
  const home = await owner.get('/api/v1/home');
  assert.ok(JSON.stringify(home.json).includes(`kpi_${t.id}`), 'the starred KPI is a home tile');
  r = await owner.get(`/kpis/report?team_id=${teamId('Bakery')}&month=2025-03`);
  assert.equal(r.status, 200);
  assert.match(r.text, /22\.2 %/);
  assert.match(r.text, /class="card filters no-print"/);
  r = await owner.get(`/kpis/report?team_id=${teamId('Bakery')}&month=2025-03&format=csv`);
  assert.match(r.headers.get('content-type'), /text\/csv/);
  assert.match(r.text, /Turnover \(month\),%,down,2025-03,22\.22,0\.00,,1\.5/);
});

test('evidence-6.1: the programme: validation, its checklist through the actions service, who sees it', async () => {
  const cafe = teamId('Cafe'), bakery = teamId('Bakery');
  let r = await admin.req('PUT', '/api/v1/programme', { json: { pilot_team_ids: [cafe], comparison_team_ids: [cafe] } });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'comparison_team_ids');
  const otherTeam = (await other.post('/api/v1/teams', { name: 'Elsewhere' })).json.id;
  r = await admin.req('PUT', '/api/v1/programme', { json: { pilot_team_ids: [otherTeam] } });
  assert.equal(r.status, 422, 'a team of another organisation');
  assert.equal(q('SELECT count(*) FROM programme'), '0', 'nothing stored by a refused change');
  r = await manager.req('PUT', '/api/v1/programme', { json: { phase: 'pilot' } });
  assert.equal(r.status, 403);
  const csat = await kpi(owner, 'csat');
  r = await admin.req('PUT', '/api/v1/programme', { json: { phase: 'pilot', pilot_start: '2025-03-01', pilot_team_ids: [cafe], comparison_team_ids: [bakery], kpi_ids: [csat.id] } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.phase, r.json.pilot_team_ids, r.json.comparison_team_ids, r.json.kpi_ids], ['pilot', [cafe], [bakery], [csat.id]]);
  r = await admin.post('/api/v1/programme/actions', { phase: 'pilot', title: 'Train the shift leads', due_on: '2099-01-01' });
  assert.equal(r.status, 201, r.text);
  assert.equal(q(`SELECT source_kind || ':' || phase FROM action_item a JOIN programme_action pa ON pa.action_id = a.id WHERE a.id = ${r.json.id}`), 'programme:pilot');
  r = await admin.post('/api/v1/programme/actions', { phase: 'later', title: 'x' });
  assert.equal(r.status, 422);
  const p = await manager.get('/api/v1/programme');
  assert.equal(p.status, 200);
  assert.equal(p.json.actions.length, 1);
  assert.equal((await other.get('/api/v1/programme')).json.id, null, 'another organisation has its own (none)');
  // the comparison: CSAT has only March 2025 for Cafe and no Bakery values: no conclusion
  const c = await manager.get('/api/v1/programme/comparison');
  assert.equal(c.status, 200);
  assert.equal(c.json.items[0].conclusion, 'insufficient_months');
  assert.equal(c.json.items[0].estimate, null);
  assert.match(c.json.method, /bootstrap over months/);
  const home = await owner.get('/api/v1/home');
  assert.ok(JSON.stringify(home.json).includes('"programme"'), 'the programme\'s phase is a home tile');
});

test('evidence-6.2: ROI: missing baselines say so; assumptions are the organisation\'s own', async () => {
  let r = await manager.get('/api/v1/roi');
  assert.equal(r.status, 200);
  const line = (k) => r.json.lines.find((l) => l.key === k);
  // no training completed and no review in the fixture: a cost of 0, with its inputs (count; hours each; staff hour)
  assert.equal(line('training_hours').value, '0.00');
  assert.equal(line('training_hours').inputs, '0; 4.0; 23');
  assert.equal(line('review_time').value, '0.00');
  // one training completed 40 days ago, inside the table's last 12 complete months (an hour of staff time costs 23 by
  // default): 1 x 4 h x 23 = 92.00
  const now = Math.floor(Date.now() / 1000) - 40 * 86400;
  q(`INSERT INTO training(org_id, kind, title, created_at) VALUES (1, 'session', 'ROI session', ${now})`);
  q(`INSERT INTO training_plan(org_id, person_id, training_id, status, proposed_at, completed_at) SELECT 1, min(id), (SELECT max(id) FROM training), 'completed', ${now}, ${now} FROM person WHERE org_id = 1`);
  r = await manager.get('/api/v1/roi');
  assert.equal(line('training_hours').value, '92.00');
  assert.equal(line('training_hours').inputs, '1; 4.0; 23');
  q(`DELETE FROM training_plan WHERE training_id = (SELECT max(id) FROM training)`);
  assert.equal(line('absence_avoided').value, null);
  assert.match(line('absence_avoided').missing, /No baseline/);
  assert.equal(r.json.complete, false);
  assert.equal(r.json.assumptions.find((a) => a.key === 'leaver_cost_share').default, 20);
  r = await admin.req('PUT', '/api/v1/roi/assumptions', { json: { annual_pay: 41000, leaver_cost_share: 120 } });
  assert.equal(r.status, 422, 'a share over 100');
  r = await admin.req('PUT', '/api/v1/roi/assumptions', { json: { annual_pay: 41000 } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.assumptions.find((a) => a.key === 'annual_pay').value, 41000);
  assert.equal((await other.get('/api/v1/roi')).json.assumptions.find((a) => a.key === 'annual_pay').value, 38000);
  r = await admin.req('PUT', '/api/v1/roi/assumptions', { json: { bonus: 1 } });
  assert.equal(r.status, 400);
});

test('evidence-6.3: an idea\'s estimated value: who manages its challenge sets it; it shows on the idea\'s page', async () => {
  const ch = await owner.post('/api/v1/challenges', { title: 'Waste less bread', body: '', scope: 'org', phase: 'open' });
  assert.equal(ch.status, 201, ch.text);
  const idea = await manager.post(`/api/v1/challenges/${ch.json.id}/ideas`, { title: 'Sell yesterday\'s loaves cheaper', body: '' });
  assert.equal(idea.status, 201, idea.text);
  const id = idea.json.id;
  let r = await manager.put(`/api/v1/ideas/${id}/value`, { value: '900' });
  assert.equal(r.status, 403, 'a manager who does not manage the organisation\'s challenge');
  r = await owner.put(`/api/v1/ideas/${id}/value`, { value: '12.345' });
  assert.equal(r.status, 422);
  r = await owner.put(`/api/v1/ideas/${id}/value`, { value: '1200.50' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { id, value: '1200.50' });
  assert.equal(q(`SELECT value_cents FROM idea WHERE id = ${id}`), '120050');
  assert.equal((await other.put(`/api/v1/ideas/${id}/value`, { value: '1' })).status, 404, 'another organisation');
  const page = await owner.get(`/ideas/${id}`);
  assert.match(page.text, /Estimated value/);
  assert.match(page.text, /name="value" type="text" value="1200.50"/);
});
