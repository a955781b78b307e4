/**
 * The one intrabar fill rule, shared by the paper venue and the backtest simulator (both
 * engines). Only a bar's open, high and low are known, not the path between them, so:
 * - a bar that opens through a stop or a target fills it at the open (a gap: the stop gapped
 *   through fills at the worse open, never at its own price; a target gapped through fills at
 *   the better open);
 * - otherwise a level the bar reached fills at that level, and a bar that reached both the stop
 *   and the target counts as stopped (the conservative assumption);
 * - a resting limit order fills when the bar trades through its price, at the open when the bar
 *   opens beyond it.
 * An unknown open (NaN: a bar from a feed without one) never gaps; a missing stop or target is NaN.
 */
export const EXIT_NONE = 0;
export const EXIT_STOP = 1;
export const EXIT_TARGET = 2;

/** Where an intrabar exit filled: written into a reused object so the backtest's hot loop allocates nothing. */
export interface ExitHit {
  kind: number;
  price: number;
}

export function intrabarExit(long: boolean, open: number, high: number, low: number, sl: number, tp: number, out: ExitHit): ExitHit {
  if (long ? open <= sl : open >= sl) return ((out.kind = EXIT_STOP), (out.price = open), out);
  if (long ? open >= tp : open <= tp) return ((out.kind = EXIT_TARGET), (out.price = open), out);
  if (long ? low <= sl : high >= sl) return ((out.kind = EXIT_STOP), (out.price = sl), out);
  if (long ? high >= tp : low <= tp) return ((out.kind = EXIT_TARGET), (out.price = tp), out);
  out.kind = EXIT_NONE;
  return out;
}

/** Price a resting limit order fills at in this bar, or null when the bar never reached it. */
export function limitFillPrice(side: 'buy' | 'sell', limit: number, open: number, high: number, low: number): number | null {
  if (side === 'buy' ? !(low <= limit) : !(high >= limit)) return null;
  // An open beyond the limit is the first price the order could take (better than the limit).
  if (side === 'buy' ? open < limit : open > limit) return open;
  return limit;
}

/** True when a bar reached both the stop and the target without opening through either: the one case where the order inside the bar decides. */
export function reachedBoth(long: boolean, open: number, high: number, low: number, sl: number, tp: number): boolean {
  if (long ? open <= sl || open >= tp : open >= sl || open <= tp) return false;
  return long ? low <= sl && high >= tp : high >= sl && low <= tp;
}

/** Finer bars (1m under 1h) by start time, ascending. */
export interface FinerBars {
  timestamp: ArrayLike<number>;
  open: ArrayLike<number>;
  high: ArrayLike<number>;
  low: ArrayLike<number>;
  length: number;
}

/**
 * Which of a stop and a target that one coarse bar [start, end) both reached came first, read from
 * the finer bars inside it: the first finer bar that reaches either decides, under the same rule
 * (a finer bar reaching both is again the stop). EXIT_NONE when the finer bars do not cover the
 * bar from its start or none reaches either (the sources disagree): the caller keeps the conservative answer.
 */
export function exitFromFinerBars(long: boolean, sl: number, tp: number, fine: FinerBars, start: number, end: number, out: ExitHit): ExitHit {
  let lo = 0;
  let hi = fine.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (fine.timestamp[mid] < start) lo = mid + 1;
    else hi = mid;
  }
  // Only finer bars that cover the bar from its start can tell.
  out.kind = EXIT_NONE;
  if (lo >= fine.length || fine.timestamp[lo] !== start) return out;
  for (let k = lo; k < fine.length && fine.timestamp[k] < end; k++) {
    intrabarExit(long, fine.open[k], fine.high[k], fine.low[k], sl, tp, out);
    if (out.kind !== EXIT_NONE) return out;
  }
  out.kind = EXIT_NONE;
  return out;
}
