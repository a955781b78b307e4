import type { TradeOutcome, WeightChange } from '../../memory/types.js';
import type { OpenedSqlite } from './database.js';
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

  constructor(private readonly sqlite: OpenedSqlite) {
    this.db = sqlite.db.withTables<MemoryTables>();
  }

  async addOutcome(o: TradeOutcome): Promise<boolean> {
    const outcome = this.sqlite.raw.prepare(
      `INSERT INTO trade_outcomes (id, trade_id, decision_id, pair, side, regime, exit_reason, closed_at, pnl, return_fraction, record)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (trade_id) DO NOTHING`,
    );
    const vote = this.sqlite.raw.prepare('INSERT INTO outcome_votes (outcome_id, provider, action, confidence) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
    // One transaction: an outcome is never stored without the votes that explain it.
    return this.sqlite.exclusive(() =>
      this.sqlite.raw.transaction(() => {
        const r = outcome.run(o.id, o.tradeId, o.decisionId, o.pair, o.side, o.regime, o.exitReason, new Date(o.closedAt).toISOString(), String(o.pnl), String(o.returnFraction), JSON.stringify(o));
        if (r.changes === 0) return false;
        for (const v of o.votes) vote.run(o.id, v.provider, v.action, Math.round(v.confidence));
        return true;
      })(),
    );
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
    await this.sqlite.exclusive(() =>
      this.sqlite.raw
        .prepare(
          `INSERT INTO weight_changes (id, seq, at, scope, outcomes, previous, weights, reason)
           SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ?, ?, ? FROM weight_changes`,
        )
        .run(c.id, new Date(c.at).toISOString(), c.scope, c.outcomes, JSON.stringify(c.previous), JSON.stringify(c.weights), c.reason),
    );
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
