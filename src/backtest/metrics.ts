import { periodsPerYear } from '../core/timeframe.js';
import type { BacktestData } from './port.js';
import type { BacktestSettings, Metrics, Trade } from './types.js';

export interface MetricsInput {
  equity: Float64Array;
  times: Float64Array;
  trades: TradeTally;
  data: BacktestData;
  settings: BacktestSettings;
  inMarketBars: number;
}

/**
 * Running totals of closed trades: all the metrics need, so runs that only want metrics (Monte
 * Carlo, optimisation) keep no trade objects.
 */
export class TradeTally {
  count = 0;
  wins = 0;
  grossWin = 0;
  grossLoss = 0;
  fees = 0;
  pnl = 0;

  add(pnl: number, fees: number): void {
    this.count++;
    if (pnl > 0) {
      this.wins++;
      this.grossWin += pnl;
    } else this.grossLoss -= pnl;
    this.fees += fees;
    this.pnl += pnl;
  }

  static of(trades: readonly Pick<Trade, 'pnl' | 'fees'>[]): TradeTally {
    const t = new TradeTally();
    for (const x of trades) t.add(x.pnl, x.fees);
    return t;
  }
}

/** Max drawdown (as a positive fraction) and the longest peak-to-recovery span in ms. */
export function drawdown(equity: ArrayLike<number>, times?: ArrayLike<number>): { maxDrawdown: number; durationMs: number; durationBars: number } {
  let peak = -Infinity;
  let peakAt = 0;
  let maxDd = 0;
  let longest = 0;
  let longestMs = 0;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i];
    if (e >= peak) {
      peak = e;
      peakAt = i;
      continue;
    }
    const dd = (peak - e) / peak;
    if (dd > maxDd) maxDd = dd;
    if (i - peakAt > longest) {
      longest = i - peakAt;
      longestMs = times ? times[i] - times[peakAt] : 0;
    }
  }
  return { maxDrawdown: maxDd, durationMs: longestMs, durationBars: longest };
}

/** Annualisation follows the base timeframe and the first pair's asset class. */
export function annualization(data: BacktestData): number {
  const cls = data.pairs[0]?.pair.assetClass ?? 'crypto';
  return periodsPerYear(data.timeframe, cls);
}

/**
 * Buy at the first open, sell at the last close, equal weights, paying what the strategy pays
 * per fill: the fee on notional and the fixed slippage, on the way in and out. Bought with cash C
 * at open·(1 + slippage) plus the fee: C / (open·(1 + s)·(1 + f)) units; sold at close·(1 − s)
 * less the fee. Volume impact is left out (one order each way, sized on the initial balance).
 */
export function buyAndHold(data: BacktestData, s: Pick<BacktestSettings, 'feeRate' | 'slippageRate'>): number {
  let sum = 0;
  const cost = ((1 - s.slippageRate) * (1 - s.feeRate)) / ((1 + s.slippageRate) * (1 + s.feeRate));
  for (const p of data.pairs) {
    const c = p.bars.close;
    const a = p.bars.open[p.first];
    sum += (c[c.length - 1] / a) * cost - 1;
  }
  return data.pairs.length ? sum / data.pairs.length : 0;
}

/**
 * Return statistics on per-bar equity returns. Sharpe and Sortino are arithmetic: (mean excess
 * return per bar × periods/year) over the annualised (downside) deviation, with the risk-free
 * rate spread evenly over the bars.
 */
export function returnStats(equity: ArrayLike<number>, ppy: number, riskFree: number, initial: number) {
  const n = equity.length;
  const rfBar = riskFree / ppy;
  let prev = initial;
  let sum = 0;
  let sumSq = 0;
  let downSq = 0;
  for (let i = 0; i < n; i++) {
    const r = equity[i] / prev - 1;
    prev = equity[i];
    sum += r;
    sumSq += r * r;
    const d = Math.min(0, r - rfBar);
    downSq += d * d;
  }
  const mean = n ? sum / n : 0;
  const variance = n > 1 ? (sumSq - n * mean * mean) / (n - 1) : 0;
  const vol = Math.sqrt(Math.max(0, variance)) * Math.sqrt(ppy);
  const downside = n ? Math.sqrt(downSq / n) * Math.sqrt(ppy) : 0;
  const excess = (mean - rfBar) * ppy;
  return { volatility: vol, sharpe: vol > 0 ? excess / vol : 0, sortino: downside > 0 ? excess / downside : 0 };
}

export function computeMetrics(m: MetricsInput): Metrics {
  const { equity, trades: t, settings } = m;
  const initial = settings.initialBalance;
  const n = equity.length;
  const final = n ? equity[n - 1] : initial;
  const ppy = annualization(m.data);
  const totalReturn = final / initial - 1;
  const years = n / ppy;
  const annualizedReturn = years > 0 && final > 0 ? Math.pow(final / initial, 1 / years) - 1 : totalReturn;
  const stats = returnStats(equity, ppy, settings.riskFreeRate, initial);
  const dd = drawdown(equity, m.times);
  return {
    initialBalance: initial,
    finalEquity: final,
    totalReturn,
    annualizedReturn,
    volatility: stats.volatility,
    sharpe: stats.sharpe,
    sortino: stats.sortino,
    calmar: dd.maxDrawdown > 0 ? annualizedReturn / dd.maxDrawdown : 0,
    maxDrawdown: dd.maxDrawdown,
    maxDrawdownDurationMs: dd.durationMs,
    winRate: t.count ? t.wins / t.count : 0,
    profitFactor: t.grossLoss > 0 ? t.grossWin / t.grossLoss : t.grossWin > 0 ? Infinity : 0,
    expectancy: t.count ? t.pnl / t.count : 0,
    exposure: n ? m.inMarketBars / n : 0,
    tradeCount: t.count,
    feesPaid: t.fees,
    buyAndHoldReturn: buyAndHold(m.data, settings),
    bars: n,
    periodsPerYear: ppy,
  };
}
