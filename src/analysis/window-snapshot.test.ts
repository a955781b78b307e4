import { describe, expect, it } from 'vitest';
import type { Candle } from '../core/candle.js';
import type { IndicatorSnapshot } from '../core/market-analysis.js';
import { IndicatorSet } from './indicator-set.js';
import { windowSnapshot } from './window-snapshot.js';

/** A seeded random walk with jumps and flat stretches (Bollinger's re-sums, RSI's flat case). */
function walk(n: number, seed: number): Candle[] {
  let s = seed;
  const rnd = () => (s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const out: Candle[] = [];
  let p = 40_000;
  for (let i = 0; i < n; i++) {
    const r = rnd();
    const open = p;
    const close = r < 0.05 ? open : r > 0.98 ? open * (1 + (rnd() - 0.5) * 0.3) : open * (1 + (rnd() - 0.5) * 0.02);
    const high = Math.max(open, close) * (1 + rnd() * 0.005);
    const low = Math.min(open, close) * (1 - rnd() * 0.005);
    out.push({ timestamp: i * 3_600_000, open, high, low, close, volume: 1 + rnd() });
    p = close;
  }
  return out;
}

function streamed(w: readonly Candle[]): IndicatorSnapshot {
  const set = new IndicatorSet();
  for (const c of w) set.update(c);
  return set.snapshot(w[w.length - 1].close);
}

/** Every number of a snapshot with its path, so -0, NaN and the last bit all count. */
function leaves(x: unknown, path = ''): [string, unknown][] {
  if (x !== null && typeof x === 'object') return Object.entries(x).flatMap(([k, v]) => leaves(v, `${path}.${k}`));
  return [[path, x]];
}

const same = (a: IndicatorSnapshot, b: IndicatorSnapshot) => {
  const la = leaves(a);
  const lb = leaves(b);
  expect(lb.map(([p]) => p)).toEqual(la.map(([p]) => p));
  for (let i = 0; i < la.length; i++) if (!Object.is(la[i][1], lb[i][1])) throw new Error(`${la[i][0]}: ${String(la[i][1])} streamed, ${String(lb[i][1])} batch`);
};

describe('windowSnapshot', () => {
  it('equals the streaming IndicatorSet snapshot bit for bit, key order included, on sliding windows of several lengths', () => {
    const bars = walk(1_500, 7);
    for (const n of [300, 120, 60]) {
      for (let end = n; end <= bars.length; end += 7) {
        const w = bars.slice(end - n, end);
        const a = streamed(w);
        const b = windowSnapshot(w);
        same(a, b);
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      }
    }
  });

  it('equals it on short windows, while indicators are still warming up (NaN where the stream has none)', () => {
    const bars = walk(80, 3);
    for (let n = 1; n <= bars.length; n++) same(streamed(bars.slice(0, n)), windowSnapshot(bars.slice(0, n)));
  });

  it('equals it on windows longer than the 1,024-bar exact re-sum of SMA and Bollinger', () => {
    const bars = walk(2_600, 11);
    same(streamed(bars), windowSnapshot(bars));
    same(streamed(bars.slice(500)), windowSnapshot(bars.slice(500)));
  });

  it('reuses buffers between windows of one length without carrying one window into the next', () => {
    const a = walk(300, 1);
    const b = walk(300, 2);
    const first = windowSnapshot(a);
    windowSnapshot(b);
    same(first, windowSnapshot(a));
    same(streamed(b), windowSnapshot(b));
  });

  it('rejects a non-finite price as the streaming set does', () => {
    const bars = walk(100, 5);
    for (const field of ['high', 'low', 'close'] as const) {
      const bad = bars.map((c, i) => (i === 50 ? { ...c, [field]: Number.NaN } : c));
      expect(() => streamed(bad)).toThrow(RangeError);
      expect(() => windowSnapshot(bad)).toThrow(RangeError);
    }
  });
});
