import { describe, expect, it } from 'vitest';
import type { FfeError } from '../../core/errors.js';
import { formatNewsTime, parseNews, parseNewsTime, parseSeries, seriesKey } from './parse.js';

const utc = (s: string) => Date.parse(s);

function failure(f: () => unknown): FfeError {
  try {
    f();
  } catch (e) {
    return e as FfeError;
  }
  throw new Error('expected a failure');
}

const stockIntraday = {
  'Meta Data': {
    '1. Information': 'Intraday (5min) open, high, low, close prices and volume',
    '2. Symbol': 'IBM',
    '3. Last Refreshed': '2024-11-04 04:05:00',
    '4. Interval': '5min',
    '5. Output Size': 'Compact',
    '6. Time Zone': 'US/Eastern',
  },
  'Time Series (5min)': {
    '2024-11-04 04:05:00': { '1. open': '208.0000', '2. high': '208.5000', '3. low': '207.9000', '4. close': '208.2500', '5. volume': '120' },
    '2024-11-04 04:00:00': { '1. open': '207.5000', '2. high': '208.1000', '3. low': '207.5000', '4. close': '208.0000', '5. volume': '95' },
    '2024-11-01 19:55:00': { '1. open': '207.1000', '2. high': '207.6000', '3. low': '207.0000', '4. close': '207.5000', '5. volume': '310' },
  },
};

describe('parseSeries', () => {
  it('reads US/Eastern intraday keys as bar-open times in UTC, oldest first, across a DST change', () => {
    const bars = parseSeries(stockIntraday, { fn: 'TIME_SERIES_INTRADAY', interval: '5min', expect: { Symbol: 'IBM' } });
    expect(bars).toEqual([
      { timestamp: utc('2024-11-01T23:55:00Z'), open: 207.1, high: 207.6, low: 207, close: 207.5, volume: 310 },
      { timestamp: utc('2024-11-04T09:00:00Z'), open: 207.5, high: 208.1, low: 207.5, close: 208, volume: 95 },
      { timestamp: utc('2024-11-04T09:05:00Z'), open: 208, high: 208.5, low: 207.9, close: 208.25, volume: 120 },
    ]);
  });

  it('reads CRYPTO_INTRADAY, whose volume is a JSON number, in UTC', () => {
    const bars = parseSeries(
      {
        'Meta Data': { '1. Information': 'Crypto Intraday (15min) Time Series', '2. Digital Currency Code': 'BTC', '4. Market Code': 'USD', '9. Time Zone': 'UTC' },
        'Time Series Crypto (15min)': {
          '2024-10-31 21:45:00': { '1. open': '70224.66000', '2. high': '70434.69000', '3. low': '70220.27000', '4. close': '70350.10000', '5. volume': 89 },
        },
      },
      { fn: 'CRYPTO_INTRADAY', interval: '15min', market: 'USD' },
    );
    expect(bars).toEqual([{ timestamp: utc('2024-10-31T21:45:00Z'), open: 70224.66, high: 70434.69, low: 70220.27, close: 70350.1, volume: 89 }]);
  });

  it('accepts both the current and the legacy DIGITAL_CURRENCY_DAILY field names, reading the market column', () => {
    const current = { '1. open': '42000.5', '2. high': '42500', '3. low': '41800', '4. close': '42200', '5. volume': '15000.25' };
    const legacy = {
      '1a. open (EUR)': '39000.5',
      '1b. open (USD)': '42000.5',
      '2a. high (EUR)': '39500',
      '2b. high (USD)': '42500',
      '3a. low (EUR)': '38800',
      '3b. low (USD)': '41800',
      '4a. close (EUR)': '39200',
      '4b. close (USD)': '42200',
      '5. volume': '15000.25',
      '6. market cap (USD)': '633006300.00',
    };
    const meta = { '1. Information': 'Daily Prices and Volumes for Digital Currency', '7. Time Zone': 'UTC' };
    const key = seriesKey('DIGITAL_CURRENCY_DAILY');
    const a = parseSeries({ 'Meta Data': meta, [key]: { '2024-01-15': current } }, { fn: 'DIGITAL_CURRENCY_DAILY', market: 'USD' });
    const b = parseSeries({ 'Meta Data': meta, [key]: { '2024-01-15': legacy } }, { fn: 'DIGITAL_CURRENCY_DAILY', market: 'EUR' });
    const usdLegacy = Object.fromEntries(Object.entries(legacy).filter(([k]) => !k.includes('(EUR)')));
    const c = parseSeries({ 'Meta Data': meta, [key]: { '2024-01-15': usdLegacy } }, { fn: 'DIGITAL_CURRENCY_DAILY', market: 'USD' });
    const day = utc('2024-01-15T00:00:00Z');
    expect(a).toEqual([{ timestamp: day, open: 42000.5, high: 42500, low: 41800, close: 42200, volume: 15000.25 }]);
    expect(b).toEqual([{ timestamp: day, open: 39000.5, high: 39500, low: 38800, close: 39200, volume: 15000.25 }]);
    expect(c).toEqual(a);
  });

  it('gives forex bars, which carry no volume, a volume of 0', () => {
    const bars = parseSeries(
      {
        'Meta Data': { '1. Information': 'Forex Daily Prices (open, high, low, close)', '2. From Symbol': 'EUR', '3. To Symbol': 'USD', '6. Time Zone': 'UTC' },
        'Time Series FX (Daily)': { '2024-01-15': { '1. open': '1.0920', '2. high': '1.0950', '3. low': '1.0900', '4. close': '1.0930' } },
      },
      { fn: 'FX_DAILY', expect: { 'From Symbol': 'EUR', 'To Symbol': 'USD' } },
    );
    expect(bars).toEqual([{ timestamp: utc('2024-01-15T00:00:00Z'), open: 1.092, high: 1.095, low: 1.09, close: 1.093, volume: 0 }]);
  });

  it('returns an empty array for an empty series', () => {
    expect(parseSeries({ 'Meta Data': {}, 'Time Series (Daily)': {} }, { fn: 'TIME_SERIES_DAILY' })).toEqual([]);
  });

  describe('treats malformed payloads as ALPHA_VANTAGE_BAD_PAYLOAD', () => {
    const daily = (bars: Record<string, Record<string, string>>, meta: Record<string, string> = { '2. Symbol': 'SPY' }) => ({
      'Meta Data': meta,
      'Time Series (Daily)': bars,
    });
    const good = { '1. open': '10', '2. high': '11', '3. low': '9', '4. close': '10.5', '5. volume': '100' };
    const cases: Array<[string, unknown, RegExp, Record<string, string>?]> = [
      ['no Meta Data', { 'Time Series (Daily)': {} }, /unexpected reply shape/],
      ['not an object', 'hello', /unexpected reply shape/],
      ['the wrong series key', { 'Meta Data': {}, 'Time Series (5min)': {} }, /no "Time Series \(Daily\)"/],
      ['a price that is not a number', daily({ '2024-01-02': { ...good, '4. close': 'n/a' } }), /close "n\/a" is not a number/],
      ['a missing field', daily({ '2024-01-02': { '1. open': '10', '2. high': '11', '3. low': '9', '5. volume': '1' } }), /close is missing/],
      ['an inconsistent bar', daily({ '2024-01-02': { ...good, '2. high': '9.5' } }), /high 9.5 is below/],
      ['a negative price', daily({ '2024-01-02': { ...good, '3. low': '-1' } }), /positive/],
      ['an impossible date', daily({ '2024-02-30': good }), /not a valid date/],
      ['a date-time on a daily series', daily({ '2024-01-02 16:00:00': good }), /not a date/],
      ['a reply for another symbol', daily({ '2024-01-02': good }, { '2. Symbol': 'QQQ' }), /Symbol "QQQ", not "SPY"/, { Symbol: 'SPY' }],
    ];
    for (const [name, payload, msg, expect_] of cases) {
      it(name, () => {
        const e = failure(() => parseSeries(payload, { fn: 'TIME_SERIES_DAILY', expect: expect_ }));
        expect(e.code).toBe('ALPHA_VANTAGE_BAD_PAYLOAD');
        expect(e.kind).toBe('data');
        expect(e.message).toMatch(msg);
      });
    }

    it('an intraday reply without a time zone, or with one it cannot read', () => {
      const body = { '2024-01-02 10:00:00': good };
      const noZone = failure(() => parseSeries({ 'Meta Data': {}, 'Time Series (5min)': body }, { fn: 'TIME_SERIES_INTRADAY', interval: '5min' }));
      expect(noZone.message).toMatch(/no Time Zone/);
      const odd = failure(() =>
        parseSeries({ 'Meta Data': { '6. Time Zone': 'Moon/Base' }, 'Time Series (5min)': body }, { fn: 'TIME_SERIES_INTRADAY', interval: '5min' }),
      );
      expect(odd.message).toMatch(/unknown time zone "Moon\/Base"/);
    });

    it('two keys that are the same instant', () => {
      const e = failure(() =>
        parseSeries(
          { 'Meta Data': { '7. Time Zone': 'UTC' }, 'Time Series FX (5min)': { '2024-01-02 10:00:00': good, '2024-01-02 10:00': good } },
          { fn: 'FX_INTRADAY', interval: '5min' },
        ),
      );
      expect(e.message).toMatch(/share the instant 2024-01-02T10:00:00.000Z/);
    });
  });
});

describe('NEWS_SENTIMENT', () => {
  const payload = {
    items: '2',
    sentiment_score_definition: 'x <= -0.35: Bearish; …',
    relevance_score_definition: '0 < x <= 1, …',
    feed: [
      {
        title: 'The Sheriff of Cryptoville Draws His Pistol',
        url: 'https://decrypt.co/108303/sheriff',
        time_published: '20220827T151534',
        authors: ['Decrypt / Daniel Roberts'],
        source: 'Decrypt.co',
        source_domain: 'decrypt.co',
        overall_sentiment_score: 0.016888,
        overall_sentiment_label: 'Neutral',
        ticker_sentiment: [
          { ticker: 'COIN', relevance_score: '0.170878', ticker_sentiment_score: '-0.016101', ticker_sentiment_label: 'Neutral' },
          { ticker: 'CRYPTO:BTC', relevance_score: '0.226477', ticker_sentiment_score: '0.021487', ticker_sentiment_label: 'Neutral' },
        ],
      },
      {
        title: 'Markets wrap',
        url: 'https://example.com/wrap',
        time_published: '20220827T090000',
        source_domain: 'example.com',
        overall_sentiment_score: -0.4,
        overall_sentiment_label: 'Bearish',
        ticker_sentiment: [],
      },
    ],
  };

  it('takes the asked ticker’s sentiment when listed, else the overall one', () => {
    expect(parseNews(payload, 'CRYPTO:BTC')).toEqual([
      {
        title: 'The Sheriff of Cryptoville Draws His Pistol',
        url: 'https://decrypt.co/108303/sheriff',
        source: 'Decrypt.co',
        publishedAt: utc('2022-08-27T15:15:34Z'),
        sentimentScore: 0.021487,
        sentimentLabel: 'Neutral',
        relevance: 0.226477,
      },
      {
        title: 'Markets wrap',
        url: 'https://example.com/wrap',
        source: 'example.com',
        publishedAt: utc('2022-08-27T09:00:00Z'),
        sentimentScore: -0.4,
        sentimentLabel: 'Bearish',
        relevance: null,
      },
    ]);
    expect(parseNews(payload, 'AAPL')[0]).toMatchObject({ sentimentScore: 0.016888, relevance: null });
  });

  it('rejects a reply without a feed or with an unreadable time', () => {
    expect(failure(() => parseNews({ items: '0' }, 'AAPL')).code).toBe('ALPHA_VANTAGE_BAD_PAYLOAD');
    const bad = { feed: [{ ...payload.feed[1], time_published: '2022-08-27 09:00' }] };
    expect(failure(() => parseNews(bad, 'AAPL')).message).toMatch(/not YYYYMMDDTHHMMSS/);
  });

  it('formats and reads the API’s compact times', () => {
    expect(formatNewsTime(utc('2024-03-05T07:08:59.999Z'))).toBe('20240305T0708');
    expect(parseNewsTime('20240305T0708')).toBe(utc('2024-03-05T07:08:00Z'));
    expect(parseNewsTime('20240305T070859')).toBe(utc('2024-03-05T07:08:59Z'));
    expect(parseNewsTime('20241305T070859')).toBeNaN();
  });
});
