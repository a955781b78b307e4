import type { ProviderSignal } from '../core/decision.js';
import type { Freshness } from '../core/freshness.js';
import type { MarketStatus } from '../core/market-schedule.js';
import type { Pulse, RegimeInfo } from '../core/market-analysis.js';
import type { PairInfo } from '../core/pair.js';
import type { NewsItem, SampleInfo } from '../data/port.js';

/** An open position as the analysis sees it (what the ensemble holds). */
export interface PositionView {
  pair: string;
  side: 'long' | 'short';
  units: number;
  entryPrice: number;
  unrealizedPnl: number;
  /** ms. */
  openedAt: number;
}

/** Everything a provider may use to decide. Nothing in it postdates `asOf`. */
export interface AnalysisContext {
  pair: PairInfo;
  /** ms: decision time. */
  asOf: number;
  price: number;
  pulse: Pulse;
  regime: RegimeInfo;
  marketStatus: MarketStatus;
  freshness: Freshness;
  positions: PositionView[];
  /** Compact summary of recent outcomes (feedback loop), when memory is available. */
  memorySummary: string | null;
  /** Round-trip cost assumptions (fractions of notional). */
  costs: { feeRate: number; slippageRate: number };
  news: NewsItem[];
  sample: SampleInfo | null;
}

export type ProviderFailureCode = 'TIMEOUT' | 'ABORTED' | 'HTTP' | 'UNREACHABLE' | 'INVALID_OUTPUT' | 'NOT_INSTALLED' | 'BUDGET_EXHAUSTED' | 'REPLAY_MISS' | 'ERROR';

export interface ProviderUsage {
  promptTokens?: number;
  completionTokens?: number;
}

export type ProviderResult =
  | { ok: true; signal: ProviderSignal; latencyMs: number; usage?: ProviderUsage; metadata?: Record<string, unknown> }
  | { ok: false; code: ProviderFailureCode; reason: string; latencyMs: number; usage?: ProviderUsage; metadata?: Record<string, unknown> };

export interface DecideOptions {
  signal?: AbortSignal;
}

/**
 * The DecisionProvider port. Adapters live in src/providers/<kind>/. A provider never throws
 * for a bad answer or a dead server: it returns a typed failure with a reason.
 */
export interface DecisionProvider {
  readonly name: string;
  readonly kind: string;
  readonly model: string | null;
  decide(ctx: AnalysisContext, opts?: DecideOptions): Promise<ProviderResult>;
}
