import { describe, expect, it } from 'vitest';
import { recommendationRecord } from '../../test/contract/store/investor.contract.js';
import { recommendationSamples, roundTripCost } from './recommendation-samples.js';

const measured = (id: string, exitPrice: number | null, o: Parameters<typeof recommendationRecord>[1] = {}) =>
  recommendationRecord(id, { entry: 100, outcome: { status: 'horizon', exitPrice, returnAfterCosts: null, correct: null, measuredAt: 1 }, ...o });

describe('recommendationSamples', () => {
  it('judges each BUY/SELL vote on the measured move after costs; HOLD abstains', () => {
    const votes = [
      { provider: 'a', action: 'BUY' as const, confidence: 70 },
      { provider: 'b', action: 'SELL' as const, confidence: 60 },
      { provider: 'c', action: 'HOLD' as const, confidence: 50 },
    ];
    const s = recommendationSamples([measured('r1', 102, { votes })], 0.004);
    expect(s.map((x) => x.provider)).toEqual(['a', 'b']);
    expect(s[0].ret).toBeCloseTo(0.02 - 0.004, 12);
    expect(s[1].ret).toBeCloseTo(-0.02 - 0.004, 12);
  });

  it('counts a decision recommended to several users once, and skips outcomes without an exit', () => {
    const s = recommendationSamples([measured('r1', 101), measured('r2', 101, { owner: 'user:bob' }), measured('r3', null, { decisionId: 'd2' })], 0);
    expect(s).toHaveLength(1);
    expect(s[0]).toEqual({ provider: 'rules', ret: expect.closeTo(0.01, 12) });
  });

  it('round trip: fee and slippage on entry and exit', () => {
    expect(roundTripCost({ fee: 0.001, slippage: 0.0005 })).toBeCloseTo(0.003, 15);
  });
});
