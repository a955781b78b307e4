import { loadConfig, type LoadOptions } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { systemClock, type Clock } from '../core/clock.js';
import { inputError } from '../core/errors.js';
import type { FreshnessRule } from '../core/freshness.js';
import { LayeredMarketData } from '../data/composite.js';
import { ReplayClock } from '../agent/replay-clock.js';
import { ImportedMarketData } from '../data/imported/adapter.js';
import type { MarketData } from '../data/port.js';
import { storedFundamentals } from '../analysis/fundamentals.js';
import { AnalysisEngine, type AccountView, type EngineSettings } from '../engine/analysis-engine.js';
import type { DecisionProvider } from '../providers/port.js';
import { openStore, parseStoreUrl } from '../store/open.js';
import { cipherFor } from '../store/sealed-check.js';
import type { SessionStore } from '../store/session-store.js';
import { dataHome, storePath, type DataHome } from '../application/home.js';
import { classifyStoreError, storePathProblem } from './store-errors.js';
import { buildFeedback, type FeedbackSetup } from './feedback-setup.js';
import { buildNews, buildProviders, type ProviderSetup } from './provider-setup.js';
import { buildMarketData } from './data-setup.js';
import { buildTrading, type TradingSetup } from './execution-setup.js';
import { tradePolicy, tradingCosts } from './policy-setup.js';
import { Tuning, TUNING_KEY, type TuningOverrides } from './tuning.js';
import { decisionsWithEvents } from '../engine/decision-events.js';
import type { AccountMode } from '../execution/mode.js';
import { TradeMonitor } from '../monitor/trade-monitor.js';
import type { DecisionRepository } from '../store/port.js';
import { monotonicFactory } from 'ulid';
import { observedStore } from './observed-store.js';
import { RuntimeObservers } from './observers.js';

export interface App {
  config: Config;
  configSources: string[];
  /** FFE's data home (FFE_HOME, XDG_DATA_HOME/ffe or ~/.local/share/ffe) and the store file in use. */
  home: DataHome;
  store: SessionStore;
  marketData: MarketData;
  engine: AnalysisEngine;
  providers: Map<string, DecisionProvider>;
  /** Provider catalog, cassette and usage accounting (`ffe providers`, backtests). */
  providerSetup: ProviderSetup;
  clock: Clock;
  /** Circuit breakers of this process (`ffe status`). */
  breakers: TradingSetup['breakers'];
  gatekeeper: TradingSetup['gatekeeper'];
  /** The one order path; nothing else in the app can reach a venue's order methods. */
  execution: TradingSetup['execution'];
  /** Balances, positions, equity (read-only). */
  account: TradingSetup['account'];
  /** An account's one guarded venue, read-only (the agent, the monitor, a replay's price feed). */
  venueView: TradingSetup['view'];
  /** The order journal (read by the monitor); journal changes that are news are stored with their OrderSubmitted / OrderFilled events. */
  journal: TradingSetup['journal'];
  /** Decisions; storing one stores its DecisionMade event in the same transaction. */
  decisions: DecisionRepository;
  /** The trade monitor of an account (one per account, shared by the agent and the order use cases): it records closed trades with their PositionClosed events. */
  monitor(mode: AccountMode): TradeMonitor;
  /** Portfolio memory, adaptive weights, monitor/approval/agent stores (the feedback loop). */
  feedback: FeedbackSetup;
  /** Settings an operator may change while running (threshold, sizing, stop, concurrency, ensemble weights); the engine, agent and ensemble read them live. */
  tuning: Tuning;
  /** Provider calls and store operations as they happen (the metrics listen). */
  observers: RuntimeObservers;
  close(): Promise<void>;
}

export interface CreateAppOptions extends LoadOptions {
  clock?: Clock;
  /** A store file instead of the configured one (a replay's sandbox). */
  storePath?: string;
}

const rule = (r: { warn_minutes: number; stale_minutes: number | null }): FreshnessRule => ({ warnMinutes: r.warn_minutes, staleMinutes: r.stale_minutes });

export function engineSettings(cfg: Config): EngineSettings {
  return {
    decisionThreshold: cfg.decision_engine.decision_threshold,
    policy: tradePolicy(cfg),
    freshness: {
      crypto: rule(cfg.data.freshness.crypto),
      forex: rule(cfg.data.freshness.forex),
      stockIntraday: rule(cfg.data.freshness.stock_intraday),
      stockDaily: rule(cfg.data.freshness.stock_daily),
    },
    historyBars: cfg.data.history_bars,
    costs: tradingCosts(cfg),
    defaultProvider: cfg.decision_engine.ai_provider,
    newsItems: cfg.news.max_items,
  };
}

/** The composition root: the only place that knows concrete adapters. */
export async function createApp(opts: CreateAppOptions = {}): Promise<App> {
  const { config, sources, origins } = loadConfig(opts);
  const clock = opts.clock ?? systemClock;
  const cwd = opts.cwd ?? process.cwd();
  const home = dataHome(opts.env ?? process.env, cwd);
  // The store lives in the data home unless a config file or the environment names a file
  // (relative paths then are relative to the working directory the config was read from).
  // database.url is the store's one home; persistence.sqlite_path is its deprecated SQLite-only alias.
  const loc = opts.storePath ? null : config.database.url ? parseStoreUrl(config.database.url) : null;
  let store: SessionStore;
  if (loc?.engine === 'postgres') {
    store = (await openStore(loc.url)) as SessionStore;
  } else {
    const configured = loc?.path ?? config.persistence.sqlite_path;
    const full = opts.storePath ?? storePath(configured, loc !== null || 'persistence.sqlite_path' in origins, home, cwd);
    const bad = storePathProblem(full, configured);
    if (bad) throw bad;
    try {
      store = (await openStore(`sqlite:${full}`)) as SessionStore;
    } catch (e) {
      throw classifyStoreError(e, full, { opening: true });
    }
  }
  // Encrypted fields: refuse a store whose sealed values the environment's key cannot open.
  await cipherFor(store, opts.env ?? process.env).then(
    (cipher) => store.useCipher(cipher),
    async (e: unknown) => {
      await store.close();
      throw e;
    },
  );
  // Everything below uses the store through the timing decorator (store query latency metrics).
  const observers = new RuntimeObservers();
  store = observedStore(store, observers);
  const primary = buildMarketData(config);
  const imported = new ImportedMarketData(store.candles);
  // A replay's runtime (on a replay clock) picks each pair's layer once: its data does not change while it runs.
  const marketData = new LayeredMarketData(
    [
      { source: imported, has: (p) => imported.has(p) },
      { source: primary, has: async () => true },
    ],
    { fixed: clock instanceof ReplayClock },
  );

  const settings = engineSettings(config);
  const tuning = new Tuning(config, settings);
  // Runtime overrides an operator stored (`PATCH /api/v1/bot/config`) survive restarts.
  tuning.setOverrides((await store.agentState.get<TuningOverrides>(TUNING_KEY)) ?? {});
  const feedback = buildFeedback(config, store, clock, () => tuning.providerWeights());
  const providerSetup = buildProviders(config, { store, env: opts.env, weightSource: feedback.weights, onCall: (c) => observers.providerCall(c) });
  feedback.setMembers(Object.fromEntries(providerSetup.catalog.filter((c) => c.inEnsemble).map((c) => [c.name, c.weight])));
  const providers = providerSetup.providers;
  const resolveProvider = (name: string): DecisionProvider => {
    const p = providers.get(name);
    if (!p) throw inputError('PROVIDER_UNKNOWN', `unknown provider "${name}"; configured: ${[...providers.keys()].join(', ')}`);
    return p;
  };
  const decisions = decisionsWithEvents(store, () => clock.now());
  const trading = buildTrading(config, { store, marketData, clock, freshness: settings.freshness });
  const monitors = new Map<AccountMode, TradeMonitor>();
  const newTradeId = monotonicFactory();
  const monitor = (mode: AccountMode): TradeMonitor => {
    let m = monitors.get(mode);
    if (!m) {
      m = new TradeMonitor({
        venue: trading.view(mode),
        journal: trading.journal,
        closeReasons: feedback.closeReasons,
        repo: feedback.monitorRepo,
        clock,
        maxTrackers: config.monitor.max_trackers,
        newId: () => newTradeId(clock.now()),
      });
      monitors.set(mode, m);
    }
    return m;
  };
  const account: AccountView = trading.account.engineView();
  const engine = new AnalysisEngine({
    marketData,
    decisions,
    resolveProvider,
    fallbackProvider: providerSetup.fallback,
    news: buildNews(config, primary),
    clock,
    settings,
    account,
    memory: feedback.memory,
    fundamentals: storedFundamentals(store.fundamentals),
  });
  return {
    config,
    configSources: sources,
    home,
    store,
    marketData,
    engine,
    providers,
    providerSetup,
    clock,
    breakers: trading.breakers,
    gatekeeper: trading.gatekeeper,
    execution: trading.execution,
    account: trading.account,
    venueView: trading.view,
    journal: trading.journal,
    decisions,
    monitor,
    feedback,
    tuning,
    observers,
    // Breaker counters not yet written (they are batched: see CircuitBreaker) go in before the store closes.
    close: async () => {
      await trading.breakers.flush();
      await store.close();
    },
  };
}
