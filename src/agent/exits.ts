import type { Decision } from '../core/decision.js';
import { positionSize } from '../core/sizing.js';

/**
 * The agent's own stop-loss and take-profit distances (its --stop-loss / --take-profit)
 * replace the analysis defaults, and the size follows the stop so the risk per trade holds —
 * capped at `maxFraction` of equity so the trade fits the risk gate's concentration limit
 * instead of being refused for it.
 */
export function withExits(d: Decision, stopLoss: number, takeProfit: number, balance: number, maxFraction = 1): Decision {
  if (d.action === 'HOLD') return d;
  const dir = d.action === 'BUY' ? 1 : -1;
  const full = positionSize(balance, d.entryPrice, stopLoss, d.riskFraction);
  const cap = balance * maxFraction;
  const size = full.notional > cap ? { units: cap / d.entryPrice, notional: cap } : full;
  return {
    ...d,
    stopLossFraction: stopLoss,
    takeProfitFraction: takeProfit,
    stopLossPrice: d.entryPrice * (1 - dir * stopLoss),
    takeProfitPrice: d.entryPrice * (1 + dir * takeProfit),
    suggestedSizeUnits: size.units,
    suggestedSizeQuote: size.notional,
  };
}
