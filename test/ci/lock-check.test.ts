import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
const SCRIPT = join(REPO, '.ci/lock-check.mjs');

type Lock = { lockfileVersion: number; packages: Record<string, Record<string, unknown>> };

/** Writes both lockfiles to a temp dir and runs the checker as CI does. */
function check(before: Lock, after: Lock, root = REPO) {
  const dir = mkdtempSync(join(tmpdir(), 'ffe-lock-'));
  writeFileSync(join(dir, 'before.json'), JSON.stringify(before));
  writeFileSync(join(dir, 'after.json'), JSON.stringify(after));
  const r = spawnSync(process.execPath, [SCRIPT, join(dir, 'before.json'), join(dir, 'after.json'), '--root', root], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const committed = (): Lock => JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8'));

describe('.ci/lock-check.mjs against the committed lockfile and the installed node_modules', () => {
  it('an unchanged lockfile passes', () => {
    const r = check(committed(), committed());
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/installed versions match/);
  });

  it('an optional platform entry npm adds (not installed here) passes and is reported as ignored', () => {
    const after = committed();
    after.packages['node_modules/@rollup/rollup-plan9-mips'] = { version: '4.99.0', optional: true, os: ['plan9'], cpu: ['mips'] };
    after.packages['node_modules/@msgpackr-extract/msgpackr-extract-win32-x64'] = { version: '9.9.9', optional: true, os: ['win32'], cpu: ['x64'] };
    const r = check(committed(), after);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/ignored 2 optional entries/);
  });

  it('a changed resolved version of an installed package fails and names it, old → new', () => {
    const before = committed();
    const after = committed();
    const old = before.packages['node_modules/zod']!.version as string;
    after.packages['node_modules/zod']!.version = '4.99.0';
    const r = check(before, after);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`zod: ${old} → 4.99.0`);
    expect(r.err.split('\n').filter((l) => l.startsWith('  '))).toHaveLength(1);
  });

  it('an optional package that is installed here (the linux-x64 rollup binary) counts when its version moves', () => {
    const before = committed();
    const key = Object.keys(before.packages).find((k) => k.startsWith('node_modules/@rollup/rollup-linux-x64-gnu'))!;
    const after = committed();
    after.packages[key]!.version = '0.0.1';
    const r = check(before, after);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`@rollup/rollup-linux-x64-gnu: ${before.packages[key]!.version} → 0.0.1`);
  });
});

describe('.ci/lock-check.mjs rules on a small fixture', () => {
  const root = mkdtempSync(join(tmpdir(), 'ffe-lockroot-'));
  mkdirSync(join(root, 'node_modules/a'), { recursive: true });
  writeFileSync(join(root, 'node_modules/a/package.json'), '{}');
  mkdirSync(join(root, 'node_modules/opt-here'), { recursive: true });
  writeFileSync(join(root, 'node_modules/opt-here/package.json'), '{}');
  const base = (): Lock => ({
    lockfileVersion: 3,
    packages: {
      '': { dependencies: { a: '^1.0.0' } },
      'node_modules/a': { version: '1.0.0' },
      'node_modules/b': { version: '2.0.0', dev: true },
      'node_modules/opt-here': { version: '3.0.0', optional: true },
      'node_modules/opt-absent': { version: '3.0.0', optional: true },
    },
  });

  it('a non-optional entry added or removed fails even when not on disk', () => {
    const after = base();
    delete after.packages['node_modules/b'];
    after.packages['node_modules/a/node_modules/c'] = { version: '1.2.3' };
    const r = check(base(), after, root);
    expect(r.code).toBe(1);
    expect(r.err).toContain('b: 2.0.0 → (none)');
    expect(r.err).toContain('a > c: (none) → 1.2.3');
  });

  it('a range package.json declares that differs from the lockfile fails', () => {
    const after = base();
    (after.packages['']!.dependencies as Record<string, string>).a = '^2.0.0';
    const r = check(base(), after, root);
    expect(r.code).toBe(1);
    expect(r.err).toContain('package.json dependencies a: ^1.0.0 → ^2.0.0');
  });

  it('optional entries: installed ones count, absent ones are ignored, removed absent ones too', () => {
    const moved = base();
    moved.packages['node_modules/opt-absent']!.version = '3.1.0';
    delete moved.packages['node_modules/opt-absent'];
    expect(check(base(), moved, root).code).toBe(0);
    const here = base();
    here.packages['node_modules/opt-here']!.version = '3.1.0';
    const r = check(base(), here, root);
    expect(r.code).toBe(1);
    expect(r.err).toContain('opt-here: 3.0.0 → 3.1.0');
  });

  it('bad usage exits 2', () => {
    const r = spawnSync(process.execPath, [SCRIPT, 'only-one.json'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
  });
});
