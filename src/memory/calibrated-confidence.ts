import { voteReturn } from './outcome.js';
import type { TradeOutcome } from './types.js';

/** A stated confidence (0–100) and whether the call was right after costs. */
export interface JudgedCall {
  confidence: number;
  hit: boolean;
}

export interface ConfidencePoint {
  /** Mean stated confidence of the calls pooled here (0–100). */
  stated: number;
  /** Their realised hit rate, Laplace-smoothed (0–100). */
  calibrated: number;
  n: number;
}

/** A provider's learned map from stated to calibrated confidence. */
export interface ConfidenceMap {
  samples: number;
  /** Increasing in `stated` and non-decreasing in `calibrated`. */
  points: ConfidencePoint[];
}

interface Block {
  sumStated: number;
  hits: number;
  n: number;
  /** Pooled value: smoothed hit rate for the first pass, the weighted mean afterwards. */
  value: number;
  weight: number;
}

/** Pool-adjacent-violators: merges neighbours until the values never decrease. */
function pool(blocks: Block[]): Block[] {
  const out: Block[] = [];
  for (const b of blocks) {
    out.push({ ...b });
    while (out.length > 1 && out[out.length - 2].value > out[out.length - 1].value) {
      const y = out.pop()!;
      const x = out.pop()!;
      const weight = x.weight + y.weight;
      out.push({ sumStated: x.sumStated + y.sumStated, hits: x.hits + y.hits, n: x.n + y.n, weight, value: (x.value * x.weight + y.value * y.weight) / weight });
    }
  }
  return out;
}

/**
 * Isotonic (monotone) calibration: a higher stated confidence never maps to a lower calibrated
 * one. Calls are pooled by the pool-adjacent-violators algorithm; each pool's hit rate is then
 * Laplace-smoothed ((hits + 1) / (n + 2)), so a small pool of losses cannot silence a provider
 * outright, and pooled again where the smoothing broke the order.
 */
export function isotonicMap(calls: readonly JudgedCall[]): ConfidenceMap {
  const sorted = [...calls].sort((a, b) => a.confidence - b.confidence);
  // Equal stated confidences form one starting block: the map is a function of the stated value.
  const start: Block[] = [];
  for (const c of sorted) {
    const last = start[start.length - 1];
    if (last && last.sumStated / last.n === c.confidence) {
      last.n++;
      last.sumStated += c.confidence;
      last.hits += c.hit ? 1 : 0;
      last.value = last.hits / last.n;
      last.weight = last.n;
    } else start.push({ sumStated: c.confidence, hits: c.hit ? 1 : 0, n: 1, value: c.hit ? 1 : 0, weight: 1 });
  }
  const raw = pool(start).map((b) => ({ ...b, value: (b.hits + 1) / (b.n + 2), weight: b.n + 2 }));
  const points = pool(raw).map((b) => ({ stated: b.sumStated / b.n, calibrated: b.value * 100, n: b.n }));
  return { samples: calls.length, points };
}

/** The calibrated confidence for `stated`: linear between pooled points, flat beyond the ends. */
export function calibrate(map: ConfidenceMap, stated: number): number {
  const p = map.points;
  if (p.length === 0) return stated;
  if (stated <= p[0].stated) return p[0].calibrated;
  for (let i = 1; i < p.length; i++) {
    if (stated <= p[i].stated) {
      const t = (stated - p[i - 1].stated) / (p[i].stated - p[i - 1].stated);
      return p[i - 1].calibrated + t * (p[i].calibrated - p[i - 1].calibrated);
    }
  }
  return p[p.length - 1].calibrated;
}

/** Each provider's judged BUY/SELL calls on closed trades (HOLD abstains, as in the weights). */
export function judgedCalls(outcomes: readonly TradeOutcome[]): Map<string, JudgedCall[]> {
  const m = new Map<string, JudgedCall[]>();
  for (const o of outcomes)
    for (const v of o.votes) {
      const r = voteReturn(o, v);
      if (r === null) continue;
      const list = m.get(v.provider) ?? [];
      list.push({ confidence: v.confidence, hit: r > 0 });
      m.set(v.provider, list);
    }
  return m;
}

export interface ProviderCalibration {
  provider: string;
  samples: number;
  /** Whether the ensemble would vote with the map (enough samples). */
  usable: boolean;
  map: ConfidenceMap;
  /** Brier score of the stated confidences, and of the calibrated ones on the same calls (in sample, so optimistic). */
  brierStated: number;
  brierCalibrated: number;
}

const brier = (calls: readonly JudgedCall[], f: (c: number) => number) => calls.reduce((a, c) => a + (f(c.confidence) / 100 - (c.hit ? 1 : 0)) ** 2, 0) / calls.length;

/** Every provider's confidence map from closed trades, with whether it has `minSamples` calls to be used. */
export function providerCalibrations(outcomes: readonly TradeOutcome[], minSamples: number): ProviderCalibration[] {
  return [...judgedCalls(outcomes).entries()]
    .map(([provider, calls]) => {
      const map = isotonicMap(calls);
      return { provider, samples: calls.length, usable: calls.length >= minSamples, map, brierStated: brier(calls, (c) => c), brierCalibrated: brier(calls, (c) => calibrate(map, c)) };
    })
    .sort((a, b) => a.provider.localeCompare(b.provider));
}
