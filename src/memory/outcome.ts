import type { Decision } from '../core/decision.js';
import type { MarketRegime } from '../core/market-analysis.js';
import { closedTradeFigures } from '../core/trade.js';
import { votesOf } from './votes.js';
import type { ProviderVote, TradeOutcome } from './types.js';

/** What the monitor knows about a finished trade: the outcome's facts before P&L is derived. */
export type ClosedTrade = Pick<TradeOutcome, 'tradeId' | 'decisionId' | 'pair' | 'side' | 'units' | 'entryPrice' | 'exitPrice' | 'openedAt' | 'closedAt' | 'fees' | 'exitReason'> & {
  stopLossPrice: number | null;
};

export function buildOutcome(id: string, t: ClosedTrade, decision: Decision | null): TradeOutcome {
  const { pnl, returnFraction, holdingMs } = closedTradeFigures(t);
  const stop = t.stopLossPrice ?? decision?.stopLossPrice ?? null;
  const risk = stop === null ? 0 : Math.abs(t.entryPrice - stop) * t.units;
  return {
    id,
    tradeId: t.tradeId,
    decisionId: t.decisionId,
    pair: t.pair,
    side: t.side,
    units: t.units,
    entryPrice: t.entryPrice,
    exitPrice: t.exitPrice,
    openedAt: t.openedAt,
    closedAt: t.closedAt,
    fees: t.fees,
    pnl,
    returnFraction,
    rMultiple: risk > 0 ? pnl / risk : null,
    holdingMs,
    regime: (decision?.regime.regime ?? 'UNKNOWN') as MarketRegime,
    exitReason: t.exitReason,
    confidence: decision?.confidence ?? null,
    votes: decision ? votesOf(decision) : [],
  };
}

/**
 * What following `vote` would have earned on this trade, cost-adjusted: the market move in the
 * vote's direction minus the trade's cost fraction. HOLD abstains (null): it neither earned nor
 * lost, so it is neither credited nor blamed.
 */
export function voteReturn(o: TradeOutcome, vote: ProviderVote): number | null {
  if (vote.action === 'HOLD' || o.entryPrice <= 0) return null;
  const move = (o.exitPrice - o.entryPrice) / o.entryPrice;
  const cost = o.units > 0 ? o.fees / (o.entryPrice * o.units) : 0;
  return (vote.action === 'BUY' ? move : -move) - cost;
}
