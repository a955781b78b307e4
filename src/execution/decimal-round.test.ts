import { describe, expect, it } from 'vitest';
import { rng } from '../backtest/synthetic.js';
import { D, text } from '../venues/decimal.js';
import { significantText, truncatedText } from './decimal-round.js';

const u = rng(17);
/** Prices, sizes and edge cases: every magnitude from 1e-12 to 1e22, ties at the rounding digit, runs of nines. */
function values(): number[] {
  const out = [0, 1, 5, 0.5, 9.5, 99.5, 0.15, 0.25, 1e-9, 1e-7, 123456789.5, 1234567890.5, 9999999999.5, 99999999995, 0.99999999995, 0.099999999995, 1e21, 1.5e22, 42_000.5, 41_160.49, NaN, -3.25];
  for (let i = 0; i < 20_000; i++) {
    const mag = 10 ** Math.floor(u() * 34 - 12);
    out.push(u() * mag);
    // Short decimals, where ties at the cut are common.
    out.push(Math.round(u() * 1e6) / 10 ** Math.floor(u() * 12));
    // Prices moved by a stop fraction, as a plan rounds them.
    out.push(40_000 * (1 + (u() - 0.5) * 0.1) * 0.98);
  }
  return out;
}

describe('order plan rounding without Decimal objects', () => {
  const xs = values();

  it('truncatedText is text(toDecimalPlaces(places, ROUND_DOWN)) for every value and every places 0..10', () => {
    let wrong = 0;
    for (const x of xs)
      for (const places of [0, 2, 8, 10]) {
        const want = text(new D(String(x)).toDecimalPlaces(places, D.ROUND_DOWN));
        if (truncatedText(x, places) !== want) wrong++;
      }
    expect(wrong).toBe(0);
    expect(truncatedText(0.123456789, 8)).toBe('0.12345678');
    expect(truncatedText(0.000000009, 8)).toBe('0');
  });

  it('significantText is text(toSignificantDigits(digits)), half-even, for every value', () => {
    let wrong = 0;
    for (const x of xs)
      for (const digits of [1, 3, 10, 15]) {
        const want = text(new D(String(x)).toSignificantDigits(digits));
        if (significantText(x, digits) !== want) wrong++;
      }
    expect(wrong).toBe(0);
    expect(significantText(9999999999.5, 10)).toBe('10000000000');
    expect(significantText(0.099999999995, 10)).toBe('0.1');
    expect(significantText(0.15, 1)).toBe('0.2');
    expect(significantText(0.25, 1)).toBe('0.2');
  });
});
