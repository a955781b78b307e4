import type { Candle } from '../core/candle.js';
import type { Clock } from '../core/clock.js';
import { isFfeError } from '../core/errors.js';
import { validateDataFreshness, type FreshnessThresholds } from '../core/freshness.js';
import { getMarketStatus } from '../core/market-schedule.js';
import type { OrderSide, Position } from '../core/order.js';
import { classifyPair, type PairInfo } from '../core/pair.js';
import { tradingDayStart } from '../core/trading-day.js';
import type { MarketData, Quote, SampleInfo } from '../data/port.js';
import { sourceTimeframeFor } from '../data/select-series.js';
import { dailyReturns } from './stats.js';
import type { Exposure, PortfolioContext, ReturnSeries, RiskConfig } from './types.js';
import type { EquitySnapshotRepository } from '../store/port.js';

const DAY = 86_400_000;

/** The read side of an account: what the context needs from a venue. */
export interface AccountReader {
  equity(): Promise<{ currency: string; value: string }>;
  positions(): Promise<Position[]>;
}

export interface ContextDeps {
  /** The `…Now` readers (an in-memory adapter's) let `buildNow` answer without a promise. */
  account: AccountReader & Partial<AccountReaderNow>;
  /** Key of the account's equity curve (`paper` / `live`). */
  accountKey: string;
  marketData: MarketData & Partial<MarketDataNow>;
  snapshots: EquitySnapshotRepository & Partial<LandmarksNow>;
  clock: Clock;
  freshness: FreshnessThresholds;
  limits: RiskConfig;
  /** Whose midnight starts the trading day of the daily-loss rule (the agent's too); default UTC. */
  timeZone?: string;
  /**
   * Daily returns kept between builds (one per ExecutionService): a long-lived caller passes one so
   * daily candles are read once per new day instead of once per order. Default: a fresh one.
   */
  dailyReturns?: DailyReturns;
}

export interface TradeQuery {
  pair: string;
  side: OrderSide;
  /** Base units; positive. */
  units: number;
}

/** classifyPair of the few symbols an account trades, kept (it is pure): a context is built at every entry signal. */
const classes = new Map<string, PairInfo>();
const classified = (pair: string): PairInfo => {
  let c = classes.get(pair);
  if (!c) {
    c = classifyPair(pair);
    if (classes.size < 4096) classes.set(pair, c);
  }
  return c;
};

const signedUnits = (p: Pick<Position, 'side' | 'units'>): number => (p.side === 'long' ? 1 : -1) * Number(p.units);
const exposure = (p: Position, price: number): Exposure => ({ pair: p.pair, assetClass: classified(p.pair).assetClass, units: signedUnits(p), price });
/** A position the venue marks (markPrice set), valued at its mark. */
const marked = (p: Position): Exposure => exposure(p, Number(p.markPrice));

type Landmarks = Awaited<ReturnType<EquitySnapshotRepository['landmarks']>>;

/**
 * Reads an in-memory adapter answers without a promise (the backtest's simulated venue, its
 * point-in-time market data and its curve). When every reader of a context has them the context
 * is a value (`buildNow`); live adapters have none and are read through their ports.
 */
export interface AccountReaderNow {
  equityNow(): { currency: string; value: string };
  positionsNow(): readonly Position[];
}

export interface MarketDataNow {
  /** `sampleInfo`'s answer, undefined when it is not known without a read. */
  sampleInfoNow(pair: string): SampleInfo | null | undefined;
  /** `latestQuote`'s answer, undefined when it takes a read. */
  latestQuoteNow(pair: string, at: number): Quote | undefined;
}

/** The curve's landmarks as numbers: the peak's time and equity, the day's opening equity; NaN where there is none. */
export interface LandmarkValues {
  peakAt: number;
  peak: number;
  dayOpen: number;
}

export interface LandmarksNow {
  /** `landmarks`' answer as numbers (the numbers of its equity texts). */
  landmarksNow(account: string, from: number, to: number, dayStart: number): LandmarkValues;
}

/** `landmarks`' rows as the numbers assemble reads. */
const valuesOf = ({ peak, dayOpen }: Landmarks): LandmarkValues => ({
  peakAt: peak ? peak.at : NaN,
  peak: peak ? Number(peak.equity) : NaN,
  dayOpen: dayOpen ? Number(dayOpen.equity) : NaN,
});

/**
 * Builds the risk gate's inputs from real data, never leaving one empty: holdings and equity from
 * the venue, the equity curve from stored snapshots, daily returns from 1d candles that closed at
 * or before the market's now (no look-ahead).
 */
export class PortfolioContextBuilder {
  private readonly daily: DailyReturns;

  constructor(private readonly deps: ContextDeps) {
    this.daily = deps.dailyReturns ?? new DailyReturns(deps.marketData, deps.limits.var_lookback_days);
  }

  /** `known`: the account's positions when the caller has just read them (saves the venue a second call). */
  async build(q: TradeQuery, known?: readonly Position[]): Promise<PortfolioContext> {
    const { account, marketData, clock, snapshots, accountKey } = this.deps;
    const info = classified(q.pair);
    const sample = await marketData.sampleInfo(info.symbol);
    const now = clock.now();
    // A replay's clock runs inside the sample; only a clock past the sample's end is clamped to it.
    const marketNow = Math.min(sample?.asOf ?? Infinity, now);
    // Flat and told so (a backtest's refused entries): no venue read but the equity.
    const [eq, venuePositions, quote] =
      known?.length === 0
        ? [await account.equity(), known, await marketData.latestQuote(info.symbol, marketNow)]
        : await Promise.all([account.equity(), known ?? account.positions(), marketData.latestQuote(info.symbol, marketNow)]);

    // A venue marks its positions: the quote is asked for only where it does not.
    const positions: Exposure[] = venuePositions.every((p) => p.markPrice !== null)
      ? venuePositions.map(marked)
      : await Promise.all(venuePositions.map(async (p) => exposure(p, p.markPrice !== null ? Number(p.markPrice) : (await marketData.latestQuote(p.pair, marketNow)).price)));

    const returns: Record<string, ReturnSeries> = {};
    // One pair (the usual case) without a set or a Promise.all around it.
    if (positions.every((p) => p.pair === info.symbol)) {
      const series = this.daily.at(info.symbol, marketNow);
      returns[info.symbol] = series instanceof Promise ? await series : series;
    } else {
      const pairs = [...new Set([info.symbol, ...positions.map((p) => p.pair)])];
      await Promise.all(pairs.map(async (p) => (returns[p] = await this.daily.at(p, marketNow))));
    }
    const window = this.window(now);
    const marks = valuesOf(await snapshots.landmarks(accountKey, window.from, now, window.dayStart));
    return this.assemble(q, info, now, marketNow, eq, positions, quote, returns, marks);
  }

  /**
   * `build` without a promise, when every reader answers now (the backtest's in-memory venue,
   * point-in-time data and curve have `…Now` readers: a context is built at every entry signal
   * and a quarter of a 1m run's bars are refused entries). Undefined when one cannot (a live
   * venue, a store, a daily series to read again): the caller then builds it with `build`. The
   * same reads in the same order, so the same context.
   */
  buildNow(q: TradeQuery, known?: readonly Position[]): PortfolioContext | undefined {
    const { clock, accountKey, account, marketData, snapshots } = this.deps;
    if (!account.equityNow || !marketData.sampleInfoNow || !marketData.latestQuoteNow || !snapshots.landmarksNow) return undefined;
    const info = classified(q.pair);
    const sample = marketData.sampleInfoNow(info.symbol);
    if (sample === undefined) return undefined;
    const now = clock.now();
    const marketNow = Math.min(sample?.asOf ?? Infinity, now);
    const venuePositions = known ?? account.positionsNow?.();
    if (!venuePositions || !venuePositions.every((p) => p.markPrice !== null)) return undefined;
    const quote = marketData.latestQuoteNow(info.symbol, marketNow);
    if (!quote) return undefined;
    if (!this.daily.has(info.symbol, marketNow) || venuePositions.some((p) => !this.daily.has(p.pair, marketNow))) return undefined;
    const returns: Record<string, ReturnSeries> = {};
    // Keys in build's order: the traded pair first, then the others as the positions list them.
    returns[info.symbol] = this.daily.at(info.symbol, marketNow) as ReturnSeries;
    for (const p of venuePositions) returns[p.pair] ??= this.daily.at(p.pair, marketNow) as ReturnSeries;
    const eq = account.equityNow();
    const window = this.window(now);
    const marks = snapshots.landmarksNow(accountKey, window.from, now, window.dayStart);
    return this.assemble(q, info, now, marketNow, eq, venuePositions.map(marked), quote, returns, marks);
  }

  /** Where the drawdown rule looks back from, and where the trading day of `now` starts. */
  private window(now: number): { from: number; dayStart: number } {
    return { from: now - this.deps.limits.drawdown_lookback_days * DAY, dayStart: tradingDayStart(now, this.deps.timeZone ?? 'UTC') };
  }

  /**
   * The context from what was read. The curve as the rules read it: its peak over the lookback
   * and now (the drawdown rule takes the maximum), and the day's opening equity — the last value
   * before midnight, failing that the day's first, failing that now.
   */
  private assemble(
    q: TradeQuery,
    info: PairInfo,
    now: number,
    marketNow: number,
    eq: { currency: string; value: string },
    positions: Exposure[],
    quote: Quote,
    returns: Record<string, ReturnSeries>,
    marks: LandmarkValues,
  ): PortfolioContext {
    const equity = Number(eq.value);
    let held = 0;
    for (const p of positions) if (p.pair === info.symbol) held += p.units;
    const signed = q.side === 'buy' ? q.units : -q.units;
    const reducesExposure = held !== 0 && Math.sign(signed) !== Math.sign(held) && Math.abs(signed) <= Math.abs(held) + 1e-12;
    return {
      now,
      marketNow,
      currency: eq.currency,
      equity,
      positions,
      trade: { pair: info.symbol, assetClass: info.assetClass, side: q.side, units: q.units, price: quote.price, reducesExposure },
      equityCurve: Number.isNaN(marks.peak)
        ? [{ at: now, equity }]
        : [
            { at: marks.peakAt, equity: marks.peak },
            { at: now, equity },
          ],
      dayStartEquity: Number.isNaN(marks.dayOpen) ? equity : marks.dayOpen,
      returns,
      market: {
        status: getMarketStatus(info.assetClass, marketNow),
        freshness: validateDataFreshness(quote.timestamp, info.assetClass, 'intraday', marketNow, this.deps.freshness),
        quoteAt: quote.timestamp,
      },
    };
  }
}

interface DailyEntry {
  /** The `end` this entry was read at, and the first `end` at which a newer daily candle may have closed. */
  end: number;
  until: number;
  candles: Candle[];
  series: ReturnSeries;
}

const HOUR = 3_600_000;
/** No daily history is an answer the checks report (they deny); other failures are real errors. */
const noHistory = (e: unknown) => isFfeError(e) && (e.code === 'TIMEFRAME_UNAVAILABLE' || e.code === 'NO_DATA' || e.code === 'PAIR_NOT_AVAILABLE');

/**
 * Daily returns per pair from 1d candles closed at or before `end`, kept up to date as time moves
 * on instead of read whole at every order: a source that resamples minute bars into days would
 * otherwise aggregate ~90 k rows per order. A daily candle after the last one known closes a day
 * after it at the earliest, so until then the series stands; after, only the days since are read
 * and appended. The series is the one a full read would give (same candles, same window).
 */
export class DailyReturns {
  private readonly byPair = new Map<string, DailyEntry>();
  private readonly basis = new Map<string, string | undefined>();
  /** Twice the lookback: days missing on one asset (weekends for forex) shrink the common set. */
  private readonly window: number;

  constructor(
    private readonly marketData: MarketData,
    lookbackDays: number,
  ) {
    this.window = lookbackDays * 2 + 1;
  }

  /** Whether `at(pair, end)` answers without a read. */
  has(pair: string, end: number): boolean {
    const e = this.byPair.get(pair);
    return e !== undefined && end >= e.end && end < e.until;
  }

  /** The series as of `end`; without a promise while no newer daily candle can have closed (nearly every order). */
  at(pair: string, end: number): ReturnSeries | Promise<ReturnSeries> {
    const e = this.byPair.get(pair);
    if (e && end >= e.end && end < e.until) return e.series;
    return this.reread(pair, end, e);
  }

  private async reread(pair: string, end: number, e: DailyEntry | undefined): Promise<ReturnSeries> {
    const candles = e && end >= e.end && e.candles.length > 0 ? await this.extend(pair, e.candles, end) : await this.read(pair, end, this.window);
    const last = candles.length > 0 ? candles[candles.length - 1].timestamp : null;
    // Without any candle yet, when the first will close is unknown: look again within the hour (and at UTC midnight, where daily bars close).
    const until = last !== null ? last + 2 * DAY : Math.min(end + HOUR, Math.floor(end / DAY) * DAY + DAY);
    const basis = await this.basisOf(pair);
    const series = basis ? { ...dailyReturns(candles), basis } : dailyReturns(candles);
    this.byPair.set(pair, { end, until, candles, series });
    return series;
  }

  /**
   * Which bars the source builds a pair's days from, said with its returns: a pair without daily
   * history of its own (ETHBTC imported as 1m) has its days resampled from the finest series that
   * divides a day. Imported series shadow the bundled sample, as the layered source serves them.
   */
  private async basisOf(pair: string): Promise<string | undefined> {
    if (!this.basis.has(pair)) {
      let text: string | undefined;
      try {
        const all = (await this.marketData.list()).filter((s) => s.pair === pair);
        const imported = all.filter((s) => s.origin === 'imported');
        const own = (imported.length > 0 ? imported : all).filter((s) => s.origin === 'native' || s.origin === 'imported').map((s) => s.timeframe);
        const from = sourceTimeframeFor('1d', own);
        text = from === null ? undefined : from === '1d' ? '1d bars' : `${from} bars resampled to daily`;
      } catch {
        text = undefined;
      }
      this.basis.set(pair, text);
    }
    return this.basis.get(pair);
  }

  /** The cached candles and those closed since, trimmed to the window; a full read when the two do not meet. */
  private async extend(pair: string, known: Candle[], end: number): Promise<Candle[]> {
    const last = known[known.length - 1].timestamp;
    const k = Math.min(this.window, Math.ceil((end - last) / DAY) + 1);
    const fresh = await this.read(pair, end, k);
    if (fresh.length === 0 || fresh[0].timestamp > last) return this.read(pair, end, this.window);
    const from = fresh[0].timestamp;
    const kept = known.filter((c) => c.timestamp < from);
    return kept.concat(fresh).slice(-this.window);
  }

  private async read(pair: string, end: number, limit: number): Promise<Candle[]> {
    try {
      return await this.marketData.candles({ pair, timeframe: '1d', end, limit });
    } catch (e) {
      if (noHistory(e)) return [];
      throw e;
    }
  }
}
