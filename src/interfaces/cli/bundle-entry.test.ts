import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * bin/entry.js decides whether the bins run the CLI bundle or the tsc output: the bundle only
 * while nothing it was built from changed (issue 17: the bundle must never run stale code). Run
 * on a copy of bin/entry.js in a throwaway package folder, so the real build is not touched.
 */
const REPO = resolve(import.meta.dirname, '../../..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

type Entry = typeof import('../../../bin/entry.js');

/** A package folder with bin/entry.js, two tsc output files, node_modules/.package-lock.json and a bundle built from them. */
async function pkg() {
  const root = mkdtempSync(join(tmpdir(), 'ffe-bundle-entry-'));
  dirs.push(root);
  for (const d of ['bin', 'scripts', 'dist/src/interfaces/cli', 'dist/src/core', 'dist/src/cli-bundle', 'node_modules']) mkdirSync(join(root, d), { recursive: true });
  for (const f of ['bin/entry.js', 'scripts/bundle-cli.mjs']) copyFileSync(join(REPO, f), join(root, f));
  const inputs = ['dist/src/interfaces/cli/main.js', 'dist/src/core/errors.js'];
  const past = new Date(Date.now() - 60_000);
  for (const f of [...inputs, 'node_modules/.package-lock.json']) {
    writeFileSync(join(root, f), '');
    utimesSync(join(root, f), past, past);
  }
  const m = (await import(pathToFileURL(join(root, 'bin/entry.js')).href)) as Entry;
  writeFileSync(
    join(root, m.STAMP),
    JSON.stringify(
      m.stampOf(
        inputs,
        inputs.map((f) => m.mtime(f)!),
      ),
    ),
  );
  const ran = () => m.entry('cli', 'interfaces/cli/main.js').slice(pathToFileURL(root).href.length + 1);
  /** `node scripts/bundle-cli.mjs --restamp` in the package: its exit status. */
  const restamp = () => {
    try {
      execFileSync(process.execPath, [join(root, 'scripts/bundle-cli.mjs'), '--restamp'], { stdio: 'pipe' });
      return 0;
    } catch (e) {
      return (e as { status: number }).status;
    }
  };
  return { root, ran, restamp };
}

describe('bin/entry.js: the CLI bundle or the tsc output', () => {
  it('runs the bundle while it is current, and FFE_CLI_BUNDLE=off runs the tsc output', async () => {
    const { ran } = await pkg();
    expect(ran()).toBe('dist/src/cli-bundle/cli.js');
    process.env.FFE_CLI_BUNDLE = 'off';
    try {
      expect(ran()).toBe('dist/src/interfaces/cli/main.js');
    } finally {
      delete process.env.FFE_CLI_BUNDLE;
    }
  });

  it('runs the tsc output once any file the bundle holds was rewritten (a tsc run, tsc --watch) or removed', async () => {
    const a = await pkg();
    writeFileSync(join(a.root, 'dist/src/core/errors.js'), '// rebuilt');
    expect(a.ran()).toBe('dist/src/interfaces/cli/main.js');
    const b = await pkg();
    rmSync(join(b.root, 'dist/src/core/errors.js'));
    expect(b.ran()).toBe('dist/src/interfaces/cli/main.js');
  });

  it('runs the tsc output after an npm install (the bundled packages may have changed) and when there is no bundle', async () => {
    const a = await pkg();
    writeFileSync(join(a.root, 'node_modules/.package-lock.json'), '{}');
    expect(a.ran()).toBe('dist/src/interfaces/cli/main.js');
    const b = await pkg();
    rmSync(join(b.root, 'dist/src/cli-bundle'), { recursive: true });
    expect(b.ran()).toBe('dist/src/interfaces/cli/main.js');
  });

  it('--restamp after `npm prune` (the Docker image) vouches for a bundle again, but never for one whose tsc output changed', async () => {
    const a = await pkg();
    writeFileSync(join(a.root, 'node_modules/.package-lock.json'), '{"pruned":true}');
    expect(a.ran()).toBe('dist/src/interfaces/cli/main.js');
    expect(a.restamp()).toBe(0);
    expect(a.ran()).toBe('dist/src/cli-bundle/cli.js');
    const b = await pkg();
    writeFileSync(join(b.root, 'node_modules/.package-lock.json'), '{"pruned":true}');
    writeFileSync(join(b.root, 'dist/src/core/errors.js'), '// rebuilt');
    expect(b.restamp()).toBe(1);
    expect(b.ran()).toBe('dist/src/interfaces/cli/main.js');
  });
});
