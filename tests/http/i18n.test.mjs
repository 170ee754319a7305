// i18n.test.mjs: remit speaks the reader's language. The choice is the
// person's own language, else their organisation's default, else the
// browser's Accept-Language (by q-value), else English; ?lang= overrides
// all. The API keeps its codes and machine formats; its messages follow
// the same choice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, USERS } from './lib.mjs';

const DE = { 'accept-language': 'fr;q=0.9, de-DE;q=0.8, en;q=0.3' };

test('i18n-1: the login page follows Accept-Language, q-values included', async () => {
  const srv = await startServer();
  try {
    const a = srv.anon();
    let r = await a.get('/login', { headers: DE });
    assert.equal(r.status, 200);
    assert.match(r.text, /<html lang="de">/);
    assert.match(r.text, /<h1>Bei remit anmelden<\/h1>/);
    assert.match(r.text, /<button type="submit">Anmelden<\/button>/);
    r = await a.get('/login', { headers: { 'accept-language': 'de;q=0.2, en;q=0.9' } });
    assert.match(r.text, /<html lang="en">/);
    assert.match(r.text, /<h1>Log in to remit<\/h1>/);
    r = await a.get('/login', { headers: { 'accept-language': 'fr, it;q=0.5' } });
    assert.match(r.text, /Log in to remit/, 'nothing supported: English');
    r = await a.get('/login');
    assert.match(r.text, /Log in to remit/);
    r = await a.get('/login?lang=de');
    assert.match(r.text, /Bei remit anmelden/, '?lang= chooses too');
    r = await a.get('/nowhere', { headers: DE });
    assert.equal(r.status, 404);
    assert.match(r.text, /<h1>Nicht gefunden<\/h1><p class="lead">Unter dieser Adresse gibt es nichts\.<\/p>/);
  } finally { await srv.stop(); }
});

test('i18n-2: person > organisation > Accept-Language > English', async () => {
  const srv = await startServer();
  try {
    const owner = await srv.login(USERS.owner);
    const member = await srv.login(USERS.member);
    const me = (await member.get('/api/v1/session')).json.person;
    const home = async (headers = {}) => (await member.get('/', { headers })).text;
    assert.match(await home(), /<html lang="en">/);
    assert.match(await home(DE), /<html lang="de">.*Abmelden/s, 'no choice made: the browser decides');

    let r = await owner.patch('/api/v1/org', { language: 'en' });
    assert.equal(r.status, 200);
    assert.equal(r.json.language, 'en');
    assert.match(await home(DE), /<html lang="en">.*Log out/s, 'the organisation default beats the browser');

    r = await member.patch(`/api/v1/people/${me.id}`, { language: 'de' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.language, 'de');
    assert.match(await home(), /<html lang="de">.*Abmelden/s, 'the person beats the organisation');
    assert.equal((await owner.get(`/api/v1/people/${me.id}`)).json.language, 'de');

    r = await member.patch(`/api/v1/people/${me.id}`, { language: null });
    assert.equal(r.json.language, null);
    assert.match(await home(DE), /<html lang="en">/, 'null: the organisation default again');
    r = await owner.patch('/api/v1/org', { language: null });
    assert.equal(r.json.language, null);
    assert.match(await home(DE), /<html lang="de">/, 'both null: the browser again');
  } finally { await srv.stop(); }
});

test('i18n-3: bad languages are refused and change nothing; only admins choose for others', async () => {
  const srv = await startServer();
  try {
    const owner = await srv.login(USERS.owner);
    const member = await srv.login(USERS.member);
    const people = (await owner.get('/api/v1/people')).json.items;
    const mia = people.find((p) => p.email === USERS.member), max = people.find((p) => p.email === USERS.manager);
    let r = await owner.patch('/api/v1/org', { language: 'fr' });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.code, 'invalid');
    assert.equal(r.json.error.field, 'language');
    r = await owner.patch('/api/v1/org', { language: 7 });
    assert.equal(r.status, 400);
    assert.equal((await owner.get('/api/v1/org')).json.language, null);
    r = await member.patch(`/api/v1/people/${mia.id}`, { language: 'qps' });
    assert.equal(r.status, 422);
    r = await member.patch(`/api/v1/people/${max.id}`, { language: 'de' });
    assert.equal(r.status, 403);
    assert.equal((await owner.get(`/api/v1/people/${max.id}`)).json.language, null);
    r = await owner.patch(`/api/v1/people/${max.id}`, { language: 'de' });
    assert.equal(r.status, 200);
    assert.equal(r.json.language, 'de');
    r = await owner.post('/api/v1/people', { name: 'Dora Deutsch', email: 'dora@a.test', access: 'member', language: 'de' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.language, 'de');
  } finally { await srv.stop(); }
});

test('i18n-4: API error messages are translated, codes are not', async () => {
  const srv = await startServer();
  try {
    const member = await srv.login(USERS.member);
    let r = await member.get('/api/v1/people/999999', { headers: DE });
    assert.equal(r.status, 404);
    assert.equal(r.json.error.code, 'not_found');
    assert.equal(r.json.error.message, 'Diese Person gibt es nicht.');
    r = await member.get('/api/v1/people/999999');
    assert.equal(r.json.error.message, 'There is no such person.');
    r = await member.post('/api/v1/org', {}, { headers: DE });
    assert.equal(r.status, 405);
    assert.equal(r.json.error.code, 'method_not_allowed');
    assert.equal(r.json.error.message, 'Diese Adresse nimmt kein POST an.', 'a translated format keeps its %s');
    r = await member.patch('/api/v1/people/1', { nonsense: 1 }, { headers: DE });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.message, 'Unbekanntes Feld „nonsense“.');
  } finally { await srv.stop(); }
});

test('i18n-5: forms: the org default and a person language from the pages; the form speaks German', async () => {
  const srv = await startServer();
  try {
    const owner = await srv.login(USERS.owner);
    let r = await owner.get('/org/edit');
    assert.match(r.text, /<select id="f-language" name="language"><option value="">Each person&#39;s browser decides<\/option>/);
    const org = (await owner.get('/api/v1/org')).json;
    r = await owner.form('/org/edit', { name: org.name, purpose: org.purpose, vision: org.vision, values: '', language: 'de' });
    assert.equal(r.status, 303, r.text);
    assert.equal((await owner.get('/api/v1/org')).json.language, 'de');
    r = await owner.get('/org/edit');
    assert.match(r.text, /<html lang="de">/);
    assert.match(r.text, /<option value="de" lang="de" selected>Deutsch<\/option>/);
    assert.match(r.text, /<label for="f-language">Standardsprache<\/label>/);
    r = await owner.form('/org/edit', { name: org.name, language: 'xx' });
    assert.equal(r.status, 422);
    assert.match(r.text, /Die Sprache muss en \(English\) oder de \(Deutsch\) sein/);
    assert.equal((await owner.get('/api/v1/org')).json.language, 'de');

    const me = (await owner.get('/api/v1/session')).json.person;
    r = await owner.form(`/people/${me.id}/edit`, { name: 'Olive Owner', title: '', language: 'en' });
    assert.equal(r.status, 303, r.text);
    assert.equal((await owner.get(`/api/v1/people/${me.id}`)).json.language, 'en');
    assert.match((await owner.get('/account')).text, /<html lang="en">.*Your name, title and language/s);
  } finally { await srv.stop(); }
});

test('i18n-6: money and dates are written the language\'s way on pages, the API keeps machine formats', async () => {
  const srv = await startServer();
  try {
    const owner = await srv.login(USERS.owner);
    const people = (await owner.get('/api/v1/people')).json.items;
    const mia = people.find((p) => p.email === USERS.member);
    let r = await owner.post('/api/v1/domains', { slug: 'refund', label: 'refunds', risk: 'low' });
    assert.equal(r.status, 201, r.text);
    r = await owner.post('/api/v1/rights', { domain: 'refund', person_id: mia.id, level: 7, limit: '1234.50', reason: 'trusted' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.limit, '1234.50', 'the API keeps plain decimals');
    const id = r.json.id;
    r = await owner.get(`/rights/${id}`, { headers: DE });
    assert.match(r.text, /1\.234,50/);
    r = await owner.get(`/rights/${id}`);
    assert.match(r.text, /1,234\.50/);
    const member = await srv.login(USERS.member);
    r = await member.post('/api/v1/decisions', { domain: 'refund', title: 'A refund', amount: '2345.60', risk: 2, reward: 3 });
    assert.equal(r.status, 201, r.text);
    const dec = (await member.get(`/api/v1/decisions/${r.json.id}`)).json;
    assert.equal(dec.amount, '2345.60');
    assert.match(dec.requested_at, /^\d{4}-\d{2}-\d{2}T/, 'ISO 8601 in the API');
    r = await member.get(`/decisions/${dec.id}?lang=de`);
    assert.match(r.text, /2\.345,60/);
    const d = new Date();
    const months = ['Jan.', 'Feb.', 'März', 'Apr.', 'Mai', 'Juni', 'Juli', 'Aug.', 'Sept.', 'Okt.', 'Nov.', 'Dez.'];
    assert.ok(r.text.includes(`${d.getUTCDate()}. ${months[d.getUTCMonth()]} ${d.getUTCFullYear()}`), 'a German date on the page');
  } finally { await srv.stop(); }
});
