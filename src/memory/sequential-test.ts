/**
 * The gate in front of every weight change: a sequential test on a provider's cost-adjusted hit
 * rate, checked after every closed trade.
 *
 * Why a mixture likelihood ratio (a one-sided mixture SPRT) rather than a posterior threshold:
 * the weights are recomputed after every trade, so the test is looked at again and again. A rule
 * such as "move once P(hit < 0.5) ≥ 0.95" has no error guarantee under such repeated looks: a
 * coin-flip provider crosses 0.95 at some point far more often than 5 % of the time. The mixture
 * likelihood ratio
 *
 *   E⁻ = ∫₀^½ 2·p^h (1−p)^m dp / ½^(h+m)   (uniform alternative on hit rates below ½)
 *
 * is a non-negative supermartingale under every hit rate ≥ ½, so by Ville's inequality
 * P(E⁻ ever ≥ 1/α) ≤ α over unlimited looks: a provider that is not worse than a coin is demoted
 * with probability at most α, however long it runs. E⁺ mirrors it for promotion. Both have a
 * closed form in the beta function, and the same integral gives the posterior P(hit < ½) under a
 * uniform prior, which the reasons quote because it is the figure a reader understands.
 *
 * Weighted observations (a measured recommendation counts `factor` of a trade) enter as tempered
 * likelihood terms; for weights ≤ 1 each term still has expectation ≤ 1, so the bound holds.
 */

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-13 over the range used here). */
export function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

export const logBeta = (a: number, b: number): number => logGamma(a) + logGamma(b) - logGamma(a + b);

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const TINY = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b): the Beta(a, b) probability of a value below x. */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(a * Math.log(x) + b * Math.log(1 - x) - logBeta(a, b));
  // The fraction converges fast below the mean; above it, use the symmetry I_x(a,b) = 1 − I_{1−x}(b,a).
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

export type GateDecision = 'demote' | 'promote' | 'undecided';

export interface GateResult {
  /** Weighted directional votes (a recommendation counts its factor) and how many of them were right after costs. */
  n: number;
  hits: number;
  /** Posterior P(hit rate < ½) under a uniform prior. */
  pBelow: number;
  /** Mixture likelihood ratios for "worse than a coin" (E⁻) and "better than a coin" (E⁺). */
  evidenceBelow: number;
  evidenceAbove: number;
  /** 1/α: the evidence either side needs before the weight may move. */
  threshold: number;
  decision: GateDecision;
}

/**
 * The sequential test on `hits` right and `misses` wrong calls (weighted counts allowed):
 * demote once E⁻ ≥ 1/α, promote once E⁺ ≥ 1/α, otherwise undecided. α bounds the chance that
 * a provider no worse (no better) than a coin is ever demoted (promoted).
 */
export function hitRateGate(hits: number, misses: number, alpha: number): GateResult {
  const n = hits + misses;
  const pBelow = regularizedBeta(0.5, hits + 1, misses + 1);
  // ln of 2·B(h+1, m+1) / ½^n: the mixture over the whole half-interval before the posterior split.
  const logCommon = Math.log(2) + n * Math.log(2) + logBeta(hits + 1, misses + 1);
  const evidenceBelow = Math.exp(logCommon + Math.log(Math.max(pBelow, 1e-300)));
  const evidenceAbove = Math.exp(logCommon + Math.log(Math.max(1 - pBelow, 1e-300)));
  const threshold = 1 / alpha;
  const decision: GateDecision = evidenceBelow >= threshold ? 'demote' : evidenceAbove >= threshold ? 'promote' : 'undecided';
  return { n, hits, pBelow, evidenceBelow, evidenceAbove, threshold, decision };
}

/** The fewest calls, all wrong, after which the gate can open: the earliest any weight can move. */
export function earliestMove(alpha: number): number {
  for (let n = 1; n < 10_000; n++) if (hitRateGate(0, n, alpha).decision === 'demote') return n;
  return Infinity;
}

const fmtEvidence = (e: number) => (e >= 100 ? e.toExponential(1).replace('e+', 'e') : e.toFixed(1));
const fmtCount = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

/** The test in words, e.g. "P(hit<0.5)=0.996 after 7 calls, evidence 31.9 ≥ 20". */
export function describeGate(g: GateResult): string {
  const side = g.decision === 'promote' || (g.decision === 'undecided' && g.evidenceAbove > g.evidenceBelow) ? 'above' : 'below';
  const e = side === 'above' ? g.evidenceAbove : g.evidenceBelow;
  const p = side === 'above' ? `P(hit>0.5)=${(1 - g.pBelow).toFixed(3)}` : `P(hit<0.5)=${g.pBelow.toFixed(3)}`;
  return `${p} after ${fmtCount(g.n)} calls, evidence ${fmtEvidence(e)} ${g.decision === 'undecided' ? '<' : '≥'} ${fmtEvidence(g.threshold)}`;
}
