import { shortestText } from '../core/shortest-text.js';

/**
 * The number of a decimal sum `cash + Σ units × price` (each price read as the decimal of its
 * shortest text, as `dec(price)` does) without building a Decimal: the simulated venue marks its
 * account at every bar a position is held, and three Decimal operations and a text a bar were a
 * tenth of a backtest through the execution path.
 *
 * Each decimal is carried as an unevaluated sum of two doubles (hi + lo, ~106 bits), each price
 * as the double plus the exact gap to its shortest decimal text, and the sum is formed with
 * error-free products and sums. The answer is the double nearest the sum, given only when every
 * value within the error bound rounds to it; near a rounding boundary (about one sum in 10^14)
 * and for a price whose text has an exponent, the caller computes it with Decimal. So the answer is always `Number(text(decimal sum))`.
 */

/** A decimal as hi + lo: hi its nearest double, lo the rest (to within 2^-100 of the decimal: exact-decimal.ts splitExact). */
export interface Split {
  hi: number;
  lo: number;
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const SPLITTER = 134_217_729; // 2^27 + 1 (Dekker)
// Results of twoProduct, in a typed array: no object a call (a module-level number is a heap number written anew).
const PROD = new Float64Array(2);

/** a × b exactly as PROD[0] + PROD[1] (Dekker; no overflow for the magnitudes of prices and units). */
function twoProduct(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  PROD[0] = p;
  PROD[1] = ah * bh - p + ah * bl + al * bh + al * bl;
}

/**
 * The decimal of `price`'s shortest text minus the double itself (a fraction of its last bit),
 * or NaN when the text is neither a plain decimal nor a mantissa of at most 17 digits with a
 * negative exponent whose places come to 44 at most ("2.6144382279290507e-10": 26 places). The
 * digits are read with char codes: no pattern, no substrings. The text is shortestText's: String
 * would leave one old-generation string a marked bar (core/shortest-text.ts).
 */
export function textExcess(price: number): number {
  const s = shortestText(price);
  const len = s.length;
  // The significant digits (after leading zeros), the digits after the point, and where an exponent starts.
  let sig = 0;
  let k = -1;
  let end = len;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c === 101) {
      end = i;
      break;
    }
    if (c === 46) k = 0;
    else if (c < 48 || c > 57) return NaN;
    else {
      if (k >= 0) k++;
      if (sig > 0 || c !== 48) sig++;
    }
  }
  if (k < 0) k = 0;
  if (end < len) {
    // "e-N": N more places. A positive exponent (a price of 1e21 or more) is left to Decimal.
    if (s.charCodeAt(end + 1) !== 45) return NaN;
    let n = 0;
    for (let i = end + 2; i < len; i++) n = n * 10 + (s.charCodeAt(i) - 48);
    k += n;
  }
  if (sig === 0) return 0;
  if (k >= 2 * POW10.length - 1 || sig > 17) return NaN;
  // D, the integer of the digits, as d1 × 10^8 + d2 when it may pass 2^53 (more than 15 digits).
  const cut = sig > 15 ? sig - 8 : sig;
  let d1 = 0;
  let d2 = 0;
  let seen = 0;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 || (seen === 0 && c === 48)) continue;
    if (seen++ < cut) d1 = d1 * 10 + (c - 48);
    else d2 = d2 * 10 + (c - 48);
  }
  // With a split D, d1 × 10^8 is exact (its odd part is below 2^53), d1 - h is exact (Sterbenz)
  // and (d1 - h) + d2 = D - h is a small representable number.
  if (k < POW10.length) {
    // price × 10^k exactly (10^k is a double for k ≤ 22), against D.
    twoProduct(price, POW10[k]);
    const gap = sig > 15 ? d1 * 1e8 - PROD[0] + d2 - PROD[1] : d1 - PROD[0] - PROD[1];
    return gap / POW10[k];
  }
  // k = k1 + k2, both ≤ 22: price × 10^k1 = a0 + a1 exactly, a0 × 10^k2 = PROD exactly, and
  // a1 × 10^k2 rounded once (|a1| is below half an ulp of a0: an error under 2^-106 of D). The
  // gap's three steps and the two divisions round too: the excess is within ~2^-103 of the
  // price (the plain case's ~2^-105), still well inside markedSum's 2^-100.
  const k1 = k - (POW10.length - 1);
  twoProduct(price, POW10[k1]);
  const a1 = PROD[1];
  twoProduct(PROD[0], POW10[POW10.length - 1]);
  const rest = a1 * POW10[POW10.length - 1];
  const gap = (sig > 15 ? d1 * 1e8 - PROD[0] + d2 : d1 - PROD[0]) - PROD[1] - rest;
  return gap / POW10[k1] / POW10[POW10.length - 1];
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
// Little-endian hosts (every platform Node runs on) keep the sign and exponent in the second word.
const HIGH = 1;
const LOW = 0;

/** Error bound of the double-double sum, relative to the sum of the magnitudes of its terms (2^-100: a wide margin over ~2^-104). */
const BOUND = 2 ** -100;

/**
 * Number(cash + Σ units[i] × price[i]) as Decimal (40 digits) would give it, where each
 * price is the decimal of its shortest text; NaN when it cannot be told this way (the caller
 * asks Decimal). `units` and `prices` are read up to `n`.
 */
export function markedSum(cash: Split, units: readonly Split[], prices: readonly number[], n: number): number {
  let hi = cash.hi;
  let lo = cash.lo;
  let mag = Math.abs(cash.hi);
  for (let i = 0; i < n; i++) {
    const u = units[i];
    const price = prices[i];
    const excess = textExcess(price);
    if (Number.isNaN(excess)) return NaN;
    twoProduct(u.hi, price);
    const prodHi = PROD[0];
    mag += Math.abs(prodHi);
    // The sum hi + prodHi exactly (two-sum), its error into lo with the product's small parts.
    const s = hi + prodHi;
    const bb = s - hi;
    const err = hi - (s - bb) + (prodHi - bb);
    lo += err + PROD[1] + u.hi * excess + u.lo * price;
    hi = s;
  }
  if (!Number.isFinite(hi) || !Number.isFinite(lo)) return NaN;
  // r: the double nearest hi + lo; d: what hi + lo exceeds it by (exact).
  const r = hi + lo;
  const bb = r - hi;
  const d = hi - (r - bb) + (lo - bb);
  if (r === 0) return NaN;
  F64[0] = r;
  const exp = (U32[HIGH] >>> 20) & 0x7ff;
  // Subnormal or huge: not an account's equity; let Decimal answer.
  if (exp < 60 || exp > 2000) return NaN;
  const ulp = 2 ** (exp - 1075);
  // At a power of two the doubles below are twice as dense: the nearer boundary is a quarter ulp away.
  const half = (U32[HIGH] & 0xfffff) === 0 && U32[LOW] === 0 ? ulp / 4 : ulp / 2;
  return Math.abs(d) + BOUND * mag < half ? r : NaN;
}
