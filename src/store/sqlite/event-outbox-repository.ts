import type { DomainEvent, DomainEventType, NewDomainEvent } from '../../core/events.js';
import type { CommittedListener, CommittingListener, EventOutbox, Store } from '../port.js';
import type { Session, TxState } from '../session.js';
import { sqliteFast } from './database.js';
import { runPrepared } from './prepared.js';

export type EventRow = { seq: number; type: string; at: number; payload: string };
export type OutboxTables = { events: EventRow };

/**
 * The outbox in SQLite. Writers are serialised (one write transaction at a time per file), so
 * seq order is commit order: a reader polling `since(lastSeen)` never skips an event that
 * commits later with a smaller seq.
 */
export class SqliteEventOutbox implements EventOutbox {
  private readonly db;

  /** `listeners` and `committing` are shared by the root store's outbox and those of its transactions. */
  constructor(
    private readonly sqlite: Session,
    private readonly listeners = new Set<CommittedListener>(),
    private readonly committing = new Set<CommittingListener>(),
  ) {
    this.db = sqlite.db.withTables<OutboxTables>();
  }

  /** The outbox of a transaction's session, reporting to the same listeners. */
  within(session: Session): SqliteEventOutbox {
    return new SqliteEventOutbox(session, this.listeners, this.committing);
  }

  onCommitting(listener: CommittingListener): () => void {
    this.committing.add(listener);
    return () => void this.committing.delete(listener);
  }

  /** Called by the store with a top-level transaction's state and store once its work is done, before COMMIT: see onCommitting. */
  async beforeCommit(tx: TxState, store: Store): Promise<void> {
    if (tx.events.length === 0) return;
    for (const l of [...this.committing]) await l(tx.events, store);
  }

  async append(e: NewDomainEvent): Promise<number> {
    const fast = sqliteFast(this.sqlite);
    const payload = JSON.stringify(e.payload);
    // SQLite: seq is the rowid, which the insert's run result carries (a RETURNING row is a result set to step and read).
    const r = fast
      ? { seq: (await runPrepared(fast, 'INSERT INTO events (type, at, payload) VALUES (?, ?, ?)', [e.type, e.at, payload])).lastInsertRowid }
      : await this.db
          .insertInto('events')
          .values({ type: e.type, at: e.at, payload } as EventRow)
          .returning('seq')
          .executeTakeFirstOrThrow();
    const seq = Number(r.seq);
    const event: DomainEvent = { ...e, seq };
    // Inside a transaction the event exists only once it commits: the transaction reports it then (a rolled-back savepoint drops its hooks).
    const tx = this.sqlite.tx;
    if (tx) {
      tx.events.push(event);
      tx.afterCommit.push(() => this.report([event]));
    } else this.report([event]);
    return seq;
  }

  onCommitted(listener: CommittedListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private report(events: readonly DomainEvent[]): void {
    for (const l of this.listeners) {
      try {
        l(events);
      } catch {
        // A listener's failure is its own: the events have committed regardless.
      }
    }
  }

  async since(afterSeq: number, limit?: number): Promise<DomainEvent[]> {
    let q = this.db.selectFrom('events').selectAll().where('seq', '>', afterSeq).orderBy('seq', 'asc');
    if (limit !== undefined) q = q.limit(limit);
    return (await q.execute()).map((r) => ({ seq: Number(r.seq), type: r.type as DomainEventType, at: Number(r.at), payload: JSON.parse(r.payload) as Record<string, unknown> }));
  }

  async latestSeq(): Promise<number> {
    const r = await this.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    return Number(r?.seq ?? 0);
  }
}
