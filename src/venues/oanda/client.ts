import { FfeError } from '../../core/errors.js';
import { excerpt, redact, venueError } from '../errors.js';

/** undici, loaded by the first request (not by every command that merely could make one); set before any transport error. */
let undici: typeof import('undici') | null = null;

export const OANDA_HOSTS = { practice: 'https://api-fxpractice.oanda.com', live: 'https://api-fxtrade.oanda.com' } as const;

export interface OandaClientOptions {
  token: string;
  accountId: string;
  environment: 'practice' | 'live';
  /** Overrides the host chosen by `environment` (tests point it at a local fake). */
  baseUrl?: string | null;
  timeoutMs?: number;
}

/** A v20 reply the caller interprets: 2xx, and the 400/404 whose bodies say what was refused. */
export interface OandaReply {
  status: number;
  body: Record<string, unknown>;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * HTTP access to one v20 account. Transport failures, 401/403, 429 and 5xx become FfeError
 * (venue); a failed POST/PUT is marked `outcome: 'unknown'`, since the venue may have acted on it.
 * The token travels only in the Authorization header and is scrubbed from every error text.
 */
export class OandaClient {
  readonly baseUrl: string;
  readonly accountId: string;
  // ES private: JSON.stringify, util.inspect and loggers never see it.
  readonly #token: string;
  private readonly timeoutMs: number;

  constructor(o: OandaClientOptions) {
    if (!o.token) throw new FfeError('config', 'OANDA_KEY_MISSING', 'Oanda needs an API token: set OANDA_API_KEY (venues.oanda.api_key)');
    if (!o.accountId) throw new FfeError('config', 'OANDA_ACCOUNT_MISSING', 'Oanda needs an account id: set OANDA_ACCOUNT_ID (venues.oanda.account_id)');
    this.#token = o.token;
    this.accountId = o.accountId;
    this.baseUrl = (o.baseUrl ?? OANDA_HOSTS[o.environment]).replace(/\/+$/, '');
    this.timeoutMs = o.timeoutMs ?? 10_000;
  }

  /** `path` is relative to /v3/accounts/{id} (e.g. `/summary`), or absolute when it starts with /v3/. */
  async call(method: string, path: string, opts: { query?: Record<string, string>; body?: unknown } = {}): Promise<OandaReply> {
    const full = path.startsWith('/v3/') ? path : `/v3/accounts/${encodeURIComponent(this.accountId)}${path}`;
    const qs = opts.query ? `?${new URLSearchParams(opts.query).toString()}` : '';
    const what = `Oanda ${method} ${full}`;
    const unknown = MUTATING.has(method) ? { outcome: 'unknown' as const } : {};
    let status: number;
    let text: string;
    try {
      const { request } = (undici ??= await import('undici'));
      const res = await request(`${this.baseUrl}${full}${qs}`, {
        method: method as 'GET',
        headers: {
          authorization: `Bearer ${this.#token}`,
          'content-type': 'application/json',
          'accept-datetime-format': 'RFC3339',
        },
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (e) {
      throw this.transportError(e, what, unknown);
    }
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      if (status < 500) throw venueError('VENUE_BAD_RESPONSE', `${what}: HTTP ${status} with a body that is not JSON: ${excerpt(this.clean(text))}`, unknown);
    }
    const message = typeof body.errorMessage === 'string' ? this.clean(body.errorMessage) : excerpt(this.clean(text));
    if (status === 401 || status === 403) throw venueError('VENUE_AUTH', `${what} refused the credentials (HTTP ${status}): ${message}; check OANDA_API_KEY and OANDA_ACCOUNT_ID`, { status });
    if (status === 429) throw venueError('VENUE_UNAVAILABLE', `${what}: rate limited (HTTP 429): ${message}`, { status, retryable: true, ...unknown });
    if (status >= 500) throw venueError('VENUE_UNAVAILABLE', `${what}: Oanda is unavailable (HTTP ${status}): ${message}`, { status, ...unknown });
    if (status >= 300 && status !== 400 && status !== 404) throw venueError('VENUE_BAD_RESPONSE', `${what}: unexpected HTTP ${status}: ${message}`, { status });
    return { status, body };
  }

  /** Follows a page URL from a transactions listing on our own host (the listing names the venue's). */
  async page(url: string): Promise<OandaReply> {
    const u = new URL(url);
    return this.call('GET', u.pathname, { query: Object.fromEntries(u.searchParams) });
  }

  clean(text: string): string {
    return redact(text, [this.#token]);
  }

  private transportError(e: unknown, what: string, unknown: { outcome?: 'unknown' }): FfeError {
    const err = e as { name?: string; code?: string; message?: string; cause?: { code?: string } };
    const msg = this.clean(String(err?.message ?? e));
    if (err?.name === 'TimeoutError' || err?.name === 'AbortError' || (undici !== null && (e instanceof undici.errors.HeadersTimeoutError || e instanceof undici.errors.BodyTimeoutError))) {
      return venueError('VENUE_TIMEOUT', `${what}: no answer within ${this.timeoutMs} ms`, { ...unknown });
    }
    const code = err?.code ?? err?.cause?.code;
    // A refused connection never reached the venue: nothing can have happened.
    const outcome = code === 'ECONNREFUSED' ? {} : unknown;
    return venueError('VENUE_UNAVAILABLE', `${what}: cannot reach Oanda at ${this.baseUrl} (${code ?? msg})`, { code, ...outcome });
  }
}
