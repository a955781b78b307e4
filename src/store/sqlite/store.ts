import type { KyselyPlugin } from 'kysely';
import { FfeError } from '../../core/errors.js';
import type { Store } from '../port.js';
import { SqliteAgentStateRepository, SqliteApprovalRepository } from './agent-repository.js';
import { SqliteBacktestResultRepository } from './backtest-result-repository.js';
import { SqliteCandleRepository } from './candle-repository.js';
import { SqliteCassetteRepository } from './cassette-repository.js';
import { openSqlite, type OpenedSqlite, type SqliteDb } from './database.js';
import { SqliteDecisionRepository } from './decision-repository.js';
import { SqliteEquitySnapshotRepository } from './equity-snapshot-repository.js';
import { SqliteEventOutbox } from './event-outbox-repository.js';
import { SqliteLeaseRepository } from './lease-repository.js';
import { SqliteMemoryRepository } from './memory-repository.js';
import { SqliteMonitorRepository } from './monitor-repository.js';
import { SqliteOrderJournal } from './order-journal-repository.js';
import { SqlitePaperRepository } from './paper-repository.js';
import { SqliteProviderUsageRepository } from './provider-usage-repository.js';

/** How long a transaction waits for another writer (another process, or another handle on the file) to finish. */
const TX_BEGIN_WAIT_MS = 10_000;

const closedTx = () => new FfeError('runtime', 'STORE_TX_CLOSED', 'a store transaction was used after it ended (keep using the store itself)');

/** The session of one open transaction: its Kysely handle is bound to the held connection and refuses work once the transaction ended. */
function transactionSession(root: OpenedSqlite, conn: SqliteDb): OpenedSqlite {
  const tx = { open: true, depth: 0 };
  const guard: KyselyPlugin = {
    transformQuery: (a) => {
      if (!tx.open) throw closedTx();
      return a.node;
    },
    transformResult: async (a) => a.result,
  };
  return {
    db: conn.withPlugin(guard),
    raw: root.raw,
    path: root.path,
    tx,
    exclusive: async (fn) => {
      if (!tx.open) throw closedTx();
      return fn();
    },
  };
}

export class SqliteStore implements Store {
  readonly engine = 'sqlite';
  readonly decisions: SqliteDecisionRepository;
  readonly candles: SqliteCandleRepository;
  readonly events: SqliteEventOutbox;
  readonly leases: SqliteLeaseRepository;
  readonly equity: SqliteEquitySnapshotRepository;
  readonly orders: SqliteOrderJournal;
  readonly paper: SqlitePaperRepository;
  readonly memory: SqliteMemoryRepository;
  readonly monitor: SqliteMonitorRepository;
  readonly closeReasons: SqliteMonitorRepository;
  readonly approvals: SqliteApprovalRepository;
  readonly agentState: SqliteAgentStateRepository;
  readonly cassettes: SqliteCassetteRepository;
  readonly providerUsage: SqliteProviderUsageRepository;
  readonly backtestResults: SqliteBacktestResultRepository;

  private constructor(
    readonly sqlite: OpenedSqlite,
    candles?: SqliteCandleRepository,
  ) {
    this.decisions = new SqliteDecisionRepository(sqlite.db);
    this.candles = candles ? candles.within(sqlite) : new SqliteCandleRepository(sqlite);
    this.events = new SqliteEventOutbox(sqlite);
    this.leases = new SqliteLeaseRepository(sqlite);
    this.equity = new SqliteEquitySnapshotRepository(sqlite);
    this.orders = new SqliteOrderJournal(sqlite);
    this.paper = new SqlitePaperRepository(sqlite);
    this.memory = new SqliteMemoryRepository(sqlite);
    this.monitor = this.closeReasons = new SqliteMonitorRepository(sqlite);
    this.approvals = new SqliteApprovalRepository(sqlite);
    this.agentState = new SqliteAgentStateRepository(sqlite);
    this.cassettes = new SqliteCassetteRepository(sqlite);
    this.providerUsage = new SqliteProviderUsageRepository(sqlite);
    this.backtestResults = new SqliteBacktestResultRepository(sqlite);
  }

  get location(): string {
    return this.sqlite.path;
  }

  static async open(path: string): Promise<SqliteStore> {
    return new SqliteStore(await openSqlite(path));
  }

  /**
   * BEGIN IMMEDIATE takes the file's write lock at once (waiting up to busy_timeout for another
   * process's writer), so two processes doing read-check-write cannot both pass the check; in
   * this process, holding Kysely's single connection makes every query of other async flows wait
   * (repositories run their synchronous better-sqlite3 work through `exclusive` for the same).
   */
  async transaction<T>(fn: (tx: SqliteStore) => Promise<T>): Promise<T> {
    const open = this.sqlite.tx;
    if (open) return this.savepoint(open, fn);
    return this.sqlite.db.connection().execute(async (conn) => {
      const session = transactionSession(this.sqlite, conn);
      const raw = this.sqlite.raw;
      await this.beginImmediate();
      try {
        const result = await fn(new SqliteStore(session, this.candles));
        raw.exec('COMMIT');
        return result;
      } catch (e) {
        // A failed COMMIT may already have ended the transaction.
        if (raw.inTransaction) raw.exec('ROLLBACK');
        throw e;
      } finally {
        session.tx!.open = false;
      }
    });
  }

  /**
   * Takes the write lock, polling without blocking the event loop: with busy_timeout, a waiting
   * BEGIN would freeze this process (its HTTP server, its timers, and a transaction of another
   * handle on the same file that must finish first) for as long as the other writer holds on.
   */
  private async beginImmediate(): Promise<void> {
    const raw = this.sqlite.raw;
    const deadline = Date.now() + TX_BEGIN_WAIT_MS;
    const busyTimeout = raw.pragma('busy_timeout', { simple: true }) as number;
    raw.pragma('busy_timeout = 0');
    try {
      for (let pause = 1; ; pause = Math.min(pause * 2, 25)) {
        try {
          raw.exec('BEGIN IMMEDIATE');
          return;
        } catch (e) {
          if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
          if (Date.now() >= deadline) throw new FfeError('runtime', 'STORE_BUSY', `database ${this.location} stayed locked by another writer for ${TX_BEGIN_WAIT_MS / 1000} s`);
        }
        await new Promise((r) => setTimeout(r, pause));
      }
    } finally {
      raw.pragma(`busy_timeout = ${busyTimeout}`);
    }
  }

  /** Nested unit of work inside an open transaction: an inner failure undoes only the inner writes. */
  private async savepoint<T>(tx: { open: boolean; depth: number }, fn: (tx: SqliteStore) => Promise<T>): Promise<T> {
    if (!tx.open) throw closedTx();
    const name = `ffe_sp_${++tx.depth}`;
    const raw = this.sqlite.raw;
    raw.exec(`SAVEPOINT ${name}`);
    try {
      const result = await fn(this);
      raw.exec(`RELEASE ${name}`);
      return result;
    } catch (e) {
      if (raw.inTransaction) raw.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
      throw e;
    } finally {
      tx.depth--;
    }
  }

  async close(): Promise<void> {
    if (this.sqlite.tx) throw new FfeError('runtime', 'STORE_TX_CLOSE', 'a transaction ends when its function returns; close the store itself');
    await this.sqlite.db.destroy();
  }
}
