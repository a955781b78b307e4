import type { Candle } from '../../core/candle.js';
import type { Timeframe } from '../../core/timeframe.js';
import type { CandleRepository, StoredSeries } from '../port.js';
import type { OpenedSqlite } from './database.js';

export class SqliteCandleRepository implements CandleRepository {
  /**
   * The series list is read on every market-data call, and summing every bar is the slow part. It
   * is cached with a stamp of the small series table (how many series, the latest import): another
   * process's import changes the stamp. A transaction reads past the cache and never fills it (what it
   * sees may be rolled back); its imports clear it. Shared with the repositories of this store's transactions.
   */
  constructor(
    private readonly s: OpenedSqlite,
    private readonly cache: { stamp: string | null; series: StoredSeries[] | null } = { stamp: null, series: null },
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
    let query = this.s.db.selectFrom('candles').select(['ts', 'open', 'high', 'low', 'close', 'volume']).where('pair', '=', pair).where('timeframe', '=', timeframe);
    if (q.from !== undefined) query = query.where('ts', '>=', q.from);
    if (q.to !== undefined) query = query.where('ts', '<', q.to);
    const rows = await query
      .orderBy('ts', 'desc')
      .limit(q.limit ?? 1_000_000)
      .execute();
    rows.reverse();
    return rows.map((r) => ({ timestamp: Number(r.ts), open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume }));
  }

  async series(): Promise<StoredSeries[]> {
    const { rows, stamp } = await this.s.exclusive(() => {
      const t = this.s.raw.prepare('SELECT COUNT(*) AS n, MAX(imported_at) AS latest FROM candle_series').get() as { n: number; latest: string | null };
      const stamp = `${t.n}:${t.latest ?? ''}`;
      if (this.cache.series && this.cache.stamp === stamp) return { rows: null, stamp };
      const rows = this.s.raw
        .prepare(
          `SELECT c.pair, c.timeframe, MIN(c.ts) AS first, MAX(c.ts) AS last, COUNT(*) AS bars, s.source, s.imported_at
           FROM candles c JOIN candle_series s ON s.pair = c.pair AND s.timeframe = c.timeframe
           GROUP BY c.pair, c.timeframe ORDER BY c.pair, c.timeframe`,
        )
        .all() as { pair: string; timeframe: Timeframe; first: number; last: number; bars: number; source: string; imported_at: string }[];
      return { rows, stamp };
    });
    if (!rows) return this.cache.series!;
    const list = rows.map((r) => ({ pair: r.pair, timeframe: r.timeframe, source: r.source, first: r.first, last: r.last, bars: r.bars, importedAt: r.imported_at }));
    // What a transaction sees may yet be rolled back: only committed state is cached.
    if (this.s.tx) return list;
    this.cache.series = list;
    this.cache.stamp = stamp;
    return list;
  }
}
