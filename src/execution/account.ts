import type { Clock } from '../core/clock.js';
import type { Balance, Position } from '../core/order.js';
import type { AccountView } from '../engine/analysis-engine.js';
import type { Venue } from '../venues/port.js';
import { resolveMode, type AccountMode } from './mode.js';
import type { EquitySnapshotRepository } from '../store/port.js';

export interface AccountSnapshot {
  mode: AccountMode;
  modeNote: string;
  venue: string;
  /** ms. */
  at: number;
  currency: string;
  /** Cash plus positions at mark, in `currency`. */
  equity: string;
  balances: Balance[];
  positions: Position[];
}

export interface AccountDeps {
  /**
   * The (breaker-guarded) venue of an account; with a pair, only the venue that trades it (in
   * live mode, the one the unified venue routes the pair to).
   */
  venueFor(mode: AccountMode, pair?: string): Venue;
  tradingMode: AccountMode;
  snapshots: EquitySnapshotRepository;
  clock: Clock;
}

/**
 * The read side of the trading accounts (balances, positions, equity). It has no way to place
 * orders: that is ExecutionService's alone. Every read records an equity snapshot, the curve the
 * drawdown and daily-loss checks measure.
 */
export class AccountService {
  readonly #deps: AccountDeps;

  constructor(deps: AccountDeps) {
    this.#deps = deps;
  }

  async snapshot(opts: { live?: boolean }, source: string): Promise<AccountSnapshot> {
    const { mode, note } = resolveMode(this.#deps.tradingMode, opts.live);
    const venue = this.#deps.venueFor(mode);
    const [eq, balances, positions] = await Promise.all([venue.equity(), venue.balances(), venue.positions()]);
    const at = this.#deps.clock.now();
    await this.#deps.snapshots.record({ account: mode, at, equity: eq.value, currency: eq.currency, source });
    return { mode, modeNote: note, venue: venue.name, at, currency: eq.currency, equity: eq.value, balances, positions };
  }

  /**
   * The engine's view for sizing: the account `trading.mode` names, since that is where the
   * decision will trade once confirmed with --live; for a pair, only the venue that trades it,
   * so analysing EURUSD never waits on (or fails with) the crypto venue.
   */
  engineView(): AccountView {
    return accountViewOf((pair) => this.#deps.venueFor(this.#deps.tradingMode, pair));
  }
}

/** The engine's view of the account `venue(pair)` trades a pair on (for a replay, its paper venue's cached reads). */
export function accountViewOf(venue: (pair?: string) => Pick<Venue, 'equity' | 'positions'>): AccountView {
  return {
    balance: async (pair) => Number((await venue(pair).equity()).value),
    positions: async (pair) =>
      (await venue(pair).positions()).map((p) => ({
        pair: p.pair,
        side: p.side,
        units: Number(p.units),
        entryPrice: Number(p.entryPrice),
        unrealizedPnl: Number(p.unrealizedPnl),
        openedAt: p.openedAt ?? 0,
      })),
  };
}
