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
 * The orders a decision turns into. A decision against an open position closes it (and no
 * more: the next decision may open the other way); otherwise it opens or adds
 * `suggestedSizeUnits` with its stop-loss and take-profit attached where the venue can.
 */
export function planLegs(d: Decision, positions: readonly Position[], caps: VenueCapabilities): PlannedLeg[] {
  if (d.action === 'HOLD') throw inputError('DECISION_HOLD', `decision ${d.id} is HOLD: there is nothing to execute`);
  const side: OrderSide = d.action === 'BUY' ? 'buy' : 'sell';
  const opposite = positions.filter((p) => p.pair === d.assetPair && p.side === (side === 'buy' ? 'short' : 'long'));
  if (opposite.length) {
    return opposite.map((p) => ({
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
  const units = unitsText(d.suggestedSizeUnits, d.assetClass);
  // The text of a number rounded down: positive exactly when its number is.
  if (!(Number(units) > 0)) {
    throw inputError('DECISION_SIZE_ZERO', `decision ${d.id} suggests ${d.suggestedSizeUnits} units of ${d.assetPair}, which rounds to nothing to trade`);
  }
  // Ten significant digits: finer than any tick, without float noise like 1.2250000000000001.
  const price = (p: number | null) => (p !== null && caps.attachedStops && Number.isFinite(p) && p > 0 ? significantText(p, 10) : null);
  return [{ key: 'open', kind: 'open', positionId: null, pair: d.assetPair, side, units, stopLossPrice: price(d.stopLossPrice), takeProfitPrice: price(d.takeProfitPrice) }];
}

/** The single trade the gate weighs for a set of legs (they share pair and side). */
export function combined(legs: readonly PlannedLeg[]): { pair: string; side: OrderSide; units: number } {
  return { pair: legs[0].pair, side: legs[0].side, units: legs.reduce((s, l) => s + Number(l.units), 0) };
}
