import type { Config } from '../config/schema.js';
import type { CandleQuery, MarketData } from '../data/port.js';
import { fromColumns, type Candle, type CandleColumns } from '../core/candle.js';
import { candleColumnsOf, firstAtOrAfter, sliceColumns } from '../data/columns.js';
import { inputError, isFfeError } from '../core/errors.js';
import type { Timeframe } from '../core/timeframe.js';
import { loadBacktestData, loadFrames } from '../backtest/data.js';
import { runBacktest, type RunOptions } from '../backtest/engine.js';
import { computeMetrics, TradeTally } from '../backtest/metrics.js';
import { PointInTimeFeed } from '../backtest/feed.js';
import type { BacktestData, Params, RiskGate, SignalSource } from '../backtest/port.js';
import { describeFillModel, fillModelOf } from '../backtest/fill-model.js';
import { annotateRun, balanceInQuote } from '../backtest/currency.js';
import { backtestEngineSettings } from '../backtest/provider-run.js';
import { ProviderSource } from '../backtest/provider-source.js';
import { makeRiskGate, type ProviderInputs, type RunInputs } from '../backtest/inputs.js';
import { getStrategy, resolveParams } from '../backtest/strategies/index.js';
import type { BacktestResult, BacktestSettings } from '../backtest/types.js';
import { NotVectorisable, smaCrossRun } from '../backtest/vectorized.js';
import { AnalysisEngine } from '../engine/analysis-engine.js';
import { positionCapFraction } from '../risk/position-cap.js';
import { backtestThroughExecution } from './backtest-venue.js';
import { engineSettings, type App } from './container.js';
import { buildProviders } from './provider-setup.js';
import { tradePolicy } from './policy-setup.js';
import type { CassetteMode } from '../providers/cassette/cassette-provider.js';

export interface BacktestRequest {
  pairs: string[];
  start: number;
  end: number;
  timeframe?: Timeframe;
  /** A provider name (rules, an LLM, ensemble) or, exclusively, a reference strategy. */
  provider?: string;
  strategy?: string;
  params?: Params;
  settings?: Partial<BacktestSettings>;
  /** Apply the live risk gatekeeper (default true). */
  risk?: boolean;
  postCutoffOnly?: boolean;
  /** Cassette mode for LLM providers: strict (default: deterministic, free, a miss is a failure) or record/replay to fill it. */
  cassette?: CassetteMode;
  /**
   * How a provider's decisions reach the simulated venue: `execution` (default) through the live
   * ExecutionService — risk gate, order journal, client order ids — or `fast`, the in-memory
   * book with the same fill rules (what optimisation and Monte Carlo re-run). Strategies always
   * run fast.
   */
  engine?: BacktestEngine;
}

export type BacktestEngine = 'execution' | 'fast';

export function settingsFromConfig(cfg: Config, over: Partial<BacktestSettings> = {}): BacktestSettings {
  const b = cfg.backtest;
  const p = tradePolicy(cfg);
  return {
    initialBalance: b.initial_balance,
    accountCurrency: b.account_currency,
    feeRate: cfg.costs.fee,
    slippageRate: cfg.costs.slippage,
    volumeImpact: cfg.costs.volume_impact,
    fillModel: fillModelOf(cfg.costs),
    stopAnchor: b.stop_anchor,
    // A stop distance given for the run (--stop-loss, --param stop_loss) is the stop, not the ATR rule's fallback.
    stopRule: over.stopLoss !== undefined ? 'fixed' : p.stopRule,
    stopLoss: p.stopLoss,
    atrMultiplier: p.atrMultiplier,
    minStopFraction: p.minStopFraction,
    maxStopFraction: p.maxStopFraction,
    takeProfit: p.takeProfit,
    fill: b.fill,
    allowShort: b.allow_short,
    riskFraction: p.riskFraction,
    fixedFraction: null,
    maxNotionalFraction: null,
    decisionThreshold: cfg.decision_engine.decision_threshold,
    riskFreeRate: b.risk_free_rate,
    timeframe: b.timeframe,
    ...over,
  };
}

export interface PreparedRun {
  data: BacktestData;
  source: SignalSource;
  settings: BacktestSettings;
  risk?: RiskGate;
  /** The plain-data inputs behind `risk` (null without the gate), reused by worker runs. */
  riskInputs: RunInputs['risk'];
  notes: string[];
  /** Metrics start here when --post-cutoff-only applies (ms), else null. */
  metricsFrom: number | null;
  /** Per pair, the six-timeframe frames a provider's feeds read (null for a strategy): worker runs reuse them. */
  frames: ProviderInputs['frames'] | null;
}

function cutoffOf(cfg: Config, provider: string): number | null {
  const p = (cfg.providers as Record<string, { training_cutoff?: string | null }>)[provider];
  return p?.training_cutoff ? Date.parse(p.training_cutoff) : null;
}

/**
 * The market data of one preparation, each distinct candle query answered once: the base
 * timeframe is also a provider frame, and the risk rules' daily bars are the 1d frame's query, so
 * a 1m run over imported data read (and resampled) a million rows twice each. The answers are
 * read-only to every caller here.
 */
function onceEach(md: MarketData): MarketData {
  const seen = new Map<string, Promise<Candle[]>>();
  const seenColumns = new Map<string, Promise<CandleColumns>>();
  const once = <T>(cache: Map<string, Promise<T>>, q: CandleQuery, read: () => Promise<T>): Promise<T> => {
    const key = JSON.stringify([q.pair, q.timeframe, q.end, q.limit]);
    let p = cache.get(key);
    if (!p) cache.set(key, (p = read()));
    return p;
  };
  return {
    name: md.name,
    candles: (q) => once(seen, q, () => md.candles(q)),
    candleColumns: (q) => once(seenColumns, q, () => candleColumnsOf(md, q)),
    latestQuote: (pair, at) => md.latestQuote(pair, at),
    list: () => md.list(),
    sampleInfo: (pair) => md.sampleInfo(pair),
  };
}

/** Builds data, signal source, settings and risk gate for one backtest from the app's ports. */
export async function prepareBacktest(app: App, req: BacktestRequest): Promise<PreparedRun> {
  if (req.provider && req.strategy) throw inputError('BACKTEST_SOURCE', 'give either --provider or --strategy, not both');
  const cfg = app.config;
  const timeframe = req.timeframe ?? cfg.backtest.timeframe;
  const historyBars = cfg.data.history_bars;
  const settings = settingsFromConfig(cfg, { ...req.settings, timeframe });
  const useRisk = req.risk !== false;
  // Entries are sized within the concentration limit, as the agent sizes them, or the gate would
  // refuse every one of them.
  if (useRisk && settings.maxNotionalFraction === null) settings.maxNotionalFraction = positionCapFraction(cfg.risk);
  const md = onceEach(app.marketData);
  const data = await loadBacktestData(md, { pairs: req.pairs, start: req.start, end: req.end, timeframe, warmupBars: historyBars });
  if (cfg.backtest.intrabar_order === 'finer_bars' && timeframe !== '1m') for (const p of data.pairs) p.finer = await finerBars(app, p.pair.symbol, p.bars.timestamp[p.first], req.end);
  // Every result says how it filled (text, --json and the HTML report print the notes).
  const notes: string[] = [`${describeFillModel(settings.fillModel, settings.volumeImpact)}; stops and targets anchored at ${settings.stopAnchor === 'entry' ? 'the entry fill' : "the signal bar's close"}`];
  await balanceInQuote(md, data, settings, notes);
  let source: SignalSource;
  let metricsFrom: number | null = null;
  let frames: PreparedRun['frames'] = null;
  if (req.strategy) {
    const def = getStrategy(req.strategy);
    source = def.create(resolveParams(def, req.params), data);
  } else {
    const name = req.provider ?? cfg.decision_engine.ai_provider;
    // LLM answers come from the cassette (strict by default) so a re-run is identical and free.
    const provider = name === 'rules' ? app.providers.get(name) : buildProviders(cfg, { store: app.store, cassetteMode: req.cassette ?? 'strict' }).providers.get(name);
    if (!provider) throw inputError('PROVIDER_UNKNOWN', `unknown provider "${name}"; configured: ${[...app.providers.keys()].join(', ')}; reference strategies: --strategy sma-cross | rsi-reversion`);
    const cutoff = cutoffOf(cfg, name);
    if (cutoff !== null && req.start <= cutoff) {
      notes.push(
        `CONTAMINATION: the window starts ${new Date(req.start).toISOString().slice(0, 10)}, before ${name}'s training cutoff ${new Date(cutoff).toISOString().slice(0, 10)}; the model may have seen these prices${req.postCutoffOnly ? '; metrics cover bars after the cutoff only' : ' (use --post-cutoff-only)'}`,
      );
      if (req.postCutoffOnly) metricsFrom = cutoff;
    }
    frames = await Promise.all(data.pairs.map((p) => loadFrames(md, p.pair.symbol, req.start, req.end, historyBars, true)));
    const feeds = data.pairs.map((p, k) => new PointInTimeFeed(p.pair.symbol, frames![k], historyBars));
    // Stops and targets come from the backtest flags, exactly as live sizing would apply them.
    const es = backtestEngineSettings(engineSettings(cfg), settings);
    let ps: ProviderSource | null = null;
    const engine = new AnalysisEngine({
      marketData: app.marketData,
      decisions: app.store.decisions,
      resolveProvider: () => provider,
      fallbackProvider: null,
      clock: app.clock,
      settings: es,
      account: { balance: async () => ps?.currentBook?.equity() ?? settings.initialBalance, positions: async () => ps?.positions() ?? [] },
    });
    ps = new ProviderSource(data, { provider, engine, feeds, costs: es.costs, freshness: es.freshness, fill: settings.fill });
    source = ps;
  }
  const riskIn = useRisk ? await riskInputs(app, md, data, req.end) : null;
  const risk = makeRiskGate({ data, settings, strategy: '', risk: riskIn });
  return { data, source, settings, risk, riskInputs: riskIn, notes, metricsFrom, frames };
}

async function riskInputs(app: App, md: MarketData, data: BacktestData, end: number): Promise<NonNullable<RunInputs['risk']>> {
  const daily = await Promise.all(data.pairs.map((p) => dailyBars(md, p.pair.symbol, end)));
  return { limits: app.config.risk, daily, freshness: engineSettings(app.config).freshness, timeZone: app.config.agent.timezone };
}

/** Plain-data inputs of a strategy run, for worker threads and `ffe worker` processes. */
export async function prepareInputs(app: App, req: BacktestRequest): Promise<RunInputs> {
  if (!req.strategy) throw inputError('STRATEGY_REQUIRED', 'this command runs a reference strategy: give --strategy (sma-cross, rsi-reversion)');
  const run = await prepareBacktest(app, { ...req, provider: undefined });
  return { data: run.data, settings: run.settings, strategy: req.strategy, risk: run.riskInputs };
}

/** The pair's 1m bars from `from` to `end`, which settle which of a stop and a target a coarser bar reached first; none: undefined. */
async function finerBars(app: App, pair: string, from: number, end: number): Promise<CandleColumns | undefined> {
  try {
    const all = await candleColumnsOf(app.marketData, { pair, timeframe: '1m', end, limit: 1e9 });
    const k = firstAtOrAfter(all.timestamp, from);
    return k < all.length ? sliceColumns(all, k, all.length) : undefined;
  } catch (e) {
    if (isFfeError(e) && (e.code === 'TIMEFRAME_UNAVAILABLE' || e.code === 'NO_DATA')) return undefined;
    throw e;
  }
}

/** Daily bars for the risk rules' returns; none is an answer the rules report (they deny). From the columns a provider's 1d frame also reads. */
async function dailyBars(md: MarketData, pair: string, end: number): Promise<Candle[]> {
  try {
    return fromColumns(await candleColumnsOf(md, { pair, timeframe: '1d', end, limit: 1e9 }));
  } catch (e) {
    if (isFfeError(e) && (e.code === 'TIMEFRAME_UNAVAILABLE' || e.code === 'NO_DATA')) return [];
    throw e;
  }
}

/** Metrics of the part of the run after `from` (the contamination guard's --post-cutoff-only). */
function restrictMetrics(run: PreparedRun, r: BacktestResult, from: number): void {
  const k = r.times.findIndex((t) => t > from);
  if (k < 0) {
    r.notes.push('no bar closes after the training cutoff: the metrics cover nothing');
    return;
  }
  const initial = k > 0 ? r.equity[k - 1] : r.settings.initialBalance;
  const trades = r.trades.filter((t) => t.entryTime >= from);
  let inMarket = 0;
  for (let i = k; i < r.times.length; i++) if (r.trades.some((t) => t.entryTime < r.times[i] && t.exitTime >= r.times[i])) inMarket++;
  r.metrics = computeMetrics({ equity: r.equity.subarray(k), times: r.times.subarray(k), trades: TradeTally.of(trades), data: run.data, settings: { ...r.settings, initialBalance: initial }, inMarketBars: inMarket });
}

/**
 * The sma-cross parameters when the run can take the vectorised path: the strategy on one pair
 * without the risk gate (the gate is per-bar state: it reads the equity curve and return windows
 * at each entry and may refuse it), and no engine asked for by name. Null otherwise.
 */
function vectorisable(req: BacktestRequest, run: PreparedRun): Params | null {
  if (req.strategy !== 'sma-cross' || req.engine !== undefined || run.risk !== undefined || run.data.pairs.length !== 1) return null;
  return resolveParams(getStrategy(req.strategy), req.params);
}

/** The vectorised run, or null when an entry meets the participation limit (the event engine carries rests). */
function vectorised(run: PreparedRun, p: Params, opts: RunOptions): BacktestResult | null {
  try {
    return smaCrossRun(run.data, p.fast, p.slow, run.settings, opts);
  } catch (e) {
    if (e instanceof NotVectorisable) return null;
    throw e;
  }
}

/** `prepared`: called once the data, source and gate are ready, before the first bar (the bench splits preparation from the run there). */
export async function backtest(app: App, req: BacktestRequest, opts: RunOptions = {}, hooks: { prepared?: () => void } = {}): Promise<BacktestResult> {
  const run = await prepareBacktest(app, req);
  hooks.prepared?.();
  const throughExecution = run.source instanceof ProviderSource && req.engine !== 'fast';
  const vector = throughExecution ? null : vectorisable(req, run);
  // No caller of a whole backtest reads the raw fills (--json, the HTML report and the API's job
  // results leave them out), and a 1 M-bar run with the participation limit made 770 k of them:
  // ~110 MB of objects, a third of its peak RSS. Every engine keeps them only when asked.
  const inMemory: RunOptions = { ...opts, recordFills: opts.recordFills ?? false };
  const result = throughExecution
    ? await backtestThroughExecution(app, run.data, run.source as ProviderSource, run.settings, { ...opts, recordFills: inMemory.recordFills, risk: req.risk !== false })
    : (vector && vectorised(run, vector, inMemory)) || (await runBacktest(run.data, run.source, run.settings, { ...inMemory, risk: run.risk }));
  result.notes.push(...run.notes);
  if (throughExecution && run.settings.stopAnchor === 'entry') result.notes.push("stop_anchor entry applies to the fast engine: the live order path attaches stops at the decision's price (use --engine fast)");
  const partial = result.partialFills ?? result.fills.filter((f) => f.partial).length;
  if (partial) result.notes.push(`${partial} entry fills took less than their order (participation limit): the rest ${run.settings.fillModel.remainder === 'carry' ? 'filled at later opens' : 'was cancelled'}`);
  annotateRun(result, run.data);
  if (run.source instanceof ProviderSource) {
    const f = Object.entries(run.source.stats.failures);
    if (f.length)
      result.notes.push(
        `${f.reduce((a, [, n]) => a + n, 0)} of ${run.source.stats.calls} provider calls failed (${f.map(([c, n]) => `${c} ${n}`).join(', ')}); those bars were HOLD${f.some(([c]) => c === 'REPLAY_MISS') ? ' — record the answers first with --cassette record' : ''}`,
      );
  }
  if (run.metricsFrom !== null) restrictMetrics(run, result, run.metricsFrom);
  return result;
}
