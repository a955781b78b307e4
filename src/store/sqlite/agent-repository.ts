import type { Generated } from 'kysely';
import type { Session } from '../session.js';
import { sqliteFast } from './database.js';
import { allPrepared, getPrepared, runPrepared } from './prepared.js';
import type { AgentEvent, Approval, ApprovalStatus } from '../../agent/types.js';
import type { AgentStateRepository, ApprovalRepository } from '../port.js';

type ApprovalRow = { id: string; decision_id: string; status: string; created_at: number; expires_at: number; decided_at: number | null; note: string | null; record: string };
type StateRow = { key: string; value: string; updated_at: number };
type EventRow = { seq: Generated<number>; at: number; kind: string; state: string; message: string; data: string | null };

export type AgentTables = { approvals: ApprovalRow; agent_state: StateRow; agent_events: EventRow };

const toApproval = (r: ApprovalRow): Approval => ({ ...(JSON.parse(r.record) as Approval), status: r.status as ApprovalStatus, decidedAt: r.decided_at, note: r.note });

export class SqliteApprovalRepository implements ApprovalRepository {
  private readonly db;

  constructor(private readonly sqlite: Session) {
    this.db = sqlite.db.withTables<AgentTables>();
  }

  async add(a: Approval): Promise<void> {
    await this.db
      .insertInto('approvals')
      .values({ id: a.id, decision_id: a.decisionId, status: a.status, created_at: a.createdAt, expires_at: a.expiresAt, decided_at: a.decidedAt, note: a.note, record: JSON.stringify(a) })
      .onConflict((oc) => oc.column('decision_id').doNothing())
      .execute();
  }

  async get(id: string): Promise<Approval | null> {
    const r = await this.db.selectFrom('approvals').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toApproval(r) : null;
  }

  async list(q: { status?: ApprovalStatus; limit?: number; expiredBy?: number } = {}): Promise<Approval[]> {
    const fast = sqliteFast(this.sqlite);
    // The agent asks for due approvals every cycle: fixed SQL per filter shape (see prepared.ts).
    if (fast) {
      const where = [...(q.status ? ['status = ?'] : []), ...(q.expiredBy !== undefined ? ['expires_at <= ?'] : [])];
      const params = [...(q.status ? [q.status] : []), ...(q.expiredBy !== undefined ? [q.expiredBy] : []), q.limit ?? 100];
      const text = `SELECT * FROM approvals${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ?`;
      return (await allPrepared<ApprovalRow>(fast, text, params)).map(toApproval);
    }
    let query = this.db.selectFrom('approvals').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc');
    if (q.status) query = query.where('status', '=', q.status);
    if (q.expiredBy !== undefined) query = query.where('expires_at', '<=', q.expiredBy);
    return (await query.limit(q.limit ?? 100).execute()).map(toApproval);
  }

  async decide(id: string, status: Exclude<ApprovalStatus, 'pending'>, at: number, note: string | null): Promise<boolean> {
    const r = await this.db.updateTable('approvals').set({ status, decided_at: at, note }).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}

export class SqliteAgentStateRepository implements AgentStateRepository {
  private readonly db;

  constructor(private readonly sqlite: Session) {
    this.db = sqlite.db.withTables<AgentTables>();
  }

  async get<T>(key: string): Promise<T | null> {
    const fast = sqliteFast(this.sqlite);
    // Run state and the kill switch are read and written every cycle: prepared statements on SQLite (see prepared.ts).
    const r = fast ? await getPrepared<{ value: string }>(fast, 'SELECT value FROM agent_state WHERE key = ?', [key]) : await this.db.selectFrom('agent_state').select('value').where('key', '=', key).executeTakeFirst();
    return r ? (JSON.parse(r.value) as T) : null;
  }

  async set(key: string, value: unknown, at: number): Promise<void> {
    const row = { value: JSON.stringify(value), updated_at: at };
    const fast = sqliteFast(this.sqlite);
    if (fast) {
      await runPrepared(fast, 'INSERT INTO agent_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at', [key, row.value, at]);
      return;
    }
    await this.db
      .insertInto('agent_state')
      .values({ key, ...row })
      .onConflict((oc) => oc.column('key').doUpdateSet(row))
      .execute();
  }

  async event(e: AgentEvent): Promise<void> {
    const fast = sqliteFast(this.sqlite);
    // One row per agent step (several per cycle): the SQLite path runs a prepared statement (see prepared.ts).
    if (fast) {
      await runPrepared(fast, 'INSERT INTO agent_events (at, kind, state, message, data) VALUES (?, ?, ?, ?, ?)', [e.at, e.kind, e.state, e.message, e.data ? JSON.stringify(e.data) : null]);
      return;
    }
    await this.db
      .insertInto('agent_events')
      .values({ at: e.at, kind: e.kind, state: e.state, message: e.message, data: e.data ? JSON.stringify(e.data) : null })
      .execute();
  }

  async events(limit = 50): Promise<AgentEvent[]> {
    const rows = await this.db.selectFrom('agent_events').selectAll().orderBy('seq', 'desc').limit(limit).execute();
    return rows.reverse().map((r) => ({ at: r.at, kind: r.kind, state: r.state, message: r.message, data: r.data ? (JSON.parse(r.data) as Record<string, unknown>) : undefined }));
  }
}
