import { describe, expect, it } from 'vitest';
import { LastPct, LastText, pct } from './format.js';

describe('LastText', () => {
  it('writes again when any of its values changes, and only then', () => {
    const memo = new LastText<number, string, number, number, number>();
    let writes = 0;
    const write = (a: number, b: string, c: number, d: number, e: number) => `${++writes}:${pct(a)} ${b} ${c} ${d} ${e}`;
    expect(memo.get(0.1, 'x', 1, 2, 3, write)).toBe('1:10.00% x 1 2 3');
    expect(memo.get(0.1, 'x', 1, 2, 3, write)).toBe('1:10.00% x 1 2 3');
    const changed: [number, string, number, number, number][] = [
      [0.2, 'x', 1, 2, 3],
      [0.2, 'y', 1, 2, 3],
      [0.2, 'y', 4, 2, 3],
      [0.2, 'y', 4, 5, 3],
      [0.2, 'y', 4, 5, 6],
    ];
    for (const [k, v] of changed.entries()) expect(memo.get(...v, write)).toBe(`${k + 2}:${pct(v[0])} ${v.slice(1).join(' ')}`);
    // NaN is never taken for the last value: written every time.
    memo.get(NaN, 'y', 4, 5, 6, write);
    expect(memo.get(NaN, 'y', 4, 5, 6, write)).toBe('8:NaN% y 4 5 6');
  });
});

describe('LastPct', () => {
  it('gives pct of every fraction asked, kept while the fraction stays', () => {
    const memo = new LastPct();
    const first = memo.get(0.0523);
    expect(first).toBe('5.23%');
    expect(memo.get(0.0523)).toBe(first);
    for (const f of [0.8, 0.8, -0.01, NaN, NaN, Infinity, 0, -0, 0.0523]) expect(memo.get(f)).toBe(pct(f));
  });
});
