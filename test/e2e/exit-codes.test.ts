import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, tempCwd } from '../support/cli.js';

/**
 * The exit-code rule as the shell sees it, on the built binary (the full per-command table runs
 * in process: src/interfaces/cli/exit-codes.test.ts): 2 for bad input with one line, 1 for a
 * run-time failure.
 */
describe('ffe exit codes from the built binary', () => {
  it.each([
    [['bogus'], /^ffe: unknown command 'bogus' \(see ffe --help\)$/],
    [['analyze'], /^ffe: missing required argument 'pair' \(see ffe analyze --help\)$/],
    [['backtest', 'BTCUSD', '--start', '2030-01-01', '--end', '2030-02-01', '--strategy', 'sma-cross'], /no 1h bars for BTCUSD between 2030-01-01/],
  ])('%j exits 2 with one line', async (args, message) => {
    const r = await runCli(args, { cwd: tempCwd() });
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.code).toBe(2);
  });

  it('a replay with nothing to replay exits 2 and leaves no agent state behind', async () => {
    const dir = tempCwd();
    const r = await runCli(['run-agent', '--replay', '--from', '2099-01-01'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nothing to replay/);
    const file = join(dir, 'data/ffe.db');
    if (existsSync(file)) {
      const db = new Database(file, { readonly: true });
      expect(db.prepare('SELECT COUNT(*) AS n FROM agent_state').get()).toEqual({ n: 0 });
      db.close();
    }
  });

  it('a damaged database file exits 1 with one line naming the file', async () => {
    const dir = tempCwd();
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data/ffe.db'), 'this is not a database'.repeat(100));
    const r = await runCli(['history'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(join(dir, 'data/ffe.db'));
  });
});
