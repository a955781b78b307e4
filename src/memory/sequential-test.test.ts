import { describe, expect, it } from 'vitest';
import { describeGate, earliestMove, hitRateGate, logGamma, regularizedBeta } from './sequential-test.js';

describe('sequential test on the hit rate', () => {
  it('computes ln Γ and the regularised incomplete beta against closed forms', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    // I_x(1, b) = 1 − (1 − x)^b; I_½(a, a) = ½; integer a, b: a binomial tail, I_0.3(2, 3) = Σ_{j=2..4} C(4,j) 0.3^j 0.7^(4−j) = 0.3483.
    expect(regularizedBeta(0.5, 1, 9)).toBeCloseTo(1 - 0.5 ** 9, 14);
    expect(regularizedBeta(0.5, 2.5, 2.5)).toBeCloseTo(0.5, 12);
    expect(regularizedBeta(0.3, 2, 3)).toBeCloseTo(0.3483, 12);
    expect(regularizedBeta(0.5, 151, 51)).toBeLessThan(1e-10);
  });

  it('demotes an always-wrong caller at 1/α and never before; mirrors for an always-right one', () => {
    // E⁻ after n calls all wrong = 2·2ⁿ·B(1, n+1)·(1 − 2⁻⁽ⁿ⁺¹⁾) = 2ⁿ⁺¹/(n+1)·(1 − 2⁻⁽ⁿ⁺¹⁾): 18.1 at 6, 31.9 at 7, 56.8 at 8.
    expect(hitRateGate(0, 6, 0.05).evidenceBelow).toBeCloseTo(18.142857, 5);
    expect(hitRateGate(0, 6, 0.05).decision).toBe('undecided');
    expect(hitRateGate(0, 7, 0.05).decision).toBe('demote');
    expect(earliestMove(0.05)).toBe(7);
    expect(earliestMove(0.025)).toBe(8);
    expect(hitRateGate(8, 0, 0.025)).toMatchObject({ decision: 'promote', evidenceAbove: expect.closeTo(56.78, 2) });
    expect(describeGate(hitRateGate(0, 7, 0.05))).toBe('P(hit<0.5)=0.996 after 7 calls, evidence 31.9 ≥ 20.0');
  });

  it('stays undecided on a coin-like record however long, and takes fractional (weighted) counts', () => {
    const coin = hitRateGate(100, 100, 0.025);
    expect(coin.decision).toBe('undecided');
    expect(coin.pBelow).toBeCloseTo(0.5, 12);
    expect(coin.evidenceBelow).toBeLessThan(1);
    // 30 wrong recommendations at ×0.25 are 7.5 calls: between the 7 and 8 all-wrong thresholds.
    const recs = hitRateGate(0, 7.5, 0.025);
    expect(recs.evidenceBelow).toBeGreaterThan(hitRateGate(0, 7, 0.025).evidenceBelow);
    expect(recs.evidenceBelow).toBeLessThan(hitRateGate(0, 8, 0.025).evidenceBelow);
    expect(describeGate(recs)).toContain('after 7.50 calls');
  });
});
