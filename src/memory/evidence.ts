import { bootstrapCi, optimalBlockLength, type BootstrapCi } from '../backtest/block-bootstrap.js';
import { sharpeOf } from '../backtest/overfitting.js';
import { decideByTiers, normalise } from '../ensemble/tiers.js';
import { buildOutcome } from './outcome.js';
import type { ProviderVote, TradeOutcome } from './types.js';
import { adaptiveWeights, type WeightParams } from './weights.js';

/**
 * Evidence for the feedback loop: does learning the ensemble weights from closed trades beat
 * equal or configured (frozen) weights out of sample?
 *
 * Every provider is asked once per bar (point in time); the three weightings then replay the
 * same votes, so their returns differ only by the weights and the comparison is paired. Each
 * bar's ensemble decision uses the ensemble's own tiers; BUY opens (or keeps) a long, SELL closes
 * it (or, with shorts allowed, opens a short), HOLD or a decision under the threshold keeps the
 * position; a position earns the next bar's close-to-close move and pays half the round-trip cost
 * at each change. Adaptive weights start empty at each window's training start and learn from
 * the trades the ensemble itself closes (exactly as the portfolio memory, with the sequential
 * gate), through training and on into the test; returns are scored on the test span only.
 */
export interface BarVotes {
  /** Close time of the bar (ms). */
  time: number;
  close: number;
  votes: ProviderVote[];
}

export type Scheme = 'adaptive' | 'equal' | 'frozen';
export const SCHEMES: readonly Scheme[] = ['adaptive', 'equal', 'frozen'];

export interface EvidenceWindow {
  trainStart: number;
  testStart: number;
  testEnd: number;
}

export interface EvidenceSpec {
  bars: readonly BarVotes[];
  windows: readonly EvidenceWindow[];
  /** Configured ensemble weights (frozen uses them; adaptive shrinks toward them). */
  configured: Record<string, number>;
  params: WeightParams;
  /** Round-trip cost as a fraction of notional. */
  cost: number;
  /** 0–1: an ensemble decision under this confidence is not acted on. */
  threshold: number;
  allowShort: boolean;
  /** Bars per year, to annualise the Sharpe ratio. */
  barsPerYear: number;
  seed?: number;
  reps?: number;
}

export interface SchemeResult {
  /** Compounded out-of-sample return. */
  totalReturn: number;
  /** Annualised, from per-bar returns. */
  sharpe: number | null;
  trades: number;
}

export interface WindowEvidence extends EvidenceWindow {
  bars: number;
  schemes: Record<Scheme, SchemeResult>;
  /** Adaptive weights at the end of the window's test. */
  finalWeights: Record<string, number>;
}

export interface Difference {
  /** Compounded return of adaptive minus the other, over all test bars, with a paired block-bootstrap interval. */
  totalReturn: BootstrapCi;
  sharpe: BootstrapCi;
}

export interface EvidenceResult {
  windows: WindowEvidence[];
  /** Over all test bars chained. */
  overall: Record<Scheme, SchemeResult>;
  adaptiveVsEqual: Difference;
  adaptiveVsFrozen: Difference;
}

const compound = (rs: ArrayLike<number>) => {
  let g = 1;
  for (let i = 0; i < rs.length; i++) g *= 1 + rs[i];
  return g - 1;
};

/** Annualised Sharpe of per-bar returns; null below two bars or when they do not vary. */
function annualSharpe(rs: ArrayLike<number>, barsPerYear: number): number | null {
  if (rs.length < 2) return null;
  const s = sharpeOf(rs);
  return Number.isFinite(s) ? s * Math.sqrt(barsPerYear) : null;
}

/** One weighting over bars [from, to): per-bar returns, the trades it closed, its last weights. */
function replay(spec: EvidenceSpec, scheme: Scheme, from: number, to: number): { returns: Float64Array; trades: number; weights: Record<string, number> } {
  const names = Object.keys(spec.configured);
  const equal = Object.fromEntries(names.map((k) => [k, 1]));
  const outcomes: TradeOutcome[] = [];
  let weights = scheme === 'equal' ? equal : { ...spec.configured };
  let pos = 0;
  let entry = 0;
  let entryVotes: ProviderVote[] = [];
  let entryTime = 0;
  const returns = new Float64Array(Math.max(0, to - from - 1));
  for (let i = from; i < to - 1; i++) {
    const bar = spec.bars[i];
    const w = normalise(weights, names);
    const decided = bar.votes.length ? decideByTiers(bar.votes.map((v) => ({ ...v, weight: w[v.provider] ?? 0 }))) : null;
    let target = pos;
    if (decided && decided.confidence / 100 >= spec.threshold) {
      if (decided.action === 'BUY') target = pos < 0 ? 0 : 1;
      else if (decided.action === 'SELL') target = pos > 0 ? 0 : spec.allowShort ? -1 : 0;
    }
    let r = 0;
    if (target !== pos) {
      r -= (spec.cost / 2) * Math.abs(target - pos);
      if (pos !== 0) {
        outcomes.push(closed(outcomes.length, pos, entry, bar.close, entryTime, bar.time, entryVotes, spec.cost));
        if (scheme === 'adaptive') weights = adaptiveWeights(spec.configured, outcomes, spec.params).weights;
      }
      if (target !== 0) {
        entry = bar.close;
        entryVotes = bar.votes;
        entryTime = bar.time;
      }
      pos = target;
    }
    r += pos * (spec.bars[i + 1].close / bar.close - 1);
    returns[i - from] = r;
  }
  return { returns, trades: outcomes.length, weights: normalise(weights, names) };
}

/** A closed position of the replay as the memory records it (no decision: its votes are the entry bar's). */
function closed(k: number, pos: number, entry: number, exit: number, openedAt: number, closedAt: number, votes: ProviderVote[], cost: number): TradeOutcome {
  const trade = {
    tradeId: `e${k}`,
    decisionId: null,
    pair: 'evidence',
    side: pos > 0 ? ('long' as const) : ('short' as const),
    units: 1,
    entryPrice: entry,
    exitPrice: exit,
    openedAt,
    closedAt,
    fees: cost * entry,
    exitReason: 'signal' as const,
    stopLossPrice: null,
  };
  return { ...buildOutcome(`e${k}`, trade, null), votes };
}

const indexAt = (bars: readonly BarVotes[], t: number) => {
  const i = bars.findIndex((b) => b.time >= t);
  return i < 0 ? bars.length : i;
};

/** Runs the three weightings over every window and compares them out of sample. */
export function evaluateFeedback(spec: EvidenceSpec): EvidenceResult {
  const oos: Record<Scheme, number[]> = { adaptive: [], equal: [], frozen: [] };
  const trades: Record<Scheme, number> = { adaptive: 0, equal: 0, frozen: 0 };
  const windows: WindowEvidence[] = spec.windows.map((w) => {
    const from = indexAt(spec.bars, w.trainStart);
    const testFrom = indexAt(spec.bars, w.testStart);
    const to = indexAt(spec.bars, w.testEnd);
    const schemes = {} as Record<Scheme, SchemeResult>;
    let finalWeights: Record<string, number> = {};
    for (const s of SCHEMES) {
      const run = replay(spec, s, from, to);
      // Trades are counted over the whole replay (training included): they are what adaptive learned from.
      const test = run.returns.subarray(testFrom - from);
      oos[s].push(...test);
      trades[s] += run.trades;
      schemes[s] = { totalReturn: compound(test), sharpe: annualSharpe(test, spec.barsPerYear), trades: run.trades };
      if (s === 'adaptive') finalWeights = run.weights;
    }
    return { ...w, bars: Math.max(0, to - testFrom - 1), schemes, finalWeights };
  });
  const overall = Object.fromEntries(SCHEMES.map((s) => [s, { totalReturn: compound(oos[s]), sharpe: annualSharpe(oos[s], spec.barsPerYear), trades: trades[s] }])) as Record<Scheme, SchemeResult>;
  return { windows, overall, adaptiveVsEqual: difference(oos.adaptive, oos.equal, spec), adaptiveVsFrozen: difference(oos.adaptive, oos.frozen, spec) };
}

/**
 * Paired differences by the stationary block bootstrap: the resampled values are bar indices, so
 * both series are drawn at the same bars (and the block length comes from the per-bar difference).
 */
function difference(a: readonly number[], b: readonly number[], spec: EvidenceSpec): Difference {
  const n = a.length;
  const index = Float64Array.from({ length: n }, (_, i) => i);
  const d = a.map((x, i) => x - b[i]);
  const opts = { reps: spec.reps ?? 2000, level: 0.95, seed: spec.seed ?? 1, block: optimalBlockLength(d) };
  const pick = (xs: readonly number[], idx: Float64Array) => Array.from(idx, (i) => xs[i]);
  return {
    totalReturn: bootstrapCi(index, (idx) => compound(pick(a, idx)) - compound(pick(b, idx)), opts),
    sharpe: bootstrapCi(index, (idx) => (annualSharpe(pick(a, idx), spec.barsPerYear) ?? NaN) - (annualSharpe(pick(b, idx), spec.barsPerYear) ?? NaN), opts),
  };
}
