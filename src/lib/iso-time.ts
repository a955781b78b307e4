/**
 * `new Date(ms).toISOString()` and `Date.parse` of its output without a Date: a backtest stamps
 * and ages a decision on every bar, and the Date round trip (about 2 µs each way) was the largest
 * item of the decision record. Output and results are identical to the built-ins; anything outside
 * the common form (fractional or negative ms, years outside 1970–9999, other string layouts)
 * goes to them.
 */

const DAY = 86_400_000;
const LAST = 253_402_300_800_000; // 10000-01-01T00:00:00.000Z

let cachedDay = NaN;
let cachedPrefix = '';
let lastMs = NaN;
let lastText = '';

const two = (x: number) => (x < 10 ? `0${x}` : `${x}`);

/** The same string as `new Date(ms).toISOString()` (which throws for an invalid time, as this does). */
export function isoTime(ms: number): string {
  if (ms === lastMs) return lastText;
  if (!(ms >= 0 && ms < LAST) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * DAY).toISOString().slice(0, 11);
  }
  let r = ms - day * DAY;
  const milli = r % 1000;
  r = (r - milli) / 1000;
  const sec = r % 60;
  r = (r - sec) / 60;
  const min = r % 60;
  const hour = (r - min) / 60;
  lastMs = ms;
  // One flat string: a decision keeps it, a concatenated rope would keep its pieces.
  lastText = `${cachedPrefix}${two(hour)}:${two(min)}:${two(sec)}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
  return lastText;
}

const digit = (s: string, i: number) => s.charCodeAt(i) - 48;
const num = (s: string, i: number, n: number): number => {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const d = digit(s, i + k);
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
};
const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `Date.parse(text)`, read directly when it has the form `isoTime` writes (YYYY-MM-DDTHH:MM:SS.mmmZ). */
export function parseIsoTime(text: string): number {
  // The text isoTime wrote last (a backtest stamps a decision, then its risk checks age it).
  if (text === lastText) return lastMs;
  if (text.length !== 24 || text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':' || text[19] !== '.' || text[23] !== 'Z') return Date.parse(text);
  const y = num(text, 0, 4);
  const mo = num(text, 5, 2);
  const d = num(text, 8, 2);
  const h = num(text, 11, 2);
  const mi = num(text, 14, 2);
  const s = num(text, 17, 2);
  const ms = num(text, 20, 3);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  // Out-of-range fields (month 13, day 31 in April, hour 24) are the built-in's to judge.
  if (!(y >= 1970 && mo >= 1 && mo <= 12 && d >= 1 && d <= MONTH_DAYS[mo - 1] + (leap && mo === 2 ? 1 : 0) && h <= 23 && mi <= 59 && s <= 59 && ms >= 0)) return Date.parse(text);
  // Days since 1970-01-01 by the proleptic Gregorian calendar.
  const yp = y - 1;
  const days = 365 * (y - 1970) + (Math.floor(yp / 4) - Math.floor(yp / 100) + Math.floor(yp / 400)) - 477 + DAYS_BEFORE[mo - 1] + (leap && mo > 2 ? 1 : 0) + d - 1;
  return days * DAY + ((h * 60 + mi) * 60 + s) * 1000 + ms;
}
