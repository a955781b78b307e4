import { positionSize } from '../core/sizing.js';
import { TIMEFRAME_MS } from '../core/timeframe.js';
import { EXIT_NONE, EXIT_STOP, EXIT_TARGET, intrabarExit, slippage, type ExitHit } from './fill-model.js';
import { computeMetrics } from './metrics.js';
import type { BacktestData, BookView, RiskGate, SignalOut, SignalSource } from './port.js';
import type { BacktestResult, BacktestSettings, ExitReason, Fill, Trade } from './types.js';

export interface RunOptions {
  risk?: RiskGate;
  /** Called every `progressEvery` steps with (done, total). */
  onProgress?: (done: number, total: number) => void;
  progressEvery?: number;
  /** Keep the fill list (the accounting test and the report use it). */
  recordFills?: boolean;
  /**
   * Reusable buffers for the equity curve: runs that follow each other on one thread (Monte Carlo,
   * optimisation) pass the same ones, and the result's curves are then views valid until the next
   * run. Fresh multi-megabyte arrays per run made worker threads contend on page faults.
   */
  scratch?: { equity: Float64Array; times: Float64Array };
}

/** Union of every pair's bar times, warm-up bars included: the simulated clock's ticks. */
function timeline(data: BacktestData): Float64Array {
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
 */
export async function runBacktest(data: BacktestData, source: SignalSource, s: BacktestSettings, opts: RunOptions = {}): Promise<BacktestResult> {
  const n = data.pairs.length;
  const tfMs = TIMEFRAME_MS[data.timeframe];
  const ticks = timeline(data);
  const units = new Float64Array(n);
  const entryPrice = new Float64Array(n);
  const entryTime = new Float64Array(n);
  const entryFee = new Float64Array(n);
  const slPrice = new Float64Array(n);
  const tpPrice = new Float64Array(n);
  const lastClose = new Float64Array(n);
  const cursor = new Int32Array(n).fill(-1);
  // Pending order per pair, decided at a close and filled at the next open.
  const pendExit = new Uint8Array(n);
  const pendUnits = new Float64Array(n);
  const pendSl = new Float64Array(n);
  const pendTp = new Float64Array(n);
  const trades: Trade[] = [];
  const fills: Fill[] = [];
  const rejections: BacktestResult['rejections'] = [];
  const recordFills = opts.recordFills !== false;
  let cash = s.initialBalance;

  const book: BookView = {
    units,
    entryPrice,
    entryTime,
    lastClose,
    equity: () => {
      let e = cash;
      for (let p = 0; p < n; p++) if (units[p] !== 0) e += units[p] * lastClose[p];
      return e;
    },
    projectedUnits: (p) => (pendExit[p] ? 0 : units[p]) + pendUnits[p],
  };

  const slip = (p: number, i: number, qty: number): number => slippage(s.slippageRate, s.volumeImpact, qty, data.pairs[p].bars.volume[i]);

  const fill = (p: number, time: number, qty: number, price: number, reason: Fill['reason']): number => {
    const fee = Math.abs(qty) * price * s.feeRate;
    cash -= qty * price + fee;
    if (recordFills) fills.push({ pair: data.pairs[p].pair.symbol, time, units: qty, price, fee, reason });
    return fee;
  };

  const open = (p: number, i: number, time: number, qty: number, ref: number, slF: number, tpF: number) => {
    const dir = qty > 0 ? 1 : -1;
    const price = ref * (1 + dir * slip(p, i, qty));
    entryFee[p] = fill(p, time, qty, price, 'entry');
    units[p] = qty;
    entryPrice[p] = price;
    entryTime[p] = time;
    slPrice[p] = price * (1 - dir * slF);
    tpPrice[p] = price * (1 + dir * tpF);
  };

  const close = (p: number, i: number, time: number, ref: number, reason: ExitReason, slipped: boolean) => {
    const qty = units[p];
    const dir = qty > 0 ? 1 : -1;
    const price = slipped ? ref * (1 - dir * slip(p, i, qty)) : ref;
    const exitFee = fill(p, time, -qty, price, reason);
    const fees = entryFee[p] + exitFee;
    const pnl = qty * (price - entryPrice[p]) - fees;
    trades.push({
      pair: data.pairs[p].pair.symbol,
      side: dir > 0 ? 'long' : 'short',
      entryTime: entryTime[p],
      exitTime: time,
      entryPrice: entryPrice[p],
      exitPrice: price,
      units: Math.abs(qty),
      pnl,
      fees,
      returnFraction: pnl / (Math.abs(qty) * entryPrice[p]),
      exitReason: reason,
    });
    units[p] = 0;
  };

  const hit: ExitHit = { kind: EXIT_NONE, price: 0 };
  const checkStops = (p: number, i: number, time: number) => {
    const b = data.pairs[p].bars;
    intrabarExit(units[p] > 0, b.open[i], b.high[i], b.low[i], slPrice[p], tpPrice[p], hit);
    // Stops are market orders and slip; targets are limits and fill at their price (or better, at a gap).
    if (hit.kind === EXIT_STOP) close(p, i, time, hit.price, 'stop_loss', true);
    else if (hit.kind === EXIT_TARGET) close(p, i, time, hit.price, 'take_profit', false);
  };

  const executePending = (p: number, i: number, time: number, ref: number) => {
    if (pendExit[p] && units[p] !== 0) close(p, i, time, ref, 'signal', true);
    if (pendUnits[p] !== 0) open(p, i, time, pendUnits[p], ref, pendSl[p], pendTp[p]);
    pendExit[p] = 0;
    pendUnits[p] = 0;
  };

  const out: SignalOut = { action: 0, confidence: 0, stopLossFraction: NaN, takeProfitFraction: NaN, riskFraction: NaN, decision: null };
  const total = ticks.length;
  const reuse = opts.scratch && opts.scratch.equity.length >= total && opts.scratch.times.length >= total;
  const equity = reuse ? opts.scratch!.equity : new Float64Array(total);
  const times = reuse ? opts.scratch!.times : new Float64Array(total);
  let inMarket = 0;
  let recorded = 0;
  const every = opts.progressEvery ?? 1000;

  for (let k = 0; k < total; k++) {
    const t = ticks[k];
    // Phase 1: advance each pair that has a bar at t; fill queued orders, then intrabar exits.
    let held = false;
    for (let p = 0; p < n; p++) {
      const b = data.pairs[p].bars;
      const next = cursor[p] + 1;
      if (next >= b.length || b.timestamp[next] !== t) continue;
      cursor[p] = next;
      if (next < data.pairs[p].first) continue;
      if (s.fill === 'next_open' && (pendExit[p] || pendUnits[p] !== 0)) executePending(p, next, t, b.open[next]);
      if (units[p] !== 0) {
        held = true;
        checkStops(p, next, t);
      }
      lastClose[p] = b.close[next];
    }
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
      const r = source.onBar(p, i, out, book);
      if (r) await r;
      if (i < data.pairs[p].first) continue;
      trading = true;
      decide(p, i, closeTime);
    }
    if (!trading) continue;
    if (held) inMarket++;
    times[recorded] = closeTime;
    const e = book.equity();
    equity[recorded++] = e;
    if (opts.risk) opts.risk.observe(closeTime, e);
    if (opts.onProgress && k % every === 0) opts.onProgress(k, total);
  }

  function decide(p: number, i: number, time: number) {
    const b = data.pairs[p].bars;
    let want = out.action;
    if (want !== 0 && out.confidence / 100 < s.decisionThreshold) want = 0;
    if (want === -1 && !s.allowShort) want = units[p] > 0 ? -1 : 0;
    const cur = units[p] > 0 ? 1 : units[p] < 0 ? -1 : 0;
    if (want === 0 || want === cur) return;
    const price = b.close[i];
    const exitFirst = cur !== 0;
    let entry = 0;
    const slF = Number.isNaN(out.stopLossFraction) ? s.stopLoss : out.stopLossFraction;
    const tpF = Number.isNaN(out.takeProfitFraction) ? s.takeProfit : out.takeProfitFraction;
    if ((want === 1 || s.allowShort) && !(exitFirst && source.closeOnOpposite)) {
      // Size on equity after the exit, as if flat: the same rule as live sizing.
      const eq = book.equity();
      const sized = s.fixedFraction !== null ? (eq * s.fixedFraction) / (1 + s.feeRate + s.slippageRate) : positionSize(eq, price, slF, Number.isNaN(out.riskFraction) ? s.riskFraction : out.riskFraction).notional;
      const notional = s.maxNotionalFraction !== null ? Math.min(sized, eq * s.maxNotionalFraction) : sized;
      entry = (want * notional) / price;
      if (entry !== 0 && opts.risk) {
        const reason = opts.risk.check({ pairIndex: p, direction: want as 1 | -1, units: Math.abs(entry), price, time, decision: out.decision }, book, data);
        if (reason) {
          rejections.push({ pair: data.pairs[p].pair.symbol, time, reason });
          entry = 0;
        }
      }
    }
    if (s.fill === 'close') {
      if (exitFirst) close(p, i, time, price, 'signal', true);
      if (entry !== 0) open(p, i, time, entry, price, slF, tpF);
      return;
    }
    pendExit[p] = exitFirst ? 1 : 0;
    pendUnits[p] = entry;
    pendSl[p] = slF;
    pendTp[p] = tpF;
  }

  // The run ends flat: open positions are closed at the last close, with costs.
  const lastTime = recorded ? times[recorded - 1] : 0;
  for (let p = 0; p < n; p++) if (units[p] !== 0) close(p, Math.max(0, cursor[p]), lastTime, lastClose[p], 'end', true);
  if (recorded) equity[recorded - 1] = cash;
  const eq = reuse ? equity.subarray(0, recorded) : equity.slice(0, recorded);
  const tm = reuse ? times.subarray(0, recorded) : times.slice(0, recorded);
  const result: BacktestResult = {
    pairs: data.pairs.map((x) => x.pair.symbol),
    timeframe: data.timeframe,
    start: recorded ? tm[0] - tfMs : 0,
    end: lastTime,
    source: source.name,
    settings: s,
    metrics: computeMetrics({ equity: eq, times: tm, trades, data, settings: s, inMarketBars: inMarket }),
    times: tm,
    equity: eq,
    trades,
    fills,
    rejections,
    cash,
    notes: [],
  };
  return result;
}
