import type { OrderSide, PositionSide } from '../core/order.js';
import { D, type Dec } from './decimal.js';

/**
 * Pure position and money rules: netting of fills, P&L, account figures. The paper account is a
 * 1× margin account (cash moves only by realised P&L and fees, so equity = cash + unrealised P&L
 * at mark, as on Oanda); Coinbase reuses the netting for the cost basis of spot holdings.
 */
export interface Holding {
  side: PositionSide;
  units: Dec;
  entryPrice: Dec;
}

export interface FillEffect {
  /** The position after the fill; null when it leaves the pair flat. */
  after: Holding | null;
  /** Units that reduced an opposite position. */
  closedUnits: Dec;
  /** Units that opened or added to a position on the fill's side. */
  openedUnits: Dec;
  /** P&L of the closed units at the fill price, before fees. */
  grossPnl: Dec;
}

export const sideOf = (s: OrderSide): PositionSide => (s === 'buy' ? 'long' : 'short');

/** Slippage always works against the trader: buys pay more, sells receive less. */
export const slipped = (ref: Dec, side: OrderSide, rate: Dec): Dec => (side === 'buy' ? ref.mul(rate.add(1)) : ref.mul(new D(1).sub(rate)));

export const feeOf = (units: Dec, price: Dec, rate: Dec): Dec => units.mul(price).mul(rate);

export function unrealized(h: Holding, mark: Dec): Dec {
  const diff = mark.sub(h.entryPrice).mul(h.units);
  return h.side === 'long' ? diff : diff.neg();
}

/** Netting: a fill adds to a same-side position (volume-weighted entry) or reduces, closes or flips an opposite one. */
export function applyFill(before: Holding | null, side: OrderSide, units: Dec, price: Dec): FillEffect {
  const fillSide = sideOf(side);
  const zero = new D(0);
  if (!before || before.side === fillSide) {
    if (!before) return { after: { side: fillSide, units, entryPrice: price }, closedUnits: zero, openedUnits: units, grossPnl: zero };
    const total = before.units.add(units);
    const entry = before.units.mul(before.entryPrice).add(units.mul(price)).div(total);
    return { after: { side: fillSide, units: total, entryPrice: entry }, closedUnits: zero, openedUnits: units, grossPnl: zero };
  }
  const closed = D.min(units, before.units);
  const grossPnl = unrealized({ ...before, units: closed }, price);
  const remaining = before.units.sub(closed);
  const opened = units.sub(closed);
  let after: Holding | null = null;
  if (remaining.gt(0)) after = { ...before, units: remaining };
  else if (opened.gt(0)) after = { side: fillSide, units: opened, entryPrice: price };
  return { after, closedUnits: closed, openedUnits: opened, grossPnl };
}

/** Units of a fill that would open or add exposure (the rest only reduces an opposite position). */
export function openingUnits(before: Holding | null, side: OrderSide, units: Dec): Dec {
  if (!before || before.side === sideOf(side)) return units;
  return D.max(units.sub(before.units), 0);
}

export interface AccountFigures {
  cash: Dec;
  unrealized: Dec;
  equity: Dec;
  /** Notional at entry of open positions: with 1× margin, capital they tie up. */
  used: Dec;
  /** Notional of resting orders that would open exposure. */
  reserved: Dec;
  available: Dec;
}

export function figures(cash: Dec, positions: { holding: Holding; mark: Dec }[], reserved: Dec): AccountFigures {
  let unreal = new D(0);
  let used = new D(0);
  for (const p of positions) {
    unreal = unreal.add(unrealized(p.holding, p.mark));
    used = used.add(p.holding.units.mul(p.holding.entryPrice));
  }
  const equity = cash.add(unreal);
  return { cash, unrealized: unreal, equity, used, reserved, available: D.max(equity.sub(used).sub(reserved), 0) };
}

// Stop, target and limit triggers inside a bar are core's one fill rule (core/fill-rule.ts).
