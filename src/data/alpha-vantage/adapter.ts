import { closeTime, resample, type Candle } from '../../core/candle.js';
import { dataError, inputError, isFfeError, type FfeError } from '../../core/errors.js';
import { classifyPair, type PairInfo } from '../../core/pair.js';
import type { Timeframe } from '../../core/timeframe.js';
import type { CandleQuery, MarketData, NewsItem, NewsSource, Quote, SampleInfo, SeriesInfo } from '../port.js';
import { AlphaVantageClient, type AlphaVantageOptions, type AvParams } from './client.js';
import { formatNewsTime, parseNews, parseSeries, type AvInterval, type AvSeriesFunction, type SeriesSpec } from './parse.js';

export const DEFAULT_CANDLE_LIMIT = 300;
const DEFAULT_NEWS_LIMIT = 50;
/** NEWS_SENTIMENT returns at most this many items per call. */
const NEWS_MAX = 1000;
/** `compact` daily replies hold the latest 100 bars; `full` is only asked for when more are wanted. */
const COMPACT_BARS = 100;

const INTERVAL: Partial<Record<Timeframe, AvInterval>> = { '1m': '1min', '5m': '5min', '15m': '15min', '1h': '60min', '4h': '60min' };

interface Plan {
  params: AvParams;
  spec: SeriesSpec;
}

/** The Alpha Vantage function, parameters and expected reply for one pair and timeframe. */
function plan(p: PairInfo, tf: Timeframe, limit: number): Plan {
  const interval = INTERVAL[tf];
  const intraday = interval !== undefined;
  let fn: AvSeriesFunction;
  let params: AvParams;
  let expect: Record<string, string>;
  if (p.assetClass === 'crypto') {
    fn = intraday ? 'CRYPTO_INTRADAY' : 'DIGITAL_CURRENCY_DAILY';
    params = { function: fn, symbol: p.base, market: p.quote };
    expect = { 'Digital Currency Code': p.base, 'Market Code': p.quote };
  } else if (p.assetClass === 'forex') {
    fn = intraday ? 'FX_INTRADAY' : 'FX_DAILY';
    params = { function: fn, from_symbol: p.base, to_symbol: p.quote };
    expect = { 'From Symbol': p.base, 'To Symbol': p.quote };
  } else {
    fn = intraday ? 'TIME_SERIES_INTRADAY' : 'TIME_SERIES_DAILY';
    params = { function: fn, symbol: p.base };
    expect = { Symbol: p.base };
  }
  if (intraday) {
    params.interval = interval;
    params.outputsize = 'full';
  } else if (fn !== 'DIGITAL_CURRENCY_DAILY') {
    // DIGITAL_CURRENCY_DAILY always returns its whole history and takes no outputsize.
    params.outputsize = limit > COMPACT_BARS ? 'full' : 'compact';
  }
  return { params, spec: { fn, interval, market: p.assetClass === 'crypto' ? p.quote : undefined, expect } };
}

/** Ticker as NEWS_SENTIMENT names it: `CRYPTO:BTC`, `FOREX:EUR`, or the stock ticker. */
export function newsTicker(p: PairInfo): string {
  if (p.assetClass === 'crypto') return `CRYPTO:${p.base}`;
  if (p.assetClass === 'forex') return `FOREX:${p.base}`;
  return p.base;
}

/**
 * The service answers "Invalid API call" to a well-formed series request for a symbol it does not
 * have (every other parameter is ours): that is an unknown pair, the port's PAIR_NOT_AVAILABLE,
 * naming it. A refused key or any other reply keeps its own code.
 */
function unknownSymbol(e: unknown, symbol: string): FfeError | null {
  if (!isFfeError(e) || e.code !== 'ALPHA_VANTAGE_ERROR' || !/invalid api call/i.test(e.message)) return null;
  return inputError('PAIR_NOT_AVAILABLE', `Alpha Vantage has no data for ${symbol} (${e.message})`, { pair: symbol });
}

function checkLimit(limit: number | undefined, dflt: number): number {
  const n = limit ?? dflt;
  if (!Number.isInteger(n) || n < 1) throw inputError('LIMIT_INVALID', `limit must be a whole number ≥ 1 (got ${limit})`);
  return n;
}

function checkTime(name: string, t: number | undefined, dflt: () => number): number {
  const v = t ?? dflt();
  if (!Number.isFinite(v)) throw inputError('TIME_INVALID', `${name} must be a time in ms since the epoch (got ${t})`);
  return v;
}

/**
 * Live market data and news from Alpha Vantage.
 *
 * Bars: 1m/5m/15m/1h from the intraday functions (`outputsize=full`), 4h resampled from 60min
 * bars (complete UTC 4-hour buckets only), 1d from TIME_SERIES_DAILY, FX_DAILY or
 * DIGITAL_CURRENCY_DAILY. Daily bars are stamped with their date label at 00:00 UTC, so a
 * stock's session counts as closed only from the next UTC midnight: late, never early.
 */
export class AlphaVantageMarketData implements MarketData, NewsSource {
  readonly name = 'alpha-vantage';
  private readonly client: AlphaVantageClient;

  constructor(opts: AlphaVantageOptions) {
    this.client = new AlphaVantageClient(opts);
  }

  /** Requests that went over the network so far (cache hits excluded). */
  get requestCount(): number {
    return this.client.requestCount;
  }

  async candles(q: CandleQuery & { signal?: AbortSignal }): Promise<Candle[]> {
    const pair = classifyPair(q.pair);
    const limit = checkLimit(q.limit, DEFAULT_CANDLE_LIMIT);
    const end = checkTime('end', q.end, this.client.now);
    const { params, spec } = plan(pair, q.timeframe, limit);
    const bars = await this.client.get(params, (json) => parseSeries(json, spec), q.signal).catch((e: unknown) => {
      throw unknownSymbol(e, pair.symbol) ?? e;
    });
    if (bars.length === 0) {
      throw dataError('TIMEFRAME_UNAVAILABLE', `Alpha Vantage has no ${q.timeframe} bars for ${pair.symbol} (${spec.fn} returned an empty series)`, {
        pair: pair.symbol,
        timeframe: q.timeframe,
      });
    }
    const series = q.timeframe === '4h' ? resample(bars, '1h', '4h') : bars;
    const closed = series.filter((k) => closeTime(k, q.timeframe) <= end);
    // Copies, so a caller that edits a bar cannot change what the cache hands out next time.
    return closed.slice(Math.max(0, closed.length - limit)).map((k) => ({ ...k }));
  }

  /**
   * Close of the most recent closed 1-minute bar. Falls back to the last closed daily bar only
   * when intraday data is unavailable for a documented reason: a premium-only intraday function
   * on this key, or an empty intraday series. Rate limits and transport errors are not masked.
   */
  async latestQuote(pair: string, at?: number): Promise<Quote> {
    const p = classifyPair(pair);
    const when = checkTime('at', at, this.client.now);
    let tf: Timeframe = '1m';
    let bars: Candle[];
    try {
      bars = await this.candles({ pair: p.symbol, timeframe: tf, end: when, limit: 1 });
    } catch (e) {
      if (!isFfeError(e) || (e.code !== 'ALPHA_VANTAGE_PREMIUM' && e.code !== 'TIMEFRAME_UNAVAILABLE')) throw e;
      tf = '1d';
      bars = await this.candles({ pair: p.symbol, timeframe: tf, end: when, limit: 1 });
    }
    const last = bars.at(-1);
    if (!last) {
      throw dataError('QUOTE_UNAVAILABLE', `Alpha Vantage has no ${tf} bar for ${p.symbol} closed by ${new Date(when).toISOString()}`, { pair: p.symbol });
    }
    return { pair: p.symbol, price: last.close, timestamp: closeTime(last, tf), source: this.name };
  }

  /**
   * Empty: a remote source cannot say which pairs it holds, or their first and last bars,
   * without spending rate-limited calls. It serves, in principle, any pair `classifyPair`
   * accepts (crypto, forex, US stock tickers) at every engine timeframe.
   */
  async list(): Promise<SeriesInfo[]> {
    return [];
  }

  /** Live data: never sample data. */
  async sampleInfo(_pair: string): Promise<SampleInfo | null> {
    return null;
  }

  /**
   * NEWS_SENTIMENT items about `pair` published at or before `at`, newest first. `time_to` asks
   * the server for the same bound, but items after `at` are dropped here regardless, because the
   * server's filter is minute-grained and not guaranteed.
   */
  async news(pair: string, at: number, limit?: number, signal?: AbortSignal): Promise<NewsItem[]> {
    const p = classifyPair(pair);
    const until = checkTime('at', at, this.client.now);
    const n = checkLimit(limit, DEFAULT_NEWS_LIMIT);
    const ticker = newsTicker(p);
    const params: AvParams = {
      function: 'NEWS_SENTIMENT',
      tickers: ticker,
      time_to: formatNewsTime(until),
      sort: 'LATEST',
      limit: String(Math.min(NEWS_MAX, Math.max(n, DEFAULT_NEWS_LIMIT))),
    };
    const items = await this.client.get(params, (json) => parseNews(json, ticker), signal);
    return items
      .filter((it) => it.publishedAt <= until)
      .sort((a, b) => b.publishedAt - a.publishedAt)
      .slice(0, n)
      .map((it) => ({ ...it }));
  }
}
