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
  venueFor(mode: AccountMode): Venue;
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
   * decision will trade once confirmed with --live.
   */
  engineView(): AccountView {
    const venue = () => this.#deps.venueFor(this.#deps.tradingMode);
    return {
      balance: async () => Number((await venue().equity()).value),
      positions: async () =>
        (await venue().positions()).map((p) => ({
          pair: p.pair,
          side: p.side,
          units: Number(p.units),
          entryPrice: Number(p.entryPrice),
          unrealizedPnl: Number(p.unrealizedPnl),
          openedAt: p.openedAt ?? 0,
        })),
    };
  }
}
