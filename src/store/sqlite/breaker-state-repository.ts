import type { BreakerMemory, BreakerPersistence } from '../../lib/circuit-breaker.js';
import type { OpenedSqlite } from './database.js';

/**
 * Breaker state in SQLite through better-sqlite3's synchronous API: a breaker records every
 * outcome on its call path and must not await. Last writer wins between processes.
 */
export class SqliteBreakerStates implements BreakerPersistence {
  private readonly read;
  private readonly write;

  constructor(sqlite: OpenedSqlite) {
    this.read = sqlite.raw.prepare<[string], { memory: string }>('SELECT memory FROM breaker_states WHERE name = ?');
    this.write = sqlite.raw.prepare<[string, string, number]>(
      'INSERT INTO breaker_states (name, memory, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET memory = excluded.memory, updated_at = excluded.updated_at',
    );
  }

  load(name: string): BreakerMemory | null {
    const row = this.read.get(name);
    return row ? (JSON.parse(row.memory) as BreakerMemory) : null;
  }

  save(m: BreakerMemory): void {
    this.write.run(m.name, JSON.stringify(m), m.changedAt);
  }
}
