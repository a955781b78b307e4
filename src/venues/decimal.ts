import { Decimal } from 'decimal.js';

/**
 * Decimal arithmetic for money and quantities. 40 significant digits keep averaged entry prices
 * exact far beyond any venue's tick; half-even rounding avoids a systematic bias when they round.
 */
export const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 40 });
export type Dec = InstanceType<typeof D>;

/** Plain decimal text without exponent or trailing zeros ("0.3", "-12.5", "0"). */
export const text = (d: Dec): string => (d.isZero() ? '0' : d.toFixed());

/** Numbers from price feeds go through their shortest text form, so 0.1 becomes exactly 0.1. */
export const dec = (v: number | string | Dec): Dec => (typeof v === 'number' ? new D(String(v)) : new D(v));

export const isDecimalText = (s: unknown): s is string => typeof s === 'string' && /^-?\d+(\.\d+)?$/.test(s);
