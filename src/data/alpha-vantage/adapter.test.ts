import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { FfeError } from '../../core/errors.js';
import { newYorkClock } from '../../core/market-schedule.js';
import {
  loadFixtureCandles,
  startFakeAlphaVantage,
  type FakeAlphaVantage,
  type FakeAlphaVantageOptions,
  type FakeNewsItem,
} from '../../../test/fakes/alpha-vantage-server.js';
import { AlphaVantageMarketData } from './adapter.js';
import type { AlphaVantageOptions } from './client.js';

const KEY = 'ADAPTER-KEY-77';
const t = (iso: string) => Date.parse(iso);

const btc1m = loadFixtureCandles('BTCUSD_1m.csv');
const btcusdt1h = loadFixtureCandles('BTCUSDT_1h.csv');
const btc1d = loadFixtureCandles('BTCUSD_1d.csv');
const eur1h = loadFixtureCandles('EURUSD_1h.csv');
const eur1d = loadFixtureCandles('EURUSD_1d.csv');
const spy1d = loadFixtureCandles('SPY_1d.csv');
/** Hours inside the US extended session (04:00–20:00 New York, weekdays): what a stock feed has. */
const session1h = btcusdt1h.filter((k) => {
  const ny = newYorkClock(k.timestamp);
  return ny.weekday >= 1 && ny.weekday <= 5 && ny.minutes >= 240 && ny.minutes < 1200;
});

const AT = t('2022-08-27T15:00:00Z');
const item = (title: string, publishedAt: number, tickers: FakeNewsItem['tickers'] = []): FakeNewsItem => ({
  title,
  url: `https://news.example.com/${encodeURIComponent(title)}`,
  publishedAt,
  source: 'Example Wire',
  overallScore: 0.05,
  overallLabel: 'Neutral',
  tickers,
});
const btcTag = (score: number) => ({ ticker: 'CRYPTO:BTC', relevance: 0.5, score, label: score > 0.15 ? 'Somewhat-Bullish' : 'Neutral' });
const news: FakeNewsItem[] = [
  item('Before, tagged', AT - 3_600_000, [btcTag(0.3)]),
  item('Exactly at', AT, [btcTag(0.1), { ticker: 'COIN', relevance: 0.2, score: -0.2, label: 'Somewhat-Bearish' }]),
  item('Same minute, 30 s later', AT + 30_000, [btcTag(0.9)]),
  item('Next day', AT + 86_400_000, [btcTag(0.9)]),
  item('Euro news', AT - 60_000, [{ ticker: 'FOREX:EUR', relevance: 0.8, score: -0.4, label: 'Bearish' }]),
  item('Apple news', AT - 120_000, [{ ticker: 'AAPL', relevance: 0.9, score: 0.2, label: 'Somewhat-Bullish' }]),
];

const data: FakeAlphaVantageOptions = {
  apiKey: KEY,
  stocks: { SPY: { daily: spy1d }, ZZZZ: { intraday: { '60min': session1h } }, EMPTY: { daily: [] } },
  forex: { EURUSD: { intraday: { '60min': eur1h }, daily: eur1d } },
  crypto: { BTCUSD: { intraday: { '1min': btc1m }, daily: btc1d }, BTCUSDT: { intraday: { '60min': btcusdt1h } } },
  news,
};

let fake: FakeAlphaVantage;
beforeAll(async () => {
  fake = await startFakeAlphaVantage(data);
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.setMode('normal');
  fake.requests.length = 0;
});

const adapter = (o: Partial<AlphaVantageOptions> = {}, url = fake.url) =>
  new AlphaVantageMarketData({ apiKey: KEY, baseUrl: url, requestsPerMinute: 60_000, burst: 100, ...o });

async function failureOf(p: Promise<unknown>): Promise<FfeError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(FfeError);
    return e as FfeError;
  }
  throw new Error('expected a failure');
}

const lastParams = () => fake.requests.at(-1)!.params;
const FAR = t('2030-01-01T00:00:00Z');

describe('candles: crypto', () => {
  it('1m from CRYPTO_INTRADAY with the exact fixture values', async () => {
    const bars = await adapter().candles({ pair: 'BTC/USD', timeframe: '1m', end: FAR });
    expect(lastParams()).toEqual({ function: 'CRYPTO_INTRADAY', symbol: 'BTC', market: 'USD', interval: '1min', outputsize: 'full', apikey: KEY });
    expect(bars).toHaveLength(120);
    expect(bars).toEqual(btc1m);
    expect(bars[0]).toEqual({ timestamp: t('2018-04-05T00:00:00Z'), open: 6791.68, high: 6791.68, low: 6778.01, close: 6778.01, volume: 26.84379253 });
  });

  it('returns only bars closed by `end`, the most recent `limit` of them', async () => {
    const a = adapter();
    const upTo = await a.candles({ pair: 'BTCUSD', timeframe: '1m', end: t('2018-04-05T00:10:30Z') });
    expect(upTo).toHaveLength(10);
    expect(upTo.at(-1)).toEqual({ timestamp: t('2018-04-05T00:09:00Z'), open: 6790.29, high: 6797.52, low: 6790.28, close: 6796.99, volume: 4.16267476 });
    const onTheClose = await a.candles({ pair: 'BTCUSD', timeframe: '1m', end: t('2018-04-05T00:10:00Z') });
    expect(onTheClose).toHaveLength(10);
    const last3 = await a.candles({ pair: 'BTCUSD', timeframe: '1m', end: FAR, limit: 3 });
    expect(last3.map((k) => k.timestamp)).toEqual([t('2018-04-05T01:57:00Z'), t('2018-04-05T01:58:00Z'), t('2018-04-05T01:59:00Z')]);
    expect(fake.requests).toHaveLength(1);
  });

  it('4h resamples the 60min reply into complete UTC buckets, sharing the 1h request', async () => {
    const a = adapter();
    const h1 = await a.candles({ pair: 'BTCUSDT', timeframe: '1h', end: FAR });
    expect(lastParams()).toMatchObject({ function: 'CRYPTO_INTRADAY', symbol: 'BTC', market: 'USDT', interval: '60min' });
    expect(h1).toEqual(btcusdt1h);
    const h4 = await a.candles({ pair: 'BTCUSDT', timeframe: '4h', end: FAR });
    expect(fake.requests).toHaveLength(1);
    expect(h4).toHaveLength(24);
    expect(h4[0]).toMatchObject({ timestamp: t('2024-11-01T00:00:00Z'), open: 70292.01, high: 70470, low: 68830, close: 69369.99 });
    expect(h4[0].volume).toBeCloseTo(840.4529 + 2171.7139 + 2802.10218 + 921.81357, 8);
    const closedBy = await a.candles({ pair: 'BTCUSDT', timeframe: '4h', end: t('2024-11-01T07:59:59Z') });
    expect(closedBy.map((k) => k.timestamp)).toEqual([t('2024-11-01T00:00:00Z')]);
  });

  it('1d from DIGITAL_CURRENCY_DAILY, current and legacy field names alike', async () => {
    const current = await adapter().candles({ pair: 'BTCUSD', timeframe: '1d', end: FAR });
    expect(lastParams()).toEqual({ function: 'DIGITAL_CURRENCY_DAILY', symbol: 'BTC', market: 'USD', apikey: KEY });
    expect(current).toEqual(btc1d);
    expect(current[0]).toEqual({ timestamp: t('2024-12-01T00:00:00Z'), open: 96471, high: 97880, low: 95758, close: 97291, volume: 884.6556605 });
    const legacyFake = await startFakeAlphaVantage({ ...data, cryptoDailyFields: 'legacy' });
    try {
      const legacy = await adapter({}, legacyFake.url).candles({ pair: 'BTCUSD', timeframe: '1d', end: FAR });
      expect(legacy).toEqual(current);
    } finally {
      await legacyFake.close();
    }
  });
});

describe('candles: stocks', () => {
  it('intraday keys in US/Eastern become the right UTC instants on both sides of the DST change', async () => {
    const raw = (await (await fetch(`${fake.url}/query?function=TIME_SERIES_INTRADAY&symbol=ZZZZ&interval=60min&outputsize=full&apikey=${KEY}`)).json()) as Record<
      string,
      Record<string, unknown>
    >;
    expect(raw['Meta Data']['6. Time Zone']).toBe('US/Eastern');
    expect(Object.keys(raw['Time Series (60min)'])).toContain('2024-11-01 04:00:00');
    expect(Object.keys(raw['Time Series (60min)'])).toContain('2024-11-04 04:00:00');

    // 04:00–19:00 New York: 16 hours on Fri 1 Nov (EDT), 15 on Mon 4 Nov (EST) before the slice ends.
    expect(session1h).toHaveLength(31);
    const bars = await adapter().candles({ pair: 'ZZZZ', timeframe: '1h', end: FAR });
    expect(lastParams()).toEqual({ function: 'TIME_SERIES_INTRADAY', symbol: 'ZZZZ', interval: '60min', outputsize: 'full', apikey: KEY });
    expect(bars).toEqual(session1h);
    const firstOf = (day: string) => bars.find((k) => new Date(k.timestamp).toISOString().startsWith(day))!;
    expect(new Date(firstOf('2024-11-01').timestamp).toISOString()).toBe('2024-11-01T08:00:00.000Z'); // 04:00 EDT
    expect(new Date(firstOf('2024-11-04').timestamp).toISOString()).toBe('2024-11-04T09:00:00.000Z'); // 04:00 EST
  });

  it('1d from TIME_SERIES_DAILY; a session counts as closed from the next UTC midnight', async () => {
    const a = adapter();
    const bars = await a.candles({ pair: 'SPY', timeframe: '1d', end: FAR });
    expect(lastParams()).toEqual({ function: 'TIME_SERIES_DAILY', symbol: 'SPY', outputsize: 'full', apikey: KEY });
    expect(bars).toEqual(spy1d);
    expect(bars[0]).toEqual({ timestamp: t('2021-03-01T00:00:00Z'), open: 385.65, high: 390.92, low: 385.55, close: 389.58, volume: 94752970 });
    const lateOn31st = await a.candles({ pair: 'SPY', timeframe: '1d', end: t('2021-03-31T23:59:59Z') });
    expect(lateOn31st.at(-1)).toMatchObject({ timestamp: t('2021-03-30T00:00:00Z'), close: 394.73 });
    await a.candles({ pair: 'SPY', timeframe: '1d', end: FAR, limit: 100 });
    expect(lastParams().outputsize).toBe('compact');
  });

  it('an empty series is TIMEFRAME_UNAVAILABLE', async () => {
    const e = await failureOf(adapter().candles({ pair: 'EMPTY', timeframe: '1d' }));
    expect(e).toMatchObject({ kind: 'data', code: 'TIMEFRAME_UNAVAILABLE' });
  });
});

describe('candles: forex', () => {
  it('1h from FX_INTRADAY and 1d from FX_DAILY, volume 0', async () => {
    const a = adapter();
    const h1 = await a.candles({ pair: 'EUR/USD', timeframe: '1h', end: FAR });
    expect(lastParams()).toEqual({ function: 'FX_INTRADAY', from_symbol: 'EUR', to_symbol: 'USD', interval: '60min', outputsize: 'full', apikey: KEY });
    expect(h1).toEqual(eur1h);
    expect(h1[0]).toEqual({ timestamp: t('2014-12-29T00:00:00Z'), open: 1.21679, high: 1.21864, low: 1.21679, close: 1.21832, volume: 0 });
    const d1 = await a.candles({ pair: 'EURUSD', timeframe: '1d', end: FAR });
    expect(lastParams()).toMatchObject({ function: 'FX_DAILY', from_symbol: 'EUR', to_symbol: 'USD' });
    expect(d1).toEqual(eur1d);
    expect(d1.at(-1)).toEqual({ timestamp: t('2018-12-31T00:00:00Z'), open: 1.14385, high: 1.14662, low: 1.14209, close: 1.14607, volume: 0 });
  });
});

describe('candles: caching and failures', () => {
  it('repeated calls within the TTL hit no network, and callers get their own copies', async () => {
    const a = adapter();
    const first = await a.candles({ pair: 'SPY', timeframe: '1d', end: FAR });
    first[0].close = -1;
    const second = await a.candles({ pair: 'SPY', timeframe: '1d', end: FAR });
    expect(second[0].close).toBe(389.58);
    expect(fake.requests).toHaveLength(1);
    expect(a.requestCount).toBe(1);
  });

  it('a failed fetch is an error, never substitute data', async () => {
    const a = adapter();
    for (const [mode, code] of [
      ['http-500', 'ALPHA_VANTAGE_HTTP'],
      ['rate-limited-information', 'RATE_LIMITED'],
      // "Invalid API call" to a request the adapter built: the symbol is what the service lacks.
      ['error-message', 'PAIR_NOT_AVAILABLE'],
      ['not-json', 'ALPHA_VANTAGE_BAD_PAYLOAD'],
    ] as const) {
      fake.setMode(mode);
      const e = await failureOf(a.candles({ pair: 'SPY', timeframe: '1d' }));
      expect(e.code).toBe(code);
      expect(e.message).not.toContain(KEY);
    }
    expect(fake.requests).toHaveLength(4);
  });

  it('rejects pairs it cannot classify and nonsensical limits as input errors', async () => {
    expect(await failureOf(adapter().candles({ pair: 'NOT-A-PAIR-123', timeframe: '1d' }))).toMatchObject({ kind: 'input' });
    expect(await failureOf(adapter().candles({ pair: 'SPY', timeframe: '1d', limit: 0 }))).toMatchObject({ code: 'LIMIT_INVALID' });
    expect(fake.requests).toHaveLength(0);
  });

  it('waits for the rate limiter on the injected clock', async () => {
    const clock = new ManualClock(t('2025-01-01T00:00:00Z'));
    const t0 = clock.now();
    const a = new AlphaVantageMarketData({ apiKey: KEY, baseUrl: fake.url, clock });
    await a.candles({ pair: 'SPY', timeframe: '1d' });
    await a.candles({ pair: 'EURUSD', timeframe: '1d' });
    await a.candles({ pair: 'SPY', timeframe: '1d' }); // cached
    await a.candles({ pair: 'BTCUSD', timeframe: '1d' });
    expect(clock.now() - t0).toBe(24_000);
    expect(fake.requests).toHaveLength(3);
  });
});

describe('latestQuote', () => {
  it('is the close of the most recent closed 1-minute bar, stamped with its close time', async () => {
    const q = await adapter().latestQuote('BTCUSD', t('2018-04-05T01:00:30Z'));
    expect(q).toEqual({ pair: 'BTCUSD', price: 6696.53, timestamp: t('2018-04-05T01:00:00Z'), source: 'alpha-vantage' });
  });

  it('falls back to the last closed daily bar when intraday is premium-only for this key', async () => {
    const premium = await startFakeAlphaVantage({ ...data, premium: ['CRYPTO_INTRADAY'] });
    try {
      const q = await adapter({}, premium.url).latestQuote('BTCUSD', t('2024-12-15T12:00:00Z'));
      expect(q).toEqual({ pair: 'BTCUSD', price: 101382, timestamp: t('2024-12-15T00:00:00Z'), source: 'alpha-vantage' });
      expect(premium.requests.map((r) => r.params.function)).toEqual(['CRYPTO_INTRADAY', 'DIGITAL_CURRENCY_DAILY']);
    } finally {
      await premium.close();
    }
  });

  it('does not mask a rate limit with a daily quote', async () => {
    fake.setMode('rate-limited-note');
    expect((await failureOf(adapter().latestQuote('BTCUSD'))).code).toBe('RATE_LIMITED');
    expect(fake.requests).toHaveLength(1);
  });

  it('says so when no bar had closed yet', async () => {
    const e = await failureOf(adapter().latestQuote('BTCUSD', t('2018-04-04T00:00:00Z')));
    expect(e.code).toBe('QUOTE_UNAVAILABLE');
  });
});

describe('news', () => {
  it('asks NEWS_SENTIMENT for the mapped ticker up to `at`, newest first, with that ticker’s sentiment', async () => {
    const items = await adapter().news('BTC-USD', AT);
    expect(lastParams()).toEqual({ function: 'NEWS_SENTIMENT', tickers: 'CRYPTO:BTC', time_to: '20220827T1500', sort: 'LATEST', limit: '50', apikey: KEY });
    expect(items.map((i) => i.title)).toEqual(['Exactly at', 'Before, tagged']);
    expect(items[0]).toEqual({
      title: 'Exactly at',
      url: 'https://news.example.com/Exactly%20at',
      source: 'Example Wire',
      publishedAt: AT,
      sentimentScore: 0.1,
      sentimentLabel: 'Neutral',
      relevance: 0.5,
    });
  });

  it('drops items published after `at` even when the server returns them', async () => {
    const careless = await startFakeAlphaVantage({ ...data, honourNewsTimeRange: false });
    try {
      const items = await adapter({}, careless.url).news('BTCUSD', AT);
      expect(careless.requests).toHaveLength(1);
      expect(items.map((i) => i.title)).toEqual(['Exactly at', 'Before, tagged']);
      expect(items.every((i) => i.publishedAt <= AT)).toBe(true);
    } finally {
      await careless.close();
    }
  });

  it('maps forex to FOREX:<base> and stocks to their ticker, and honours `limit`', async () => {
    const a = adapter();
    const eur = await a.news('EURUSD', AT);
    expect(lastParams().tickers).toBe('FOREX:EUR');
    expect(eur).toMatchObject([{ title: 'Euro news', sentimentScore: -0.4, sentimentLabel: 'Bearish', relevance: 0.8 }]);
    const aapl = await a.news('AAPL', AT, 1);
    expect(lastParams().tickers).toBe('AAPL');
    expect(aapl).toHaveLength(1);
    const btc1 = await a.news('BTCUSD', AT, 1);
    expect(btc1.map((i) => i.title)).toEqual(['Exactly at']);
  });

  it('reuses a cached reply for the same ticker and minute', async () => {
    const a = adapter();
    await a.news('BTCUSD', AT);
    await a.news('BTCUSD', AT + 20_000);
    expect(fake.requests).toHaveLength(1);
  });
});

describe('port extras', () => {
  it('is a live source with no enumerable listing', async () => {
    const a = adapter();
    expect(a.name).toBe('alpha-vantage');
    expect(await a.list()).toEqual([]);
    expect(await a.sampleInfo('BTCUSD')).toBeNull();
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses to start without a key, naming ALPHA_VANTAGE_API_KEY', () => {
    expect(() => new AlphaVantageMarketData({ apiKey: '' })).toThrow(/ALPHA_VANTAGE_API_KEY/);
  });
});
