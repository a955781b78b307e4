import { sql, type Kysely } from 'kysely';
import { SEALED_PREFIX } from '../field-cipher.js';
import type { SealedColumnState, SealedValuesRepository } from '../port.js';
import type { SealedColumn } from '../sealed-columns.js';
import type { Session } from '../session.js';

type AnyDb = Kysely<Record<string, Record<string, unknown>>>;
/** The key id's place in `enc:v1:<key id>:...` (1-based, as substr counts). */
const KEY_ID_AT = SEALED_PREFIX.length + 1;

/** Table and column names come from the fixed list in sealed-columns.ts, never from input. */
export class SqliteSealedValues implements SealedValuesRepository {
  private readonly db: AnyDb;

  constructor(session: Session) {
    this.db = session.db as unknown as AnyDb;
  }

  async state(c: SealedColumn): Promise<SealedColumnState> {
    const col = sql.ref(c.column);
    const r = await sql<{ kid: string | null; n: number | string }>`
      select case when substr(${col}, 1, ${sql.lit(SEALED_PREFIX.length)}) = ${SEALED_PREFIX} then substr(${col}, ${sql.lit(KEY_ID_AT)}, 8) else null end as kid, count(*) as n
      from ${sql.table(c.table)} where ${col} is not null and ${col} <> '' group by 1`.execute(this.db);
    const out: SealedColumnState = { keyIds: [], sealed: 0, plain: 0 };
    for (const row of r.rows) {
      if (row.kid === null) out.plain += Number(row.n);
      else {
        out.sealed += Number(row.n);
        out.keyIds.push(row.kid);
      }
    }
    out.keyIds.sort();
    return out;
  }

  async values(c: SealedColumn): Promise<{ id: string | number; value: string }[]> {
    const r = await sql<{ id: string | number; value: string }>`
      select ${sql.ref(c.key)} as id, ${sql.ref(c.column)} as value from ${sql.table(c.table)}
      where ${sql.ref(c.column)} is not null and ${sql.ref(c.column)} <> '' order by 1`.execute(this.db);
    return r.rows;
  }

  async set(c: SealedColumn, id: string | number, value: string): Promise<boolean> {
    const r = await sql`update ${sql.table(c.table)} set ${sql.ref(c.column)} = ${value} where ${sql.ref(c.key)} = ${id}`.execute(this.db);
    return Number(r.numAffectedRows ?? 0) === 1;
  }
}
