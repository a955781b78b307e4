import { percentile } from './stats.js';
import { rng } from './synthetic.js';

/**
 * Stationary block bootstrap (Politis & Romano 1994) and its automatic mean block length
 * (Politis & White 2004, with the correction of Patton, Politis & White 2009).
 *
 * Resampling single observations with replacement treats a series as if its values were
 * independent: losing streaks, volatility clusters and serial correlation are shuffled away and
 * the spread of any statistic that depends on them (drawdown, streak length, a Sharpe ratio of
 * autocorrelated returns) is understated. The stationary bootstrap copies runs of consecutive
 * observations instead, of geometric length with mean `b` (wrapping at the end), so the
 * resampled series is itself stationary and keeps dependence up to about `b` lags.
 */

/**
 * Fills `out` with the indices of one stationary-bootstrap resample of a series of length `n`:
 * each index starts a new block with probability 1/`meanBlock`, else continues the previous
 * one (circularly). `meanBlock` ≤ 1 is the ordinary i.i.d. bootstrap.
 */
export function stationaryIndices(n: number, meanBlock: number, u: () => number, out: Int32Array): Int32Array {
  const p = meanBlock > 1 ? 1 / meanBlock : 1;
  let j = 0;
  for (let i = 0; i < out.length; i++) {
    j = i === 0 || u() < p ? Math.floor(u() * n) : j + 1 === n ? 0 : j + 1;
    out[i] = j;
  }
  return out;
}

/** Autocovariances R(0..maxLag) of `x` about its mean, divided by n (the biased, positive-definite estimator). */
export function autocovariances(x: ArrayLike<number>, maxLag: number): Float64Array {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i];
  m /= n || 1;
  const out = new Float64Array(maxLag + 1);
  for (let k = 0; k <= maxLag && k < n; k++) {
    let s = 0;
    for (let i = k; i < n; i++) s += (x[i] - m) * (x[i - k] - m);
    out[k] = s / n;
  }
  return out;
}

/**
 * Politis–White (2004) automatic mean block length for the stationary bootstrap, as corrected
 * by Patton, Politis & White (2009): b = (2 G² / D)^{1/3} n^{1/3} with G = Σ λ(k/M)|k|R(k),
 * D = 2 g(0)², g(0) = Σ λ(k/M) R(k) over |k| ≤ M, λ the flat-top window, and M = 2m̂ where m̂ is
 * the first lag after which K_n = max(5, √log10 n) autocorrelations in a row are within
 * 2√(log10 n / n). Clamped to [1, min(3√n, n/3)]. Serially uncorrelated data gives ≈ 1
 * (the i.i.d. bootstrap); a persistent series, longer blocks.
 */
export function optimalBlockLength(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 8) return 1;
  const bMax = Math.max(1, Math.ceil(Math.min(3 * Math.sqrt(n), n / 3)));
  const kn = Math.max(5, Math.ceil(Math.sqrt(Math.log10(n))));
  const mMax = Math.min(n - 1, Math.ceil(Math.sqrt(n)) + kn);
  const r = autocovariances(x, mMax);
  if (!(r[0] > 0)) return 1;
  const c = 2 * Math.sqrt(Math.log10(n) / n);
  let mHat = -1;
  for (let m = 0; m + kn <= mMax && mHat < 0; m++) {
    let quiet = true;
    for (let k = 1; k <= kn && quiet; k++) quiet = Math.abs(r[m + k] / r[0]) < c;
    if (quiet) mHat = m;
  }
  const M = Math.min(mHat < 0 ? mMax : Math.max(2 * mHat, 1), mMax);
  const lambda = (t: number) => (t <= 0.5 ? 1 : t <= 1 ? 2 * (1 - t) : 0);
  let g = 0;
  let g0 = r[0];
  for (let k = 1; k <= M; k++) {
    const l = lambda(k / M);
    g += 2 * l * k * r[k];
    g0 += 2 * l * r[k];
  }
  const d = 2 * g0 * g0;
  if (!(d > 0)) return 1;
  const b = Math.cbrt((2 * g * g) / d) * Math.cbrt(n);
  return Math.min(bMax, Math.max(1, b));
}

export interface BootstrapOptions {
  /** Resamples (default 2000). */
  reps?: number;
  /** Two-sided confidence level (default 0.95). */
  level?: number;
  seed?: number;
  /**
   * Mean block length of the stationary bootstrap: a number, or 'auto' for Politis–White on
   * the samples themselves. Absent or 1: the i.i.d. bootstrap (independent samples).
   */
  block?: number | 'auto';
}

export interface BootstrapCi {
  /** The statistic on the samples as given. */
  estimate: number;
  /** Percentile interval of the resampled statistic. */
  lower: number;
  upper: number;
  level: number;
  /** Standard deviation of the resampled statistic. */
  standardError: number;
  /** Resamples whose statistic was finite (the interval is over these). */
  reps: number;
  /** Mean block length used (1: i.i.d.). */
  block: number;
}

/**
 * Percentile bootstrap confidence interval of `statistic` over `samples` (Efron), i.i.d. or by
 * stationary blocks. Seeded: the same inputs give the same interval. Resamples where the
 * statistic is not finite (e.g. a Sharpe ratio of a constant resample) are left out and the
 * count says how many remained. Fewer than two samples: the interval is [NaN, NaN].
 */
export function bootstrapCi(samples: ArrayLike<number>, statistic: (xs: Float64Array) => number, opts: BootstrapOptions = {}): BootstrapCi {
  const reps = opts.reps ?? 2000;
  const level = opts.level ?? 0.95;
  const n = samples.length;
  const xs = Float64Array.from(samples);
  const estimate = n ? statistic(xs) : NaN;
  const block = opts.block === 'auto' ? optimalBlockLength(xs) : Math.max(1, opts.block ?? 1);
  if (n < 2) return { estimate, lower: NaN, upper: NaN, level, standardError: NaN, reps: 0, block };
  const u = rng(opts.seed ?? 1);
  const idx = new Int32Array(n);
  const buf = new Float64Array(n);
  const stats: number[] = [];
  for (let r = 0; r < reps; r++) {
    stationaryIndices(n, block, u, idx);
    for (let i = 0; i < n; i++) buf[i] = xs[idx[i]];
    const s = statistic(buf);
    if (Number.isFinite(s)) stats.push(s);
  }
  const sorted = Float64Array.from(stats).sort();
  const q = (p: number) => percentile(sorted, p);
  let mean = 0;
  for (const s of sorted) mean += s;
  mean /= sorted.length || 1;
  let v = 0;
  for (const s of sorted) v += (s - mean) ** 2;
  return { estimate, lower: q((1 - level) / 2), upper: q((1 + level) / 2), level, standardError: sorted.length > 1 ? Math.sqrt(v / (sorted.length - 1)) : NaN, reps: sorted.length, block };
}
