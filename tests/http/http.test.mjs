// http.test.mjs: the HTTP details a client relies on. gzip by
// Accept-Encoding (and never without it), Vary, HEAD with the same headers;
// versioned assets with a year's cache, ETag and 304 for assets and the
// OpenAPI document; 415 for bodies that are not JSON; Allow on 405; length
// limits counted in characters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { startServer, USERS, rawGet } from './lib.mjs';

let srv, admin, token;
const auth = () => ({ authorization: `Bearer ${token}` });

before(async () => {
  srv = await startServer();
  admin = await srv.login(USERS.admin);
  token = srv.bearer(USERS.admin).token;
  // enough people that the list is well over 1 KiB
  for (let i = 0; i < 30; i++) assert.equal((await admin.post('/api/v1/people', { name: `Person ${i}`, email: `p${i}@a.test` })).status, 201);
});
after(async () => { await srv.stop(); });

test('http-1: gzip when Accept-Encoding allows it, plain otherwise, the same bytes either way', async () => {
  const path = '/api/v1/people?limit=100';
  const plain = await rawGet(srv.base, path, auth());
  assert.equal(plain.status, 200);
  assert.ok(plain.body.length > 2048, `${plain.body.length} bytes`);
  assert.equal(plain.headers['content-encoding'], undefined, 'no Accept-Encoding: not compressed');
  assert.equal(plain.headers.vary, 'Accept-Encoding');
  for (const ae of ['gzip', 'gzip, deflate, br', 'br;q=1.0, gzip;q=0.8, *;q=0.1', 'identity, *;q=1']) {
    const gz = await rawGet(srv.base, path, { ...auth(), 'accept-encoding': ae });
    assert.equal(gz.headers['content-encoding'], 'gzip', ae);
    assert.equal(gz.headers.vary, 'Accept-Encoding', ae);
    assert.equal(Number(gz.headers['content-length']), gz.body.length, ae);
    assert.ok(gz.body.length < plain.body.length / 2, `${ae}: ${gz.body.length} of ${plain.body.length}`);
    assert.ok(gunzipSync(gz.body).equals(plain.body), `${ae}: decodes to the same bytes`);
  }
  for (const ae of ['gzip;q=0', 'identity', 'deflate, br', 'gzip;q=0, *', '*;q=0', 'gzip;q=nonsense']) {
    const r = await rawGet(srv.base, path, { ...auth(), 'accept-encoding': ae });
    assert.equal(r.headers['content-encoding'], undefined, ae);
    assert.ok(r.body.equals(plain.body), ae);
  }
});

test('http-2: pages, CSS and JS are compressed; tiny answers and PNG-free paths stay plain', async () => {
  const page = await rawGet(srv.base, '/people', { cookie: admin.cookie, 'accept-encoding': 'gzip' });
  assert.equal(page.status, 200);
  assert.equal(page.headers['content-encoding'], 'gzip');
  assert.match(gunzipSync(page.body).toString(), /<h1>People<\/h1>/);
  const css = await rawGet(srv.base, '/assets/app.css', { 'accept-encoding': 'gzip' });
  assert.equal(css.headers['content-encoding'], 'gzip');
  const tiny = await rawGet(srv.base, '/healthz', { 'accept-encoding': 'gzip' });
  assert.equal(tiny.headers['content-encoding'], undefined, 'a 2-byte answer is not worth gzip');
  assert.equal(tiny.body.toString(), 'ok');
  const one = await rawGet(srv.base, '/api/v1/session', { ...auth(), 'accept-encoding': 'gzip' });
  assert.equal(one.headers['content-encoding'], undefined, 'a small JSON answer stays plain');
});

test('http-3: HEAD answers carry the same headers as GET, without a body', async () => {
  for (const [path, h] of [['/api/v1/people?limit=100', auth()], ['/assets/app.css', {}], ['/api/openapi.json', {}]]) {
    for (const ae of [undefined, 'gzip']) {
      const hd = { ...h, ...(ae ? { 'accept-encoding': ae } : {}) };
      const g = await rawGet(srv.base, path, hd);
      const hh = await rawGet(srv.base, path, hd, 'HEAD');
      assert.equal(hh.status, g.status, path);
      assert.equal(hh.body.length, 0, path);
      for (const k of ['content-type', 'content-encoding', 'vary', 'content-length', 'etag', 'cache-control'])
        assert.equal(hh.headers[k], g.headers[k], `${path} (${ae}): ${k}`);
    }
  }
});

test('http-4: pages link versioned assets, cached a year; bare names an hour; both revalidate by ETag', async () => {
  const page = await admin.get('/people');
  const urls = [...page.text.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  assert.deepEqual(urls.map((u) => u.replace(/\?v=[0-9a-f]{16}$/, '')).sort(), ['/assets/app.css', '/assets/app.js', '/assets/favicon.svg']);
  for (const u of urls) {
    const r = await rawGet(srv.base, u);
    assert.equal(r.status, 200, u);
    assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable', u);
    const etag = r.headers.etag;
    assert.match(etag, /^"[0-9a-f]{16}"$/);
    assert.equal(u.split('?v=')[1], etag.slice(1, -1), 'the version is the ETag');
    const bare = await rawGet(srv.base, u.split('?')[0]);
    assert.equal(bare.headers['cache-control'], 'public, max-age=3600');
    assert.equal(bare.headers.etag, etag);
    assert.ok(bare.body.equals(r.body));
    for (const inm of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
      const nm = await rawGet(srv.base, u, { 'if-none-match': inm });
      assert.equal(nm.status, 304, `${u} ${inm}`);
      assert.equal(nm.body.length, 0);
      assert.equal(nm.headers.etag, etag);
    }
    assert.equal((await rawGet(srv.base, u, { 'if-none-match': '"0000000000000000"' })).status, 200);
  }
  // an old version (a page from before an upgrade) still gets the asset, but not for a year
  const old = await rawGet(srv.base, '/assets/app.css?v=0123456789abcdef');
  assert.equal(old.status, 200);
  assert.equal(old.headers['cache-control'], 'public, max-age=3600');
});

test('http-5: the OpenAPI document has an ETag and answers If-None-Match with 304', async () => {
  const r = await rawGet(srv.base, '/api/openapi.json');
  assert.equal(r.status, 200);
  assert.equal(r.headers['cache-control'], 'public, no-cache');
  assert.match(r.headers.etag, /^"[0-9a-f]{16}"$/);
  const nm = await rawGet(srv.base, '/api/openapi.json', { 'if-none-match': r.headers.etag });
  assert.equal(nm.status, 304);
  assert.equal(nm.body.length, 0);
  // the API's answers stay uncacheable
  assert.equal((await rawGet(srv.base, '/api/v1/people', auth())).headers['cache-control'], 'no-store');
});

test('http-6: a JSON body must say application/json (415 otherwise) and nothing changes', async () => {
  const count = async () => (await admin.get('/api/v1/teams?limit=500')).json.items.length;
  const n = await count();
  const body = JSON.stringify({ name: 'Sneaky team' });
  for (const ct of ['text/plain', 'application/x-www-form-urlencoded', null, 'application/jsonx', 'text/json']) {
    const headers = ct ? { 'content-type': ct } : {};
    const r = await admin.req('POST', '/api/v1/teams', { body: ct ? body : new Blob([body]), headers });
    assert.equal(r.status, 415, `${ct}: ${r.text}`);
    assert.equal(r.json.error.code, 'unsupported_media_type');
    assert.match(r.json.error.message, /application\/json/);
  }
  // the session login and a PATCH too
  const login = await srv.anon().req('POST', '/api/v1/session', { body: JSON.stringify({ email: USERS.admin, password: 'x' }), headers: { 'content-type': 'text/plain' } });
  assert.equal(login.status, 415);
  assert.equal((await admin.req('PATCH', '/api/v1/org', { body: '{"purpose":"x"}', headers: { 'content-type': 'text/plain;charset=utf-8' } })).status, 415);
  assert.equal(await count(), n, 'nothing was created');
  for (const ct of ['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset=UTF-8']) {
    const r = await admin.req('POST', '/api/v1/teams', { body: JSON.stringify({ name: `Team ${ct}` }), headers: { 'content-type': ct } });
    assert.equal(r.status, 201, `${ct}: ${r.text}`);
  }
});

test('http-7: 405 names the accepted methods in Allow', async () => {
  for (const [m, path, allow] of [
    ['DELETE', '/api/v1/people', 'GET, HEAD, POST'],
    ['PUT', '/api/v1/teams/1', 'GET, HEAD, PATCH, DELETE'],
    ['POST', '/api/v1/inbox', 'GET, HEAD'],
    ['GET', '/api/v1/people/1/password', 'PUT'],
    ['DELETE', '/people', 'GET, HEAD'],
    ['PATCH', '/api/v1/session', 'POST, GET, HEAD, DELETE'],
  ]) {
    const r = await admin.req(m, path, { body: m === 'GET' ? undefined : '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 405, `${m} ${path}`);
    assert.equal(r.headers.get('allow'), allow, `${m} ${path}`);
  }
  // the Allow header's methods really are accepted (not 405)
  assert.notEqual((await admin.get('/api/v1/people')).status, 405);
});

test('http-8: length limits count characters, not bytes', async () => {
  // team names: at most 100 characters; 100 two-byte characters (200 bytes) fit, 101 do not
  const ok = await admin.post('/api/v1/teams', { name: 'é'.repeat(100) });
  assert.equal(ok.status, 201, ok.text);
  assert.equal((await admin.post('/api/v1/teams', { name: 'é'.repeat(101) })).status, 422);
  // a person's name: JSON limit 200 characters, checked by the field contract; 4-byte emoji count once
  const p = await admin.post('/api/v1/people', { name: '😀'.repeat(200), email: 'emoji@a.test' });
  assert.equal(p.status, 201, p.text);
  const long = await admin.post('/api/v1/people', { name: '😀'.repeat(201), email: 'emoji2@a.test' });
  assert.equal(long.status, 400);
  assert.match(long.json.error.message, /at most 200 characters/);
  // query parameters: q is at most 200 characters
  assert.equal((await admin.get(`/api/v1/people?q=${encodeURIComponent('ü'.repeat(200))}`)).status, 200);
  assert.equal((await admin.get(`/api/v1/people?q=${encodeURIComponent('ü'.repeat(201))}`)).status, 400);
});

test('http-9: a missing field is 422, a malformed body 400', async () => {
  const miss = await srv.anon().post('/api/v1/session', { email: USERS.admin });
  assert.equal(miss.status, 422);
  assert.equal(miss.json.error.code, 'missing_field');
  const bad = await srv.anon().post('/api/v1/session', '{"email":');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.code, 'malformed_json');
  assert.equal((await admin.post('/api/v1/teams', {})).status, 422);
  assert.equal((await admin.post('/api/v1/teams', [])).status, 400);
});
