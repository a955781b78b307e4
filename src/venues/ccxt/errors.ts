import { excerpt, redact, venueError, type VenueErrorCode } from '../errors.js';
import type { FfeError } from '../../core/errors.js';
import type { CcxtModule } from './loader.js';

export interface FailureContext {
  /** e.g. `Kraken order ct-1`. */
  label: string;
  /** The call may have changed state (place, cancel): transport failures leave the outcome unknown. */
  mutating: boolean;
  secrets: readonly string[];
  timeoutMs: number;
  /** Names the settings to check when credentials are refused (e.g. `KRAKEN_API_KEY / KRAKEN_API_SECRET`). */
  keyHint: string;
  baseUrl: string;
  codes?: ExchangeCodes;
}

/** Venue error codes by the exchange's own error code, as it appears in the reply ccxt quotes (`"code":-2015`). */
export type ExchangeCodes = { pattern: RegExp; code: VenueErrorCode }[];

/**
 * One mapping of ccxt's error classes to our venue errors, for every ccxt exchange. ccxt has
 * already classified the exchange's own error codes (Kraken `EOrder:Insufficient funds`, Binance
 * `-2011`…) into its hierarchy; this reads only the class, never the message wording. Secrets are
 * scrubbed before the message is cut short (a cut secret would no longer be recognised).
 */
export function ccxtFailure(e: unknown, ccxt: CcxtModule, c: FailureContext): FfeError {
  const text = excerpt(redact(e instanceof Error ? e.message : String(e), c.secrets));
  const unknown = c.mutating ? { outcome: 'unknown' as const } : {};
  const is = (k: keyof CcxtModule) => e instanceof (ccxt[k] as new () => Error);
  const raw = e instanceof Error ? e.message : String(e);
  const own = is('BaseError') ? c.codes?.find((x) => x.pattern.test(raw)) : undefined;
  if (own?.code === 'VENUE_AUTH') return venueError('VENUE_AUTH', `${c.label}: credentials refused: ${text}; check ${c.keyHint}`);
  if (own) return venueError(own.code, `${c.label} refused: ${text}`, { reason: own.code });
  if (is('RequestTimeout')) return venueError('VENUE_TIMEOUT', `${c.label}: no answer within ${c.timeoutMs} ms`, unknown);
  if (is('OrderNotFound')) return venueError('ORDER_NOT_FOUND', `${c.label}: ${text}`);
  if (is('InsufficientFunds')) return venueError('INSUFFICIENT_FUNDS', `${c.label} refused: ${text}`, { reason: 'INSUFFICIENT_FUNDS' });
  if (is('AuthenticationError') || is('PermissionDenied') || is('AccountSuspended')) return venueError('VENUE_AUTH', `${c.label}: credentials refused: ${text}; check ${c.keyHint}`);
  if (is('RateLimitExceeded') || is('DDoSProtection')) return venueError('VENUE_UNAVAILABLE', `${c.label}: rate limited: ${text}`, { retryable: true, ...unknown });
  if (is('NetworkError')) {
    // A refused connection never reached the venue: nothing can have happened.
    const refused = /ECONNREFUSED|ConnectionRefused/.test(text);
    return venueError('VENUE_UNAVAILABLE', `${c.label}: cannot reach ${redact(c.baseUrl, c.secrets)} or it is unavailable: ${text}`, refused ? {} : unknown);
  }
  if (is('InvalidOrder') || is('BadSymbol')) return venueError('VENUE_REJECTED', `${c.label} refused: ${text}`, { reason: 'INVALID_ORDER' });
  if (is('ExchangeError')) return venueError('VENUE_REJECTED', `${c.label} refused: ${text}`, { reason: 'EXCHANGE_ERROR' });
  // Thrown while signing (a secret that is not valid base64 / not a key) or while parsing.
  if (!is('BaseError')) return venueError('VENUE_AUTH', `${c.label}: cannot sign or read the request: ${text}; check ${c.keyHint}`);
  return venueError('VENUE_BAD_RESPONSE', `${c.label}: ${text}`, unknown);
}
