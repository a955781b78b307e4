import type { Decision } from '../core/decision.js';
import { inputError } from '../core/errors.js';
import type { OrderSide, Position } from '../core/order.js';
import type { VenueCapabilities } from '../venues/port.js';
import type { LegKind } from './intents.js';
import { unitDecimals } from '../core/policy.js';
import { significantText, truncatedText } from './decimal-round.js';

export interface PlannedLeg {
  /** Stable name inside the decision (`open`, `close:<position id>`): part of the client order id. */
  key: string;
  kind: LegKind;
  positionId: string | null;
  pair: string;
  side: OrderSide;
  units: string;
  stopLossPrice: string | null;
  takeProfitPrice: string | null;
}

/** Forex trades in whole units of the base currency; coins and shares to 8 decimals. */
const unitsText = (units: number, assetClass: Decision['assetClass']): string => truncatedText(units, unitDecimals(assetClass));

/**
 * The trade a decision makes against the open positions, before its legs are written out: the
 * positions it closes (a decision against an open position closes it, and no more: the next
 * decision may open the other way), or the units it opens. What the gate weighs comes from this
 * alone; the stop and target texts wait for `planLegs` (a backtest's gate refuses most entries).
 */
export interface PlannedTrade {
  decision: Decision;
  side: OrderSide;
  /** Positions the decision closes; empty when it opens or adds. */
  closes: readonly Position[];
  /** Units an opening order asks for, as its text; '' when it closes. */
  units: string;
}

export function planTrade(d: Decision, positions: readonly Position[]): PlannedTrade {
  if (d.action === 'HOLD') throw inputError('DECISION_HOLD', `decision ${d.id} is HOLD: there is nothing to execute`);
  const side: OrderSide = d.action === 'BUY' ? 'buy' : 'sell';
  const closes = positions.filter((p) => p.pair === d.assetPair && p.side === (side === 'buy' ? 'short' : 'long'));
  if (closes.length) return { decision: d, side, closes, units: '' };
  const units = unitsText(d.suggestedSizeUnits, d.assetClass);
  // The text of a number rounded down: positive exactly when its number is.
  if (!(Number(units) > 0)) {
    throw inputError('DECISION_SIZE_ZERO', `decision ${d.id} suggests ${d.suggestedSizeUnits} units of ${d.assetPair}, which rounds to nothing to trade`);
  }
  return { decision: d, side, closes, units };
}

/** The single trade the gate weighs (the legs share pair and side). */
export function gatedTrade(t: PlannedTrade): { pair: string; side: OrderSide; units: number } {
  const units = t.closes.length ? t.closes.reduce((s, p) => s + Number(p.units), 0) : Number(t.units);
  return { pair: t.closes.length ? t.closes[0].pair : t.decision.assetPair, side: t.side, units };
}

/**
 * The orders a decision turns into: a close per position it closes, or one order that opens or
 * adds `suggestedSizeUnits` with its stop-loss and take-profit attached where the venue can.
 */
export function planLegs(t: PlannedTrade, caps: VenueCapabilities): PlannedLeg[] {
  const { decision: d, side } = t;
  if (t.closes.length) {
    return t.closes.map((p) => ({
      key: `close:${p.id}`,
      kind: 'close',
      positionId: p.id,
      pair: p.pair,
      side,
      units: p.units,
      stopLossPrice: null,
      takeProfitPrice: null,
    }));
  }
  // Ten significant digits: finer than any tick, without float noise like 1.2250000000000001.
  const price = (p: number | null) => (p !== null && caps.attachedStops && Number.isFinite(p) && p > 0 ? significantText(p, 10) : null);
  return [{ key: 'open', kind: 'open', positionId: null, pair: d.assetPair, side, units: t.units, stopLossPrice: price(d.stopLossPrice), takeProfitPrice: price(d.takeProfitPrice) }];
}
