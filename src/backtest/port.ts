import type { CandleColumns } from '../core/candle.js';
import type { Decision } from '../core/decision.js';
import type { PairInfo } from '../core/pair.js';
import type { Timeframe } from '../core/timeframe.js';

/**
 * What a signal source writes after each closed base bar. One object is reused for the whole
 * run so the hot loop allocates nothing; NaN in an optional field means "use the default".
 */
export interface SignalOut {
  /** 1 BUY, -1 SELL, 0 HOLD. */
  action: number;
  /** 0–100. */
  confidence: number;
  stopLossFraction: number;
  takeProfitFraction: number;
  /** Fraction of equity put at risk over the stop distance. */
  riskFraction: number;
  /** The live decision record behind the signal, when a provider made one (the risk gate reads it). */
  decision: Decision | null;
}

/** One pair's bars at the base timeframe; indexes before `first` are warm-up history only. */
export interface PairSeries {
  pair: PairInfo;
  bars: CandleColumns;
  first: number;
  /** 1m bars over the run when the base timeframe is coarser and they exist: they settle which of a stop and a target a bar reached first. */
  finer?: CandleColumns;
}

export interface BacktestData {
  timeframe: Timeframe;
  pairs: PairSeries[];
}

/** Read-only view of the simulated book that signal sources and risk rules may consult. */
export interface BookView {
  /** Signed units per pair index (long > 0, short < 0). */
  readonly units: Float64Array;
  readonly entryPrice: Float64Array;
  readonly entryTime: Float64Array;
  readonly lastClose: Float64Array;
  equity(): number;
  /** Units once the orders queued for the next open fill (the risk gate counts them as held). */
  projectedUnits(pairIndex: number): number;
}

/**
 * The Strategy port of the backtester: called once per closed base bar, in time order, with
 * the index of the bar that just closed. It may only read bars ≤ `i` (the engine's look-ahead
 * test enforces this for every registered source).
 */
export interface SignalSource {
  readonly name: string;
  /**
   * True: a signal against an open position only closes it, as live execution plans it (the next
   * decision may open the other way). False/absent: it closes and opens the other way (a flip).
   */
  readonly closeOnOpposite?: boolean;
  onBar(pairIndex: number, i: number, out: SignalOut, book: BookView): void | Promise<void>;
}

/** An entry the risk gate is asked about (exits are never blocked). */
export interface EntryIntent {
  pairIndex: number;
  direction: 1 | -1;
  units: number;
  price: number;
  time: number;
  decision: Decision | null;
}

/** Pre-trade risk check; returns the rejection reason or null when approved. */
export interface RiskGate {
  /** Called after every bar close with the marked equity (drawdown and daily-loss rules read it). */
  observe(time: number, equity: number): void;
  check(intent: EntryIntent, book: BookView, data: BacktestData): string | null;
}

export interface ParamSpec {
  name: string;
  default: number;
  min: number;
  max: number;
  integer: boolean;
  description: string;
}

export type Params = Record<string, number>;

/** A named reference strategy: its tunable parameters and a factory for one run's state. */
export interface StrategyDefinition {
  name: string;
  description: string;
  params: ParamSpec[];
  create(params: Params, data: BacktestData): SignalSource;
  /** Constraint between parameters (e.g. fast < slow); returns a reason when violated. */
  validate?(params: Params): string | null;
}
