import type { Store } from '../port.js';
import { SqliteCandleRepository } from './candle-repository.js';
import { openSqlite, type OpenedSqlite } from './database.js';
import { SqliteDecisionRepository } from './decision-repository.js';

export class SqliteStore implements Store {
  readonly engine = 'sqlite';
  readonly decisions: SqliteDecisionRepository;
  readonly candles: SqliteCandleRepository;

  private constructor(readonly sqlite: OpenedSqlite) {
    this.decisions = new SqliteDecisionRepository(sqlite.db);
    this.candles = new SqliteCandleRepository(sqlite);
  }

  get location(): string {
    return this.sqlite.path;
  }

  static async open(path: string): Promise<SqliteStore> {
    return new SqliteStore(await openSqlite(path));
  }

  async close(): Promise<void> {
    await this.sqlite.db.destroy();
  }
}
