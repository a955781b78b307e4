import { describe, expect, it } from 'vitest';
import { loadBtc1h } from '../../test/fixtures/indicators/helpers.js';
import { adx, atr, bollinger, ema, macd, rsi, sma, trueRange } from './index.js';

const btc = loadBtc1h();
const n = btc.close.length;
/** Caller buffers holding stale numbers, as reused buffers do: every slot must be rewritten. */
const stale = () => new Float64Array(n).fill(12345);

describe("batch functions writing into the caller's buffers", () => {
  it('give exactly the allocating numbers, warm-up NaNs included', () => {
    const { high, low, close } = btc;
    expect(sma(close, 20, stale())).toEqual(sma(close, 20));
    expect(ema(close, 20, stale())).toEqual(ema(close, 20));
    expect(rsi(close, 14, stale())).toEqual(rsi(close, 14));
    expect(trueRange(high, low, close, stale())).toEqual(trueRange(high, low, close));
    expect(atr(high, low, close, 14, stale())).toEqual(atr(high, low, close, 14));
    expect(macd(close, 12, 26, 9, { macd: stale(), signal: stale(), histogram: stale() })).toEqual(macd(close, 12, 26, 9));
    expect(bollinger(close, 20, 2, { upper: stale(), middle: stale(), lower: stale(), percentB: stale(), bandwidth: stale() })).toEqual(bollinger(close, 20, 2));
    expect(adx(high, low, close, 14, { adx: stale(), plusDI: stale(), minusDI: stale() })).toEqual(adx(high, low, close, 14));
  });

  it('return the very buffers they were given', () => {
    const out = stale();
    expect(rsi(btc.close, 14, out)).toBe(out);
    const into = { upper: stale(), middle: stale(), lower: stale() };
    expect(bollinger(btc.close, 20, 2, into)).toBe(into);
  });

  it('compute only the outputs asked for: Bollinger bands without %B and bandwidth, ADX without the DIs', () => {
    const full = bollinger(btc.close, 20, 2);
    const bands = bollinger(btc.close, 20, 2, { upper: stale(), middle: stale(), lower: stale() });
    expect(bands).toEqual({ upper: full.upper, middle: full.middle, lower: full.lower });
    const onlyB = bollinger(btc.close, 20, 2, { upper: stale(), middle: stale(), lower: stale(), percentB: stale() });
    expect(onlyB.percentB).toEqual(full.percentB);
    const onlyWidth = bollinger(btc.close, 20, 2, { upper: stale(), middle: stale(), lower: stale(), bandwidth: stale() });
    expect(onlyWidth.bandwidth).toEqual(full.bandwidth);
    const line = adx(btc.high, btc.low, btc.close, 14, { adx: stale() });
    expect(line).toEqual({ adx: adx(btc.high, btc.low, btc.close, 14).adx });
  });

  it('reject a buffer of the wrong length, naming it', () => {
    expect(() => sma(btc.close, 20, new Float64Array(3))).toThrow(/into must have the input's length/);
    expect(() => macd(btc.close, 12, 26, 9, { macd: stale(), signal: new Float64Array(1), histogram: stale() })).toThrow(/signal/);
  });
});
