import type { Candle } from '../core/candle.js';
import type { Freshness, FreshnessThresholds } from '../core/freshness.js';
import type { MarketStatus } from '../core/market-schedule.js';
import type { AssetClass } from '../core/pair.js';
import { validateDataFreshness } from '../core/freshness.js';
import { tradingDayStart } from '../core/trading-day.js';
import type { RiskGatekeeper } from '../risk/gatekeeper.js';
import type { ReturnSeriesWithTail } from '../risk/checks/var.js';
import { SortedWindow } from '../risk/sorted-window.js';
import { dailyReturns } from '../risk/stats.js';
import type { Exposure, PortfolioContext, ReturnSeries, RiskConfig } from '../risk/types.js';
import { backtestMarketStatus } from './market-time.js';
import type { FillModel } from './types.js';
import { lowerBoundFrom } from './search.js';
import type { BacktestData, BookView, EntryIntent, RiskGate } from './port.js';

const DAY = 86_400_000;

/** The holdings of an entry with nothing else held: one frozen list (the checks only read it). */
const NO_POSITIONS = Object.freeze([]) as unknown as Exposure[];

/** A copy of `a` with twice the room, its first `used` entries kept. */
function grow<T extends Float64Array | Int32Array>(a: T, used: number): T {
  const b = new (a.constructor as new (n: number) => T)(Math.max(1024, a.length * 2));
  b.set(a.subarray(0, used));
  return b;
}

/** counts[k]: how many i < k have bad(i). */
function prefixCount(n: number, bad: (i: number) => boolean): Int32Array {
  const counts = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) counts[i + 1] = counts[i] + (bad(i) ? 1 : 0);
  return counts;
}

/**
 * The live RiskGatekeeper fed from the simulated book: holdings at the last close, the
 * backtest's own equity curve, and daily returns of bars closed by the decision time, so
 * correlation, concentration, VaR and drawdown rules judge each entry as they would live.
 */
export class GatekeeperRiskGate implements RiskGate {
  // The backtest's equity curve, one point per bar close, in growable typed arrays (no boxed numbers).
  private times: Float64Array;
  private equities: Float64Array;
  private n = 0;
  /** Where the last drawdown lookback and trading day began in the curve: the next entry's search starts there. */
  private lookbackHint = 0;
  private dayHint = 0;
  /**
   * Indices of the curve's running maxima from the right: each entry's equity is ≥ every later
   * point's (ties keep the earlier index). The highest point of any suffix [lo, n) is therefore
   * the first entry ≥ lo, found by binary search instead of re-scanning the lookback on every
   * entry (a refused entry per bar re-read 30 days of 1m equity).
   */
  private peaks = new Int32Array(1024);
  private peakCount = 0;
  private readonly returns: ReturnSeries[];
  /** Per pair, the last return window handed to the checks and the index it ends at. */
  private readonly window: (ReturnSeries | undefined)[];
  private readonly windowEnd: Int32Array;
  /** Per pair, the bar the last entry's next open was found at (the next search starts there). */
  private readonly barHint: Int32Array;
  /**
   * Per pair, the VaR check's sorted tail (the last var_lookback_days returns) kept as the window
   * slides: it covers the returns [tailStart, tailEnd) (tailEnd −1: to be rebuilt). Prefix counts
   * per return index answer the check's other two conditions in O(1): returns that are not finite
   * (badValues) and dates not above the one before (badDates).
   */
  private readonly tails: (SortedWindow | undefined)[];
  private readonly tailStart: Int32Array;
  private readonly tailEnd: Int32Array;
  private readonly badValues: Int32Array[];
  private readonly badDates: Int32Array[];
  private readonly fresh: (Freshness | undefined)[] = [];

  constructor(
    private readonly gate: RiskGatekeeper,
    private readonly limits: RiskConfig,
    data: BacktestData,
    daily: (readonly Candle[])[],
    private readonly freshness: FreshnessThresholds,
    private readonly fill: FillModel = 'next_open',
    private readonly timeZone = 'UTC',
  ) {
    // One point per bar close of the run: room for the longest pair's bars up front, not ten doublings to a million.
    const bars = data.pairs.reduce((m, p) => Math.max(m, p.bars.timestamp.length), 0);
    this.times = new Float64Array(Math.max(1024, bars + 1));
    this.equities = new Float64Array(this.times.length);
    this.returns = data.pairs.map((_, p) => dailyReturns(daily[p] ?? []));
    this.window = new Array<ReturnSeries | undefined>(data.pairs.length);
    this.windowEnd = new Int32Array(data.pairs.length);
    this.barHint = new Int32Array(data.pairs.length);
    this.tails = new Array<SortedWindow | undefined>(data.pairs.length);
    this.tailStart = new Int32Array(data.pairs.length);
    this.tailEnd = new Int32Array(data.pairs.length).fill(-1);
    this.badValues = this.returns.map((s) => prefixCount(s.values.length, (i) => !Number.isFinite(s.values[i])));
    this.badDates = this.returns.map((s) => prefixCount(s.dates.length, (i) => i > 0 && !(s.dates[i] > s.dates[i - 1])));
  }

  observe(time: number, equity: number): void {
    if (this.n === this.times.length) {
      this.times = grow(this.times, this.n);
      this.equities = grow(this.equities, this.n);
    }
    const { equities, peaks } = this;
    let k = this.peakCount;
    while (k > 0 && equities[peaks[k - 1]] < equity) k--;
    if (k === peaks.length) this.peaks = grow(peaks, k);
    this.peaks[k] = this.n;
    this.peakCount = k + 1;
    this.times[this.n] = time;
    equities[this.n++] = equity;
  }

  /** Returns dated by the day of their later bar, which closes a day after that date. */
  private returnsAt(p: number, t: number): ReturnSeries {
    const s = this.returns[p];
    // Dates are whole-ms UTC days; a return is known once its bar closed, a day after its date.
    const hi = lowerBoundFrom(s.dates, s.dates.length, t - DAY + 1, this.windowEnd[p]);
    // The window moves once a day: the same series object serves every entry until then (the checks only read it).
    const cached = this.window[p];
    if (cached !== undefined && this.windowEnd[p] === hi) return cached;
    const lo = Math.max(0, hi - (this.limits.var_lookback_days * 2 + 1));
    this.windowEnd[p] = hi;
    const dates = s.dates.slice(lo, hi);
    const values = s.values.slice(lo, hi);
    const lookback = this.limits.var_lookback_days;
    // A lookback of 0 would mean the whole window to the check (slice(-0)): left to the check, as an empty window is.
    const w: ReturnSeries | ReturnSeriesWithTail = lookback > 0 && hi > lo ? { dates, values, sortedTail: { of: values, lookback, sorted: this.sortedTail(p, lo, hi, lookback) } } : { dates, values };
    return (this.window[p] = w);
  }

  /**
   * What the VaR check's sortedTail gives for the window [lo, hi) of pair p's returns: its last
   * `lookback` returns sorted, or null when the window's dates are not strictly increasing or one
   * of those returns is not finite. The sorted window moves with the day instead of being sorted anew.
   */
  private sortedTail(p: number, lo: number, hi: number, lookback: number): number[] | null {
    const from = Math.max(0, hi - lookback);
    const badValues = this.badValues[p];
    if (badValues[hi] - badValues[from] > 0) {
      // Not finite: the check's answer is null; a later window rebuilds the sorted one.
      this.tailEnd[p] = -1;
      return null;
    }
    const values = this.returns[p].values;
    let w = this.tails[p];
    if (w === undefined || w.size !== lookback) w = this.tails[p] = new SortedWindow(lookback);
    let start = this.tailStart[p];
    let end = this.tailEnd[p];
    // Slid forward by less than the lookback: the values added since are all inside [from, hi), all finite.
    if (end < 0 || hi < end || hi - end >= lookback) {
      w.clear();
      start = end = from;
    }
    for (; end < hi; end++) {
      if (end - start === lookback && !w.remove(values[start++])) throw new Error(`sorted VaR window of pair ${p} lost return ${start - 1}`);
      w.add(values[end]);
    }
    this.tailStart[p] = start;
    this.tailEnd[p] = end;
    // The dates are the window's (the check tests the whole window's, not only its tail's).
    const badDates = this.badDates[p];
    return hi - lo < 2 || badDates[hi] === badDates[lo + 1] ? w.copy() : null;
  }

  /**
   * backtestMarketStatus at `t`: a market open at `t` is the answer whatever the next bar, so the
   * next bar's open is looked up only for a closed one (a crypto pair never needs it).
   */
  private statusAt(data: BacktestData, p: number, assetClass: AssetClass, t: number): MarketStatus {
    const now = backtestMarketStatus(assetClass, t, data.timeframe, this.fill);
    return now.isOpen ? now : backtestMarketStatus(assetClass, t, data.timeframe, this.fill, this.nextBarOpen(data, p, t));
  }

  /** When the pair's first bar at or after `t` starts (its schedule, not its prices); undefined after the last. */
  private nextBarOpen(data: BacktestData, p: number, t: number): number | undefined {
    const ts = data.pairs[p].bars.timestamp;
    const k = (this.barHint[p] = lowerBoundFrom(ts, ts.length, t, this.barHint[p]));
    return k < ts.length ? ts[k] : undefined;
  }

  /** The day's opening equity `curve` found (a field: no result object per entry). */
  private dayStart = 0;
  /** The point object of the curve's index `peakPointAt` (a point never changes once observed: one object serves every entry while the peak stays). */
  private peakPoint: { at: number; equity: number } | null = null;
  private peakPointAt = -1;

  /**
   * The drawdown rule reads only the curve's maximum, so the curve handed over is the peak of
   * the lookback plus now: the same verdict without a point object per bar. The day's opening
   * equity goes to `dayStart`.
   */
  private curve(t: number, equity: number): { at: number; equity: number }[] {
    const times = this.times;
    const n = this.n;
    const lo = (this.lookbackHint = lowerBoundFrom(times, n, t - this.limits.drawdown_lookback_days * DAY, this.lookbackHint));
    const peaks = this.peaks;
    // First running-maximum index at or after lo: the lookback's (first) highest point.
    let a = 0;
    let b = this.peakCount;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (peaks[mid] < lo) a = mid + 1;
      else b = mid;
    }
    const peak = a < this.peakCount ? peaks[a] : n;
    // The last value before midnight opens the day; failing that, the day's first.
    const k = (this.dayHint = lowerBoundFrom(times, n, tradingDayStart(t, this.timeZone), this.dayHint));
    this.dayStart = k > lo ? this.equities[k - 1] : k < n ? this.equities[k] : equity;
    const now = { at: t, equity };
    if (peak === n) return [now];
    if (this.peakPointAt !== peak) {
      this.peakPoint = { at: times[peak], equity: this.equities[peak] };
      this.peakPointAt = peak;
    }
    return [this.peakPoint!, now];
  }

  /**
   * The quote is the decision's own bar close, so its age is always 0 and the verdict depends on
   * the asset class alone: one object per pair serves every entry (the checks only read it).
   */
  private freshAt(p: number, assetClass: AssetClass, t: number): Freshness {
    return (this.fresh[p] ??= validateDataFreshness(t, assetClass, 'intraday', t, this.freshness));
  }

  /** Per pair, the returns record of an entry in it with nothing else held, kept while its window is the same object. */
  private readonly soloReturns: (Record<string, ReturnSeries> | undefined)[] = [];

  check(intent: EntryIntent, book: BookView, data: BacktestData): string | null {
    const t = intent.time;
    const equity = book.equity();
    const pairs = data.pairs;
    const info = pairs[intent.pairIndex].pair;
    let held = false;
    for (let p = 0; p < pairs.length && !held; p++) held = p !== intent.pairIndex && book.projectedUnits(p) !== 0;
    let positions = NO_POSITIONS;
    let returns: Record<string, ReturnSeries>;
    if (!held) {
      // Nothing else held (the usual entry): one returns record per window, no positions list.
      returns = this.soloReturnsAt(intent.pairIndex, info.symbol, t);
    } else {
      positions = [];
      returns = {};
      for (let p = 0; p < pairs.length; p++) {
        // Orders queued for the next open are exposure already, as reserved exposure is live.
        const units = p === intent.pairIndex ? 0 : book.projectedUnits(p);
        if (units === 0 && p !== intent.pairIndex) continue;
        const pair = pairs[p].pair;
        returns[pair.symbol] = this.returnsAt(p, t);
        if (units !== 0) positions.push({ pair: pair.symbol, assetClass: pair.assetClass, units, price: book.lastClose[p] });
      }
    }
    const equityCurve = this.curve(t, equity);
    const ctx: PortfolioContext = {
      now: t,
      marketNow: t,
      currency: info.quote,
      equity,
      positions,
      trade: { pair: info.symbol, assetClass: info.assetClass, side: intent.direction > 0 ? 'buy' : 'sell', units: intent.units, price: intent.price, reducesExposure: false },
      equityCurve,
      dayStartEquity: this.dayStart,
      returns,
      market: {
        status: this.statusAt(data, intent.pairIndex, info.assetClass, t),
        freshness: this.freshAt(intent.pairIndex, info.assetClass, t),
        quoteAt: t,
      },
    };
    return this.gate.refusal(intent.decision, ctx);
  }

  private soloReturnsAt(p: number, symbol: string, t: number): Record<string, ReturnSeries> {
    const w = this.returnsAt(p, t);
    const kept = this.soloReturns[p];
    if (kept !== undefined && kept[symbol] === w) return kept;
    return (this.soloReturns[p] = { [symbol]: w });
  }
}
