import type { Clock } from '../core/clock.js';
import type { MarketData } from '../data/port.js';
import { AnalysisEngine, type EngineSettings } from '../engine/analysis-engine.js';
import type { DecisionProvider } from '../providers/port.js';
import type { DecisionRepository } from '../store/port.js';
import { PointInTimeFeed } from './feed.js';
import type { ProviderInputs } from './inputs.js';
import type { BacktestData } from './port.js';
import { ProviderSource } from './provider-source.js';
import { policyOf, type BacktestSettings } from './types.js';

/** Makes the provider a provider run names; adapters live outside this layer, so runners are given one. */
export type ProviderFactory = (p: ProviderInputs) => DecisionProvider;

/** Engine settings under a backtest's settings: the trade policy, threshold and costs are the run's, as `backtest()` applies them. */
export function backtestEngineSettings(base: EngineSettings, s: BacktestSettings): EngineSettings {
  return {
    ...base,
    policy: policyOf(s),
    decisionThreshold: s.decisionThreshold,
    costs: { feeRate: s.feeRate, slippageRate: s.slippageRate },
  };
}

/** The engine only decides here (decide() reads no market data, store or clock); a read would be a bug, so it says so. */
function unused<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get: (_, k) => {
      throw new Error(`${what}.${String(k)} is not available to a backtest's analysis engine`);
    },
  });
}
const NO_MARKET_DATA = unused<MarketData>('marketData');
const NO_DECISIONS = unused<DecisionRepository>('decisions');
const NO_CLOCK = unused<Clock>('clock');

/**
 * A fresh provider source for one run over `data` (a window or a perturbed copy): point-in-time
 * feeds over `frames`, and an analysis engine whose gates and sizing follow `settings`, whose
 * account is the simulated book — the same wiring as `prepareBacktest`, from plain data.
 */
export function providerSource(p: ProviderInputs, provider: DecisionProvider, data: BacktestData, settings: BacktestSettings, frames = p.frames): ProviderSource {
  const es = backtestEngineSettings(p.engine, settings);
  const feeds = data.pairs.map((s, k) => new PointInTimeFeed(s.pair.symbol, frames[k], p.historyBars));
  let ps: ProviderSource | null = null;
  const engine = new AnalysisEngine({
    marketData: NO_MARKET_DATA,
    decisions: NO_DECISIONS,
    resolveProvider: () => provider,
    fallbackProvider: null,
    clock: NO_CLOCK,
    settings: es,
    account: { balance: async () => ps?.currentBook?.equity() ?? settings.initialBalance, positions: async () => ps?.positions() ?? [] },
  });
  ps = new ProviderSource(data, { provider, engine, feeds, costs: es.costs, freshness: es.freshness, fill: settings.fill });
  return ps;
}
