import { spawn } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FFE_BIN, tempCwd, type CliResult } from '../support/cli.js';

// Root writes through any file mode: as root, run the CLI as an unprivileged user so the mode counts.
const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

function ffe(args: string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FFE_BIN, ...args], { cwd, ...asUser, env: { PATH: process.env.PATH ?? '', HOME: cwd, TZ: 'UTC', FFE_HOME: join(cwd, 'data') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('a store that became read-only between commands', () => {
  it('a command that writes (analyze stores its decision) fails with one classified line naming the file, exit 1', async () => {
    const cwd = tempCwd();
    chmodSync(cwd, 0o777);
    const first = await ffe(['status'], cwd);
    expect(first.code, first.stderr).toBe(0);
    const db = join(cwd, 'data/ffe.db');
    chmodSync(db, 0o444);
    const r = await ffe(['analyze', 'BTCUSD'], cwd);
    expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
    expect(r.stderr).toContain(`ffe: the database ${db} is read-only`);
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(r.code).toBe(1);
    // Reading still works: the store opens, only the write is refused.
    expect((await ffe(['history'], cwd)).code).toBe(0);
  });
});
