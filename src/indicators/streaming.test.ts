import { describe, expect, it } from 'vitest';
import { indicatorSnapshot } from '../analysis/timeframe-pulse.js';
import type { Candle } from '../core/candle.js';
import { ADX, ATR, BollingerBands, EMA, MACD, RSI, SMA, adx, atr, bollinger, ema, macd, rsi, sma, type StreamingIndicator } from './index.js';

const n = 120;
const candles: Candle[] = Array.from({ length: n }, (_, i) => {
  const close = 100 + Math.sin(i / 5) * 4 + i / 20;
  return { timestamp: i * 3_600_000, open: close - 0.3, high: close + 1 + (i % 3) / 4, low: close - 1 - (i % 5) / 5, close, volume: 1 };
});
const close = candles.map((c) => c.close);
const high = candles.map((c) => c.high);
const low = candles.map((c) => c.low);
const last = (a: Float64Array) => a[a.length - 1];

describe('one streaming interface: update / getResult / isStable', () => {
  it('every indicator is unstable (NaN) while warming up, stable after, and getResult repeats the last update', () => {
    const cases: [StreamingIndicator<Candle, unknown>, number][] = [
      [new SMA(20), 20],
      [new EMA(12), 12],
      [new RSI(14), 15],
      [new MACD(12, 26, 9), 34],
      [new BollingerBands(20, 2), 20],
      [new ATR(14), 15],
      [new ADX(14), 28],
    ];
    for (const [ind, warm] of cases) {
      let r: unknown;
      for (let i = 0; i < n; i++) {
        r = ind.update(candles[i]);
        expect(ind.isStable, `${ind.constructor.name} after ${i + 1} bars`).toBe(i + 1 >= warm);
        expect(ind.getResult()).toBe(r);
      }
    }
  });

  it('a close-based indicator takes the close or a bar with one: the same numbers', () => {
    const a = new RSI(14);
    const b = new RSI(14);
    for (const c of candles) expect(a.update(c)).toBe(b.update(c.close));
  });

  it("the live pulse computes through the streaming classes and gives the batch functions' numbers exactly", () => {
    const s = indicatorSnapshot(candles);
    const m = macd(close);
    const bb = bollinger(close);
    const d = adx(high, low, close);
    expect([s.sma20, s.sma50, s.rsi, s.atr]).toEqual([last(sma(close, 20)), last(sma(close, 50)), last(rsi(close)), last(atr(high, low, close))]);
    expect(s.macd).toEqual({ macd: last(m.macd), signal: last(m.signal), histogram: last(m.histogram) });
    expect(s.bollinger).toEqual({ upper: last(bb.upper), middle: last(bb.middle), lower: last(bb.lower), percentB: last(bb.percentB), bandwidth: last(bb.bandwidth) });
    expect([s.adx.adx, s.adx.plusDI, s.adx.minusDI]).toEqual([last(d.adx), last(d.plusDI), last(d.minusDI)]);
    expect(Number.isFinite(last(ema(close, 12)))).toBe(true);
  });

  it('push is update without its result object: the result read after it, and every field read alone, are the numbers update gives', () => {
    const fresh = () => [new MACD(12, 26, 9), new BollingerBands(20, 2), new ADX(14)] as const;
    const [um, ub, ud] = fresh();
    const [pm, pb, pd] = fresh();
    for (const c of candles) {
      const m = um.update(c);
      const b = ub.update(c);
      const d = ud.update(c);
      pm.push(c);
      pb.push(c);
      pd.push(c);
      expect(pm.getResult()).toEqual(m);
      expect([pm.macd, pm.signal, pm.histogram]).toEqual([m.macd, m.signal, m.histogram]);
      expect(pb.getResult()).toEqual(b);
      expect([pb.upper, pb.middle, pb.lower, pb.percentB, pb.bandwidth]).toEqual([b.upper, b.middle, b.lower, b.percentB, b.bandwidth]);
      expect(pd.getResult()).toEqual(d);
      expect([pd.adx, pd.plusDI, pd.minusDI]).toEqual([d.adx, d.plusDI, d.minusDI]);
      expect([pm.isStable, pb.isStable, pd.isStable]).toEqual([um.isStable, ub.isStable, ud.isStable]);
    }
  });

  it('a result object read twice between updates is the same object, and a later update does not change it', () => {
    const m = new MACD(12, 26, 9);
    for (const c of candles.slice(0, 60)) m.update(c);
    const before = m.getResult();
    const copy = { ...before };
    expect(m.getResult()).toBe(before);
    m.update(candles[60]);
    expect(before).toEqual(copy);
    expect(m.getResult()).not.toBe(before);
  });
});
