import type { TrackedPosition, TradeMetrics } from '../../monitor/types.js';
import type { Session } from '../session.js';
import { sqliteFast } from './database.js';
import { allPrepared, runPrepared } from './prepared.js';
import type { CloseReasonRepository, MonitorRepository } from '../port.js';

type TrackerRow = { key: string; pair: string; tracked: number; opened_at: number; record: string };
type MetricsRow = {
  id: string;
  trade_id: string;
  decision_id: string | null;
  pair: string;
  side: string;
  exit_reason: string;
  opened_at: number;
  closed_at: number;
  pnl: string;
  learned: number;
  record: string;
};
type CloseReasonRow = { client_order_id: string; reason: string; at: number };

export type MonitorTables = { position_trackers: TrackerRow; trade_metrics: MetricsRow; close_reasons: CloseReasonRow };

export class SqliteMonitorRepository implements MonitorRepository, CloseReasonRepository {
  private readonly db;

  constructor(private readonly sqlite: Session) {
    this.db = sqlite.db.withTables<MonitorTables>();
  }

  async saveTracker(t: TrackedPosition): Promise<void> {
    const row = { pair: t.pair, tracked: t.tracked ? 1 : 0, opened_at: t.openedAt, record: JSON.stringify(t) };
    const fast = sqliteFast(this.sqlite);
    // The monitor reads its trackers every cycle and saves them on every bar of an open position: prepared statements on SQLite (see prepared.ts).
    if (fast) {
      await runPrepared(
        fast,
        'INSERT INTO position_trackers (key, pair, tracked, opened_at, record) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET pair = excluded.pair, tracked = excluded.tracked, opened_at = excluded.opened_at, record = excluded.record',
        [t.key, row.pair, row.tracked, row.opened_at, row.record],
      );
      return;
    }
    await this.db
      .insertInto('position_trackers')
      .values({ key: t.key, ...row })
      .onConflict((oc) => oc.column('key').doUpdateSet(row))
      .execute();
  }

  async removeTracker(key: string): Promise<void> {
    await this.db.deleteFrom('position_trackers').where('key', '=', key).execute();
  }

  async trackers(): Promise<TrackedPosition[]> {
    const fast = sqliteFast(this.sqlite);
    const rows = fast
      ? await allPrepared<{ record: string }>(fast, 'SELECT record FROM position_trackers ORDER BY opened_at, key', [])
      : await this.db.selectFrom('position_trackers').select('record').orderBy('opened_at').orderBy('key').execute();
    return rows.map((r) => JSON.parse(r.record) as TrackedPosition);
  }

  async addMetrics(m: TradeMetrics): Promise<boolean> {
    const r = await this.db
      .insertInto('trade_metrics')
      .values({
        id: m.id,
        trade_id: m.tradeId,
        decision_id: m.decisionId,
        pair: m.pair,
        side: m.side,
        exit_reason: m.exitReason,
        opened_at: m.openedAt,
        closed_at: m.closedAt,
        pnl: String(m.pnl),
        learned: 0,
        record: JSON.stringify(m),
      })
      .onConflict((oc) => oc.column('trade_id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async metrics(q: { pair?: string; since?: number; limit?: number } = {}): Promise<TradeMetrics[]> {
    let query = this.db.selectFrom('trade_metrics').select('record').orderBy('closed_at', 'desc').orderBy('id', 'desc');
    if (q.pair) query = query.where('pair', '=', q.pair);
    if (q.since !== undefined) query = query.where('closed_at', '>=', q.since);
    if (q.limit !== undefined) query = query.limit(q.limit);
    return (await query.execute()).reverse().map((r) => JSON.parse(r.record) as TradeMetrics);
  }

  async unlearned(): Promise<TradeMetrics[]> {
    const fast = sqliteFast(this.sqlite);
    const rows = fast
      ? await allPrepared<{ record: string }>(fast, 'SELECT record FROM trade_metrics WHERE learned = 0 ORDER BY closed_at, id', [])
      : await this.db.selectFrom('trade_metrics').select('record').where('learned', '=', 0).orderBy('closed_at').orderBy('id').execute();
    return rows.map((r) => JSON.parse(r.record) as TradeMetrics);
  }

  async markLearned(tradeId: string): Promise<void> {
    await this.db.updateTable('trade_metrics').set({ learned: 1 }).where('trade_id', '=', tradeId).execute();
  }

  async record(clientOrderId: string, reason: string, at: number): Promise<void> {
    await this.db
      .insertInto('close_reasons')
      .values({ client_order_id: clientOrderId, reason, at })
      .onConflict((oc) => oc.column('client_order_id').doNothing())
      .execute();
  }

  async reasonOf(clientOrderId: string): Promise<string | null> {
    return (await this.db.selectFrom('close_reasons').select('reason').where('client_order_id', '=', clientOrderId).executeTakeFirst())?.reason ?? null;
  }
}
