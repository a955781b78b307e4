import type { Candle } from '../core/candle.js';
import type { IndicatorSnapshot, TimeframePulse, TrendDirection } from '../core/market-analysis.js';
import type { Timeframe } from '../core/timeframe.js';
import { rsiZone, trendVotes } from './indicator-set.js';
import { windowSnapshot } from './window-snapshot.js';

/** Fewer closed bars than this and indicators (SMA50, ADX, MACD signal) are not trustworthy. */
export const MIN_BARS = 60;

export { rsiZone };

/** The indicators after the last of `candles`: the numbers the backtest feed's streaming IndicatorSet gives (windowSnapshot). */
export function indicatorSnapshot(candles: readonly Candle[]): IndicatorSnapshot {
  return windowSnapshot(candles);
}

/**
 * Trend from four independent votes — SMA20 vs SMA50 (0.35), +DI vs −DI (0.25), MACD histogram
 * (0.2), close vs SMA20 (0.2) — gated by ADX: a weak-ADX market needs near-unanimous votes to
 * count as trending. Strength is the vote margin scaled by trend intensity (ADX/40, floor 0.4).
 */
export function classifyTrend(ind: IndicatorSnapshot): { trend: TrendDirection; strength: number; score: number } {
  const score = trendScore(ind);
  return { trend: trendOf(score, ind.adx.adx), strength: trendStrength(score, ind.adx.adx), score };
}

/** `classifyTrend`'s vote score. */
export const trendScore = (ind: IndicatorSnapshot): number => trendVotes(ind.sma20, ind.sma50, ind.adx.plusDI, ind.adx.minusDI, ind.macd.histogram, ind.close);

/** Whether the votes clear the ADX-gated threshold (else the market is range-bound). */
const trending = (score: number, adx: number) => Math.abs(score) >= (adx < 20 ? 0.8 : 0.3);

/** `classifyTrend`'s trend of a vote score (no result object: the backtest feed asks on every bar). */
export const trendOf = (score: number, adx: number): TrendDirection => (!trending(score, adx) ? 'RANGING' : score > 0 ? 'UPTREND' : 'DOWNTREND');

/** `classifyTrend`'s strength of a vote score. */
export function trendStrength(score: number, adx: number): number {
  // Range-bound strength: the weaker the trend evidence, the clearer the range.
  if (!trending(score, adx)) return Math.round(100 * (1 - Math.abs(score)) * (1 - Math.min(1, adx / 50)));
  const intensity = Math.min(1, Math.max(0.4, adx / 40));
  return Math.round(100 * Math.abs(score) * intensity);
}

export function timeframePulse(tf: Timeframe, candles: readonly Candle[] | null, unavailableReason = ''): TimeframePulse {
  if (candles === null) {
    return { timeframe: tf, status: 'unavailable', bars: 0, lastBarTime: null, trend: null, strength: null, indicators: null, note: unavailableReason || 'no data' };
  }
  const lastBarTime = candles.length ? candles[candles.length - 1].timestamp : null;
  if (candles.length < MIN_BARS) {
    return {
      timeframe: tf,
      status: 'insufficient',
      bars: candles.length,
      lastBarTime,
      trend: null,
      strength: null,
      indicators: null,
      note: `only ${candles.length} closed bars; at least ${MIN_BARS} are needed`,
    };
  }
  const indicators = indicatorSnapshot(candles);
  const { trend, strength } = classifyTrend(indicators);
  return { timeframe: tf, status: 'ok', bars: candles.length, lastBarTime, trend, strength, indicators, note: '' };
}
