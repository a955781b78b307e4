import { chunk, type JobRunner } from './jobs.js';
import type { Params } from './port.js';
import { optimalBlockLength, stationaryIndices } from './block-bootstrap.js';
import { percentile } from './stats.js';
import { rng } from './synthetic.js';
import type { Trade } from './types.js';

export interface Distribution {
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  mean: number;
  min: number;
  max: number;
}

export { percentile } from './stats.js';

export function distribution(values: readonly number[]): Distribution {
  const s = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of s) sum += v;
  return { p5: percentile(s, 0.05), p25: percentile(s, 0.25), p50: percentile(s, 0.5), p75: percentile(s, 0.75), p95: percentile(s, 0.95), mean: s.length ? sum / s.length : NaN, min: s[0], max: s[s.length - 1] };
}

export interface RiskSummary {
  finalEquity: Distribution;
  maxDrawdown: Distribution;
  /** Loss at the 5th percentile of final equity, in money (initial − p5; negative when p5 is a gain). */
  var95: number;
  /** Mean loss of the outcomes at or below that percentile. */
  cvar95: number;
  probabilityOfLoss: number;
  simulations: number;
  /** The outcomes for a histogram, sorted: all of them, or SAMPLES_KEPT evenly spaced quantiles when there are more. */
  samples: { finalEquity: number[]; maxDrawdown: number[] };
}

/** Most outcomes a summary keeps for drawing (quantiles: the shape of any histogram of them is kept). */
export const SAMPLES_KEPT = 1000;

/** `sorted` itself when short, else `n` of its quantiles from min to max. */
export function quantileSample(sorted: ArrayLike<number>, n = SAMPLES_KEPT): number[] {
  if (sorted.length <= n) return Array.from(sorted);
  return Array.from({ length: n }, (_, i) => percentile(sorted, i / (n - 1)));
}

export function summarize(finals: readonly number[], drawdowns: readonly number[], initial: number): RiskSummary {
  const fe = distribution(finals);
  const tail = finals.filter((f) => f <= fe.p5);
  const tailMean = tail.length ? tail.reduce((a, b) => a + b, 0) / tail.length : fe.p5;
  return {
    finalEquity: fe,
    maxDrawdown: distribution(drawdowns),
    var95: initial - fe.p5,
    cvar95: initial - tailMean,
    probabilityOfLoss: finals.length ? finals.filter((f) => f < initial).length / finals.length : NaN,
    simulations: finals.length,
    samples: { finalEquity: quantileSample(Float64Array.from(finals).sort()), maxDrawdown: quantileSample(Float64Array.from(drawdowns).sort()) },
  };
}

/** (a) Price-path perturbation: the strategy re-run on `simulations` noisy copies of the bars. */
export async function perturbationMonteCarlo(runner: JobRunner, params: Params, simulations: number, noise: number, initial: number, seed = 1): Promise<RiskSummary> {
  const seeds = Array.from({ length: simulations }, (_, i) => seed * 1_000_003 + i);
  const results = await runner.run(chunk(seeds, runner.parallelism).map((s) => ({ kind: 'perturb' as const, params, noise, seeds: s })));
  const finals: number[] = [];
  const dds: number[] = [];
  for (const r of results) {
    if (r.kind !== 'perturb') continue;
    finals.push(...r.finalEquity);
    dds.push(...r.maxDrawdown);
  }
  return summarize(finals, dds, initial);
}

export interface BootstrapSummary extends RiskSummary {
  /** Longest run of consecutive losing trades in each simulation. */
  longestLosingStreak: Distribution;
  /** Mean block length of the stationary bootstrap, in trades (1: trades resampled independently). */
  block: number;
  /** How the block length was chosen. */
  blockRule: 'politis-white' | 'given';
}

/**
 * (b) Stationary block bootstrap of the trade sequence (Politis & Romano 1994): each simulation
 * draws as many trades as the run had, in runs of consecutive trades of geometric length with
 * mean `block` (wrapping at the end), and compounds their returns on equity (P&L over the
 * equity before the trade). Resampling trades one by one would break up losing streaks and the
 * drawdowns they make; blocks keep them. `block` 0 (the default) picks the mean block length by
 * Politis & White (2004) from the trade returns: about 1 for serially independent trades, more
 * the more a trade's result predicts the next.
 */
export function bootstrapMonteCarlo(trades: readonly Trade[], initial: number, simulations: number, seed = 1, block = 0): BootstrapSummary {
  const sorted = [...trades].sort((a, b) => a.exitTime - b.exitTime);
  const rets = new Float64Array(sorted.length);
  let eq = initial;
  sorted.forEach((t, k) => {
    rets[k] = t.pnl / eq;
    eq += t.pnl;
  });
  const b = block > 0 ? block : optimalBlockLength(rets);
  const u = rng(seed);
  const idx = new Int32Array(rets.length);
  const finals: number[] = [];
  const dds: number[] = [];
  const streaks: number[] = [];
  for (let s = 0; s < simulations; s++) {
    if (rets.length) stationaryIndices(rets.length, b, u, idx);
    let e = initial;
    let peak = initial;
    let dd = 0;
    let run = 0;
    let longest = 0;
    for (let k = 0; k < rets.length; k++) {
      const r = rets[idx[k]];
      e *= 1 + r;
      if (e > peak) peak = e;
      else dd = Math.max(dd, (peak - e) / peak);
      run = r < 0 ? run + 1 : 0;
      if (run > longest) longest = run;
    }
    finals.push(e);
    dds.push(dd);
    streaks.push(longest);
  }
  return { ...summarize(finals, dds, initial), longestLosingStreak: distribution(streaks), block: b, blockRule: block > 0 ? 'given' : 'politis-white' };
}
