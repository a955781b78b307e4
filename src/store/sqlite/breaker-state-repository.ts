import type { BreakerMemory } from '../../lib/circuit-breaker.js';
import type { BreakerStateRepository } from '../port.js';
import type { Session } from '../session.js';

type BreakerStateRow = { name: string; memory: string; updated_at: number };
export type BreakerTables = { breaker_states: BreakerStateRow };

/**
 * Breaker state in SQLite, one row per breaker; last writer wins between processes. Through the
 * session's Kysely handle (not bare better-sqlite3 statements), so a save waits for another
 * flow's open transaction instead of landing inside it, and a save through `tx` rolls back with it.
 */
export class SqliteBreakerStates implements BreakerStateRepository {
  private readonly db;

  constructor(sqlite: Session) {
    this.db = sqlite.db.withTables<BreakerTables>();
  }

  async load(name: string): Promise<BreakerMemory | null> {
    const row = await this.db.selectFrom('breaker_states').select('memory').where('name', '=', name).executeTakeFirst();
    return row ? (JSON.parse(row.memory) as BreakerMemory) : null;
  }

  async save(m: BreakerMemory): Promise<void> {
    const row = { memory: JSON.stringify(m), updated_at: m.changedAt };
    await this.db
      .insertInto('breaker_states')
      .values({ name: m.name, ...row })
      .onConflict((oc) => oc.column('name').doUpdateSet(row))
      .execute();
  }

  async list(): Promise<BreakerMemory[]> {
    const rows = await this.db.selectFrom('breaker_states').select('memory').orderBy('name').execute();
    return rows.map((r) => JSON.parse(r.memory) as BreakerMemory);
  }
}
