// The page shell: the first-visit loading screen, the versioned service-worker cache, and a new build being
// offered to the person instead of swapped under them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, freshProfileDir, waitReady, screenshot } from './browser.mjs';
import { startServer, WEB_DIR } from './server.mjs';

function copyWebApp() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-web-'));
  fs.cpSync(WEB_DIR, dir, { recursive: true });
  return dir;
}

test('a first visit shows a loading screen with progress while the WASM and font arrive', async () => {
  const server = await startServer();
  const context = await launch(freshProfileDir());
  const page = context.pages()[0] || (await context.newPage());
  try {
    // The font is still on its way (a slow site network): the WASM has arrived, the font has not.
    let releaseFont;
    const fontHeld = new Promise((resolve) => { releaseFont = resolve; });
    await page.route('**/fonts/steward-sc.otf', async (route) => { await fontHeld; await route.continue(); });
    await page.goto(server.url, { waitUntil: 'commit' });
    await page.waitForFunction(() => {
      const bar = document.getElementById('loading-progress');
      return bar && parseFloat(bar.style.width) > 5;
    }, null, { timeout: 20000 });
    assert.equal(await page.locator('#loading').isVisible(), true);
    assert.equal(await page.locator('#loading-text').textContent(), '正在加载…');
    const width = await page.evaluate(() => parseFloat(document.getElementById('loading-progress').style.width));
    assert.ok(width > 5 && width < 100, `progress ${width}% while the font is pending`);
    await screenshot(page, 'loading');
    releaseFont();
    await waitReady(page, 60000);
    assert.equal(await page.locator('#loading').isVisible(), false);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('the shell is cached per build; a new build is offered with a reload button and replaces the cache', async () => {
  const webDir = copyWebApp();
  const server = await startServer({ webDir });
  const context = await launch(freshProfileDir());
  const page = context.pages()[0] || (await context.newPage());
  try {
    await page.goto(server.url);
    await waitReady(page);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
    const version = await page.evaluate(() => window.STEWARD_BUILD.version);
    assert.deepEqual(await page.evaluate(() => caches.keys()), [`steward-shell-${version}`]);

    // A new build lands on the server.
    const sw = path.join(webDir, 'sw.js');
    fs.writeFileSync(sw, fs.readFileSync(sw, 'utf8').replace(version, 'next-build'));
    fs.rmSync(`${sw}.gz`, { force: true });
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await page.locator('#update.shown').waitFor({ timeout: 15000 });
    assert.equal(await page.locator('#update-text').textContent(), '新版本已就绪');
    await screenshot(page, 'update-offered');
    const box = await page.locator('#update-button').boundingBox();
    assert.ok(box.height >= 44, 'the reload button is finger-sized');

    const reloaded = page.waitForEvent('load');
    await page.locator('#update-button').click();
    await reloaded;
    await waitReady(page);
    assert.deepEqual(await page.evaluate(() => caches.keys()), ['steward-shell-next-build']);
  } finally {
    await context.close();
    await server.stop();
    fs.rmSync(webDir, { recursive: true, force: true });
  }
});
