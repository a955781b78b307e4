import type { Candle } from '../core/candle.js';
import type { IndicatorSnapshot, RsiZone } from '../core/market-analysis.js';
import { ADX, ATR, BollingerBands, MACD, RSI, SMA } from '../indicators/index.js';

export const rsiZone = (v: number): RsiZone => (v >= 70 ? 'overbought' : v <= 30 ? 'oversold' : 'neutral');

/**
 * One timeframe's indicators, fed one closed bar at a time through the streaming interface. The
 * live pulse (a timeframe's recent bars, fed at once) and the backtest feed (bars fed as they
 * close) both compute here, so they share every line of indicator code.
 */
export class IndicatorSet {
  private readonly sma20 = new SMA(20);
  private readonly sma50 = new SMA(50);
  private readonly rsi = new RSI(14);
  private readonly macd = new MACD(12, 26, 9);
  private readonly bb = new BollingerBands(20, 2);
  private readonly adx = new ADX(14);
  private readonly atr = new ATR(14);

  update(b: Candle): void {
    this.sma20.update(b.close);
    this.sma50.update(b.close);
    this.rsi.update(b.close);
    // Without result objects: a snapshot reads the few it needs.
    this.macd.push(b.close);
    this.bb.push(b.close);
    this.adx.push(b);
    this.atr.update(b);
  }

  /** The snapshot after the last bar fed, whose close is `close`. */
  snapshot(close: number): IndicatorSnapshot {
    const r = this.rsi.getResult();
    const a = this.atr.getResult();
    const d = this.adx;
    const m = this.macd;
    const b = this.bb;
    return {
      close,
      rsi: r,
      rsiZone: rsiZone(r),
      macd: { macd: m.macd, signal: m.signal, histogram: m.histogram },
      bollinger: { upper: b.upper, middle: b.middle, lower: b.lower, percentB: b.percentB, bandwidth: b.bandwidth },
      adx: { adx: d.adx, plusDI: d.plusDI, minusDI: d.minusDI, strongTrend: d.adx > 25 },
      atr: a,
      atrFraction: a / close,
      sma20: this.sma20.getResult(),
      sma50: this.sma50.getResult(),
    };
  }
}
