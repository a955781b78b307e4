import { describe, expect, it } from 'vitest';
import { demoted, simulate, tradesUntilBelow } from './simulation.js';

/** The configured defaults (memory.gate_alpha 0.025, prior_strength 5, min_weight 0.01). */
const params = { gateAlpha: 0.025, priorStrength: 5, minWeight: 0.01 };
const seeds = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('feedback loop goals on seeded simulations (bench/feedback.bench.ts reports the same at more seeds)', () => {
  it('an always-wrong provider loses ≥ 80 % of its weight within 20 closed trades, in every seed', () => {
    const until = seeds(100).map((seed) => tradesUntilBelow(simulate({ seed, trades: 20, hitRates: { wrong: 0, coin: 0.5, good: 0.6 }, params }), 'wrong', 0.2));
    expect(until.every((n) => n !== null && n <= 20)).toBe(true);
    // Never before the gate: 8 calls all wrong is the earliest the test can decide at α 0.025.
    expect(Math.min(...(until as number[]))).toBeGreaterThanOrEqual(8);
  });

  it('a coin-flip provider over 200 trades is demoted (below 0.8 of an equal share, at any point) in ≤ 5 % of seeds', () => {
    // Its peer is another coin: a wrong promotion of the peer demotes it too, so both errors count.
    const runs = seeds(300).map((seed) => simulate({ seed, trades: 200, hitRates: { coin: 0.5, peer: 0.5 }, params }));
    const ever = runs.filter((r) => demoted(r, 'coin', 0.8)).length / runs.length;
    expect(ever).toBeLessThanOrEqual(0.05);
    expect(runs.filter((r) => demoted(r, 'coin', 0.8, true)).length / runs.length).toBeLessThanOrEqual(ever);
  });

  it('a 60 % provider gains weight against a coin in most seeds once the evidence has had time', () => {
    const runs = seeds(40).map((seed) => simulate({ seed, trades: 400, hitRates: { good: 0.6, coin: 0.5 }, params }));
    const gained = runs.filter((r) => r.path[r.path.length - 1].good > 0.5).length / runs.length;
    expect(gained).toBeGreaterThan(0.6);
    // And it never loses weight it should not: the coin is promoted above it in no seed.
    expect(runs.every((r) => r.path[r.path.length - 1].good >= 0.5 - 1e-12)).toBe(true);
  });
});
