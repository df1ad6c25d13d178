// Figures for the sync issue, printed, not asserted, all measured side by side in one run on this machine with the
// same 10,000 visit documents (realistic Chinese visit docs, ~390 bytes of JSON each, generated deterministically):
//   1. initial pull into a fresh browser client (fresh profile) from our server: our WASM app vs PouchDB 9 in the
//      same headless Chromium on both of its IndexedDB adapters (idb, indexeddb), replicate() timed in the page with
//      the default batch size and with batch_size 1000. Ours is timed over the same span as replicate(): from the
//      replicator's start to the first pull caught up (window.stewardTest.metrics()); the whole time from
//      navigation start (loading the app, opening its store) is printed too. Ours vs PouchDB's best;
//   2. bytes received for that pull (CDP: encodedDataLength of finished requests under /couch/), and the request
//      bodies sent;
//   3. the WASM heap after the pull;
//   4. server ingest (_bulk_docs in batches of 1,000 into a fresh db, docs/s) and one full
//      _changes?style=all_docs read: our server vs pouchdb-server, both on disk (its default, LevelDB) and in memory;
//      the requests one after the other, and again 4 at once (as CouchDB's replicator pushes). Besides the wall-clock rate, the
//      docs per CPU-second the server process used (from /proc/<pid>/stat), which other work on the machine
//      does not distort.
// Loopback only; every loop is bounded; everything started here is stopped at the end, also on error.
// Environment: BENCH_SYNC_DOCS (10000), BENCH_SYNC_RUNS (runs per configuration, the median shown; 3),
//              BENCH_SYNC_ONLY (which parts, comma-separated: ingest,ours,pouch; all three),
//              BENCH_SYNC_LINK (the pulls over a poor link, as in a basement: "down/up/latency" in Mbit/s, Mbit/s
//              and ms, e.g. 1.5/0.75/150, emulated by Chromium for both clients' pages; unset: loopback as it is).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { launch, freshProfileDir, waitReady, replaceText } from '../browser/browser.mjs';
import { startServer, freePort, basicAuth, DEMO_PASSWORD } from '../browser/server.mjs';
import { mulberry32 } from '../support/seeded_random.mjs';

const require = createRequire(import.meta.url);
const N = Number(process.env.BENCH_SYNC_DOCS || 10000);
const RUNS = Math.max(1, Number(process.env.BENCH_SYNC_RUNS || 3));
const ONLY = new Set((process.env.BENCH_SYNC_ONLY || 'ingest,ours,pouch').split(','));
const LINK = (() => {
  if (!process.env.BENCH_SYNC_LINK) return null;
  const [down, up, latency] = process.env.BENCH_SYNC_LINK.split('/').map(Number);
  if (!(down > 0 && up > 0 && latency >= 0)) throw new Error('BENCH_SYNC_LINK: expected down/up/latency, e.g. 1.5/0.75/150');
  return { down, up, latency };
})();
const BATCH = 1000;
const CONCURRENT_PUSHES = 4;
const PULL_TIMEOUT_MS = process.env.BENCH_SYNC_LINK ? 600000 : 120000;
const POUCH_BATCHES = [undefined, 1000];  // undefined: PouchDB's default (100)
// 'idb' is the adapter pouchdb.min.js uses by default; 'indexeddb' is PouchDB's newer IndexedDB adapter (a plugin).
const POUCH_ADAPTERS = ['idb', 'indexeddb'];

// ---------------------------------------------------------------------------------------------------------------
// The documents


const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平',
  '刚', '桂英', '建华', '子涵', '浩然', '雨桐', '欣怡', '宇轩'];
const CONSULTANTS = ['陈浩', '李娜', '王磊', '赵敏', '刘洋'];
const CHANNELS = ['walk_in', 'online', 'referral', 'advertisement', 'owner_referral'];
const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const NOTES = ['想看三居室', '关注学区', '二次到访看样板间', '关心首付比例', '要一百二十平以上', '周末再来',
  '朋友介绍', '想要南北通透', '对价格敏感'];

function makeDocs(n, seed = 20240601) {
  const random = mulberry32(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const hex = (bytes) => bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  const uuid = () => {
    const b = Array.from({ length: 16 }, () => Math.floor(random() * 256));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = hex(b);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  const start = Date.UTC(2026, 0, 5, 1, 0, 0);  // 09:00 in Shanghai
  const docs = [];
  for (let i = 0; i < n; i++) {
    const arrived = start + Math.floor(i / 40) * 86400000 + (i % 40) * 900000 + Math.floor(random() * 600000);
    const received = arrived + 60000 + Math.floor(random() * 600000);
    const consultant = pick(CONSULTANTS);
    docs.push({
      _id: `visit:${uuid()}`,
      type: 'visit',
      site: 'demo',
      name: pick(SURNAMES) + pick(GIVEN),
      phone: `1${pick(['38', '39', '50', '58', '86', '88'])}${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
      party_size: 1 + Math.floor(random() * 4),
      channel: pick(CHANNELS),
      appointed_consultant: random() < 0.3 ? consultant : '',
      received_by: consultant,
      car_plate: random() < 0.6 ? `粤${pick(['B', 'A', 'S'])}${Array.from({ length: 5 }, () => pick(PLATE_LETTERS + '0123456789')).join('')}` : '',
      notes: random() < 0.5 ? pick(NOTES) : '',
      visit_number: 1 + Math.floor(random() * 3),
      arrived_ms: arrived,
      received_ms: received,
      left_ms: 0,
      created_ms: arrived,
      updated_ms: received,
    });
  }
  return docs;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const cleanups = [];  // run in reverse at the end, also on error or Ctrl-C
async function cleanup() {
  while (cleanups.length) {
    const fn = cleanups.pop();
    try { await fn(); } catch (e) { console.error(`cleanup: ${e.message}`); }
  }
}
function removeLater(dir) { cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true })); }

// A browser with a fresh profile; closed by the caller, or by the clean-up if the run is cut short.
async function openBrowser(label, options = {}) {
  const profile = freshProfileDir(label);
  removeLater(profile);
  const context = await launch(profile, options);
  const closeIt = () => context.close();
  cleanups.push(closeIt);
  return {
    context,
    async close() {
      const i = cleanups.indexOf(closeIt);
      if (i >= 0) cleanups.splice(i, 1);
      await context.close();
    },
  };
}

const ms = (v) => `${v.toFixed(0)} ms`;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const mb = (n) => `${(n / 1048576).toFixed(1)} MB`;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const ratio = (slow, fast) => (fast > 0 ? `${(slow / fast).toFixed(1)}×` : 'n/a');

async function request(url, { method = 'GET', body, timeout = 60000, headers = {} } = {}) {
  const res = await fetch(url, {
    method,
    headers: body !== undefined ? { 'Content-Type': 'application/json', ...headers } : headers,
    body: body !== undefined ? (typeof body === 'string' ? body : JSON.stringify(body)) : undefined,
    signal: AbortSignal.timeout(timeout),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 300)}`);
  return text;
}

// `inMemory`: its memory adapter; otherwise its default, LevelDB files in its own temporary folder (on disk, as
// ours writes: the like-for-like comparison).
async function startPouchServer({ inMemory = true } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-pouchdb-server-'));
  removeLater(dir);
  const port = await freePort();
  const pkg = require.resolve('pouchdb-server/package.json');
  const bin = path.join(path.dirname(pkg), require(pkg).bin['pouchdb-server']);
  // Its config file and log go to its own temporary folder (it writes both to the working folder by default).
  const child = spawn(process.execPath, [bin, ...(inMemory ? ['--in-memory'] : ['--dir', path.join(dir, 'data')]), '--host', '127.0.0.1', '--port', String(port),
    '--no-stdout-logs', '--config', path.join(dir, 'config.json')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => { output += c; });
  child.stderr.on('data', (c) => { output += c; });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  cleanups.push(stop);
  const url = `http://127.0.0.1:${port}/`;
  const pid = child.pid;
  const deadline = Date.now() + 30000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pouchdb-server exited ${child.exitCode}: ${output}`);
    try {
      const info = JSON.parse(await request(url, { timeout: 2000 }));
      return { url, version: info.version, stop, pid };
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`pouchdb-server did not answer on ${url}: ${e.message} ${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function startOurServer() {
  const server = await startServer();
  cleanups.push(() => server.stop());
  removeLater(server.dataDir);
  return server;
}

async function bulkLoad(dbUrl, docs, headers = {}) {
  for (let i = 0; i < docs.length; i += BATCH) {
    const text = await request(`${dbUrl}/_bulk_docs`, { method: 'POST', body: { docs: docs.slice(i, i + BATCH) }, headers });
    const failed = JSON.parse(text).filter((r) => r.error);
    if (failed.length) throw new Error(`_bulk_docs into ${dbUrl}: ${failed.length} failed, e.g. ${JSON.stringify(failed[0])}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 4. Server ingest and a full _changes read

// CPU time (user + system, all threads) a process has used so far, in ms; 0 where /proc is not there.
function cpuMs(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * (1000 / 100);  // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

// `headers`: credentials where the server wants them (ours: creating a database takes a server admin; the first
// request checks the password, so before the clock starts).
// `inFlight`: requests sent at once (1: one after the other, as PouchDB's replicator pushes; CouchDB's own
// replicator pushes with 4 workers).
async function ingest(label, couchUrl, docs, name, pid, headers = {}, inFlight = 1) {
  const db = `${couchUrl}${name}`;
  await request(db, { method: 'PUT', headers });
  const bodies = [];
  for (let i = 0; i < docs.length; i += BATCH) bodies.push(JSON.stringify({ docs: docs.slice(i, i + BATCH) }));
  const cpu0 = cpuMs(pid);
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < bodies.length) await request(`${db}/_bulk_docs`, { method: 'POST', body: bodies[next++], headers });
  }));
  const ingestMs = performance.now() - t0;
  const ingestCpuMs = cpuMs(pid) - cpu0;
  // Node's fetch asks for gzip or deflate (a browser would also accept br).
  const t1 = performance.now();
  const res = await fetch(`${db}/_changes?style=all_docs`, { headers, signal: AbortSignal.timeout(60000) });
  const text = await res.text();
  const changesMs = performance.now() - t1;
  if (!res.ok) throw new Error(`${label}: _changes ${res.status} ${text.slice(0, 300)}`);
  const encoding = res.headers.get('content-encoding') || 'identity';
  const results = JSON.parse(text).results.length;
  if (results !== docs.length) throw new Error(`${label}: _changes listed ${results} of ${docs.length}`);
  return { label, ingestMs, docsPerSec: docs.length / (ingestMs / 1000), docsPerCpuSec: ingestCpuMs > 0 ? docs.length / (ingestCpuMs / 1000) : 0,
    changesMs, changesBytes: Buffer.byteLength(text), encoding };
}

// Each run into a fresh db on the same server; the run with the median docs/s is shown.
async function benchIngest(docs) {
  const runAll = async (label, couchUrl, pid, headers, inFlight = 1) => {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      runs.push(await ingest(label, couchUrl, docs, `bench-ingest-${inFlight}-${i + 1}`, pid, headers, inFlight));
    }
    const mid = runs.find((r) => r.docsPerSec === median(runs.map((x) => x.docsPerSec)));
    return { ...mid, runs };
  };
  const ours = await startOurServer();
  const admin = basicAuth();
  const oursResult = await runAll('ours (SQLite on disk)', `${ours.url}couch/`, ours.child.pid, admin);
  const oursConcurrent = await runAll('ours (SQLite on disk)', `${ours.url}couch/`, ours.child.pid, admin, CONCURRENT_PUSHES);
  await ours.stop();
  const peers = [], peersConcurrent = [];
  for (const inMemory of [false, true]) {
    const pouch = await startPouchServer({ inMemory });
    const where = inMemory ? 'in memory' : 'LevelDB on disk';
    peers.push(await runAll(`pouchdb-server ${pouch.version} (${where})`, pouch.url, pouch.pid));
    peersConcurrent.push(await runAll(`pouchdb-server ${pouch.version} (${where})`, pouch.url, pouch.pid, {}, CONCURRENT_PUSHES));
    await pouch.stop();
  }
  return { ours: oursResult, peers, oursConcurrent, peersConcurrent };
}

// ---------------------------------------------------------------------------------------------------------------
// 1-3. Initial pull into a fresh browser client

// Counts what arrives for requests under /couch/: encodedDataLength of Network.loadingFinished (headers and body as
// they came over the connection, compressed or not) on a CDP session of the page. A GET that the app's service
// worker answers shows 0 there; the service worker's own fetch of it is what crossed the wire, and Playwright (which
// has a CDP session on the service worker) reports its sizes: headers + encoded body = that encodedDataLength.
// Also sums, per kind of request, the time from sending to the last byte (page's view, so through the worker too).
function kindOf(url) {
  // /couch/<db>/_bulk_get is _bulk_get; /couch/_session (the sign-in) is _session; /couch/<db>/<id> is doc.
  const m = new URL(url).pathname.match(/\/couch\/(?:[^/_][^/]*\/)?(_[a-z_]+)/);
  return m ? m[1] : 'doc';
}

// A request's body as sent: a gzipped one (ours, to our server) is bytes that DevTools gives in base64 entries.
function sentBytes(request) {
  if (request.postDataEntries) return request.postDataEntries.reduce((n, e) => n + (e.bytes ? Buffer.from(e.bytes, 'base64').length : 0), 0);
  return request.postData ? Buffer.byteLength(request.postData) : 0;
}

async function wireCounter(context, page) {
  const cdp = await context.newCDPSession(page);
  const requests = new Map();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!e.request.url.includes('/couch/')) return;
    requests.set(e.requestId, {
      url: e.request.url, kind: kindOf(e.request.url), start: e.timestamp, ms: 0,
      sent: sentBytes(e.request),
      received: 0, finished: false, fromServiceWorker: false,
    });
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = requests.get(e.requestId);
    if (r && e.response.fromServiceWorker) r.fromServiceWorker = true;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (r) { r.received = e.encodedDataLength; r.finished = true; r.ms = (e.timestamp - r.start) * 1000; }
  });
  // No response bodies kept: DevTools would otherwise copy and decode each one on the page's main thread (~30 ms
  // per pull here), time the clock counts against the client being measured. Only sizes are needed.
  await cdp.send('Network.enable', { maxPostDataSize: 64 * 1024 * 1024, maxResourceBufferSize: 0, maxTotalBufferSize: 0 });
  if (LINK) {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: LINK.latency,
      downloadThroughput: LINK.down * 1e6 / 8, uploadThroughput: LINK.up * 1e6 / 8 });
  }
  const workerSizes = [];
  const onFinished = (request) => {
    if (request.serviceWorker() && request.url().includes('/couch/')) {
      workerSizes.push(request.sizes().then((z) => z.responseHeadersSize + z.responseBodySize, () => 0));
    }
  };
  context.on('requestfinished', onFinished);
  return {
    cdp,
    async totals() {
      const all = [...requests.values()];
      const done = all.filter((r) => r.finished);
      const byKind = {};
      for (const r of done) {
        const k = (byKind[r.kind] ||= { n: 0, ms: 0 });
        k.n++;
        k.ms += r.ms;
      }
      const viaWorker = (await Promise.all(workerSizes)).reduce((a, b) => a + b, 0);
      return {
        requests: done.length,
        inFlight: all.length - done.length,
        received: done.reduce((s, r) => s + (r.fromServiceWorker ? 0 : r.received), 0) + viaWorker,
        sent: all.reduce((s, r) => s + r.sent, 0),
        viaServiceWorker: all.filter((r) => r.fromServiceWorker).length,
        byKind,
      };
    },
  };
}

function requestTimes(byKind) {
  return Object.entries(byKind).sort((a, b) => b[1].ms - a[1].ms)
    .map(([k, v]) => `${k} ${v.ms.toFixed(0)} ms/${v.n}`).join(', ');
}

async function jsHeapUsed(cdp) {
  try { return (await cdp.send('Runtime.getHeapUsage')).usedSize; } catch { return 0; }
}

// From the tap on 登录 (the demo host, on a fresh profile) until the app reports its first pull caught up. The app
// may reload itself once its service worker takes control; the time before that reload counts too (the first
// document's time origin is kept in sessionStorage, which a reload keeps).
async function pullOurs(server) {
  const browser = await openBrowser('syncbench');
  const { context } = browser;
  try {
    const page = context.pages()[0] || (await context.newPage());
    page.on('pageerror', (e) => console.log(`  pageerror: ${e.message}`));
    let navigations = 0;
    page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigations++; });
    await page.addInitScript(() => {
      performance.setResourceTimingBufferSize(100000);
      if (!sessionStorage.getItem('benchOrigin')) sessionStorage.setItem('benchOrigin', String(performance.timeOrigin));
    });
    const wire = await wireCounter(context, page);
    await page.goto(server.url);
    await waitReady(page, 60000);
    await replaceText(page, '用户名', 'host');
    await replaceText(page, '密码', DEMO_PASSWORD);
    const button = (await page.evaluate(() => window.stewardTest.widgets())).filter((w) => w.label === '登录').pop();
    const tapMs = await page.evaluate(() => performance.now());  // in the first document's time
    await page.mouse.click(button.x + button.w / 2, button.y + button.h / 2);
    const deadline = Date.now() + PULL_TIMEOUT_MS;
    let m = {};
    for (;;) {
      try {
        m = await page.evaluate(() => {
          if (!window.stewardTest || !window.stewardTest.metrics) return {};
          return { ...window.stewardTest.metrics(), timeOrigin: performance.timeOrigin,
            benchOrigin: Number(sessionStorage.getItem('benchOrigin')) };
        });
      } catch (e) {
        if (!/context was destroyed|navigat/i.test(e.message)) throw e;  // the app reloading itself
        m = {};
      }
      // pulled counts this document's revisions: after a reload part of the docs may already be stored.
      if (m.syncCaughtUpMs > 0 && (m.pulled >= N || m.visits >= N)) break;
      if (Date.now() > deadline) {
        throw new Error(`our app did not report the initial pull within ${PULL_TIMEOUT_MS / 1000} s: ${JSON.stringify({
          syncCaughtUpMs: m.syncCaughtUpMs, pulled: m.pulled, visits: m.visits })}`);
      }
      await page.waitForTimeout(50);
    }
    const wireTotals = await wire.totals();
    const firstCouchMs = await page.evaluate(() => {
      const hit = performance.getEntriesByType('resource').find((e) => e.name.includes('/couch/'));
      return hit ? hit.startTime : 0;
    });
    const reloadMs = m.timeOrigin - m.benchOrigin;
    return {
      ms: m.syncCaughtUpMs - m.syncStartedMs, fromSignInMs: reloadMs + m.syncCaughtUpMs - tapMs, syncStartedMs: m.syncStartedMs,
      reloads: navigations - 1, reloadMs, inDocumentMs: m.syncCaughtUpMs,
      firstCouchMs, pulled: m.pulled, visits: m.visits, heapBytes: m.heapBytes || 0, frames: m.firstPullFrames,
      jsHeap: await jsHeapUsed(wire.cdp), wire: wireTotals,
    };
  } finally {
    await browser.close();
  }
}

async function pullPouch(server, remote, adapter, batchSize) {
  // PouchDB is injected into a page of our server, whose security policy would refuse the inline script.
  const browser = await openBrowser('syncbench-pouch', { bypassCSP: true });
  const { context } = browser;
  try {
    const page = context.pages()[0] || (await context.newPage());
    page.on('pageerror', (e) => console.log(`  pageerror: ${e.message}`));
    await page.goto(`${server.url}health`);
    await page.addScriptTag({ path: require.resolve('pouchdb/dist/pouchdb.min.js') });
    if (adapter === 'indexeddb') await page.addScriptTag({ path: require.resolve('pouchdb/dist/pouchdb.indexeddb.min.js') });
    const wire = await wireCounter(context, page);
    const result = await page.evaluate(async ({ remote, adapter, batchSize, timeout, password }) => {
      const db = new PouchDB('bench', { adapter });
      const source = new PouchDB(remote, { auth: { username: 'host', password } });
      const options = batchSize ? { batch_size: batchSize } : {};
      const t0 = performance.now();
      const replication = PouchDB.replicate(source, db, options);
      const timer = setTimeout(() => replication.cancel(), timeout);
      const info = await replication;
      const ms = performance.now() - t0;
      clearTimeout(timer);
      const local = await db.info();
      return { ms, status: info.status, docsWritten: info.docs_written, docCount: local.doc_count, adapter: local.adapter };
    }, { remote, adapter, batchSize, timeout: PULL_TIMEOUT_MS, password: DEMO_PASSWORD });
    if (result.status !== 'complete' || result.docCount < N) {
      throw new Error(`PouchDB (${adapter}, batch_size ${batchSize || 'default'}) ended ${result.status} with ${result.docCount} of ${N} docs`);
    }
    return { ...result, jsHeap: await jsHeapUsed(wire.cdp), wire: await wire.totals() };
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  const docs = makeDocs(N);
  const sizes = docs.map((d) => Buffer.byteLength(JSON.stringify(d)));
  console.log(`sync benchmark: ${N} visit documents, ${(sizes.reduce((a, b) => a + b, 0) / N).toFixed(0)} bytes of JSON each on average; ${RUNS} run(s) per client configuration, median shown`);

  if (ONLY.has('ingest')) {
    const { ours, peers, oursConcurrent, peersConcurrent } = await benchIngest(docs);
    console.log(`server ingest: _bulk_docs of ${N} in batches of ${BATCH} into a fresh db; then one _changes?style=all_docs read`);
    // One server's ingest, with its _changes read where that is part of the comparison.
    const ingestRow = (r, withChanges) => console.log(`  ${r.label.padEnd(34)} ingest ${ms(r.ingestMs).padStart(9)} = ${r.docsPerSec.toFixed(0).padStart(7)} docs/s (${r.docsPerCpuSec.toFixed(0)} per server CPU-second)`
      + (withChanges ? `   _changes ${ms(r.changesMs).padStart(7)} (${kb(r.changesBytes)}, ${r.encoding})` : '')
      + `   (runs: ${r.runs.map((x) => x.docsPerSec.toFixed(0)).join(', ')} docs/s)`);
    for (const r of [ours, ...peers]) ingestRow(r, true);
    for (const pouch of peers) {
      console.log(`  ours / ${pouch.label}: ingest ${ratio(ours.docsPerSec, pouch.docsPerSec)} the docs/s (target >= 10×), ${ratio(ours.docsPerCpuSec, pouch.docsPerCpuSec)} the docs per server CPU-second; _changes read ${ratio(pouch.changesMs, ours.changesMs)} as fast`);
    }
    console.log(`  the same with ${CONCURRENT_PUSHES} requests in flight (as CouchDB's replicator pushes; the figures above send one after the other):`);
    for (const r of [oursConcurrent, ...peersConcurrent]) ingestRow(r, false);
    for (const pouch of peersConcurrent) {
      console.log(`  ours / ${pouch.label}, ${CONCURRENT_PUSHES} in flight: ingest ${ratio(oursConcurrent.docsPerSec, pouch.docsPerSec)} the docs/s`);
    }
  }

  if (!ONLY.has('ours') && !ONLY.has('pouch')) return;
  const server = await startOurServer();
  const remote = `${server.url}couch/demo-visits`;
  // Every generated visit stays on the tablet, whatever today's date (they are dated from January 2026 on).
  await request(`${server.url}api/admin/sites/demo`, { method: 'PUT', headers: basicAuth(),
    body: { name: '滨江壹号售楼处', idle_lock_minutes: 30, retention_days: 3660 } });
  await bulkLoad(remote, docs, basicAuth());
  const count = JSON.parse(await request(remote, { headers: basicAuth() })).doc_count;
  console.log(`initial pull into a fresh browser client from our server (${remote}, ${count} docs)`
    + (LINK ? `, over an emulated link of ${LINK.down} Mbit/s down, ${LINK.up} Mbit/s up, ${LINK.latency} ms latency` : ''));

  const pad = ' '.repeat(52);
  const row = (label, v, what, runs) => console.log(`  ${label.padEnd(38)}${ms(v).padStart(10)}  ${what} (runs: ${runs.map((r) => r.ms.toFixed(0)).join(', ')} ms)`);
  let ours = null;
  if (ONLY.has('ours')) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await pullOurs(server));
    const mid = runs.find((r) => r.ms === median(runs.map((x) => x.ms)));
    ours = mid;
    row('ours (WASM app)', mid.ms, 'replicator start -> first pull caught up', runs);
    console.log(`${pad}from the tap on 登录: ${ms(mid.fromSignInMs)} (signing in, opening the person's stores, then the pull; the replicator started ${ms(mid.syncStartedMs)} into the document; runs: ${runs.map((r) => r.fromSignInMs.toFixed(0)).join(', ')} ms)`);
    if (mid.reloads > 0) {
      console.log(`${pad}the app reloaded itself ${mid.reloads}× (service worker taking control): the last load started at ${ms(mid.reloadMs)} and caught up ${ms(mid.inDocumentMs)} into it`);
    }
    console.log(`${pad}first /couch/ request ${ms(mid.firstCouchMs)} into the (last) document`);
    const sw = mid.wire.viaServiceWorker ? `; ${mid.wire.viaServiceWorker} of them through the service worker` : '';
    console.log(`${pad}wire: ${kb(mid.wire.received)} received in ${mid.wire.requests} /couch/ requests (${mid.wire.inFlight} still open${sw}), ${kb(mid.wire.sent)} of request bodies sent`);
    console.log(`${pad}time in /couch/ requests (summed): ${requestTimes(mid.wire.byKind)}`);
    console.log(`${pad}WASM heap after the pull ${mb(mid.heapBytes)}; JS heap used ${mb(mid.jsHeap)}; pulled ${mid.pulled}, visits ${mid.visits}; ${mid.frames} frames drawn during it`);
  }

  let best = null;
  if (ONLY.has('pouch')) {
    for (const adapter of POUCH_ADAPTERS) {
      for (const batchSize of POUCH_BATCHES) {
        const runs = [];
        for (let i = 0; i < RUNS; i++) runs.push(await pullPouch(server, remote, adapter, batchSize));
        const mid = runs.find((r) => r.ms === median(runs.map((x) => x.ms)));
        const label = `PouchDB ${adapter}, batch ${batchSize || '100 (default)'}`;
        row(label, mid.ms, 'replicate() in the page', runs);
        console.log(`${pad}wire: ${kb(mid.wire.received)} received in ${mid.wire.requests} /couch/ requests, ${kb(mid.wire.sent)} of request bodies sent`);
        console.log(`${pad}time in /couch/ requests (summed): ${requestTimes(mid.wire.byKind)}`);
        console.log(`${pad}JS heap used after the pull ${mb(mid.jsHeap)}`);
        if (!best || mid.ms < best.ms) best = { ...mid, label };
      }
    }
  }

  if (ours && best) {
    console.log(`  ours vs ${best.label} (PouchDB's best): PouchDB's time / ours = ${ratio(best.ms, ours.ms)} ${LINK ? '(over the emulated link; the target is read on loopback)' : `(target >= 5×, and ours under 1500 ms: ${ms(ours.ms)})`}; counting the sign-in too: ${ratio(best.ms, ours.fromSignInMs)}`);
    console.log(`  bytes received: ours ${kb(ours.wire.received)} vs PouchDB ${kb(best.wire.received)} = ${(ours.wire.received / best.wire.received * 100).toFixed(0)}% of PouchDB's`);
    // On a tablet's mobile link the upload is the slower direction.
    console.log(`  request bodies sent: ours ${kb(ours.wire.sent)} vs PouchDB ${kb(best.wire.sent)} = ${(ours.wire.sent / best.wire.sent * 100).toFixed(0)}% of PouchDB's`);
  }
}

let failed = false;
let stopping = false;
const interrupted = async (signal) => {
  stopping = true;
  console.error(`sync bench: ${signal}, stopping`);
  await cleanup();
  process.exit(130);
};
process.once('SIGINT', interrupted);
process.once('SIGTERM', interrupted);
try {
  await main();
} catch (e) {
  failed = true;
  if (!stopping) console.error(`sync bench failed: ${e.stack || e.message}`);
} finally {
  await cleanup();
}
process.exit(failed ? 1 : 0);
