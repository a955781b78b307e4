import { positionNotional, stopFraction, type TradePolicy } from '../core/policy.js';
import { tradePnl } from '../core/trade.js';
import { TIMEFRAME_MS } from '../core/timeframe.js';
import { EXIT_NONE, EXIT_STOP, EXIT_TARGET, intrabarExit, type ExitHit } from '../core/fill-rule.js';
import { slippage } from './fill-model.js';
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
  private readonly trades: Trade[] = [];
  private readonly fills: Fill[] = [];
  private readonly rejections: BacktestResult['rejections'] = [];
  private readonly recordFills: boolean;
  private readonly recordTrades: boolean;
  private readonly tally = new TradeTally();
  private readonly hit: ExitHit = { kind: EXIT_NONE, price: 0 };
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
    this.recordFills = opts.recordFills !== false;
    this.recordTrades = opts.recordTrades !== false;
    this.cash = s.initialBalance;
    this.policy = policyOf(s);
  }

  equity(): number {
    let e = this.cash;
    for (let p = 0; p < this.n; p++) if (this.units[p] !== 0) e += this.units[p] * this.lastClose[p];
    return e;
  }

  projectedUnits(p: number): number {
    return (this.pendExit[p] ? 0 : this.units[p]) + this.pendUnits[p];
  }

  private slip(p: number, i: number, qty: number): number {
    return slippage(this.s.slippageRate, this.s.volumeImpact, qty, this.data.pairs[p].bars.volume[i]);
  }

  private fill(p: number, time: number, qty: number, price: number, reason: Fill['reason']): number {
    const fee = Math.abs(qty) * price * this.s.feeRate;
    this.cash -= qty * price + fee;
    if (this.recordFills) this.fills.push({ pair: this.data.pairs[p].pair.symbol, time, units: qty, price, fee, reason });
    return fee;
  }

  /** `sl`/`tp` are prices, set from the decision's price as a live order attaches them. */
  private open(p: number, i: number, time: number, qty: number, ref: number, sl: number, tp: number): void {
    const dir = qty > 0 ? 1 : -1;
    const price = ref * (1 + dir * this.slip(p, i, qty));
    this.entryFee[p] = this.fill(p, time, qty, price, 'entry');
    this.units[p] = qty;
    this.entryPrice[p] = price;
    this.entryTime[p] = time;
    this.slPrice[p] = sl;
    this.tpPrice[p] = tp;
  }

  private close(p: number, i: number, time: number, ref: number, reason: ExitReason, slipped: boolean): void {
    const qty = this.units[p];
    const price = slipped ? ref * (1 - (qty > 0 ? 1 : -1) * this.slip(p, i, qty)) : ref;
    const fees = this.entryFee[p] + this.fill(p, time, -qty, price, reason);
    const entry = this.entryPrice[p];
    this.units[p] = 0;
    // The tally needs no object: metric-only runs (Monte Carlo, searches) keep no trade list.
    this.tally.add(tradePnl(qty > 0 ? 'long' : 'short', Math.abs(qty), entry, price, fees), fees);
    if (this.recordTrades) this.trades.push(closedTrade(this.data.pairs[p].pair.symbol, qty, { time: this.entryTime[p], price: entry }, { time, price }, fees, reason));
  }

  private checkStops(p: number, i: number, time: number): void {
    const b = this.data.pairs[p].bars;
    const hit = intrabarExit(this.units[p] > 0, b.open[i], b.high[i], b.low[i], this.slPrice[p], this.tpPrice[p], this.hit);
    // Stops are market orders and slip; targets are limits and fill at their price (or better, at a gap).
    if (hit.kind === EXIT_STOP) this.close(p, i, time, hit.price, 'stop_loss', true);
    else if (hit.kind === EXIT_TARGET) this.close(p, i, time, hit.price, 'take_profit', false);
  }

  private executePending(p: number, i: number, time: number, ref: number): void {
    if (this.pendExit[p] && this.units[p] !== 0) this.close(p, i, time, ref, 'signal', true);
    if (this.pendUnits[p] !== 0) this.open(p, i, time, this.pendUnits[p], ref, this.pendSl[p], this.pendTp[p]);
    this.pendExit[p] = 0;
    this.pendUnits[p] = 0;
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
      const eq = this.equity();
      const notional =
        s.fixedFraction !== null
          ? Math.min((eq * s.fixedFraction) / (1 + s.feeRate + s.slippageRate), s.maxNotionalFraction === null ? Infinity : eq * s.maxNotionalFraction)
          : positionNotional(eq, slF, Number.isNaN(out.riskFraction) ? this.policy.riskFraction : out.riskFraction, this.policy.maxPositionFraction);
      entry = (want * notional) / price;
      const risk = this.opts.risk;
      if (entry !== 0 && risk) {
        const reason = risk.check({ pairIndex: p, direction: want as 1 | -1, units: Math.abs(entry), price, time, decision: out.decision }, this, this.data);
        if (reason) {
          this.rejections.push({ pair: this.data.pairs[p].pair.symbol, time, reason });
          entry = 0;
        }
      }
    }
    const sl = price * (1 - want * slF);
    const tp = price * (1 + want * tpF);
    if (s.fill === 'close') {
      if (exitFirst) this.close(p, i, time, price, 'signal', true);
      if (entry !== 0) this.open(p, i, time, entry, price, sl, tp);
      return;
    }
    this.pendExit[p] = exitFirst ? 1 : 0;
    this.pendUnits[p] = entry;
    this.pendSl[p] = sl;
    this.pendTp[p] = tp;
  }

  /** Phase 1 of a tick: each pair with a bar at `t` fills queued orders, then checks intrabar exits. Returns whether any position was held. */
  private advance(t: number): boolean {
    const { data, cursor, units } = this;
    const nextOpen = this.s.fill === 'next_open';
    let held = false;
    for (let p = 0; p < this.n; p++) {
      const series = data.pairs[p];
      const b = series.bars;
      const next = cursor[p] + 1;
      if (next >= b.length || b.timestamp[next] !== t) continue;
      cursor[p] = next;
      if (next < series.first) continue;
      if (nextOpen && (this.pendExit[p] || this.pendUnits[p] !== 0)) this.executePending(p, next, t, b.open[next]);
      if (units[p] !== 0) {
        held = true;
        this.checkStops(p, next, t);
      }
      this.lastClose[p] = b.close[next];
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
    for (let p = 0; p < n; p++) if (this.units[p] !== 0) this.close(p, Math.max(0, cursor[p]), lastTime, this.lastClose[p], 'end', true);
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
      rejections: this.rejections,
      cash: this.cash,
      notes: [],
    };
  }
}

export function runBacktest(data: BacktestData, source: SignalSource, s: BacktestSettings, opts: RunOptions = {}): Promise<BacktestResult> {
  return new EventBacktest(data, source, s, opts).run();
}
