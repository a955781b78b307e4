import type { BreakerMemory, BreakerPersistence } from '../../lib/circuit-breaker.js';
import type { OpenedSqlite } from './database.js';

/** Breaker state in SQLite, one row per breaker. Last writer wins between processes. */
export class SqliteBreakerStates implements BreakerPersistence {
  private readonly read;
  private readonly write;
  private readonly all;

  constructor(sqlite: OpenedSqlite) {
    this.read = sqlite.raw.prepare<[string], { memory: string }>('SELECT memory FROM breaker_states WHERE name = ?');
    this.write = sqlite.raw.prepare<[string, string, number]>(
      'INSERT INTO breaker_states (name, memory, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET memory = excluded.memory, updated_at = excluded.updated_at',
    );
    this.all = sqlite.raw.prepare<[], { memory: string }>('SELECT memory FROM breaker_states ORDER BY name');
  }

  async load(name: string): Promise<BreakerMemory | null> {
    const row = this.read.get(name);
    return row ? (JSON.parse(row.memory) as BreakerMemory) : null;
  }

  async save(m: BreakerMemory): Promise<void> {
    this.write.run(m.name, JSON.stringify(m), m.changedAt);
  }

  async list(): Promise<BreakerMemory[]> {
    return this.all.all().map((r) => JSON.parse(r.memory) as BreakerMemory);
  }
}
