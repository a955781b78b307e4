import { z } from 'zod';
import { candleProblem, type Candle } from '../../core/candle.js';
import { dataError, type FfeError } from '../../core/errors.js';
import type { NewsItem } from '../port.js';
import { wallAsUtc, zoneConverter } from './time.js';

export type AvInterval = '1min' | '5min' | '15min' | '60min';
export type AvSeriesFunction =
  | 'TIME_SERIES_INTRADAY'
  | 'TIME_SERIES_DAILY'
  | 'FX_INTRADAY'
  | 'FX_DAILY'
  | 'CRYPTO_INTRADAY'
  | 'DIGITAL_CURRENCY_DAILY';

export interface SeriesSpec {
  fn: AvSeriesFunction;
  /** Intraday functions only. */
  interval?: AvInterval;
  /** Quote currency of crypto series: legacy DIGITAL_CURRENCY_DAILY names fields "1a. open (EUR)". */
  market?: string;
  /** Meta Data labels and the values they must hold, e.g. `{ Symbol: 'SPY' }`. */
  expect?: Record<string, string>;
}

export const isIntraday = (fn: AvSeriesFunction): boolean => fn.endsWith('_INTRADAY');

/** The object key under which each function's bars arrive. */
export function seriesKey(fn: AvSeriesFunction, interval?: AvInterval): string {
  switch (fn) {
    case 'TIME_SERIES_INTRADAY':
      return `Time Series (${interval})`;
    case 'FX_INTRADAY':
      return `Time Series FX (${interval})`;
    case 'CRYPTO_INTRADAY':
      return `Time Series Crypto (${interval})`;
    case 'TIME_SERIES_DAILY':
      return 'Time Series (Daily)';
    case 'FX_DAILY':
      return 'Time Series FX (Daily)';
    case 'DIGITAL_CURRENCY_DAILY':
      return 'Time Series (Digital Currency Daily)';
  }
}

const badPayload = (what: string, message: string, details?: Record<string, unknown>): FfeError =>
  dataError('ALPHA_VANTAGE_BAD_PAYLOAD', `Alpha Vantage ${what}: ${message}`, details);

// Prices arrive as decimal strings ("230.3300"); CRYPTO_INTRADAY volume arrives as a JSON number.
const NUMERIC_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const numeric = z.union([z.number(), z.string().trim().regex(NUMERIC_TEXT).transform(Number)]).pipe(z.number());

const seriesPayload = z.looseObject({
  'Meta Data': z.record(z.string(), z.string()),
});
const seriesBody = z.record(z.string(), z.record(z.string(), z.union([z.string(), z.number()])));

function describeIssue(err: z.ZodError): string {
  const i = err.issues[0];
  return `${i.path.length ? i.path.join(' → ') + ': ' : ''}${i.message}`;
}

function metaValue(meta: Record<string, string>, label: string): string | undefined {
  const k = Object.keys(meta).find((key) => key.replace(/^\d+[a-z]?\.\s*/, '') === label);
  return k === undefined ? undefined : meta[k];
}

/** Reads one price or volume field under its current name ("1. open") or legacy name ("1a. open (USD)"). */
function field(entry: Record<string, string | number>, n: number, name: string, market: string | undefined): unknown {
  const names = [`${n}. ${name}`];
  if (market) names.push(`${n}a. ${name} (${market})`);
  if (market === 'USD') names.push(`${n}b. ${name} (USD)`);
  for (const k of names) if (k in entry) return entry[k];
  return undefined;
}

/** Parses a time-series payload into validated candles, oldest first, keyed by bar-open UTC ms. */
export function parseSeries(json: unknown, spec: SeriesSpec): Candle[] {
  const what = spec.fn;
  const head = seriesPayload.safeParse(json);
  if (!head.success) throw badPayload(what, `unexpected reply shape (${describeIssue(head.error)})`, { function: what });
  const meta = head.data['Meta Data'];
  const key = seriesKey(spec.fn, spec.interval);
  const rawSeries = (head.data as Record<string, unknown>)[key];
  if (rawSeries === undefined) {
    const keys = Object.keys(head.data).join(', ');
    throw badPayload(what, `reply has no "${key}" (keys: ${keys})`, { function: what });
  }
  const body = seriesBody.safeParse(rawSeries);
  if (!body.success) throw badPayload(what, `"${key}" is malformed (${describeIssue(body.error)})`, { function: what });

  for (const [label, want] of Object.entries(spec.expect ?? {})) {
    const got = metaValue(meta, label);
    if (got !== undefined && got.toUpperCase() !== want.toUpperCase()) {
      throw badPayload(what, `reply is for ${label} "${got}", not "${want}"`, { function: what });
    }
  }

  let toUtc: (wallMs: number) => number = (w) => w;
  if (isIntraday(spec.fn)) {
    const zone = metaValue(meta, 'Time Zone');
    if (zone === undefined) throw badPayload(what, 'Meta Data has no Time Zone', { function: what });
    const conv = zoneConverter(zone);
    if (!conv) throw badPayload(what, `unknown time zone "${zone}"`, { function: what });
    toUtc = conv;
  }

  const volumeOptional = spec.fn === 'FX_INTRADAY' || spec.fn === 'FX_DAILY';
  const out: Candle[] = [];
  for (const [label, entry] of Object.entries(body.data)) {
    const hasTime = label.trim().length > 10;
    if (hasTime !== isIntraday(spec.fn)) {
      throw badPayload(what, `bar key "${label}" is not a ${isIntraday(spec.fn) ? 'date-time' : 'date'}`, { function: what });
    }
    const wall = wallAsUtc(label);
    if (Number.isNaN(wall)) throw badPayload(what, `bar key "${label}" is not a valid date`, { function: what });
    const values: number[] = [];
    for (const [n, name] of [[1, 'open'], [2, 'high'], [3, 'low'], [4, 'close'], [5, 'volume']] as const) {
      const raw = field(entry, n, name, spec.market);
      if (raw === undefined && name === 'volume' && volumeOptional) {
        values.push(0);
        continue;
      }
      const v = numeric.safeParse(raw);
      if (!v.success) {
        throw badPayload(what, `bar ${label}: ${name} ${raw === undefined ? 'is missing' : `"${String(raw)}" is not a number`}`, { function: what });
      }
      values.push(v.data);
    }
    const k: Candle = { timestamp: toUtc(wall), open: values[0], high: values[1], low: values[2], close: values[3], volume: values[4] };
    const problem = candleProblem(k);
    if (problem) throw badPayload(what, `bar ${label} is invalid: ${problem}`, { function: what });
    out.push(k);
  }
  out.sort((a, b) => a.timestamp - b.timestamp);
  for (let i = 1; i < out.length; i++) {
    if (out[i].timestamp === out[i - 1].timestamp) {
      throw badPayload(what, `two bars share the instant ${new Date(out[i].timestamp).toISOString()}`, { function: what });
    }
  }
  return out;
}

// ---- NEWS_SENTIMENT --------------------------------------------------------------------------

const tickerSentiment = z.looseObject({
  ticker: z.string(),
  relevance_score: numeric.optional(),
  ticker_sentiment_score: numeric.optional(),
  ticker_sentiment_label: z.string().optional(),
});
const feedItem = z.looseObject({
  title: z.string(),
  url: z.string(),
  time_published: z.string(),
  source: z.string().optional(),
  source_domain: z.string().optional(),
  overall_sentiment_score: numeric.optional(),
  overall_sentiment_label: z.string().optional(),
  ticker_sentiment: z.array(tickerSentiment).optional(),
});
const newsPayload = z.looseObject({ feed: z.array(feedItem) });

const NEWS_TIME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?$/;

/** `time_published` ("20220827T151534", UTC) to ms, or NaN. */
export function parseNewsTime(s: string): number {
  const m = NEWS_TIME.exec(s.trim());
  if (!m) return Number.NaN;
  return wallAsUtc(`${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6] ?? '00'}`);
}

/** ms to the `time_from` / `time_to` parameter form, YYYYMMDDTHHMM (UTC, floored to the minute). */
export function formatNewsTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

/**
 * Parses a NEWS_SENTIMENT reply. The score, label and relevance are those given for `ticker`
 * when the item lists it in `ticker_sentiment`, else the item's overall sentiment (relevance null).
 */
export function parseNews(json: unknown, ticker: string): NewsItem[] {
  const parsed = newsPayload.safeParse(json);
  if (!parsed.success) throw badPayload('NEWS_SENTIMENT', `unexpected reply shape (${describeIssue(parsed.error)})`, { function: 'NEWS_SENTIMENT' });
  return parsed.data.feed.map((item) => {
    const publishedAt = parseNewsTime(item.time_published);
    if (Number.isNaN(publishedAt)) {
      throw badPayload('NEWS_SENTIMENT', `time_published "${item.time_published}" is not YYYYMMDDTHHMMSS`, { function: 'NEWS_SENTIMENT' });
    }
    const own = item.ticker_sentiment?.find((t) => t.ticker.toUpperCase() === ticker.toUpperCase());
    return {
      title: item.title,
      url: item.url,
      source: item.source ?? item.source_domain ?? '',
      publishedAt,
      sentimentScore: own ? (own.ticker_sentiment_score ?? null) : (item.overall_sentiment_score ?? null),
      sentimentLabel: own ? (own.ticker_sentiment_label ?? null) : (item.overall_sentiment_label ?? null),
      relevance: own ? (own.relevance_score ?? null) : null,
    };
  });
}
