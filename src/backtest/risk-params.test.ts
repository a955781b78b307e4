import { describe, expect, it } from 'vitest';
import { FfeError } from '../core/errors.js';
import { runBacktest } from './engine.js';
import { InProcessRunner } from './jobs.js';
import { optimize } from './optimize.js';
import { defaultSpace, gridSearch, parseSpace } from './params.js';
import { reuseText, riskGrid, strategyParams, withRisk } from './risk-params.js';
import { STRATEGIES } from './strategies/index.js';
import { randomWalk, singlePair } from './synthetic.js';
import { DEFAULT_SETTINGS } from './types.js';

const def = STRATEGIES['sma-cross'];
const provider = { name: 'rules', params: [] };

const errorOf = (f: () => unknown): FfeError => {
  try {
    f();
  } catch (e) {
    return e as FfeError;
  }
  throw new Error('no error thrown');
};

describe('risk parameters', () => {
  it('override the settings only when present, and leave the strategy its own parameters', () => {
    expect(withRisk(DEFAULT_SETTINGS, { fast: 5 })).toBe(DEFAULT_SETTINGS);
    const s = withRisk(DEFAULT_SETTINGS, { fast: 5, stop_loss: 0.03, take_profit: 0.09, risk_fraction: 0.02 });
    expect([s.stopLoss, s.takeProfit, s.riskFraction, s.feeRate]).toEqual([0.03, 0.09, 0.02, DEFAULT_SETTINGS.feeRate]);
    expect(DEFAULT_SETTINGS.stopLoss).toBe(0.02);
    expect(strategyParams({ fast: 5, slow: 30, stop_loss: 0.03 })).toEqual({ fast: 5, slow: 30 });
  });

  it('are searchable for a strategy and a provider; unknown names list both kinds; out-of-range values are refused', () => {
    const g = gridSearch(def, parseSpace(def, ['fast=5,10', 'stop_loss=0.01,0.03']));
    expect(g).toEqual([
      { fast: 5, slow: 30, stop_loss: 0.01 },
      { fast: 5, slow: 30, stop_loss: 0.03 },
      { fast: 10, slow: 30, stop_loss: 0.01 },
      { fast: 10, slow: 30, stop_loss: 0.03 },
    ]);
    expect(gridSearch(provider, parseSpace(provider, ['risk_fraction=0.005:0.015:0.005']))).toEqual([{ risk_fraction: 0.005 }, { risk_fraction: 0.01 }, { risk_fraction: 0.015 }]);
    const unknown = errorOf(() => parseSpace(def, ['stoploss=0.1']));
    expect(unknown.code).toBe('PARAM_UNKNOWN');
    expect(unknown.message).toMatch(/fast, slow.*stop_loss, take_profit, risk_fraction/);
    expect(errorOf(() => parseSpace(provider, ['fast=5'])).message).toMatch(/rules has no parameters of its own/);
    const pct = errorOf(() => parseSpace(provider, ['stop_loss=1,2']));
    expect([pct.code, pct.exitCode]).toEqual(['PARAM_INVALID', 2]);
    expect(pct.message).toMatch(/stop_loss must lie in \[0.001, 0.5\], got 1/);
  });

  it('a provider’s default space is the ½×, 1×, 2× grid of the configured stop and target; a strategy’s stays its own parameters', () => {
    expect(riskGrid({ ...DEFAULT_SETTINGS, stopLoss: 0.3, takeProfit: 0.05 })).toEqual({ stop_loss: { values: [0.15, 0.3, 0.5] }, take_profit: { values: [0.025, 0.05, 0.1] } });
    expect(defaultSpace(provider, DEFAULT_SETTINGS)).toEqual(riskGrid(DEFAULT_SETTINGS));
    expect(Object.keys(defaultSpace(def, DEFAULT_SETTINGS))).toEqual(['fast', 'slow']);
  });

  it('each searched trial of a strategy equals a direct run with those settings', async () => {
    const data = singlePair(randomWalk(2000, { seed: 21, vol: 0.01 }));
    const inputs = { data, settings: DEFAULT_SETTINGS, strategy: 'sma-cross', risk: null };
    const span = { start: data.pairs[0].bars.timestamp[0], end: data.pairs[0].bars.timestamp[1999] + 3_600_000, warmup: 0 };
    const space = parseSpace(def, ['stop_loss=0.03,0.05', 'risk_fraction=0.005,0.01']);
    const trials = await optimize(new InProcessRunner(inputs), { def, space, method: 'grid', samples: 0, score: (m) => m.totalReturn, ...span });
    expect(trials).toHaveLength(4);
    expect(new Set(trials.map((t) => t.metrics.finalEquity)).size).toBe(4);
    for (const t of trials) {
      const direct = await runBacktest(data, def.create({ fast: 10, slow: 30 }, data), { ...DEFAULT_SETTINGS, stopLoss: t.params.stop_loss, riskFraction: t.params.risk_fraction });
      expect(t.metrics).toEqual(direct.metrics);
    }
  });

  it('the best set reads back as flags: --param for the strategy, each risk setting by its own flag or key', () => {
    expect(reuseText({ fast: 5, stop_loss: 0.03, take_profit: 0.1, risk_fraction: 0.02 })).toBe('--param fast=5 --stop-loss 0.03 --take-profit 0.1 --param risk_fraction=0.02');
  });
});
