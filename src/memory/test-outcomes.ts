import type { TradeOutcome, ProviderVote } from './types.js';

let seq = 0;

/** A closed trade for tests: `move` is the price change as a fraction of entry. */
export function outcome(move: number, votes: ProviderVote[], over: Partial<TradeOutcome> = {}): TradeOutcome {
  seq++;
  const entry = 100;
  const exit = entry * (1 + move);
  const side = over.side ?? 'long';
  const pnl = (side === 'long' ? 1 : -1) * (exit - entry) - (over.fees ?? 0);
  return {
    id: `o${seq}`,
    tradeId: `t${seq}`,
    decisionId: null,
    pair: 'BTCUSD',
    side,
    units: 1,
    entryPrice: entry,
    exitPrice: exit,
    openedAt: seq * 1000,
    closedAt: seq * 1000 + 500,
    fees: 0,
    pnl,
    returnFraction: pnl / entry,
    rMultiple: null,
    holdingMs: 500,
    regime: 'RANGING',
    exitReason: 'signal',
    confidence: 70,
    votes,
    ...over,
  };
}

export const vote = (provider: string, action: ProviderVote['action'], confidence = 70): ProviderVote => ({ provider, action, confidence });
