import type { Decision, MarketSnapshot } from '../core/decision.js';
import { validateDataFreshness, type Freshness } from '../core/freshness.js';
import type { MarketStatus } from '../core/market-schedule.js';
import type { Pulse, RegimeInfo } from '../core/market-analysis.js';
import type { PairInfo } from '../core/pair.js';
import { TIMEFRAME_MS } from '../core/timeframe.js';
import type { NewsItem } from '../data/port.js';
import type { AnalysisEngine, Analysis } from '../engine/analysis-engine.js';
import type { AnalysisContext, DecisionProvider, PositionView, ProviderResult } from '../providers/port.js';
import { fixFrames, type PointInTimeFeed } from './feed.js';
import { backtestMarketStatus, openFrom } from './market-time.js';
import type { BacktestData, BookView, SignalOut, SignalSource } from './port.js';
import type { FillModel } from './types.js';

export interface ProviderSourceDeps {
  provider: DecisionProvider;
  /** Gates and sizes exactly as live; its account view must read `currentBook`. */
  engine: AnalysisEngine;
  feeds: PointInTimeFeed[];
  costs: { feeRate: number; slippageRate: number };
  freshness: Parameters<typeof validateDataFreshness>[4];
  /** When orders fill (default next_open): a market closed at a bar's close is open at the next bar. */
  fill?: FillModel;
}

/** A provider that answers without waiting (the rules): a backtest then asks it on every bar without a promise. */
interface ImmediateProvider extends DecisionProvider {
  decideNow(ctx: AnalysisContext): ProviderResult;
}

const answersNow = (p: DecisionProvider): p is ImmediateProvider => typeof (p as Partial<ImmediateProvider>).decideNow === 'function';

const NO_POSITIONS = Object.freeze([]) as unknown as PositionView[];

export interface ProviderStats {
  calls: number;
  failures: Record<string, number>;
  gated: number;
}

/** Bar `i` of pair `p` as the decision record's market snapshot. */
function marketAt(data: BacktestData, p: number, i: number): MarketSnapshot {
  const bars = data.pairs[p].bars;
  const price = bars.close[i];
  const o = bars.open[i];
  return {
    price,
    barTime: bars.timestamp[i],
    timeframe: data.timeframe,
    open: o,
    high: bars.high[i],
    low: bars.low[i],
    close: price,
    volume: bars.volume[i],
    priceChangePct: ((price - o) / o) * 100,
    rangeFraction: (bars.high[i] - bars.low[i]) / price,
    source: 'backtest',
    offlineSample: null,
  };
}

const NO_CANDLES: Analysis['candles'] = Object.freeze({});

/**
 * The fast book's analysis of a bar: its market snapshot written when first read (the lazy
 * decision record reads it only when it is serialised; the bars never change, so it is the same
 * snapshot later). No candles: the provider read the pulse.
 */
class BarAnalysis implements Analysis {
  #market: MarketSnapshot | undefined;
  readonly candles = NO_CANDLES;

  constructor(
    readonly context: AnalysisContext,
    private readonly data: BacktestData,
    private readonly p: number,
    private readonly i: number,
  ) {}

  get market(): MarketSnapshot {
    return (this.#market ??= marketAt(this.data, this.p, this.i));
  }
}

/**
 * The fast book's AnalysisContext of a bar, its market status and open positions worked out when
 * first read. Most bars end in a HOLD or a repeat of the held side, for which nothing reads them;
 * a would-be trade's gates read the status, and `fix` writes both before a decision record keeps
 * the context. Read later without `fix` (the source asked about another bar since), they throw
 * rather than answer with another bar's book. `toJSON` gives the plain context, key for key.
 */
class BarContext implements AnalysisContext {
  #marketStatus: MarketStatus | undefined;
  #positions: PositionView[] | undefined;
  #news: NewsItem[] | undefined;
  readonly #source: ProviderSource;
  readonly #p: number;
  readonly #i: number;
  readonly #call: number;

  // What every provider reads are own fields; the rest, read from the source, keeps the object small (one a bar).
  constructor(
    readonly asOf: number,
    readonly pulse: Pulse,
    readonly regime: RegimeInfo,
    source: ProviderSource,
    p: number,
    i: number,
  ) {
    this.#source = source;
    this.#p = p;
    this.#i = i;
    this.#call = source.stats.calls;
  }

  get pair(): PairInfo {
    return this.#source.pairAt(this.#p);
  }

  get price(): number {
    return this.#source.closeAt(this.#p, this.#i);
  }

  get freshness(): Freshness {
    return this.#source.freshnessAt(this.#p);
  }

  get costs(): AnalysisContext['costs'] {
    return this.#source.costs;
  }

  get memorySummary(): null {
    return null;
  }

  get sample(): null {
    return null;
  }

  get marketStatus(): MarketStatus {
    return (this.#marketStatus ??= this.#now().marketStatusAt(this.#p, this.#i, this.asOf));
  }

  get positions(): PositionView[] {
    return (this.#positions ??= this.#now().positions());
  }

  get news(): NewsItem[] {
    return (this.#news ??= []);
  }

  /** The source, while it is still at this context's bar. */
  #now(): ProviderSource {
    if (this.#source.stats.calls !== this.#call) throw new Error('a bar context was read after the source moved on: fix it (BarContext.fix) before keeping it');
    return this.#source;
  }

  /** Writes the status and positions: the context can then be kept and read at any later time. */
  fix(): void {
    void this.marketStatus;
    void this.positions;
  }

  toJSON(): AnalysisContext {
    const { pair, asOf, price, pulse, regime, marketStatus, freshness, positions, memorySummary, costs, news, sample } = this;
    return { pair, asOf, price, pulse, regime, marketStatus, freshness, positions, memorySummary, costs, news, sample };
  }
}

/**
 * Drives a DecisionProvider (rules, an ensemble, an LLM behind a strict cassette) from the
 * backtest clock: the point-in-time feed builds the live AnalysisContext at each bar close, and
 * any answer that would change the position goes through AnalysisEngine.decide — the live gates
 * and sizing. A HOLD, or a repeat of the held direction, cannot change the book, so it skips them.
 */
export class ProviderSource implements SignalSource {
  readonly name: string;
  readonly closeOnOpposite = true;
  readonly stats: ProviderStats = { calls: 0, failures: {}, gated: 0 };
  currentBook: BookView | null = null;
  /**
   * Per pair: historic bars are as fresh as they can be — the latest closed, and a decision
   * deferred to a reopening saw no trading since (staleness is a live feed that stopped, not a
   * shut market) — so every context carries age zero.
   */
  private readonly fresh: Freshness[];
  private readonly now: ImmediateProvider | null;

  constructor(
    private readonly data: BacktestData,
    private readonly deps: ProviderSourceDeps,
  ) {
    this.name = deps.provider.name;
    this.now = answersNow(deps.provider) ? deps.provider : null;
    this.fresh = data.pairs.map((s) => validateDataFreshness(0, s.pair.assetClass, s.pair.assetClass === 'stock' && data.timeframe === '1d' ? '1d' : 'intraday', 0, deps.freshness));
  }

  positions(): PositionView[] {
    const b = this.currentBook;
    if (!b) return [];
    let out: PositionView[] | null = null;
    for (let p = 0; p < b.units.length; p++) {
      const u = b.units[p];
      if (u === 0) continue;
      (out ??= []).push({
        pair: this.data.pairs[p].pair.symbol,
        side: u > 0 ? 'long' : 'short',
        units: Math.abs(u),
        entryPrice: b.entryPrice[p],
        unrealizedPnl: u * (b.lastClose[p] - b.entryPrice[p]),
        openedAt: b.entryTime[p],
      });
    }
    // Flat on most bars: one shared empty list (frozen) instead of a new one per bar.
    return out ?? NO_POSITIONS;
  }

  /**
   * The live AnalysisContext with bar `i` of pair `p` the latest closed one, as of its close or a
   * later moment before the next bar closes (`asOf`: when a closed market next lets an order go).
   */
  analysisAt(p: number, i: number, asOf?: number): Analysis {
    return { context: this.contextAt(p, i, asOf), market: marketAt(this.data, p, i), candles: {} };
  }

  /** Pair `p`. */
  pairAt(p: number): PairInfo {
    return this.data.pairs[p].pair;
  }

  /** The close of bar `i` of pair `p`. */
  closeAt(p: number, i: number): number {
    return this.data.pairs[p].bars.close[i];
  }

  /** Pair `p`'s data freshness (see `fresh`). */
  freshnessAt(p: number): Freshness {
    return this.fresh[p];
  }

  /** The cost assumptions the contexts carry. */
  get costs(): AnalysisContext['costs'] {
    return this.deps.costs;
  }

  /** The market status of a decision on bar `i` of pair `p` at `t` (see `backtestMarketStatus`). */
  marketStatusAt(p: number, i: number, t: number): MarketStatus {
    const series = this.data.pairs[p];
    const bars = series.bars;
    return backtestMarketStatus(series.pair.assetClass, t, this.data.timeframe, this.deps.fill ?? 'next_open', i + 1 < bars.length ? bars.timestamp[i + 1] : undefined);
  }

  /**
   * `lazy`: the pulse's frames are written as read (`PointInTimeFeed.pulseAt`) and the context is
   * a `BarContext`; `act` fixes both before a record keeps them.
   */
  private contextAt(p: number, i: number, asOf?: number, lazy = false): AnalysisContext {
    const series = this.data.pairs[p];
    const bars = series.bars;
    const closed = bars.timestamp[i] + TIMEFRAME_MS[this.data.timeframe];
    const t = Math.max(closed, asOf ?? closed);
    const feed = this.deps.feeds[p];
    const pulse = feed.pulseAt(t, lazy);
    if (lazy) return new BarContext(t, pulse, feed.regime, this, p, i);
    return {
      pair: series.pair,
      asOf: t,
      price: bars.close[i],
      pulse,
      regime: feed.regime,
      marketStatus: this.marketStatusAt(p, i, t),
      freshness: this.fresh[p],
      positions: this.positions(),
      memorySummary: null,
      costs: this.deps.costs,
      news: [],
      // The sample's label carries its end date: a backtest must not show it to a provider.
      sample: null,
    };
  }

  /** The fast book's call: its decision records go to its risk gate only, so they are made without waiting and written lazily (`AnalysisEngine.decideNow`). */
  onBar(p: number, i: number, out: SignalOut, book: BookView): void | Promise<void> {
    return this.step(p, i, out, book, this.orderTime(p, i));
  }

  /**
   * When an order decided on bar `i` can first go: at the next bar's open, the moment its market
   * first trades in it (the live path decides then, so the decision's age at the gate is the
   * same in both engines); at the close with fill = close. Undefined after the last bar.
   */
  private orderTime(p: number, i: number): number | undefined {
    if ((this.deps.fill ?? 'next_open') === 'close') return undefined;
    const series = this.data.pairs[p];
    if (i + 1 >= series.bars.length) return undefined;
    const next = series.bars.timestamp[i + 1];
    return openFrom(series.pair.assetClass, next, next + TIMEFRAME_MS[this.data.timeframe]);
  }

  /**
   * `onBar`, with the decision taken at `asOf` (see `analysisAt`); a promise only when something
   * had to be waited for. The record is `decideNow`'s too (the execution path's order path reads
   * it through its getters and its store serialises it with `toJSON`: the same record `decide`
   * writes out whole, ~26 k of them per 100 k bars, most refused by the gate).
   */
  decideAt(p: number, i: number, out: SignalOut, book: BookView, asOf?: number): void | Promise<void> {
    return this.step(p, i, out, book, asOf);
  }

  /**
   * One bar's decision. Synchronous unless something has to be waited for: a provider that
   * answers now (`decideNow`) and a HOLD or a repeat of the held direction need no promise, and
   * most bars are those.
   */
  private step(p: number, i: number, out: SignalOut, book: BookView, asOf: number | undefined): void | Promise<void> {
    if (i < this.data.pairs[p].first) return;
    this.currentBook = book;
    this.stats.calls++;
    // A provider that answers now reads the pulse before the feed moves on (nothing else keeps it
    // but a record, which `act` fixes first); one that answers later gets a written pulse.
    if (this.now) {
      const context = this.contextAt(p, i, asOf, true);
      return this.act(p, i, out, book, context, this.now.decideNow(context));
    }
    const context = this.contextAt(p, i, asOf);
    return this.deps.provider.decide(context).then((result) => this.act(p, i, out, book, context, result));
  }

  /**
   * The provider's answer: an answer that would change the position goes through the engine's
   * gates and sizing, without waiting: sized on the book's equity (what the engine's account view
   * reads, `currentBook`), its record written lazily (`AnalysisEngine.decideNow`).
   */
  private act(p: number, i: number, out: SignalOut, book: BookView, context: AnalysisContext, result: ProviderResult): void {
    if (!result.ok) {
      this.stats.failures[result.code] = (this.stats.failures[result.code] ?? 0) + 1;
      return;
    }
    const dir = result.signal.action === 'BUY' ? 1 : result.signal.action === 'SELL' ? -1 : 0;
    const held = Math.sign(book.units[p]);
    if (dir === 0 || dir === held) return;
    // A HOLD the engine's gates force changes nothing: counted without making its record.
    if (this.deps.engine.forcesHold(context, result.signal)) {
      this.stats.gated++;
      return;
    }
    // The record keeps the pulse (and the rules' answer writes its reasoning from it when read) and the context.
    fixFrames(context.pulse.timeframes);
    if (context instanceof BarContext) context.fix();
    this.apply(out, this.deps.engine.decideNow(new BarAnalysis(context, this.data, p, i), this.deps.provider, result, book.equity()));
  }

  private apply(out: SignalOut, d: Decision): void {
    if (d.action === 'HOLD') {
      this.stats.gated++;
      return;
    }
    out.action = d.action === 'BUY' ? 1 : -1;
    out.confidence = d.confidence;
    out.stopLossFraction = d.stopLossFraction;
    out.takeProfitFraction = d.takeProfitFraction;
    out.riskFraction = d.riskFraction;
    out.decision = d;
  }
}
