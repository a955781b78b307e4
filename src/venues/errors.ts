import { FfeError } from '../core/errors.js';

/**
 * Stable codes of venue failures. `VENUE_TIMEOUT` and `VENUE_UNAVAILABLE` from `placeOrder` /
 * `closePosition` mean the outcome is unknown (`details.outcome === 'unknown'`): the order may
 * exist, so callers settle it with `getOrderByClientId` instead of placing it again.
 */
export type VenueErrorCode =
  | 'VENUE_REJECTED'
  | 'VENUE_TIMEOUT'
  | 'VENUE_AUTH'
  | 'VENUE_UNAVAILABLE'
  | 'VENUE_UNSUPPORTED'
  | 'VENUE_BAD_RESPONSE'
  | 'INSUFFICIENT_FUNDS'
  | 'ORDER_NOT_FOUND'
  | 'ORDER_NOT_CANCELLABLE'
  | 'POSITION_NOT_FOUND'
  | 'PRICE_UNAVAILABLE';

export const venueError = (code: VenueErrorCode, message: string, details?: Record<string, unknown>) =>
  new FfeError('venue', code, message, details);

/** Removes every non-trivial secret from a text that may echo a request (error bodies, library messages). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length < 4) continue;
    out = out.split(s).join('***');
    // PEM keys also travel with escaped newlines inside JSON.
    if (s.includes('\n')) out = out.split(s.replace(/\n/g, '\\n')).join('***');
  }
  return out;
}

/** A short, single-line excerpt of a response body for error messages. */
export const excerpt = (text: string, max = 300): string => {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
};
