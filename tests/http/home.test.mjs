// home.test.mjs: the shell. The home registry (GET / and GET /api/v1/home):
// what needs the caller now, ordered overdue first whatever provider added
// it, the empty state, health tiles for managers and up only, scoped; "What
// you may decide" on the home page and every person's page; and the
// navigation: five groups at most, links and groups a caller may not use
// left out, one <details> menu that works without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, USERS } from './lib.mjs';

let srv, owner, manager, member, ORG;
const ids = {};
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const home = async (c) => { const r = await c.get('/api/v1/home'); assert.equal(r.status, 200, r.text); return r.json; };
const keys = (h) => h.items.map((i) => i.key);
const day = (n) => new Date(Date.now() + n * 86400e3).toISOString().slice(0, 10);

before(async () => {
  srv = await startServer();
  owner = await srv.login(USERS.owner);
  manager = await srv.login(USERS.manager);
  member = await srv.login(USERS.member);
  for (const [k, c] of Object.entries({ owner, manager, member })) ids[k] = (await c.get('/api/v1/session')).json.person.id;
  ORG = Number(sql("SELECT id FROM org WHERE name = 'Org A'"));
  sql(`INSERT INTO domain(org_id,slug,label,risk,created_at) VALUES(${ORG},'refund','refunds','low',0)`);
  sql(`INSERT INTO domain(org_id,slug,label,risk,created_at) VALUES(${ORG},'equipment','equipment purchases','high',0)`);
});
after(async () => { await srv.stop(); });

test('home-1: a member with nothing waiting sees the empty state, no tiles, and that she holds no rights', async () => {
  const h = await home(member);
  assert.deepEqual(h.items, []);
  assert.deepEqual(h.tiles, [], 'members get no health tiles');
  assert.equal(h.scope, null);
  assert.deepEqual(h.may_decide, []);
  const page = await member.get('/');
  assert.equal(page.status, 200);
  assert.match(page.text, /<h2 id="needs-h">What needs you now<\/h2><p class="muted empty">Nothing is waiting for you/);
  assert.ok(page.text.indexOf('id="needs-h"') < page.text.indexOf('id="may-h"') && page.text.indexOf('id="may-h"') < page.text.indexOf('class="card can-box'),
    '"What needs you now" comes first, then what she may decide, then "Can I?"');
  assert.doesNotMatch(page.text, /organisation is doing/, 'no health section for a member');
  assert.match(page.text, /<h2 id="may-h">What you may decide<\/h2><p class="muted empty">You hold no decision rights yet/);
});

test('home-2: what needs the caller, with counts and links, overdue first whatever the order providers add it in', async () => {
  const dom = Number(sql(`SELECT id FROM domain WHERE org_id = ${ORG} AND slug = 'refund'`));
  // the manager may decide refunds; the member may not, so hers go to him
  sql(`INSERT INTO decision_right(org_id,person_id,domain_id,level,created_at,updated_at) VALUES(${ORG},${ids.manager},${dom},7,0,0)`);
  for (const t of ['Refund a cake', 'Refund a tart']) {
    const r = await member.post('/api/v1/decisions', { domain: 'refund', title: t, risk: 2, reward: 3 });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.status, 'pending');
  }
  let h = await home(manager);
  assert.deepEqual(keys(h), ['approvals', 'notifications'], 'the requests and the notes that announced them');
  assert.deepEqual(h.items[0], { key: 'approvals', label: 'decisions waiting for your answer', count: 2, href: '/inbox#approvals', urgency: 'waiting' });

  // his own decision whose review day has passed: the decisions provider
  // adds it after the approvals, yet overdue comes first
  const mine = await manager.post('/api/v1/decisions', { domain: 'refund', title: 'Refund a delivery', risk: 1, reward: 2, review_on: day(-2) });
  assert.equal(mine.status, 201, mine.text);
  assert.equal(mine.json.status, 'decided');
  h = await home(manager);
  assert.deepEqual(keys(h), ['outcomes_overdue', 'approvals', 'notifications']);
  assert.equal(h.items[0].urgency, 'overdue');
  assert.equal(h.items[0].count, 1);

  // an autonomy suggestion about the member (a later provider, "waiting")
  // comes before the unread notifications (the first provider, "info")
  sql(`INSERT INTO autonomy_suggestion(org_id,person_id,domain_id,kind,current_level,suggested_level,n,good_halves,lower_bound,status,created_at) ` +
    `VALUES(${ORG},${ids.member},${dom},'raise',5,7,10,20,0.9,'open',0)`);
  h = await home(manager);
  assert.deepEqual(keys(h), ['outcomes_overdue', 'approvals', 'autonomy', 'notifications']);

  // requests waiting for more than three days are overdue too
  sql(`UPDATE decision SET requested_at = requested_at - 4 * 86400 WHERE route_to_id = ${ids.manager} AND status = 'pending'`);
  h = await home(manager);
  // (equally urgent: in the order they were added)
  assert.deepEqual(h.items.slice(0, 2).map((i) => [i.key, i.urgency]), [['approvals', 'overdue'], ['outcomes_overdue', 'overdue']]);

  // the page says the same, in the same order, with links
  const page = await manager.get('/');
  const list = page.text.match(/<ul class="needs-list">(.*?)<\/ul>/)[1];
  const hrefs = [...list.matchAll(/<a href="([^"]+)"><strong class="n">(\d+)<\/strong>/g)].map((m) => [m[1], Number(m[2])]);
  assert.deepEqual(hrefs, h.items.map((i) => [i.href, i.count]));
  assert.deepEqual(hrefs.slice(0, 3), [['/inbox#approvals', 2], ['/inbox#reviews', 1], ['/autonomy', 1]]);
  // the member's own count: nothing routed to her
  assert.deepEqual(keys(await home(member)), []);
  // the links lead somewhere: the inbox has the sections they name
  const inbox = await manager.get('/inbox');
  for (const id of ['approvals', 'reviews', 'notifications', 'advice', 'to-decide']) assert.match(inbox.text, new RegExp(`<section class="card" id="${id}">`));
});

test('home-3: managers see the health of their part, admins and owners of the organisation, each figure linking to its page', async () => {
  const want = ['autonomous_share', 'median_wait_hours', 'pending_autonomy', 'ideas_unanswered_30d'];
  const m = await home(manager);
  assert.equal(m.scope, 'yours');
  assert.deepEqual(m.tiles.map((t) => t.key), want);
  const share = m.tiles[0];
  // the manager's part: the member's two pending refunds and his own decided one
  assert.equal(share.value, 0.333);
  assert.equal(share.text, '33%');
  assert.match(share.href, /^\/insights\?from=\d{4}-\d\d-\d\d$/);
  assert.equal(m.tiles.find((t) => t.key === 'pending_autonomy').value, 1);
  assert.equal(m.tiles.find((t) => t.key === 'ideas_unanswered_30d').value, 0);
  const o = await home(owner);
  assert.equal(o.scope, 'organisation');
  assert.deepEqual(o.tiles.map((t) => t.key), want);
  const mp = await manager.get('/');
  assert.match(mp.text, /<h2 id="health-h">How your part of the organisation is doing<\/h2>/);
  assert.match(mp.text, /<a href="\/insights\?from=[\d-]+"><strong>33%<\/strong> of decisions taken without waiting/);
  assert.match(mp.text, /<a href="\/autonomy"><strong>1<\/strong> pending autonomy suggestions/);
  assert.match((await owner.get('/')).text, /<h2 id="health-h">How the organisation is doing<\/h2>/);
  // each tile's page answers
  for (const t of m.tiles) assert.equal((await manager.get(t.href)).status, 200, t.href);
});

test('home-4: what a person may decide, on her home page, in the API and on her person page; expired rights left out', async () => {
  const dom = Number(sql(`SELECT id FROM domain WHERE org_id = ${ORG} AND slug = 'equipment'`));
  sql(`INSERT INTO role(org_id,name,purpose,version,created_at,updated_at) VALUES(${ORG},'Counter lead','Runs the counter',1,0,0)`);
  const role = Number(sql(`SELECT id FROM role WHERE org_id = ${ORG} AND name = 'Counter lead'`));
  sql(`INSERT INTO role_holder(org_id,role_id,person_id,since) VALUES(${ORG},${role},${ids.member},0)`);
  sql(`INSERT INTO decision_right(org_id,role_id,domain_id,level,limit_cents,advisor_id,created_at,updated_at) VALUES(${ORG},${role},${dom},5,50000,${ids.owner},0,0)`);
  const refund = Number(sql(`SELECT id FROM domain WHERE org_id = ${ORG} AND slug = 'refund'`));
  sql(`INSERT INTO decision_right(org_id,person_id,domain_id,level,limit_cents,expires_on,created_at,updated_at) VALUES(${ORG},${ids.member},${refund},7,2000,'${day(30)}',0,0)`);
  sql(`INSERT INTO decision_right(org_id,person_id,domain_id,level,expires_on,created_at,updated_at) VALUES(${ORG},${ids.member},${refund},6,'${day(-1)}',0,0)`);
  const h = await home(member);
  assert.deepEqual(h.may_decide.map((x) => [x.domain, x.level, x.limit, x.role?.name ?? null, x.advisor?.id ?? null, x.expires_on]),
    [['equipment', 5, '500.00', 'Counter lead', ids.owner, null], ['refund', 7, '20.00', null, null, day(30)]]);
  const page = (await member.get('/')).text;
  const card = page.match(/<section class="card may-decide"[^>]*>(.*?)<\/section>/)[1];
  assert.match(card, /<h2 id="may-h">What you may decide<\/h2>/);
  assert.match(card, /<td>equipment purchases<\/td><td><a href="\/rights\/\d+">5 · advise<\/a><\/td><td>500\.00<\/td><td><a href="\/people\/\d+">Olive Owner<\/a><\/td><td><span class="muted">never<\/span><\/td><td><a href="\/roles\/\d+">Counter lead<\/a><\/td>/);
  assert.match(card, new RegExp(`<td>refunds</td><td><a href="/rights/\\d+">7 · delegate</a></td><td>20\\.00</td><td></td><td><time datetime="${day(30)}">`));
  assert.doesNotMatch(card, /6 · inquire/, 'the expired right is not something she may decide');
  // on her person page, as seen by her manager; and as she sees it herself
  const seen = (await manager.get(`/people/${ids.member}`)).text;
  assert.match(seen, /<h2 id="may-h">What Mia Member may decide<\/h2>/);
  assert.match(seen, /Counter lead/);
  assert.match((await member.get(`/people/${ids.member}`)).text, /<h2 id="may-h">What you may decide<\/h2>/);
  // someone with no rights
  assert.match((await member.get(`/people/${ids.owner}`)).text, /What Olive Owner may decide<\/h2><p class="muted empty">No decision rights yet/);
  // another organisation's people stay 404
  const other = await srv.login(USERS.other);
  assert.equal((await other.get(`/people/${ids.member}`)).status, 404);
});

// nav: the groups (summary texts) and link hrefs of a page's main navigation.
function nav(html) {
  const m = html.match(/<nav aria-label="Main" class="main-nav">(.*?)<\/nav>/);
  assert.ok(m, 'the page has the main navigation');
  return {
    groups: [...m[1].matchAll(/<details class="group"><summary[^>]*>([^<]+)<\/summary>/g)].map((x) => x[1]),
    links: [...m[1].matchAll(/<a (?:class="[^"]*" )?href="([^"]+)"/g)].map((x) => x[1]),
    html: m[1],
  };
}

test('nav-1: five groups at most, links and groups a caller may not use are not shown, every link answers', async () => {
  const mem = nav((await member.get('/')).text);
  assert.deepEqual(mem.groups, ['Purpose', 'Decide', 'Speak up', 'Grow'], 'Grow holds Skills and Training; Evidence has none a member may use');
  assert.ok(mem.links.includes('/skills') && mem.links.includes('/training') && !mem.links.includes('/fairness'));
  assert.ok(['/recognitions', '/feedback', '/one-to-ones', '/reviews360'].every((h) => mem.links.includes(h)), 'Grow: recognition, feedback, one-to-ones, 360s');
  assert.ok(!mem.links.includes('/insights') && !mem.links.includes('/audit'));
  assert.ok(mem.links.includes('/decisions') && mem.links.includes('/can') && mem.links.includes('/inbox'));
  const man = nav((await manager.get('/')).text);
  assert.deepEqual(man.groups, ['Purpose', 'Decide', 'Speak up', 'Grow', 'Evidence']);
  assert.ok(man.links.includes('/insights') && man.links.includes('/insights/ideas') && !man.links.includes('/audit') && !man.links.includes('/fairness'));
  const own = nav((await owner.get('/')).text);
  assert.ok(own.groups.length <= 5);
  assert.ok(own.links.includes('/audit'));
  for (const href of own.links) assert.equal((await owner.get(href.replace(/#.*/, ''))).status, 200, href);
  // the menu is <details>/<summary>: it opens without JavaScript
  assert.match(mem.html, /^<details class="menu"><summary>Menu<\/summary><ul class="groups">/);
  // the person's menu holds the account and log out
  const page = (await member.get('/decisions')).text;
  assert.match(page, /<details class="me"><summary><span class="who">Mia Member<\/span><\/summary><ul><li><a href="\/account">Your account<\/a>/);
  assert.match(page, /<form method="post" action="\/logout">/);
  // the current page is marked, and its group
  assert.match(page, /<summary class="current">Decide<\/summary>/);
  assert.match(page, /<a href="\/decisions" aria-current="page">Decisions<\/a>/);
  // logged out: no navigation at all
  assert.doesNotMatch((await srv.anon().get('/login')).text, /aria-label="Main"/);
});

test('nav-2: the inbox count is a plain number with hidden words (valid HTML: no aria-label on a span)', async () => {
  const page = (await manager.get('/org')).text;
  const n = Number(sql(`SELECT (SELECT count(*) FROM decision WHERE route_to_id = ${ids.manager} AND status = 'pending') + ` +
    `(SELECT count(*) FROM notification WHERE person_id = ${ids.manager} AND read_at IS NULL)`));
  assert.ok(n > 0);
  assert.match(page, new RegExp(`<a class="inbox" href="/inbox">Inbox <span class="count">${n}</span><span class="sr-only"> waiting</span></a>`));
  assert.doesNotMatch(page, /<span[^>]*aria-label/);
  assert.match((await member.get('/org')).text, /<a class="inbox" href="\/inbox">Inbox<\/a>/, 'no count when nothing waits');
});

test('home-5: the home API needs a login, and ignores what another organisation has waiting', async () => {
  assert.equal((await srv.anon().get('/api/v1/home')).status, 401);
  const other = await srv.login(USERS.other);
  const h = await home(other);
  assert.deepEqual(h.items, []);
  assert.equal(h.scope, 'organisation');
  const share = h.tiles.find((t) => t.key === 'autonomous_share');
  assert.equal(share.value, null, 'Org B has no decisions: nothing to measure');
  assert.equal(share.text, 'none');
});
