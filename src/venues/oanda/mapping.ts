import type { Fill, OrderStatus, VenueOrder } from '../../core/order.js';
import { classifyPair } from '../../core/pair.js';
import { D, text } from '../decimal.js';
import { parseTime, str, type Json } from '../wire.js';

/** EURUSD → EUR_USD. */
export const toInstrument = (pair: string): string => {
  const p = classifyPair(pair);
  return `${p.base}_${p.quote}`;
};
/** EUR_USD → EURUSD. */
export const fromInstrument = (instrument: string): string => instrument.replace(/_/g, '');

const abs = (v: unknown): string => text(new D(str(v) || '0').abs());

const STATUS: Record<string, OrderStatus> = { PENDING: 'open', FILLED: 'filled', TRIGGERED: 'filled', CANCELLED: 'cancelled' };

/**
 * A VenueOrder from the v20 pieces that describe it: the order (or its create transaction), its
 * fill transaction when it filled, its cancel transaction when it was cancelled.
 */
export function toVenueOrder(o: Json, fill?: Json | null, cancel?: Json | null): VenueOrder {
  const units = str(o.units);
  const type = String(o.type ?? '').replace(/_ORDER$/, '');
  const status: OrderStatus = fill ? 'filled' : cancel ? 'cancelled' : (STATUS[str(o.state)] ?? 'open');
  const reason = str(cancel?.reason);
  return {
    venueOrderId: str(o.id),
    clientOrderId: str((o.clientExtensions as Json | undefined)?.id),
    pair: fromInstrument(str(o.instrument)),
    side: units.startsWith('-') ? 'sell' : 'buy',
    type: type === 'LIMIT' ? 'limit' : 'market',
    units: abs(units),
    filledUnits: fill ? abs(fill.units) : status === 'filled' ? abs(units) : '0',
    averagePrice: fill ? str(fill.fullVWAP ?? fill.price) : null,
    limitPrice: type === 'LIMIT' ? str(o.price) : null,
    status,
    createdAt: parseTime(o.createTime ?? o.time),
    fees: fill ? abs(fill.commission) : '0',
    ...(reason ? { reason } : {}),
  };
}

export function toFill(t: Json, currency: string): Fill {
  const units = str(t.units);
  return {
    fillId: str(t.id),
    venueOrderId: str(t.orderID),
    clientOrderId: str(t.clientOrderID),
    pair: fromInstrument(str(t.instrument)),
    side: units.startsWith('-') ? 'sell' : 'buy',
    units: abs(units),
    price: str(t.fullVWAP ?? t.price),
    fee: abs(t.commission),
    feeCurrency: currency,
    timestamp: parseTime(t.time),
    ...(EXIT_REASONS[str(t.reason)] ? { exit: EXIT_REASONS[str(t.reason)] } : {}),
  };
}

/** ORDER_FILL reasons of a trade's dependent orders. */
const EXIT_REASONS: Record<string, Fill['exit']> = { STOP_LOSS_ORDER: 'stop-loss', GUARANTEED_STOP_LOSS_ORDER: 'stop-loss', TRAILING_STOP_LOSS_ORDER: 'stop-loss', TAKE_PROFIT_ORDER: 'take-profit' };
