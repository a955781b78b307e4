import { sql } from 'kysely';
import { FfeError } from '../core/errors.js';
import { NO_CIPHER, type FieldCipher } from './field-cipher.js';
import type { Store } from './port.js';
import type { Session } from './session.js';
import { SqliteAgentStateRepository, SqliteApprovalRepository } from './sqlite/agent-repository.js';
import { SqliteAuthRepository } from './sqlite/auth-repository.js';
import { SqliteAuditLog } from './sqlite/audit-repository.js';
import { SqliteBacktestResultRepository } from './sqlite/backtest-result-repository.js';
import { SqliteBreakerStates } from './sqlite/breaker-state-repository.js';
import { SqliteCandleRepository } from './sqlite/candle-repository.js';
import { SqliteCassetteRepository } from './sqlite/cassette-repository.js';
import { SqliteDecisionRepository } from './sqlite/decision-repository.js';
import { SqliteEquitySnapshotRepository } from './sqlite/equity-snapshot-repository.js';
import { SqliteEventOutbox } from './sqlite/event-outbox-repository.js';
import { SqliteFundamentalsRepository } from './sqlite/fundamentals-repository.js';
import { SqliteJobRepository } from './sqlite/job-repository.js';
import { SqliteIdempotencyRepository } from './sqlite/idempotency-repository.js';
import { SqliteInvestorRepository } from './sqlite/investor-repository.js';
import { SqliteLeaseRepository } from './sqlite/lease-repository.js';
import { SqliteMemoryRepository } from './sqlite/memory-repository.js';
import { SqliteMonitorRepository } from './sqlite/monitor-repository.js';
import { SqliteOrderJournal } from './sqlite/order-journal-repository.js';
import { SqlitePaperRepository } from './sqlite/paper-repository.js';
import { SqliteProviderUsageRepository } from './sqlite/provider-usage-repository.js';
import { SqlitePersonalRecords } from './sqlite/personal-records-repository.js';
import { SqliteSealedValues } from './sqlite/sealed-values-repository.js';

/**
 * The repositories of one session, on any engine: they are written once in Kysely (SQLite keeps
 * synchronous fast paths inside a few of them). An engine subclass opens the root session; a
 * transaction's store is the same class over the transaction's session.
 */
export class SessionStore implements Store {
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
  readonly investor: SqliteInvestorRepository;
  readonly sealed: SqliteSealedValues;
  readonly personal: SqlitePersonalRecords;
  /** Encryption at rest of the fields listed in ./sealed-columns.ts (no key: plain); a transaction's store shares its root's. */
  private fieldCipher: FieldCipher = NO_CIPHER;
  readonly fundamentals: SqliteFundamentalsRepository;

  constructor(
    readonly session: Session,
    candles?: SqliteCandleRepository,
    events?: SqliteEventOutbox,
  ) {
    const sqlite = session;
    this.decisions = new SqliteDecisionRepository(sqlite);
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
    this.auth = new SqliteAuthRepository(sqlite, () => this.cipher);
    this.audit = new SqliteAuditLog(sqlite);
    this.jobs = new SqliteJobRepository(sqlite);
    this.idempotency = new SqliteIdempotencyRepository(sqlite);
    this.investor = new SqliteInvestorRepository(sqlite, () => this.cipher);
    this.sealed = new SqliteSealedValues(sqlite);
    this.personal = new SqlitePersonalRecords(sqlite);
    this.fundamentals = new SqliteFundamentalsRepository(sqlite);
  }

  get cipher(): FieldCipher {
    return this.fieldCipher;
  }

  /** Sets the cipher sealed fields are written and read with (the runtime installs the environment's, see application/gdpr/keys.ts). */
  useCipher(cipher: FieldCipher): void {
    this.fieldCipher = cipher;
  }

  /** A transaction's store: the engine's `within`, sharing this store's cipher. */
  protected inherit<S extends SessionStore>(tx: S): S {
    tx.fieldCipher = this.fieldCipher;
    return tx;
  }

  get engine(): string {
    return this.session.dialect;
  }

  get location(): string {
    return this.session.path;
  }

  /** The store of a transaction's session, sharing this one's caches and listeners. */
  protected within(tx: Session): SessionStore {
    return new SessionStore(tx, this.candles, this.events);
  }

  /** See Store.transaction, and each engine's transaction.ts (how it serialises transactions within and across processes). */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    return this.session.transaction((tx) => fn(this.inherit(this.within(tx))));
  }

  /** Answers once the database does; an engine that can lose its server says so with a classified error. */
  async ping(): Promise<void> {
    await sql`select 1`.execute(this.session.db);
  }

  async close(): Promise<void> {
    if (this.session.tx) throw new FfeError('runtime', 'STORE_TX_CLOSE', 'a transaction ends when its function returns; close the store itself');
    await this.session.db.destroy();
  }
}
