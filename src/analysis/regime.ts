import type { MarketRegime, RegimeInfo, TimeframePulse } from '../core/market-analysis.js';
import { TIMEFRAME_MS, type Timeframe } from '../core/timeframe.js';

/** Daily ATR/price above which a trendless market is called volatile; scaled by √time for other timeframes. */
export const VOLATILE_DAILY_ATR = 0.04;
const PREFERRED: Timeframe[] = ['1d', '4h', '1h'];

/** The only timeframes `classifyRegime` reads: frames of others never change its answer. */
export const REGIME_TIMEFRAMES: readonly Timeframe[] = PREFERRED;

/**
 * Regime from the longest analysed timeframe: ADX > 25 is a trend (direction from +DI vs −DI);
 * otherwise high ATR relative to price is VOLATILE and the rest RANGING.
 */
/**
 * A classified regime whose human-readable reason is formatted on first read (backtests classify
 * every bar and rarely print it); `toJSON` keeps the reason in stored decisions.
 */
class Regime implements RegimeInfo {
  constructor(
    readonly regime: MarketRegime,
    readonly timeframe: Timeframe,
    readonly adx: number,
    readonly atrFraction: number,
    di: { plusDI: number; minusDI: number },
    volatileAt: number,
  ) {
    this.#di = di;
    this.#volatileAt = volatileAt;
  }

  // True private fields: not own enumerable keys, so equality checks and spreads see only RegimeInfo.
  readonly #di: { plusDI: number; minusDI: number };
  readonly #volatileAt: number;

  get reason(): string {
    const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
    const head = `${this.timeframe} ADX ${this.adx.toFixed(1)}`;
    if (this.regime === 'TRENDING_UP' || this.regime === 'TRENDING_DOWN') {
      return `${head} > 25 with ${this.regime === 'TRENDING_UP' ? '+DI' : '−DI'} leading (+DI ${this.#di.plusDI.toFixed(1)}, −DI ${this.#di.minusDI.toFixed(1)})`;
    }
    const cmp = this.regime === 'VOLATILE' ? 'but' : 'and';
    return `${head} ≤ 25 ${cmp} ATR ${pct(this.atrFraction)} of price ${this.regime === 'VOLATILE' ? '>' : '≤'} ${pct(this.#volatileAt)}`;
  }

  toJSON(): RegimeInfo {
    return { regime: this.regime, timeframe: this.timeframe, adx: this.adx, atrFraction: this.atrFraction, reason: this.reason };
  }
}

const UNKNOWN: RegimeInfo = Object.freeze({ regime: 'UNKNOWN', timeframe: null, adx: null, atrFraction: null, reason: 'no 1d, 4h or 1h timeframe with enough data' });

// The previous answer and the frame it was read from: a backtest's coarse frames keep one frame object between their bars.
let lastFrame: TimeframePulse | null = null;
let lastRegime: RegimeInfo = UNKNOWN;

/** The first analysed frame of the longest PREFERRED timeframe (a loop: asked on every backtest bar). */
function preferred(frames: readonly TimeframePulse[]): TimeframePulse | undefined {
  for (const tf of PREFERRED) for (const x of frames) if (x.timeframe === tf && x.status === 'ok') return x;
  return undefined;
}

/** The regime as a value: the same frame object gives the same answer object, so callers must not modify it. */
export function classifyRegime(frames: readonly TimeframePulse[]): RegimeInfo {
  const f = preferred(frames);
  if (!f?.indicators) return UNKNOWN;
  if (f === lastFrame) return lastRegime;
  const { adx, atrFraction } = f.indicators;
  const volatileAt = VOLATILE_DAILY_ATR * Math.sqrt(TIMEFRAME_MS[f.timeframe] / TIMEFRAME_MS['1d']);
  const regime: MarketRegime = adx.adx > 25 ? (adx.plusDI >= adx.minusDI ? 'TRENDING_UP' : 'TRENDING_DOWN') : atrFraction > volatileAt ? 'VOLATILE' : 'RANGING';
  lastFrame = f;
  lastRegime = new Regime(regime, f.timeframe, adx.adx, atrFraction, adx, volatileAt);
  return lastRegime;
}
