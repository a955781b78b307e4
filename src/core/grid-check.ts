import { getMarketStatus } from './market-schedule.js';
import type { AssetClass } from './pair.js';
import { TIMEFRAME_MS, type Timeframe } from './timeframe.js';

/**
 * The grid of a timeframe: bars open on multiples of its length since the epoch (UTC), the same
 * buckets resampling uses (`bucketStart`). A 1d bar opens at 00:00 UTC, a 4h bar at 00, 04, … UTC.
 */
export const onGrid = (t: number, tf: Timeframe): boolean => t % TIMEFRAME_MS[tf] === 0;

/** Index of the first bar whose open time is off the timeframe's grid, -1 when all are on it. */
export function firstOffGrid(times: ArrayLike<number>, tf: Timeframe): number {
  for (let i = 0; i < times.length; i++) if (!onGrid(times[i], tf)) return i;
  return -1;
}

/** A run of missing bars between two stored ones. */
export interface Gap {
  /** Open time of the bar before the gap (ms). */
  after: number;
  /** Open time of the bar after the gap (ms). */
  before: number;
  /** Bars the market should have printed in between (closed hours left out). */
  missing: number;
}

export interface GridReport {
  timeframe: Timeframe;
  bars: number;
  first: number | null;
  last: number | null;
  /** Bars off the grid (imports refuse the first one; stored data may predate the check). */
  offGrid: number;
  firstOffGrid: number | null;
  /** Runs of missing bars while the market was open. */
  gaps: number;
  missingBars: number;
  longest: Gap | null;
  /** The first `listed` gaps, oldest first. */
  list: Gap[];
  /** Bars absent because the market was shut (weekends, nights): expected, not gaps. */
  closedBars: number;
}

const QUARTER = 15 * 60_000;
const MAX_LISTED = 20;

/**
 * Whether a bar opening at `t` should exist. Crypto trades always. Daily bars of forex and stocks
 * are expected Monday to Friday (UTC date; a Sunday bar some forex feeds print is extra, not
 * required). An intraday bar is expected when the market is open at any moment of it: sessions
 * open and close on New York quarter hours, so its quarter hours are the moments to look at.
 * There is no holiday calendar: a missing holiday bar is reported as a gap, and says so.
 */
export function barExpected(assetClass: AssetClass, t: number, tf: Timeframe): boolean {
  if (assetClass === 'crypto') return true;
  if (tf === '1d') {
    const day = new Date(t).getUTCDay();
    return day >= 1 && day <= 5;
  }
  const end = t + TIMEFRAME_MS[tf];
  if (getMarketStatus(assetClass, t).isOpen) return true;
  for (let x = Math.ceil((t + 1) / QUARTER) * QUARTER; x < end; x += QUARTER) if (getMarketStatus(assetClass, x).isOpen) return true;
  return false;
}

/**
 * Grid and gap report of a series (open times oldest first, strictly increasing). A hole between
 * two bars counts the bars the market should have printed in it; a hole made only of closed hours
 * (a forex weekend, a stock night) is not a gap.
 */
export function gridReport(times: ArrayLike<number>, tf: Timeframe, assetClass: AssetClass): GridReport {
  const step = TIMEFRAME_MS[tf];
  const n = times.length;
  let offGrid = 0;
  let firstOff: number | null = null;
  const list: Gap[] = [];
  let gaps = 0;
  let missingBars = 0;
  let closedBars = 0;
  let longest: Gap | null = null;
  for (let i = 0; i < n; i++) {
    if (!onGrid(times[i], tf)) {
      offGrid++;
      firstOff ??= times[i];
    }
    if (i === 0) continue;
    const prev = times[i - 1];
    if (times[i] - prev <= step) continue;
    let missing = 0;
    let closed = 0;
    // Walk the grid slots strictly between the two bars (from the previous bar's own slot, so an off-grid bar does not skew it).
    for (let t = prev - (((prev % step) + step) % step) + step; t < times[i]; t += step) {
      if (barExpected(assetClass, t, tf)) missing++;
      else closed++;
    }
    closedBars += closed;
    if (missing === 0) continue;
    const gap: Gap = { after: prev, before: times[i], missing };
    gaps++;
    missingBars += missing;
    if (!longest || missing > longest.missing) longest = gap;
    if (list.length < MAX_LISTED) list.push(gap);
  }
  return { timeframe: tf, bars: n, first: n ? times[0] : null, last: n ? times[n - 1] : null, offGrid, firstOffGrid: firstOff, gaps, missingBars, longest, list, closedBars };
}

const iso = (t: number) => new Date(t).toISOString();

/** One line about a gap: `3 bars missing between 2024-01-01T00:02:00.000Z and 2024-01-01T00:06:00.000Z`. */
export const describeGap = (g: Gap): string => `${g.missing} bar${g.missing === 1 ? '' : 's'} missing between ${iso(g.after)} and ${iso(g.before)}`;

/** One line summing up a report's gaps: `no gaps` or `2 gaps, 5 bars missing; longest: …`. */
export function describeGaps(r: Pick<GridReport, 'gaps' | 'missingBars' | 'longest'>): string {
  if (r.gaps === 0) return 'no gaps';
  return `${r.gaps} gap${r.gaps === 1 ? '' : 's'}, ${r.missingBars} bar${r.missingBars === 1 ? '' : 's'} missing; longest: ${describeGap(r.longest!)}`;
}
