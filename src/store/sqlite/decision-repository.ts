import type { Decision } from '../../core/decision.js';
import type { DecisionQuery, DecisionRepository } from '../port.js';
import type { SqliteDb } from './database.js';

export class SqliteDecisionRepository implements DecisionRepository {
  constructor(private readonly db: SqliteDb) {}

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
    };
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
    let query = this.db.selectFrom('decisions').select(['record', 'executed', 'execution']).orderBy('created_at', 'desc').orderBy('id', 'desc');
    if (q.assetPair) query = query.where('asset_pair', '=', q.assetPair);
    const b = q.before;
    if (b) query = query.where((w) => w.or([w('created_at', '<', b.createdAt), w.and([w('created_at', '=', b.createdAt), w('id', '<', b.id)])]));
    const rows = await query.limit(q.limit ?? 20).execute();
    return rows.map(hydrate);
  }

  async markExecuted(id: string, execution: Record<string, unknown>): Promise<void> {
    await this.db
      .updateTable('decisions')
      .set({ executed: 1, execution: JSON.stringify(execution) })
      .where('id', '=', id)
      .execute();
  }
}

function hydrate(row: { record: string; executed: number; execution: string | null }): Decision {
  const d = JSON.parse(row.record) as Decision;
  d.executed = row.executed === 1;
  if (row.execution) d.metadata = { ...d.metadata, execution: JSON.parse(row.execution) as unknown };
  return d;
}
