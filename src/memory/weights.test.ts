import { describe, expect, it } from 'vitest';
import { outcome, vote } from './test-outcomes.js';
import { adaptiveWeights, explain, maxShift } from './weights.js';

const params = { gateAlpha: 0.025, priorStrength: 5, minWeight: 0.01 };
const base = { good: 1 / 3, bad: 1 / 3, coin: 1 / 3 };

/** n trades alternating up/down moves of 1 %; good is right, bad is wrong, coin alternates its own way. */
function history(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const up = i % 2 === 0;
    const truth = up ? 'BUY' : 'SELL';
    const lie = up ? 'SELL' : 'BUY';
    return outcome(up ? 0.01 : -0.01, [vote('good', truth), vote('bad', lie), vote('coin', i % 4 < 2 ? 'BUY' : 'SELL')]);
  });
}

describe('adaptiveWeights', () => {
  it('leaves every weight exactly at the configured value until the sequential test decides', () => {
    const r = adaptiveWeights(base, history(7), params);
    expect(r.weights).toEqual(base);
    expect(r.scores.every((s) => !s.moved && s.factor === 1 && s.gate.decision === 'undecided')).toBe(true);
    // 7 calls all wrong: E⁻ = 2·2⁷·B(1, 8)·(1 − 2⁻⁸) = 31.9, under 1/α = 40.
    expect(r.scores.find((s) => s.provider === 'bad')!.gate.evidenceBelow).toBeCloseTo(31.875, 3);
  });

  it('moves weights as soon as the evidence reaches 1/α, and says so with the test in the reason', () => {
    const r = adaptiveWeights(base, history(8), params);
    expect(r.weights.good).toBeGreaterThan(base.good);
    expect(r.weights.bad).toBeLessThan(base.bad);
    expect(r.weights.good + r.weights.bad + r.weights.coin).toBeCloseTo(1, 10);
    const coin = r.scores.find((s) => s.provider === 'coin')!;
    expect([coin.hits, coin.n, coin.moved, coin.factor]).toEqual([4, 8, false, 1]);
    const reason = explain(r.scores);
    expect(reason).toContain('bad: 0/8 right, P(hit<0.5)=0.998 after 8 calls, evidence 56.8 ≥ 40.0 (demote)');
    expect(reason).toContain('good: 8/8 right, P(hit>0.5)=0.998 after 8 calls, evidence 56.8 ≥ 40.0 (promote)');
    expect(reason).toMatch(/coin: 4\/8 right, P\(hit[<>]0\.5\)=0\.500 after 8 calls, evidence [\d.]+ < 40\.0 → unchanged/);
  });

  it('strips an always-wrong provider of most of its weight within 20 trades, but never below the floor', () => {
    const r = adaptiveWeights(base, history(20), params);
    expect(r.weights.bad).toBeLessThan(0.2 * base.bad);
    expect(r.weights.bad).toBeGreaterThanOrEqual(0.01 - 1e-12);
    expect(r.weights.good).toBeGreaterThan(0.6);
  });

  it('shrinks harder with a stronger prior', () => {
    const weak = adaptiveWeights(base, history(20), { ...params, priorStrength: 2 });
    const strong = adaptiveWeights(base, history(20), { ...params, priorStrength: 40 });
    expect(Math.abs(strong.weights.good - base.good)).toBeLessThan(Math.abs(weak.weights.good - base.good));
  });

  it('is cost-adjusted: calls that are right by less than the fees count as losses', () => {
    const trades = Array.from({ length: 12 }, () => outcome(0.001, [vote('a', 'BUY'), vote('b', 'HOLD')], { fees: 0.5 }));
    const r = adaptiveWeights({ a: 0.5, b: 0.5 }, trades, params);
    const a = r.scores.find((s) => s.provider === 'a')!;
    expect(a.hits).toBe(0);
    expect(r.weights.a).toBeLessThan(0.5);
    // HOLD abstains: b has no directional votes, so it never reached the sample itself.
    expect(r.scores.find((s) => s.provider === 'b')!.moved).toBe(false);
  });

  it('keeps the configured total and measures shifts over the union of keys', () => {
    const r = adaptiveWeights(
      { a: 2, b: 2 },
      history(12).map((o) => ({ ...o, votes: [vote('a', o.exitPrice > o.entryPrice ? 'BUY' : 'SELL'), vote('b', 'BUY')] })),
      params,
    );
    expect(r.weights.a + r.weights.b).toBeCloseTo(4, 10);
    expect(maxShift({ a: 1 }, { a: 0.5, b: 0.25 })).toBe(0.5);
  });

  describe('with measured recommendations (a separate sample)', () => {
    const recs = (n: number, factor: number) => ({
      factor,
      samples: Array.from({ length: n }, () => [
        { provider: 'good', ret: 0.01 },
        { provider: 'bad', ret: -0.01 },
      ]).flat(),
    });

    it('counts each at `factor` of a trade in the test: 20 all right at 0.5 are 10 calls and open the gate, 20 at 0.25 (5 calls) do not', () => {
      expect(adaptiveWeights(base, [], params, recs(20, 0.25)).weights).toEqual(base);
      const r = adaptiveWeights(base, [], params, recs(20, 0.5));
      expect(r.weights.good).toBeGreaterThan(base.good);
      expect(r.weights.bad).toBeLessThan(base.bad);
      const good = r.scores.find((s) => s.provider === 'good')!;
      expect(good).toMatchObject({ n: 0, hits: 0, recommendations: 20, recommendationHits: 20, recommendationFactor: 0.5 });
    });

    it('adds to the trade evidence without being mixed into the trade counts, and factor 0 leaves trades alone', () => {
      const trades = history(10);
      const alone = adaptiveWeights(base, trades, params);
      expect(adaptiveWeights(base, trades, params, recs(40, 0)).weights).toEqual(alone.weights);
      const both = adaptiveWeights(base, trades, params, recs(40, 0.25));
      expect(both.weights.good).toBeGreaterThan(alone.weights.good);
      const good = both.scores.find((s) => s.provider === 'good')!;
      expect([good.n, good.hits, good.recommendations]).toEqual([10, 10, 40]);
    });

    it('names the two samples apart in the reason', () => {
      const r = adaptiveWeights(base, history(10), params, recs(8, 0.25));
      expect(explain(r.scores)).toContain('good: 10/10 right + 8/8 recommendations right (each ×0.25)');
    });
  });
});
