import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempCwd } from '../support/cli.js';
import { smallModel } from '../fakes/ml-model.js';

/** `ffe ml info|evaluate` and `ffe backtest --provider ml` as a user runs them, on a small model trained to 2024-04-01. */
describe('ffe ml (CLI)', () => {
  let cwd: string;
  let id: string;

  beforeAll(async () => {
    const m = await smallModel();
    id = m.file.id;
    cwd = tempCwd('ffe-ml-cli-');
    mkdirSync(join(cwd, 'data/models'), { recursive: true });
    mkdirSync(join(cwd, 'config'));
    writeFileSync(join(cwd, 'config/config.yaml'), 'providers:\n  ml:\n    kind: ml\n');
    copyFileSync(m.path, join(cwd, 'data/models/ml.json'));
  }, 120_000);

  it('names the command to train when there is no model (exit 2)', async () => {
    const fresh = tempCwd('ffe-ml-none-');
    const r = await runCli(['ml', 'info'], { cwd: fresh });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no ml model at .*models\/ml\.json: train one with `ffe ml train PAIRS --until DATE`/);
  });

  it('describes the model in the data home', async () => {
    const r = await runCli(['ml', 'info', '--json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout) as { id: string; window: { until: string }; forest?: unknown };
    expect(m.id).toBe(id);
    expect(m.window.until).toBe('2024-04-01T00:00:00.000Z');
    expect(m.forest).toBeUndefined();
  });

  it('refuses to evaluate on bars the model has seen, and scores later ones against the rules and the majority', async () => {
    const seen = await runCli(['ml', 'evaluate', 'BTCUSD', '--from', '2024-03-15', '--to', '2024-04-15'], { cwd });
    expect(seen.code).toBe(2);
    expect(seen.stderr).toContain("is before the model's training end 2024-04-01T00:00:00.000Z");
    const r = await runCli(['ml', 'evaluate', 'BTCUSD', '--from', '2024-04-01', '--to', '2024-04-15', '--json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const e = JSON.parse(r.stdout) as { pairs: { pair: string; samples: number; ml: { accuracy: number; samples: number }; rules: { samples: number }; majorityAccuracy: number }[] };
    expect(e.pairs[0].pair).toBe('BTCUSD');
    expect(e.pairs[0].samples).toBeGreaterThan(300);
    expect(e.pairs[0].ml.samples).toBe(e.pairs[0].samples);
    expect(e.pairs[0].rules.samples).toBe(e.pairs[0].samples);
    expect(e.pairs[0].ml.accuracy).toBeGreaterThan(0);
  }, 120_000);

  it('backtests the ml provider through the live order path', async () => {
    const r = await runCli(['backtest', 'BTCUSD', '--provider', 'ml', '--start', '2024-04-01', '--end', '2024-04-20', '--json'], { cwd, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const b = JSON.parse(r.stdout) as { engine: string; metrics: { bars: number }; notes: string[] };
    expect(b.engine).toBe('execution');
    expect(b.metrics.bars).toBeGreaterThan(400);
    // No decision failed: every bar was after the training end.
    expect(b.notes.join(' ')).not.toMatch(/provider calls failed/);
  }, 150_000);
});
