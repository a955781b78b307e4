import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempCwd } from '../support/cli.js';

const FAKE = resolve(import.meta.dirname, '../fakes/cli/fake-assistant.mjs');

describe('LLM backtests through the cassette', () => {
  it('record once, then strict replay is identical; a fresh store misses every call; the cutoff is flagged', async () => {
    const yaml = `providers:\n  fake:\n    kind: command\n    command: ${JSON.stringify(process.execPath)}\n    args: [${JSON.stringify(FAKE)}]\n    timeout_ms: 20000\n    training_cutoff: '2024-11-15'\n`;
    const withConfig = () => {
      const dir = tempCwd();
      writeFileSync(join(dir, 'llm.yaml'), yaml);
      return dir;
    };
    const cwd = withConfig();
    // Two weeks of daily bars, a week either side of the cutoff: recording spawns the fake once a bar.
    const args = ['-c', 'llm.yaml', 'backtest', 'BTCUSD', '--start', '2024-11-08', '--end', '2024-11-22', '--timeframe', '1d', '--provider', 'fake', '--no-risk', '--json'];
    const rec = await runCli([...args, '--cassette', 'record'], { cwd, timeoutMs: 240_000 });
    expect(rec.code, rec.stderr).toBe(0);
    const a = JSON.parse(rec.stdout);
    // The fake assistant always answers SELL with high confidence: the run goes short.
    expect(a.trades.length).toBeGreaterThan(0);
    expect(a.trades.every((t: { side: string }) => t.side === 'short')).toBe(true);
    expect(a.notes.join(' ')).toMatch(/CONTAMINATION: .*before fake's training cutoff 2024-11-15/);

    expect(a.metrics.bars).toBe(14);

    // The three reads of the cassette are independent: run them side by side.
    const [replayRun, postRun, fresh] = await Promise.all([
      runCli(args, { cwd, timeoutMs: 240_000 }),
      runCli([...args, '--post-cutoff-only'], { cwd, timeoutMs: 240_000 }),
      // Strict mode never calls the model: with nothing recorded every bar is a REPLAY_MISS and HOLD.
      runCli(args, { cwd: withConfig(), timeoutMs: 240_000 }),
    ]);
    const replay = JSON.parse(replayRun.stdout);
    expect(replay.metrics).toEqual(a.metrics);
    expect(replay.trades).toEqual(a.trades);

    // 2024-11-15 … 2024-11-21: the seven bars from the cutoff on.
    const post = JSON.parse(postRun.stdout);
    expect(post.metrics.bars).toBe(7);

    expect(fresh.code).toBe(0);
    const f = JSON.parse(fresh.stdout);
    expect(f.metrics.tradeCount).toBe(0);
    // Every call missed. The decision on the last bar is never asked for: no order could follow it.
    const miss = /(\d+) of \1 provider calls failed \(REPLAY_MISS \1\).*--cassette record/.exec(f.notes.join(' '));
    expect(Number(miss?.[1])).toBe(13);
  }, 300_000);
});
