import { describe, expect, it } from 'vitest';
import { bootstrapCi, optimalBlockLength, stationaryIndices } from './block-bootstrap.js';
import { gaussian, rng } from './synthetic.js';

const mean = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0) / xs.length;
const whiteNoise = (n: number, seed: number) => {
  const g = gaussian(rng(seed));
  return Float64Array.from({ length: n }, () => g());
};
/** AR(1) x_t = φ x_{t−1} + ε_t. */
const ar1 = (n: number, phi: number, seed: number) => {
  const g = gaussian(rng(seed));
  const out = new Float64Array(n);
  let x = 0;
  for (let i = 0; i < n; i++) out[i] = x = phi * x + g();
  return out;
};

describe('stationary block bootstrap', () => {
  it('draws runs of consecutive indices whose mean length is the block length; block 1 is i.i.d.', () => {
    const u = rng(5);
    const idx = stationaryIndices(1000, 10, u, new Int32Array(200_000));
    let runs = 1;
    for (let i = 1; i < idx.length; i++) if (idx[i] !== (idx[i - 1] + 1) % 1000) runs++;
    // A new block starts with probability 1/10, and one drawn start in 1000 happens to continue the last.
    expect(idx.length / runs).toBeGreaterThan(9.5);
    expect(idx.length / runs).toBeLessThan(10.6);
    const iid = stationaryIndices(1000, 1, rng(6), new Int32Array(100_000));
    let follow = 0;
    for (let i = 1; i < iid.length; i++) if (iid[i] === (iid[i - 1] + 1) % 1000) follow++;
    expect(follow / iid.length).toBeLessThan(0.003);
  });

  it('Politis–White block length: ≈ 1 for white noise, near theory for an AR(1)', () => {
    expect(optimalBlockLength(whiteNoise(10_000, 1))).toBeLessThan(3);
    // For AR(1), b = (2G²/D)^{1/3} n^{1/3} = (2φ/(1 − φ²))^{2/3} n^{1/3}: 26.1 at φ = 0.5, n = 10,000.
    const theory = Math.cbrt((2 * 0.5) / (1 - 0.25)) ** 2 * Math.cbrt(10_000);
    expect(theory).toBeCloseTo(26.1, 1);
    const seeds = [1, 2, 3, 4, 5].map((s) => optimalBlockLength(ar1(10_000, 0.5, s)));
    const avg = seeds.reduce((a, b) => a + b, 0) / seeds.length;
    expect(avg).toBeGreaterThan(theory * 0.6);
    expect(avg).toBeLessThan(theory * 1.4);
    expect(optimalBlockLength([1, 2])).toBe(1);
  });

  it('bootstrapCi: the i.i.d. interval of a mean has the textbook width and is seeded', () => {
    const xs = whiteNoise(400, 9);
    const ci = bootstrapCi(xs, mean, { reps: 4000, seed: 3 });
    expect(ci.estimate).toBeCloseTo(mean(xs), 12);
    expect(ci.lower).toBeLessThan(ci.estimate);
    expect(ci.upper).toBeGreaterThan(ci.estimate);
    // σ/√n = 0.05: the 95 % interval is about ±1.96 × 0.05 wide.
    expect(ci.upper - ci.lower).toBeGreaterThan(0.17);
    expect(ci.upper - ci.lower).toBeLessThan(0.23);
    expect(ci.standardError).toBeCloseTo(0.05, 1);
    expect(ci.block).toBe(1);
    expect(bootstrapCi(xs, mean, { reps: 4000, seed: 3 })).toEqual(ci);
    expect(bootstrapCi(xs, mean, { reps: 500, seed: 4 }).lower).not.toBe(ci.lower);
  });

  it('blocks keep serial dependence: an AR(1) mean gets the wider interval it should', () => {
    // Var(mean) of AR(1) is (1 + φ)/(1 − φ) = 3 times the i.i.d. one at φ = 0.5: √3 ≈ 1.73 times the width.
    const xs = ar1(4000, 0.5, 11);
    const iid = bootstrapCi(xs, mean, { reps: 2000, seed: 1 });
    const blocks = bootstrapCi(xs, mean, { reps: 2000, seed: 1, block: 'auto' });
    expect(blocks.block).toBeGreaterThan(5);
    const ratio = (blocks.upper - blocks.lower) / (iid.upper - iid.lower);
    expect(ratio).toBeGreaterThan(1.4);
    expect(ratio).toBeLessThan(2.1);
  });

  it('left-out resamples and tiny inputs are said, not hidden', () => {
    const sharpe = (xs: Float64Array) => {
      const m = mean(xs);
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
      return m / sd;
    };
    const ci = bootstrapCi([1, 1, 1, 2], sharpe, { reps: 1000, seed: 2 });
    // A resample of four 1s has no deviation (probability (3/4)^4 ≈ 32 %): its Sharpe is not finite and left out.
    expect(ci.reps).toBeLessThan(800);
    expect(ci.reps).toBeGreaterThan(600);
    expect(bootstrapCi([3], mean)).toMatchObject({ estimate: 3, reps: 0 });
    expect(Number.isNaN(bootstrapCi([3], mean).lower)).toBe(true);
  });
});
