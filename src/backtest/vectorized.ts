import { EXIT_NONE, EXIT_STOP, EXIT_TARGET, exitFromFinerBars, intrabarExit, reachedBoth, type ExitHit } from '../core/fill-rule.js';
import { stopFraction, unitDecimals } from '../core/policy.js';
import { TIMEFRAME_MS } from '../core/timeframe.js';
import { tradePnl } from '../core/trade.js';
import { sma } from '../indicators/index.js';
import { entryUnits, type RunOptions } from './engine.js';
import { fillable, rangeSigma, slippage } from './fill-model.js';
import { closeBefore, openFrom } from './market-time.js';
import { computeMetrics, TradeTally } from './metrics.js';
import type { BacktestData } from './port.js';
import { closedTrade, policyOf, type BacktestResult, type BacktestSettings, type ExitReason, type Fill, type Trade } from './types.js';

export interface VectorResult {
  finalEquity: number;
  trades: number;
  fees: number;
  /** Equity at each bar close (filled only when an output array is given). */
  equity: Float64Array | null;
}

/**
 * The vectorised path for `sma-cross`: long/flat, all in, filled at the signal bar's close, a fee
 * on each fill, no stops. One fused pass over the close column: both moving sums use the
 * indicators' SMA arithmetic (running sum, exact re-sum every max(period, 1024) bars) so the
 * crossings are bit-identical to the event engine's streaming SMAs; no events, no objects.
 */
export function smaCrossVectorized(close: Float64Array, fast: number, slow: number, feeRate: number, initial = 10_000, equityOut: Float64Array | null = null): VectorResult {
  const n = close.length;
  const everyF = Math.max(fast, 1024);
  const everyS = Math.max(slow, 1024);
  let sumF = 0;
  let sumS = 0;
  let untilF = 0;
  let untilS = 0;
  let cash = initial;
  let units = 0;
  let fees = 0;
  let trades = 0;
  let prev = NaN;
  for (let i = 0; i < n; i++) {
    const c = close[i];
    let d = NaN;
    if (i >= fast - 1) {
      if (untilF === 0) {
        sumF = 0;
        for (let j = i - fast + 1; j <= i; j++) sumF += close[j];
        untilF = everyF - 1;
      } else {
        sumF += c - close[i - fast];
        untilF--;
      }
    }
    if (i >= slow - 1) {
      if (untilS === 0) {
        sumS = 0;
        for (let j = i - slow + 1; j <= i; j++) sumS += close[j];
        untilS = everyS - 1;
      } else {
        sumS += c - close[i - slow];
        untilS--;
      }
      d = sumF / fast - sumS / slow;
    }
    if (prev === prev && d === d) {
      if (prev <= 0 && d > 0 && units === 0) {
        // Spend all cash: notional × (1 + fee) = cash.
        const notional = cash / (1 + feeRate);
        const fee = notional * feeRate;
        units = notional / c;
        cash -= notional + fee;
        fees += fee;
      } else if (prev >= 0 && d < 0 && units !== 0) {
        const notional = units * c;
        const fee = notional * feeRate;
        cash += notional - fee;
        fees += fee;
        units = 0;
        trades++;
      }
    }
    prev = d;
    if (equityOut !== null) equityOut[i] = cash + units * c;
  }
  if (units !== 0) {
    const notional = units * close[n - 1];
    const fee = notional * feeRate;
    cash += notional - fee;
    fees += fee;
    trades++;
  }
  return { finalEquity: cash, trades, fees, equity: equityOut };
}

/**
 * The vectorised path of a whole `sma-cross` run, for runs that need no per-bar state beyond the
 * book: one pair, no risk gate (the gate reads the equity curve and return windows at every entry,
 * and may refuse). Both SMAs come from the batch indicators (identical to the streaming ones the
 * strategy uses), then one pass over the columns applies the event engine's rules in its order —
 * queued orders fill at the next open (or at the close with fill = close), stops and targets
 * inside the bar, sizing by the same `entryUnits`, slippage by the same fill model, the same
 * metrics — with no signal source, book view or per-bar call. The parity test runs both engines
 * over a matrix of settings and compares trades, fills and equity bit for bit.
 */
/** Thrown when an entry would meet the participation limit: carrying a rest is per-bar state this pass does not keep. */
export class NotVectorisable extends Error {}

export function smaCrossRun(data: BacktestData, fast: number, slow: number, s: BacktestSettings, opts: Pick<RunOptions, 'recordFills' | 'recordTrades'> = {}): BacktestResult {
  if (data.pairs.length !== 1) throw new Error('the vectorised path runs one pair');
  const { pair, bars: b, first } = data.pairs[0];
  const n = b.length;
  const tfMs = TIMEFRAME_MS[data.timeframe];
  const policy = policyOf(s);
  const assetClass = pair.assetClass;
  const symbol = pair.symbol;
  const nextOpen = s.fill === 'next_open';
  const recordFills = opts.recordFills !== false;
  const recordTrades = opts.recordTrades !== false;
  const f = sma(b.close, fast);
  const w = sma(b.close, slow);
  const total = Math.max(0, n - first);
  const equity = new Float64Array(total);
  const times = new Float64Array(total);
  const trades: Trade[] = [];
  const fills: Fill[] = [];
  const tally = new TradeTally();
  const hit: ExitHit = { kind: EXIT_NONE, price: 0 };
  let cash = s.initialBalance;
  let units = 0;
  let entryPrice = 0;
  let entryTime = 0;
  let entryFee = 0;
  let slPrice = 0;
  let tpPrice = 0;
  let pendExit = false;
  let pendUnits = 0;
  let pendSl = 0;
  let pendTp = 0;
  let pendSlF = 0;
  let bothInBar = 0;
  let resolved = 0;
  let pendTpF = 0;
  let lastClose = 0;
  let inMarket = 0;
  let recorded = 0;
  let prev = NaN;

  const fill = (time: number, qty: number, price: number, reason: Fill['reason']): number => {
    const fee = Math.abs(qty) * price * s.feeRate;
    cash -= qty * price + fee;
    if (recordFills) fills.push({ pair: symbol, time, units: qty, price, fee, reason });
    return fee;
  };
  const m = s.fillModel;
  const decimals = unitDecimals(assetClass);
  const entryAnchor = s.stopAnchor === 'entry';
  const finer = data.pairs[0].finer;
  const fineHit: ExitHit = { kind: EXIT_NONE, price: 0 };
  // The engine's slip(): σ over the bars completed before the fill (up to `done`, exclusive).
  const slip = (i: number, qty: number, done: number) => slippage(s.slippageRate, m, s.volumeImpact, qty, b.volume[i], m.impact === 'sqrt' ? rangeSigma(b.high, b.low, done - m.volatilityBars, done) : 0);
  const open = (i: number, time: number, qty: number, ref: number, slF: number, tpF: number, sl: number, tp: number, done: number) => {
    if (fillable(m, Math.abs(qty), b.volume[i], 0, decimals) < Math.abs(qty)) throw new NotVectorisable('an entry meets the participation limit');
    const dir = qty > 0 ? 1 : -1;
    const price = ref * (1 + dir * slip(i, qty, done));
    entryFee = fill(time, qty, price, 'entry');
    units = qty;
    entryPrice = price;
    entryTime = time;
    slPrice = entryAnchor ? price * (1 - dir * slF) : sl;
    tpPrice = entryAnchor ? price * (1 + dir * tpF) : tp;
  };
  const close = (i: number, time: number, ref: number, reason: ExitReason, slipped: boolean, done = i) => {
    const qty = units;
    const price = slipped ? ref * (1 - (qty > 0 ? 1 : -1) * slip(i, qty, done)) : ref;
    const fees = entryFee + fill(time, -qty, price, reason);
    units = 0;
    tally.add(tradePnl(qty > 0 ? 'long' : 'short', Math.abs(qty), entryPrice, price, fees), fees);
    if (recordTrades) trades.push(closedTrade(symbol, qty, { time: entryTime, price: entryPrice }, { time, price }, fees, reason));
  };

  for (let i = 0; i < n; i++) {
    const t = b.timestamp[i];
    const trading = i >= first;
    // Phase 1: queued orders at the open, when the market first trades in the bar; stops inside it.
    const busy = units !== 0 || pendExit || pendUnits !== 0;
    const at = nextOpen && busy ? openFrom(assetClass, t, t + tfMs) : t;
    let held = false;
    if (trading) {
      if (nextOpen && (pendExit || pendUnits !== 0)) {
        if (pendExit && units !== 0) close(i, at, b.open[i], 'signal', true);
        if (pendUnits !== 0) open(i, at, pendUnits, b.open[i], pendSlF, pendTpF, pendSl, pendTp, i);
        pendExit = false;
        pendUnits = 0;
      }
      if (units !== 0) {
        held = true;
        const long = units > 0;
        let h = intrabarExit(long, b.open[i], b.high[i], b.low[i], slPrice, tpPrice, hit);
        // As the engine: a bar that reached both is settled from its 1m bars where they exist.
        if (finer && h.kind === EXIT_STOP && reachedBoth(long, b.open[i], b.high[i], b.low[i], slPrice, tpPrice)) {
          bothInBar++;
          if (exitFromFinerBars(long, slPrice, tpPrice, finer, t, t + tfMs, fineHit).kind !== EXIT_NONE) {
            resolved++;
            h = fineHit;
          }
        }
        if (h.kind === EXIT_STOP) close(i, at, h.price, 'stop_loss', true);
        else if (h.kind === EXIT_TARGET) close(i, at, h.price, 'take_profit', false);
      }
      lastClose = b.close[i];
    }
    if (units !== 0) held = true;
    // Phase 2: the bar closed; the crossing (if any) becomes an order.
    const d = f[i] - w[i];
    const p0 = prev;
    prev = d;
    if (!trading) continue;
    const c = b.close[i];
    const closeTime = t + tfMs;
    if (p0 === p0 && d === d) {
      let want = p0 <= 0 && d > 0 ? 1 : p0 >= 0 && d < 0 ? -1 : 0;
      if (want !== 0 && 1 < s.decisionThreshold) want = 0;
      if (want === -1 && !s.allowShort) want = units > 0 ? -1 : 0;
      const cur = units > 0 ? 1 : units < 0 ? -1 : 0;
      if (want !== 0 && want !== cur) {
        const exitFirst = cur !== 0;
        const slF = stopFraction(c, null, policy);
        let entry = 0;
        if (want === 1 || s.allowShort) entry = want * entryUnits(s, policy, units !== 0 ? cash + units * c : cash, c, slF, NaN, assetClass);
        const sl = c * (1 - want * slF);
        const tp = c * (1 + want * policy.takeProfit);
        if (!nextOpen) {
          if (exitFirst) close(i, closeTime, c, 'signal', true, i + 1);
          if (entry !== 0) open(i, closeTime, entry, c, slF, policy.takeProfit, sl, tp, i + 1);
        } else {
          pendExit = exitFirst;
          pendUnits = entry;
          pendSl = sl;
          pendTp = tp;
          pendSlF = slF;
          pendTpF = policy.takeProfit;
        }
      }
    }
    if (held) inMarket++;
    times[recorded] = closeTime;
    equity[recorded++] = units !== 0 ? cash + units * c : cash;
  }

  const lastTime = recorded ? times[recorded - 1] : 0;
  if (units !== 0) {
    const i = n - 1;
    close(i, closeBefore(assetClass, b.timestamp[i] + tfMs, b.timestamp[i]), lastClose, 'end', true, i + 1);
  }
  if (recorded) equity[recorded - 1] = cash;
  const eq = equity.subarray(0, recorded);
  const tm = times.subarray(0, recorded);
  return {
    pairs: [symbol],
    timeframe: data.timeframe,
    start: recorded ? tm[0] - tfMs : 0,
    end: lastTime,
    source: `sma-cross(${fast},${slow})`,
    engine: 'vectorised',
    settings: s,
    metrics: computeMetrics({ equity: eq, times: tm, trades: tally, data, settings: s, inMarketBars: inMarket }),
    times: tm,
    equity: eq,
    trades,
    fills,
    rejections: [],
    cash,
    notes: bothInBar ? [`${bothInBar} bars reached both stop and target: ${resolved} resolved from 1m bars, ${bothInBar - resolved} counted as stopped`] : [],
  };
}
