import type { Candle } from '../core/candle.js';
import { sliceColumns } from '../data/columns.js';
import type { FreshnessThresholds } from '../core/freshness.js';
import type { Timeframe } from '../core/timeframe.js';
import type { EngineSettings } from '../engine/analysis-engine.js';
import { RiskGatekeeper } from '../risk/gatekeeper.js';
import type { RiskConfig } from '../risk/types.js';
import type { FrameSource } from './feed.js';
import type { BacktestData, RiskGate } from './port.js';
import { GatekeeperRiskGate } from './risk-gate.js';
import { lowerBound } from './search.js';
import type { BacktestSettings } from './types.js';

/**
 * A run driven by a pure decision provider (rules) instead of a strategy: what its point-in-time
 * feeds and analysis engine are rebuilt from on every run. The provider itself is not data; the
 * runner's `ProviderFactory` makes it from `name` and `kind`.
 */
export interface ProviderInputs {
  name: string;
  kind: 'rules';
  /** Per pair, in `data.pairs` order: every timeframe the feed reads, from `historyBars` before the start. */
  frames: Partial<Record<Timeframe, FrameSource>>[];
  historyBars: number;
  /** The configured engine settings, before a run's backtest settings override sizing, threshold and costs. */
  engine: EngineSettings;
}

/**
 * Everything a strategy or provider run needs, as plain data: it crosses worker_threads by
 * structured clone and is rebuilt from a request by `ffe worker` processes.
 */
export interface RunInputs {
  data: BacktestData;
  settings: BacktestSettings;
  strategy: string;
  risk: { limits: RiskConfig; daily: Candle[][]; freshness: FreshnessThresholds; /** Whose midnight starts the daily-loss day (agent.timezone; default UTC). */ timeZone?: string } | null;
  /** Set for a provider run (then `strategy` is unused). */
  provider?: ProviderInputs;
}

export const makeRiskGate = (inp: RunInputs, data: BacktestData = inp.data): RiskGate | undefined =>
  inp.risk ? new GatekeeperRiskGate(new RiskGatekeeper(inp.risk.limits), inp.risk.limits, data, inp.risk.daily, inp.risk.freshness, inp.settings.fill, inp.risk.timeZone) : undefined;

/**
 * The bars opening in [start, end), traded from `start`, with up to `warmup` earlier bars as
 * indicator history (views, no copies).
 */
export function window(data: BacktestData, start: number, end: number, warmup: number): BacktestData {
  return {
    timeframe: data.timeframe,
    pairs: data.pairs.map((p) => {
      const a = lowerBound(p.bars.timestamp, start);
      const b = lowerBound(p.bars.timestamp, end);
      const from = Math.max(0, a - warmup);
      // The 1m bars stay whole: they are looked up by time.
      return { pair: p.pair, bars: sliceColumns(p.bars, from, b), first: a - from, ...(p.finer ? { finer: p.finer } : {}) };
    }),
  };
}
