// Starts the real steward-server binary on a free loopback port with its own data folder.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { tempDir } from '../support/temp_dirs.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const SERVER_BINARY = process.env.STEWARD_SERVER || path.join(ROOT, 'build/native/steward-server');
export const WEB_DIR = process.env.STEWARD_WEB || path.join(ROOT, 'build/wasm/web');

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Every demo account's password (README lists the accounts).
export const DEMO_PASSWORD = 'steward-demo';

// `args`: more server options, e.g. ['--sync-origin', url]. Everyone signs in: tablets on their login screen,
// tests with basicAuth().
export async function startServer({ port, dataDir, webDir = WEB_DIR, args = [] } = {}) {
  port = port || (await freePort());
  dataDir = dataDir || tempDir('data');
  const child = spawn(SERVER_BINARY, ['--host', '127.0.0.1', '--port', String(port), '--data', dataDir, '--web', webDir, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 15000);
    const onData = (chunk) => {
      output += chunk;
      const m = output.match(/Steward is running at (\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c) => { output += c; });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${output}`)); });
    child.once('error', (e) => { clearTimeout(timer); reject(new Error(`server did not start (${SERVER_BINARY}): ${e.message}`)); });
  });
  return {
    url, port, dataDir, child,
    async stop() {
      // Exited, or killed (then exitCode stays null): its 'exit' has been and will not come again.
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// HTTP Basic credentials of a demo account (scripts/run creates them, all with the password steward-demo), for
// tests that read or seed the server's databases directly.
export function basicAuth(user = 'admin', password = DEMO_PASSWORD) {
  return { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}
