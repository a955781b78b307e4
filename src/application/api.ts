import type { ReplayClock } from '../agent/replay-clock.js';
import { agentUseCases, openAgentRuntime, type ReplayRequest } from './agent.js';
import { auditUseCases } from './audit/use-cases.js';
import { botUseCases } from './bot/index.js';
import { insightUseCases } from './insight.js';
import { investorUseCases } from './investor/index.js';
import { lazyGroup } from './lazy-group.js';
import { mlUseCases } from './ml.js';
import { Runtime, type RuntimeOptions } from './runtime.js';
import { classifyingStoreFailures, storeFailure } from './store-failures.js';
import { configUseCases, systemUseCases } from './system.js';
import { tradingUseCases } from './trading.js';

// Groups built on their first call (lazyGroup): their modules load only for the commands that use them.
type AuthGroup = ReturnType<typeof import('./auth/auth.js').authUseCases>;
type BacktestGroup = ReturnType<typeof import('./backtests.js').backtestUseCases>;
type GdprGroup = ReturnType<typeof import('./gdpr/index.js').gdprUseCases>;
type FundamentalsGroup = ReturnType<typeof import('./fundamentals.js').fundamentalsUseCases>;
type JobGroup = ReturnType<typeof import('./jobs/index.js').jobUseCases>;
type MarketGroup = ReturnType<typeof import('./market.js').marketUseCases>;
type ProviderGroup = ReturnType<typeof import('./providers.js').providerUseCases>;

/**
 * The one place every interface calls (the CLI now; the REST API, WebSocket, Telegram and web
 * dashboard next): typed use cases over a `Runtime`, each returning plain data. Interfaces parse
 * their input, make one call and format the answer; none reaches past this class.
 */
export class FfeApi {
  readonly trading: ReturnType<typeof tradingUseCases>;
  readonly agent: ReturnType<typeof agentUseCases>;
  readonly insight: ReturnType<typeof insightUseCases>;
  readonly system: ReturnType<typeof systemUseCases>;
  readonly backtests: BacktestGroup;
  readonly providers: ProviderGroup;
  readonly auth: AuthGroup;
  readonly audit: ReturnType<typeof auditUseCases>;
  readonly jobs: JobGroup;
  readonly bot: ReturnType<typeof botUseCases>;
  readonly market: MarketGroup;
  readonly investor: ReturnType<typeof investorUseCases>;
  readonly gdpr: GdprGroup;
  readonly fundamentals: FundamentalsGroup;
  readonly ml: ReturnType<typeof mlUseCases>;
  /** Configuration use cases need no runtime. */
  static readonly config = configUseCases;

  constructor(
    readonly runtime: Runtime,
    replayClock: ReplayClock | null = null,
  ) {
    // A storage failure during any call is one classified error naming the store (read-only, disk full...).
    this.trading = classifyingStoreFailures(tradingUseCases(runtime), runtime);
    this.agent = classifyingStoreFailures(agentUseCases(runtime, replayClock), runtime);
    this.insight = classifyingStoreFailures(insightUseCases(runtime), runtime);
    this.system = classifyingStoreFailures(systemUseCases(runtime), runtime);
    this.backtests = lazyGroup(async () => classifyingStoreFailures((await import('./backtests.js')).backtestUseCases(runtime), runtime));
    this.providers = lazyGroup(async () => classifyingStoreFailures((await import('./providers.js')).providerUseCases(runtime), runtime));
    this.auth = lazyGroup(async () => classifyingStoreFailures((await import('./auth/auth.js')).authUseCases(runtime), runtime));
    this.audit = classifyingStoreFailures(auditUseCases(runtime), runtime);
    this.jobs = lazyGroup(async () => classifyingStoreFailures((await import('./jobs/index.js')).jobUseCases(runtime), runtime));
    this.market = lazyGroup(async () => classifyingStoreFailures((await import('./market.js')).marketUseCases(runtime), runtime));
    this.investor = classifyingStoreFailures(investorUseCases(runtime), runtime);
    this.gdpr = lazyGroup(async () => classifyingStoreFailures((await import('./gdpr/index.js')).gdprUseCases(runtime), runtime));
    this.fundamentals = lazyGroup(async () => classifyingStoreFailures((await import('./fundamentals.js')).fundamentalsUseCases(runtime), runtime));
    this.ml = classifyingStoreFailures(mlUseCases(runtime), runtime);
    this.bot = classifyingStoreFailures(botUseCases(runtime, { agent: this.agent, trading: this.trading }), runtime);
  }

  static async open(opts: RuntimeOptions = {}): Promise<FfeApi> {
    return new FfeApi(await Runtime.open(opts));
  }

  /** For an agent run: a replay opens its own sandbox store on a replay clock. */
  static async openForAgent(opts: RuntimeOptions, replay?: ReplayRequest): Promise<FfeApi> {
    const { rt, clock } = await openAgentRuntime(opts, replay);
    return new FfeApi(rt, clock);
  }

  /** Domain events as they commit: interfaces subscribe here (the CLI's agent log, later WebSocket and Telegram). */
  get events() {
    return this.runtime.events;
  }

  /** Secrets every output must be scrubbed of. */
  get secrets(): string[] {
    return this.runtime.secrets;
  }

  close(): Promise<void> {
    return this.runtime.close().catch((e: unknown) => Promise.reject(storeFailure(this.runtime, e)));
  }
}
