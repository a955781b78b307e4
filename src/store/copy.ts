import { sql, type Kysely } from 'kysely';
import { FfeError } from '../core/errors.js';
import type { SessionStore } from './session-store.js';

/** Parents before the tables whose foreign keys name them; every other table after, by name. */
const PARENTS_FIRST = ['paper_accounts', 'paper_orders', 'trade_outcomes'];
/** Kysely's own bookkeeping: the target's migrations wrote it already. */
const SKIP = /^kysely_migration/;

export interface TableCount {
  table: string;
  source: number;
  target: number;
}

type AnyDb = Kysely<Record<string, Record<string, unknown>>>;
const anyDb = (s: SessionStore) => s.session.db as unknown as AnyDb;

async function tablesOf(db: AnyDb): Promise<Map<string, string[]>> {
  const tables = await db.introspection.getTables();
  return new Map(tables.filter((t) => !SKIP.test(t.name)).map((t) => [t.name, t.columns.map((c) => c.name)]));
}

const countOf = async (db: AnyDb, table: string) => Number((await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0].n);

/**
 * Copies every table of `from` into `to` (both migrated to the same schema), parents first, in
 * batches inside one target transaction: the target ends with all of it or none of it. Refuses a
 * target holding rows unless `force` (then its rows are replaced). Columns only one engine has
 * (PostgreSQL's insertion-order identity) are left to the target. Returns the row counts per
 * table, read back after the commit; a mismatch is an error naming the table.
 */
export async function copyStore(from: SessionStore, to: SessionStore, opts: { force?: boolean; batch?: number } = {}): Promise<TableCount[]> {
  const src = await tablesOf(anyDb(from));
  const dst = await tablesOf(anyDb(to));
  const order = [...src.keys()].filter((t) => dst.has(t)).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  if (!opts.force) {
    for (const t of order)
      if ((await countOf(anyDb(to), t)) > 0) throw new FfeError('input', 'STORE_COPY_TARGET_NOT_EMPTY', `the target already holds rows (table ${t}): copy into an empty database, or pass --force to replace them`);
  }
  await to.transaction(async (tx) => {
    const db = anyDb(tx as SessionStore);
    for (const t of [...order].reverse()) await db.deleteFrom(t).execute();
    for (const t of order) {
      const columns = src.get(t)!.filter((c) => dst.get(t)!.includes(c));
      const size = opts.batch ?? Math.max(1, Math.floor(20_000 / columns.length));
      for (let offset = 0; ; offset += size) {
        const rows = await anyDb(from).selectFrom(t).select(columns).limit(size).offset(offset).execute();
        if (rows.length === 0) break;
        await db.insertInto(t).values(rows).execute();
        if (rows.length < size) break;
      }
    }
    // Identity columns given explicit values: move their sequences past what was copied.
    if (tx.engine === 'postgres')
      for (const [t, c] of [
        ['events', 'seq'],
        ['agent_events', 'seq'],
        ['consents', 'seq'],
      ])
        await sql`select setval(pg_get_serial_sequence(${t}, ${c}), coalesce((select max(${sql.ref(c)}) from ${sql.table(t)}), 0) + 1, false)`.execute(db);
  });
  const counts: TableCount[] = [];
  for (const t of order) counts.push({ table: t, source: await countOf(anyDb(from), t), target: await countOf(anyDb(to), t) });
  const bad = counts.find((c) => c.source !== c.target);
  if (bad) throw new FfeError('runtime', 'STORE_COPY_MISMATCH', `table ${bad.table}: ${bad.source} rows in the source, ${bad.target} in the target`);
  return counts;
}

const rank = (t: string) => {
  const i = PARENTS_FIRST.indexOf(t);
  return i < 0 ? PARENTS_FIRST.length : i;
};
