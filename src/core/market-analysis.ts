import type { FundamentalsSection } from './fundamentals.js';
import type { Timeframe } from './timeframe.js';

/** Shapes of the market analysis (pulse and regime); computed in src/analysis, read everywhere. */
export type TrendDirection = 'UPTREND' | 'DOWNTREND' | 'RANGING';
export type RsiZone = 'overbought' | 'oversold' | 'neutral';

export interface IndicatorSnapshot {
  close: number;
  rsi: number;
  rsiZone: RsiZone;
  macd: { macd: number; signal: number; histogram: number };
  bollinger: { upper: number; middle: number; lower: number; percentB: number; bandwidth: number };
  adx: { adx: number; plusDI: number; minusDI: number; strongTrend: boolean };
  /** ATR in price units and as a fraction of the close. */
  atr: number;
  atrFraction: number;
  sma20: number;
  sma50: number;
}

export interface TimeframePulse {
  timeframe: Timeframe;
  /** `unavailable`: no data at this timeframe; `insufficient`: too few bars to compute indicators. */
  status: 'ok' | 'insufficient' | 'unavailable';
  bars: number;
  /** Open time (ms) of the last closed bar used. */
  lastBarTime: number | null;
  trend: TrendDirection | null;
  /** 0–100. */
  strength: number | null;
  indicators: IndicatorSnapshot | null;
  note: string;
}

export interface Confluence {
  direction: 'UPTREND' | 'DOWNTREND' | 'MIXED';
  /** Timeframes whose trend matches `direction` (empty when MIXED). */
  agreeing: Timeframe[];
  opposing: Timeframe[];
  ranging: Timeframe[];
  /** Share of the weight of analysed timeframes pulling up / down, 0–100. */
  upPercent: number;
  downPercent: number;
  /** 0–100: weighted agreement, longer timeframes counting more. */
  strength: number;
}

export interface Pulse {
  pair: string;
  /** ms: the moment of the analysis; only bars closed at or before it are used. */
  asOf: number;
  timeframes: TimeframePulse[];
  confluence: Confluence;
  /** 0–100: how strong the indicator evidence is overall. */
  signalStrength: number;
  /** Short natural-language summary written for an LLM prompt. */
  description: string;
  /** Stocks with stored fundamentals only: what was published at or before `asOf` (docs/fundamentals.md). */
  fundamentals?: FundamentalsSection;
}

export type MarketRegime = 'TRENDING_UP' | 'TRENDING_DOWN' | 'RANGING' | 'VOLATILE' | 'UNKNOWN';

export interface RegimeInfo {
  regime: MarketRegime;
  timeframe: Timeframe | null;
  adx: number | null;
  atrFraction: number | null;
  reason: string;
}
