import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { CandleColumns } from '../core/candle.js';
import { TIMEFRAME_MS } from '../core/timeframe.js';
import { runBacktest } from './engine.js';
import type { SignalSource } from './port.js';
import { STRATEGIES } from './strategies/index.js';
import { randomWalk, singlePair } from './synthetic.js';
import { DEFAULT_SETTINGS, type BacktestSettings } from './types.js';

const H = TIMEFRAME_MS['1h'];
const scripted = (actions: Record<number, number>): SignalSource => ({
  name: 'script',
  onBar(_p, i, out) {
    if (actions[i]) {
      out.action = actions[i];
      out.confidence = 100;
    }
  },
});

function bars(rows: [number, number, number, number][]): CandleColumns {
  const n = rows.length;
  const col = (k: number) => Float64Array.from(rows, (r) => r[k]);
  return { length: n, timestamp: Float64Array.from(rows, (_, i) => Date.UTC(2024, 0, 1) + i * H), open: col(0), high: col(1), low: col(2), close: col(3), volume: new Float64Array(n).fill(1e9) };
}

const S = (over: Partial<BacktestSettings> = {}): BacktestSettings => ({ ...DEFAULT_SETTINGS, slippageRate: 0, volumeImpact: 0, feeRate: 0, ...over });

describe('event engine: fills, stops and costs', () => {
  it('fills at the next bar open, not at the signal bar', async () => {
    const data = singlePair(
      bars([
        [100, 101, 99, 100],
        [102, 103, 101, 102],
        [103, 104, 102, 103],
      ]),
    );
    const r = await runBacktest(data, scripted({ 0: 1 }), S({ feeRate: 0.001, slippageRate: 0.0005 }));
    expect(r.fills[0].price).toBeCloseTo(102 * 1.0005, 10);
    expect(r.fills[0].time).toBe(data.pairs[0].bars.timestamp[1]);
    expect(r.fills[0].fee).toBeCloseTo(r.fills[0].units * r.fills[0].price * 0.001, 10);
  });

  it('the close fill model fills at the signal bar close', async () => {
    const data = singlePair(
      bars([
        [100, 101, 99, 100.5],
        [102, 103, 101, 102],
        [103, 104, 102, 103],
      ]),
    );
    const r = await runBacktest(data, scripted({ 0: 1 }), S({ fill: 'close' }));
    expect(r.fills[0].price).toBe(100.5);
  });

  it('a bar that reaches both stop and target counts as stopped (conservative rule)', async () => {
    // Entry at 100 (bar 1 open); stop 98, target 105; bar 2 spans 97..106.
    const data = singlePair(
      bars([
        [100, 100, 100, 100],
        [100, 101, 99, 100],
        [100, 106, 97, 104],
        [104, 104, 104, 104],
      ]),
    );
    const r = await runBacktest(data, scripted({ 0: 1 }), S());
    expect(r.trades[0].exitReason).toBe('stop_loss');
    expect(r.trades[0].exitPrice).toBeCloseTo(98, 10);
  });

  it('take-profit fills at the target when only the target is reached, and a gap fills at the open', async () => {
    const up = singlePair(
      bars([
        [100, 100, 100, 100],
        [100, 101, 99.5, 100],
        [100, 105.5, 99.5, 105],
        [105, 105, 105, 105],
      ]),
    );
    const t = (await runBacktest(up, scripted({ 0: 1 }), S())).trades[0];
    expect([t.exitReason, t.exitPrice]).toEqual(['take_profit', 105]);
    const gap = singlePair(
      bars([
        [100, 100, 100, 100],
        [100, 101, 99.5, 100],
        [95, 96, 94, 95],
        [95, 95, 95, 95],
      ]),
    );
    const g = (await runBacktest(gap, scripted({ 0: 1 }), S())).trades[0];
    expect([g.exitReason, g.exitPrice]).toEqual(['stop_loss', 95]);
  });

  it('short stops sit above the entry', async () => {
    const data = singlePair(
      bars([
        [100, 100, 100, 100],
        [100, 100.5, 99, 100],
        [100, 102.5, 99, 101],
        [101, 101, 101, 101],
      ]),
    );
    const t = (await runBacktest(data, scripted({ 0: -1 }), S())).trades[0];
    expect([t.side, t.exitReason]).toEqual(['short', 'stop_loss']);
    expect(t.exitPrice).toBeCloseTo(102, 10);
    expect(t.pnl).toBeLessThan(0);
  });

  it('volume impact adds slippage in proportion to order size over bar volume', async () => {
    const b = bars([
      [100, 101, 99, 100],
      [100, 101, 99, 100],
      [100, 101, 99, 100],
    ]);
    b.volume.fill(1000);
    const r = await runBacktest(singlePair(b), scripted({ 0: 1 }), S({ volumeImpact: 0.1, slippageRate: 0.001 }));
    const f = r.fills[0];
    expect(f.price).toBeCloseTo(100 * (1 + 0.001 + (0.1 * f.units) / 1000), 9);
  });
});

describe('event engine: accounting', () => {
  it('the equity curve is exactly the cash from every fill and fee plus the position at the close', async () => {
    const bars1 = randomWalk(3000, { seed: 11, vol: 0.015 });
    const data = singlePair(bars1);
    const s: BacktestSettings = { ...DEFAULT_SETTINGS, volumeImpact: 5 };
    const r = await runBacktest(data, STRATEGIES['sma-cross'].create({ fast: 5, slow: 20 }, data), s);
    expect(r.trades.length).toBeGreaterThan(50);
    expect(r.trades.some((t) => t.exitReason === 'stop_loss')).toBe(true);
    expect(r.trades.some((t) => t.exitReason === 'take_profit')).toBe(true);
    // Replay the fill list against the bars, in the engine's order of events.
    let cash = s.initialBalance;
    let units = 0;
    let f = 0;
    for (let i = 0; i < bars1.length; i++) {
      const close = bars1.timestamp[i] + H;
      while (f < r.fills.length && r.fills[f].time <= bars1.timestamp[i]) {
        cash -= r.fills[f].units * r.fills[f].price + r.fills[f].fee;
        units += r.fills[f].units;
        f++;
      }
      if (i === bars1.length - 1) break;
      expect(r.equity[i]).toBe(units !== 0 ? cash + units * bars1.close[i] : cash);
      expect(r.times[i]).toBe(close);
    }
    // The last bar closes everything at its close: the curve ends at the final cash.
    while (f < r.fills.length) {
      cash -= r.fills[f].units * r.fills[f].price + r.fills[f].fee;
      units += r.fills[f].units;
      f++;
    }
    expect(Math.abs(units)).toBeLessThan(1e-9);
    expect(r.equity[r.equity.length - 1]).toBe(cash);
    expect(r.cash).toBe(cash);
    // Exact decimal ledger: initial − Σ signed notional − Σ fees equals the float books to 1e-9.
    const exact = r.fills.reduce((acc, x) => acc.minus(new Decimal(x.units).times(x.price)).minus(x.fee), new Decimal(s.initialBalance));
    expect(Math.abs(exact.toNumber() - r.cash)).toBeLessThan(1e-8);
    const fees = r.fills.reduce((a, x) => a + x.fee, 0);
    expect(r.metrics.feesPaid).toBeCloseTo(fees, 8);
    const pnl = r.trades.reduce((a, t) => a + t.pnl, 0);
    expect(s.initialBalance + pnl).toBeCloseTo(r.metrics.finalEquity, 8);
  });

  it('fees and slippage only ever cost money', async () => {
    const data = singlePair(randomWalk(2000, { seed: 5 }));
    const make = () => STRATEGIES['sma-cross'].create({ fast: 5, slow: 20 }, data);
    const free = await runBacktest(data, make(), S());
    const costly = await runBacktest(data, make(), S({ feeRate: 0.001, slippageRate: 0.0005 }));
    expect(costly.metrics.feesPaid).toBeGreaterThan(0);
    expect(free.metrics.feesPaid).toBe(0);
    expect(costly.metrics.finalEquity).toBeLessThan(free.metrics.finalEquity);
  });
});

describe('no look-ahead: changing bars after t never changes decisions at or before t', () => {
  for (const name of Object.keys(STRATEGIES)) {
    it(name, async () => {
      const a = randomWalk(1500, { seed: 3 });
      const j = 900;
      const b: CandleColumns = { ...a, open: a.open.slice(), high: a.high.slice(), low: a.low.slice(), close: a.close.slice() };
      for (let i = j + 1; i < b.length; i++) {
        b.open[i] *= 1.3;
        b.high[i] *= 1.3;
        b.low[i] *= 1.3;
        b.close[i] *= 1.3;
      }
      const record = async (bars1: CandleColumns) => {
        const data = singlePair(bars1);
        const inner = STRATEGIES[name].create(Object.fromEntries(STRATEGIES[name].params.map((p) => [p.name, p.default])), data);
        const seen: string[] = [];
        const spy: SignalSource = { name, onBar: (p, i, out, book) => (inner.onBar(p, i, out, book), void seen.push(`${i}:${out.action}`)) };
        const r = await runBacktest(data, spy, S({ feeRate: 0.001 }));
        return { seen, r };
      };
      const ra = await record(a);
      const rb = await record(b);
      expect(ra.seen.filter((x) => Number(x.split(':')[0]) <= j)).toEqual(rb.seen.filter((x) => Number(x.split(':')[0]) <= j));
      expect(ra.seen.some((x) => !x.endsWith(':0'))).toBe(true);
      // And the bars after j did matter (the test can fail).
      expect(ra.r.metrics.finalEquity).not.toBe(rb.r.metrics.finalEquity);
      expect(Array.from(ra.r.equity.subarray(0, j))).toEqual(Array.from(rb.r.equity.subarray(0, j)));
    });
  }
});

describe('opposite signals', () => {
  const data = () =>
    singlePair(
      bars([
        [100, 100, 100, 100],
        [100, 100.5, 99.5, 100],
        [100, 100.5, 99.5, 100],
        [100, 100.5, 99.5, 100],
        [100, 100, 100, 100],
      ]),
    );
  it('flip by default: close the long and open a short at the same open', async () => {
    const r = await runBacktest(data(), scripted({ 0: 1, 1: -1 }), S());
    expect(r.fills.map((f) => f.reason)).toEqual(['entry', 'signal', 'entry', 'end']);
    expect(r.trades.map((t) => t.side)).toEqual(['long', 'short']);
  });
  it('a source that closes on opposite (live execution planning) only closes', async () => {
    const src = { ...scripted({ 0: 1, 1: -1 }), closeOnOpposite: true };
    const r = await runBacktest(data(), src, S());
    expect(r.fills.map((f) => f.reason)).toEqual(['entry', 'signal']);
  });
});
