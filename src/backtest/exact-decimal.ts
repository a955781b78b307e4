import { shortestText } from '../core/shortest-text.js';
import { D, type Dec } from '../venues/decimal.js';
import type { Split } from './decimal-mark.js';

/**
 * The simulated venue's decimals as scaled integers: a value is `m × 10^-s` (a BigInt and a
 * scale), and each operation gives exactly what the venue's Decimal configuration (40 significant
 * digits, half-even) gives: sums, differences, products and quotients are worked out exactly
 * in BigInt and rounded once to 40 significant digits, half-even, as Decimal rounds them
 * (correctly: the tests compare every operation with Decimal's on operands long enough to round).
 *
 * Why: a 1 M-bar backtest carries entries over the participation limit through ~550 k partial
 * fills, each a dozen Decimal operations plus the numbers the backtest reads back; on decimal.js
 * (digits in base-10^7 arrays, numbers read through their text) that was about half of the run.
 */
export class Exact {
  constructor(
    /** The digits, signed. */
    readonly m: bigint,
    /** Places after the point (≥ 0). */
    readonly s: number,
  ) {}
}

const PRECISION = 40;
const LIMIT = 10n ** BigInt(PRECISION);
const POW10N: bigint[] = [1n];
/** 10^k as a BigInt (kept: scales are few and small). */
function pow10(k: number): bigint {
  for (let i = POW10N.length; i <= k; i++) POW10N.push(POW10N[i - 1] * 10n);
  return POW10N[k];
}
/** 10^k as doubles, exact up to k = 22. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export const ZERO = new Exact(0n, 0);

const abs = (m: bigint): bigint => (m < 0n ? -m : m);

/** The value of a plain decimal text ("-12.5", "0.001", "7"); null for any other text. */
function parsePlain(t: string): Exact | null {
  if (t.includes('e') || t.includes('N') || t.includes('I')) return null;
  const k = t.indexOf('.');
  if (k < 0) return new Exact(BigInt(t), 0);
  return new Exact(BigInt(t.slice(0, k) + t.slice(k + 1)), t.length - k - 1);
}

/** The value of a finite Decimal. */
export function fromDec(d: Dec): Exact {
  if (!d.isFinite()) throw new RangeError(`not a finite decimal: ${d.toString()}`);
  return parsePlain(d.toFixed())!;
}

const PLAIN = /^-?\d+(\.\d+)?$/;

/** `dec(t)` of a text (an order's amounts): plain decimals directly, anything else through Decimal. */
export function exactOfText(t: string): Exact {
  return (PLAIN.test(t) ? parsePlain(t) : null) ?? fromDec(new D(t));
}

/**
 * The value of a number's text in exponent form ("2.6144382279290507e-10", "1e+21"), as
 * `fromDec(new D(t))` gives it: the mantissa's digits, its places plus the exponent's (Decimal
 * keeps every digit of a text; a shortest text has at most 17). Null for any other text (NaN,
 * Infinity). A random walk down to 1e-10 made the last quarter of a 1 M-bar run's prices such
 * texts, and decimal.js read each fill's price and each marked bar's.
 */
function parseExponent(t: string): Exact | null {
  const e = t.indexOf('e');
  if (e < 0) return null;
  const mant = parsePlain(t.slice(0, e));
  const exp = Number(t.slice(e + 1));
  if (mant === null || !Number.isInteger(exp)) return null;
  const s = mant.s - exp;
  return s >= 0 ? new Exact(mant.m, s) : new Exact(mant.m * pow10(-s), 0);
}

/** `dec(v)`: the decimal of a number's shortest text (shortestText, as dec() reads it). */
export function exactOf(v: number): Exact {
  const t = shortestText(v);
  return parsePlain(t) ?? parseExponent(t) ?? fromDec(new D(t));
}

/**
 * `dec(v)` for a number known to have at most `places` decimals (a venue's order units): read
 * from the number without its text. A decimal of at most 15 digits is the shortest text of the
 * double nearest it (15-digit decimals lie further apart than a double's rounding interval), and
 * `g / 10^places === v` says `v` is that double; otherwise through the text.
 */
export function exactOfUnits(v: number, places: number): Exact {
  if (places <= 22) {
    const g = Math.round(v * POW10[places]);
    if (Math.abs(g) < 1e15 && g / POW10[places] === v) return new Exact(BigInt(g), places);
  }
  return exactOf(v);
}

export const toDec = (x: Exact): Dec => new D(textOf(x));

/** `text(d)`: plain decimal text without exponent or trailing zeros, "0" for zero. */
export function textOf(x: Exact): string {
  const { m, s } = x;
  if (m === 0n) return '0';
  const neg = m < 0n;
  let t = abs(m).toString();
  if (s > 0) {
    if (t.length <= s) t = '0'.repeat(s - t.length + 1) + t;
    const point = t.length - s;
    let end = t.length;
    while (end > point && t.charCodeAt(end - 1) === 48) end--;
    t = end > point ? `${t.slice(0, point)}.${t.slice(point, end)}` : t.slice(0, point);
  }
  return neg ? `-${t}` : t;
}

/** `d.toNumber()`: the double nearest the value (from the digits when they and the scale are small, else from the text Decimal would write). */
export function toNumber(x: Exact): number {
  const { m, s } = x;
  // Both exact doubles: one IEEE division rounds the exact quotient correctly, as the text's parse does.
  if (s <= 22 && m <= SAFE && m >= -SAFE) return Number(m) / POW10[s];
  return Number(textOf(x));
}

/** `m` at scale `s` (≥ x.s). */
const at = (x: Exact, s: number): bigint => (x.s === s ? x.m : x.m * pow10(s - x.s));

/**
 * `m × 10^-s` rounded to 40 significant digits, half-even: what Decimal gives for an exact sum,
 * difference or product (it computes them exactly and rounds once; the tests compare).
 */
function rounded(m: bigint, s: number): Exact {
  if (m < LIMIT && m > -LIMIT) return new Exact(m, s);
  const negative = m < 0n;
  const a = negative ? -m : m;
  const drop = digits(a) - PRECISION;
  const unit = pow10(drop);
  let q = a / unit;
  const r = a - q * unit;
  const half = unit >> 1n;
  // unit is even (drop ≥ 1): half is exactly half a unit.
  if (r > half || (r === half && (q & 1n) === 1n)) q += 1n;
  let scale = s - drop;
  if (scale < 0) {
    q *= pow10(-scale);
    scale = 0;
  }
  return new Exact(negative ? -q : q, scale);
}

export function plus(a: Exact, b: Exact): Exact {
  const s = a.s > b.s ? a.s : b.s;
  return rounded(at(a, s) + at(b, s), s);
}

export function minus(a: Exact, b: Exact): Exact {
  const s = a.s > b.s ? a.s : b.s;
  return rounded(at(a, s) - at(b, s), s);
}

export function times(a: Exact, b: Exact): Exact {
  return rounded(a.m * b.m, a.s + b.s);
}

/** Digits of a positive BigInt. */
function digits(n: bigint): number {
  let d = Math.floor(Math.log10(Number(n))) + 1;
  // The double's logarithm can be one off next to a power of ten.
  if (n >= pow10(d)) d++;
  else if (n < pow10(d - 1)) d--;
  return d;
}

/** `a.div(b)`: the quotient rounded to 40 significant digits, half-even. */
export function div(a: Exact, b: Exact): Exact {
  if (b.m === 0n) return fromDec(toDec(a).div(toDec(b)));
  if (a.m === 0n) return ZERO;
  const neg = a.m < 0n !== b.m < 0n;
  const A = abs(a.m);
  const B = abs(b.m);
  // A × 10^k / B lies in (10^39, 10^41): 40 or 41 digits before rounding.
  const k = PRECISION - (digits(A) - digits(B));
  const num = k >= 0 ? A * pow10(k) : A;
  const den = k >= 0 ? B : B * pow10(-k);
  let q = num / den;
  const r = num - q * den;
  let s = k + a.s - b.s;
  let up: boolean;
  if (q >= LIMIT) {
    // 41 digits: the last one and what was below it decide.
    const last = q % 10n;
    q /= 10n;
    s--;
    up = last > 5n || (last === 5n && (r > 0n || (q & 1n) === 1n));
  } else {
    const twice = 2n * r;
    up = twice > den || (twice === den && (q & 1n) === 1n);
  }
  if (up) q += 1n;
  if (s < 0) {
    q *= pow10(-s);
    s = 0;
  }
  return new Exact(neg ? -q : q, s);
}

export const neg = (x: Exact): Exact => new Exact(-x.m, x.s);
export const absOf = (x: Exact): Exact => (x.m < 0n ? neg(x) : x);
export const isZero = (x: Exact): boolean => x.m === 0n;
/** Strictly positive (Decimal's isPos also says true of +0; the venue asks it only of non-zero values). */
export const isPos = (x: Exact): boolean => x.m > 0n;

/** Sign of a − b. */
export function cmp(a: Exact, b: Exact): number {
  const s = a.s > b.s ? a.s : b.s;
  const d = at(a, s) - at(b, s);
  return d > 0n ? 1 : d < 0n ? -1 : 0;
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/**
 * x as hi + lo for the marked sum (decimal-mark.ts): hi the nearest double, lo the exact
 * difference x − hi as a double, well within the 2^-100 of the value that sum allows.
 */
export function splitExact(x: Exact): Split {
  const hi = toNumber(x);
  if (!Number.isFinite(hi) || hi === 0) return { hi, lo: 0 };
  // hi = H × 2^E exactly (a normal double: the venue's amounts are neither tiny nor huge).
  F64[0] = hi;
  const exp = (U32[1] >>> 20) & 0x7ff;
  if (exp === 0 || x.s > 300)
    return {
      hi,
      lo: toDec(x)
        .minus(new D(hi.toPrecision(40)))
        .toNumber(),
    };
  const H = BigInt((U32[1] & 0xfffff) * 4_294_967_296 + U32[0] + 4_503_599_627_370_496) * (hi < 0 ? -1n : 1n);
  const e = exp - 1075;
  // x − hi = (m × 2^-e − H × 10^s) / (10^s × 2^-e), or (m − H × 2^e × 10^s) / 10^s.
  const diff = e < 0 ? x.m * (1n << BigInt(-e)) - H * pow10(x.s) : x.m - (H << BigInt(e)) * pow10(x.s);
  if (diff === 0n) return { hi, lo: 0 };
  const den = (x.s <= 22 ? POW10[x.s] : 10 ** x.s) * (e < 0 ? 2 ** -e : 1);
  return { hi, lo: Number(diff) / den };
}
