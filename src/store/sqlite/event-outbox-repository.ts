import type { DomainEvent, DomainEventType, NewDomainEvent } from '../../core/events.js';
import type { EventOutbox } from '../port.js';
import type { OpenedSqlite } from './database.js';

export type EventRow = { seq: number; type: string; at: number; payload: string };
export type OutboxTables = { events: EventRow };

/**
 * The outbox in SQLite. Writers are serialised (one write transaction at a time per file), so
 * seq order is commit order: a reader polling `since(lastSeen)` never skips an event that
 * commits later with a smaller seq.
 */
export class SqliteEventOutbox implements EventOutbox {
  private readonly db;

  constructor(sqlite: OpenedSqlite) {
    this.db = sqlite.db.withTables<OutboxTables>();
  }

  async append(e: NewDomainEvent): Promise<number> {
    const r = await this.db
      .insertInto('events')
      .values({ type: e.type, at: e.at, payload: JSON.stringify(e.payload) } as EventRow)
      .returning('seq')
      .executeTakeFirstOrThrow();
    return Number(r.seq);
  }

  async since(afterSeq: number, limit?: number): Promise<DomainEvent[]> {
    let q = this.db.selectFrom('events').selectAll().where('seq', '>', afterSeq).orderBy('seq', 'asc');
    if (limit !== undefined) q = q.limit(limit);
    return (await q.execute()).map((r) => ({ seq: Number(r.seq), type: r.type as DomainEventType, at: Number(r.at), payload: JSON.parse(r.payload) as Record<string, unknown> }));
  }

  async latestSeq(): Promise<number> {
    const r = await this.db.selectFrom('events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
    return Number(r?.seq ?? 0);
  }
}
