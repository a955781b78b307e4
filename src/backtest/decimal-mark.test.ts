import { describe, expect, it } from 'vitest';
import { D, dec, type Dec } from '../venues/decimal.js';
import { markedSum, textExcess } from './decimal-mark.js';
import { fromDec, splitExact } from './exact-decimal.js';
import { shortestText } from '../core/shortest-text.js';

/** The venue's split of a decimal. */
const split = (d: Dec) => splitExact(fromDec(d));

/** What the venue computed with Decimal: cash + Σ units × dec(price), as a number. */
function viaDecimal(cash: Dec, units: Dec[], prices: number[]): number {
  let e = cash;
  units.forEach((u, i) => (e = e.plus(u.times(dec(prices[i])))));
  return e.isZero() ? 0 : e.toNumber();
}

/** A seeded generator: the cases are the same on every run. */
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

describe('decimal marks', () => {
  it('textExcess is the gap between a price and the decimal of its shortest text', () => {
    for (const p of [0.1, 40123.456789, 1.2250000000000001, 123456789.12345679, 3, 0.000123, 99999.99999999999]) {
      const exact = new D(String(p)).minus(new D(p.toPrecision(60)));
      expect(Math.abs(textExcess(p) - exact.toNumber())).toBeLessThanOrEqual(Math.abs(exact.toNumber()) * 1e-12 + 1e-300);
    }
    expect(textExcess(0)).toBe(0);
    // A positive exponent, or more places than two exact powers of ten make, is left to Decimal.
    expect(textExcess(1.5e21)).toBeNaN();
    expect(textExcess(1.2345e-45)).toBeNaN();
  });

  it('textExcess of prices written with a negative exponent (a random walk down to 1e-10)', () => {
    const r = rng(11);
    for (let i = 0; i < 5_000; i++) {
      const p = (0.5 + r()) * 10 ** -(7 + Math.floor(r() * 20));
      expect(shortestText(p)).toContain('e-');
      const exact = new D(shortestText(p)).minus(new D(p.toPrecision(80)));
      // Within 2^-102 of the price: the bound the marked sum's error analysis takes.
      expect(Math.abs(textExcess(p) - exact.toNumber())).toBeLessThanOrEqual(p * 2 ** -102);
    }
    for (const p of [1e-7, 2.6144382279290507e-10, 9.999999999999999e-23, 1e-23, 3.3e-30]) {
      const exact = new D(shortestText(p)).minus(new D(p.toPrecision(80)));
      expect(Math.abs(textExcess(p) - exact.toNumber())).toBeLessThanOrEqual(p * 2 ** -102);
    }
  });

  it('markedSum gives the Decimal answer, or NaN, on random accounts and prices', () => {
    const r = rng(7);
    let answered = 0;
    for (let k = 0; k < 20_000; k++) {
      // Cash with many digits (fills at 15-digit prices, fees), units to 8 decimals, prices of every size.
      const cash = new D(String(10_000 * r())).minus(new D(String(r())).times(String(30_000 * r())).times('1.001'));
      const n = 1 + Math.floor(r() * 2);
      const units: Dec[] = [];
      const prices: number[] = [];
      for (let i = 0; i < n; i++) {
        units.push(new D((r() * (r() < 0.5 ? 1 : 1000) * (r() < 0.2 ? -1 : 1)).toFixed(8)));
        const scale = [1e-3, 1, 100, 40_000, 1e7, 1e-9][Math.floor(r() * 6)];
        prices.push(scale * (0.5 + r()) * (1 + (r() - 0.5) * 0.004));
      }
      const got = markedSum(split(cash), units.map(split), prices, n);
      if (Number.isNaN(got)) continue;
      answered++;
      expect(got, `cash ${cash.toString()} units ${units.join(',')} prices ${prices.join(',')}`).toBe(viaDecimal(cash, units, prices));
    }
    // Ambiguous sums are rare: nearly every case is answered without Decimal.
    expect(answered).toBeGreaterThan(19_900);
  });

  it('markedSum of a tiny-priced holding (units near 1e13, prices near 1e-9) gives the Decimal answer', () => {
    const r = rng(13);
    let answered = 0;
    for (let k = 0; k < 10_000; k++) {
      const cash = new D(String(20_000 * r())).minus(new D(String(r())).times('1.001'));
      const units = [new D((r() * 3e13).toFixed(8))];
      const prices = [1e-9 * (0.2 + r())];
      const got = markedSum(split(cash), units.map(split), prices, 1);
      if (Number.isNaN(got)) continue;
      answered++;
      expect(got, `cash ${cash.toString()} units ${units.join(',')} prices ${prices.join(',')}`).toBe(viaDecimal(cash, units, prices));
    }
    expect(answered).toBeGreaterThan(9_900);
  });

  it('a sum whose terms cancel to nothing is left to Decimal', () => {
    const units = [new D('2')];
    expect(markedSum(split(new D('-0.2')), units.map(split), [0.1], 1)).toBeNaN();
  });
});
