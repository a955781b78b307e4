import type { OrderSide, VenueOrder } from '../../core/order.js';
import { D, text, type Dec } from '../decimal.js';
import { limitTouched, slipped, triggeredExit } from '../ledger.js';
import { fillOrder, holdingOf, publicOrder, type FillContext } from './execution.js';
import type { PaperOrderRecord } from '../../store/port.js';

/**
 * One bar of `pair` against the book: resting limit orders it trades through fill at their limit
 * (or are cancelled when they may no longer fill), then a position whose stop-loss or take-profit
 * it reaches is closed, the stop first when it reaches both. Returns the orders filled.
 */
export async function applyBar(ctx: FillContext, pair: string, bar: { high: Dec; low: Dec; close: Dec }, slipRate: Dec): Promise<VenueOrder[]> {
  const { book, now } = ctx;
  const done: VenueOrder[] = [];
  for (const o of await book.openOrders(pair)) {
    const limit = new D(o.limitPrice!);
    if (!limitTouched(o.side, limit, bar.high, bar.low)) continue;
    const r = await fillOrder(ctx, o, limit, bar.close);
    if (r.ok) done.push(publicOrder(r.order));
    else await book.saveOrder({ ...o, status: 'cancelled', reason: r.reason, updatedAt: now });
  }
  const p = await book.position(pair);
  const h = holdingOf(p);
  if (p && h) {
    const stop = p.stopLossPrice ? new D(p.stopLossPrice) : null;
    const target = p.takeProfitPrice ? new D(p.takeProfitPrice) : null;
    const exit = triggeredExit(h, stop, target, bar.high, bar.low);
    if (exit) {
      const side: OrderSide = h.side === 'long' ? 'sell' : 'buy';
      // A stop becomes a market order and slips; a take-profit is a limit and fills at its price.
      const px = exit === 'stop' ? slipped(stop!, side, slipRate) : target!;
      const order: PaperOrderRecord = {
        venueOrderId: ctx.newId(),
        clientOrderId: `paper-${exit === 'stop' ? 'sl' : 'tp'}-${ctx.newId()}`,
        pair,
        side,
        type: exit === 'stop' ? 'market' : 'limit',
        units: text(h.units),
        filledUnits: '0',
        averagePrice: null,
        limitPrice: exit === 'target' ? text(target!) : null,
        status: 'open',
        createdAt: now,
        fees: '0',
        stopLossPrice: null,
        takeProfitPrice: null,
        reduceOnly: true,
        updatedAt: now,
        reason: exit === 'stop' ? 'stop-loss' : 'take-profit',
      };
      await book.saveOrder(order);
      const r = await fillOrder(ctx, order, px, bar.close);
      if (r.ok) done.push(publicOrder(r.order));
    }
  }
  await book.setMark(pair, text(bar.close));
  return done;
}
