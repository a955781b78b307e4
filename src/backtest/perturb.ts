import { fromColumns, toColumns, type Candle, type CandleColumns } from '../core/candle.js';
import { TIMEFRAME_MS, TIMEFRAMES, type Timeframe } from '../core/timeframe.js';
import type { FrameSource } from './feed.js';
import type { BacktestData } from './port.js';
import { lowerBound } from './search.js';
import { gaussian, rng } from './synthetic.js';

export interface PriceBuffer {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  /** ln of the factor each bar was multiplied by (the running sum of its return perturbations). */
  logFactor: Float64Array;
}
export type PriceBuffers = PriceBuffer[];

const priceBuffer = (n: number): PriceBuffer => ({ open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), logFactor: new Float64Array(n) });

/** ln(high/low) / (2√ln 2): Parkinson's estimate of a bar's own return volatility from its range. */
const PARKINSON = 1 / (2 * Math.sqrt(Math.LN2));

/** A bar's own volatility: its Parkinson range estimate, or |ln(close/open)| for a bar whose range is broken. */
function barVol(o: number, h: number, l: number, c: number): number {
  if (h > 0 && l > 0 && h >= l) {
    const v = Math.log(h / l) * PARKINSON;
    if (v > 0) return v;
  }
  return o > 0 && c > 0 ? Math.abs(Math.log(c / o)) : 0;
}

/**
 * Writes `b` perturbed in its returns into `out`: each bar draws one z ~ N(0, 1), its log
 * return gains ε = `noise` · σ_i · z − ½(noise · σ_i)² (σ_i the bar's own volatility, the
 * −½ term keeps every price a martingale in the noise), and the whole bar (open, high, low,
 * close) is multiplied by the running product of exp(ε). So the bar keeps its shape (it stays
 * consistent without repair), each close-to-close return moves by one independent draw of the
 * size of that bar's volatility, and no serial correlation is added. Perturbing each price on
 * its own instead widened every bar (high became the largest of four noisy prices), so stops
 * and targets filled more often in every simulation and the unperturbed run sat near the 15th
 * percentile of its own distribution.
 */
/** Bar i's log-return perturbation: noise · σ_i · z − ½(noise · σ_i)². */
function step(b: CandleColumns, i: number, noise: number, g: () => number): number {
  const s = noise * barVol(b.open[i], b.high[i], b.low[i], b.close[i]);
  return s * g() - 0.5 * s * s;
}

function noisy(b: CandleColumns, noise: number, g: () => number, out: PriceBuffer): void {
  const { open: o, high: h, low: l, close: c } = out;
  let logF = 0;
  for (let i = 0; i < b.length; i++) {
    logF += step(b, i, noise, g);
    out.logFactor[i] = logF;
    const f = Math.exp(logF);
    o[i] = b.open[i] * f;
    h[i] = b.high[i] * f;
    l[i] = b.low[i] * f;
    c[i] = b.close[i] * f;
  }
}

/**
 * A copy of the bars under multiplicative noise (see `noisy`). `reuse` (buffers of an earlier
 * call on the same data) saves the allocation: a Monte Carlo job runs its simulations one after
 * another, and on two cores the GC is what limits scaling.
 */
export function perturb(data: BacktestData, noise: number, seed: number, reuse?: PriceBuffers): BacktestData & { buffers: PriceBuffers } {
  const g = gaussian(rng(seed));
  const buffers: PriceBuffers = reuse ?? data.pairs.map((p) => priceBuffer(p.bars.length));
  return {
    timeframe: data.timeframe,
    buffers,
    pairs: data.pairs.map((p, k) => {
      const b = p.bars;
      const { open, high, low, close } = buffers[k];
      noisy(b, noise, g, buffers[k]);
      return { pair: p.pair, first: p.first, bars: { length: b.length, timestamp: b.timestamp, open, high, low, close, volume: b.volume } };
    }),
  };
}

type Frames = Partial<Record<Timeframe, FrameSource>>;

/** One frame's reusable state: its bars as columns (read) and candles (rewritten per perturbation). */
interface FrameBuffer {
  src: CandleColumns;
  candles: Candle[];
  logFactor: Float64Array;
}
/** Per pair and timeframe; one set per workspace, allocated on its first perturbation. */
export type FrameBuffers = Partial<Record<Timeframe, FrameBuffer>>[];

const frameBuffer = (f: { candles: readonly Candle[] } | { columns: CandleColumns }): FrameBuffer => {
  const src = 'columns' in f ? f.columns : toColumns(f.candles);
  return { src, candles: fromColumns(src), logFactor: new Float64Array(src.length) };
};

/** A stream of its own per simulation, pair and timeframe, mixed so neighbouring seeds do not share draws. */
const frameSeed = (seed: number, pair: number, tf: number) => (Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(pair * TIMEFRAMES.length + tf + 1, 0x85ebca77)) >>> 0;

/**
 * A provider's frames under the perturbation that made `base` (the output of `perturb`).
 *
 * Every frame follows the base path: a bar of any timeframe is multiplied, whole, by the base's
 * factor at the base bar holding its last moment (a 1m bar under a 1h run takes its hour's
 * factor, a daily bar that of its last hour), so every view of the market sees the same
 * alternative history and the rules read at each timeframe the prices the venue fills at. Bars
 * from before the base series begins (300 daily bars reach ten months back) continue the walk
 * backwards with draws of their own, sized by their own volatility like the base's. Bars keep
 * their shape, so they stay consistent (low ≤ open, close ≤ high).
 */
export function perturbFrames(frames: readonly Frames[], base: BacktestData & { buffers: PriceBuffers }, noise: number, seed: number, reuse?: FrameBuffers): { frames: Frames[]; buffers: FrameBuffers } {
  const buffers: FrameBuffers = reuse ?? frames.map(() => ({}));
  const out = frames.map((f, k) => {
    const o: Frames = { ...f };
    const baseTimes = base.pairs[k].bars.timestamp;
    const baseLog = base.buffers[k].logFactor;
    TIMEFRAMES.forEach((tf, t) => {
      const src = f[tf];
      if (!src || 'unavailable' in src) return;
      const buf = (buffers[k][tf] ??= frameBuffer(src));
      const b = buf.src;
      const c = buf.candles;
      const log = buf.logFactor;
      // The first bar the base covers; bars before it are history the base never saw.
      let first = b.length;
      for (let i = 0; i < b.length; i++) {
        const j = lowerBound(baseTimes, b.timestamp[i] + TIMEFRAME_MS[tf]) - 1;
        if (j >= 0 && first === b.length) first = i;
        log[i] = j >= 0 ? baseLog[j] : 0;
      }
      // Walked backwards from there (from 0 at the last bar when the base covers none of them).
      const g = gaussian(rng(frameSeed(seed, k, t)));
      for (let i = Math.min(first, b.length - 1) - 1; i >= 0; i--) log[i] = log[i + 1] - step(b, i + 1, noise, g);
      for (let i = 0; i < c.length; i++) {
        const m = Math.exp(log[i]);
        c[i].open = b.open[i] * m;
        c[i].high = b.high[i] * m;
        c[i].low = b.low[i] * m;
        c[i].close = b.close[i] * m;
      }
      o[tf] = { candles: c };
    });
    return o;
  });
  return { frames: out, buffers };
}
