import type { VenueOrder } from '../core/order.js';
import type { IntentUpdate, OrderIntent } from './intents.js';

/** Reasons that prove the venue never saw the order; only such attempts may be made again. */
export const NOT_SENT = 'NOT_SENT';
export const NOT_RECEIVED = 'NOT_RECEIVED';
export const neverReachedVenue = (i: OrderIntent): boolean => i.state === 'REJECTED' && !!i.reason && (i.reason.startsWith(NOT_SENT) || i.reason.startsWith(NOT_RECEIVED));

/** The venue has not told us the outcome yet: trading waits for it. */
export const isPending = (i: Pick<OrderIntent, 'state'>): boolean => i.state === 'INTENT' || i.state === 'SUBMITTING' || i.state === 'UNKNOWN';

/** Journal update that records what the venue says about an order. */
export function updateFromOrder(o: VenueOrder): IntentUpdate {
  const common = { venueOrderId: o.venueOrderId, filledUnits: o.filledUnits, averagePrice: o.averagePrice, fees: o.fees };
  switch (o.status) {
    case 'filled':
      return { state: 'FILLED', ...common, reason: null };
    case 'open':
    case 'partially_filled':
      return { state: 'ACCEPTED', ...common, reason: null };
    case 'rejected':
      return { state: 'REJECTED', ...common, reason: `VENUE_REJECTED: ${o.reason ?? 'no reason given'}` };
    default:
      // A cancelled or expired order is final; what filled before it ended stays filled.
      return Number(o.filledUnits) > 0 ? { state: 'FILLED', ...common, reason: `${o.status.toUpperCase()} after a partial fill` } : { state: 'REJECTED', ...common, reason: o.status.toUpperCase() };
  }
}
