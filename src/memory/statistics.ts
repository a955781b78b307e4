import { voteReturn } from './outcome.js';
import type { TradeOutcome } from './types.js';

export interface PerformanceStats {
  n: number;
  wins: number;
  hitRate: number;
  avgReturn: number;
  totalReturn: number;
  /** Per-trade (not annualised): mean / standard deviation of returns; null under 2 samples or no spread. */
  sharpe: number | null;
  /** Per-trade: mean / downside deviation; null without a losing sample. */
  sortino: number | null;
}

export interface CalibrationBucket {
  /** Stated confidence range, e.g. [60, 70). */
  from: number;
  to: number;
  n: number;
  /** Mean stated confidence as a probability. */
  stated: number;
  /** Realised hit rate. */
  realised: number;
}

export interface Calibration {
  buckets: CalibrationBucket[];
  /** Mean squared gap between stated probability and the 0/1 result (lower is better). */
  brier: number | null;
}

/** A return with the confidence that was stated for it. */
export interface Sample {
  ret: number;
  confidence: number | null;
}

export function performance(returns: readonly number[]): PerformanceStats {
  const n = returns.length;
  const wins = returns.filter((r) => r > 0).length;
  const total = returns.reduce((a, b) => a + b, 0);
  const mean = n ? total / n : 0;
  const sd = n > 1 ? Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (n - 1)) : 0;
  const downside = n ? Math.sqrt(returns.reduce((a, r) => a + Math.min(0, r) ** 2, 0) / n) : 0;
  return {
    n,
    wins,
    hitRate: n ? wins / n : 0,
    avgReturn: mean,
    totalReturn: total,
    sharpe: sd > 0 ? mean / sd : null,
    sortino: downside > 0 ? mean / downside : null,
  };
}

const BUCKET_EDGES = [0, 50, 60, 70, 80, 90, 101];

export function calibration(samples: readonly Sample[]): Calibration {
  const rated = samples.filter((s): s is { ret: number; confidence: number } => s.confidence !== null);
  const buckets: CalibrationBucket[] = [];
  for (let i = 0; i < BUCKET_EDGES.length - 1; i++) {
    const [from, to] = [BUCKET_EDGES[i], BUCKET_EDGES[i + 1]];
    const inside = rated.filter((s) => s.confidence >= from && s.confidence < to);
    if (!inside.length) continue;
    buckets.push({
      from,
      to: Math.min(to, 100),
      n: inside.length,
      stated: inside.reduce((a, s) => a + s.confidence / 100, 0) / inside.length,
      realised: inside.filter((s) => s.ret > 0).length / inside.length,
    });
  }
  const brier = rated.length ? rated.reduce((a, s) => a + (s.confidence / 100 - (s.ret > 0 ? 1 : 0)) ** 2, 0) / rated.length : null;
  return { buckets, brier };
}

export interface GroupStats extends PerformanceStats {
  key: string;
  calibration: Calibration;
}

function group(samples: Map<string, Sample[]>): GroupStats[] {
  return [...samples.entries()].map(([key, s]) => ({ key, ...performance(s.map((x) => x.ret)), calibration: calibration(s) })).sort((a, b) => a.key.localeCompare(b.key));
}

function push(m: Map<string, Sample[]>, key: string, s: Sample): void {
  const list = m.get(key);
  if (list) list.push(s);
  else m.set(key, [s]);
}

/** Trade results grouped by pair or by regime at entry. */
export function statsBy(outcomes: readonly TradeOutcome[], key: (o: TradeOutcome) => string): GroupStats[] {
  const m = new Map<string, Sample[]>();
  for (const o of outcomes) push(m, key(o), { ret: o.returnFraction, confidence: o.confidence });
  return group(m);
}

/** Each provider judged on the trades it voted BUY or SELL on, by what its own call would have earned. */
export function providerStats(outcomes: readonly TradeOutcome[]): GroupStats[] {
  const m = new Map<string, Sample[]>();
  for (const o of outcomes) {
    for (const v of o.votes) {
      const r = voteReturn(o, v);
      if (r !== null) push(m, v.provider, { ret: r, confidence: v.confidence });
    }
  }
  return group(m);
}
