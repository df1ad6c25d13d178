// Temporary folders for a test process (browser profiles, server data, staged web apps), removed when the process
// exits, passed or failed: each full test run made about a gigabyte of them, and nothing removed them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made = [];
process.once('exit', () => {
  for (const dir of made) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // Still in use by a process the run left behind: left for the system's own clean-up of /tmp.
    }
  }
});

// A new empty folder under the system's temporary folder, named `steward-<label>-...`.
export function tempDir(label) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `steward-${label}-`));
  made.push(dir);
  return dir;
}
