import { DEFAULT_POLICY, type TradePolicy } from '../core/policy.js';
import { closedTradeFigures, type ExitReason } from '../core/trade.js';
import type { Timeframe } from '../core/timeframe.js';
import { LEGACY_FILL_MODEL, type FillModel as VolumeFillModel } from './fill-model.js';
import type { CurrencyReport } from './currency.js';

export type FillModel = 'next_open' | 'close';
export type StopAnchor = 'signal_close' | 'entry';

/** Numbers the engine needs; the CLI builds them from the `backtest` config section and flags. */
export interface BacktestSettings {
  initialBalance: number;
  feeRate: number;
  slippageRate: number;
  /** Linear impact coefficient (fill model `linear`): extra slippage = coefficient × units / bar volume, capped at 5 %. */
  volumeImpact: number;
  /** Participation limit, impact shape and remainder (config `costs.fill_model`; fill-model.ts). */
  fillModel: VolumeFillModel;
  /** What the stop and target fractions are taken of: the signal bar's close (default) or the entry fill's price. */
  stopAnchor: StopAnchor;
  /** The trade policy (config `sizing`): a fixed stop `stopLoss` away, or the ATR rule with `stopLoss` as its fallback. */
  stopRule: TradePolicy['stopRule'];
  stopLoss: number;
  atrMultiplier: number;
  minStopFraction: number;
  maxStopFraction: number;
  takeProfit: number;
  fill: FillModel;
  allowShort: boolean;
  /** Fraction of equity risked over the stop distance (live sizing rule). */
  riskFraction: number;
  /** When set, every entry uses this fraction of equity instead of risk sizing (1 = all in). */
  fixedFraction: number | null;
  /** Cap on an entry's notional as a fraction of equity (the risk gate's concentration limit), null for none. */
  maxNotionalFraction: number | null;
  /** Confidence/100 below it turns BUY/SELL into HOLD, as in the live engine. */
  decisionThreshold: number;
  riskFreeRate: number;
  timeframe: Timeframe;
  /**
   * Currency balances are stated in (default USD). `initialBalance` is given in it; a run on a pair
   * quoted in another currency (ETH/BTC) converts it into the quote at the start through a price
   * path (backtest/currency.ts) and reports the result in both.
   */
  accountCurrency?: string;
}

export const DEFAULT_SETTINGS: BacktestSettings = {
  initialBalance: 10_000,
  feeRate: 0.001,
  slippageRate: 0.0001,
  volumeImpact: 0.01,
  fillModel: LEGACY_FILL_MODEL,
  stopAnchor: 'signal_close',
  // The trade policy's defaults have one home: core/policy.ts.
  stopRule: DEFAULT_POLICY.stopRule,
  stopLoss: DEFAULT_POLICY.stopLoss,
  atrMultiplier: DEFAULT_POLICY.atrMultiplier,
  minStopFraction: DEFAULT_POLICY.minStopFraction,
  maxStopFraction: DEFAULT_POLICY.maxStopFraction,
  takeProfit: DEFAULT_POLICY.takeProfit,
  riskFraction: DEFAULT_POLICY.riskFraction,
  fill: 'next_open',
  allowShort: true,
  fixedFraction: null,
  maxNotionalFraction: null,
  decisionThreshold: 0.6,
  riskFreeRate: 0.02,
  timeframe: '1h',
};

/** The one trade policy a run's settings describe: what the analysis engine and the fast engine's sizing apply. */
export function policyOf(s: BacktestSettings): TradePolicy {
  return {
    riskFraction: s.riskFraction,
    stopRule: s.stopRule,
    stopLoss: s.stopLoss,
    atrMultiplier: s.atrMultiplier,
    minStopFraction: s.minStopFraction,
    maxStopFraction: s.maxStopFraction,
    takeProfit: s.takeProfit,
    maxPositionFraction: s.maxNotionalFraction ?? 1,
  };
}

export type { ExitReason };

export interface Fill {
  pair: string;
  time: number;
  /** Signed: > 0 bought, < 0 sold. */
  units: number;
  price: number;
  fee: number;
  reason: 'entry' | ExitReason;
  /** An entry fill that took less than its order (the participation limit): the rest carried or cancelled. */
  partial?: true;
}

export interface Trade {
  pair: string;
  side: 'long' | 'short';
  entryTime: number;
  exitTime: number;
  entryPrice: number;
  exitPrice: number;
  units: number;
  /** Net of both fills' fees. */
  pnl: number;
  fees: number;
  /** pnl / entry notional. */
  returnFraction: number;
  exitReason: ExitReason;
}

/** The trade a position made, opened with `units` (signed) at `entry` and closed at `exit`; `fees` of both fills (figures from core's one builder). */
export function closedTrade(pair: string, units: number, entry: { time: number; price: number }, exit: { time: number; price: number }, fees: number, exitReason: ExitReason): Trade {
  const side = units > 0 ? 'long' : 'short';
  const { pnl, returnFraction } = closedTradeFigures({ side, units: Math.abs(units), entryPrice: entry.price, exitPrice: exit.price, openedAt: entry.time, closedAt: exit.time, fees });
  return {
    pair,
    side,
    entryTime: entry.time,
    exitTime: exit.time,
    entryPrice: entry.price,
    exitPrice: exit.price,
    units: Math.abs(units),
    pnl,
    fees,
    returnFraction,
    exitReason,
  };
}

export interface Metrics {
  initialBalance: number;
  finalEquity: number;
  totalReturn: number;
  annualizedReturn: number;
  volatility: number;
  sharpe: number;
  sortino: number;
  calmar: number;
  maxDrawdown: number;
  /** Longest peak-to-recovery span, in ms. */
  maxDrawdownDurationMs: number;
  winRate: number;
  profitFactor: number;
  expectancy: number;
  /** Share of bars with at least one open position. */
  exposure: number;
  tradeCount: number;
  feesPaid: number;
  buyAndHoldReturn: number;
  bars: number;
  periodsPerYear: number;
}

export interface BacktestResult {
  pairs: string[];
  timeframe: Timeframe;
  start: number;
  end: number;
  source: string;
  /** `fast`: the in-memory book; `execution`: through the live ExecutionService to the simulated venue; `vectorised`: one pass over the columns (sma-cross, one pair, no gate). */
  engine: 'fast' | 'execution' | 'vectorised';
  settings: BacktestSettings;
  metrics: Metrics;
  /** Bar close times and equity at each, after that bar's fills. */
  times: Float64Array;
  equity: Float64Array;
  trades: Trade[];
  /** Empty when the run was asked not to keep them (RunOptions.recordFills: false). */
  fills: Fill[];
  /** Entry fills that took less than their order (participation limit), counted even when `fills` is not kept; absent: count `fills`. */
  partialFills?: number;
  /** Entries the risk gate refused, with reasons. */
  rejections: { pair: string; time: number; reason: string }[];
  /** Final cash after all fills (positions are closed at the end). */
  cash: number;
  notes: string[];
  /** Gaps in the bars the run traded over, per pair (set when the run was prepared from the app's data). */
  dataGaps?: { pair: string; gaps: number; missingBars: number; longest: { after: string; before: string; missing: number } | null }[];
  /** Figures in the quote and the account currency when they differ; null when they are the same. */
  currency?: CurrencyReport | null;
}
