import type { OrderSide, VenueOrder } from '../../core/order.js';
import { D, text, type Dec } from '../decimal.js';
import { EXIT_NONE, EXIT_STOP, intrabarExit, limitFillPrice, type ExitHit } from '../../core/fill-rule.js';
import { slipped } from '../ledger.js';
import type { MarketFill } from './bar-memory.js';
import { fillOrder, holdingOf, publicOrder, type FillContext } from './execution.js';
import type { PaperBook, PaperOrderRecord, PaperPositionRecord } from '../../store/port.js';

const num = (x: Dec | null): number => (x === null ? Number.NaN : x.toNumber());

/**
 * One bar of `pair` against the book under core's intrabar fill rule (the backtest simulator's
 * too): resting limit orders it trades through fill at their limit (at the open when it opened
 * beyond), or are cancelled when they may no longer fill; then a position whose stop-loss or
 * take-profit it reaches is closed — the stop first when it reaches both, at the open when the
 * bar gapped through either. A market order's remainder carried under the participation limit
 * fills again at the open (`marketFill` against this bar: limited again, with impact). Returns
 * the orders filled.
 */
export async function applyBar(ctx: FillContext, pair: string, bar: { open: Dec | null; high: Dec; low: Dec; close: Dec }, marketFill: (want: Dec, split: boolean) => MarketFill): Promise<VenueOrder[]> {
  const { book, now } = ctx;
  const done: VenueOrder[] = [];
  const open = num(bar.open);
  const high = bar.high.toNumber();
  const low = bar.low.toNumber();
  for (const o of await book.openOrders(pair)) {
    if (o.type === 'market') {
      const carried = await fillCarried(ctx, o, bar, marketFill);
      if (carried) done.push(carried);
      continue;
    }
    const limit = new D(o.limitPrice!);
    const px = limitFillPrice(o.side, limit.toNumber(), open, high, low);
    if (px === null) continue;
    const r = await fillOrder(ctx, o, px === limit.toNumber() || bar.open === null ? limit : bar.open, bar.close);
    if (r.ok) done.push(publicOrder(r.order));
    else await book.saveOrder({ ...o, status: 'cancelled', reason: r.reason, updatedAt: now });
  }
  const held = exitOn(await book.position(pair), open, high, low);
  if (held) {
    const { h, stop, target, hit } = held;
    const exit = hit.kind === EXIT_NONE ? null : hit.kind === EXIT_STOP ? 'stop' : 'target';
    if (exit) {
      const level = exit === 'stop' ? stop! : target!;
      // The level, or the open when the bar gapped through it (exact decimals either way).
      const at = hit.price === level.toNumber() || bar.open === null ? level : bar.open;
      const side: OrderSide = h.side === 'long' ? 'sell' : 'buy';
      // A stop becomes a market order and slips; a take-profit is a limit and fills at its price (or the better open).
      // Exits are never split (as the backtest's); the stop pays impact on its whole size.
      const px = exit === 'stop' ? slipped(at, side, marketFill(h.units, false).rate) : at;
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

/** A position's holding, its protection levels, and the exit a bar (open, high, low as numbers) reaches on it; null without a position. */
function exitOn(p: PaperPositionRecord | null, open: number, high: number, low: number) {
  const h = holdingOf(p);
  if (!p || !h) return null;
  const stop = p.stopLossPrice ? new D(p.stopLossPrice) : null;
  const target = p.takeProfitPrice ? new D(p.takeProfitPrice) : null;
  const hit: ExitHit = intrabarExit(h.side === 'long', open, high, low, num(stop), num(target), { kind: EXIT_NONE, price: 0 });
  return { h, stop, target, hit };
}

/**
 * Whether `applyBar` would do nothing with this bar of `pair` but set its mark: no resting order
 * in `pair` (a carried market order or a limit), and no position, or one whose stop and target
 * the bar does not reach. Read on the same book state the bar would be applied to.
 */
export async function quietBar(book: PaperBook, pair: string, bar: { open: Dec | null; high: Dec; low: Dec }): Promise<boolean> {
  if ((await book.openOrders(pair)).length > 0) return false;
  const held = exitOn(await book.position(pair), num(bar.open), bar.high.toNumber(), bar.low.toNumber());
  return held === null || held.hit.kind === EXIT_NONE;
}

/** The remainder of a market order cut by the participation limit, filled at the bar's open (its close when unknown); a refused fill cancels it. */
async function fillCarried(ctx: FillContext, o: PaperOrderRecord, bar: { open: Dec | null; close: Dec }, marketFill: (want: Dec, split: boolean) => MarketFill): Promise<VenueOrder | null> {
  const f = marketFill(new D(o.units).sub(o.filledUnits), true);
  if (f.units.isZero()) return null;
  const r = await fillOrder(ctx, o, slipped(bar.open ?? bar.close, o.side, f.rate), bar.close, f.units);
  if (r.ok) return publicOrder(r.order);
  await ctx.book.saveOrder({ ...o, status: 'cancelled', reason: r.reason, updatedAt: ctx.now });
  return null;
}
