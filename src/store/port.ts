import type { ApprovalRepository, AgentStateRepository } from './ports/agent.js';
import type { AuthRepository } from './ports/auth.js';
import type { AuditLogRepository } from './ports/audit.js';
import type { JobResultRepository } from './ports/backtest-results.js';
import type { BreakerStateRepository } from './ports/breakers.js';
import type { CandleRepository } from './ports/candles.js';
import type { CassetteRepository } from './ports/cassettes.js';
import type { DecisionRepository } from './ports/decisions.js';
import type { EquitySnapshotRepository } from './ports/equity.js';
import type { EventOutbox } from './ports/events.js';
import type { FundamentalsRepository } from './ports/fundamentals.js';
import type { JobRepository } from './ports/jobs.js';
import type { IdempotencyRepository } from './ports/idempotency.js';
import type { InvestorRepository } from './ports/investor.js';
import type { LeaseRepository } from './ports/leases.js';
import type { MemoryRepository } from './ports/memory.js';
import type { CloseReasonRepository, MonitorRepository } from './ports/monitor.js';
import type { OrderJournalRepository } from './ports/orders.js';
import type { PaperRepository } from './ports/paper.js';
import type { ProviderUsageRepository } from './ports/provider-usage.js';
import type { PersonalRecordsRepository } from './ports/personal.js';
import type { SealedValuesRepository } from './ports/sealed.js';

/**
 * Storage ports: the one place they are declared (one file per area under ./ports/, all
 * re-exported here). Everything else depends on these interfaces; src/store/<engine>/ implements
 * every one of them, and test/contract/store.contract.ts is what each engine must pass.
 */
export type * from './ports/agent.js';
export type * from './ports/auth.js';
export type * from './ports/audit.js';
export type * from './ports/backtest-results.js';
export type * from './ports/breakers.js';
export type * from './ports/candles.js';
export type * from './ports/cassettes.js';
export type * from './ports/decisions.js';
export type * from './ports/equity.js';
export type * from './ports/events.js';
export type * from './ports/fundamentals.js';
export type * from './ports/jobs.js';
export type * from './ports/idempotency.js';
export type * from './ports/investor.js';
export type * from './ports/leases.js';
export type * from './ports/memory.js';
export type * from './ports/monitor.js';
export type * from './ports/orders.js';
export type * from './ports/paper.js';
export type * from './ports/provider-usage.js';
export type * from './ports/personal.js';
export type * from './ports/sealed.js';

/** One database: every repository, and the unit of work that spans them. */
export interface Store {
  readonly engine: string;
  readonly location: string;
  readonly decisions: DecisionRepository;
  readonly candles: CandleRepository;
  readonly events: EventOutbox;
  readonly leases: LeaseRepository;
  readonly equity: EquitySnapshotRepository;
  readonly orders: OrderJournalRepository;
  readonly paper: PaperRepository;
  readonly memory: MemoryRepository;
  readonly monitor: MonitorRepository;
  readonly closeReasons: CloseReasonRepository;
  readonly approvals: ApprovalRepository;
  readonly agentState: AgentStateRepository;
  readonly cassettes: CassetteRepository;
  readonly providerUsage: ProviderUsageRepository;
  readonly backtestResults: JobResultRepository;
  readonly breakers: BreakerStateRepository;
  readonly auth: AuthRepository;
  readonly audit: AuditLogRepository;
  readonly jobs: JobRepository;
  readonly idempotency: IdempotencyRepository;
  readonly investor: InvestorRepository;
  /** Encrypted columns as stored (key check, rotation). */
  readonly sealed: SealedValuesRepository;
  /** Rows naming a person (GDPR export and erasure; src/store/personal-columns.ts). */
  readonly personal: PersonalRecordsRepository;
  readonly fundamentals: FundamentalsRepository;
  /**
   * Unit of work: every repository used through `tx` writes inside one database transaction,
   * committed when `fn` resolves and rolled back when it throws. The write lock is taken at the
   * start, so a read-check-write inside `fn` is atomic against other transactions, in this
   * process and in others sharing the database. Inside `fn`, use `tx` only: the outer store
   * waits until the transaction ends (so calling it from `fn` would wait on itself). Keep `fn`
   * short and free of network calls: other writers queue behind it. `tx.transaction` nests (a
   * savepoint: an inner failure undoes only the inner writes).
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /** Resolves once the database answers; a classified FfeError (STORE_UNREACHABLE, STORE_UNAVAILABLE, ...) when it does not. */
  ping(): Promise<void>;
  /** Closes the root store; a transaction's `tx` cannot be closed. */
  close(): Promise<void>;
}
