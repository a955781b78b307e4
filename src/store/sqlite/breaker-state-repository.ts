import type { BreakerMemory } from '../../lib/circuit-breaker.js';
import type { BreakerStateRepository } from '../port.js';
import type { Session } from '../session.js';
import { sqliteFast } from './database.js';
import { runPrepared } from './prepared.js';

type BreakerStateRow = { name: string; memory: string; updated_at: number };
export type BreakerTables = { breaker_states: BreakerStateRow };

/**
 * Breaker state in SQLite, one row per breaker; last writer wins between processes. A save runs
 * on the session's connection once it is ours (`exclusive`, not a bare better-sqlite3 call), so it
 * waits for another flow's open transaction instead of landing inside it, and a save through `tx`
 * rolls back with it; the statement is prepared once (a replay saves a breaker every cycle).
 */
export class SqliteBreakerStates implements BreakerStateRepository {
  private readonly db;

  constructor(private readonly sqlite: Session) {
    this.db = sqlite.db.withTables<BreakerTables>();
  }

  async load(name: string): Promise<BreakerMemory | null> {
    const row = await this.db.selectFrom('breaker_states').select('memory').where('name', '=', name).executeTakeFirst();
    return row ? (JSON.parse(row.memory) as BreakerMemory) : null;
  }

  async save(m: BreakerMemory): Promise<void> {
    const row = { memory: JSON.stringify(m), updated_at: m.changedAt };
    const fast = sqliteFast(this.sqlite);
    if (fast) {
      await runPrepared(fast, 'INSERT INTO breaker_states (name, memory, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET memory = excluded.memory, updated_at = excluded.updated_at', [
        m.name,
        row.memory,
        row.updated_at,
      ]);
      return;
    }
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
