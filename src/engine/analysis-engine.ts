import type { FundamentalsView } from '../analysis/fundamentals.js';
import { pulseFromFrames } from '../analysis/pulse.js';
import { timeframePulse } from '../analysis/timeframe-pulse.js';
import { classifyRegime } from '../analysis/regime.js';
import type { Candle } from '../core/candle.js';
import type { Clock } from '../core/clock.js';
import { TIMESTAMP_MS, type Action, type Decision, type MarketSnapshot, type ProviderSignal, type TimedDecision } from '../core/decision.js';
import type { TimeframePulse } from '../core/market-analysis.js';
import { FfeError, isFfeError } from '../core/errors.js';
import { validateDataFreshness, type FreshnessThresholds } from '../core/freshness.js';
import { getMarketStatus } from '../core/market-schedule.js';
import { classifyPair, type AssetClass } from '../core/pair.js';
import { planTrade, type TradePlan, type TradePolicy } from '../core/policy.js';
import { TIMEFRAMES, type Timeframe } from '../core/timeframe.js';
import type { MarketData, NewsSource } from '../data/port.js';
import type { AnalysisContext, DecisionProvider, PositionView, ProviderResult } from '../providers/port.js';
import type { DecisionRepository } from '../store/port.js';
import { newUlid } from '../lib/fast-ulid.js';
import { isoTime, parseIsoTime } from '../lib/iso-time.js';
import { reportFailure } from '../observability/failures.js';
import { annotateResult } from '../observability/provider-result.js';
import { span } from '../observability/span.js';

export interface EngineSettings {
  /** Fraction: confidence/100 below it turns BUY/SELL into HOLD. */
  decisionThreshold: number;
  /** The one trade policy: stop, target and size of every decision. */
  policy: TradePolicy;
  freshness: FreshnessThresholds;
  historyBars: number;
  costs: { feeRate: number; slippageRate: number };
  defaultProvider: string;
  /** News items put into the provider context (news.max_items). */
  newsItems: number;
}

/** What the engine needs from the trading account; the execution layer provides it. */
export interface AccountView {
  /** Equity to size from; with a pair, that of the account (venue) the pair trades on. */
  balance(pair?: string): Promise<number>;
  /** Open positions; with a pair, those of the account (venue) the pair trades on. */
  positions(pair?: string): Promise<PositionView[]>;
}

export interface MemoryView {
  summary(pair: string, regime: string): Promise<string | null>;
}

export interface EngineDeps {
  marketData: MarketData;
  decisions: DecisionRepository;
  /** Resolves a provider name (`rules`, `ensemble`, a configured name); throws FfeError input for unknown names. */
  resolveProvider(name: string): DecisionProvider;
  /** Used when the chosen provider fails; null to surface the failure as a degraded HOLD. */
  fallbackProvider: DecisionProvider | null;
  clock: Clock;
  settings: EngineSettings;
  account: AccountView;
  memory?: MemoryView;
  news?: NewsSource;
  /** Stored company fundamentals; asked for stocks only (a read of the store, never the network). */
  fundamentals?: FundamentalsView;
}

export interface AnalyzeOptions {
  provider?: string;
  /** ms; default: the data's "now" (offline sample end) or the clock. */
  asOf?: number;
  persist?: boolean;
  signal?: AbortSignal;
}

export interface Analysis {
  context: AnalysisContext;
  market: MarketSnapshot;
  candles: Partial<Record<Timeframe, readonly Candle[]>>;
}

/**
 * The one analysis pipeline every caller uses (CLI, agent, API, backtests): point-in-time data
 * on six timeframes → pulse and regime → provider → gates (market hours, freshness, threshold)
 * → sizing → stored decision record.
 */
export class AnalysisEngine {
  /** The last frame computed per pair and timeframe, and the window it was computed from. */
  private readonly frames = new Map<string, { first: Candle; last: Candle; bars: number; frame: TimeframePulse }>();

  constructor(private readonly deps: EngineDeps) {}

  /** The same pipeline over other dependencies (a replay's market data window, its cached memory). */
  with(over: Partial<EngineDeps>): AnalysisEngine {
    return new AnalysisEngine({ ...this.deps, ...over });
  }

  /**
   * A timeframe's pulse depends only on its closed bars. A source that serves slices of one kept
   * series (bundled data, a replay's window) hands back the same bar objects while no bar of that
   * timeframe closed: the frame computed then is the answer (a daily frame is computed once a day,
   * not every hourly cycle). Bars are never mutated, so the same first and last bar and count are
   * the same window.
   */
  private frame(pair: string, tf: Timeframe, candles: readonly Candle[]): TimeframePulse {
    const key = `${pair}:${tf}`;
    const n = candles.length;
    if (n === 0) return timeframePulse(tf, candles);
    const hit = this.frames.get(key);
    if (hit && hit.bars === n && hit.first === candles[0] && hit.last === candles[n - 1]) return hit.frame;
    const frame = timeframePulse(tf, candles);
    this.frames.set(key, { first: candles[0], last: candles[n - 1], bars: n, frame });
    return frame;
  }

  gather(pairInput: string, asOfInput?: number): Promise<Analysis> {
    return span('ffe.data.gather', { 'ffe.asset_pair': pairInput }, () => this.gatherData(pairInput, asOfInput));
  }

  private async gatherData(pairInput: string, asOfInput?: number): Promise<Analysis> {
    const pair = classifyPair(pairInput);
    const { marketData, clock, settings } = this.deps;
    const sample = await marketData.sampleInfo(pair.symbol);
    const asOf = asOfInput ?? sample?.asOf ?? clock.now();
    const unavailable: Partial<Record<Timeframe, string>> = {};
    const candles: Partial<Record<Timeframe, readonly Candle[]>> = {};
    await Promise.all(
      TIMEFRAMES.map(async (tf) => {
        try {
          const c = await marketData.candles({ pair: pair.symbol, timeframe: tf, end: asOf, limit: settings.historyBars });
          candles[tf] = c;
          if (!c.length) unavailable[tf] = `no ${tf} bars closed at or before ${new Date(asOf).toISOString()}`;
        } catch (e) {
          // A missing timeframe is reported, never invented; other failures are real errors.
          if (isFfeError(e) && (e.code === 'TIMEFRAME_UNAVAILABLE' || e.code === 'NO_DATA')) unavailable[tf] = e.message;
          else throw e;
        }
      }),
    );
    const quote = await marketData.latestQuote(pair.symbol, asOf);
    // As buildPulse, with each timeframe's frame reused while its window is unchanged.
    const frames = TIMEFRAMES.map((tf) => {
      const c = candles[tf];
      const why = unavailable[tf];
      return why !== undefined ? timeframePulse(tf, null, why) : c ? this.frame(pair.symbol, tf, c) : timeframePulse(tf, null, 'not requested');
    });
    const pulse = pulseFromFrames(pair.symbol, asOf, frames);
    if (pair.assetClass === 'stock' && this.deps.fundamentals) {
      const section = await this.deps.fundamentals.section(pair.symbol, asOf, quote.price);
      if (section) pulse.fundamentals = section;
    }
    const regime = classifyRegime(pulse.timeframes);
    const finest = TIMEFRAMES.find((tf) => candles[tf]?.length);
    const dailyLike = candles['1d']?.length ? '1d' : finest;
    const bar = dailyLike ? candles[dailyLike]![candles[dailyLike]!.length - 1] : null;
    const market: MarketSnapshot = {
      price: quote.price,
      barTime: bar?.timestamp ?? quote.timestamp,
      timeframe: dailyLike ?? 'quote',
      open: bar?.open ?? quote.price,
      high: bar?.high ?? quote.price,
      low: bar?.low ?? quote.price,
      close: bar?.close ?? quote.price,
      volume: bar?.volume ?? 0,
      priceChangePct: bar ? ((bar.close - bar.open) / bar.open) * 100 : 0,
      rangeFraction: bar ? (bar.high - bar.low) / bar.close : 0,
      source: quote.source,
      offlineSample: sample?.label ?? null,
    };
    const freshnessTf: Timeframe = finest ?? '1d';
    const freshness = validateDataFreshness(quote.timestamp, pair.assetClass, freshnessTf === '1d' ? '1d' : 'intraday', asOf, settings.freshness);
    const marketStatus = getMarketStatus(pair.assetClass, asOf);
    const [positions, news, memorySummary] = await Promise.all([
      this.deps.account.positions(pair.symbol),
      this.deps.news ? this.deps.news.news(pair.symbol, asOf, settings.newsItems) : Promise.resolve([]),
      this.deps.memory ? this.deps.memory.summary(pair.symbol, regime.regime) : Promise.resolve(null),
    ]);
    const context: AnalysisContext = {
      pair,
      asOf,
      price: quote.price,
      pulse,
      regime,
      marketStatus,
      freshness,
      positions,
      memorySummary,
      costs: settings.costs,
      news: news.filter((n) => n.publishedAt <= asOf),
      sample,
    };
    return { context, market, candles };
  }

  async analyze(pairInput: string, opts: AnalyzeOptions = {}): Promise<Decision> {
    const analysis = await this.gather(pairInput, opts.asOf);
    const providerName = opts.provider ?? this.deps.settings.defaultProvider;
    const provider = this.deps.resolveProvider(providerName);
    const result = await this.ask(provider, analysis.context, opts.signal);
    const miss = replayMisses(result, provider.name);
    // Strict cassette mode promises the recorded answers or nothing: a miss must not turn into
    // a fallback decision that looks like a replay.
    if (miss.length) {
      throw new FfeError('provider', 'REPLAY_MISS', `cassette miss (cassette.mode strict): ${miss.map((m) => `${m.provider}: ${m.reason}`).join('; ')}`, { misses: miss });
    }
    const decision = await this.decide(analysis, provider, result, opts.signal, this.deps.clock.now());
    if (opts.persist !== false) await this.deps.decisions.save(decision);
    return decision;
  }

  /**
   * The provider call, traced (the ensemble traces each member under its own span) and, when it
   * fails, reported to error tracking with the failure code; the ensemble reports its members.
   */
  private ask(provider: DecisionProvider, ctx: AnalysisContext, signal?: AbortSignal): Promise<ProviderResult> {
    const ensemble = provider.name === 'ensemble';
    return span(ensemble ? 'ffe.ensemble' : 'ffe.provider', { 'ffe.asset_pair': ctx.pair.symbol, 'ffe.provider': provider.name }, async () => {
      const result = await provider.decide(ctx, { signal });
      annotateResult(result);
      if (!result.ok && !ensemble) reportFailure({ kind: 'provider', code: result.code, error: result.reason, tags: { provider: provider.name, asset_pair: ctx.pair.symbol } });
      return result;
    });
  }

  /** Why `decide` turns an answer into a HOLD (market hours, data freshness, the decision threshold); empty when it does not. */
  private gates(ctx: AnalysisContext, sig: ProviderSignal): string[] {
    const { settings } = this.deps;
    const gates: string[] = [];
    if (!ctx.marketStatus.isOpen) gates.push(`market closed (${ctx.marketStatus.session}: ${ctx.marketStatus.reason})`);
    if (!ctx.freshness.isFresh) gates.push(`stale data (${ctx.freshness.warning})`);
    if (this.belowThreshold(sig)) {
      gates.push(`confidence ${sig.confidence} below the decision threshold ${Math.round(settings.decisionThreshold * 100)}`);
    }
    return gates;
  }

  /** Whether `decide` would turn a provider's answer into a HOLD: a backtest, which acts only on trades, then needs no record. */
  forcesHold(ctx: AnalysisContext, sig: ProviderSignal): boolean {
    // `gates`' three conditions, without writing their texts (asked for every would-be trade of a backtest).
    return !ctx.marketStatus.isOpen || !ctx.freshness.isFresh || this.belowThreshold(sig);
  }

  /** The confidence gate: a trade signal below the decision threshold is held. */
  private belowThreshold(sig: ProviderSignal): boolean {
    return sig.action !== 'HOLD' && sig.confidence / 100 < this.deps.settings.decisionThreshold;
  }

  /** Turns a provider answer into a gated, sized decision record. */
  /** `createdAt`: when the record is made, by the caller's clock (a backtest's simulated time by default). */
  async decide(analysis: Analysis, provider: DecisionProvider, result: ProviderResult, signal?: AbortSignal, createdAt = analysis.context.asOf): Promise<Decision> {
    const ctx = analysis.context;
    let usedProvider = provider;
    let answer: ProviderResult = result;
    const metadata: Record<string, unknown> = { ...result.metadata };
    if (!result.ok) {
      metadata.providerFailure = { provider: provider.name, code: result.code, reason: result.reason };
      const fb = this.deps.fallbackProvider;
      if (fb && fb !== provider) {
        usedProvider = fb;
        answer = await this.ask(fb, ctx, signal);
        metadata.fallbackUsed = fb.name;
      }
    }
    // Degraded: the requested provider did not answer; execution refuses such decisions unless configured.
    const degraded = !result.ok;
    const sig: ProviderSignal = answer.ok
      ? answer.signal
      : { action: 'HOLD', confidence: 0, reasoning: `provider ${provider.name} failed (${result.ok ? '' : result.code}: ${result.ok ? '' : result.reason}); no fallback answered` };
    if (degraded) metadata.degraded = true;

    const gates = this.gates(ctx, sig);
    // A HOLD (the provider's, or forced by a gate) carries no size, so it needs no equity read.
    const sized = gates.length === 0 && sig.action !== 'HOLD';
    const equity = sized ? await this.deps.account.balance(ctx.pair.symbol) : 0;
    // A plain record: the caller stores, spreads and serialises it.
    return this.record(analysis, usedProvider, sig, metadata, gates, equity, createdAt).toJSON();
  }

  /**
   * `decide` for a provider's answer (no fallback to ask) when the caller knows the equity the
   * account view reports: nothing to wait for. A backtest's fast book asks for tens of thousands
   * of records (most refused by its risk gate, which reads a few fields): the record is a
   * `DecisionRecord`, whose texts (id, times, reasoning), market snapshot and metadata are written
   * when first read; serialised (`toJSON`) it is `decide`'s record.
   */
  decideNow(analysis: Analysis, provider: DecisionProvider, result: Extract<ProviderResult, { ok: true }>, equity: number): Decision {
    const sig = result.signal;
    const gates = this.gates(analysis.context, sig);
    return this.record(analysis, provider, sig, result.metadata, gates, gates.length === 0 && sig.action !== 'HOLD' ? equity : 0, analysis.context.asOf);
  }

  /** The gated, sized record of `sig` (`gates`: `this.gates` of it), sized on `equity`. */
  private record(analysis: Analysis, usedProvider: DecisionProvider, sig: ProviderSignal, metadata: Record<string, unknown> | undefined, gates: string[], equity: number, createdAt: number): DecisionRecord {
    const ctx = analysis.context;
    const action: Action = gates.length ? 'HOLD' : sig.action;
    const dir = action === 'BUY' ? 1 : action === 'SELL' ? -1 : 0;
    const plan = planTrade(this.deps.settings.policy, dir, ctx.price, equity, dailyAtrOf(ctx.pulse.timeframes), {
      stopLossFraction: sig.stopLossFraction,
      takeProfitFraction: sig.takeProfitFraction,
      sizeFraction: sig.sizeFraction,
    });
    return new DecisionRecord(analysis, usedProvider, sig, metadata, gates, action, plan, createdAt);
  }
}

/** The daily frame's ATR, null without one (a loop: a backtest sizes tens of thousands of records). */
function dailyAtrOf(frames: readonly TimeframePulse[]): number | null {
  for (const f of frames) if (f.timeframe === '1d') return f.indicators?.atr ?? null;
  return null;
}

/** 10000-01-01T00:00:00.000Z: from here on ISO years have more than four digits. */
const LAST_ISO_MS = 253_402_300_800_000;

/**
 * A decision record whose fields are read through getters and whose costly ones are written on
 * first read: the id (a ULID), the two ISO times, the reasoning with its gate and sample notes, the
 * signal, the market snapshot (`analysis.market` may itself be lazy) and a copy of the metadata.
 * Each is written once and then kept, so reads agree (one id per record). A backtest's risk gate
 * reads a refused entry's time, confidence and pulse; the rest of ~46k records a 200k-bar run
 * makes was written for nothing. `toJSON` gives the whole plain record (the key order `decide`
 * always wrote), which is what `decide` returns: the numbers and texts have one home.
 *
 * It reads the context it was made from when asked: contexts are values (nothing modifies one
 * after the provider saw it). Only `executed` is a plain field (a store marks it).
 */
class DecisionRecord implements TimedDecision {
  executed = false;
  #id: string | undefined;
  #timestamp: string | undefined;
  #createdAtText: string | undefined;
  #reasoning: string | undefined;
  #signal: Decision['signal'] | undefined;
  #metadata: Record<string, unknown> | undefined;

  constructor(
    private readonly analysis: Analysis,
    private readonly usedProvider: DecisionProvider,
    private readonly sig: ProviderSignal,
    private readonly metadataIn: Record<string, unknown> | undefined,
    readonly gates: string[],
    readonly action: Action,
    private readonly plan: TradePlan,
    private readonly createdAtMs: number,
  ) {}

  get id(): string {
    return (this.#id ??= newUlid());
  }
  get assetPair(): string {
    return this.analysis.context.pair.symbol;
  }
  get assetClass(): AssetClass {
    return this.analysis.context.pair.assetClass;
  }
  get timestamp(): string {
    return (this.#timestamp ??= isoTime(this.analysis.context.asOf));
  }
  /** `timestamp` in ms without writing its text (the risk gate ages every refused entry's decision). */
  get [TIMESTAMP_MS](): number {
    const t = this.analysis.context.asOf;
    // isoTime writes a whole ms from 1970 to 9999 field by field and parseIsoTime reads it back exactly; other times go through the text (which throws where isoTime does).
    return Number.isInteger(t) && t >= 0 && t < LAST_ISO_MS ? t : parseIsoTime(this.timestamp);
  }
  get createdAt(): string {
    return (this.#createdAtText ??= isoTime(this.createdAtMs));
  }
  get confidence(): number {
    return Math.round(this.sig.confidence);
  }
  get reasoning(): string {
    if (this.#reasoning === undefined) {
      const { sig, gates } = this;
      const ctx = this.analysis.context;
      const gateText = gates.length ? ` [HOLD forced: ${gates.join('; ')}; the provider said ${sig.action} at ${sig.confidence}%]` : '';
      const sampleText = ctx.sample ? ` [${ctx.sample.label}, as of ${new Date(ctx.asOf).toISOString()}]` : '';
      this.#reasoning = `${sig.reasoning}${gateText}${sampleText}`;
    }
    return this.#reasoning;
  }
  get entryPrice(): number {
    return this.analysis.context.price;
  }
  get suggestedSizeUnits(): number {
    return this.plan.units;
  }
  get suggestedSizeQuote(): number {
    return this.plan.notional;
  }
  get stopLossPrice(): number | null {
    return this.plan.stopLossPrice;
  }
  get takeProfitPrice(): number | null {
    return this.plan.takeProfitPrice;
  }
  get stopLossFraction(): number {
    return this.plan.stopLossFraction;
  }
  get takeProfitFraction(): number {
    return this.plan.takeProfitFraction;
  }
  get riskFraction(): number {
    return this.plan.riskFraction;
  }
  get signal(): Decision['signal'] {
    return (this.#signal ??= { action: this.sig.action, confidence: this.sig.confidence });
  }
  get market(): MarketSnapshot {
    return this.analysis.market;
  }
  get pulse(): Decision['pulse'] {
    return this.analysis.context.pulse;
  }
  get regime(): Decision['regime'] {
    return this.analysis.context.regime;
  }
  get freshness(): Decision['freshness'] {
    return this.analysis.context.freshness;
  }
  get marketStatus(): Decision['marketStatus'] {
    return this.analysis.context.marketStatus;
  }
  get provider(): string {
    return this.usedProvider.name;
  }
  get model(): string | null {
    return this.usedProvider.model;
  }
  get metadata(): Record<string, unknown> {
    return (this.#metadata ??= { ...this.metadataIn });
  }

  toJSON(): Decision {
    return {
      id: this.id,
      assetPair: this.assetPair,
      assetClass: this.assetClass,
      timestamp: this.timestamp,
      createdAt: this.createdAt,
      action: this.action,
      confidence: this.confidence,
      reasoning: this.reasoning,
      entryPrice: this.entryPrice,
      suggestedSizeUnits: this.suggestedSizeUnits,
      suggestedSizeQuote: this.suggestedSizeQuote,
      stopLossPrice: this.stopLossPrice,
      takeProfitPrice: this.takeProfitPrice,
      stopLossFraction: this.stopLossFraction,
      takeProfitFraction: this.takeProfitFraction,
      riskFraction: this.riskFraction,
      signal: this.signal,
      gates: this.gates,
      market: this.market,
      pulse: this.pulse,
      regime: this.regime,
      freshness: this.freshness,
      marketStatus: this.marketStatus,
      provider: this.provider,
      model: this.model,
      executed: this.executed,
      metadata: this.metadata,
    };
  }
}

/** Cassette misses in an answer: the provider's own, or those of ensemble members. */
function replayMisses(r: ProviderResult, name: string): { provider: string; reason: string }[] {
  const members = (r.metadata?.providers_failed ?? []) as { provider: string; code: string; reason: string }[];
  const out = Array.isArray(members) ? members.filter((m) => m.code === 'REPLAY_MISS').map((m) => ({ provider: m.provider, reason: m.reason })) : [];
  if (!r.ok && r.code === 'REPLAY_MISS') out.push({ provider: name, reason: r.reason });
  return out;
}
