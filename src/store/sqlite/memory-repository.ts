import { sql } from 'kysely';
import type { TradeOutcome, WeightChange } from '../../memory/types.js';
import type { Session } from '../session.js';
import { sqliteFast } from './database.js';
import type { MemoryRepository, OutcomeQuery } from '../port.js';

type OutcomeRow = {
  id: string;
  trade_id: string;
  decision_id: string | null;
  pair: string;
  side: string;
  regime: string;
  exit_reason: string;
  closed_at: string;
  pnl: string;
  return_fraction: string;
  record: string;
};

type VoteRow = {
  outcome_id: string;
  provider: string;
  action: string;
  confidence: number;
};

type WeightChangeRow = {
  id: string;
  seq: number;
  at: string;
  scope: string;
  outcomes: number;
  previous: string;
  weights: string;
  reason: string;
};

export type MemoryTables = {
  trade_outcomes: OutcomeRow;
  outcome_votes: VoteRow;
  weight_changes: WeightChangeRow;
};

const toChange = (r: WeightChangeRow): WeightChange => ({
  id: r.id,
  at: Date.parse(r.at),
  scope: r.scope,
  outcomes: r.outcomes,
  previous: JSON.parse(r.previous) as Record<string, number>,
  weights: JSON.parse(r.weights) as Record<string, number>,
  reason: r.reason,
});

export class SqliteMemoryRepository implements MemoryRepository {
  private readonly db;

  constructor(private readonly sqlite: Session) {
    this.db = sqlite.db.withTables<MemoryTables>();
  }

  async addOutcome(o: TradeOutcome): Promise<boolean> {
    const row = {
      id: o.id,
      trade_id: o.tradeId,
      decision_id: o.decisionId,
      pair: o.pair,
      side: o.side,
      regime: o.regime,
      exit_reason: o.exitReason,
      closed_at: new Date(o.closedAt).toISOString(),
      pnl: String(o.pnl),
      return_fraction: String(o.returnFraction),
      record: JSON.stringify(o),
    };
    const votes = o.votes.map((v) => ({ outcome_id: o.id, provider: v.provider, action: v.action, confidence: Math.round(v.confidence) }));
    const fast = sqliteFast(this.sqlite);
    if (fast) {
      const outcome = fast.raw.prepare(
        `INSERT INTO trade_outcomes (id, trade_id, decision_id, pair, side, regime, exit_reason, closed_at, pnl, return_fraction, record)
         VALUES (@id, @trade_id, @decision_id, @pair, @side, @regime, @exit_reason, @closed_at, @pnl, @return_fraction, @record) ON CONFLICT (trade_id) DO NOTHING`,
      );
      const vote = fast.raw.prepare('INSERT INTO outcome_votes (outcome_id, provider, action, confidence) VALUES (@outcome_id, @provider, @action, @confidence) ON CONFLICT DO NOTHING');
      // One transaction: an outcome is never stored without the votes that explain it.
      return fast.exclusive(() =>
        fast.raw.transaction(() => {
          if (outcome.run(row).changes === 0) return false;
          for (const v of votes) vote.run(v);
          return true;
        })(),
      );
    }
    return this.sqlite.transaction(async (tx) => {
      const db = tx.db.withTables<MemoryTables>();
      const r = await db
        .insertInto('trade_outcomes')
        .values(row)
        .onConflict((oc) => oc.column('trade_id').doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      if (votes.length > 0)
        await db
          .insertInto('outcome_votes')
          .values(votes)
          .onConflict((oc) => oc.doNothing())
          .execute();
      return true;
    });
  }

  async outcomes(q: OutcomeQuery = {}): Promise<TradeOutcome[]> {
    let query = this.db.selectFrom('trade_outcomes').select('record').orderBy('closed_at', 'desc').orderBy('id', 'desc');
    if (q.pair) query = query.where('pair', '=', q.pair);
    if (q.regime) query = query.where('regime', '=', q.regime);
    if (q.limit !== undefined) query = query.limit(q.limit);
    const rows = await query.execute();
    return rows.reverse().map((r) => JSON.parse(r.record) as TradeOutcome);
  }

  async addWeightChange(c: WeightChange): Promise<void> {
    // seq = last + 1 in one statement: atomic on SQLite (one writer per file); PostgreSQL runs it under the store's write lock.
    const insert = (db: Session['db']) =>
      sql`INSERT INTO weight_changes (id, seq, at, scope, outcomes, previous, weights, reason)
          SELECT ${c.id}, COALESCE(MAX(seq), 0) + 1, ${new Date(c.at).toISOString()}, ${c.scope}, ${c.outcomes}, ${JSON.stringify(c.previous)}, ${JSON.stringify(c.weights)}, ${c.reason} FROM weight_changes`.execute(db);
    if (sqliteFast(this.sqlite)) await insert(this.sqlite.db);
    else await this.sqlite.transaction((tx) => insert(tx.db));
  }

  async weightChanges(scope?: string): Promise<WeightChange[]> {
    let query = this.db.selectFrom('weight_changes').selectAll().orderBy('seq', 'asc');
    if (scope) query = query.where('scope', '=', scope);
    return (await query.execute()).map(toChange);
  }

  async latestWeights(scope: string): Promise<WeightChange | null> {
    const row = await this.db.selectFrom('weight_changes').selectAll().where('scope', '=', scope).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return row ? toChange(row) : null;
  }
}
