import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/cli.js';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { exports: Record<string, unknown>; bin: Record<string, string>; files: string[] };

/** Every file path an `exports` map names (conditions nest). */
const targets = (v: unknown): string[] => (typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(targets) : []);
const rel = (p: string) => p.replace(/^\.\//, '');

// The global setup has built dist/, as `npm install` (prepare) does for a user.
describe('package.json names only files that exist once built, and the tarball ships them', () => {
  it('every exports, bin and files target exists', () => {
    const missing = [...targets(pkg.exports), ...Object.values(pkg.bin), ...pkg.files].map(rel).filter((p) => !existsSync(join(REPO, p)));
    expect(missing).toEqual([]);
    for (const bin of Object.values(pkg.bin)) {
      accessSync(join(REPO, bin), constants.X_OK);
      expect(readFileSync(join(REPO, bin), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    }
  });

  it('npm pack would ship every exports and bin target, and no test file', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, maxBuffer: 64 << 20 });
    const shipped = new Set((JSON.parse(stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
    expect([...targets(pkg.exports), ...Object.values(pkg.bin)].map(rel).filter((p) => !shipped.has(p))).toEqual([]);
    expect([...shipped].filter((p) => /\.test\.(js|ts)$/.test(p))).toEqual([]);
    // npm walks every file of the package: close to 30 s on a loaded machine.
  }, 120_000);

  it('the package root exports the public API (domain and indicators) to a consumer importing it by name', async () => {
    const script =
      "const m = await import('finance-feedback-engine'); const i = await import('finance-feedback-engine/indicators'); console.log(JSON.stringify([typeof m.FfeError, typeof m.sma, typeof m.SMA, typeof i.rsi, m.sma === i.sma]));";
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO });
    expect(JSON.parse(stdout)).toEqual(['function', 'function', 'function', 'function', true]);
  });
});
