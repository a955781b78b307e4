import { orderUnits, positionNotional, stopFraction, unitDecimals, type TradePolicy } from '../core/policy.js';
import type { AssetClass } from '../core/pair.js';
import { tradePnl } from '../core/trade.js';
import { TIMEFRAME_MS } from '../core/timeframe.js';
import { EXIT_NONE, EXIT_STOP, EXIT_TARGET, exitFromFinerBars, intrabarExit, reachedBoth, type ExitHit } from '../core/fill-rule.js';
import { fillable, rangeSigma, slippage } from './fill-model.js';
import { closeBefore, openFrom } from './market-time.js';
import { computeMetrics, TradeTally } from './metrics.js';
import type { BacktestData, BookView, RiskGate, SignalOut, SignalSource } from './port.js';
import { closedTrade, policyOf, type BacktestResult, type BacktestSettings, type ExitReason, type Fill, type Trade } from './types.js';

export interface RunOptions {
  risk?: RiskGate;
  /** Called every `progressEvery` steps with (done, total). */
  onProgress?: (done: number, total: number) => void;
  progressEvery?: number;
  /** Keep the fill list (the accounting test and the report use it). */
  recordFills?: boolean;
  /** Keep the trade list (default true); metrics are computed either way. */
  recordTrades?: boolean;
  /**
   * Reusable buffers for the equity curve: runs that follow each other on one thread (Monte Carlo,
   * optimisation) pass the same ones, and the result's curves are then views valid until the next
   * run. Fresh multi-megabyte arrays per run made worker threads contend on page faults.
   */
  scratch?: { equity: Float64Array; times: Float64Array };
}

/**
 * Units of a new entry at `price` on equity `eq` (as if flat: the live sizing rule): a fixed
 * fraction of equity when the run sets one, else the policy's risk over the stop distance `slF`
 * (`riskF`, NaN for the policy's own), cut to the units an order can carry as the live order path
 * does (whole units for forex). Shared by the event engine and the vectorised path.
 */
export function entryUnits(s: BacktestSettings, policy: TradePolicy, eq: number, price: number, slF: number, riskF: number, assetClass: AssetClass): number {
  const notional =
    s.fixedFraction !== null
      ? Math.min((eq * s.fixedFraction) / (1 + s.feeRate + s.slippageRate), s.maxNotionalFraction === null ? Infinity : eq * s.maxNotionalFraction)
      : positionNotional(eq, slF, Number.isNaN(riskF) ? policy.riskFraction : riskF, policy.maxPositionFraction);
  return orderUnits(notional / price, unitDecimals(assetClass));
}

/** Union of every pair's bar times, warm-up bars included: the simulated clock's ticks. */
export function timeline(data: BacktestData): Float64Array {
  if (data.pairs.length === 1) return data.pairs[0].bars.timestamp;
  const set = new Set<number>();
  for (const p of data.pairs) for (let i = 0; i < p.bars.length; i++) set.add(p.bars.timestamp[i]);
  return Float64Array.from([...set].sort((a, b) => a - b));
}

/**
 * The event-driven backtester. Per tick: pending orders fill at the bar's open, stops and
 * targets are checked inside the bar (a bar that could have hit both counts as stopped), the
 * book is marked at the close, then the signal source sees the closed bar and may queue orders
 * for the next open. Typed arrays hold all per-pair state, so a tick allocates nothing unless
 * a fill happens.
 *
 * A class rather than closures: each run would otherwise create new function objects, and the
 * optimised loop, specialised on the previous run's closures, deoptimised at every run start —
 * in Monte Carlo and optimisation, which run thousands of short backtests per thread, that
 * re-compilation ran on V8's background threads and took the other core's time.
 */
class EventBacktest implements BookView {
  readonly units: Float64Array;
  readonly entryPrice: Float64Array;
  readonly entryTime: Float64Array;
  readonly lastClose: Float64Array;
  private readonly n: number;
  private readonly entryFee: Float64Array;
  private readonly slPrice: Float64Array;
  private readonly tpPrice: Float64Array;
  private readonly cursor: Int32Array;
  // Pending order per pair, decided at a close and filled at the next open (stops as prices).
  private readonly pendExit: Uint8Array;
  private readonly pendUnits: Float64Array;
  private readonly pendSl: Float64Array;
  private readonly pendTp: Float64Array;
  private readonly pendSlF: Float64Array;
  private readonly pendTpF: Float64Array;
  /** 1: the pending entry is the carried rest of a partly filled one (already past the risk gate). */
  private readonly pendCarry: Uint8Array;
  // Units filled per pair in bar `usedBar` (the participation limit counts them).
  private readonly used: Float64Array;
  private readonly usedBar: Int32Array;
  private readonly pendDecision: SignalOut['decision'][];
  /** The price each pair is marked at now: its open while the tick's orders go, its close after the bar (the simulated venue's quote). */
  private readonly mark: Float64Array;
  // Pairs with a bar at the current tick, ordered as their orders go (by when their market opens).
  private readonly opening: Int32Array;
  private readonly openAt: Float64Array;
  /** True while an order is checked at its fill: the queued orders of pairs later in the tick are not decided yet, live. */
  private atFill = false;
  private readonly trades: Trade[] = [];
  private readonly fills: Fill[] = [];
  private readonly rejections: BacktestResult['rejections'] = [];
  private readonly recordFills: boolean;
  /** Counted whether or not fills are recorded: a run that keeps no fill list still says how many entries the participation limit cut. */
  private partialFills = 0;
  private readonly recordTrades: boolean;
  private readonly tally = new TradeTally();
  private readonly hit: ExitHit = { kind: EXIT_NONE, price: 0 };
  private readonly fineHit: ExitHit = { kind: EXIT_NONE, price: 0 };
  /** Bars that reached both stop and target, and how many of them 1m bars resolved. */
  private bothInBar = 0;
  private resolved = 0;
  private readonly out: SignalOut = { action: 0, confidence: 0, stopLossFraction: NaN, takeProfitFraction: NaN, riskFraction: NaN, decision: null };
  private cash: number;
  private readonly policy: TradePolicy;

  constructor(
    private readonly data: BacktestData,
    private readonly source: SignalSource,
    private readonly s: BacktestSettings,
    private readonly opts: RunOptions,
  ) {
    const n = (this.n = data.pairs.length);
    this.units = new Float64Array(n);
    this.entryPrice = new Float64Array(n);
    this.entryTime = new Float64Array(n);
    this.lastClose = new Float64Array(n);
    this.entryFee = new Float64Array(n);
    this.slPrice = new Float64Array(n);
    this.tpPrice = new Float64Array(n);
    this.cursor = new Int32Array(n).fill(-1);
    this.pendExit = new Uint8Array(n);
    this.pendUnits = new Float64Array(n);
    this.pendSl = new Float64Array(n);
    this.pendTp = new Float64Array(n);
    this.pendSlF = new Float64Array(n);
    this.pendTpF = new Float64Array(n);
    this.pendCarry = new Uint8Array(n);
    this.used = new Float64Array(n);
    this.usedBar = new Int32Array(n).fill(-1);
    this.pendDecision = new Array<SignalOut['decision']>(n).fill(null);
    this.mark = new Float64Array(n);
    this.opening = new Int32Array(n);
    this.openAt = new Float64Array(n);
    this.recordFills = opts.recordFills !== false;
    this.recordTrades = opts.recordTrades !== false;
    this.cash = s.initialBalance;
    this.policy = policyOf(s);
  }

  equity(): number {
    let e = this.cash;
    for (let p = 0; p < this.n; p++) if (this.units[p] !== 0) e += this.units[p] * this.mark[p];
    return e;
  }

  projectedUnits(p: number): number {
    if (this.atFill) return this.units[p];
    return (this.pendExit[p] ? 0 : this.units[p]) + this.pendUnits[p];
  }

  /** Slippage of `qty` filled in bar `i`; σ from the bars completed before the fill (up to bar `done`, exclusive). */
  private slip(p: number, i: number, qty: number, done = i): number {
    const { s } = this;
    const b = this.data.pairs[p].bars;
    const sigma = s.fillModel.impact === 'sqrt' ? rangeSigma(b.high, b.low, done - s.fillModel.volatilityBars, done) : 0;
    return slippage(s.slippageRate, s.fillModel, s.volumeImpact, qty, b.volume[i], sigma);
  }

  private fill(p: number, time: number, qty: number, price: number, reason: Fill['reason'], partial = false): number {
    const fee = Math.abs(qty) * price * this.s.feeRate;
    this.cash -= qty * price + fee;
    if (partial) this.partialFills++;
    if (this.recordFills) this.fills.push({ pair: this.data.pairs[p].pair.symbol, time, units: qty, price, fee, reason, ...(partial ? { partial: true as const } : {}) });
    return fee;
  }

  /**
   * Opens (or, for a carried rest, adds to) `p` with what bar `i` can take of `qty` under the
   * participation limit; the rest is carried to the next open or dropped (fill-model.ts). `sl`/`tp`
   * are prices set from the decision's price as a live order attaches them; with the `entry`
   * anchor the stop fractions `slF`/`tpF` are taken of the first fill's price instead.
   */
  private open(p: number, i: number, time: number, qty: number, ref: number, sl: number, tp: number, slF: number, tpF: number, atClose: boolean): void {
    const dir = qty > 0 ? 1 : -1;
    const pair = this.data.pairs[p];
    if (this.usedBar[p] !== i) {
      this.usedBar[p] = i;
      this.used[p] = 0;
    }
    const want = Math.abs(qty);
    const got = fillable(this.s.fillModel, want, pair.bars.volume[i], this.used[p], unitDecimals(pair.pair.assetClass));
    if (got < want && this.s.fillModel.remainder === 'carry') {
      const f = 10 ** unitDecimals(pair.pair.assetClass);
      this.pendUnits[p] = (dir * Math.round((want - got) * f)) / f;
      this.pendCarry[p] = 1;
      this.pendSl[p] = sl;
      this.pendTp[p] = tp;
      this.pendSlF[p] = slF;
      this.pendTpF[p] = tpF;
    }
    if (got === 0) return;
    this.used[p] += got;
    const price = ref * (1 + dir * this.slip(p, i, got, atClose ? i + 1 : i));
    const fee = this.fill(p, time, dir * got, price, 'entry', got < want);
    const held = this.units[p];
    if (held !== 0) {
      // A carried rest adds to the position at the volume-weighted entry; stops stay where the first fill set them.
      this.entryPrice[p] = (held * this.entryPrice[p] + dir * got * price) / (held + dir * got);
      this.units[p] = held + dir * got;
      this.entryFee[p] += fee;
      return;
    }
    this.entryFee[p] = fee;
    this.units[p] = dir * got;
    this.entryPrice[p] = price;
    this.entryTime[p] = time;
    const entryAnchor = this.s.stopAnchor === 'entry';
    this.slPrice[p] = entryAnchor ? price * (1 - dir * slF) : sl;
    this.tpPrice[p] = entryAnchor ? price * (1 + dir * tpF) : tp;
  }

  private close(p: number, i: number, time: number, ref: number, reason: ExitReason, slipped: boolean, done = i): void {
    const qty = this.units[p];
    // An exit fills whole (impact on all of it) and cancels what was left of the entry.
    if (this.pendCarry[p]) {
      this.pendUnits[p] = 0;
      this.pendCarry[p] = 0;
    }
    const price = slipped ? ref * (1 - (qty > 0 ? 1 : -1) * this.slip(p, i, qty, done)) : ref;
    const fees = this.entryFee[p] + this.fill(p, time, -qty, price, reason);
    const entry = this.entryPrice[p];
    this.units[p] = 0;
    // The tally needs no object: metric-only runs (Monte Carlo, searches) keep no trade list.
    this.tally.add(tradePnl(qty > 0 ? 'long' : 'short', Math.abs(qty), entry, price, fees), fees);
    if (this.recordTrades) this.trades.push(closedTrade(this.data.pairs[p].pair.symbol, qty, { time: this.entryTime[p], price: entry }, { time, price }, fees, reason));
  }

  private checkStops(p: number, i: number, time: number): void {
    const { bars: b, finer } = this.data.pairs[p];
    const long = this.units[p] > 0;
    const sl = this.slPrice[p];
    const tp = this.tpPrice[p];
    let hit = intrabarExit(long, b.open[i], b.high[i], b.low[i], sl, tp, this.hit);
    // A bar that reached both counts as stopped, unless its 1m bars show the target came first.
    if (finer && hit.kind === EXIT_STOP && reachedBoth(long, b.open[i], b.high[i], b.low[i], sl, tp)) {
      this.bothInBar++;
      const t = b.timestamp[i];
      if (exitFromFinerBars(long, sl, tp, finer, t, t + TIMEFRAME_MS[this.data.timeframe], this.fineHit).kind !== EXIT_NONE) {
        this.resolved++;
        hit = this.fineHit;
      }
    }
    // Stops are market orders and slip; targets are limits and fill at their price (or better, at a gap).
    if (hit.kind === EXIT_STOP) this.close(p, i, time, hit.price, 'stop_loss', true);
    else if (hit.kind === EXIT_TARGET) this.close(p, i, time, hit.price, 'take_profit', false);
  }

  /**
   * Fills pair `p`'s queued orders at the open `ref`. An entry meets the risk gate here, at the
   * fill — when and at what price the live path's ExecutionService checks it: the moment its
   * market first trades in the bar (`at`), the open as the quote, the book as it stands then.
   */
  private executePending(p: number, i: number, ref: number, at: number): void {
    const qty = this.pendUnits[p];
    const carried = this.pendCarry[p] === 1;
    const decision = this.pendDecision[p];
    const exit = this.pendExit[p];
    this.pendExit[p] = 0;
    this.pendUnits[p] = 0;
    this.pendCarry[p] = 0;
    this.pendDecision[p] = null;
    if (exit && this.units[p] !== 0) this.close(p, i, at, ref, 'signal', true);
    // A carried rest is the same order, already past the gate.
    if (qty !== 0 && (carried || !this.refused(p, qty, ref, at, decision))) this.open(p, i, at, qty, ref, this.pendSl[p], this.pendTp[p], this.pendSlF[p], this.pendTpF[p], false);
  }

  /** Asks the risk gate about an entry of `qty` units of `p` at `price` at `time`; records and returns a refusal. */
  private refused(p: number, qty: number, price: number, time: number, decision: SignalOut['decision']): boolean {
    const risk = this.opts.risk;
    if (!risk) return false;
    this.atFill = true;
    const reason = risk.check({ pairIndex: p, direction: qty > 0 ? 1 : -1, units: Math.abs(qty), price, time, decision }, this, this.data);
    this.atFill = false;
    if (reason) this.rejections.push({ pair: this.data.pairs[p].pair.symbol, time, reason });
    return reason !== null;
  }

  /** Turns the source's signal at the close of bar `i` into an order for the next open (or now). */
  private decide(p: number, i: number, time: number): void {
    const { s, out, units } = this;
    let want = out.action;
    if (want !== 0 && out.confidence / 100 < s.decisionThreshold) want = 0;
    if (want === -1 && !s.allowShort) want = units[p] > 0 ? -1 : 0;
    const cur = units[p] > 0 ? 1 : units[p] < 0 ? -1 : 0;
    if (want === 0 || want === cur) return;
    const price = this.data.pairs[p].bars.close[i];
    const exitFirst = cur !== 0;
    let entry = 0;
    // A provider's decision carries the policy's stop and target already; a strategy's signal gets
    // them here from the same policy (no daily ATR is known to a strategy: the ATR rule's fallback).
    const slF = Number.isNaN(out.stopLossFraction) ? stopFraction(price, null, this.policy) : out.stopLossFraction;
    const tpF = Number.isNaN(out.takeProfitFraction) ? this.policy.takeProfit : out.takeProfitFraction;
    if ((want === 1 || s.allowShort) && !(exitFirst && this.source.closeOnOpposite)) {
      // Size on equity after the exit, as if flat: the same rule as live sizing.
      entry = want * entryUnits(s, this.policy, this.equity(), price, slF, out.riskFraction, this.data.pairs[p].pair.assetClass);
    }
    const sl = price * (1 - want * slF);
    const tp = price * (1 + want * tpF);
    if (s.fill === 'close') {
      // Filled now, at the close: the gate sees the book as it is before the exit, as the order is planned.
      if (entry !== 0 && this.refused(p, entry, price, time, out.decision)) entry = 0;
      if (exitFirst) this.close(p, i, time, price, 'signal', true, i + 1);
      // A rest carried from this entry fills at the next opens.
      this.pendCarry[p] = 0;
      if (entry !== 0) this.open(p, i, time, entry, price, sl, tp, slF, tpF, true);
      return;
    }
    this.pendExit[p] = exitFirst ? 1 : 0;
    this.pendUnits[p] = entry;
    this.pendCarry[p] = 0;
    this.pendSl[p] = sl;
    this.pendTp[p] = tp;
    this.pendSlF[p] = slF;
    this.pendTpF[p] = tpF;
    this.pendDecision[p] = out.decision;
  }

  /**
   * Phase 1 of a tick: the pairs with a bar at `t` open — their queued orders fill at the open,
   * in the order their markets open (a daily crypto bar at midnight before a stock's 09:30
   * session), each marked at its open meanwhile as the simulated venue quotes it — then each
   * bar's intrabar exits are checked and it is marked at its close. Returns whether any position
   * was held.
   */
  private advance(t: number): boolean {
    const { data, cursor, units, opening, openAt } = this;
    const nextOpen = this.s.fill === 'next_open';
    const tfMs = TIMEFRAME_MS[data.timeframe];
    let held = false;
    let count = 0;
    let pending = false;
    for (let p = 0; p < this.n; p++) {
      const b = data.pairs[p].bars;
      const next = cursor[p] + 1;
      if (next >= b.length || b.timestamp[next] !== t) continue;
      cursor[p] = next;
      // When the pair's market first trades in the bar: its orders go then, and its fills (stops too) carry that time.
      const orders = nextOpen || this.pendCarry[p] === 1;
      openAt[count] = orders && (units[p] !== 0 || this.pendExit[p] || this.pendUnits[p] !== 0) ? openFrom(data.pairs[p].pair.assetClass, t, t + tfMs) : t;
      opening[count++] = p;
      if (orders && (this.pendExit[p] || this.pendUnits[p] !== 0)) pending = true;
    }
    if (pending) {
      // Orders go in the order the markets open; ties keep the pairs' order.
      for (let k = 0; k < count; k++) if (openAt[k] === t) openAt[k] = openFrom(data.pairs[opening[k]].pair.assetClass, t, t + tfMs);
      for (let k = 1; k < count; k++) {
        const p = opening[k];
        const a = openAt[k];
        let j = k - 1;
        for (; j >= 0 && openAt[j] > a; j--) {
          opening[j + 1] = opening[j];
          openAt[j + 1] = openAt[j];
        }
        opening[j + 1] = p;
        openAt[j + 1] = a;
      }
    }
    for (let k = 0; k < count; k++) {
      const p = opening[k];
      const b = data.pairs[p].bars;
      const i = cursor[p];
      this.mark[p] = b.open[i];
      if (i < data.pairs[p].first) continue;
      // A carried rest fills at the open whatever the fill setting.
      if ((nextOpen || this.pendCarry[p]) && (this.pendExit[p] || this.pendUnits[p] !== 0)) this.executePending(p, i, b.open[i], openAt[k]);
    }
    for (let k = 0; k < count; k++) {
      const p = opening[k];
      const b = data.pairs[p].bars;
      const i = cursor[p];
      if (i >= data.pairs[p].first && units[p] !== 0) {
        held = true;
        this.checkStops(p, i, openAt[k]);
      }
      if (i >= data.pairs[p].first) this.lastClose[p] = b.close[i];
      this.mark[p] = b.close[i];
    }
    // A position is in the market whether or not its pair has a bar now (a stock held over a weekend).
    if (!held) for (let p = 0; p < this.n; p++) if (units[p] !== 0) return true;
    return held;
  }

  async run(): Promise<BacktestResult> {
    const { data, source, s, opts, out, cursor } = this;
    const n = this.n;
    const tfMs = TIMEFRAME_MS[data.timeframe];
    const ticks = timeline(data);
    const total = ticks.length;
    const reuse = opts.scratch !== undefined && opts.scratch.equity.length >= total && opts.scratch.times.length >= total;
    const equity = reuse ? opts.scratch!.equity : new Float64Array(total);
    const times = reuse ? opts.scratch!.times : new Float64Array(total);
    let inMarket = 0;
    let recorded = 0;
    const every = opts.progressEvery ?? 1000;

    for (let k = 0; k < total; k++) {
      const t = ticks[k];
      const held = this.advance(t);
      // Phase 2: the bar closed; the signal source reads it and may queue orders.
      const closeTime = t + tfMs;
      let trading = false;
      for (let p = 0; p < n; p++) {
        const i = cursor[p];
        if (i < 0 || data.pairs[p].bars.timestamp[i] !== t) continue;
        out.action = 0;
        out.confidence = 0;
        out.stopLossFraction = NaN;
        out.takeProfitFraction = NaN;
        out.riskFraction = NaN;
        out.decision = null;
        const r = source.onBar(p, i, out, this);
        if (r) await r;
        if (i < data.pairs[p].first) continue;
        trading = true;
        this.decide(p, i, closeTime);
      }
      if (!trading) continue;
      if (held) inMarket++;
      times[recorded] = closeTime;
      const e = this.equity();
      equity[recorded++] = e;
      if (opts.risk) opts.risk.observe(closeTime, e);
      if (opts.onProgress && k % every === 0) opts.onProgress(k, total);
    }

    // The run ends flat: open positions are closed at the last close, with costs.
    const lastTime = recorded ? times[recorded - 1] : 0;
    for (let p = 0; p < n; p++) {
      if (this.units[p] === 0) continue;
      // At the pair's last close, in the last minute its market was open (a stock's Friday 16:00 New York), as the live path closes it.
      const b = data.pairs[p].bars;
      const i = Math.max(0, cursor[p]);
      this.close(p, i, closeBefore(data.pairs[p].pair.assetClass, b.timestamp[i] + tfMs, b.timestamp[i]), this.lastClose[p], 'end', true, i + 1);
    }
    if (recorded) equity[recorded - 1] = this.cash;
    const eq = reuse ? equity.subarray(0, recorded) : equity.slice(0, recorded);
    const tm = reuse ? times.subarray(0, recorded) : times.slice(0, recorded);
    return {
      pairs: data.pairs.map((x) => x.pair.symbol),
      timeframe: data.timeframe,
      start: recorded ? tm[0] - tfMs : 0,
      end: lastTime,
      source: source.name,
      engine: 'fast',
      settings: s,
      metrics: computeMetrics({ equity: eq, times: tm, trades: this.tally, data, settings: s, inMarketBars: inMarket }),
      times: tm,
      equity: eq,
      trades: this.trades,
      fills: this.fills,
      partialFills: this.partialFills,
      rejections: this.rejections,
      cash: this.cash,
      notes: this.bothInBar ? [`${this.bothInBar} bars reached both stop and target: ${this.resolved} resolved from 1m bars, ${this.bothInBar - this.resolved} counted as stopped`] : [],
    };
  }
}

export function runBacktest(data: BacktestData, source: SignalSource, s: BacktestSettings, opts: RunOptions = {}): Promise<BacktestResult> {
  return new EventBacktest(data, source, s, opts).run();
}
