import { toColumns, type Candle, type CandleColumns } from '../core/candle.js';
import { TIMEFRAMES, type Timeframe } from '../core/timeframe.js';
import type { FrameSource } from './feed.js';
import type { BacktestData } from './port.js';
import { gaussian, rng } from './synthetic.js';

export interface PriceBuffer {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
}
export type PriceBuffers = PriceBuffer[];

const priceBuffer = (n: number): PriceBuffer => ({ open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n) });

/**
 * Writes every open, high, low and close of `b` multiplied by its own 1 + N(0, σ) into `out`,
 * repaired so each bar stays consistent: high is the largest and low the smallest price.
 */
function noisy(b: CandleColumns, noise: number, g: () => number, out: PriceBuffer): void {
  const { open: o, high: h, low: l, close: c } = out;
  for (let i = 0; i < b.length; i++) {
    const oo = Math.max(b.open[i] * (1 + noise * g()), 1e-9);
    const hh = Math.max(b.high[i] * (1 + noise * g()), 1e-9);
    const ll = Math.max(b.low[i] * (1 + noise * g()), 1e-9);
    const cc = Math.max(b.close[i] * (1 + noise * g()), 1e-9);
    o[i] = oo;
    c[i] = cc;
    h[i] = Math.max(oo, hh, ll, cc);
    l[i] = Math.min(oo, hh, ll, cc);
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

/** One frame's reusable state: its bars as columns (read), a price buffer and candles (rewritten per perturbation). */
interface FrameBuffer {
  src: CandleColumns;
  prices: PriceBuffer;
  candles: Candle[];
}
/** Per pair and timeframe; one set per workspace, allocated on its first perturbation. */
export type FrameBuffers = Partial<Record<Timeframe, FrameBuffer>>[];

const frameBuffer = (candles: readonly Candle[]): FrameBuffer => ({ src: toColumns(candles), prices: priceBuffer(candles.length), candles: candles.map((c) => ({ ...c })) });

/** Whether a frame holds exactly the base series' bars (they are loaded by the same query). */
const sameBars = (c: readonly Candle[], b: CandleColumns) => c.length === b.length && (!c.length || (c[0].timestamp === b.timestamp[0] && c[c.length - 1].timestamp === b.timestamp[b.length - 1]));

/** A stream of its own per simulation, pair and timeframe, mixed so neighbouring seeds do not share draws. */
const frameSeed = (seed: number, pair: number, tf: number) => (Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(pair * TIMEFRAMES.length + tf + 1, 0x85ebca77)) >>> 0;

/**
 * A provider's frames under the perturbation that made `base` (the output of `perturb`).
 *
 * Every frame is perturbed on its own, not resampled from the perturbed base bars: the feed
 * reads timeframes finer than the base (1m–15m under a 1h run), which no resampling of the base
 * can produce, and coarse history from before the base series begins (300 daily bars reach ten
 * months back, 300 hourly bars twelve days), which resampling would drop, changing even an
 * unperturbed run. Each frame gets its own draws and the same repair as `perturb`, so its bars
 * stay consistent (low ≤ open, close ≤ high); the base timeframe's frame takes the perturbed
 * base bars themselves, so the rules read at the base timeframe exactly the prices the venue
 * fills at. A coarse bar is then not the exact aggregate of its finer noisy bars: each view of
 * the market carries noise of the same size, which is what the perturbation tests.
 */
export function perturbFrames(frames: readonly Frames[], base: BacktestData, noise: number, seed: number, reuse?: FrameBuffers): { frames: Frames[]; buffers: FrameBuffers } {
  const buffers: FrameBuffers = reuse ?? frames.map(() => ({}));
  const out = frames.map((f, k) => {
    const o: Frames = { ...f };
    TIMEFRAMES.forEach((tf, t) => {
      const src = f[tf];
      if (!src || !('candles' in src)) return;
      const buf = (buffers[k][tf] ??= frameBuffer(src.candles));
      const bars = base.pairs[k].bars;
      let prices: PriceBuffer = bars;
      if (tf !== base.timeframe || !sameBars(src.candles, bars)) {
        noisy(buf.src, noise, gaussian(rng(frameSeed(seed, k, t))), buf.prices);
        prices = buf.prices;
      }
      const c = buf.candles;
      for (let i = 0; i < c.length; i++) {
        c[i].open = prices.open[i];
        c[i].high = prices.high[i];
        c[i].low = prices.low[i];
        c[i].close = prices.close[i];
      }
      o[tf] = { candles: c };
    });
    return o;
  });
  return { frames: out, buffers };
}
