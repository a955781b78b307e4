import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempCwd } from '../support/cli.js';

const SPAN = ['--start', '2024-09-01', '--end', '2025-01-01'];

describe('risk-parameter search and the rules provider in optimize, walk-forward and monte-carlo (CLI, bundled BTCUSD 1h)', () => {
  it('optimize --provider rules searches the default risk grid on worker threads, the same as in process', async () => {
    const cwd = tempCwd();
    const args = ['optimize', 'BTCUSD', ...SPAN, '--provider', 'rules', '--json'];
    const threads = await runCli([...args, '--workers', '2', '--output', 'best.json'], { cwd, timeoutMs: 120_000 });
    expect(threads.stderr).toBe('');
    expect(threads.code).toBe(0);
    const t = JSON.parse(threads.stdout);
    expect(t.provider).toBe('rules');
    expect(t.evaluated).toBe(9);
    expect(Object.keys(t.best.params).sort()).toEqual(['stop_loss', 'take_profit']);
    expect(JSON.parse(readFileSync(join(cwd, 'best.json'), 'utf8')).params).toEqual(t.best.params);
    const local = JSON.parse((await runCli([...args, '--workers', '1'], { cwd: tempCwd(), timeoutMs: 120_000 })).stdout);
    expect(local.trials).toEqual(t.trials);
    // The configured stop and target are one trial, and it is the single backtest on the same book.
    const single = JSON.parse((await runCli(['backtest', 'BTCUSD', ...SPAN, '--provider', 'rules', '--engine', 'fast', '--json'], { cwd: tempCwd(), timeoutMs: 120_000 })).stdout);
    const configured = t.trials.find((x: { params: Record<string, number> }) => x.params.stop_loss === single.settings.stopLoss && x.params.take_profit === single.settings.takeProfit);
    expect(configured.metrics).toEqual(single.metrics);
  });

  it('a strategy search over a risk parameter prints it and says how to reuse it', async () => {
    const r = await runCli(['optimize', 'BTCUSD', ...SPAN, '--strategy', 'sma-cross', '--param', 'fast=5,10', '--param', 'stop_loss=0.01,0.03', '--workers', '1'], { cwd: tempCwd() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/4 combinations/);
    expect(r.stdout).toMatch(/│ # +│ fast +│ slow +│ stop_loss/);
    expect(r.stdout).toMatch(/best: --param fast=\d+ --param slow=30 --stop-loss 0\.0[13]/);
  });

  it('walk-forward and perturbation Monte Carlo run the rules provider', async () => {
    const cwd = tempCwd();
    const w = JSON.parse((await runCli(['walk-forward', 'BTCUSD', ...SPAN, '--provider', 'rules', '--param', 'take_profit=0.03,0.08', '--windows', '2', '--workers', '1', '--json'], { cwd, timeoutMs: 120_000 })).stdout);
    expect(w.provider).toBe('rules');
    expect(w.windows).toHaveLength(2);
    expect(w.windows.map((x: { trials: number }) => x.trials)).toEqual([2, 2]);
    expect([0.03, 0.08]).toContain(w.windows[0].best.take_profit);

    const mc = JSON.parse((await runCli(['monte-carlo', 'BTCUSD', ...SPAN, '--provider', 'rules', '--simulations', '12', '--noise', '0.25', '--workers', '1', '--json'], { cwd, timeoutMs: 120_000 })).stdout);
    expect(mc.source).toBe('rules');
    expect(mc.perturbation.simulations).toBe(12);
    expect(mc.perturbation.finalEquity.max).toBeGreaterThan(mc.perturbation.finalEquity.min);
    expect(mc.notes).toEqual([]);
  });

  it('LLM-backed providers are refused for search with the reason; Monte Carlo gives them the bootstrap only', async () => {
    const cwd = tempCwd();
    for (const cmd of ['optimize', 'walk-forward']) {
      const r = await runCli([cmd, 'BTCUSD', ...SPAN, '--provider', 'ensemble'], { cwd });
      expect(r.code, cmd).toBe(2);
      expect(r.stderr).toMatch(/provider "ensemble" cannot be optimised.*strict cassette.*recorded prompts/);
    }
    const mc = await runCli(['monte-carlo', 'BTCUSD', '--start', '2024-12-01', '--end', '2025-01-01', '--provider', 'ensemble', '--simulations', '20', '--json'], { cwd, timeoutMs: 120_000 });
    expect(mc.code, mc.stderr).toBe(0);
    const j = JSON.parse(mc.stdout);
    expect(j.perturbation).toBeNull();
    expect(j.bootstrap.simulations).toBe(20);
    expect(j.notes.join(' ')).toMatch(/no price-path perturbation for ensemble: .*strict cassette/);
  });
});
