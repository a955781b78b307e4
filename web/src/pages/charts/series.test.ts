import { describe, expect, it } from 'vitest';
import { barMarkers, indicatorLines, indicatorQuery, lineName, toBars, type WireCandle, type WireIndicator, type WireMarker } from './series';

const H = 3_600_000;
const candle = (i: number, close = 100 + i): WireCandle => ({ timestamp: 1_700_000_000_000 + i * H, open: close - 1, high: close + 2, low: close - 2, close, volume: 1 });

describe('candles and indicators → chart series', () => {
  it('bars are in seconds, sorted, one per time (the later duplicate wins)', () => {
    const bars = toBars([candle(2), candle(0), candle(1), { ...candle(1), close: 999 }]);
    expect(bars.map((b) => b.time)).toEqual([1_700_000_000, 1_700_003_600, 1_700_007_200]);
    expect(bars[1].close).toBe(999);
  });

  it('indicator lines skip warm-up nulls (never drawn as 0), keep panes, name lines and make MACD histogram a histogram', () => {
    const candles = [0, 1, 2, 3].map((i) => candle(i));
    const inds: WireIndicator[] = [
      { id: 'sma:2', kind: 'sma', periods: [2], pane: 'price', lines: { value: [null, 100.5, 101.5, 102.5] } },
      { id: 'bb:2', kind: 'bb', periods: [2], pane: 'price', lines: { upper: [null, 1, 2, 3], middle: [null, 1, 2, 3], lower: [null, 0, 1, 2] } },
      { id: 'macd:12:26:9', kind: 'macd', periods: [12, 26, 9], pane: 'oscillator', lines: { macd: [null, null, 1, 2], signal: [null, null, null, 1], histogram: [null, null, null, 1] } },
    ];
    const lines = indicatorLines(candles, inds);
    expect(lines.map((l) => [l.name, l.pane, l.kind, l.points.length])).toEqual([
      ['SMA 2', 'price', 'line', 3],
      ['BB 2 upper', 'price', 'line', 3],
      ['BB 2 middle', 'price', 'line', 3],
      ['BB 2 lower', 'price', 'line', 3],
      ['MACD 12/26/9 macd', 'oscillator', 'line', 2],
      ['MACD 12/26/9 signal', 'oscillator', 'line', 1],
      ['MACD 12/26/9 histogram', 'oscillator', 'histogram', 1],
    ]);
    expect(lines[0].points[0]).toEqual({ time: candles[1].timestamp / 1000, value: 100.5 });
    expect(lines[1].dashed).toBe(true);
    expect(lines[2].dashed).toBe(false);
    expect(lineName(inds[0], 'value')).toBe('SMA 2');
  });

  it('markers land on the bar holding their time; long entries/buys below with an up arrow, exits above; outside the bars dropped', () => {
    const bars = toBars([0, 1, 2].map((i) => candle(i)));
    const t = (i: number, extra = 0) => 1_700_000_000_000 + i * H + extra;
    const ms: WireMarker[] = [
      { time: t(1, 20 * 60_000), kind: 'entry', side: 'long', price: 101, text: '', id: 'a' },
      { time: t(2, 5 * 60_000), kind: 'exit', side: 'long', price: 103, text: '', id: 'b' },
      { time: t(0), kind: 'order', side: 'sell', price: 100, text: '', id: 'c' },
      { time: t(-1), kind: 'entry', side: 'short', price: 1, text: '', id: 'before' },
      { time: t(3, 1), kind: 'exit', side: 'short', price: 1, text: '', id: 'after' },
    ];
    expect(barMarkers(bars, ms)).toEqual([
      { time: bars[0].time, position: 'aboveBar', shape: 'circle', color: 'down', text: 'sell' },
      { time: bars[1].time, position: 'belowBar', shape: 'arrowUp', color: 'up', text: 'entry' },
      { time: bars[2].time, position: 'aboveBar', shape: 'arrowDown', color: 'accent', text: 'exit' },
    ]);
    expect(barMarkers([], ms)).toEqual([]);
  });

  it('the indicators query names the checked overlays only', () => {
    expect(indicatorQuery({ sma: 20, ema: 50, bb: 20 })).toBe('sma:20,ema:50,bb:20');
    expect(indicatorQuery({ sma: null, ema: null, bb: 10, rsi: true, macd: true })).toBe('bb:10,rsi:14,macd:12:26:9');
    expect(indicatorQuery({})).toBe('');
  });
});
