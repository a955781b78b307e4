import type { Fill, OrderStatus, VenueOrder } from '../../core/order.js';
import { classifyPair } from '../../core/pair.js';
import { D, text } from '../decimal.js';
import { parseTime, str, type Json } from '../wire.js';

/** BTCUSD → BTC-USD. */
export const toProductId = (pair: string): string => {
  const p = classifyPair(pair);
  return `${p.base}-${p.quote}`;
};
/** BTC-USD → BTCUSD. */
export const fromProductId = (id: string): string => id.replace(/-/g, '');

const STATUS: Record<string, OrderStatus> = {
  PENDING: 'open',
  QUEUED: 'open',
  OPEN: 'open',
  CANCEL_QUEUED: 'open',
  FILLED: 'filled',
  CANCELLED: 'cancelled',
  EXPIRED: 'expired',
  FAILED: 'rejected',
};

/** Statuses after which nothing more happens to an order. */
export const FINAL = new Set(['FILLED', 'CANCELLED', 'EXPIRED', 'FAILED']);

export function toVenueOrder(o: Json): VenueOrder {
  const cfg = (o.order_configuration ?? {}) as Record<string, Json>;
  const inner = Object.values(cfg)[0] ?? {};
  const filled = str(o.filled_size) || '0';
  const hasFill = !new D(filled).isZero();
  let status = STATUS[str(o.status)] ?? 'open';
  if (status === 'open' && hasFill) status = 'partially_filled';
  const reason = str(o.reject_reason) || str(o.reject_message) || (status === 'cancelled' ? str(o.cancel_message) : '');
  return {
    venueOrderId: str(o.order_id),
    clientOrderId: str(o.client_order_id),
    pair: fromProductId(str(o.product_id)),
    side: str(o.side) === 'SELL' ? 'sell' : 'buy',
    type: str(o.order_type) === 'LIMIT' ? 'limit' : 'market',
    units: str(inner.base_size) || filled,
    filledUnits: text(new D(filled)),
    averagePrice: hasFill ? str(o.average_filled_price) : null,
    limitPrice: str(inner.limit_price) || null,
    status,
    createdAt: parseTime(o.created_time),
    fees: text(new D(str(o.total_fees) || '0')),
    ...(reason ? { reason } : {}),
  };
}

export function toFill(f: Json, clientOrderId: string): Fill {
  const price = str(f.price);
  // size_in_quote: the size is a quote amount (market buys by funds).
  const units = f.size_in_quote === true ? text(new D(str(f.size)).div(price)) : str(f.size);
  return {
    fillId: str(f.entry_id || f.trade_id),
    venueOrderId: str(f.order_id),
    clientOrderId,
    pair: fromProductId(str(f.product_id)),
    side: str(f.side) === 'SELL' ? 'sell' : 'buy',
    units,
    price,
    fee: str(f.commission) || '0',
    feeCurrency: str(f.product_id).split('-')[1] ?? '',
    timestamp: parseTime(f.trade_time),
  };
}
