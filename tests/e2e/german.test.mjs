// german.test.mjs: German, with its long words, still fits a 360 px phone.
// The demo's owner, with their language set to German, opens the pages whose
// strings are translated; none may be wider than the screen, and each is in
// German (<html lang="de">) and passes the axe scan like every other page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, remit, PASSWORD } from '../http/lib.mjs';
import { LAUNCH, openPage, axeFindings } from './browser.mjs';

test('german: translated pages fit 360 px and pass axe', { timeout: 120000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'remit-de-'));
  const db = join(dir, 'demo.db');
  assert.equal(remit(['demo', '--db', db]).code, 0);
  const srv = await startServer({ db });
  const browser = await chromium.launch(LAUNCH);
  try {
    const page = await openPage(browser, { viewport: { width: 360, height: 740 }, locale: 'de-DE', extraHTTPHeaders: { 'accept-language': 'de-DE,de;q=0.9' } });
    await page.goto(srv.base + '/login');
    assert.equal(await page.getAttribute('html', 'lang'), 'de');
    await page.fill('#f-email', 'owner@example.com');
    await page.fill('#f-password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(srv.base + '/');
    const wide = [], bad = [], minor = [];
    for (const path of ['/', '/account', '/org/edit', '/teams', '/teams/1', '/teams/new', '/people/1', '/people/1/edit', '/people/new', '/roles/1/edit', '/goals/1/edit', '/can', '/nowhere']) {
      await page.goto(srv.base + path);
      assert.equal(await page.getAttribute('html', 'lang'), 'de', path);
      const w = await page.evaluate(() => document.documentElement.scrollWidth);
      if (w > 360) wide.push(`${path}: ${w} px`);
      bad.push(...await axeFindings(page, path, minor));
    }
    assert.match(await page.content(), /Unter dieser Adresse gibt es nichts/);
    assert.deepEqual(wide, [], 'pages wider than a 360 px phone');
    assert.deepEqual(bad, [], 'serious axe findings');
  } finally {
    await browser.close();
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
