// Figures for the foundation issue, printed, not asserted:
//   bundle sizes (raw, gzip); save latency (tap "save" -> durable in IndexedDB) p50/p95 with 1,000 and 20,000
//   stored visits; start-up to the first interactive frame with 20,000 stored visits.
// Stores are written by the real DocStore (build/native/seed_visits), put into the browser's IndexedDB the way
// IDBFS keeps files, and then opened by the app as on a tablet that has been in use for months.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { launch, freshProfileDir, waitReady, find, tap, signIn } from '../browser/browser.mjs';
import { seedStore, injectStore } from '../browser/seed_store.mjs';
import { startServer, basicAuth, WEB_DIR } from '../browser/server.mjs';

const SAVES = Number(process.env.BENCH_SAVES || 40);
const STARTS = Number(process.env.BENCH_STARTS || 5);

function kb(n) { return `${(n / 1024).toFixed(1)} KB`; }
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function bundleSizes() {
  const gz = (f) => zlib.gzipSync(fs.readFileSync(path.join(WEB_DIR, f)), { level: 9 }).length;
  const raw = (f) => fs.statSync(path.join(WEB_DIR, f)).size;
  const app = ['steward.wasm', 'steward.js', 'loader.js', 'build-info.js'];
  const appRaw = app.reduce((s, f) => s + raw(f), 0);
  const appGz = app.reduce((s, f) => s + gz(f), 0);
  console.log('bundle sizes');
  for (const f of [...app, 'fonts/steward-sc.otf']) console.log(`  ${f.padEnd(22)} ${kb(raw(f)).padStart(10)} raw ${kb(gz(f)).padStart(10)} gzip`);
  console.log(`  WASM+JS total          ${kb(appRaw).padStart(10)} raw ${kb(appGz).padStart(10)} gzip  (target <= 1024 KB gzip)`);
}

async function metrics(page) { return page.evaluate(() => window.stewardTest.metrics()); }

async function measure(n, server) {
  const files = seedStore(n);
  const context = await launch(freshProfileDir('bench'));
  const page = context.pages()[0] || (await context.newPage());
  try {
    await page.goto(server.url);
    await waitReady(page, 60000);
    await signIn(page, 'host');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 }).catch(() => {});
    await injectStore(page, files, { user: 'host', family: 'visits' });
    const starts = [];
    let opened = 0;
    for (let i = 0; i < STARTS; i++) {
      await page.reload();
      await waitReady(page, 60000);
      const m = await metrics(page);
      if (m.visits < n) throw new Error(`expected ${n} visits, the app loaded ${m.visits}`);
      starts.push(m.firstDataFrameMs);
      opened = m.storeOpenMs;
    }
    for (let i = 0; i < SAVES; i++) {
      await tap(page, '姓名');
      await page.keyboard.insertText(`测试${i}`);
      await tap(page, '手机号');
      await page.keyboard.insertText(`1390000${String(i).padStart(4, '0')}`);
      await tap(page, '网络');
      await tap(page, '保存登记');
      await find(page, new RegExp(`^已保存：测试${i} `), { timeout: 10000 });
    }
    const saves = (await metrics(page)).persistMs.slice(-SAVES);
    console.log(`${n} stored visits`);
    console.log(`  save (tap -> durable in IndexedDB): p50 ${percentile(saves, 50).toFixed(1)} ms, p95 ${percentile(saves, 95).toFixed(1)} ms over ${saves.length} saves (target p95 <= 50 ms at 20,000)`);
    console.log(`  start-up to first interactive frame: median ${percentile(starts, 50).toFixed(0)} ms, worst ${Math.max(...starts).toFixed(0)} ms over ${starts.length} starts (target <= 1500 ms at 20,000); store open + load ${opened.toFixed(0)} ms`);
  } finally {
    await context.close();
  }
}

async function keepVisitsLonger(server) {
  const res = await fetch(`${server.url}api/admin/sites/demo`, {
    method: 'PUT', headers: { ...basicAuth(), 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: '滨江壹号售楼处', idle_lock_minutes: 30, retention_days: 3660 }),
  });
  if (!res.ok) throw new Error(`site settings: ${res.status} ${await res.text()}`);
}

bundleSizes();
const server = await startServer();
// The seeded visits go back 180 days: the demo site's 30 days of retention would take most of them off the tablet
// once they are uploaded, between two of the starts measured.
await keepVisitsLonger(server);
try {
  for (const n of (process.env.BENCH_SIZES || '1000,20000').split(',').map(Number)) await measure(n, server);
} finally {
  await server.stop();
}
