import type { Candle } from '../../core/candle.js';
import type { Timeframe } from '../../core/timeframe.js';
import type { CandleRepository, StoredSeries } from '../port.js';
import type { OpenedSqlite } from './database.js';

export class SqliteCandleRepository implements CandleRepository {
  /**
   * The series list is read on every market-data call; it only changes through importSeries.
   * Shared with the repositories of this store's transactions, so an import through `tx` clears it too.
   */
  constructor(
    private readonly s: OpenedSqlite,
    private readonly cache: { series: StoredSeries[] | null } = { series: null },
  ) {}

  /** The same table seen through another session (a transaction's), sharing the series cache. */
  within(s: OpenedSqlite): SqliteCandleRepository {
    return new SqliteCandleRepository(s, this.cache);
  }

  async importSeries(pair: string, timeframe: Timeframe, candles: readonly Candle[], source: string): Promise<{ inserted: number }> {
    if (candles.length === 0) return { inserted: 0 };
    // better-sqlite3's synchronous transaction: all rows or none, and ~100× faster than row-by-row autocommit.
    const del = this.s.raw.prepare('DELETE FROM candles WHERE pair = ? AND timeframe = ? AND ts >= ? AND ts <= ?');
    const ins = this.s.raw.prepare('INSERT INTO candles (pair, timeframe, ts, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const meta = this.s.raw.prepare(
      'INSERT INTO candle_series (pair, timeframe, source, imported_at) VALUES (?, ?, ?, ?) ON CONFLICT (pair, timeframe) DO UPDATE SET source = excluded.source, imported_at = excluded.imported_at',
    );
    await this.s.exclusive(() =>
      this.s.raw.transaction(() => {
        del.run(pair, timeframe, candles[0].timestamp, candles[candles.length - 1].timestamp);
        for (const k of candles) ins.run(pair, timeframe, k.timestamp, k.open, k.high, k.low, k.close, k.volume);
        meta.run(pair, timeframe, source, new Date().toISOString());
      })(),
    );
    this.cache.series = null;
    return { inserted: candles.length };
  }

  async range(pair: string, timeframe: Timeframe, q: { from?: number; to?: number; limit?: number }): Promise<Candle[]> {
    let query = this.s.db
      .selectFrom('candles')
      .select(['ts', 'open', 'high', 'low', 'close', 'volume'])
      .where('pair', '=', pair)
      .where('timeframe', '=', timeframe);
    if (q.from !== undefined) query = query.where('ts', '>=', q.from);
    if (q.to !== undefined) query = query.where('ts', '<', q.to);
    const rows = await query.orderBy('ts', 'desc').limit(q.limit ?? 1_000_000).execute();
    rows.reverse();
    return rows.map((r) => ({ timestamp: Number(r.ts), open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume }));
  }

  async series(): Promise<StoredSeries[]> {
    if (this.cache.series) return this.cache.series;
    const rows = (await this.s.exclusive(() =>
      this.s.raw
        .prepare(
          `SELECT c.pair, c.timeframe, MIN(c.ts) AS first, MAX(c.ts) AS last, COUNT(*) AS bars, s.source, s.imported_at
           FROM candles c JOIN candle_series s ON s.pair = c.pair AND s.timeframe = c.timeframe
           GROUP BY c.pair, c.timeframe ORDER BY c.pair, c.timeframe`,
        )
        .all(),
    )) as { pair: string; timeframe: Timeframe; first: number; last: number; bars: number; source: string; imported_at: string }[];
    this.cache.series = rows.map((r) => ({ pair: r.pair, timeframe: r.timeframe, source: r.source, first: r.first, last: r.last, bars: r.bars, importedAt: r.imported_at }));
    return this.cache.series;
  }
}
