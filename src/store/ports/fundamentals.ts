import type { FundamentalKind, FundamentalRecord } from '../../core/fundamentals.js';

/** What is stored for one symbol (`ffe fundamentals show` without a date). */
export interface FundamentalsSummary {
  symbol: string;
  records: number;
  /** ms: newest fetch. */
  lastFetchedAt: number;
}

/**
 * Company fundamentals, point in time (rules in src/core/fundamentals.ts). One record per
 * (symbol, kind, periodEnd): a later fetch of the same period replaces it (the source may revise
 * a figure; the visibility instant is recomputed from the new fetch). Overviews are kept per
 * fetch, so each snapshot stays visible from the moment it was taken.
 */
export interface FundamentalsRepository {
  /** Inserts or replaces each record, all or none (one transaction); returns how many were written. */
  save(records: readonly FundamentalRecord[]): Promise<number>;
  /**
   * Records of `symbol` visible at `asOf` (visibleFrom ≤ asOf), newest period first within each
   * kind (kinds in FUNDAMENTAL_KINDS order); `kinds` narrows them.
   */
  visible(symbol: string, asOf: number, kinds?: readonly FundamentalKind[]): Promise<FundamentalRecord[]>;
  /** Every symbol with records, by symbol. */
  symbols(): Promise<FundamentalsSummary[]>;
}
