import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { D, dec, text, type Dec } from '../venues/decimal.js';
import { absOf, cmp, div, Exact, exactOf, exactOfUnits, fromDec, isPos, isZero, minus, neg, plus, splitExact, textOf, times, toNumber } from './exact-decimal.js';

/** Decimals of the sizes a venue sees: digit strings of 1-45 digits at scales 0-30, either sign (long ones make Decimal round). */
const decimalText = fc.tuple(fc.boolean(), fc.stringMatching(/^[1-9][0-9]{0,44}$/), fc.integer({ min: 0, max: 30 })).map(([negative, digits, scale]) => {
  const t = scale === 0 ? digits : digits.length > scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : `0.${digits.padStart(scale, '0')}`;
  return negative ? `-${t}` : t;
});
/** Numbers as a venue reads them: prices and amounts of every size, and zero. */
const venueNumber = fc.oneof(fc.double({ min: 1e-6, max: 1e9, noNaN: true }), fc.double({ min: -1e9, max: -1e-6, noNaN: true }), fc.integer({ min: -1e7, max: 1e7 }), fc.constant(0));
const value = fc.oneof(
  decimalText.map((t) => new D(t)),
  venueNumber.map((n) => dec(n)),
);

const ex = (d: Dec): Exact => fromDec(d);
const same = (x: Exact, d: Dec): void => {
  expect(textOf(x)).toBe(text(d));
};

describe('exact decimals against Decimal', () => {
  it('plus, minus, times and div give the Decimal result, rounded where Decimal rounds', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        same(plus(ex(a), ex(b)), a.plus(b));
        same(minus(ex(a), ex(b)), a.minus(b));
        same(times(ex(a), ex(b)), a.times(b));
        if (!b.isZero()) same(div(ex(a), ex(b)), a.div(b));
        expect(cmp(ex(a), ex(b))).toBe(a.cmp(b));
      }),
      { numRuns: 10_000 },
    );
  });

  it('chains as the venue computes an average entry: (entry × units + price × got) / (units + got)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 1, max: 1e6, noNaN: true }), fc.integer({ min: 1, max: 1e9 })), { minLength: 1, maxLength: 40 }), (fills) => {
        let e = dec(fills[0][0]);
        let u = new D(fills[0][1]).div(1e8);
        let ee = ex(e);
        let uu = ex(u);
        for (const [price, g] of fills.slice(1)) {
          const got = new D(g).div(1e8);
          const after = u.plus(got);
          e = e.times(u).plus(dec(price).times(got)).div(after);
          u = after;
          const gotE = exactOfUnits(g / 1e8, 8);
          const afterE = plus(uu, gotE);
          ee = div(plus(times(ee, uu), times(exactOf(price), gotE)), afterE);
          uu = afterE;
          same(ee, e);
          same(uu, u);
        }
        expect(toNumber(ee)).toBe(e.toNumber());
      }),
      { numRuns: 3_000 },
    );
  });

  it('reads numbers as dec() does, units from their number alone', () => {
    fc.assert(
      fc.property(venueNumber, (n) => {
        same(exactOf(n), dec(n));
      }),
      { numRuns: 10_000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: -1e15 + 1, max: 1e15 - 1 }), fc.integer({ min: 0, max: 8 }), (g, places) => {
        const n = Math.floor(g / 10 ** (8 - places)) / 10 ** places;
        same(exactOfUnits(n, places), dec(n));
      }),
      { numRuns: 10_000 },
    );
    // Numbers whose text has an exponent: read from the mantissa and the exponent.
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: 1e-40, max: 1e-7, noNaN: true }), fc.double({ min: -1e-7, max: -1e-40, noNaN: true }), fc.double({ min: 1e21, max: 1e40, noNaN: true })), (n) => {
        same(exactOf(n), dec(n));
        expect(cmp(exactOf(n), fromDec(dec(n)))).toBe(0);
      }),
      { numRuns: 10_000 },
    );
    same(exactOf(1e-7), dec(1e-7));
    same(exactOf(1.5e21), dec(1.5e21));
    same(exactOfUnits(1e-7, 8), dec(1e-7));
  });

  it('toNumber is the Decimal number; splitExact is it and leaves less than 2^-100 of the value unaccounted', () => {
    fc.assert(
      fc.property(value, (d) => {
        const x = ex(d);
        expect(Object.is(toNumber(x), d.isZero() ? 0 : d.toNumber())).toBe(true);
        const s = splitExact(x);
        expect(Object.is(s.hi, toNumber(x))).toBe(true);
        // What hi + lo misses of the decimal, against the value's size.
        const miss = d
          .minus(new D(s.hi.toPrecision(60)))
          .minus(new D(s.lo.toPrecision(60)))
          .abs();
        expect(miss.lte(d.abs().times(new D(2).pow(-100)))).toBe(true);
      }),
      { numRuns: 10_000 },
    );
  });

  it('signs, zero and absolute values', () => {
    const x = exactOf(-12.5);
    expect(textOf(absOf(x))).toBe('12.5');
    expect(textOf(neg(x))).toBe('12.5');
    expect(isPos(x)).toBe(false);
    expect(isPos(neg(x))).toBe(true);
    expect(isZero(minus(x, x))).toBe(true);
    expect(textOf(minus(x, x))).toBe('0');
    expect(textOf(exactOf(0.000123))).toBe('0.000123');
    expect(() => exactOf(Number.NaN)).toThrow(RangeError);
  });
});
