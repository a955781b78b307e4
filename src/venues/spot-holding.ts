import { classifyPair } from '../core/pair.js';
import type { Balance } from '../core/order.js';
import { D } from './decimal.js';
import { venueError } from './errors.js';

/**
 * A spot account has no positions, only holdings: "closing position BTCUSD" means selling the
 * whole BTC balance. Every spot venue (Coinbase, the ccxt exchanges) resolves the id this way.
 */
export function spotHoldingToClose(venue: string, positionId: string, balances: readonly Balance[]): { base: string; account: Balance } {
  const missing = () => venueError('POSITION_NOT_FOUND', `${venue}: no open position ${positionId}`);
  let base: string;
  try {
    base = classifyPair(positionId).base;
  } catch {
    throw missing();
  }
  const account = balances.find((b) => b.currency === base);
  if (!account || !new D(account.total).gt(0)) throw missing();
  return { base, account };
}
