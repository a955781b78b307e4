import { describe, expect, it } from 'vitest';
import { SortedWindow } from './sorted-window.js';

/** The bytes of a sorted array: equal bytes are equal numbers, −0 and +0 included. */
const bits = (a: ArrayLike<number>) => Array.from(new Uint8Array(Float64Array.from(a).buffer));

describe('SortedWindow', () => {
  it('slid over a series, holds what a fresh Float64Array sort of the window holds, bit for bit', () => {
    let x = 11;
    const rnd = () => (x = (x * 48_271) % 2_147_483_647) / 2_147_483_647;
    // Few distinct values, both zeros among them: ties and ±0 on every step.
    const pool = [-0.02, -0.01, -0, 0, 0.01, 0.02, 1e-9, -1e-9];
    const values = Array.from({ length: 2_000 }, () => pool[Math.floor(rnd() * pool.length)]);
    for (const size of [1, 7, 60]) {
      const w = new SortedWindow(size);
      for (let end = 1; end <= values.length; end++) {
        if (w.length === size) expect(w.remove(values[end - 1 - size])).toBe(true);
        w.add(values[end - 1]);
        const expected = Float64Array.from(values.slice(Math.max(0, end - size), end)).sort();
        expect(bits(w.copy())).toEqual(bits(expected));
      }
    }
  });

  it('removes only an entry with the same bits, and refuses to grow past its size', () => {
    const w = new SortedWindow(3);
    w.add(0);
    w.add(1);
    expect(w.remove(-0)).toBe(false);
    expect(w.remove(2)).toBe(false);
    expect(w.remove(0)).toBe(true);
    expect(Array.from(w.copy())).toEqual([1]);
    w.add(-0);
    w.add(0);
    expect(Object.is(w.copy()[0], -0)).toBe(true);
    expect(() => w.add(5)).toThrow(RangeError);
    w.clear();
    expect(w.length).toBe(0);
  });

  it('gives a copy that later changes leave as it was', () => {
    const w = new SortedWindow(2);
    w.add(3);
    w.add(1);
    const c = w.copy();
    w.remove(1);
    w.add(0);
    expect(Array.from(c)).toEqual([1, 3]);
  });
});
