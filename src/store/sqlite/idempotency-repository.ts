import type { IdempotencyRecord, IdempotencyRepository } from '../port.js';
import type { Session } from '../session.js';

type IdempotencyRow = { principal: string; key: string; request_hash: string; subject: string; response: string | null; created_at: number };
export type IdempotencyTables = { idempotency_keys: IdempotencyRow };

const toRecord = (r: IdempotencyRow): IdempotencyRecord => ({
  key: r.key,
  principal: r.principal,
  requestHash: r.request_hash,
  subject: r.subject,
  response: r.response === null ? null : (JSON.parse(r.response) as unknown),
  createdAt: Number(r.created_at),
});

export class SqliteIdempotencyRepository implements IdempotencyRepository {
  private readonly db;

  constructor(sqlite: Session) {
    this.db = sqlite.db.withTables<IdempotencyTables>();
  }

  async claim(r: Omit<IdempotencyRecord, 'response'>): Promise<IdempotencyRecord | null> {
    // One statement: of two concurrent claims exactly one inserts.
    const ins = await this.db
      .insertInto('idempotency_keys')
      .values({ principal: r.principal, key: r.key, request_hash: r.requestHash, subject: r.subject, response: null, created_at: r.createdAt })
      .onConflict((oc) => oc.columns(['principal', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(ins.numInsertedOrUpdatedRows ?? 0) === 1) return null;
    return this.get(r.principal, r.key);
  }

  async complete(principal: string, key: string, response: unknown): Promise<void> {
    await this.db
      .updateTable('idempotency_keys')
      .set({ response: JSON.stringify(response) })
      .where('principal', '=', principal)
      .where('key', '=', key)
      .execute();
  }

  async get(principal: string, key: string): Promise<IdempotencyRecord | null> {
    const r = await this.db.selectFrom('idempotency_keys').selectAll().where('principal', '=', principal).where('key', '=', key).executeTakeFirst();
    return r ? toRecord(r) : null;
  }

  async prune(before: number): Promise<number> {
    const r = await this.db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
