import type { VenueOrder } from '../../core/order.js';
import { D, text, type Dec } from '../decimal.js';
import { applyFill, feeOf, figures, openingUnits, sideOf, type Holding } from '../ledger.js';
import type { PaperBook, PaperOrderRecord, PaperPositionRecord } from '../../store/port.js';

/** What a fill needs to know beyond the book (everything it reads is already at hand: it runs inside one transaction). */
export interface FillContext {
  book: PaperBook;
  now: number;
  feeRate: Dec;
  currency: string;
  /** Current marks of other pairs, for the funds check; missing ones fall back to the stored mark, then entry. */
  marks: ReadonlyMap<string, Dec>;
  shortAllowed(pair: string): boolean;
  newId(): string;
}

export type FillOutcome = { ok: true; order: PaperOrderRecord } | { ok: false; code: 'INSUFFICIENT_FUNDS' | 'SHORT_NOT_ALLOWED' | 'REDUCE_ONLY'; reason: string };

export const holdingOf = (p: PaperPositionRecord | null): Holding | null => (p ? { side: p.side, units: new D(p.units), entryPrice: new D(p.entryPrice) } : null);

const markOf = (p: PaperPositionRecord, marks: ReadonlyMap<string, Dec>): Dec => marks.get(p.pair) ?? new D(p.markPrice ?? p.entryPrice);

/** Notional that resting orders would open, which the funds check holds back. */
export async function reservedNotional(book: PaperBook, except?: string): Promise<Dec> {
  let sum = new D(0);
  // Read the positions once, and only when an order needs them.
  let positions: Map<string, PaperPositionRecord> | null = null;
  for (const o of await book.openOrders()) {
    if (o.venueOrderId === except || o.reduceOnly || !o.limitPrice) continue;
    positions ??= new Map((await book.positions()).map((p) => [p.pair, p]));
    const open = openingUnits(holdingOf(positions.get(o.pair) ?? null), o.side, new D(o.units).sub(o.filledUnits));
    sum = sum.add(open.mul(o.limitPrice));
  }
  return sum;
}

/** Account figures with `pair` replaced by a hypothetical holding (for "after this fill" checks). */
export async function accountFigures(book: PaperBook, marks: ReadonlyMap<string, Dec>, cash: Dec, reserved: Dec, override?: { pair: string; holding: Holding | null; mark: Dec }) {
  const rows = (await book.positions()).filter((p) => p.pair !== override?.pair).map((p) => ({ holding: holdingOf(p)!, mark: markOf(p, marks) }));
  if (override?.holding) rows.push({ holding: override.holding, mark: override.mark });
  return figures(cash, rows, reserved);
}

/**
 * Fills `units` of what remains of `order` (all of it by default; fewer under the fill model's
 * participation limit) at `price` and books it: fee, realised P&L into cash, the netted position
 * (with any attached stop-loss / take-profit), the fill and the order (partially_filled until its
 * last units fill, at the average price of its fills). Refuses (writing nothing) when the fill
 * would break a rule; reducing exposure is always allowed.
 */
export async function fillOrder(ctx: FillContext, order: PaperOrderRecord, price: Dec, mark: Dec, units: Dec = new D(order.units).sub(order.filledUnits)): Promise<FillOutcome> {
  const { book } = ctx;
  const before = await book.position(order.pair);
  const holding = holdingOf(before);
  if (order.reduceOnly && (!holding || holding.side === sideOf(order.side) || units.gt(holding.units))) {
    const has = holding ? `${holding.side} ${holding.units.toFixed()}` : 'no position';
    return { ok: false, code: 'REDUCE_ONLY', reason: `reduce-only ${order.side} of ${units.toFixed()} ${order.pair} would not only reduce (${has})` };
  }
  const effect = applyFill(holding, order.side, units, price);
  if (effect.after?.side === 'short' && effect.openedUnits.gt(0) && !ctx.shortAllowed(order.pair)) {
    return { ok: false, code: 'SHORT_NOT_ALLOWED', reason: `short selling ${order.pair} is not allowed on this paper account` };
  }
  const fee = feeOf(units, price, ctx.feeRate);
  const realized = effect.grossPnl.sub(fee);
  const cashBefore = new D((await book.account()).cash);
  const cash = cashBefore.add(realized);
  if (effect.openedUnits.gt(0)) {
    const after = await accountFigures(book, ctx.marks, cash, await reservedNotional(book, order.venueOrderId), { pair: order.pair, holding: effect.after, mark });
    if (after.equity.sub(after.used).sub(after.reserved).lt(0)) {
      const need = effect.openedUnits.mul(price).add(fee);
      const avail = (await accountFigures(book, ctx.marks, cashBefore, after.reserved)).available;
      return { ok: false, code: 'INSUFFICIENT_FUNDS', reason: `needs ${text(need)} ${ctx.currency}, ${text(avail)} available` };
    }
  }

  await book.setCash(text(cash));
  await book.savePosition(order.pair, positionAfter(before, effect.after, order, ctx.now));
  await book.setMark(order.pair, text(mark));
  await book.addFill({
    fillId: ctx.newId(),
    venueOrderId: order.venueOrderId,
    clientOrderId: order.clientOrderId,
    pair: order.pair,
    side: order.side,
    units: text(units),
    price: text(price),
    fee: text(fee),
    feeCurrency: ctx.currency,
    timestamp: ctx.now,
    realizedPnl: text(realized),
  });
  const filledBefore = new D(order.filledUnits);
  const filledUnits = filledBefore.add(units);
  const average = order.averagePrice === null || filledBefore.isZero() ? price : new D(order.averagePrice).mul(filledBefore).add(price.mul(units)).div(filledUnits);
  const filled: PaperOrderRecord = {
    ...order,
    filledUnits: text(filledUnits),
    averagePrice: text(average),
    fees: text(new D(order.fees).add(fee)),
    status: filledUnits.gte(order.units) ? 'filled' : 'partially_filled',
    updatedAt: ctx.now,
  };
  await book.saveOrder(filled);
  return { ok: true, order: filled };
}

function positionAfter(before: PaperPositionRecord | null, after: Holding | null, order: PaperOrderRecord, now: number): PaperPositionRecord | null {
  if (!after) return null;
  const continues = before !== null && before.side === after.side;
  const opensOrAdds = after.side === sideOf(order.side);
  return {
    pair: order.pair,
    side: after.side,
    units: text(after.units),
    entryPrice: text(after.entryPrice),
    openedAt: continues ? before.openedAt : now,
    // The newest protective prices given with an entry apply to the whole position.
    stopLossPrice: opensOrAdds && order.stopLossPrice ? order.stopLossPrice : continues ? before.stopLossPrice : null,
    takeProfitPrice: opensOrAdds && order.takeProfitPrice ? order.takeProfitPrice : continues ? before.takeProfitPrice : null,
    markPrice: null,
  };
}

/** Would `order`, resting at its limit, be refused if it filled now? Writes nothing. */
export async function restingRefusal(ctx: FillContext, order: PaperOrderRecord): Promise<Extract<FillOutcome, { ok: false }> | null> {
  const { book } = ctx;
  const limit = new D(order.limitPrice!);
  const units = new D(order.units);
  const holding = holdingOf(await book.position(order.pair));
  const effect = applyFill(holding, order.side, units, limit);
  if (order.reduceOnly && (!holding || effect.openedUnits.gt(0))) {
    return { ok: false, code: 'REDUCE_ONLY', reason: `reduce-only ${order.side} of ${units.toFixed()} ${order.pair} would not only reduce the position` };
  }
  if (effect.openedUnits.isZero()) return null;
  if (effect.after?.side === 'short' && !ctx.shortAllowed(order.pair)) {
    return { ok: false, code: 'SHORT_NOT_ALLOWED', reason: `short selling ${order.pair} is not allowed on this paper account` };
  }
  const f = await accountFigures(book, ctx.marks, new D((await book.account()).cash), await reservedNotional(book, order.venueOrderId));
  const need = effect.openedUnits.mul(limit).add(feeOf(units, limit, ctx.feeRate));
  return f.available.lt(need) ? { ok: false, code: 'INSUFFICIENT_FUNDS', reason: `needs ${text(need)} ${ctx.currency}, ${text(f.available)} available` } : null;
}

export function publicOrder(o: PaperOrderRecord): VenueOrder {
  const { stopLossPrice: _s, takeProfitPrice: _t, reduceOnly: _r, updatedAt: _u, ...rest } = o;
  return rest;
}
