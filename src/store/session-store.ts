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
  readonly candles: SqliteCandleRepository;
  readonly events: SqliteEventOutbox;
  /** Encryption at rest of the fields listed in ./sealed-columns.ts (no key: plain); a transaction's store shares its root's. */
  private fieldCipher: FieldCipher = NO_CIPHER;
  /**
   * The other repositories, each built on first use: a transaction's store is built per
   * transaction (thousands in a replay) and most use one or two of its two dozen repositories.
   */
  private readonly made: Partial<Record<string, unknown>> = {};

  constructor(
    readonly session: Session,
    candles?: SqliteCandleRepository,
    events?: SqliteEventOutbox,
  ) {
    this.candles = candles ? candles.within(session) : new SqliteCandleRepository(session);
    this.events = events ? events.within(session) : new SqliteEventOutbox(session);
  }

  private lazy<R>(key: string, make: (s: Session) => R): R {
    return (this.made[key] ??= make(this.session)) as R;
  }

  get decisions(): SqliteDecisionRepository {
    return this.lazy('decisions', (s) => new SqliteDecisionRepository(s));
  }

  get leases(): SqliteLeaseRepository {
    return this.lazy('leases', (s) => new SqliteLeaseRepository(s));
  }

  get equity(): SqliteEquitySnapshotRepository {
    return this.lazy('equity', (s) => new SqliteEquitySnapshotRepository(s));
  }

  get orders(): SqliteOrderJournal {
    return this.lazy('orders', (s) => new SqliteOrderJournal(s));
  }

  get paper(): SqlitePaperRepository {
    return this.lazy('paper', (s) => new SqlitePaperRepository(s));
  }

  get memory(): SqliteMemoryRepository {
    return this.lazy('memory', (s) => new SqliteMemoryRepository(s));
  }

  get monitor(): SqliteMonitorRepository {
    return this.lazy('monitor', (s) => new SqliteMonitorRepository(s));
  }

  get closeReasons(): SqliteMonitorRepository {
    return this.monitor;
  }

  get approvals(): SqliteApprovalRepository {
    return this.lazy('approvals', (s) => new SqliteApprovalRepository(s));
  }

  get agentState(): SqliteAgentStateRepository {
    return this.lazy('agentState', (s) => new SqliteAgentStateRepository(s));
  }

  get cassettes(): SqliteCassetteRepository {
    return this.lazy('cassettes', (s) => new SqliteCassetteRepository(s));
  }

  get providerUsage(): SqliteProviderUsageRepository {
    return this.lazy('providerUsage', (s) => new SqliteProviderUsageRepository(s));
  }

  get backtestResults(): SqliteBacktestResultRepository {
    return this.lazy('backtestResults', (s) => new SqliteBacktestResultRepository(s));
  }

  get breakers(): SqliteBreakerStates {
    return this.lazy('breakers', (s) => new SqliteBreakerStates(s));
  }

  get auth(): SqliteAuthRepository {
    return this.lazy('auth', (s) => new SqliteAuthRepository(s, () => this.cipher));
  }

  get audit(): SqliteAuditLog {
    return this.lazy('audit', (s) => new SqliteAuditLog(s));
  }

  get jobs(): SqliteJobRepository {
    return this.lazy('jobs', (s) => new SqliteJobRepository(s));
  }

  get idempotency(): SqliteIdempotencyRepository {
    return this.lazy('idempotency', (s) => new SqliteIdempotencyRepository(s));
  }

  get investor(): SqliteInvestorRepository {
    return this.lazy('investor', (s) => new SqliteInvestorRepository(s, () => this.cipher));
  }

  get sealed(): SqliteSealedValues {
    return this.lazy('sealed', (s) => new SqliteSealedValues(s));
  }

  get personal(): SqlitePersonalRecords {
    return this.lazy('personal', (s) => new SqlitePersonalRecords(s));
  }

  get fundamentals(): SqliteFundamentalsRepository {
    return this.lazy('fundamentals', (s) => new SqliteFundamentalsRepository(s));
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
    return this.session.transaction((tx) => this.run(tx, fn));
  }

  /** `fn` on the store of the transaction session `tx`; a top-level one then tells the outbox's committing listeners what it appended. */
  protected async run<S extends SessionStore, T>(tx: Session, fn: (tx: S) => Promise<T>): Promise<T> {
    const store = this.inherit(this.within(tx)) as S;
    const out = await fn(store);
    if (!this.session.tx) await store.events.beforeCommit(tx.tx!, store);
    return out;
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
