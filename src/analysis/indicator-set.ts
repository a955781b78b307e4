import type { Candle } from '../core/candle.js';
import type { IndicatorSnapshot, RsiZone } from '../core/market-analysis.js';
import { ADX, ATR, BollingerBands, MACD, RSI, SMA } from '../indicators/index.js';

export const rsiZone = (v: number): RsiZone => (v >= 70 ? 'overbought' : v <= 30 ? 'oversold' : 'neutral');

const sign = (x: number) => (x > 0 ? 1 : x < 0 ? -1 : 0);

/**
 * The trend's vote score from the indicators it reads — SMA20 vs SMA50 (0.35), +DI vs −DI (0.25),
 * MACD histogram (0.2), close vs SMA20 (0.2) — read from a snapshot (`trendScore`) or from a set's
 * fields (`IndicatorSet.trendScore`, without a snapshot).
 */
export const trendVotes = (sma20: number, sma50: number, plusDI: number, minusDI: number, histogram: number, close: number): number =>
  0.35 * sign(sma20 - sma50) + 0.25 * sign(plusDI - minusDI) + 0.2 * sign(histogram) + 0.2 * sign(close - sma20);

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

  /** The snapshot's trend vote score (`trendScore`) read from the indicators, without a snapshot. */
  trendScore(close: number): number {
    return trendVotes(this.sma20.getResult(), this.sma50.getResult(), this.adx.plusDI, this.adx.minusDI, this.macd.histogram, close);
  }

  /** The snapshot's `adx.adx`. */
  get adxValue(): number {
    return this.adx.adx;
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
