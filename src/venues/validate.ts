import { classifyPair, type PairInfo } from '../core/pair.js';
import { isFfeError } from '../core/errors.js';
import type { OrderRequest } from '../core/order.js';
import { D, isDecimalText, type Dec } from './decimal.js';
import { venueError } from './errors.js';
import type { VenueCapabilities } from './port.js';

export interface CheckedOrder {
  info: PairInfo;
  units: Dec;
  limitPrice: Dec | null;
  stopLoss: Dec | null;
  takeProfit: Dec | null;
}

const reject = (venue: string, reason: string, message: string) => venueError('VENUE_REJECTED', `${venue}: ${message}`, { reason });

function positive(venue: string, name: string, v: string | undefined): Dec | null {
  if (v === undefined) return null;
  if (!isDecimalText(v) || !new D(v).gt(0)) throw reject(venue, 'INVALID_PRICE', `${name} must be a positive decimal string (got ${JSON.stringify(v)})`);
  return new D(v);
}

/**
 * The checks every venue makes before sending an order, so a malformed request fails the same
 * way everywhere and never reaches the wire: shape errors are VENUE_REJECTED, things this venue
 * cannot do are VENUE_UNSUPPORTED.
 */
export function checkOrder(venue: string, caps: VenueCapabilities, req: OrderRequest): CheckedOrder {
  if (typeof req.clientOrderId !== 'string' || !/^[A-Za-z0-9._:-]{1,64}$/.test(req.clientOrderId)) {
    throw reject(venue, 'INVALID_CLIENT_ORDER_ID', `clientOrderId must be 1–64 letters, digits or . _ : - (got ${JSON.stringify(req.clientOrderId)})`);
  }
  let info: PairInfo;
  try {
    info = classifyPair(req.pair);
  } catch (e) {
    throw reject(venue, 'INVALID_PAIR', isFfeError(e) ? e.message : String(e));
  }
  if (req.side !== 'buy' && req.side !== 'sell') throw reject(venue, 'INVALID_SIDE', `side must be buy or sell (got ${JSON.stringify(req.side)})`);
  if (req.type !== 'market' && req.type !== 'limit') throw reject(venue, 'INVALID_TYPE', `type must be market or limit (got ${JSON.stringify(req.type)})`);
  if (!isDecimalText(req.units) || !new D(req.units).gt(0)) {
    throw reject(venue, 'INVALID_UNITS', `units must be a positive decimal string (got ${JSON.stringify(req.units)})`);
  }
  if (!caps.assetClasses.includes(info.assetClass)) {
    throw venueError('VENUE_UNSUPPORTED', `${venue} does not trade ${info.assetClass} (${info.symbol}); it trades ${caps.assetClasses.join(', ')}`, { reason: 'ASSET_CLASS' });
  }
  if (!caps[req.type]) throw venueError('VENUE_UNSUPPORTED', `${venue} does not support ${req.type} orders`, { reason: 'ORDER_TYPE' });
  const limitPrice = positive(venue, 'limitPrice', req.limitPrice);
  if (req.type === 'limit' && !limitPrice) throw reject(venue, 'INVALID_PRICE', 'a limit order needs limitPrice');
  const stopLoss = positive(venue, 'stopLossPrice', req.stopLossPrice);
  const takeProfit = positive(venue, 'takeProfitPrice', req.takeProfitPrice);
  if ((stopLoss || takeProfit) && !caps.attachedStops) {
    throw venueError('VENUE_UNSUPPORTED', `${venue} cannot attach a stop-loss or take-profit to an order; place the order without them and protect it separately`, {
      reason: 'ATTACHED_STOPS',
    });
  }
  return { info, units: new D(req.units), limitPrice: req.type === 'limit' ? limitPrice : null, stopLoss, takeProfit };
}

/** Protective prices must sit on the losing (stop) and winning (target) side of the entry reference. */
export function checkProtection(venue: string, side: 'buy' | 'sell', ref: Dec, stopLoss: Dec | null, takeProfit: Dec | null): void {
  const long = side === 'buy';
  if (stopLoss && (long ? stopLoss.gte(ref) : stopLoss.lte(ref))) {
    throw reject(venue, 'STOP_LOSS_INVALID', `stop-loss ${stopLoss.toFixed()} must be ${long ? 'below' : 'above'} the entry price ${ref.toFixed()} of a ${side}`);
  }
  if (takeProfit && (long ? takeProfit.lte(ref) : takeProfit.gte(ref))) {
    throw reject(venue, 'TAKE_PROFIT_INVALID', `take-profit ${takeProfit.toFixed()} must be ${long ? 'above' : 'below'} the entry price ${ref.toFixed()} of a ${side}`);
  }
}
