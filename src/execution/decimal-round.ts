import { D, text } from '../venues/decimal.js';

/**
 * The two roundings an order's plan applies to a number, on its shortest decimal text (what
 * `new D(String(x))` parses) with string steps instead of Decimal objects: every entry signal of
 * a backtest plans an order, and building three Decimals each was a fifth of the order path.
 * The answers are exactly the Decimal ones (decimal-round.test.ts compares them on random
 * values); text in exponent form or with a sign goes to Decimal itself.
 */
const PLAIN = /^(\d+)(?:\.(\d+))?$/;

/** Strips trailing zeros of a fraction and a bare point; "0" for zero: `text()` of the same value. */
function tidy(int: string, frac: string): string {
  const f = frac.replace(/0+$/, '');
  const i = int.replace(/^0+(?=\d)/, '');
  return f ? `${i}.${f}` : i === '' || /^0*$/.test(i) ? '0' : i;
}

/**
 * `text(new D(String(x)).toDecimalPlaces(places, ROUND_DOWN))`. A number's plain text has no
 * leading zeros but a lone "0", so its truncation is a prefix of it: one scan and one slice, no
 * pattern nor pieces (every entry signal of a backtest sizes an order, most of them refused).
 */
export function truncatedText(x: number, places: number): string {
  const s = String(x);
  const n = s.length;
  let point = -1;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) point = i;
    // A sign, an exponent, Infinity or NaN: Decimal says what they become.
    else if (c < 48 || c > 57) return text(new D(s).toDecimalPlaces(places, D.ROUND_DOWN));
  }
  if (point < 0) return s;
  let end = Math.min(n, point + 1 + places);
  while (end > point + 1 && s.charCodeAt(end - 1) === 48) end--;
  return s.slice(0, end === point + 1 ? point : end);
}

/** `text(new D(String(x)).toSignificantDigits(digits))`, half-even as the Decimal configuration rounds. */
export function significantText(x: number, digits: number): string {
  const s = String(x);
  const m = PLAIN.exec(s);
  if (!m) return text(new D(s).toSignificantDigits(digits));
  const int = m[1];
  const frac = m[2] ?? '';
  const all = int + frac;
  // The first significant digit, and where the point sits in `all`.
  const lead = all.search(/[1-9]/);
  if (lead < 0) return '0';
  const cut = lead + digits;
  if (cut >= all.length) return tidy(int, frac);
  const kept = all.slice(0, cut);
  const first = all.charCodeAt(cut) - 48;
  const restNonZero = /[1-9]/.test(all.slice(cut + 1));
  const odd = (kept.charCodeAt(kept.length - 1) - 48) % 2 === 1;
  const up = first > 5 || (first === 5 && (restNonZero || odd));
  // Digits past the cut become zeros in the integer part and vanish in the fraction.
  let rounded = up ? increment(kept) : kept;
  let point = int.length;
  if (rounded.length > kept.length) point++;
  const width = Math.max(point, rounded.length);
  rounded = rounded.padEnd(width, '0');
  return tidy(rounded.slice(0, point), rounded.slice(point));
}

/** A digit string plus one in its last place ("0999" → "1000", "99" → "100"). */
function increment(digits: string): string {
  const d = digits.split('');
  let i = d.length - 1;
  while (i >= 0 && d[i] === '9') d[i--] = '0';
  if (i < 0) return `1${d.join('')}`;
  d[i] = String(Number(d[i]) + 1);
  return d.join('');
}
