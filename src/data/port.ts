import type { Candle, CandleColumns } from '../core/candle.js';
import type { Timeframe } from '../core/timeframe.js';

/**
 * The MarketData port. Adapters live beside it (src/data/<source>/) and are registered in
 * src/app/registry.ts.
 */
export interface CandleQuery {
  /** Canonical pair, e.g. `BTCUSD`. */
  pair: string;
  timeframe: Timeframe;
  /** Only bars *closed* at or before this instant (ms) are returned: no look-ahead. Default: now. */
  end?: number;
  /** At most this many of the most recent bars (default: adapter's choice, ≥ 300). */
  limit?: number;
}

export interface Quote {
  pair: string;
  price: number;
  /** ms: when the price was observed (for bar-derived quotes, the bar's close time). */
  timestamp: number;
  source: string;
}

export interface SeriesInfo {
  pair: string;
  timeframe: Timeframe;
  /** `native` when the source has this timeframe; `resampled from 1m` etc. otherwise. */
  origin: string;
  first: number;
  last: number;
  bars: number;
  source: string;
}

/** Describes offline sample data so that every output can say what it is and its date. */
export interface SampleInfo {
  label: string;
  /** ms: the sample's "now" (close time of its last bar). */
  asOf: number;
}

export interface MarketData {
  readonly name: string;
  /**
   * Closed candles, oldest first, no two with the same open time, none closing after `end`.
   * Throws FfeError `TIMEFRAME_UNAVAILABLE` (data) when the source has no data at that timeframe
   * for the pair, `PAIR_NOT_AVAILABLE` (input) for a pair it does not have (`PAIR_UNKNOWN` for one
   * no source could have). An `end` before the source's data is no error: no bars.
   * test/contract/data-source.contract.ts is what every source must pass.
   */
  candles(q: CandleQuery): Promise<Candle[]>;
  /**
   * The same bars as `candles(q)`, as columns, for callers that hold whole series (a 1 M-bar
   * backtest). Optional: `candleColumnsOf` (data/columns.ts) converts `candles` where a source has
   * no columnar read. The arrays may be views shared with other callers: read them, never write.
   */
  candleColumns?(q: CandleQuery): Promise<CandleColumns>;
  latestQuote(pair: string, at?: number): Promise<Quote>;
  /** Pairs and timeframes this source can serve (for `ffe data list` and error messages). */
  list(): Promise<SeriesInfo[]>;
  /** Non-null when the source is offline sample data. */
  sampleInfo(pair: string): Promise<SampleInfo | null>;
}

/** One news item with its sentiment, as sources like Alpha Vantage NEWS_SENTIMENT give them. */
export interface NewsItem {
  title: string;
  url: string;
  source: string;
  /** ms: publication time. Consumers must drop items published after their decision time. */
  publishedAt: number;
  /** −1 (bearish) … +1 (bullish) for the asked ticker, when given. */
  sentimentScore: number | null;
  sentimentLabel: string | null;
  relevance: number | null;
}

export interface NewsSource {
  readonly name: string;
  /** Items about `pair` published at or before `at` (ms), newest first. */
  news(pair: string, at: number, limit?: number): Promise<NewsItem[]>;
}
