import { describe, expect, it } from 'vitest';
import { cutDigits, DEFAULT_POLICY, orderUnits, planTrade, positionNotional, stopFraction, type TradePolicy } from './policy.js';

const policy = (over: Partial<TradePolicy> = {}): TradePolicy => ({ ...DEFAULT_POLICY, ...over });

describe('the trade policy', () => {
  it('places stop and target from the entry and sizes so the stop loses the risk fraction, capped by the position limit', () => {
    const p = policy({ stopLoss: 0.02, takeProfit: 0.05, maxPositionFraction: 0.2 });
    const sell = planTrade(p, -1, 100, 10_000, null);
    expect(sell.stopLossPrice).toBeCloseTo(102, 12);
    expect(sell.takeProfitPrice).toBeCloseTo(95, 12);
    // 1 % of 10 000 over a 2 % stop is 5 000, capped at 20 % of equity.
    expect(sell.notional).toBe(2000);
    expect(sell.units).toBe(20);
    const wide = planTrade(policy({ stopLoss: 0.1, maxPositionFraction: 0.2 }), 1, 100, 10_000, null);
    expect(wide.notional).toBeCloseTo(1000, 9);
    expect(wide.units * 100 * 0.1).toBeCloseTo(10_000 * 0.01, 9);
  });

  it('a HOLD has no size, stop or target prices', () => {
    expect(planTrade(DEFAULT_POLICY, 0, 100, 10_000, 3)).toMatchObject({ units: 0, notional: 0, stopLossPrice: null, takeProfitPrice: null });
  });

  it("the provider's hints replace the policy's values", () => {
    const t = planTrade(DEFAULT_POLICY, 1, 50, 1000, null, { stopLossFraction: 0.04, takeProfitFraction: 0.1, sizeFraction: 0.02 });
    expect([t.stopLossFraction, t.takeProfitFraction, t.riskFraction]).toEqual([0.04, 0.1, 0.02]);
    expect(t.notional).toBeCloseTo(500, 9);
  });

  it('stop rules: fixed ignores the ATR; atr is k × ATR / price, clamped, and the fixed distance without an ATR', () => {
    expect(stopFraction(100, 3, policy({ stopRule: 'fixed', stopLoss: 0.03 }))).toBe(0.03);
    const atr = policy({ stopRule: 'atr', stopLoss: 0.025 });
    expect(stopFraction(100, 1.5, atr)).toBeCloseTo(0.03, 12);
    expect(stopFraction(100, 0.1, atr)).toBe(0.01);
    expect(stopFraction(100, 10, atr)).toBe(0.05);
    expect(stopFraction(100, null, atr)).toBe(0.025);
    expect(stopFraction(100, Number.NaN, atr)).toBe(0.025);
  });

  it('never sizes beyond the equity, and nothing without equity or a stop', () => {
    expect(positionNotional(1000, 0.001, 0.01)).toBe(1000);
    expect(positionNotional(0, 0.02, 0.01)).toBe(0);
    expect(positionNotional(1000, 0, 0.01)).toBe(0);
  });
});

describe('orderUnits fast path', () => {
  it("cuts to the same double as the shortest form's digits, on seeded random sizes and near-whole products", () => {
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const cases: [number, number][] = [
      [0.29, 2],
      [0.58, 2],
      [1.005, 2],
      [4.35, 2],
      [0.1 + 0.2, 1],
      [123.456, 0],
      [7, 8],
      [1e-9, 8],
      [2.5e-7, 8],
      [1e21, 8],
      [0.30000000000000004, 8],
    ];
    for (let k = 0; k < 20_000; k++) {
      const mag = 10 ** Math.floor(rnd() * 12 - 6);
      const d = [0, 2, 8][k % 3];
      cases.push([rnd() * mag, d]);
      // Sizes with few digits land products on (or a hair off) whole numbers.
      cases.push([Math.round(rnd() * 1e6) / 10 ** Math.floor(rnd() * 9), d]);
    }
    for (const [u, d] of cases) expect(orderUnits(u, d), `${u} @ ${d}`).toBe(cutDigits(u, d));
  });
});
