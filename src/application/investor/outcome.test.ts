import { describe, expect, it } from 'vitest';
import type { Candle } from '../../core/candle.js';
import { judgeOutcome, roundTripCost } from './outcome.js';

const bar = (open: number, high: number, low: number, close: number, timestamp = 0): Candle => ({ timestamp, open, high, low, close, volume: 1 });
const cost = roundTripCost({ fee: 0.001, slippage: 0.0001 });
const AT = 1_000;

describe('judgeOutcome', () => {
  const buy = { action: 'BUY' as const, entry: 100, stop: 95, target: 110 };
  const sell = { action: 'SELL' as const, entry: 100, stop: 105, target: 90 };

  it('round trip: a fee and slippage on each side', () => {
    expect(cost).toBeCloseTo(0.0022, 12);
  });

  it('a BUY reaching its target first: target, at the target, return after costs', () => {
    const o = judgeOutcome(buy, [bar(100, 104, 99, 103), bar(103, 111, 102, 109)], cost, false, AT)!;
    expect(o).toMatchObject({ status: 'target', exitPrice: 110, correct: true, measuredAt: AT });
    expect(o.returnAfterCosts).toBeCloseTo(0.1 - cost, 12);
  });

  it('stop and target in one bar: stopped (the conservative rule)', () => {
    const o = judgeOutcome(buy, [bar(100, 112, 94, 100)], cost, false, AT)!;
    expect(o).toMatchObject({ status: 'stop', exitPrice: 95, correct: false });
    expect(o.returnAfterCosts).toBeCloseTo(-0.05 - cost, 12);
    expect(judgeOutcome(sell, [bar(100, 106, 89, 100)], cost, false, AT)).toMatchObject({ status: 'stop', exitPrice: 105 });
  });

  it('a bar opening through the stop fills at the worse open; a SELL is judged short', () => {
    expect(judgeOutcome(buy, [bar(90, 91, 88, 89)], cost, false, AT)).toMatchObject({ status: 'stop', exitPrice: 90 });
    const s = judgeOutcome(sell, [bar(99, 100, 89, 92)], cost, false, AT)!;
    expect(s).toMatchObject({ status: 'target', exitPrice: 90, correct: true });
    expect(s.returnAfterCosts).toBeCloseTo(0.1 - cost, 12);
  });

  it('neither hit: pending (null) before the horizon, the last close at it; costs can make a small gain wrong', () => {
    const bars = [bar(100, 101, 99, 100.1), bar(100.1, 101, 99.5, 100.1)];
    expect(judgeOutcome(buy, bars, cost, false, AT)).toBeNull();
    const o = judgeOutcome(buy, bars, cost, true, AT)!;
    expect(o).toMatchObject({ status: 'horizon', exitPrice: 100.1, correct: false });
    expect(o.returnAfterCosts).toBeCloseTo(0.001 - cost, 12);
  });

  it('a HOLD takes no position: exit at the horizon, no return, neither right nor wrong; no data by the horizon: no exit', () => {
    expect(judgeOutcome({ action: 'HOLD', entry: 100, stop: null, target: null }, [bar(100, 120, 80, 101)], cost, true, AT)).toEqual({
      status: 'horizon',
      exitPrice: 101,
      returnAfterCosts: null,
      correct: null,
      measuredAt: AT,
    });
    expect(judgeOutcome(buy, [], cost, true, AT)).toEqual({ status: 'horizon', exitPrice: null, returnAfterCosts: null, correct: null, measuredAt: AT });
  });
});
