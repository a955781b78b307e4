import type { Clock } from '../core/clock.js';
import type { Position } from '../core/order.js';
import type { Venue } from '../venues/port.js';

type Reads = Pick<Venue, 'positions' | 'equity'> & Partial<Pick<Venue, 'advance' | 'processPrices'>>;
type Equity = Awaited<ReturnType<Venue['equity']>>;

/**
 * A replay's reads of its simulated account (positions, equity), each made once between two
 * changes of the account: a cycle asks for them up to five times (the kill switch's equity, the
 * analysis of each asset, sizing, the held-side check), and only the bars fed to the venue and
 * the agent's own orders change them (a replay store has no other writer). A read is made again
 * after `changed()` and whenever the clock moved (a venue may mark to the time). Callers get
 * their own copies.
 */
export class ReplayAccountReads<V extends Reads> {
  private at = Number.NaN;
  private positionsRead: Promise<Position[]> | null = null;
  private equityRead: Promise<Equity> | null = null;

  constructor(
    private readonly venue: V,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  /** After anything that may have changed the account: an order, a bar fed to the venue, a reconciliation. */
  changed(): void {
    this.positionsRead = null;
    this.equityRead = null;
  }

  /** `fn`, after which the account counts as changed (whether it succeeded or not). */
  changes<A extends unknown[], R>(fn: (...a: A) => Promise<R>): (...a: A) => Promise<R> {
    return async (...a) => {
      try {
        return await fn(...a);
      } finally {
        this.changed();
      }
    };
  }

  async positions(): Promise<Position[]> {
    this.sameTime();
    const read = (this.positionsRead ??= this.venue.positions());
    try {
      return (await read).map((p) => ({ ...p }));
    } catch (e) {
      // A failed read is not kept: the next one asks again.
      if (this.positionsRead === read) this.positionsRead = null;
      throw e;
    }
  }

  async equity(): Promise<Equity> {
    this.sameTime();
    const read = (this.equityRead ??= this.venue.equity());
    try {
      return { ...(await read) };
    } catch (e) {
      if (this.equityRead === read) this.equityRead = null;
      throw e;
    }
  }

  /** The venue with these reads in place of its own; feeding it bars or prices changes the account. */
  view(): V {
    const v = this.venue;
    return {
      ...v,
      positions: () => this.positions(),
      equity: () => this.equity(),
      ...(v.advance ? { advance: this.changes(v.advance.bind(v)) } : {}),
      ...(v.processPrices ? { processPrices: this.changes(v.processPrices.bind(v)) } : {}),
    };
  }

  private sameTime(): void {
    const now = this.clock.now();
    if (now === this.at) return;
    this.at = now;
    this.changed();
  }
}
