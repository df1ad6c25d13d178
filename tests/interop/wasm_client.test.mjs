// Our WASM client against a third-party CouchDB implementation: pouchdb-server (in memory) stands in for an
// Apache CouchDB cluster the tablets are pointed at with ?sync=<database URL>. Records go both ways, updates
// and deletions included, driven through the app's screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, freshProfileDir, waitReady, signIn, waitForLabels, find, tap, tapInRow, typeInto } from '../browser/browser.mjs';
import { startServer, freePort } from '../browser/server.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
let app;
let couch;

async function startPouchdbServer() {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-pouchdb-server-'));
  const config = path.join(dir, 'config.json');
  // CORS, as a CouchDB serving tablets from another origin is set up.
  fs.writeFileSync(config, JSON.stringify({
    httpd: { enable_cors: true },
    cors: { origins: '*', credentials: true, methods: 'GET, PUT, POST, HEAD, DELETE',
      headers: 'accept, authorization, content-type, origin, referer' },
  }));
  const child = spawn(path.join(ROOT, 'node_modules/.bin/pouchdb-server'),
    ['--in-memory', '--port', String(port), '--host', '127.0.0.1', '-c', config, '-n'],
    { cwd: dir, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 20000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) break;
    } catch (e) { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error('pouchdb-server did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function couchJson(method, url, body) {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

before(async () => {
  couch = await startPouchdbServer();
  // The page may connect to its own origin only, unless the server names another (as for a CouchDB cluster).
  app = await startServer({ args: ['--sync-origin', couch.url] });
});
after(async () => {
  await app.stop();
  await couch.stop();
});

test('the WASM client replicates both ways with pouchdb-server, updates and deletions included', async () => {
  const db = `${couch.url}demo-visits`;
  assert.equal((await couchJson('PUT', db)).status, 201);
  const now = Date.now();
  const seeded = {
    _id: 'visit:from-couch', type: 'visit', site: 'demo', name: '诸葛亮', phone: '13600009999', party_size: 2,
    channel: 'referral', visit_number: 1, arrived_ms: now, created_ms: now, updated_ms: now,
  };
  const put = await couchJson('PUT', `${db}/visit:from-couch`, seeded);
  assert.equal(put.status, 201);

  const context = await launch(freshProfileDir('couch-client'));
  const page = context.pages()[0] || (await context.newPage());
  try {
    await page.goto(`${app.url}?sync=${encodeURIComponent(db)}`);
    await waitReady(page);
    // Signing in is our server's (the one that serves the app); the records then come from pouchdb-server.
    await signIn(page, 'host');
    await tap(page, '今日来访');
    await waitForLabels(page, (l) => l.includes('诸葛亮'), 'the record from pouchdb-server arrives');

    // Made on the tablet: reaches pouchdb-server.
    await tap(page, '登记来访');
    await typeInto(page, '姓名', '司马懿');
    await typeInto(page, '手机号', '13600008888');
    await tap(page, '广告');
    await tap(page, '保存登记');
    await find(page, /^已保存：司马懿/, { timeout: 8000 });
    await tap(page, '今日来访');
    await waitForLabels(page, (l) => l.includes('全部已上传'), 'uploaded');
    const all = await couchJson('GET', `${db}/_all_docs?include_docs=true`);
    const mine = all.json.rows.map((r) => r.doc).find((d) => d.name === '司马懿');
    assert.ok(mine, 'the tablet\'s record is in pouchdb-server');
    assert.equal(mine.phone, '13600008888');

    // An update made on the tablet (reception) and one made on the other side (departure) meet on both.
    await tapInRow(page, '诸葛亮', '接待');
    await tap(page, '陈浩');
    await waitForLabels(page, (l) => l.includes('接待中（陈浩）') && l.includes('全部已上传'), 'reception uploaded');
    const received = (await couchJson('GET', `${db}/visit:from-couch`)).json;
    assert.equal(received.received_by, '陈浩');

    // Deleted on the other side: gone from the tablet.
    const other = (await couchJson('GET', `${db}/${encodeURIComponent(mine._id)}`)).json;
    assert.equal((await couchJson('DELETE', `${db}/${encodeURIComponent(mine._id)}?rev=${other._rev}`)).status, 200);
    await waitForLabels(page, (l) => !l.includes('司马懿') && l.includes('诸葛亮'), 'the deletion reached the tablet');
  } finally {
    await context.close();
  }
});
