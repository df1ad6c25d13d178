// PouchDB 9 (in node, memory adapter) replicating with the real steward-server through /couch/<db>: both
// directions, updates, deletions, conflicts (the same winner, _conflicts and revisions everywhere), many
// documents in batches, attachments, checkpoints in _local, incremental and live replication; and logging in
// as PouchDB users do (HTTP Basic, or CouchDB's _session cookie), with each role reaching only its databases.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import PouchDB from 'pouchdb';
import memoryAdapter from 'pouchdb-adapter-memory';
import { startServer, DEMO_PASSWORD } from '../browser/server.mjs';
import { tempDir } from '../support/temp_dirs.mjs';

PouchDB.plugin(memoryAdapter);

let server;
let counter = 0;

before(async () => {
  // The API needs no web app: an empty folder keeps this suite independent of the WASM build.
  const webDir = tempDir('web');
  server = await startServer({ webDir });
});
after(async () => { await server.stop(); });

function local() {
  return new PouchDB(`local-${process.pid}-${++counter}`, { adapter: 'memory' });
}

const basic = (user) => `Basic ${Buffer.from(`${user}:${DEMO_PASSWORD}`).toString('base64')}`;

// A remote database on our server, with every request it makes recorded (method, path and query, body). As the
// demo server admin (HTTP Basic) unless another demo account is named; the test databases are no site's.
function remote(name, log = [], { user = 'admin', cookie } = {}) {
  return new PouchDB(`${server.url}couch/${name}`, {
    ...(cookie ? {} : { auth: { username: user, password: DEMO_PASSWORD } }),
    fetch(url, opts) {
      log.push({ method: (opts && opts.method) || 'GET', url: String(url), body: opts && opts.body });
      if (cookie) opts.headers.set('Cookie', cookie);
      return PouchDB.fetch(url, opts);
    },
  });
}

async function couch(method, pathAndQuery, body, user = 'admin') {
  const res = await fetch(`${server.url}couch/${pathAndQuery}`, {
    method,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(user ? { Authorization: basic(user) } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

// What a replica holds of one document: winner, conflicts, and every leaf with its ancestry and content.
async function docState(db, id) {
  const winner = await db.get(id, { conflicts: true });
  const leaves = await db.get(id, { open_revs: 'all', revs: true });
  return {
    rev: winner._rev,
    body: winner,
    conflicts: [...(winner._conflicts || [])].sort(),
    leaves: leaves.map((l) => l.ok).sort((a, b) => a._rev.localeCompare(b._rev)),
  };
}

test('documents replicate to the server and from it, with updates and deletions both ways', { timeout: 60000 }, async () => {
  const a = local();
  const b = local();
  const server1 = remote('two-ways');
  await a.bulkDocs([
    { _id: 'visit:1', name: '王芳', party: 2 },
    { _id: 'visit:2', name: '李雷', party: 4 },
    { _id: 'visit:3', name: '韩梅梅', party: 1 },
  ]);

  const push = await a.replicate.to(server1);
  assert.equal(push.ok, true);
  assert.equal(push.docs_written, 3);
  const info = await couch('GET', 'two-ways');
  assert.equal(info.body.doc_count, 3);

  const pull = await b.replicate.from(server1);
  assert.equal(pull.docs_written, 3);
  assert.equal((await b.get('visit:2')).name, '李雷');

  // Updates and a deletion on A travel A -> server -> B.
  const v1 = await a.get('visit:1');
  await a.put({ ...v1, party: 3 });
  await a.remove(await a.get('visit:3'));
  await a.replicate.to(server1);
  await b.replicate.from(server1);
  assert.equal((await b.get('visit:1')).party, 3);
  await assert.rejects(b.get('visit:3'), (e) => e.status === 404 && e.reason === 'deleted');
  const serverDeleted = await couch('GET', 'two-ways/visit:3');
  assert.equal(serverDeleted.status, 404);
  assert.equal(serverDeleted.body.reason, 'deleted');

  // And B -> server -> A.
  const v2 = await b.get('visit:2');
  await b.put({ ...v2, note: '靠窗' });
  await b.put({ _id: 'visit:4', name: '张伟', party: 2 });
  await b.replicate.to(server1);
  await a.replicate.from(server1);
  assert.equal((await a.get('visit:2')).note, '靠窗');
  assert.equal((await a.get('visit:4')).name, '张伟');

  // Every replica holds the same revisions.
  for (const id of ['visit:1', 'visit:2', 'visit:4']) {
    const [sa, sb, ss] = await Promise.all([docState(a, id), docState(b, id), docState(server1, id)]);
    assert.deepEqual(sa, ss, id);
    assert.deepEqual(sb, ss, id);
  }
  const serverInfo = (await couch('GET', 'two-ways')).body;
  assert.equal(serverInfo.doc_count, 3);
  assert.equal(serverInfo.doc_del_count, 1);
});

test('conflicting edits on two replicas end with the same winner, _conflicts and revisions everywhere', { timeout: 60000 }, async () => {
  const a = local();
  const b = local();
  const server1 = remote('conflicts');
  await a.put({ _id: 'visit:x', name: '王芳', party: 2 });
  await a.replicate.to(server1);
  await b.replicate.from(server1);

  // Both edit the same revision while apart, twice on A (a longer branch) and once on B; and B deletes
  // another document A edits.
  await a.put({ _id: 'visit:y', v: 1 });
  await a.put({ _id: 'visit:z', v: 1 });
  await a.replicate.to(server1);
  await b.replicate.from(server1);
  let xa = await a.get('visit:x');
  xa = { ...xa, _rev: (await a.put({ ...xa, party: 5 })).rev, party: 5 };
  await a.put({ ...xa, note: 'A' });
  const xb = await b.get('visit:x');
  await b.put({ ...xb, party: 7, note: 'B' });
  await a.put({ ...(await a.get('visit:y')), v: 2 });
  await b.remove(await b.get('visit:y'));
  // Same generation on both sides: the winner is decided by the revision hash alone.
  await a.put({ ...(await a.get('visit:z')), v: 'A' });
  await b.put({ ...(await b.get('visit:z')), v: 'B' });

  // Replicate both ways through the server, in both orders.
  await a.replicate.to(server1);
  await b.replicate.to(server1);
  await a.replicate.from(server1);
  await b.replicate.from(server1);
  await a.replicate.to(server1);

  const [sa, sb, ss] = await Promise.all([docState(a, 'visit:x'), docState(b, 'visit:x'), docState(server1, 'visit:x')]);
  assert.equal(ss.conflicts.length, 1, 'the server holds the conflict');
  assert.equal(ss.body.note, 'A', 'the longer branch wins');
  assert.deepEqual(sa, ss);
  assert.deepEqual(sb, ss);
  assert.equal(ss.leaves.length, 2);
  for (const leaf of ss.leaves) assert.ok(leaf._revisions.ids.length >= 2, 'each leaf carries its ancestry');

  // The edit beats the deletion (a live leaf wins over a tombstone), the same everywhere.
  const [ya, yb, ys] = await Promise.all([docState(a, 'visit:y'), docState(b, 'visit:y'), docState(server1, 'visit:y')]);
  assert.equal(ys.body.v, 2);
  assert.deepEqual(ya, ys);
  assert.deepEqual(yb, ys);
  const deletedLeaf = ys.leaves.find((l) => l._deleted);
  assert.ok(deletedLeaf, 'the tombstone is a leaf on the server too');

  const [za, zb, zs] = await Promise.all([docState(a, 'visit:z'), docState(b, 'visit:z'), docState(server1, 'visit:z')]);
  assert.equal(zs.conflicts.length, 1);
  assert.match(zs.rev, /^2-/);
  assert.deepEqual(za, zs);
  assert.deepEqual(zb, zs);

  // Resolving on B (deleting the losing leaf) reaches A through the server.
  await b.remove('visit:x', sb.conflicts[0]);
  await b.replicate.to(server1);
  await a.replicate.from(server1);
  const [ra, rs] = await Promise.all([docState(a, 'visit:x'), docState(server1, 'visit:x')]);
  assert.deepEqual(rs.conflicts, []);
  assert.deepEqual(ra, rs);
});

test('1,000 documents replicate in batches, both ways', { timeout: 120000 }, async () => {
  const a = local();
  const docs = [];
  for (let i = 0; i < 1000; i++) docs.push({ _id: `visit:${String(i).padStart(4, '0')}`, i, name: `访客${i}` });
  await a.bulkDocs(docs);

  const log = [];
  const push = await a.replicate.to(remote('many', log), { batch_size: 100 });
  assert.equal(push.docs_written, 1000);
  const bulkDocsCalls = log.filter((r) => r.url.includes('/_bulk_docs'));
  assert.ok(bulkDocsCalls.length >= 10, `${bulkDocsCalls.length} _bulk_docs requests`);
  const info = (await couch('GET', 'many')).body;
  assert.equal(info.doc_count, 1000);
  assert.equal(info.update_seq, 1000);

  const b = local();
  const pull = await b.replicate.from(remote('many'), { batch_size: 250 });
  assert.equal(pull.docs_written, 1000);
  const all = await b.allDocs({ include_docs: true });
  assert.equal(all.rows.length, 1000);
  assert.equal(all.rows[999].doc.i, 999);
});

test('replication checkpoints are stored in _local on the server, and a second run sends only what is new', { timeout: 60000 }, async () => {
  const a = local();
  await a.bulkDocs(Array.from({ length: 20 }, (_, i) => ({ _id: `d${i}`, i })));

  // Push.
  let log = [];
  await a.replicate.to(remote('checkpoints', log));
  const checkpointPut = log.find((r) => r.method === 'PUT' && r.url.includes('/_local/'));
  assert.ok(checkpointPut, 'PouchDB wrote its checkpoint to the server');
  const checkpointPath = new URL(checkpointPut.url).pathname.replace('/couch/', '');
  const checkpoint = await couch('GET', checkpointPath);
  assert.equal(checkpoint.status, 200);
  assert.ok(checkpoint.body.last_seq, 'the checkpoint holds the last sequence');
  assert.match(checkpoint.body._rev, /^0-\d+$/);

  await a.bulkDocs(Array.from({ length: 5 }, (_, i) => ({ _id: `new${i}`, i })));
  log = [];
  const second = await a.replicate.to(remote('checkpoints', log));
  assert.equal(second.docs_read, 5);
  assert.equal(second.docs_written, 5);
  const pushed = log.filter((r) => r.url.includes('/_bulk_docs')).flatMap((r) => JSON.parse(r.body).docs);
  assert.deepEqual(pushed.map((d) => d._id).sort(), ['new0', 'new1', 'new2', 'new3', 'new4']);
  const diffed = log.filter((r) => r.url.includes('/_revs_diff')).flatMap((r) => Object.keys(JSON.parse(r.body)));
  assert.equal(diffed.length, 5, 'only the new documents are offered');

  // Pull: the second run asks the server's feed from the checkpoint on.
  const b = local();
  await b.replicate.from(remote('checkpoints'));
  await couch('PUT', 'checkpoints/late', { v: 1 });
  log = [];
  const pull = await b.replicate.from(remote('checkpoints', log));
  assert.equal(pull.docs_written, 1);
  const changes = log.filter((r) => r.url.includes('/_changes'));
  assert.ok(changes.length >= 1);
  const since = new URL(changes[0].url).searchParams.get('since');
  assert.equal(since, '25', 'from the checkpoint, not from 0');
  const fetched = log.filter((r) => r.url.includes('/_bulk_get')).flatMap((r) => JSON.parse(r.body).docs);
  assert.deepEqual(fetched.map((d) => d.id), ['late']);
});

test('attachments replicate through the server', { timeout: 60000 }, async () => {
  const a = local();
  const b = local();
  const photo = Buffer.from('not really a jpeg \u0000\u00ff bytes');
  await a.put({
    _id: 'visit:photo',
    name: '王芳',
    _attachments: { 'plate.jpg': { content_type: 'image/jpeg', data: photo } },
  });
  await a.replicate.to(remote('attachments'));
  const stub = (await couch('GET', 'attachments/visit:photo')).body._attachments['plate.jpg'];
  assert.equal(stub.stub, true);
  assert.equal(stub.length, photo.length);
  const hex = (bytes) => Buffer.from(bytes).toString('hex');
  const raw = await fetch(`${server.url}couch/attachments/visit:photo/plate.jpg`, { headers: { Authorization: basic('admin') } });
  assert.equal(hex(await raw.arrayBuffer()), hex(photo));

  await b.replicate.from(remote('attachments'));
  assert.equal(hex(await b.getAttachment('visit:photo', 'plate.jpg')), hex(photo));

  // An edit that keeps the attachment goes back with a stub, and the bytes stay.
  const doc = await b.get('visit:photo');
  await b.put({ ...doc, name: '王芳芳' });
  await b.replicate.to(remote('attachments'));
  await a.replicate.from(remote('attachments'));
  assert.equal((await a.get('visit:photo')).name, '王芳芳');
  assert.equal(hex(await a.getAttachment('visit:photo', 'plate.jpg')), hex(photo));
});

test('live replication from the server picks up a write within moments (longpoll)', { timeout: 60000 }, async () => {
  const b = local();
  await couch('PUT', 'live');
  const replication = b.replicate.from(remote('live'), { live: true, retry: false });
  const completed = new Promise((resolve) => replication.on('complete', resolve));
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));  // caught up, waiting in a longpoll
    const wrote = Date.now();
    await couch('PUT', 'live/arrives', { v: 1 });
    for (;;) {
      try {
        const doc = await b.get('arrives');
        assert.equal(doc.v, 1);
        break;
      } catch (e) {
        if (e.status !== 404) throw e;
        if (Date.now() - wrote > 10000) throw new Error('the write did not arrive');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    assert.ok(Date.now() - wrote < 5000, `arrived after ${Date.now() - wrote} ms`);
  } finally {
    replication.cancel();
    await completed;
  }
});

test('PouchDB replicates with a demo account\'s credentials (HTTP Basic), each role only where it may', { timeout: 60000 }, async () => {
  // The butler works on the site's operations both ways.
  const a = local();
  await a.put({ _id: 'ticket:basic', type: 'ticket', title: '电梯厅灯不亮' });
  const push = await a.replicate.to(remote('demo-ops', [], { user: 'butler' }));
  assert.equal(push.docs_written, 1);
  const b = local();
  const pull = await b.replicate.from(remote('demo-ops', [], { user: 'butler' }));
  assert.ok(pull.docs_written >= 1);
  assert.equal((await b.get('ticket:basic')).title, '电梯厅灯不亮');

  // Owner files: the butler reads them (and keeps a checkpoint on the server), but cannot write them.
  const owners = local();
  const log = [];
  const read = await owners.replicate.from(remote('demo-owners', log, { user: 'butler' }));
  assert.equal(read.docs_written, 5);
  assert.ok(log.some((r) => r.method === 'PUT' && r.url.includes('/_local/')), 'the pull checkpoint was written');
  const file = (await owners.allDocs({ include_docs: true })).rows[0].doc;
  await owners.put({ ...file, notes: 'changed on a tablet' });
  await assert.rejects(owners.replicate.to(remote('demo-owners', [], { user: 'butler' })), (e) => e.status === 403);
  assert.notEqual((await couch('GET', `demo-owners/${encodeURIComponent(file._id)}`)).body.notes, 'changed on a tablet');

  // Nothing of another family without a role for it; nothing at all without credentials.
  await assert.rejects(local().replicate.from(remote('demo-visits', [], { user: 'butler' })), (e) => e.status === 403);
  const anonymous = new PouchDB(`${server.url}couch/demo-ops`);
  await assert.rejects(local().replicate.from(anonymous), (e) => e.status === 401);
  const wrong = new PouchDB(`${server.url}couch/demo-ops`, { auth: { username: 'butler', password: 'not-it' } });
  await assert.rejects(local().replicate.from(wrong), (e) => e.status === 401);
});

test('PouchDB replicates with the cookie of a CouchDB _session login, which logout ends', { timeout: 60000 }, async () => {
  const login = await fetch(`${server.url}couch/_session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'host', password: DEMO_PASSWORD }),
  });
  assert.equal(login.status, 200);
  assert.deepEqual(await login.json(), { ok: true, name: 'host', roles: ['demo:showroom_host'] });
  const cookie = login.headers.get('set-cookie').split(';')[0];

  const a = local();
  await a.put({ _id: 'visit:cookie', type: 'visit', name: '林小姐' });
  const push = await a.replicate.to(remote('demo-visits', [], { cookie }));
  assert.equal(push.docs_written, 1);
  const session = await (await fetch(`${server.url}couch/_session`, { headers: { Cookie: cookie } })).json();
  assert.deepEqual(session.userCtx, { name: 'host', roles: ['demo:showroom_host'] });

  // The showroom host has no business with the operations database.
  await assert.rejects(local().replicate.from(remote('demo-ops', [], { cookie })), (e) => e.status === 403);

  const logout = await fetch(`${server.url}couch/_session`, { method: 'DELETE', headers: { Cookie: cookie } });
  assert.equal(logout.status, 200);
  await assert.rejects(local().replicate.from(remote('demo-visits', [], { cookie })), (e) => e.status === 401);
});
