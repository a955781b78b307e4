import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempCwd } from '../support/cli.js';

const YEAR = ['--start', '2024-01-01', '--end', '2025-01-01'];

describe('ffe backtest (CLI, bundled BTCUSD 1h)', () => {
  it('a year of sma-cross prints the summary and writes a self-contained HTML report; quiet on a pipe', async () => {
    const cwd = tempCwd();
    const r = await runCli(['backtest', 'BTCUSD', ...YEAR, '--strategy', 'sma-cross', '--param', 'fast=12', '--param', 'slow=48', '--output', 'report.html'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sma-cross\(12,48\)/);
    for (const label of ['total return', 'Sharpe', 'Sortino', 'Calmar', 'max drawdown', 'win rate', 'profit factor', 'expectancy', 'exposure', 'fees paid', 'buy & hold']) expect(r.stdout).toContain(label);
    const html = readFileSync(join(cwd, 'report.html'), 'utf8');
    expect(html.match(/<svg/g)?.length).toBe(2);
    expect(html).toContain('<h2>Trades');
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//);
  });

  it('a year of the rules provider, as JSON, with consistent numbers', async () => {
    const r = await runCli(['backtest', 'BTCUSD', ...YEAR, '--provider', 'rules', '--json'], { cwd: tempCwd(), timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.source).toBe('rules');
    expect(j.metrics.bars).toBe(8784);
    expect(j.metrics.tradeCount).toBe(j.trades.length);
    expect(j.metrics.tradeCount).toBeGreaterThan(0);
    const pnl = j.trades.reduce((a: number, t: { pnl: number }) => a + t.pnl, 0);
    expect(j.metrics.finalEquity).toBeCloseTo(10_000 + pnl, 6);
    expect(j.equity.at(-1)[1]).toBe(j.metrics.finalEquity);
    expect(j.metrics.buyAndHoldReturn).toBeGreaterThan(1); // BTC more than doubled in 2024
  });

  it('multi-asset runs trade both pairs through the risk gatekeeper', async () => {
    const r = await runCli(['backtest', 'BTCUSD,ETHUSD', '--start', '2024-03-01', '--end', '2024-06-01', '--strategy', 'rsi-reversion', '--json'], { cwd: tempCwd() });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.pairs).toEqual(['BTCUSD', 'ETHUSD']);
    expect(new Set(j.trades.map((t: { pair: string }) => t.pair))).toEqual(new Set(['BTCUSD', 'ETHUSD']));
  });

  it('bad input exits 2 with one clear line', async () => {
    const cases: [string[], RegExp][] = [
      [['backtest', 'BTCUSD', ...YEAR, '--strategy', 'nope'], /unknown strategy "nope"/],
      [['backtest', 'BTCUSD', ...YEAR, '--strategy', 'sma-cross', '--param', 'fast=abc'], /bad --param/],
      [['backtest', 'BTCUSD', ...YEAR, '--strategy', 'sma-cross', '--param', 'fast=50', '--param', 'slow=20'], /fast \(50\) must be below slow/],
      [['backtest', 'BTCUSD', ...YEAR, '--provider', 'nope'], /unknown provider "nope"/],
      [['backtest', 'BTCUSD', '--start', 'yesterday', '--end', '2024-02-01', '--strategy', 'sma-cross'], /--start "yesterday" is not a date/],
      [['walk-forward', 'BTCUSD', '--start', '2024-01-01', '--end', '2024-01-08', '--strategy', 'sma-cross'], /too short for one walk-forward window/],
      [['optimize', 'BTCUSD', ...YEAR, '--strategy', 'sma-cross', '--objective', 'luck'], /unknown objective "luck"/],
    ];
    // Independent refusals: run side by side (each is a whole CLI start-up), each in its own
    // directory (two processes creating one fresh store at once collide).
    const results = await Promise.all(cases.map(([args]) => runCli(args, { cwd: tempCwd(), timeoutMs: 240_000 })));
    results.forEach((r, i) => {
      expect(r.code, cases[i]![0].join(' ')).toBe(2);
      expect(r.stderr).toMatch(cases[i]![1]);
    });
  }, 300_000);

  it('optimize writes the best parameters; walk-forward and monte-carlo report consistent numbers', async () => {
    const cwd = tempCwd();
    const span = ['--start', '2024-01-01', '--end', '2024-04-01', '--strategy', 'sma-cross', '--workers', '1'];
    const o = await runCli(['optimize', 'BTCUSD', ...span, '--param', 'fast=5,10', '--param', 'slow=30,60', '--output', 'best.json', '--json'], { cwd });
    expect(o.code).toBe(0);
    const best = JSON.parse(readFileSync(join(cwd, 'best.json'), 'utf8'));
    const oj = JSON.parse(o.stdout);
    expect(oj.evaluated).toBe(4);
    expect(best.params).toEqual(oj.trials[0].params);
    expect(oj.trials.map((t: { score: number }) => t.score)).toEqual([...oj.trials.map((t: { score: number }) => t.score)].sort((a: number, b: number) => b - a));

    const w = JSON.parse((await runCli(['walk-forward', 'BTCUSD', ...span, '--param', 'fast=5,10', '--param', 'slow=30,60', '--windows', '2', '--json'], { cwd })).stdout);
    expect(w.windows).toHaveLength(2);
    expect(w.windows[1].testStart).toBe(w.windows[0].testEnd);
    expect(['NONE', 'LOW', 'MEDIUM', 'HIGH']).toContain(w.verdict.severity);

    const mc = JSON.parse((await runCli(['monte-carlo', 'BTCUSD', ...span, '--simulations', '30', '--noise', '0.1', '--json'], { cwd })).stdout);
    const f = mc.perturbation.finalEquity;
    expect(f.p5).toBeLessThanOrEqual(f.p25);
    expect(f.p25).toBeLessThanOrEqual(f.p50);
    expect(f.p50).toBeLessThanOrEqual(f.p75);
    expect(f.p75).toBeLessThanOrEqual(f.p95);
    expect(Math.abs(f.p50 / mc.base.finalEquity - 1)).toBeLessThan(0.05);
    expect(mc.bootstrap.simulations).toBe(30);
    expect(existsSync(join(cwd, 'data/ffe.db'))).toBe(true);
  });
});
