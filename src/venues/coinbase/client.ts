import { FfeError } from '../../core/errors.js';
import { excerpt, redact, venueError } from '../errors.js';
import type { Json } from '../wire.js';
import { ccxtFailure } from '../ccxt/errors.js';
import { createExchange, type CcxtExchange, type CcxtModule } from '../ccxt/loader.js';

export const COINBASE_HOSTS = { live: 'https://api.coinbase.com', sandbox: 'https://api-sandbox.coinbase.com' } as const;

export interface CoinbaseClientOptions {
  /** CDP API key name, `organizations/{org}/apiKeys/{key}`. */
  apiKey: string;
  /** The key's EC private key (PEM); it signs a short-lived ES256 JWT per request. */
  apiSecret: string;
  /** Advanced Trade's static sandbox instead of the exchange (ignored when baseUrl is set). */
  sandbox: boolean;
  baseUrl?: string | null;
  timeoutMs?: number;
}

export interface CoinbaseReply {
  status: number;
  body: Json;
}

/** A non-2xx reply, thrown out of ccxt's error hook so that this client classifies it, not ccxt. */
class HttpStatus extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
    readonly text: string,
  ) {
    super(`HTTP ${status}`);
  }
}

/**
 * Advanced Trade REST through ccxt's `coinbase` class: ccxt signs each request (ES256 JWT for CDP
 * keys) and does the HTTP; we call its implicit endpoint methods (`v3PrivatePostBrokerageOrders`…)
 * with the documented request bodies, so the wire format is ours to choose and test. Errors are
 * classified here from the status and body, never from ccxt's message text; the key and secret
 * are scrubbed from every message.
 *
 * Sandbox: ccxt 4.5 has no sandbox URL for coinbase, and its `setSandboxMode(true)` does not throw
 * but blanks `urls.api`, so the sandbox host is set directly instead.
 */
export class CoinbaseClient {
  readonly baseUrl: string;
  // ES private: JSON.stringify, util.inspect and loggers never see the key or the ccxt instance holding it.
  readonly #o: CoinbaseClientOptions;
  readonly #secrets: string[];
  #exchange: Promise<{ ex: CcxtExchange; ccxt: CcxtModule }> | null = null;

  constructor(o: CoinbaseClientOptions) {
    if (!o.apiKey || !o.apiSecret) {
      throw new FfeError('config', 'COINBASE_KEY_MISSING', 'Coinbase needs a CDP API key: set COINBASE_API_KEY (key name) and COINBASE_API_SECRET (EC private key PEM)');
    }
    this.baseUrl = (o.baseUrl ?? (o.sandbox ? COINBASE_HOSTS.sandbox : COINBASE_HOSTS.live)).replace(/\/+$/, '');
    this.#o = o;
    this.#secrets = [o.apiKey, o.apiSecret];
  }

  private connect() {
    return (this.#exchange ??= createExchange('coinbase', { apiKey: this.#o.apiKey, secret: this.#o.apiSecret, timeoutMs: this.#o.timeoutMs ?? 10_000 }).then(({ ex, ccxt }) => {
      ex.urls.api = { ...ex.urls.api, rest: this.baseUrl };
      ex.handleErrors = (code: unknown, _reason: unknown, _url: unknown, _method: unknown, _headers: unknown, body: unknown, response: unknown) => {
        if (typeof code === 'number' && code >= 400) throw new HttpStatus(code, response && typeof response === 'object' ? (response as Json) : {}, String(body ?? ''));
        return undefined;
      };
      return { ex, ccxt };
    }));
  }

  clean(text: string): string {
    return redact(text, this.#secrets);
  }

  /**
   * Calls a ccxt implicit endpoint (`v3PrivateGetBrokerageAccounts`, …). 2xx, 400 and 404 come
   * back for the caller to read; auth failures, rate limits, 5xx and transport failures throw.
   */
  async call(endpoint: string, params: Json, what: string, mutating = false): Promise<CoinbaseReply> {
    const { ex, ccxt } = await this.connect();
    const unknown = mutating ? { outcome: 'unknown' as const } : {};
    const label = `Coinbase ${what}`;
    try {
      const fn = ex[endpoint] as (p: Json) => Promise<Json>;
      return { status: 200, body: await fn.call(ex, params) };
    } catch (e) {
      if (e instanceof HttpStatus) {
        // Scrubbed before the cut: a cut secret would no longer be recognised.
        const msg = this.clean(String(e.body.message ?? e.body.error_details ?? e.body.error ?? '')) || excerpt(this.clean(e.text)) || `HTTP ${e.status}`;
        if (e.status === 401 || e.status === 403) throw venueError('VENUE_AUTH', `${label} refused the credentials (HTTP ${e.status}): ${msg}; check COINBASE_API_KEY / COINBASE_API_SECRET`, { status: e.status });
        if (e.status === 429) throw venueError('VENUE_UNAVAILABLE', `${label}: rate limited (HTTP 429): ${msg}`, { status: 429, retryable: true, ...unknown });
        if (e.status >= 500) throw venueError('VENUE_UNAVAILABLE', `${label}: Coinbase is unavailable (HTTP ${e.status}): ${msg}`, { status: e.status, ...unknown });
        return { status: e.status, body: e.body };
      }
      if (!(e instanceof ccxt.BaseError)) {
        // Thrown while signing: the secret is not a usable EC private key.
        throw venueError('VENUE_AUTH', `${label}: cannot sign the request with COINBASE_API_SECRET (expected the CDP EC private key in PEM): ${excerpt(this.clean(e instanceof Error ? e.message : String(e)))}`);
      }
      // Transport and ccxt-classified failures: the one mapping every ccxt venue shares.
      throw ccxtFailure(e, ccxt, { label, mutating, secrets: this.#secrets, timeoutMs: this.#o.timeoutMs ?? 10_000, keyHint: 'COINBASE_API_KEY / COINBASE_API_SECRET', baseUrl: this.baseUrl });
    }
  }
}
