import type { EquitySnapshot } from '../../risk/types.js';

export interface EquitySnapshotRepository {
  record(s: EquitySnapshot): Promise<void>;
  /** Many at once, in one transaction (a backtest writes one per bar). */
  recordMany(list: readonly EquitySnapshot[]): Promise<void>;
  /** Snapshots of `account` with `from ≤ at ≤ to`, oldest first. */
  range(account: string, from: number, to: number): Promise<EquitySnapshot[]>;
  /**
   * What the drawdown and daily-loss rules read of the curve in `[from, to]`, without loading it:
   * the highest snapshot, and the day's opening one — the last before `dayStart`, failing that the
   * first at or after it. A one-minute agent keeps 43,200 snapshots in a 30-day lookback.
   */
  landmarks(account: string, from: number, to: number, dayStart: number): Promise<{ peak: EquitySnapshot | null; dayOpen: EquitySnapshot | null }>;
}
