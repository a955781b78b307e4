import { describe, expect, it } from 'vitest';
import type { IndicatorSnapshot, TimeframePulse } from '../core/market-analysis.js';
import type { Timeframe } from '../core/timeframe.js';
import { BundledMarketData } from '../data/bundled/adapter.js';
import { confluence } from './confluence.js';
import { buildPulse } from './pulse.js';
import { classifyRegime } from './regime.js';
import { classifyTrend, MIN_BARS } from './timeframe-pulse.js';

const ind = (o: Omit<Partial<IndicatorSnapshot>, 'adx'> & { adx?: Partial<IndicatorSnapshot['adx']> }): IndicatorSnapshot =>
  ({
    close: 100,
    rsi: 50,
    rsiZone: 'neutral',
    macd: { macd: 0, signal: 0, histogram: 1 },
    bollinger: { upper: 110, middle: 100, lower: 90, percentB: 0.5, bandwidth: 0.2 },
    atr: 2,
    atrFraction: 0.02,
    sma20: 101,
    sma50: 100,
    ...o,
    adx: { adx: 30, plusDI: 30, minusDI: 10, strongTrend: true, ...o.adx },
  }) as IndicatorSnapshot;

const frame = (tf: Timeframe, trend: TimeframePulse['trend'], strength = 100): TimeframePulse => ({
  timeframe: tf,
  status: 'ok',
  bars: 300,
  lastBarTime: 0,
  trend,
  strength,
  indicators: ind({}),
  note: '',
});

describe('trend classification', () => {
  it('unanimous votes with a strong ADX are a strong trend', () => {
    expect(classifyTrend(ind({ close: 102 }))).toMatchObject({ trend: 'UPTREND', strength: 75 });
    expect(classifyTrend(ind({ close: 98, sma20: 99, macd: { macd: 0, signal: 0, histogram: -1 }, adx: { plusDI: 10, minusDI: 30 } }))).toMatchObject({ trend: 'DOWNTREND' });
  });

  it('a weak ADX needs near-unanimity: split votes are RANGING', () => {
    expect(classifyTrend(ind({ close: 99, adx: { adx: 15 } })).trend).toBe('RANGING');
  });
});

describe('confluence', () => {
  it('weights longer timeframes more (1d 40, 4h 25, 1h 15, 15m 10, 5m 5, 1m 5)', () => {
    const c = confluence([frame('1d', 'UPTREND'), frame('4h', 'UPTREND'), frame('1h', 'DOWNTREND'), frame('15m', 'DOWNTREND'), frame('5m', 'DOWNTREND'), frame('1m', 'DOWNTREND')]);
    expect(c.upPercent).toBe(65);
    expect(c.direction).toBe('UPTREND');
    expect(c.agreeing).toEqual(['1d', '4h']);
    expect(c.opposing).toEqual(['1h', '15m', '5m', '1m']);
    expect(c.strength).toBe(30);
  });

  it('ignores timeframes without data and is MIXED below 60 %', () => {
    const unavailable: TimeframePulse = { ...frame('1d', null), status: 'unavailable', trend: null, indicators: null };
    const c = confluence([unavailable, frame('4h', 'UPTREND'), frame('1h', 'DOWNTREND'), frame('15m', 'RANGING')]);
    expect(c.upPercent).toBe(50);
    expect(c.direction).toBe('MIXED');
    expect(c.ranging).toEqual(['15m']);
  });

  it('answers equal inputs with the same frozen value and recomputes on any change', () => {
    // In the pulse's order (TIMEFRAMES: 1m first).
    const frames = [frame('1m', 'RANGING', 40), frame('1h', 'DOWNTREND', 50), frame('4h', 'UPTREND', 60), frame('1d', 'UPTREND', 80)];
    const a = confluence(frames);
    // New frame objects with the same trends and strengths (a backtest's next bar) share the answer.
    expect(confluence(frames.map((f) => ({ ...f })))).toBe(a);
    expect(Object.isFrozen(a.agreeing) && Object.isFrozen(a.opposing) && Object.isFrozen(a.ranging)).toBe(true);
    const weaker = confluence([frames[0], { ...frames[1], strength: 51 }, frames[2], frames[3]]);
    // (40·0.8 + 25·0.6 − 15·0.51) / 85 rounds to the same 46 %: computed again, an equal answer is the same object.
    expect(weaker).toBe(a);
    expect(confluence([frames[0], { ...frames[1], strength: 90 }, frames[2], frames[3]])).not.toBe(a);
    expect(a.strength).toBe(46);
    expect(confluence([frames[0], { ...frames[1], trend: 'UPTREND' }, frames[2], frames[3]]).agreeing).toEqual(['1h', '4h', '1d']);
  });

  it('lists timeframes in the order the frames come when it is not the usual one', () => {
    const c = confluence([frame('1d', 'UPTREND'), frame('1m', 'UPTREND'), frame('4h', 'UPTREND'), frame('15m', 'DOWNTREND'), frame('5m', 'RANGING')]);
    expect(c.agreeing).toEqual(['1d', '1m', '4h']);
    expect(c.opposing).toEqual(['15m']);
    expect(c.ranging).toEqual(['5m']);
    expect(Object.isFrozen(c.agreeing)).toBe(false);
  });
});

describe('regime', () => {
  it('trend when ADX > 25, else volatile or ranging by ATR/price', () => {
    const with1d = (i: IndicatorSnapshot) => [{ ...frame('1d', 'UPTREND'), indicators: i }];
    expect(classifyRegime(with1d(ind({}))).regime).toBe('TRENDING_UP');
    expect(classifyRegime(with1d(ind({ adx: { plusDI: 5, minusDI: 20 } }))).regime).toBe('TRENDING_DOWN');
    expect(classifyRegime(with1d(ind({ adx: { adx: 20 }, atrFraction: 0.05 }))).regime).toBe('VOLATILE');
    expect(classifyRegime(with1d(ind({ adx: { adx: 20 }, atrFraction: 0.01 }))).regime).toBe('RANGING');
    expect(classifyRegime([]).regime).toBe('UNKNOWN');
  });

  it('answers the same frame object with the same regime, and another frame afresh', () => {
    const daily = { ...frame('1d', 'UPTREND'), indicators: ind({}) };
    const hourly = { ...frame('1h', 'UPTREND'), indicators: ind({ adx: { adx: 20 }, atrFraction: 0.005 }) };
    const a = classifyRegime([hourly, daily]);
    expect(classifyRegime([daily, hourly])).toBe(a);
    expect(classifyRegime([hourly]).regime).toBe('RANGING');
    expect(classifyRegime([{ ...daily, indicators: ind({ adx: { plusDI: 5, minusDI: 20 } }) }]).regime).toBe('TRENDING_DOWN');
    expect(JSON.parse(JSON.stringify(classifyRegime([daily])))).toEqual(JSON.parse(JSON.stringify(a)));
  });
});

describe('buildPulse on real data', () => {
  it('reports too little data and unavailable timeframes instead of guessing', async () => {
    const data = new BundledMarketData();
    const asOf = (await data.sampleInfo('ETHUSD')).asOf;
    const h1 = await data.candles({ pair: 'ETHUSD', timeframe: '1h', end: asOf, limit: MIN_BARS - 1 });
    const pulse = buildPulse('ETHUSD', asOf, { '1h': { candles: h1 }, '1m': { unavailable: 'no 1m data' } });
    const byTf = Object.fromEntries(pulse.timeframes.map((f) => [f.timeframe, f]));
    expect(byTf['1h'].status).toBe('insufficient');
    expect(byTf['1h'].note).toMatch(/only 59 closed bars/);
    expect(byTf['1m'].status).toBe('unavailable');
    expect(pulse.confluence.direction).toBe('MIXED');
  });

  it('describes each timeframe with its numbers for an LLM', async () => {
    const data = new BundledMarketData();
    const asOf = (await data.sampleInfo('BTCUSD')).asOf;
    const inputs = Object.fromEntries(await Promise.all((['1m', '5m', '15m', '1h', '4h', '1d'] as const).map(async (tf) => [tf, { candles: await data.candles({ pair: 'BTCUSD', timeframe: tf, end: asOf }) }])));
    const pulse = buildPulse('BTCUSD', asOf, inputs);
    expect(pulse.timeframes.every((f) => f.status === 'ok')).toBe(true);
    const d1 = pulse.timeframes.find((f) => f.timeframe === '1d')!;
    expect(d1.indicators!.close).toBe(93576);
    expect(pulse.description).toContain(`RSI ${d1.indicators!.rsi.toFixed(1)}`);
    expect(pulse.description.split('\n')).toHaveLength(7);
    expect(pulse.signalStrength).toBeGreaterThanOrEqual(0);
    expect(pulse.signalStrength).toBeLessThanOrEqual(100);
  });
});
