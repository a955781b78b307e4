import { describe, expect, it } from 'vitest';
import { fromColumns, resample, type Candle } from '../core/candle.js';
import type { Timeframe } from '../core/timeframe.js';
import type { FrameSource } from './feed.js';
import { perturb, perturbFrames } from './perturb.js';
import { randomWalk, singlePair } from './synthetic.js';

const base = randomWalk(24 * 60, { seed: 3 });
const data = singlePair(base);
const hourly = fromColumns(base);
// A finer frame than the base, with its own history: what resampling the base could not give.
const minutes = fromColumns(randomWalk(600, { seed: 9, timeframe: '1m', start: Date.UTC(2020, 0, 20) }));
const frames: Partial<Record<Timeframe, FrameSource>>[] = [
  { '1m': { candles: minutes }, '5m': { unavailable: 'none' }, '1h': { candles: hourly }, '4h': { candles: resample(hourly, '1h', '4h') }, '1d': { candles: resample(hourly, '1h', '1d') } },
];
const candlesOf = (f: FrameSource | undefined): Candle[] => (f && 'candles' in f ? (f.candles as Candle[]) : []);

describe('perturbing a provider run’s frames', () => {
  it('moves every bar of every frame, keeps bars consistent, times and volumes, and leaves the source untouched', () => {
    const before = structuredClone(frames);
    const p = perturb(data, 0.01, 11);
    const out = perturbFrames(frames, p, 0.01, 11).frames[0];
    for (const tf of ['1m', '1h', '4h', '1d'] as const) {
      const src = candlesOf(frames[0][tf]);
      const got = candlesOf(out[tf]);
      expect(got).toHaveLength(src.length);
      got.forEach((c, i) => {
        expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
        expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close));
        expect(c.close).not.toBe(src[i].close);
        expect([c.timestamp, c.volume]).toEqual([src[i].timestamp, src[i].volume]);
      });
    }
    expect(out['5m']).toEqual({ unavailable: 'none' });
    expect(frames).toEqual(before);
  });

  it('the base timeframe reads exactly the perturbed bars the venue fills at', () => {
    const p = perturb(data, 0.01, 4);
    const h = candlesOf(perturbFrames(frames, p, 0.01, 4).frames[0]['1h']);
    const b = p.pairs[0].bars;
    expect(h.map((c) => [c.open, c.high, c.low, c.close])).toEqual(Array.from({ length: b.length }, (_, i) => [b.open[i], b.high[i], b.low[i], b.close[i]]));
  });

  it('reused buffers give the same frames for the same seed and new ones for another', () => {
    const first = perturbFrames(frames, perturb(data, 0.005, 1), 0.005, 1);
    const closes = (f: typeof first) => candlesOf(f.frames[0]['4h']).map((c) => c.close);
    const once = closes(first);
    const other = closes(perturbFrames(frames, perturb(data, 0.005, 2), 0.005, 2, first.buffers));
    expect(other).not.toEqual(once);
    expect(closes(perturbFrames(frames, perturb(data, 0.005, 1), 0.005, 1, first.buffers))).toEqual(once);
  });

  it('every frame follows the base path: a daily or minute bar moves by the factor of the base hour holding its last moment', () => {
    const p = perturb(data, 0.5, 21);
    const out = perturbFrames(frames, p, 0.5, 21).frames[0];
    const pb = p.pairs[0].bars;
    const factorAt = (t: number) => {
      let j = -1;
      while (j + 1 < base.length && base.timestamp[j + 1] <= t) j++;
      return pb.close[j] / base.close[j];
    };
    const day = candlesOf(out['1d']);
    candlesOf(frames[0]['1d']).forEach((c, i) => expect(day[i].close / c.close).toBeCloseTo(factorAt(c.timestamp + 86_400_000 - 1), 10));
    const mins = candlesOf(out['1m']);
    candlesOf(frames[0]['1m']).forEach((c, i) => expect(mins[i].high / c.high).toBeCloseTo(factorAt(c.timestamp + 59_999), 10));
  });
});
