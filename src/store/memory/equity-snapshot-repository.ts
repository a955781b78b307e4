import type { EquitySnapshot } from '../../risk/types.js';
import type { EquitySnapshotRepository } from '../port.js';
import type { LandmarkValues } from '../../risk/portfolio-context.js';
import { firstAtOrAfter as bound } from '../../core/sorted-search.js';

const NONE = { peak: -1, dayOpen: -1 };

/** Rows per block: a window's peak scans at most two partial blocks and reads whole ones from a table. */
const SHIFT = 7;
const BLOCK = 1 << SHIFT;

/** `a` in a new array of `size` elements (the first `a.length` copied). */
function grown(a: Float64Array, size: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(size);
  b.set(a);
  return b;
}

/**
 * One account's curve in time order, as columns: times and equities in Float64Arrays that grow by
 * a quarter when full (or take a size given up front, `reserve`), the text of an equity kept only where it
 * is not the number's own (`String(Number(text)) !== text`), currency and source as runs of rows
 * that share them. A run of a million bars keeps 16 bytes a snapshot outside the JS heap: as
 * number arrays (24 bytes a row with the source's index) the curve was ~30 MB of the 1 M-bar
 * run's live heap, which V8 lets grow to about four times what a major GC leaves, and every
 * regrowth of an array left its old copy to the next major GC.
 * Each complete block's highest row, and a sparse table over those, answer any window's peak in
 * two partial scans and two look-ups.
 */
class Curve {
  private at: Float64Array<ArrayBuffer> = new Float64Array(256);
  private equity: Float64Array<ArrayBuffer> = new Float64Array(256);
  private n = 0;
  /** `at` up to `n`, made when read and dropped when a row is added. */
  private view: Float64Array | null = null;
  private readonly texts = new Map<number, string>();
  /** Rows from `metaFrom[k]` on (to the next run's first) have currency and source `metas[metaOf[k]]`. */
  private readonly metaFrom: number[] = [];
  private readonly metaOf: number[] = [];
  private readonly metas: { currency: string; source: string }[] = [];
  /** best[k][b]: the row of the highest equity in blocks [b, b + 2^k), the earliest among equals. */
  private best: number[][] = [[]];

  constructor(readonly account: string) {}

  get length(): number {
    return this.n;
  }

  /** The times of the rows, ascending. */
  times(): Float64Array {
    return (this.view ??= this.at.subarray(0, this.n));
  }

  /** Room for `rows` more rows without growing on the way. */
  reserve(rows: number): void {
    const size = this.n + rows;
    if (size <= this.at.length) return;
    this.at = grown(this.at, size);
    this.equity = grown(this.equity, size);
    this.view = null;
  }

  private better(a: number, b: number): number {
    return this.equity[b] > this.equity[a] ? b : a;
  }

  append(s: EquitySnapshot): void {
    const value = Number(s.equity);
    this.appendValue(s.at, value, String(value) === s.equity ? null : s.equity, s.currency, s.source);
  }

  /** A snapshot whose equity text is `text`, or the number's own (`String(value)`) when null. */
  appendValue(at: number, value: number, text: string | null, currency: string, source: string): void {
    const n = this.n;
    if (n > 0 && at < this.at[n - 1]) return this.rebuild([...this.rows(0, n), { account: this.account, at, equity: text ?? String(value), currency, source }]);
    if (n === this.at.length) this.reserve(Math.max(256, n >> 2));
    this.at[n] = at;
    this.equity[n] = value;
    this.n = n + 1;
    this.view = null;
    if (text !== null) this.texts.set(n, text);
    const runs = this.metaOf.length;
    const last = runs ? this.metas[this.metaOf[runs - 1]] : undefined;
    if (last === undefined || last.currency !== currency || last.source !== source) {
      let m = this.metas.findIndex((x) => x.currency === currency && x.source === source);
      if (m < 0) m = this.metas.push({ currency, source }) - 1;
      this.metaFrom.push(n);
      this.metaOf.push(m);
    }
    // A block just completed: its highest row, then the table's spans that end with it.
    if ((n + 1) % BLOCK === 0) {
      const b = n >> SHIFT;
      this.best[0].push(this.scan(b << SHIFT, n));
      for (let k = 1; b - (1 << k) + 1 >= 0; k++) {
        const i = b - (1 << k) + 1;
        (this.best[k] ??= [])[i] = this.better(this.best[k - 1][i], this.best[k - 1][i + (1 << (k - 1))]);
      }
    }
  }

  /**
   * The rows of `source` as columns, gathered to the front of the curve's own arrays (no copy of
   * them); the curve is unusable after.
   */
  take(source: string): { at: Float64Array; equity: Float64Array } {
    let w = 0;
    for (let k = 0; k < this.metaFrom.length; k++) {
      if (this.metas[this.metaOf[k]].source !== source) continue;
      const from = this.metaFrom[k];
      const to = k + 1 < this.metaFrom.length ? this.metaFrom[k + 1] : this.n;
      this.at.copyWithin(w, from, to);
      this.equity.copyWithin(w, from, to);
      w += to - from;
    }
    return { at: this.at.subarray(0, w), equity: this.equity.subarray(0, w) };
  }

  /** Out-of-order snapshots (rare: clocks of two processes) re-sort the curve; equal times keep arrival order. */
  private rebuild(rows: EquitySnapshot[]): void {
    const sorted = rows.map((r, i) => ({ r, i })).sort((a, b) => a.r.at - b.r.at || a.i - b.i);
    this.n = 0;
    this.view = null;
    this.metaFrom.length = 0;
    this.metaOf.length = 0;
    this.texts.clear();
    this.best = [[]];
    for (const { r } of sorted) this.append(r);
  }

  timeAt(i: number): number {
    return this.at[i];
  }

  /** The number of row i's equity text. */
  equityAt(i: number): number {
    return this.equity[i];
  }

  row(i: number): EquitySnapshot {
    const m = this.metas[this.metaOf[bound(this.metaFrom, i, true) - 1]];
    return { account: this.account, at: this.at[i], equity: this.texts.get(i) ?? String(this.equity[i]), currency: m.currency, source: m.source };
  }

  rows(from: number, to: number): EquitySnapshot[] {
    const out: EquitySnapshot[] = [];
    for (let i = from; i < to; i++) out.push(this.row(i));
    return out;
  }

  /** The highest row in [l, r], scanning left to right: the earliest among equals. */
  private scan(l: number, r: number): number {
    let top = l;
    for (let i = l + 1; i <= r; i++) if (this.equity[i] > this.equity[top]) top = i;
    return top;
  }

  /** Index of the highest equity in [l, r] (inclusive), the earliest among equals. */
  peak(l: number, r: number): number {
    const bl = (l >> SHIFT) + 1;
    const br = (r + 1) >> SHIFT;
    // Whole blocks strictly inside [l, r] come from the table; the ends are scanned.
    if (bl >= br) return this.scan(l, r);
    let top = this.scan(l, (bl << SHIFT) - 1);
    const k = 31 - Math.clz32(br - bl);
    top = this.better(top, this.better(this.best[k][bl], this.best[k][br - (1 << k)]));
    return br << SHIFT <= r ? this.better(top, this.scan(br << SHIFT, r)) : top;
  }
}

/**
 * Equity snapshots in memory, for a run that owns its curve (a backtest writes one per bar and
 * the risk context asks for the window's peak at every order: over 43,200 one-minute snapshots a
 * SQL scan took 3.5–6 ms a call, this takes two short scans and two look-ups). Same answers as
 * the SQLite repository (test/contract/memory.store.contract.test.ts and the test beside this).
 */
export class MemoryEquitySnapshotRepository implements EquitySnapshotRepository {
  private readonly curves = new Map<string, Curve>();

  private curve(account: string): Curve {
    let c = this.curves.get(account);
    if (!c) this.curves.set(account, (c = new Curve(account)));
    return c;
  }

  async record(s: EquitySnapshot): Promise<void> {
    this.curve(s.account).append(s);
  }

  async recordMany(list: readonly EquitySnapshot[]): Promise<void> {
    for (const s of list) this.curve(s.account).append(s);
  }

  /** Room for `rows` more snapshots of `account` (a backtest knows its bar count): its curve does not grow on the way. */
  reserve(account: string, rows: number): void {
    this.curve(account).reserve(rows);
  }

  /**
   * One snapshot given as a number: the row `record` stores for the text `String(equity)` (a
   * number's shortest text reads back as the same number). A backtest records one a bar: no
   * snapshot object nor string a bar.
   */
  recordValue(account: string, at: number, equity: number, currency: string, source: string): void {
    this.curve(account).appendValue(at, equity, null, currency, source);
  }

  /**
   * The account's snapshots of `source` as numbers, in time order, and the account's curve
   * dropped: a backtest's result takes its bars' points from the curve it wrote them to (its
   * orders' snapshots left out) instead of keeping a second copy of a million points.
   */
  takeValues(account: string, source: string): { at: Float64Array; equity: Float64Array } {
    const c = this.curves.get(account);
    this.curves.delete(account);
    return c ? c.take(source) : { at: new Float64Array(0), equity: new Float64Array(0) };
  }

  async range(account: string, from: number, to: number): Promise<EquitySnapshot[]> {
    const c = this.curves.get(account);
    if (!c) return [];
    const at = c.times();
    return c.rows(bound(at, from), bound(at, to, true));
  }

  async landmarks(account: string, from: number, to: number, dayStart: number): Promise<{ peak: EquitySnapshot | null; dayOpen: EquitySnapshot | null }> {
    const c = this.curves.get(account);
    const r = this.rowsOf(c, from, to, dayStart);
    return { peak: r.peak < 0 ? null : c!.row(r.peak), dayOpen: r.dayOpen < 0 ? null : c!.row(r.dayOpen) };
  }

  /**
   * landmarks() without a promise and as numbers (the equity of a row is the number of its text):
   * the execution path's risk context reads them at every entry signal, and writing the two rows'
   * texts to read them back as numbers was a few percent of a backtest.
   */
  landmarksNow(account: string, from: number, to: number, dayStart: number): LandmarkValues {
    const c = this.curves.get(account);
    const r = this.rowsOf(c, from, to, dayStart);
    return {
      peakAt: r.peak < 0 ? NaN : c!.timeAt(r.peak),
      peak: r.peak < 0 ? NaN : c!.equityAt(r.peak),
      dayOpen: r.dayOpen < 0 ? NaN : c!.equityAt(r.dayOpen),
    };
  }

  /** The rows of the window's peak (the earliest of equals) and of the day's opening equity, -1 for none. */
  private rowsOf(c: Curve | undefined, from: number, to: number, dayStart: number): { peak: number; dayOpen: number } {
    if (!c) return NONE;
    const at = c.times();
    const lo = bound(at, from);
    const hi = bound(at, to, true) - 1;
    if (hi < lo) return NONE;
    const beforeDay = Math.min(bound(at, dayStart) - 1, hi);
    const open = beforeDay >= lo ? beforeDay : Math.max(lo, bound(at, dayStart));
    return { peak: c.peak(lo, hi), dayOpen: open <= hi ? open : -1 };
  }
}
