import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempCwd } from '../support/cli.js';

/** A replay refused as bad input (exit 2) leaves no sandbox store behind; one that already existed stays. */
describe('a refused replay', () => {
  it('removes the sandbox it created, and the sandboxes folder it created', async () => {
    const dir = tempCwd();
    const r = await runCli(['run-agent', '--replay', '--from', '2099-01-01', '--sandbox', 'x'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nothing to replay/);
    expect(existsSync(join(dir, 'data/sandboxes/x.db'))).toBe(false);
    expect(existsSync(join(dir, 'data/sandboxes'))).toBe(false);
  });

  it('removes an unnamed replay sandbox too', async () => {
    const dir = tempCwd();
    mkdirSync(join(dir, 'data/sandboxes'), { recursive: true });
    const r = await runCli(['run-agent', '--replay', '--from', '2099-01-01'], { cwd: dir });
    expect(r.code).toBe(2);
    // The folder existed before: it stays, empty.
    expect(existsSync(join(dir, 'data/sandboxes'))).toBe(true);
    expect(readdirSync(join(dir, 'data/sandboxes'))).toEqual([]);
  });

  it('keeps a sandbox that existed before', async () => {
    const dir = tempCwd();
    mkdirSync(join(dir, 'data/sandboxes'), { recursive: true });
    writeFileSync(join(dir, 'data/sandboxes/kept.db'), '');
    const r = await runCli(['run-agent', '--replay', '--from', '2099-01-01', '--sandbox', 'kept'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(existsSync(join(dir, 'data/sandboxes/kept.db'))).toBe(true);
  });
});
