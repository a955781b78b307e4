import { sql } from 'kysely';
import { emptyColumns, type CandleColumns } from '../core/candle.js';
import type { Timeframe } from '../core/timeframe.js';
import type { StoreDb } from './session.js';

/** Rows per read: ~2 MB of row objects at a time, however long the series. */
export const COLUMN_BATCH = 10_000;

/**
 * The candle repository's `columns()` on PostgreSQL: bars with open time in [from, to) straight
 * into typed columns. One query would hand back the whole series as row objects (~200 MB for a
 * million bars, the cost `columns()` exists to avoid), so the rows come in key-ordered batches of
 * COLUMN_BATCH, each copied into the columns and dropped. The count and every batch read one
 * snapshot (a REPEATABLE READ, READ ONLY transaction): an import committing between two batches
 * cannot mix two versions of the series. (Here, not in postgres/: the SQL candle repository in
 * sqlite/ serves both engines and calls it.) No store advisory lock: a reader does not queue behind
 * writers. `db`: the store's root handle (a caller's transaction reads through `range()` instead).
 */
export async function pgCandleColumns(db: StoreDb, pair: string, timeframe: Timeframe, from: number, to: number): Promise<CandleColumns> {
  return db.connection().execute(async (conn) => {
    await sql`begin isolation level repeatable read read only`.execute(conn);
    try {
      const c = await readBatches(conn, pair, timeframe, from, to);
      await sql`commit`.execute(conn);
      return c;
    } catch (e) {
      await sql`rollback`.execute(conn).catch(() => {});
      throw e;
    }
  });
}

async function readBatches(db: StoreDb, pair: string, timeframe: Timeframe, from: number, to: number): Promise<CandleColumns> {
  const inRange = () => db.selectFrom('candles').where('pair', '=', pair).where('timeframe', '=', timeframe).where('ts', '<', to);
  const { n } = await inRange()
    .where('ts', '>=', from)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const c = emptyColumns(Number(n));
  let i = 0;
  // Keyset pages: the next batch starts after the last bar read (ts is whole milliseconds).
  for (let lo = from; i < c.length;) {
    const rows = await inRange().where('ts', '>=', lo).select(['ts', 'open', 'high', 'low', 'close', 'volume']).orderBy('ts').limit(COLUMN_BATCH).execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      c.timestamp[i] = Number(r.ts);
      c.open[i] = r.open;
      c.high[i] = r.high;
      c.low[i] = r.low;
      c.close[i] = r.close;
      c.volume[i++] = r.volume;
    }
    lo = Number(rows[rows.length - 1].ts) + 1;
  }
  return c;
}
