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

export const venueError = (code: VenueErrorCode, message: string, details?: Record<string, unknown>) => new FfeError('venue', code, message, details);

// Error bodies and library messages may echo a request: the one redaction module handles them
// (plain, URL-encoded and JSON-escaped forms, e.g. PEM keys inside JSON).
export { excerpt, redact } from '../core/redact.js';
