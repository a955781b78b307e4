import type { PositionSide } from './order.js';

/**
 * How a position ended — one list for the monitor, the feedback loop and the backtests, each
 * decided from the records (our orders, the venue's exit ids), never guessed from P&L. `end`: a
 * backtest closed what was still open when its data ran out.
 */
export type ExitReason = 'take_profit' | 'stop_loss' | 'signal' | 'manual' | 'kill_switch' | 'liquidation' | 'time_exit' | 'end' | 'unknown';

/** Realised P&L of `units` (unsigned) held on `side` from `entry` to `exit`, after `fees` (both fills). */
export const tradePnl = (side: PositionSide, units: number, entry: number, exit: number, fees: number): number => (side === 'long' ? 1 : -1) * (exit - entry) * units - fees;

export interface ClosedTradeFacts {
  side: PositionSide;
  /** Unsigned. */
  units: number;
  entryPrice: number;
  exitPrice: number;
  openedAt: number;
  closedAt: number;
  /** Both fills'. */
  fees: number;
}

export interface ClosedTradeFigures {
  pnl: number;
  /** pnl / entry notional (0 without a notional). */
  returnFraction: number;
  holdingMs: number;
}

/** The one closed-trade builder: the monitor's trade record, the learned outcome and the backtest's trade all take their figures here. */
export function closedTradeFigures(t: ClosedTradeFacts): ClosedTradeFigures {
  const pnl = tradePnl(t.side, t.units, t.entryPrice, t.exitPrice, t.fees);
  const notional = t.entryPrice * t.units;
  return { pnl, returnFraction: notional > 0 ? pnl / notional : 0, holdingMs: Math.max(0, t.closedAt - t.openedAt) };
}
