import { COUNTER_WRITE_MS, type BreakerMemory } from '../../lib/circuit-breaker.js';
import type { BreakerStateRepository } from '../port.js';
import type { Session } from '../session.js';
import { sqliteFast } from './database.js';
import { cancelDeferred, deferWrite } from './deferred-writes.js';
import { prepared, runPrepared } from './prepared.js';

const SAVE_SQL = 'INSERT INTO breaker_states (name, memory, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET memory = excluded.memory, updated_at = excluded.updated_at';

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
  /** performance.now() since which a counters write of each breaker has been held (see saveCounters). */
  private readonly heldSince = new Map<string, number>();

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
      // A held counters write is older than this one: it must not land after it.
      cancelDeferred(fast.raw, `breaker_states|${m.name}`);
      this.heldSince.delete(m.name);
      await runPrepared(fast, SAVE_SQL, [m.name, row.memory, row.updated_at]);
      return;
    }
    await this.db
      .insertInto('breaker_states')
      .values({ name: m.name, ...row })
      .onConflict((oc) => oc.column('name').doUpdateSet(row))
      .execute();
  }

  /**
   * See the port. On SQLite outside a transaction, the write waits for the next transaction on
   * the connection (deferred-writes.ts; the store writes what waits when it closes), keyed by
   * breaker, so only the last counters are written: an agent replay's venue breaker changed its
   * counters every cycle (the breaker's clock is the replay's, an hour a cycle), and that write
   * was a commit of its own. Held for COUNTER_WRITE_MS of real time at most: then it is written at
   * once, so another process sees counters at most that old, as with a plain `save` each time.
   */
  async saveCounters(m: BreakerMemory): Promise<void> {
    const fast = sqliteFast(this.sqlite);
    const now = performance.now();
    const since = this.heldSince.get(m.name) ?? now;
    if (!fast || fast.tx || now - since >= COUNTER_WRITE_MS) return this.save(m);
    this.heldSince.set(m.name, since);
    const raw = fast.raw;
    const params = [m.name, JSON.stringify(m), m.changedAt];
    deferWrite(raw, `breaker_states|${m.name}`, () => {
      prepared(raw, SAVE_SQL).run(params);
      this.heldSince.delete(m.name);
    });
  }

  async list(): Promise<BreakerMemory[]> {
    const rows = await this.db.selectFrom('breaker_states').select('memory').orderBy('name').execute();
    return rows.map((r) => JSON.parse(r.memory) as BreakerMemory);
  }
}
