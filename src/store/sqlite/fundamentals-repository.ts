import { sql } from 'kysely';
import { FUNDAMENTAL_KINDS, type FundamentalKind, type FundamentalRecord } from '../../core/fundamentals.js';
import type { FundamentalsRepository, FundamentalsSummary } from '../port.js';
import type { Session } from '../session.js';

type FundamentalRow = {
  symbol: string;
  kind: string;
  period_end: string;
  reported_date: string | null;
  visible_from: number;
  fetched_at: number;
  source: string;
  data: string;
};
export type FundamentalsTables = { fundamentals: FundamentalRow };

// Rows per INSERT: 8 columns each, well under SQLite's 32 766 bound parameters and PostgreSQL's 65 535.
const BATCH = 500;

const fromRow = (r: FundamentalRow): FundamentalRecord => ({
  symbol: r.symbol,
  kind: r.kind as FundamentalKind,
  periodEnd: r.period_end,
  reportedDate: r.reported_date,
  // PostgreSQL's bigint comes back as a string.
  visibleFrom: Number(r.visible_from),
  fetchedAt: Number(r.fetched_at),
  source: r.source,
  values: JSON.parse(r.data) as FundamentalRecord['values'],
});

const kindRank = (k: string) => FUNDAMENTAL_KINDS.indexOf(k as FundamentalKind);

/** Fundamentals in the session's database (SQLite or PostgreSQL), written in Kysely. */
export class SqliteFundamentalsRepository implements FundamentalsRepository {
  constructor(private readonly session: Session) {}

  private db(s: Session = this.session) {
    return s.db.withTables<FundamentalsTables>();
  }

  async save(records: readonly FundamentalRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    const rows: FundamentalRow[] = records.map((r) => ({
      symbol: r.symbol.toUpperCase(),
      kind: r.kind,
      period_end: r.periodEnd,
      reported_date: r.reportedDate,
      visible_from: r.visibleFrom,
      fetched_at: r.fetchedAt,
      source: r.source,
      data: JSON.stringify(r.values),
    }));
    await this.session.transaction(async (tx) => {
      for (let i = 0; i < rows.length; i += BATCH) {
        await this.db(tx)
          .insertInto('fundamentals')
          .values(rows.slice(i, i + BATCH))
          .onConflict((oc) =>
            oc.columns(['symbol', 'kind', 'period_end']).doUpdateSet((eb) => ({
              reported_date: eb.ref('excluded.reported_date'),
              visible_from: eb.ref('excluded.visible_from'),
              fetched_at: eb.ref('excluded.fetched_at'),
              source: eb.ref('excluded.source'),
              data: eb.ref('excluded.data'),
            })),
          )
          .execute();
      }
    });
    return rows.length;
  }

  async visible(symbol: string, asOf: number, kinds?: readonly FundamentalKind[]): Promise<FundamentalRecord[]> {
    if (kinds && kinds.length === 0) return [];
    let q = this.db().selectFrom('fundamentals').selectAll().where('symbol', '=', symbol.toUpperCase()).where('visible_from', '<=', asOf);
    if (kinds) q = q.where('kind', 'in', [...kinds]);
    const rows = await q.orderBy('period_end', 'desc').execute();
    // Period ends sort as text (YYYY-MM-DD, or an ISO instant for overviews): newest first. Kinds in their declared order, stably.
    return rows.map(fromRow).sort((a, b) => kindRank(a.kind) - kindRank(b.kind));
  }

  async symbols(): Promise<FundamentalsSummary[]> {
    const rows = await this.db()
      .selectFrom('fundamentals')
      .select(['symbol', sql<number | string>`count(*)`.as('n'), sql<number | string>`max(fetched_at)`.as('last')])
      .groupBy('symbol')
      .orderBy('symbol')
      .execute();
    return rows.map((r) => ({ symbol: r.symbol, records: Number(r.n), lastFetchedAt: Number(r.last) }));
  }
}
