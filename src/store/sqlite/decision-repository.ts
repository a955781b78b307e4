import { sql } from 'kysely';
import type { Decision, DecisionSummary } from '../../core/decision.js';
import type { DecisionQuery, DecisionRepository } from '../port.js';
import type { Session } from '../session.js';
import { sqliteFast } from './database.js';
import { runPrepared } from './prepared.js';

/** The SQLite path of `save` (a prepared statement, see prepared.ts): insert, or on a known id update all but `execution`. */
const SAVE_SQL =
  'INSERT INTO decisions (id, asset_pair, decided_at, created_at, action, confidence, provider, executed, record, summary, execution) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) ' +
  'ON CONFLICT (id) DO UPDATE SET asset_pair = excluded.asset_pair, decided_at = excluded.decided_at, created_at = excluded.created_at, action = excluded.action, confidence = excluded.confidence, ' +
  'provider = excluded.provider, executed = excluded.executed, record = excluded.record, summary = excluded.summary';

export class SqliteDecisionRepository implements DecisionRepository {
  private readonly db;

  constructor(private readonly s: Session) {
    this.db = s.db;
  }

  async save(d: Decision): Promise<void> {
    const row = {
      id: d.id,
      asset_pair: d.assetPair,
      decided_at: d.timestamp,
      created_at: d.createdAt,
      action: d.action,
      confidence: d.confidence,
      provider: d.provider,
      executed: d.executed ? 1 : 0,
      record: JSON.stringify(d),
      // Left empty: summaries() takes the summary from the record (json_object / jsonb_build_object,
      // in the database), as it always did for rows older than the column. Writing it too cost a
      // second JSON text of ~650 bytes per decision (the reasoning twice), every hour of a replay.
      summary: null,
    };
    const fast = sqliteFast(this.s);
    if (fast) {
      await runPrepared(fast, SAVE_SQL, [row.id, row.asset_pair, row.decided_at, row.created_at, row.action, row.confidence, row.provider, row.executed, row.record, row.summary]);
      return;
    }
    await this.db
      .insertInto('decisions')
      .values({ ...row, execution: null })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  }

  async get(id: string): Promise<Decision | null> {
    const row = await this.db.selectFrom('decisions').select(['record', 'executed', 'execution']).where('id', '=', id).executeTakeFirst();
    return row ? hydrate(row) : null;
  }

  async list(q: DecisionQuery = {}): Promise<Decision[]> {
    const rows = await this.page(q).select(['record', 'executed', 'execution']).execute();
    return rows.map(hydrate);
  }

  /**
   * Summarised by the database from the record (json_object in C; jsonb_build_object on
   * PostgreSQL); rows written between migration 005 and this engine's version carry a stored
   * summary, which is the same.
   */
  async summaries(q: DecisionQuery = {}): Promise<DecisionSummary[]> {
    const fromRecord = this.s.dialect === 'sqlite' ? sql`json_object(${SUMMARY_FIELDS})` : sql`jsonb_build_object(${PG_SUMMARY_FIELDS})::text`;
    const rows = await this.page(q)
      .select(['executed', sql<string>`coalesce(summary, ${fromRecord})`.as('summary')])
      .execute();
    return rows.map((r) => ({ ...(JSON.parse(r.summary) as Omit<DecisionSummary, 'executed'>), executed: r.executed === 1 }));
  }

  /** Newest first, filtered by pair, action, provider and executed, after the keyset cursor, at most `limit`. */
  private page(q: DecisionQuery) {
    let query = this.db.selectFrom('decisions').orderBy('created_at', 'desc').orderBy('id', 'desc');
    if (q.assetPair) query = query.where('asset_pair', '=', q.assetPair);
    if (q.action) query = query.where('action', '=', q.action);
    if (q.provider) query = query.where('provider', '=', q.provider);
    if (q.executed !== undefined) query = query.where('executed', '=', q.executed ? 1 : 0);
    const b = q.before;
    if (b) query = query.where((w) => w.or([w('created_at', '<', b.createdAt), w.and([w('created_at', '=', b.createdAt), w('id', '<', b.id)])]));
    return query.limit(q.limit ?? 20);
  }

  async markExecuted(id: string, execution: Record<string, unknown>): Promise<void> {
    await this.db
      .updateTable('decisions')
      .set({ executed: 1, execution: JSON.stringify(execution) })
      .where('id', '=', id)
      .execute();
  }
}

/** The summary's fields as json_object arguments; `executed` comes from its column (markExecuted sets it there). */
const SUMMARY_KEYS: Record<Exclude<keyof DecisionSummary, 'executed'>, string> = {
  id: '$.id',
  assetPair: '$.assetPair',
  timestamp: '$.timestamp',
  createdAt: '$.createdAt',
  action: '$.action',
  confidence: '$.confidence',
  reasoning: '$.reasoning',
  entryPrice: '$.entryPrice',
  suggestedSizeUnits: '$.suggestedSizeUnits',
  stopLossPrice: '$.stopLossPrice',
  takeProfitPrice: '$.takeProfitPrice',
  signal: '$.signal',
  gates: '$.gates',
  regime: '$.regime.regime',
  provider: '$.provider',
  model: '$.model',
};
const SUMMARY_FIELDS = sql.join(Object.entries(SUMMARY_KEYS).map(([k, path]) => sql`${sql.lit(k)}, record -> ${sql.lit(path)}`));
// PostgreSQL: the same paths as jsonb path arrays ('$.regime.regime' → '{regime,regime}').
const PG_SUMMARY_FIELDS = sql.join(Object.entries(SUMMARY_KEYS).map(([k, path]) => sql`${sql.lit(k)}, record::jsonb #> ${sql.lit(`{${path.slice(2).replaceAll('.', ',')}}`)}`));

function hydrate(row: { record: string; executed: number; execution: string | null }): Decision {
  const d = JSON.parse(row.record) as Decision;
  d.executed = row.executed === 1;
  if (row.execution) d.metadata = { ...d.metadata, execution: JSON.parse(row.execution) as unknown };
  return d;
}
