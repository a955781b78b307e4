/** A hand-built, deterministic AnalysisContext for provider and ensemble tests (no data source needed). */
import type { IndicatorSnapshot, TimeframePulse } from '../../src/core/market-analysis.js';
import { classifyPair } from '../../src/core/pair.js';
import type { NewsItem } from '../../src/data/port.js';
import type { AnalysisContext } from '../../src/providers/port.js';

export const AS_OF = Date.parse('2024-06-03T12:00:00Z');

const indicators = (close: number, rsi: number, hist: number): IndicatorSnapshot => ({
  close,
  rsi,
  rsiZone: rsi >= 70 ? 'overbought' : rsi <= 30 ? 'oversold' : 'neutral',
  macd: { macd: hist * 2, signal: hist, histogram: hist },
  bollinger: { upper: close * 1.04, middle: close, lower: close * 0.96, percentB: 0.72, bandwidth: 0.08 },
  adx: { adx: 31.4, plusDI: 28.1, minusDI: 14.2, strongTrend: true },
  atr: close * 0.025,
  atrFraction: 0.025,
  sma20: close * 0.98,
  sma50: close * 0.95,
});

const tf = (timeframe: TimeframePulse['timeframe'], rsi: number, hist: number): TimeframePulse => ({
  timeframe,
  status: 'ok',
  bars: 300,
  lastBarTime: AS_OF - 3_600_000,
  trend: 'UPTREND',
  strength: 70,
  indicators: indicators(67_500, rsi, hist),
  note: '',
});

export function fakeContext(over: Partial<AnalysisContext> = {}): AnalysisContext {
  return {
    pair: classifyPair('BTCUSD'),
    asOf: AS_OF,
    price: 67_512.25,
    pulse: {
      pair: 'BTCUSD',
      asOf: AS_OF,
      timeframes: [
        tf('1d', 61.2, 410.5),
        tf('4h', 58.9, 120.25),
        tf('1h', 55.1, 35.75),
        { timeframe: '1m', status: 'unavailable', bars: 0, lastBarTime: null, trend: null, strength: null, indicators: null, note: 'no 1m data in the sample' },
      ],
      confluence: { direction: 'UPTREND', agreeing: ['1d', '4h', '1h'], opposing: [], ranging: [], upPercent: 80, downPercent: 0, strength: 72 },
      signalStrength: 64,
      description: 'BTCUSD trends up on 1d, 4h and 1h; RSI neutral; MACD positive.',
    },
    regime: { regime: 'TRENDING_UP', timeframe: '1d', adx: 31.4, atrFraction: 0.025, reason: 'ADX 31.4 > 25 with +DI above -DI' },
    marketStatus: { isOpen: true, session: 'Open', reason: '' },
    freshness: { isFresh: true, ageText: '4.0 minutes', warning: '', ageMs: 240_000 },
    positions: [],
    memorySummary: null,
    costs: { feeRate: 0.001, slippageRate: 0.0001 },
    news: [],
    sample: null,
    ...over,
  };
}

export const newsItem = (title: string, publishedAt: number, score = 0.3): NewsItem => ({
  title,
  url: `https://news.example/${encodeURIComponent(title)}`,
  source: 'Example Wire',
  publishedAt,
  sentimentScore: score,
  sentimentLabel: score > 0.15 ? 'Somewhat-Bullish' : 'Neutral',
  relevance: 0.8,
});
