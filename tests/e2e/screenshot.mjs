// screenshot.mjs: makes docs/screenshot.png for the README: the demo
// organisation's /org page at 1280x800 in Debian's Chromium. Not a test; run
// it by hand after the look of the pages changes:
//   make remit && REMIT_BIN=$PWD/remit node tests/e2e/screenshot.mjs [PATH] [OUT]
// PATH defaults to /org, OUT to docs/screenshot.png.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, remit, PASSWORD } from '../http/lib.mjs';
import { LAUNCH } from './browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const path = process.argv[2] || '/org';
const out = process.argv[3] || join(root, 'docs', 'screenshot.png');

const dir = mkdtempSync(join(tmpdir(), 'remit-shot-'));
const db = join(dir, 'demo.db');
const made = remit(['demo', '--db', db]); // every demo login gets REMIT_PASSWORD (lib.mjs sets it)
if (made.code !== 0) throw new Error(`remit demo: ${made.stderr}`);
const owner = made.stdout.match(/owner\s+(\S+@\S+)/)?.[1] || 'owner@example.com';

const srv = await startServer({ db });
const browser = await chromium.launch(LAUNCH);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(srv.base + '/login');
  await page.getByLabel('E-mail').fill(owner);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.locator('main form button[type="submit"]').click()]);
  const resp = await page.goto(srv.base + path);
  if (resp.status() !== 200) throw new Error(`GET ${path}: ${resp.status()}`);
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`wrote ${out} (${path} of the demo, 1280x800)`);
} finally {
  await browser.close();
  await srv.stop();
  rmSync(dir, { recursive: true, force: true });
}
