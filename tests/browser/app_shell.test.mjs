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

test('installable: a standalone manifest with PNG icons and a theme colour; the installed app starts offline', async () => {
  const server = await startServer();
  const context = await launch(freshProfileDir());
  const page = context.pages()[0] || (await context.newPage());
  try {
    await page.goto(server.url);
    await waitReady(page);
    const manifestUrl = await page.evaluate(() => document.querySelector('link[rel=manifest]').href);
    const manifest = await (await fetch(manifestUrl)).json();
    assert.equal(manifest.display, 'standalone');
    assert.match(manifest.theme_color, /^#[0-9a-f]{6}$/i);
    assert.equal(await page.evaluate(() => document.querySelector('meta[name=theme-color]').content), manifest.theme_color);
    // Chromium's install criteria: PNG icons of 192 and 512 px; launchers that crop take the maskable one.
    const sizes = await page.evaluate(async (icons) => Promise.all(icons.filter((i) => i.type === 'image/png').map(async (i) => {
      const bitmap = await createImageBitmap(await (await fetch(i.src)).blob());
      return `${i.sizes}=${bitmap.width}x${bitmap.height}/${i.purpose}`;
    })), manifest.icons);
    for (const wanted of ['192x192=192x192/any', '512x512=512x512/any', '512x512=512x512/maskable']) {
      assert.ok(sizes.includes(wanted), `${wanted} in ${sizes.join(', ')}`);
    }
    const touchIcon = await page.evaluate(() => document.querySelector('link[rel=apple-touch-icon]').href);
    assert.equal((await fetch(touchIcon)).status, 200);

    // Launched from the home screen with no network: the shell, icons included, comes from the worker's cache.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
    await server.stop();
    await context.setOffline(true);
    await page.goto(new URL(manifest.start_url, manifestUrl).href);
    await waitReady(page);
    const cached = await page.evaluate(async () => {
      const keys = await caches.keys();
      const cache = await caches.open(keys.find((k) => k.startsWith('steward-shell-')));
      return (await cache.keys()).map((r) => new URL(r.url).pathname);
    });
    assert.ok(cached.includes('/icons/icon-512.png') && cached.includes('/icons/icon-192.png'), cached.join(' '));
  } finally {
    await context.close();
    await server.stop();
  }
});

test('data, sync and health requests go to the network without waking the service worker', async () => {
  const server = await startServer();
  const context = await launch(freshProfileDir());
  const page = context.pages()[0] || (await context.newPage());
  try {
    await page.goto(server.url);
    await waitReady(page);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
    // Data, sync and health requests are routed to the network by the browser without asking the worker (static
    // routes), the shell's files by the worker's fetch handler.
    const sources = await page.evaluate(async () => {
      const probes = ['couch/?probe=1', 'couch/demo-visits/_changes?since=0&probe=1', 'health?probe=1', 'api/me?probe=1',
        'app.css?probe=1'];
      for (const p of probes) await (await fetch(p)).arrayBuffer();
      return performance.getEntriesByType('resource').filter((e) => e.name.includes('probe=1'))
        .map((e) => `${new URL(e.name).pathname}=${e.workerMatchedSourceType || 'worker'}`);
    });
    assert.deepEqual(sources, ['/couch/=network', '/couch/demo-visits/_changes=network', '/health=network', '/api/me=network',
      '/app.css=worker']);
  } finally {
    await context.close();
    await server.stop();
  }
});
