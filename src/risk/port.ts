import type { Decimal } from '../core/order.js';

/** Account value at one moment: the equity curve drawdown and daily-loss checks read. */
export interface EquitySnapshot {
  /** `paper` or `live`: the two accounts never share a curve. */
  account: string;
  /** ms. */
  at: number;
  equity: Decimal;
  currency: string;
  /** What took it: `execution`, `balance`, `dashboard`, `reconcile`... */
  source: string;
}

export interface EquitySnapshotRepository {
  record(s: EquitySnapshot): Promise<void>;
  /** Snapshots of `account` with `from ≤ at ≤ to`, oldest first. */
  range(account: string, from: number, to: number): Promise<EquitySnapshot[]>;
}
