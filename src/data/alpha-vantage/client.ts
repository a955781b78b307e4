import { systemClock, type Clock } from '../../core/clock.js';
import { dataError, FfeError, isFfeError, type ErrorCode } from '../../core/errors.js';
import { redact } from '../../core/redact.js';
import { TokenBucket } from '../../lib/token-bucket.js';
import { TtlCache } from '../../lib/ttl-cache.js';

export const ALPHA_VANTAGE_KEY_ENV = 'ALPHA_VANTAGE_API_KEY';

export interface AlphaVantageOptions {
  apiKey: string;
  /** Default `https://www.alphavantage.co`; requests go to `<baseUrl>/query`. */
  baseUrl?: string;
  /** Token refill rate (default 5, the free tier's per-minute limit). */
  requestsPerMinute?: number;
  /**
   * Bucket capacity (default 1). With more than one, a burst after a quiet minute can exceed the
   * server's per-minute count in a sliding window, which it answers with a rate-limit reply.
   */
  burst?: number;
  /** Successful replies are reused for this long (default 120 000 ms). Errors are never cached. */
  cacheTtlMs?: number;
  /** Cached replies kept at most (default 64); intraday `full` replies are large. */
  cacheMaxEntries?: number;
  /** Whole-request deadline, headers and body together (default 15 000 ms). */
  timeoutMs?: number;
  /** Time for the cache and for "now" defaults; defaults to `clock.now`. */
  now?: () => number;
  /** Time and sleep for rate-limit waits (default: wall clock). */
  clock?: Clock;
}

export type AvParams = Record<string, string>;

const configError = (code: ErrorCode, message: string) => new FfeError('config', code, message);

function positive(name: string, v: number | undefined, dflt: number): number {
  const x = v ?? dflt;
  if (!(x > 0) || !Number.isFinite(x)) throw configError('ALPHA_VANTAGE_CONFIG_INVALID', `Alpha Vantage option ${name} must be a positive number (got ${v})`);
  return x;
}

const RATE_WORDS = /rate limit|call frequency|calls per|requests per|higher API call volume/i;
const PREMIUM_WORDS = /premium endpoint/i;
const REFUSAL_WORDS = /apikey is invalid|invalid api ?key|demo\W{0,3}\s*api key|invalid inputs/i;

/**
 * Maps Alpha Vantage's in-band replies (all sent with HTTP 200) to errors, or null for data.
 * "Note" is the older rate-limit reply. "Information" carries the newer rate-limit reply, but the
 * service also uses it for premium-only endpoints and refused keys, which waiting cannot fix, so
 * those get their own codes; any other "Information" is treated as a rate limit.
 */
export function classifyReply(json: unknown, fn: string): FfeError | null {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return dataError('ALPHA_VANTAGE_BAD_PAYLOAD', `Alpha Vantage ${fn}: reply is not a JSON object`, { function: fn });
  }
  const body = json as Record<string, unknown>;
  const text = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
  const error = text('Error Message');
  if (error !== undefined) return dataError('ALPHA_VANTAGE_ERROR', `Alpha Vantage ${fn} refused the request: ${error}`, { function: fn });
  const note = text('Note');
  if (note !== undefined) return dataError('RATE_LIMITED', `Alpha Vantage rate limit (${fn}): ${note}`, { function: fn, retryable: true });
  const info = text('Information');
  if (info !== undefined) {
    if (!RATE_WORDS.test(info) && PREMIUM_WORDS.test(info)) {
      return dataError('ALPHA_VANTAGE_PREMIUM', `Alpha Vantage ${fn} needs a premium plan: ${info}`, { function: fn });
    }
    if (!RATE_WORDS.test(info) && REFUSAL_WORDS.test(info)) {
      return dataError('ALPHA_VANTAGE_ERROR', `Alpha Vantage ${fn} refused the request: ${info}`, { function: fn });
    }
    return dataError('RATE_LIMITED', `Alpha Vantage rate limit (${fn}): ${info}`, { function: fn, retryable: true });
  }
  return null;
}

/** Cache key: every parameter but the key, in a stable order. */
export const cacheKeyOf = (params: AvParams): string =>
  Object.entries(params)
    .filter(([k]) => k.toLowerCase() !== 'apikey')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');

/**
 * HTTP access to Alpha Vantage: rate-limited, cached by query, every failure an FfeError whose
 * text never contains the API key (the key travels in the URL, and the service echoes it in some
 * replies).
 */
export class AlphaVantageClient {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly now: () => number;
  private readonly apiKey: string;
  private readonly bucket: TokenBucket;
  private readonly cache: TtlCache<unknown>;
  private networkCalls = 0;

  constructor(opts: AlphaVantageOptions) {
    const key = typeof opts?.apiKey === 'string' ? opts.apiKey.trim() : '';
    if (key === '') {
      throw configError(
        'ALPHA_VANTAGE_KEY_MISSING',
        `Alpha Vantage needs an API key: set ${ALPHA_VANTAGE_KEY_ENV} (a free key is at https://www.alphavantage.co/support/#api-key)`,
      );
    }
    this.apiKey = key;
    this.baseUrl = (opts.baseUrl ?? 'https://www.alphavantage.co').replace(/\/+$/, '');
    try {
      new URL(this.baseUrl);
    } catch {
      throw configError('ALPHA_VANTAGE_CONFIG_INVALID', `Alpha Vantage baseUrl "${this.baseUrl}" is not a URL`);
    }
    const clock = opts.clock ?? systemClock;
    this.now = opts.now ?? (() => clock.now());
    this.timeoutMs = positive('timeoutMs', opts.timeoutMs, 15_000);
    this.bucket = new TokenBucket({
      capacity: positive('burst', opts.burst, 1),
      refillPerMinute: positive('requestsPerMinute', opts.requestsPerMinute, 5),
      clock,
    });
    const ttl = opts.cacheTtlMs ?? 120_000;
    if (!(ttl >= 0) || !Number.isFinite(ttl)) throw configError('ALPHA_VANTAGE_CONFIG_INVALID', `Alpha Vantage option cacheTtlMs must be ≥ 0 (got ${ttl})`);
    this.cache = new TtlCache({ ttlMs: ttl, maxEntries: opts.cacheMaxEntries ?? 64, now: this.now });
  }

  /** Requests that reached the network (cache hits and coalesced duplicates excluded). */
  get requestCount(): number {
    return this.networkCalls;
  }

  /**
   * Fetches `params` (function and its arguments, without the key), checks the reply for in-band
   * errors and returns `parse(json)`. The parsed value is cached under the query, so one query
   * must always be given the same parser. `signal` ends this caller's wait (for a token or the
   * reply); the request itself is abandoned once no caller of the same query is waiting.
   */
  async get<T>(params: AvParams, parse: (json: unknown) => T, signal?: AbortSignal): Promise<T> {
    try {
      const value = await this.cache.getOrLoad(cacheKeyOf(params), (loadSignal) => this.load(params, parse, loadSignal), signal);
      return value as T;
    } catch (e) {
      throw this.scrubError(e);
    }
  }

  /** Removes the key (plain and URL-encoded: the one redaction module knows both) from text meant for people or logs. */
  scrub(text: string): string {
    return redact(text, [this.apiKey]);
  }

  private scrubError(e: unknown): unknown {
    if (!isFfeError(e)) return e;
    const message = this.scrub(e.message);
    const detailsJson = e.details === undefined ? undefined : JSON.stringify(e.details);
    const scrubbedJson = detailsJson === undefined ? undefined : this.scrub(detailsJson);
    if (message === e.message && scrubbedJson === detailsJson) return e;
    return new FfeError(e.kind, e.code, message, scrubbedJson === undefined ? undefined : (JSON.parse(scrubbedJson) as Record<string, unknown>));
  }

  private async load<T>(params: AvParams, parse: (json: unknown) => T, signal: AbortSignal): Promise<T> {
    const fn = params.function ?? '?';
    await this.bucket.take(signal);
    const json = await this.fetchJson(params, fn, signal);
    const refusal = classifyReply(json, fn);
    if (refusal) {
      if (refusal.code === 'RATE_LIMITED') this.bucket.drain();
      throw refusal;
    }
    return parse(json);
  }

  private async fetchJson(params: AvParams, fn: string, signal: AbortSignal): Promise<unknown> {
    const url = new URL(`${this.baseUrl}/query`);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    url.searchParams.set('apikey', this.apiKey);

    signal.throwIfAborted();
    const ac = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ac.abort();
    }, this.timeoutMs);
    const onAbort = () => ac.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    let status: number;
    let text: string;
    this.networkCalls++;
    try {
      // undici is loaded on the first request, not by every command that merely could make one.
      const { request } = await import('undici');
      const res = await request(url, { method: 'GET', signal: ac.signal, headers: { accept: 'application/json' } });
      status = res.statusCode;
      text = await res.body.text();
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      if (timedOut) {
        throw dataError('ALPHA_VANTAGE_TIMEOUT', `Alpha Vantage ${fn} did not answer within ${this.timeoutMs} ms`, { function: fn, retryable: true });
      }
      const err = e as { message?: string; code?: string };
      throw dataError(
        'ALPHA_VANTAGE_HTTP',
        `Alpha Vantage ${fn} request failed: ${this.scrub(err.message ?? String(e))}${err.code ? ` (${err.code})` : ''}`,
        { function: fn, retryable: true },
      );
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }

    // Scrubbed before the cut: a cut key would no longer be recognised.
    const snippet = () => this.scrub(text).slice(0, 200).replace(/\s+/g, ' ').trim();
    if (status < 200 || status >= 300) {
      throw dataError('ALPHA_VANTAGE_HTTP', `Alpha Vantage ${fn} answered HTTP ${status}${text ? `: ${snippet()}` : ''}`, {
        function: fn,
        status,
        retryable: status >= 500 || status === 429,
      });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw dataError('ALPHA_VANTAGE_BAD_PAYLOAD', `Alpha Vantage ${fn} answered with something other than JSON: "${snippet()}"`, { function: fn });
    }
  }
}
