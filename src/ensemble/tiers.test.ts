import { describe, expect, it } from 'vitest';
import { agreementScore, decideByTiers, normalise, voteShares, type Vote } from './tiers.js';

const v = (provider: string, action: Vote['action'], confidence: number, weight: number): Vote => ({ provider, action, confidence, weight });

describe('tiers', () => {
  it('tier 1: confidence-weighted vote shares pick the action; confidence = supporters mean × (0.6 + 0.4 × share)', () => {
    const votes = [v('a', 'BUY', 80, 0.25), v('b', 'BUY', 60, 0.25), v('c', 'SELL', 90, 0.5)];
    const shares = voteShares(votes);
    // power BUY 0.2 + 0.15 = 0.35, SELL 0.45 → SELL wins even though BUY has more votes.
    expect(shares.SELL).toBeCloseTo(0.45 / 0.8);
    const out = decideByTiers(votes);
    expect(out).toMatchObject({ tier: 'weighted', action: 'SELL', skipped: [] });
    expect(out.confidence).toBeCloseTo(90 * (0.6 + 0.4 * (0.45 / 0.8)));
  });

  it('a unanimous weighted vote keeps the supporters weighted mean confidence', () => {
    const out = decideByTiers([v('a', 'BUY', 80, 0.75), v('b', 'BUY', 60, 0.25)]);
    expect(out.tier).toBe('weighted');
    expect(out.confidence).toBeCloseTo(75);
  });

  it('tier 2 (majority) when the weighted shares tie', () => {
    // BUY power 0.5·0.6 = 0.3; SELL 0.25·0.6 + 0.25·0.6 = 0.3: a tie; counts 2 SELL vs 1 BUY.
    const out = decideByTiers([v('a', 'BUY', 60, 0.5), v('b', 'SELL', 60, 0.25), v('c', 'SELL', 60, 0.25)]);
    expect(out).toMatchObject({ tier: 'majority', action: 'SELL', confidence: 60, skipped: ['weighted: tie in weighted vote shares'] });
  });

  it('tier 2 also when there are no weights at all', () => {
    const out = decideByTiers([v('a', 'HOLD', 70, 0), v('b', 'HOLD', 50, 0), v('c', 'BUY', 90, 0)]);
    expect(out).toMatchObject({ tier: 'majority', action: 'HOLD', confidence: 60 });
    expect(out.skipped[0]).toMatch(/no voting weight/);
  });

  it('tier 3 (average confidence) when the counts tie too', () => {
    const out = decideByTiers([v('a', 'BUY', 80, 0), v('b', 'SELL', 60, 0)]);
    expect(out).toMatchObject({ tier: 'average', action: 'BUY', confidence: 80 });
    expect(out.skipped).toEqual(['weighted: no voting weight (all weights or confidences are 0)', 'majority: tie in vote counts']);
  });

  it('tier 4 (single best) with one answer, or when every tier ties; ties never default to BUY', () => {
    expect(decideByTiers([v('only', 'SELL', 66, 1)])).toMatchObject({ tier: 'single_provider', action: 'SELL', confidence: 66, singleProvider: 'only' });
    const tie = decideByTiers([v('a', 'BUY', 70, 0.5), v('b', 'SELL', 70, 0.5)]);
    expect(tie.tier).toBe('single_provider');
    expect(tie.skipped).toHaveLength(3);
    // Equal confidence and weight: the earlier member wins, deterministically.
    expect(tie).toMatchObject({ action: 'BUY', singleProvider: 'a' });
    expect(decideByTiers([v('a', 'BUY', 70, 0.4), v('b', 'SELL', 70, 0.6)].map((x) => ({ ...x, weight: 0 }))).tier).toBe('single_provider');
  });

  it('normalise renormalises over the given names and treats bad weights as 0', () => {
    expect(normalise({ a: 0.25, b: 0.25, c: 0.25, d: 0.25 }, ['a', 'b', 'c'])).toEqual({ a: 1 / 3, b: 1 / 3, c: 1 / 3 });
    expect(normalise({ a: 2, b: -1, c: Number.NaN }, ['a', 'b', 'c', 'x'])).toEqual({ a: 1, b: 0, c: 0, x: 0 });
    expect(normalise({ a: 0 }, ['a'])).toEqual({ a: 0 });
  });

  it('agreement score is the modal share', () => {
    expect(agreementScore([v('a', 'BUY', 1, 1), v('b', 'BUY', 1, 1), v('c', 'SELL', 1, 1)])).toBeCloseTo(2 / 3);
  });
});
