import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];
let hooked = false;

/**
 * A temporary folder removed when the bench process exits, however the suite ends: the 1 M-bar
 * suites leave hundreds of MB of SQLite and profiles behind otherwise, and a bench that dies mid-run
 * would leave them too if the removal sat in each suite's `finally`.
 */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const d of made) rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}
