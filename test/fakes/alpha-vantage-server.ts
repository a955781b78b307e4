/**
 * A local stand-in for https://www.alphavantage.co that answers `/query?function=…&apikey=…`
 * in the documented JSON wire format, from candles and news it is given:
 *
 * - TIME_SERIES_INTRADAY: Meta Data "1. Information" … "6. Time Zone": "US/Eastern"; bars under
 *   "Time Series (5min)" keyed by Eastern wall time, values "1. open" … "5. volume" as strings.
 * - TIME_SERIES_DAILY: "5. Time Zone": "US/Eastern"; "Time Series (Daily)" keyed by date.
 * - FX_INTRADAY / FX_DAILY: "7." / "6. Time Zone": "UTC"; "Time Series FX (…)"; no volume.
 * - CRYPTO_INTRADAY: "9. Time Zone": "UTC"; "Time Series Crypto (…)"; volume as a JSON number.
 * - DIGITAL_CURRENCY_DAILY: "7. Time Zone": "UTC"; "Time Series (Digital Currency Daily)" with
 *   current field names ("1. open") or, optionally, the legacy ones ("1a. open (USD)").
 * - NEWS_SENTIMENT: { items, sentiment_score_definition, relevance_score_definition, feed[] },
 *   `time_published` as YYYYMMDDTHHMMSS (UTC); ticker scores as strings, overall score a number.
 * - OVERVIEW / EARNINGS / INCOME_STATEMENT: the reply given in `fundamentals` for the symbol, as
 *   is (fixtures in test/fixtures/alpha-vantage/IBM_*.json follow the documented shape); `{}` for
 *   a symbol without one, as the service answers for tickers it has no fundamentals for.
 *
 * Everything, errors included, comes with HTTP 200 as the real service does, except the
 * `http-500`, `hang` and `slow` modes. Every request is recorded before it is answered.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Candle } from '../../src/core/candle.js';

export type FakeInterval = '1min' | '5min' | '15min' | '30min' | '60min';

export type FakeMode =
  /** Serve data. */
  | 'normal'
  /** The older rate-limit reply: { "Note": "… 5 calls per minute and 500 calls per day …" }. */
  | 'rate-limited-note'
  /** The newer one: { "Information": "We have detected your API key as <key> and … 25 requests per day …" }. */
  | 'rate-limited-information'
  /** { "Error Message": "Invalid API call. …" } for every function. */
  | 'error-message'
  /** { "Information": "… This is a premium endpoint. …" } for every function. */
  | 'premium'
  /** HTTP 500 with an HTML page that echoes the request line (key included), as some gateways do. */
  | 'http-500'
  /** HTTP 200 with an HTML maintenance page. */
  | 'not-json'
  /** Accept the request and never answer. */
  | 'hang'
  /** Answer normally after `slowMs`. */
  | 'slow';

export interface FakeSeries {
  intraday?: Partial<Record<FakeInterval, Candle[]>>;
  daily?: Candle[];
}

export interface FakeNewsItem {
  title: string;
  url: string;
  /** ms (UTC). */
  publishedAt: number;
  source: string;
  overallScore: number;
  overallLabel: string;
  tickers: Array<{ ticker: string; relevance: number; score: number; label: string }>;
}

/** The JSON body the fake answers each fundamentals function with, for one ticker. */
export interface FakeFundamentals {
  OVERVIEW?: unknown;
  EARNINGS?: unknown;
  INCOME_STATEMENT?: unknown;
}

export interface FakeAlphaVantageOptions {
  /** The only key accepted (default `test-key`); any other gets the documented invalid-key reply. */
  apiKey?: string;
  /** By ticker, e.g. `SPY`. Bar timestamps are UTC bar-open ms; intraday keys are rendered in US/Eastern. */
  stocks?: Record<string, FakeSeries>;
  /** By pair, e.g. `EURUSD` (from_symbol + to_symbol). */
  forex?: Record<string, FakeSeries>;
  /** By pair, e.g. `BTCUSD` (symbol + market). */
  crypto?: Record<string, FakeSeries>;
  news?: FakeNewsItem[];
  /** Fundamentals replies by ticker, served verbatim (see `loadFundamentalFixtures`). */
  fundamentals?: Record<string, FakeFundamentals>;
  /** Field names of DIGITAL_CURRENCY_DAILY bars (default `current`). */
  cryptoDailyFields?: 'current' | 'legacy';
  /** Functions answered with the premium-endpoint reply even in `normal` mode. */
  premium?: string[];
  /** When false, NEWS_SENTIMENT ignores `time_from`/`time_to`, as a client must not rule out. */
  honourNewsTimeRange?: boolean;
  /** Delay of `slow` mode (default 300 ms). */
  slowMs?: number;
  mode?: FakeMode;
}

export interface RecordedRequest {
  method: string;
  path: string;
  params: Record<string, string>;
}

export interface FakeAlphaVantage {
  /** Base URL, e.g. `http://127.0.0.1:54321`. */
  url: string;
  /** Every request received, oldest first. */
  requests: RecordedRequest[];
  setMode(mode: FakeMode): void;
  close(): Promise<void>;
}

// ---- reply texts, as the service words them ---------------------------------------------------

const INVALID_KEY = 'the parameter apikey is invalid or missing. Please claim your free API key on (https://www.alphavantage.co/support/#api-key). It should take less than 20 seconds.';
const invalidCall = (fn: string) => `Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for ${fn}.`;
const NOTE_LIMIT =
  'Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute and 500 calls per day. Please visit https://www.alphavantage.co/premium/ if you would like to target a higher API call frequency.';
const infoLimit = (key: string) =>
  `We have detected your API key as ${key} and our standard API rate limit is 25 requests per day. Please subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly remove all daily rate limits.`;
const PREMIUM = 'Thank you for using Alpha Vantage! This is a premium endpoint. You may subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly unlock all premium endpoints';

const CURRENCY_NAMES: Record<string, string> = {
  USD: 'United States Dollar',
  EUR: 'Euro',
  GBP: 'British Pound Sterling',
  JPY: 'Japanese Yen',
  USDT: 'Tether',
  BTC: 'Bitcoin',
  ETH: 'Ethereum',
};

// ---- rendering ------------------------------------------------------------------------------

/** Pads to the service's usual decimals ("230.3300") without ever dropping real digits. */
function num(x: number, decimals: number): string {
  const padded = x.toFixed(decimals);
  return Number(padded) === x ? padded : String(x);
}

const easternParts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function wallTime(ms: number, zone: 'UTC' | 'US/Eastern'): string {
  if (zone === 'UTC') return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
  const p: Record<string, string> = {};
  for (const part of easternParts.formatToParts(ms)) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

const dateLabel = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Newest first, as the service lists bars; compact keeps the latest 100. */
function renderBars(bars: Candle[], label: (ms: number) => string, values: (k: Candle) => Record<string, string | number>, outputsize: string): { series: Record<string, Record<string, string | number>>; last: string } {
  const chosen = (outputsize === 'full' ? bars : bars.slice(-100)).slice().reverse();
  const series: Record<string, Record<string, string | number>> = {};
  for (const k of chosen) {
    const key = label(k.timestamp);
    if (key in series) throw new Error(`fake Alpha Vantage: two bars render to the same key "${key}"`);
    series[key] = values(k);
  }
  return { series, last: chosen.length ? label(chosen[0].timestamp) : '' };
}

const ohlc = (k: Candle, d: number) => ({ '1. open': num(k.open, d), '2. high': num(k.high, d), '3. low': num(k.low, d), '4. close': num(k.close, d) });
const sizeName = (outputsize: string) => (outputsize === 'full' ? 'Full size' : 'Compact');

type Reply = { status: number; body: unknown; contentType?: string };
const ok = (body: unknown): Reply => ({ status: 200, body });

function seriesReply(opts: FakeAlphaVantageOptions, fn: string, q: Record<string, string>): Reply {
  const outputsize = q.outputsize === 'full' ? 'full' : 'compact';
  const interval = q.interval as FakeInterval | undefined;
  const intraday = fn.endsWith('_INTRADAY');
  if (intraday && !['1min', '5min', '15min', '30min', '60min'].includes(interval ?? '')) return ok({ 'Error Message': invalidCall(fn) });

  if (fn === 'TIME_SERIES_INTRADAY' || fn === 'TIME_SERIES_DAILY') {
    const s = opts.stocks?.[q.symbol ?? ''];
    const bars = intraday ? s?.intraday?.[interval!] : s?.daily;
    if (!bars) return ok({ 'Error Message': invalidCall(fn) });
    const r = intraday
      ? renderBars(
          bars,
          (t) => wallTime(t, 'US/Eastern'),
          (k) => ({ ...ohlc(k, 4), '5. volume': String(k.volume) }),
          outputsize,
        )
      : renderBars(bars, dateLabel, (k) => ({ ...ohlc(k, 4), '5. volume': String(k.volume) }), outputsize);
    const meta = intraday
      ? {
          '1. Information': `Intraday (${interval}) open, high, low, close prices and volume`,
          '2. Symbol': q.symbol,
          '3. Last Refreshed': r.last,
          '4. Interval': interval,
          '5. Output Size': sizeName(outputsize),
          '6. Time Zone': 'US/Eastern',
        }
      : {
          '1. Information': 'Daily Prices (open, high, low, close) and Volumes',
          '2. Symbol': q.symbol,
          '3. Last Refreshed': r.last,
          '4. Output Size': sizeName(outputsize),
          '5. Time Zone': 'US/Eastern',
        };
    return ok({ 'Meta Data': meta, [intraday ? `Time Series (${interval})` : 'Time Series (Daily)']: r.series });
  }

  if (fn === 'FX_INTRADAY' || fn === 'FX_DAILY') {
    const s = opts.forex?.[`${q.from_symbol ?? ''}${q.to_symbol ?? ''}`];
    const bars = intraday ? s?.intraday?.[interval!] : s?.daily;
    if (!bars) return ok({ 'Error Message': invalidCall(fn) });
    const r = renderBars(bars, intraday ? (t) => wallTime(t, 'UTC') : dateLabel, (k) => ohlc(k, 5), outputsize);
    const meta = intraday
      ? {
          '1. Information': `FX Intraday (${interval}) Time Series`,
          '2. From Symbol': q.from_symbol,
          '3. To Symbol': q.to_symbol,
          '4. Last Refreshed': r.last,
          '5. Interval': interval,
          '6. Output Size': sizeName(outputsize),
          '7. Time Zone': 'UTC',
        }
      : {
          '1. Information': 'Forex Daily Prices (open, high, low, close)',
          '2. From Symbol': q.from_symbol,
          '3. To Symbol': q.to_symbol,
          '4. Output Size': sizeName(outputsize),
          '5. Last Refreshed': r.last,
          '6. Time Zone': 'UTC',
        };
    return ok({ 'Meta Data': meta, [intraday ? `Time Series FX (${interval})` : 'Time Series FX (Daily)']: r.series });
  }

  // CRYPTO_INTRADAY, DIGITAL_CURRENCY_DAILY
  const code = q.symbol ?? '';
  const market = q.market ?? '';
  const s = opts.crypto?.[`${code}${market}`];
  const bars = intraday ? s?.intraday?.[interval!] : s?.daily;
  if (!bars) return ok({ 'Error Message': invalidCall(fn) });
  const names = {
    '2. Digital Currency Code': code,
    '3. Digital Currency Name': CURRENCY_NAMES[code] ?? code,
    '4. Market Code': market,
    '5. Market Name': CURRENCY_NAMES[market] ?? market,
  };
  if (intraday) {
    const r = renderBars(
      bars,
      (t) => wallTime(t, 'UTC'),
      (k) => ({ ...ohlc(k, 5), '5. volume': k.volume }),
      outputsize,
    );
    return ok({
      'Meta Data': {
        '1. Information': `Crypto Intraday (${interval}) Time Series`,
        ...names,
        '6. Last Refreshed': r.last,
        '7. Interval': interval,
        '8. Output Size': sizeName(outputsize),
        '9. Time Zone': 'UTC',
      },
      [`Time Series Crypto (${interval})`]: r.series,
    });
  }
  const legacy = opts.cryptoDailyFields === 'legacy';
  // Legacy replies repeat each price in USD under "…b."; with no FX conversion at hand the fake
  // repeats the market price there, which only matters to a client reading the wrong column.
  const values = (k: Candle): Record<string, string> =>
    legacy
      ? {
          [`1a. open (${market})`]: num(k.open, 8),
          '1b. open (USD)': num(k.open, 8),
          [`2a. high (${market})`]: num(k.high, 8),
          '2b. high (USD)': num(k.high, 8),
          [`3a. low (${market})`]: num(k.low, 8),
          '3b. low (USD)': num(k.low, 8),
          [`4a. close (${market})`]: num(k.close, 8),
          '4b. close (USD)': num(k.close, 8),
          '5. volume': num(k.volume, 8),
        }
      : { ...ohlc(k, 8), '5. volume': num(k.volume, 8) };
  const r = renderBars(bars, dateLabel, values, 'full');
  return ok({
    'Meta Data': {
      '1. Information': 'Daily Prices and Volumes for Digital Currency',
      ...names,
      '6. Last Refreshed': r.last ? `${r.last} 00:00:00` : '',
      '7. Time Zone': 'UTC',
    },
    'Time Series (Digital Currency Daily)': r.series,
  });
}

/** time_from / time_to (YYYYMMDDTHHMM) to ms. */
function newsParamTime(s: string | undefined): number | undefined {
  const m = s ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})$/.exec(s) : null;
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]) : undefined;
}

const publishedText = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace(/[-:]/g, '');

function newsReply(opts: FakeAlphaVantageOptions, q: Record<string, string>): Reply {
  const wanted = (q.tickers ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const from = opts.honourNewsTimeRange === false ? undefined : newsParamTime(q.time_from);
  // time_to is a minute; everything within that minute is on or before it.
  const toMinute = opts.honourNewsTimeRange === false ? undefined : newsParamTime(q.time_to);
  const limit = Number(q.limit ?? 50);
  let items = (opts.news ?? []).filter(
    (it) => wanted.every((t) => it.tickers.some((s) => s.ticker === t)) && (from === undefined || it.publishedAt >= from) && (toMinute === undefined || it.publishedAt < toMinute + 60_000),
  );
  items = items.slice().sort((a, b) => (q.sort === 'EARLIEST' ? a.publishedAt - b.publishedAt : b.publishedAt - a.publishedAt));
  items = items.slice(0, Number.isFinite(limit) && limit > 0 ? limit : 50);
  return ok({
    items: String(items.length),
    sentiment_score_definition: 'x <= -0.35: Bearish; -0.35 < x <= -0.15: Somewhat-Bearish; -0.15 < x < 0.15: Neutral; 0.15 <= x < 0.35: Somewhat_Bullish; x >= 0.35: Bullish',
    relevance_score_definition: '0 < x <= 1, with a higher score indicating higher relevance.',
    feed: items.map((it) => ({
      title: it.title,
      url: it.url,
      time_published: publishedText(it.publishedAt),
      authors: [],
      summary: '',
      banner_image: null,
      source: it.source,
      category_within_source: 'n/a',
      source_domain: new URL(it.url).hostname,
      topics: [],
      overall_sentiment_score: it.overallScore,
      overall_sentiment_label: it.overallLabel,
      ticker_sentiment: it.tickers.map((t) => ({
        ticker: t.ticker,
        relevance_score: String(t.relevance),
        ticker_sentiment_score: String(t.score),
        ticker_sentiment_label: t.label,
      })),
    })),
  });
}

const SERIES_FUNCTIONS = new Set(['TIME_SERIES_INTRADAY', 'TIME_SERIES_DAILY', 'FX_INTRADAY', 'FX_DAILY', 'CRYPTO_INTRADAY', 'DIGITAL_CURRENCY_DAILY']);
const FUNDAMENTAL_FUNCTIONS = new Set(['OVERVIEW', 'EARNINGS', 'INCOME_STATEMENT']);

function fundamentalsReply(opts: FakeAlphaVantageOptions, fn: string, q: Record<string, string>): Reply {
  const body = opts.fundamentals?.[q.symbol ?? '']?.[fn as keyof FakeFundamentals];
  return ok(body ?? {});
}

function answer(opts: FakeAlphaVantageOptions, mode: FakeMode, req: IncomingMessage, q: Record<string, string>): Reply {
  const fn = q.function ?? '';
  const key = opts.apiKey ?? 'test-key';
  if (mode === 'http-500') {
    return {
      status: 500,
      contentType: 'text/html',
      body: `<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1><p>${req.method} ${req.url}</p></body></html>`,
    };
  }
  if (mode === 'not-json') {
    return { status: 200, contentType: 'text/html', body: '<html><body>Alpha Vantage is down for scheduled maintenance.</body></html>' };
  }
  if (mode === 'rate-limited-note') return ok({ Note: NOTE_LIMIT });
  if (mode === 'rate-limited-information') return ok({ Information: infoLimit(q.apikey ?? '') });
  if (q.apikey !== key) return ok({ 'Error Message': INVALID_KEY });
  if (mode === 'error-message') return ok({ 'Error Message': invalidCall(fn || 'this function') });
  if (!SERIES_FUNCTIONS.has(fn) && !FUNDAMENTAL_FUNCTIONS.has(fn) && fn !== 'NEWS_SENTIMENT') return ok({ 'Error Message': `This API function (${fn}) does not exist.` });
  if (mode === 'premium' || opts.premium?.includes(fn)) return ok({ Information: PREMIUM });
  if (FUNDAMENTAL_FUNCTIONS.has(fn)) return fundamentalsReply(opts, fn, q);
  return fn === 'NEWS_SENTIMENT' ? newsReply(opts, q) : seriesReply(opts, fn, q);
}

export async function startFakeAlphaVantage(opts: FakeAlphaVantageOptions = {}): Promise<FakeAlphaVantage> {
  let mode: FakeMode = opts.mode ?? 'normal';
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const send = (res: ServerResponse, reply: Reply) => {
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body, null, 4);
    res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'application/json' });
    res.end(text);
  };

  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const params = Object.fromEntries(u.searchParams.entries());
    requests.push({ method: req.method ?? 'GET', path: u.pathname, params });
    if (u.pathname !== '/query') {
      send(res, { status: 404, contentType: 'text/plain', body: 'Not Found' });
      return;
    }
    const current = mode;
    if (current === 'hang') return;
    let reply: Reply;
    try {
      reply = answer(opts, current, req, params);
    } catch (e) {
      reply = { status: 500, contentType: 'text/plain', body: `fake Alpha Vantage failed: ${(e as Error).message}` };
    }
    if (current === 'slow') {
      const t = setTimeout(() => {
        timers.delete(t);
        send(res, reply);
      }, opts.slowMs ?? 300);
      timers.add(t);
    } else {
      send(res, reply);
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setMode: (m) => {
      mode = m;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

// ---- fixtures -------------------------------------------------------------------------------

const FIXTURES = new URL('../fixtures/alpha-vantage/', import.meta.url);

/** Candles from a fixture CSV in test/fixtures/alpha-vantage (`timestamp,open,high,low,close,volume`). */
export function loadFixtureCandles(file: string): Candle[] {
  const lines = readFileSync(new URL(file, FIXTURES), 'utf8').trim().split('\n');
  return lines.slice(1).map((line) => {
    const [ts, o, h, l, c, v] = line.split(',');
    return { timestamp: Date.parse(ts), open: Number(o), high: Number(h), low: Number(l), close: Number(c), volume: Number(v) };
  });
}

/** The documented-shape OVERVIEW, EARNINGS and INCOME_STATEMENT replies for IBM (fresh copies: tests may edit them). */
export function loadFundamentalFixtures(): Required<FakeFundamentals> {
  const read = (fn: string) => JSON.parse(readFileSync(new URL(`IBM_${fn}.json`, FIXTURES), 'utf8')) as unknown;
  return { OVERVIEW: read('OVERVIEW'), EARNINGS: read('EARNINGS'), INCOME_STATEMENT: read('INCOME_STATEMENT') };
}
