import { describe, expect, it } from 'vitest';
import { compound, deflatedSharpe, equityReturns, expectedMaxSharpe, overfittingVerdict, probabilisticSharpe, probabilityOfOverfitting, searchStatistics, shapeOf, sharpeCi, sliceMoments } from './overfitting.js';
import { moments } from './stats.js';
import { gaussian, rng } from './synthetic.js';

const normal = (n: number, seed: number, mean = 0, sd = 1) => {
  const g = gaussian(rng(seed));
  return Float64Array.from({ length: n }, () => mean + sd * g());
};

describe('Deflated Sharpe Ratio', () => {
  it("reproduces the numerical example of Bailey & López de Prado (2014), 'The Deflated Sharpe Ratio', JPM 40(5)", () => {
    // The paper's example: 100 independent trials, the best with an annualised Sharpe of 2.5 over
    // five years of daily returns (T = 1250), variance of the trials' annualised Sharpe 0.5,
    // skewness −3, kurtosis 10. The paper finds SR₀ ≈ 0.1132 per day and DSR ≈ 0.9004; computed here:
    // SR₀ = 0.113172 (1.789 annualised), DSR = 0.900397.
    const d = deflatedSharpe({ n: 1250, sharpe: 2.5 / Math.sqrt(250), skew: -3, kurtosis: 10 }, 100, 0.5 / 250);
    expect(d.benchmark).toBeCloseTo(0.1132, 4);
    expect(d.dsr).toBeCloseTo(0.9004, 4);
    // Without the deflation (one trial) the same track record is a near-certain edge.
    expect(d.psr).toBeGreaterThan(0.9999);
    expect(deflatedSharpe({ n: 1250, sharpe: 2.5 / Math.sqrt(250), skew: -3, kurtosis: 10 }, 1, 0.5 / 250).dsr).toBe(d.psr);
  });

  it('the expected maximum Sharpe of no-skill trials matches a simulation of the maximum', () => {
    // E[max of 100 standard normals] = 2.5076 (tabulated order statistic); the approximation gives 2.5306.
    expect(expectedMaxSharpe(100, 1)).toBeCloseTo(2.5306, 3);
    const g = gaussian(rng(3));
    let sum = 0;
    for (let r = 0; r < 4000; r++) {
      let m = -Infinity;
      for (let k = 0; k < 100; k++) m = Math.max(m, g());
      sum += m;
    }
    expect(Math.abs(sum / 4000 / expectedMaxSharpe(100, 1) - 1)).toBeLessThan(0.02);
    expect(expectedMaxSharpe(1, 1)).toBe(0);
  });

  it('PSR falls with negative skew and fat tails (the denominator of Bailey & López de Prado 2012)', () => {
    const normalPsr = probabilisticSharpe(0.1, 0, 250, 0, 3);
    // With γ₃ = 0, γ₄ = 3: Φ(0.1 × √249 / √(1 + 0.5 × 0.01)) = Φ(1.574) = 0.9423.
    expect(normalPsr).toBeCloseTo(0.9423, 3);
    expect(probabilisticSharpe(0.1, 0, 250, -2, 12)).toBeLessThan(normalPsr);
  });
});

describe('slice moments', () => {
  it('give the exact Sharpe, skewness and kurtosis of any union of slices', () => {
    const r = normal(1001, 5, 0.01, 0.02).map((x) => x ** 3 * 100);
    const m = sliceMoments(r, 8);
    const all = shapeOf(m);
    const ref = moments(r);
    const popSd = Math.sqrt(r.reduce((a, x) => a + (x - ref.mean) ** 2, 0) / r.length);
    expect(all.n).toBe(1001);
    expect(all.sharpe).toBeCloseTo(ref.mean / popSd, 9);
    expect(all.skew).toBeCloseTo(ref.skew, 7);
    expect(all.kurtosis).toBeCloseTo(ref.kurtosis, 7);
    // Slices 0 and 3 only: bars [0, 125) and [375, 500).
    const part = Float64Array.from([...r.slice(0, 125), ...r.slice(375, 500)]);
    const pm = moments(part);
    expect(shapeOf(m, (s) => s === 0 || s === 3).sharpe).toBeCloseTo(pm.mean / Math.sqrt(pm.std ** 2 * (249 / 250)), 9);
    expect(equityReturns([110, 99], 100)[1]).toBeCloseTo(-0.1, 12);
  });
});

describe('Probability of Backtest Overfitting (CSCV, Bailey, Borwein, López de Prado & Zhu 2015)', () => {
  /** A trial whose slice s holds the returns a_s + 1 and a_s − 1: per-slice Sharpe exactly a_s. */
  const trial = (...a: number[]) =>
    sliceMoments(
      a.flatMap((x) => [x + 1, x - 1]),
      a.length,
    );

  it('a hand-computed case: S = 2, three trials', () => {
    // Slice Sharpes (first, second): T1 (0.3, −0.1), T2 (0.1, 0.2), T3 (−0.2, 0.05).
    // Split 1, in sample = first: T1 wins, out of sample it ranks 1st of 3 → ω = 1/4, λ = ln(1/3) < 0.
    // Split 2, in sample = second: T2 wins, out of sample it ranks 2nd → ω = 2/4, λ = 0, counted half.
    // PBO = (1 + ½)/2 = 0.75; the winner loses out of sample in split 1 only: P(loss) = 0.5.
    const p = probabilityOfOverfitting([trial(0.3, -0.1), trial(0.1, 0.2), trial(-0.2, 0.05)], 2);
    expect(p.combinations).toBe(2);
    expect(p.pbo).toBe(0.75);
    expect(p.probabilityOfLoss).toBe(0.5);
    expect(p.logits).toEqual([Math.log(1 / 3), 0]);
    // Out-of-sample Sharpe of the winner against its in-sample Sharpe: (0.3, −0.1) and (0.2, 0.1): slope −2.
    expect(p.degradationSlope).toBeCloseTo(-2, 12);
  });

  it('no skill to find: PBO ≈ 0.5; one real edge among noise: PBO ≈ 0', () => {
    // The paper's point of reference: with no skill, the in-sample winner's out-of-sample rank is uniform.
    const pbos: number[] = [];
    for (let seed = 1; seed <= 6; seed++)
      pbos.push(
        probabilityOfOverfitting(
          Array.from({ length: 30 }, (_, j) => sliceMoments(normal(1600, seed * 100 + j), 16)),
          16,
        ).pbo,
      );
    const mean = pbos.reduce((a, b) => a + b, 0) / pbos.length;
    expect(mean).toBeGreaterThan(0.35);
    expect(mean).toBeLessThan(0.65);
    const trials = Array.from({ length: 30 }, (_, j) => sliceMoments(normal(1600, 900 + j, j === 7 ? 0.25 : 0), 16));
    const p = probabilityOfOverfitting(trials, 16);
    expect(p.combinations).toBe(12_870);
    expect(p.logits).toHaveLength(201);
    expect(p.pbo).toBeLessThan(0.05);
    expect(p.probabilityOfLoss).toBeLessThan(0.05);
  });
});

describe('out-of-sample Sharpe interval and the verdict', () => {
  it('annualised Sharpe with a block bootstrap interval of the textbook width', () => {
    // Per-bar Sharpe 0.05 over 4000 bars: standard error ≈ 1/√4000 = 0.0158 per bar, ×√365 annualised.
    const ci = sharpeCi(normal(4000, 7, 0.05, 1), 365, { reps: 1000 });
    expect(ci.barsPerPeriod).toBe(1);
    expect(ci.lower).toBeLessThan(0.05 * Math.sqrt(365));
    expect(ci.upper).toBeGreaterThan(0.05 * Math.sqrt(365));
    expect(ci.standardError / Math.sqrt(365)).toBeCloseTo(0.0158, 2);
    // A long 1m series is compounded into at most 4000 periods and annualised accordingly.
    const long = compound(new Float64Array(10_000).fill(0.001));
    expect(long.barsPerPeriod).toBe(3);
    expect(long.returns[0]).toBeCloseTo(1.001 ** 3 - 1, 12);
  });

  it('grades from DSR, PBO and the out-of-sample interval; worst grade wins', () => {
    const noise = Array.from({ length: 40 }, (_, j) => sliceMoments(normal(2000, 50 + j), 16));
    const best = noise.reduce((b, m, j) => (shapeOf(m).sharpe > shapeOf(noise[b]).sharpe ? j : b), 0);
    const s = searchStatistics(noise, best, 16);
    expect(s.dsr!.trials).toBe(40);
    // The best of 40 noise trials is no better than the best of 40 noise trials should be.
    expect(s.dsr!.dsr).toBeLessThan(0.8);
    expect(s.dsr!.psr).toBeGreaterThan(s.dsr!.dsr);
    const v = overfittingVerdict(s);
    expect(['MEDIUM', 'HIGH']).toContain(v.severity);
    expect(v.overfit).toBe(true);
    expect(v.text).toMatch(/DSR 0\.\d\d over 40 trials, PBO 0\.\d\d \(12870 CSCV splits\)/);
    const good = overfittingVerdict({ oosSharpe: { estimate: 1.2, lower: 0.4, upper: 2, level: 0.95 } });
    expect([good.severity, good.overfit]).toEqual(['NONE', false]);
    expect(overfittingVerdict({ oosSharpe: { estimate: 0.5, lower: -0.2, upper: 1.2, level: 0.95 } }).severity).toBe('MEDIUM');
    expect(overfittingVerdict({}).text).toMatch(/not graded/);
  });
});
