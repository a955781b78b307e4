import { describe, expect, it } from 'vitest';
import { context, limits, NOW } from '../../../test/support/risk-context.js';
import { drawdown, drawdownCheck } from './drawdown.js';

describe('drawdown', () => {
  it('measures the fall from the curve peak as a fraction', () => {
    expect(drawdown([{ equity: 100 }, { equity: 120 }, { equity: 110 }], 108).value).toBeCloseTo(0.1, 12);
    expect(drawdown([{ equity: 100 }], 130)).toEqual({ value: 0, peak: 130 });
  });

  it('takes the peak as Math.max of the equity and the curve does: NaN anywhere, +0 over −0, the equity alone on an empty curve', () => {
    for (const [curve, equity] of [
      [[100, NaN, 90], 80],
      [[100, 90], NaN],
      [[-0], 0],
      [[0], -0],
      [[-0, -0], -0],
      [[], 70],
      [[-5, -3], -4],
    ] as [number[], number][]) {
      expect(
        Object.is(
          drawdown(
            curve.map((e) => ({ equity: e })),
            equity,
          ).peak,
          Math.max(equity, ...curve),
        ),
      ).toBe(true);
    }
  });

  it('denies entries once equity is more than max_drawdown below the peak', () => {
    const curve = [
      { at: NOW - 3 * 86_400_000, equity: 10_000 },
      { at: NOW - 86_400_000, equity: 10_500 },
    ];
    const within = drawdownCheck.run({ decision: null, ctx: context({ equityCurve: curve, equity: 10_000 }), limits: limits() });
    expect(within).toMatchObject({ status: 'pass', limit: 0.05 });
    expect(within.value).toBeCloseTo(500 / 10_500, 12);
    const beyond = drawdownCheck.run({ decision: null, ctx: context({ equityCurve: curve, equity: 9_900 }), limits: limits() });
    expect(beyond).toMatchObject({ status: 'deny', code: 'MAX_DRAWDOWN' });
    expect(beyond.value).toBeCloseTo(600 / 10_500, 12);
  });
});
