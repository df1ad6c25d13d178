// Stores written by the real DocStore (build/native/seed_visits) and put into the browser's IndexedDB the way
// IDBFS keeps files, so the app opens them as on a tablet that has been in use for months. Shared by the
// benchmarks and the tests that need long lists.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const SEED = path.join(ROOT, 'build/native/seed_visits');
const SEED_TICKETS = path.join(ROOT, 'build/native/seed_tickets');

function readAndRemove(dir) {
  const files = Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('base64')]));
  fs.rmSync(dir, { recursive: true, force: true });
  return files;
}

// n visits over the last 180 days, or over the last `spreadMinutes` (all of them in today's list).
export function seedStore(n, { spreadMinutes } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `steward-seed-${n}-`));
  const args = [dir, String(n)];
  if (spreadMinutes) args.push('0', String(spreadMinutes));
  execFileSync(SEED, args, { stdio: 'pipe' });
  return readAndRemove(dir);
}

// An operations store with n tickets over the last 90 days (build/native/seed_tickets).
export function seedTickets(n) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `steward-tickets-${n}-`));
  execFileSync(SEED_TICKETS, [dir, String(n)], { stdio: 'pipe' });
  return readAndRemove(dir);
}

// Puts the seeded segment files where IDBFS keeps a signed-in person's store at the demo site (their own IndexedDB
// database /steward/u/<user>/demo, the store's folder named by its family), and loads the app again to open them
// (the session stays signed in). The app is first left for a page of the same origin that runs no app code: a
// running app may still persist its own files (sync checkpoints) after the injection and overwrite a seeded segment.
// `family`: "visits" (the host's visits) or "ops" (the butler's tickets and patrols); the person's other stores are
// left empty.
export async function injectStore(page, files, { user = 'host', family = 'visits' } = {}) {
  const appUrl = page.url();
  await page.goto(new URL('health', appUrl).href);
  await page.evaluate(async ({ files, mount, folder }) => {
    const idb = await new Promise((resolve, reject) => {
      const req = indexedDB.open(mount, 21);
      req.onupgradeneeded = () => req.result.createObjectStore('FILE_DATA');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const tx = idb.transaction(['FILE_DATA'], 'readwrite');
    const store = tx.objectStore('FILE_DATA');
    const now = new Date();
    store.clear();
    store.put({ timestamp: now, mode: 0o40777 }, `${mount}/${folder}`);
    for (const [name, b64] of Object.entries(files)) {
      const bin = atob(b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      store.put({ timestamp: now, mode: 0o100666, contents: bytes }, `${mount}/${folder}/${name}`);
    }
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
    idb.close();
  }, { files, mount: `/steward/u/${user}/demo`, folder: family });
  await page.goto(appUrl);
}
