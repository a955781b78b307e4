import { ManualClock } from '../core/clock.js';
import { TIMEFRAME_MS } from '../core/timeframe.js';
import { runThroughExecution, type LiveRunOptions } from '../backtest/live-run.js';
import { PointInTimeMarketData } from '../backtest/point-in-time-data.js';
import type { BacktestData } from '../backtest/port.js';
import type { ProviderSource } from '../backtest/provider-source.js';
import { SimVenue } from '../backtest/sim-venue.js';
import type { BacktestResult, BacktestSettings } from '../backtest/types.js';
import { ImportedMarketData } from '../data/imported/adapter.js';
import type { MarketData, SampleInfo, SeriesInfo } from '../data/port.js';
import { ExecutionService } from '../execution/execution-service.js';
import { RiskGatekeeper } from '../risk/gatekeeper.js';
import type { MarketDataNow } from '../risk/portfolio-context.js';
import { MemoryDecisionRepository } from '../store/memory/decision-repository.js';
import { MemoryEquitySnapshotRepository } from '../store/memory/equity-snapshot-repository.js';
import { MemoryOrderJournal } from '../store/memory/order-journal-repository.js';
import type { DecisionRepository, OrderJournalRepository } from '../store/port.js';
import { SqliteStore } from '../store/sqlite/store.js';
import { engineSettings, type App } from './container.js';

/**
 * Wires a provider backtest to the live order path: ExecutionService with the configured risk
 * limits, the run's own order journal and decision store, the run's equity curve, and the
 * simulated venue on a simulated clock. The run's records live and die with it, so a backtest
 * never touches the account's journal: in memory (the same ports and the same ExecutionService as
 * live, only the adapters differ), or in a SQLite file when `dbPath` asks to keep them.
 */
export interface ExecutionRunOptions extends LiveRunOptions {
  /** False: the gatekeeper runs with every check switched off (`risk.checks`), as --no-risk asks. */
  risk?: boolean;
  /** A SQLite path (a file, or ':memory:') takes the run's journal and decisions instead of the in-memory adapters; a file keeps them for inspection (the tests read them). */
  dbPath?: string;
}

export async function backtestThroughExecution(app: App, data: BacktestData, source: ProviderSource, settings: BacktestSettings, opts: ExecutionRunOptions = {}): Promise<BacktestResult> {
  const cfg = app.config;
  const limits = opts.risk === false ? { ...cfg.risk, checks: Object.fromEntries(Object.keys(cfg.risk.checks).map((k) => [k, false])) as typeof cfg.risk.checks } : cfg.risk;
  const store = opts.dbPath === undefined ? null : await SqliteStore.open(opts.dbPath);
  try {
    const clock = new ManualClock(0);
    const venue = new SimVenue({
      initialBalance: settings.initialBalance,
      feeRate: settings.feeRate,
      slippageRate: settings.slippageRate,
      volumeImpact: settings.volumeImpact,
      fillModel: settings.fillModel,
      allowShort: settings.allowShort,
      finer: { spanMs: TIMEFRAME_MS[data.timeframe], bars: new Map(data.pairs.flatMap((p) => (p.finer ? [[p.pair.symbol, p.finer] as const] : []))) },
    });
    // In memory the run reads a decision again only while executing it: the newest few are kept.
    const decisions: DecisionRepository = store?.decisions ?? new MemoryDecisionRepository({ keep: 64 });
    const journal: OrderJournalRepository = store?.orders ?? new MemoryOrderJournal();
    // The run's own curve, read at every order: in memory, where a window's peak is two look-ups.
    const snapshots = new MemoryEquitySnapshotRepository();
    const ex = cfg.execution;
    const execution = new ExecutionService({
      venueFor: () => venue,
      tradingMode: 'paper',
      decisions,
      journal,
      snapshots,
      gatekeeper: new RiskGatekeeper(limits),
      marketData: new PointInTimeMarketData(
        sampleFixed(
          app.marketData,
          new ImportedMarketData(app.store.candles),
          data.pairs.map((p) => p.pair.symbol),
        ),
        clock,
        (pair) => venue.quote(pair),
      ),
      freshness: engineSettings(cfg).freshness,
      limits,
      timeZone: cfg.agent.timezone,
      clock,
      allowDegraded: ex.allow_degraded,
      settle: { attempts: ex.settle_attempts, intervalMs: ex.settle_interval_ms, graceMs: ex.unknown_grace_seconds * 1000 },
      // The run keeps only a refusal's reasons (BacktestResult.rejections).
      quietGate: true,
    });
    return await runThroughExecution(data, { source, execution, venue, clock, decisions, snapshots, account: 'paper' }, settings, opts);
  } finally {
    await store?.close();
  }
}

/**
 * The market data with each pair's sample described once: the risk context asks at every order,
 * and an imported source answers from a query over its stored series. A run's data does not
 * change under it. Its list (the risk context reads which bars a pair's days are built from)
 * is the imported series alone when they hold every pair of the run: imported series shadow the
 * primary source's, and listing the bundled sample reads and resamples every file of it (~0.25 s,
 * a tenth of a 100 k-bar run).
 */
function sampleFixed(inner: MarketData, imported: MarketData, pairs: readonly string[]): MarketData & Pick<MarketDataNow, 'sampleInfoNow'> {
  const samples = new Map<string, Promise<SampleInfo | null>>();
  // The answers once they came: the context is then built without a promise (MarketDataNow).
  const known = new Map<string, SampleInfo | null>();
  let listed: Promise<SeriesInfo[]> | null = null;
  const list = async (): Promise<SeriesInfo[]> => {
    const own = await imported.list();
    return pairs.every((p) => own.some((s) => s.pair === p)) ? own : inner.list();
  };
  return {
    name: inner.name,
    candles: (q) => inner.candles(q),
    latestQuote: (pair, at) => inner.latestQuote(pair, at),
    list: () => (listed ??= list()),
    sampleInfo: (pair) => {
      let s = samples.get(pair);
      if (!s) {
        s = inner.sampleInfo(pair);
        samples.set(pair, s);
        s.then((info) => known.set(pair, info)).catch(() => undefined);
      }
      return s;
    },
    sampleInfoNow: (pair) => known.get(pair),
  };
}
