import { emptyColumns, type CandleColumns } from '../core/candle.js';
import { classifyPair } from '../core/pair.js';
import { TIMEFRAME_MS, type Timeframe } from '../core/timeframe.js';
import type { BacktestData } from './port.js';

/**
 * Small fast seeded PRNG (mulberry32): reproducible simulations and test data. State lives in a
 * typed array: a closure variable holding a value above 2^31 is boxed by V8, so every draw would
 * allocate, and in Monte Carlo runs the garbage collector then decides how well threads scale.
 */
export function rng(seed: number): () => number {
  const state = new Uint32Array([seed >>> 0]);
  return () => {
    const a = (state[0] = (state[0] + 0x6d2b79f5) >>> 0);
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws (Box–Muller) from a uniform source; the spare draw is kept unboxed too. */
export function gaussian(u: () => number): () => number {
  const spare = new Float64Array([NaN]);
  return () => {
    if (!Number.isNaN(spare[0])) {
      const s = spare[0];
      spare[0] = NaN;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(u() || 1e-300));
    const th = 2 * Math.PI * u();
    spare[0] = r * Math.sin(th);
    return r * Math.cos(th);
  };
}

/**
 * A seeded random-walk price series with consistent bars (low ≤ open, close ≤ high). Used by
 * tests and the benchmark, which need sizes and shapes the bundled sample does not have; every
 * user-facing run reads real data through the MarketData port.
 */
export function randomWalk(n: number, opts: { seed?: number; start?: number; timeframe?: Timeframe; vol?: number; price?: number } = {}): CandleColumns {
  const g = gaussian(rng(opts.seed ?? 1));
  const u = rng((opts.seed ?? 1) + 7);
  const ms = TIMEFRAME_MS[opts.timeframe ?? '1h'];
  const t0 = opts.start ?? Date.UTC(2020, 0, 1);
  const vol = opts.vol ?? 0.01;
  const c = emptyColumns(n);
  let price = opts.price ?? 100;
  for (let i = 0; i < n; i++) {
    const o = price;
    const cl = o * Math.exp(vol * g());
    c.timestamp[i] = t0 + i * ms;
    c.open[i] = o;
    c.close[i] = cl;
    c.high[i] = Math.max(o, cl) * (1 + vol * 0.5 * u());
    c.low[i] = Math.min(o, cl) * (1 - vol * 0.5 * u());
    c.volume[i] = 1000 + 1000 * u();
    price = cl;
  }
  return c;
}

export function singlePair(bars: CandleColumns, symbol = 'BTCUSD', timeframe: Timeframe = '1h', first = 0): BacktestData {
  return { timeframe, pairs: [{ pair: classifyPair(symbol), bars, first }] };
}
