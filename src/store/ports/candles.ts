import type { Candle, CandleColumns } from '../../core/candle.js';
import type { Timeframe } from '../../core/timeframe.js';

export interface StoredSeries {
  pair: string;
  timeframe: Timeframe;
  source: string;
  first: number;
  last: number;
  bars: number;
  importedAt: string;
}

export interface CandleRepository {
  /**
   * Replaces the stored bars of (pair, timeframe) in the covered range with `candles`, in one
   * transaction: either all rows land or none do.
   */
  importSeries(pair: string, timeframe: Timeframe, candles: readonly Candle[], source: string): Promise<{ inserted: number }>;
  /** Bars with open time in [from, to), oldest first; `limit` keeps the most recent. */
  range(pair: string, timeframe: Timeframe, q: { from?: number; to?: number; limit?: number }): Promise<Candle[]>;
  /**
   * `range` without a limit, as columns: a whole imported series is read for backtests, and as
   * objects a million rows cost ~200 MB and most of the read's time. Optional: a store without it
   * is read through `range` (data/imported/adapter.ts).
   */
  columns?(pair: string, timeframe: Timeframe, q: { from?: number; to?: number }): Promise<CandleColumns>;
  series(): Promise<StoredSeries[]>;
}
