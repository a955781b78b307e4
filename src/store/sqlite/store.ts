import { FfeError } from '../../core/errors.js';
import type { Store } from '../port.js';
import { SqliteAgentStateRepository, SqliteApprovalRepository } from './agent-repository.js';
import { SqliteAuthRepository } from './auth-repository.js';
import { SqliteAuditLog } from './audit-repository.js';
import { SqliteBacktestResultRepository } from './backtest-result-repository.js';
import { SqliteBreakerStates } from './breaker-state-repository.js';
import { SqliteCandleRepository } from './candle-repository.js';
import { SqliteCassetteRepository } from './cassette-repository.js';
import { openSqlite, type OpenedSqlite } from './database.js';
import { SqliteDecisionRepository } from './decision-repository.js';
import { SqliteEquitySnapshotRepository } from './equity-snapshot-repository.js';
import { SqliteEventOutbox } from './event-outbox-repository.js';
import { SqliteJobRepository } from './job-repository.js';
import { SqliteIdempotencyRepository } from './idempotency-repository.js';
import { SqliteLeaseRepository } from './lease-repository.js';
import { SqliteMemoryRepository } from './memory-repository.js';
import { SqliteMonitorRepository } from './monitor-repository.js';
import { SqliteOrderJournal } from './order-journal-repository.js';
import { SqlitePaperRepository } from './paper-repository.js';
import { SqliteProviderUsageRepository } from './provider-usage-repository.js';
import { runTransaction } from './transaction.js';

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
  readonly breakers: SqliteBreakerStates;
  readonly auth: SqliteAuthRepository;
  readonly audit: SqliteAuditLog;
  readonly jobs: SqliteJobRepository;
  readonly idempotency: SqliteIdempotencyRepository;

  private constructor(
    readonly sqlite: OpenedSqlite,
    candles?: SqliteCandleRepository,
    events?: SqliteEventOutbox,
  ) {
    this.decisions = new SqliteDecisionRepository(sqlite.db);
    this.candles = candles ? candles.within(sqlite) : new SqliteCandleRepository(sqlite);
    this.events = events ? events.within(sqlite) : new SqliteEventOutbox(sqlite);
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
    this.breakers = new SqliteBreakerStates(sqlite);
    this.auth = new SqliteAuthRepository(sqlite);
    this.audit = new SqliteAuditLog(sqlite);
    this.jobs = new SqliteJobRepository(sqlite);
    this.idempotency = new SqliteIdempotencyRepository(sqlite);
  }

  get location(): string {
    return this.sqlite.path;
  }

  static async open(path: string): Promise<SqliteStore> {
    return new SqliteStore(await openSqlite(path));
  }

  /** See Store.transaction and ./transaction.ts (how SQLite serialises transactions within and across processes). */
  transaction<T>(fn: (tx: SqliteStore) => Promise<T>): Promise<T> {
    return runTransaction(this.sqlite, (session) => fn(new SqliteStore(session, this.candles, this.events)));
  }

  async close(): Promise<void> {
    if (this.sqlite.tx) throw new FfeError('runtime', 'STORE_TX_CLOSE', 'a transaction ends when its function returns; close the store itself');
    await this.sqlite.db.destroy();
  }
}
