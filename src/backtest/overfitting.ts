import { bootstrapCi, type BootstrapCi } from './block-bootstrap.js';
import { normCdf, normInv, percentile } from './stats.js';

/**
 * Overfitting statistics of a parameter search: the Deflated Sharpe Ratio (Bailey & López de
 * Prado 2014), the Probability of Backtest Overfitting by combinatorially symmetric
 * cross-validation (Bailey, Borwein, López de Prado & Zhu 2015), and a bootstrap confidence
 * interval of an out-of-sample Sharpe ratio. Sharpe ratios here are per bar (not annualised)
 * unless a name says otherwise: that is the unit the formulas are written in.
 */

/** Moments kept per slice of a trial's per-bar returns: count, Σr, Σr², Σr³, Σr⁴. */
export const MOMENTS = 5;

/**
 * A trial's per-bar returns summarised on `slices` contiguous, near-equal slices (flat, MOMENTS
 * numbers per slice). Any union of slices then has an exact Sharpe ratio, skewness and
 * kurtosis, so CSCV needs no per-bar series (a few hundred numbers per trial instead of one per
 * bar, which matters when trials come back from workers through Redis).
 */
export function sliceMoments(returns: ArrayLike<number>, slices: number): number[] {
  const n = returns.length;
  const out = new Array<number>(slices * MOMENTS).fill(0);
  for (let s = 0; s < slices; s++) {
    const a = Math.floor((s * n) / slices);
    const b = Math.floor(((s + 1) * n) / slices);
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    for (let i = a; i < b; i++) {
      const r = returns[i];
      const r2 = r * r;
      s1 += r;
      s2 += r2;
      s3 += r2 * r;
      s4 += r2 * r2;
    }
    out.splice(s * MOMENTS, MOMENTS, b - a, s1, s2, s3, s4);
  }
  return out;
}

/** Per-bar simple returns of an equity curve that starts from `initial`. */
export function equityReturns(equity: ArrayLike<number>, initial: number): Float64Array {
  const out = new Float64Array(equity.length);
  let prev = initial;
  for (let i = 0; i < equity.length; i++) {
    out[i] = prev > 0 ? equity[i] / prev - 1 : 0;
    prev = equity[i];
  }
  return out;
}

export interface ReturnShape {
  n: number;
  /** Per-bar Sharpe ratio: mean over (population) standard deviation; 0 when returns do not vary. */
  sharpe: number;
  skew: number;
  /** Kurtosis, not excess (3 for a normal distribution). */
  kurtosis: number;
}

/** Sharpe, skewness and kurtosis of the slices `use` selects (all when absent), from their moments. */
export function shapeOf(moments: ArrayLike<number>, use?: (slice: number) => boolean): ReturnShape {
  let n = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (let s = 0, k = 0; k < moments.length; s++, k += MOMENTS) {
    if (use && !use(s)) continue;
    n += moments[k];
    s1 += moments[k + 1];
    s2 += moments[k + 2];
    s3 += moments[k + 3];
    s4 += moments[k + 4];
  }
  if (!n) return { n: 0, sharpe: 0, skew: 0, kurtosis: 3 };
  const m = s1 / n;
  const v = s2 / n - m * m;
  if (!(v > 1e-300)) return { n, sharpe: 0, skew: 0, kurtosis: 3 };
  const m3 = s3 / n - 3 * m * (s2 / n) + 2 * m ** 3;
  const m4 = s4 / n - 4 * m * (s3 / n) + 6 * m * m * (s2 / n) - 3 * m ** 4;
  return { n, sharpe: m / Math.sqrt(v), skew: m3 / v ** 1.5, kurtosis: m4 / (v * v) };
}

/**
 * Probabilistic Sharpe Ratio (Bailey & López de Prado 2012): the probability that the true
 * Sharpe ratio exceeds `benchmark`, given an observed per-bar `sharpe` over `n` bars of returns
 * with the given skewness and kurtosis: Φ((SR − SR*)√(n − 1) / √(1 − γ₃SR + (γ₄ − 1)/4 · SR²)).
 */
export function probabilisticSharpe(sharpe: number, benchmark: number, n: number, skew: number, kurtosis: number): number {
  if (n < 2) return NaN;
  const d = 1 - skew * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe;
  return normCdf(((sharpe - benchmark) * Math.sqrt(n - 1)) / Math.sqrt(Math.max(d, 1e-12)));
}

/** Euler–Mascheroni constant. */
const EULER_GAMMA = 0.5772156649015329;

/**
 * Expected maximum Sharpe ratio of `trials` independent strategies with no skill whose Sharpe
 * ratios vary with `variance` (the False Strategy theorem, Bailey & López de Prado 2014, eq. 2):
 * √V · ((1 − γ)Φ⁻¹(1 − 1/N) + γΦ⁻¹(1 − 1/(N e))). Zero for one trial.
 */
export function expectedMaxSharpe(trials: number, variance: number): number {
  if (trials <= 1 || !(variance > 0)) return 0;
  return Math.sqrt(variance) * ((1 - EULER_GAMMA) * normInv(1 - 1 / trials) + EULER_GAMMA * normInv(1 - 1 / (trials * Math.E)));
}

export interface DeflatedSharpe {
  /** Probability that the selected strategy's true Sharpe exceeds what the best of `trials` no-skill strategies would show. */
  dsr: number;
  /** That benchmark SR₀, per bar. */
  benchmark: number;
  /** The selected strategy's per-bar Sharpe and its PSR against 0 (no deflation). */
  sharpe: number;
  psr: number;
  trials: number;
  /** Variance of the per-bar Sharpe ratios across the trials. */
  sharpeVariance: number;
  n: number;
  skew: number;
  kurtosis: number;
}

/**
 * Deflated Sharpe Ratio (Bailey & López de Prado 2014): the PSR of the selected strategy against
 * SR₀ = the expected maximum Sharpe of `trials` no-skill trials (see expectedMaxSharpe). Every
 * trial counts as independent: trials of one search are correlated, so the effective number is
 * smaller and the DSR reported is conservative (lower than with the effective number).
 */
export function deflatedSharpe(selected: ReturnShape, trials: number, sharpeVariance: number): DeflatedSharpe {
  const benchmark = expectedMaxSharpe(trials, sharpeVariance);
  const { n, sharpe, skew, kurtosis } = selected;
  return { dsr: probabilisticSharpe(sharpe, benchmark, n, skew, kurtosis), benchmark, sharpe, psr: probabilisticSharpe(sharpe, 0, n, skew, kurtosis), trials, sharpeVariance, n, skew, kurtosis };
}

export interface Pbo {
  /** Share of the splits where the in-sample best falls below the median out of sample (ties at the median count half). */
  pbo: number;
  /** Splits evaluated: C(S, S/2). */
  combinations: number;
  slices: number;
  trials: number;
  /** Logits λ = ln(ω/(1 − ω)) of the in-sample best's relative out-of-sample rank ω: sorted, all of them or LOGITS_KEPT evenly spaced quantiles (for a histogram). */
  logits: number[];
  /** Share of the splits where the in-sample best has a negative out-of-sample Sharpe. */
  probabilityOfLoss: number;
  /** Least-squares slope of out-of-sample on in-sample Sharpe of the selected trial across splits (performance degradation; negative is typical of overfitting). */
  degradationSlope: number;
}

/** Most logits a PBO result keeps (12,870 splits at S = 16). */
export const LOGITS_KEPT = 201;

/** Every way of choosing `k` of `n` items, as bit masks (n ≤ 30). */
function combinations(n: number, k: number): number[] {
  const out: number[] = [];
  const rec = (start: number, left: number, mask: number) => {
    if (!left) return void out.push(mask);
    for (let i = start; i <= n - left; i++) rec(i + 1, left - 1, mask | (1 << i));
  };
  rec(0, k, 0);
  return out;
}

/**
 * Probability of Backtest Overfitting by combinatorially symmetric cross-validation (Bailey,
 * Borwein, López de Prado & Zhu 2015). The bars are cut into S slices (S even, the slices of
 * `sliceMoments`); for each of the C(S, S/2) ways to take half of them as in-sample, the trial
 * with the best in-sample Sharpe is found and its relative rank ω = r/(N + 1) among all N
 * trials out of sample (the other half) is taken. PBO is the share of splits where ω < ½
 * (logit λ < 0): the in-sample winner is worse than the median trial out of sample. ≈ 0.5 when
 * the search has no skill to find; near 0 when its winner keeps winning; near 1 when winning
 * in sample predicts losing out of sample.
 */
export function probabilityOfOverfitting(trials: readonly ArrayLike<number>[], slices: number): Pbo {
  const N = trials.length;
  const combos = N >= 2 && slices >= 2 && slices % 2 === 0 ? combinations(slices, slices / 2) : [];
  const logits: number[] = [];
  let below = 0;
  let losses = 0;
  const isSr = new Float64Array(N);
  const oosSr = new Float64Array(N);
  const pairs: [number, number][] = [];
  for (const mask of combos) {
    let best = 0;
    for (let j = 0; j < N; j++) {
      isSr[j] = shapeOf(trials[j], (s) => (mask & (1 << s)) !== 0).sharpe;
      oosSr[j] = shapeOf(trials[j], (s) => (mask & (1 << s)) === 0).sharpe;
      if (isSr[j] > isSr[best]) best = j;
    }
    // Mid-rank among ties, 1..N.
    let lower = 0;
    let equal = 0;
    for (let j = 0; j < N; j++) {
      if (oosSr[j] < oosSr[best]) lower++;
      else if (oosSr[j] === oosSr[best]) equal++;
    }
    const omega = (lower + (equal + 1) / 2) / (N + 1);
    const lambda = Math.log(omega / (1 - omega));
    logits.push(lambda);
    if (lambda < -1e-12) below++;
    else if (lambda <= 1e-12) below += 0.5;
    if (oosSr[best] < 0) losses++;
    pairs.push([isSr[best], oosSr[best]]);
  }
  const c = combos.length;
  const sorted = Float64Array.from(logits).sort();
  const kept = c <= LOGITS_KEPT ? Array.from(sorted) : Array.from({ length: LOGITS_KEPT }, (_, i) => percentile(sorted, i / (LOGITS_KEPT - 1)));
  return { pbo: c ? below / c : NaN, combinations: c, slices, trials: N, logits: kept, probabilityOfLoss: c ? losses / c : NaN, degradationSlope: slope(pairs) };
}

function slope(xy: [number, number][]): number {
  const n = xy.length;
  if (n < 2) return NaN;
  let mx = 0;
  let my = 0;
  for (const [x, y] of xy) {
    mx += x / n;
    my += y / n;
  }
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of xy) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : NaN;
}

/** Per-bar Sharpe of a series (mean over sample standard deviation; NaN when it does not vary, so a bootstrap leaves that resample out). */
export function sharpeOf(xs: ArrayLike<number>): number {
  const n = xs.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += xs[i];
  m /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (xs[i] - m) ** 2;
  const sd = Math.sqrt(v / (n - 1));
  return sd > 0 ? m / sd : NaN;
}

/** Most periods a Sharpe bootstrap resamples: longer series are compounded into this many (keeps 2,000 resamples of a 1m year fast). */
export const MAX_PERIODS = 4000;

/** Compounds consecutive per-bar returns into at most `max` periods of `k` bars each; returns them and `k`. */
export function compound(returns: ArrayLike<number>, max = MAX_PERIODS): { returns: Float64Array; barsPerPeriod: number } {
  const k = Math.max(1, Math.ceil(returns.length / max));
  if (k === 1) return { returns: Float64Array.from(returns), barsPerPeriod: 1 };
  const out = new Float64Array(Math.floor(returns.length / k));
  for (let p = 0; p < out.length; p++) {
    let g = 1;
    for (let i = p * k; i < (p + 1) * k; i++) g *= 1 + returns[i];
    out[p] = g - 1;
  }
  return { returns: out, barsPerPeriod: k };
}

export interface SharpeCi extends BootstrapCi {
  /** The interval and estimate are annualised with this many periods a year. */
  periodsPerYear: number;
  barsPerPeriod: number;
}

/**
 * Annualised Sharpe ratio of `returns` (per bar, `ppy` bars a year) with a stationary block
 * bootstrap confidence interval (block length by Politis–White on the returns), after
 * compounding long series into at most MAX_PERIODS periods.
 */
export function sharpeCi(returns: ArrayLike<number>, ppy: number, opts: { reps?: number; level?: number; seed?: number } = {}): SharpeCi {
  const { returns: r, barsPerPeriod } = compound(returns);
  const perYear = ppy / barsPerPeriod;
  const a = Math.sqrt(perYear);
  const ci = bootstrapCi(r, sharpeOf, { reps: opts.reps ?? 2000, level: opts.level ?? 0.95, seed: opts.seed ?? 1, block: 'auto' });
  return { ...ci, estimate: ci.estimate * a, lower: ci.lower * a, upper: ci.upper * a, standardError: ci.standardError * a, periodsPerYear: perYear, barsPerPeriod };
}

export type Severity = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';
export const SEVERITIES: Severity[] = ['NONE', 'LOW', 'MEDIUM', 'HIGH'];

/** PBO ≥ 0.5: the winner does no better than a random trial out of sample. */
export const gradePbo = (p: number): Severity => (p >= 0.5 ? 'HIGH' : p >= 0.3 ? 'MEDIUM' : p >= 0.1 ? 'LOW' : 'NONE');
/** DSR below 0.5: the selected Sharpe is more likely than not within what the best of that many no-skill trials shows. */
export const gradeDsr = (d: number): Severity => (d < 0.5 ? 'HIGH' : d < 0.8 ? 'MEDIUM' : d < 0.95 ? 'LOW' : 'NONE');
/** Out-of-sample Sharpe: negative is HIGH, an interval that includes 0 MEDIUM, above 0 NONE. */
export const gradeOos = (c: Pick<BootstrapCi, 'estimate' | 'lower'>): Severity => (!(c.estimate > 0) ? 'HIGH' : !(c.lower > 0) ? 'MEDIUM' : 'NONE');

export interface OverfittingVerdict {
  severity: Severity;
  overfit: boolean;
  text: string;
  /** Each measure's own grade (absent when not computed). */
  grades: { dsr?: Severity; pbo?: Severity; oosSharpe?: Severity };
}

/**
 * The verdict from whichever of DSR, PBO and the out-of-sample Sharpe interval exist: the worst
 * of their grades (thresholds in gradeDsr, gradePbo, gradeOos). MEDIUM or worse is "likely overfit
 * or no edge". Not computable (too few trials or bars for any measure): LOW, said in the text.
 */
export function overfittingVerdict(m: {
  dsr?: Pick<DeflatedSharpe, 'dsr' | 'trials'> | null;
  pbo?: Pick<Pbo, 'pbo' | 'combinations'> | null;
  oosSharpe?: Pick<BootstrapCi, 'estimate' | 'lower' | 'upper' | 'level'> | null;
}): OverfittingVerdict {
  const grades: OverfittingVerdict['grades'] = {};
  const parts: string[] = [];
  if (m.dsr && Number.isFinite(m.dsr.dsr)) {
    grades.dsr = gradeDsr(m.dsr.dsr);
    parts.push(`DSR ${m.dsr.dsr.toFixed(2)} over ${m.dsr.trials} trials`);
  }
  if (m.pbo && Number.isFinite(m.pbo.pbo)) {
    grades.pbo = gradePbo(m.pbo.pbo);
    parts.push(`PBO ${m.pbo.pbo.toFixed(2)} (${m.pbo.combinations} CSCV splits)`);
  }
  if (m.oosSharpe && Number.isFinite(m.oosSharpe.estimate)) {
    grades.oosSharpe = gradeOos(m.oosSharpe);
    const c = m.oosSharpe;
    parts.push(`out-of-sample Sharpe ${c.estimate.toFixed(2)} [${(c.level * 100).toFixed(0)}% CI ${c.lower.toFixed(2)}, ${c.upper.toFixed(2)}]`);
  }
  const list = Object.values(grades);
  if (!list.length) return { severity: 'LOW', overfit: false, text: 'too few trials or bars for DSR, PBO or an out-of-sample interval: not graded', grades };
  const severity = SEVERITIES[Math.max(...list.map((g) => SEVERITIES.indexOf(g)))];
  const overfit = SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf('MEDIUM');
  return { severity, overfit, text: `${parts.join(', ')}: ${severity === 'NONE' ? 'no sign of overfitting' : `${severity.toLowerCase()} risk${overfit ? ' — likely overfit or no edge' : ''}`}`, grades };
}

/** DSR and PBO of one search from its trials' slice moments (in trial order; `best` the selected one). */
export function searchStatistics(moments: readonly ArrayLike<number>[], best: number, slices: number): { dsr: DeflatedSharpe | null; pbo: Pbo | null } {
  if (!moments.length) return { dsr: null, pbo: null };
  const shapes = moments.map((m) => shapeOf(m));
  const srs = shapes.map((s) => s.sharpe);
  const mean = srs.reduce((a, b) => a + b, 0) / srs.length;
  const variance = srs.length > 1 ? srs.reduce((a, b) => a + (b - mean) ** 2, 0) / (srs.length - 1) : 0;
  const dsr = shapes[best].n >= 2 ? deflatedSharpe(shapes[best], moments.length, variance) : null;
  const pbo = moments.length >= 2 ? probabilityOfOverfitting(moments, slices) : null;
  return { dsr, pbo };
}
