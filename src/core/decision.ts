import type { Freshness } from './freshness.js';
import type { MarketStatus } from './market-schedule.js';
import type { Pulse, RegimeInfo } from './market-analysis.js';
import type { AssetClass } from './pair.js';

export const ACTIONS = ['BUY', 'SELL', 'HOLD'] as const;
export type Action = (typeof ACTIONS)[number];

/** What a decision provider answers. Fractions are of the entry price (0.02 = 2 %). */
export interface ProviderSignal {
  action: Action;
  /** 0–100. */
  confidence: number;
  reasoning: string;
  stopLossFraction?: number;
  takeProfitFraction?: number;
  /** Fraction of equity the provider suggests risking (0.01 = 1 %). */
  sizeFraction?: number;
}

export interface MarketSnapshot {
  price: number;
  /** Open time (ms) of the last bar the price comes from. */
  barTime: number;
  timeframe: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** (close − open) / open of the last daily bar, in percent. */
  priceChangePct: number;
  /** (high − low) / close of the last daily bar, as a fraction. */
  rangeFraction: number;
  source: string;
  /** Set when the data is the bundled offline sample, with its description. */
  offlineSample: string | null;
}

/** The stored record of one analysis. Money and prices are in the pair's quote currency. */
export interface Decision {
  id: string;
  assetPair: string;
  assetClass: AssetClass;
  /** ISO time the decision is about (the data's "now"). */
  timestamp: string;
  /** ISO wall-clock time the record was written. */
  createdAt: string;
  action: Action;
  /** 0–100 integer. */
  confidence: number;
  reasoning: string;
  entryPrice: number;
  suggestedSizeUnits: number;
  suggestedSizeQuote: number;
  stopLossPrice: number | null;
  takeProfitPrice: number | null;
  stopLossFraction: number;
  takeProfitFraction: number;
  /** Fraction of balance put at risk (0.01 = 1 %). */
  riskFraction: number;
  /** What the provider said before threshold and market gates. */
  signal: { action: Action; confidence: number };
  /** Why the signal was overridden to HOLD (market closed, stale data, below threshold...). */
  gates: string[];
  market: MarketSnapshot;
  pulse: Pulse;
  regime: RegimeInfo;
  freshness: Freshness;
  marketStatus: MarketStatus;
  provider: string;
  model: string | null;
  executed: boolean;
  /** Provider- or ensemble-specific details (votes, weights, failures...). */
  metadata: Record<string, unknown>;
}

/**
 * Key of a decision's `timestamp` in ms (what Date.parse of the text gives), for a record that
 * knows it without the text: the fast book's lazily written record, whose risk gate ages the
 * decision of every refused entry. A getter of that record's class, so a copy (spread, JSON,
 * store) carries none and cannot keep a number that disagrees with a changed `timestamp`.
 */
export const TIMESTAMP_MS: unique symbol = Symbol('decision timestamp ms');

/** A decision whose class answers `TIMESTAMP_MS`. */
export interface TimedDecision extends Decision {
  readonly [TIMESTAMP_MS]: number;
}

/** `d`'s time in ms when its record knows it (`TIMESTAMP_MS`); undefined: parse `d.timestamp`. */
export const knownTimestampMs = (d: Decision): number | undefined => (d as Partial<TimedDecision>)[TIMESTAMP_MS];

/** What a list of decisions shows of each: no market snapshot, pulse or metadata (those are in the whole record). */
export const decisionSummary = (d: Decision) => ({
  id: d.id,
  assetPair: d.assetPair,
  timestamp: d.timestamp,
  createdAt: d.createdAt,
  action: d.action,
  confidence: d.confidence,
  reasoning: d.reasoning,
  entryPrice: d.entryPrice,
  suggestedSizeUnits: d.suggestedSizeUnits,
  stopLossPrice: d.stopLossPrice,
  takeProfitPrice: d.takeProfitPrice,
  signal: d.signal,
  gates: d.gates,
  regime: d.regime?.regime ?? null,
  provider: d.provider,
  model: d.model,
  executed: d.executed,
});

export type DecisionSummary = ReturnType<typeof decisionSummary>;
