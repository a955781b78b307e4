import type { Confluence, TimeframePulse, TrendDirection } from '../core/market-analysis.js';
import { TIMEFRAMES, type Timeframe } from '../core/timeframe.js';

/** Longer timeframes carry more weight: they move slower and filter noise. */
export const TIMEFRAME_WEIGHTS: Record<Timeframe, number> = { '1d': 40, '4h': 25, '1h': 15, '15m': 10, '5m': 5, '1m': 5 };

/** A direction needs this share (percent) of the analysed weight to count as confluent. */
export const CONFLUENCE_SHARE = 60;

/**
 * The timeframe lists a confluence names, one frozen array per subset of TIMEFRAMES (bit k:
 * TIMEFRAMES[k]), built on first use: a backtest asks for a confluence on every bar, and three
 * fresh arrays each time were most of its cost. Frozen, because every answer shares them.
 */
const SUBSETS: (readonly Timeframe[] | undefined)[] = new Array<readonly Timeframe[] | undefined>(1 << TIMEFRAMES.length);
const subset = (mask: number): Timeframe[] => (SUBSETS[mask] ??= Object.freeze(TIMEFRAMES.filter((_, k) => mask & (1 << k)))) as Timeframe[];
const EMPTY = subset(0);

// The previous call's inputs and answer: on a backtest's consecutive bars most frames are the same.
const lastTf: (Timeframe | null)[] = [];
const lastTrend: (TrendDirection | null)[] = [];
const lastStrength: number[] = [];
let last: Confluence | null = null;

/** Whether `frames` carry the timeframes, trends and strengths of the previous call (which then saved them). */
function sameAsLast(frames: readonly TimeframePulse[]): boolean {
  let same = last !== null && lastTf.length === frames.length;
  for (let k = 0; k < frames.length; k++) {
    const f = frames[k];
    const trend = f.status === 'ok' ? f.trend : null;
    const strength = f.strength ?? 0;
    if (same && lastTf[k] === f.timeframe && lastTrend[k] === trend && Object.is(lastStrength[k], strength)) continue;
    same = false;
    lastTf[k] = f.timeframe;
    lastTrend[k] = trend;
    lastStrength[k] = strength;
  }
  if (lastTf.length !== frames.length) lastTf.length = lastTrend.length = lastStrength.length = frames.length;
  return same;
}

/**
 * Weighted agreement of the analysed timeframes' trends. The answer is a value: equal inputs may
 * return the same (frozen-listed) object, so callers must not modify it.
 */
export function confluence(frames: readonly TimeframePulse[]): Confluence {
  if (sameAsLast(frames)) return last!;
  last = compute(frames);
  return last;
}

/** The analysed frames' timeframes with `trend` (RANGING: any trend but up or down), in the frames' order. */
const listed = (frames: readonly TimeframePulse[], trend: TrendDirection): Timeframe[] =>
  frames.filter((f) => f.status === 'ok' && f.trend && (trend === 'RANGING' ? f.trend !== 'UPTREND' && f.trend !== 'DOWNTREND' : f.trend === trend)).map((f) => f.timeframe);

/** Each timeframe's place in TIMEFRAMES (a lookup, not a search: asked for every frame of every bar). */
const INDEX = Object.fromEntries(TIMEFRAMES.map((tf, k) => [tf, k])) as Record<Timeframe, number>;
/** TIMEFRAME_WEIGHTS by place in TIMEFRAMES. */
const WEIGHT_AT = TIMEFRAMES.map((tf) => TIMEFRAME_WEIGHTS[tf]);

const NO_TREND = Object.freeze({ direction: 'MIXED', agreeing: EMPTY, opposing: EMPTY, ranging: EMPTY, upPercent: 0, downPercent: 0, strength: 0 }) as Confluence;

/**
 * The answer for `frames`: the previous object when every field comes out equal (the rules'
 * reasoning keys on its identity, and most recomputations on a backtest's next bar change a
 * strength the rounding absorbs), built only when something differs.
 */
function compute(frames: readonly TimeframePulse[]): Confluence {
  let total = 0;
  let up = 0;
  let down = 0;
  let signed = 0;
  // Lists as TIMEFRAMES bitmasks while the frames come in that order (the pulse's), else as arrays.
  let ups = 0;
  let downs = 0;
  let ranging = 0;
  let ordered = true;
  let prev = -1;
  for (let j = 0; j < frames.length; j++) {
    const f = frames[j];
    if (f.status !== 'ok' || !f.trend) continue;
    // The pulse's frames come in TIMEFRAMES order: a comparison of interned strings, not a keyed lookup.
    const k = TIMEFRAMES[j] === f.timeframe ? j : INDEX[f.timeframe];
    const w = WEIGHT_AT[k];
    if (k <= prev) ordered = false;
    prev = k;
    total += w;
    if (f.trend === 'UPTREND') {
      up += w;
      signed += (w * (f.strength ?? 0)) / 100;
      ups |= 1 << k;
    } else if (f.trend === 'DOWNTREND') {
      down += w;
      signed -= (w * (f.strength ?? 0)) / 100;
      downs |= 1 << k;
    } else {
      ranging |= 1 << k;
    }
  }
  if (!ordered) return computeListed(frames, total, up, down, signed);
  // No analysed frame: nothing ranging either.
  if (total === 0) return NO_TREND;
  const upPercent = (100 * up) / total;
  const downPercent = (100 * down) / total;
  const direction = upPercent >= CONFLUENCE_SHARE ? 'UPTREND' : downPercent >= CONFLUENCE_SHARE ? 'DOWNTREND' : 'MIXED';
  const agreeing = direction === 'UPTREND' ? subset(ups) : direction === 'DOWNTREND' ? subset(downs) : EMPTY;
  const opposing = direction === 'UPTREND' ? subset(downs) : direction === 'DOWNTREND' ? subset(ups) : EMPTY;
  const rangingList = subset(ranging);
  const upR = Math.round(upPercent * 10) / 10;
  const downR = Math.round(downPercent * 10) / 10;
  const strength = Math.round((100 * Math.abs(signed)) / total);
  const l = last;
  if (l !== null && l.direction === direction && l.strength === strength && l.upPercent === upR && l.downPercent === downR && l.agreeing === agreeing && l.opposing === opposing && l.ranging === rangingList) return l;
  return { direction, agreeing, opposing, ranging: rangingList, upPercent: upR, downPercent: downR, strength };
}

/** `compute` for frames out of the usual order: lists in the frames' order, a new object every time. */
function computeListed(frames: readonly TimeframePulse[], total: number, up: number, down: number, signed: number): Confluence {
  const rangingList = listed(frames, 'RANGING');
  if (total === 0) return { direction: 'MIXED', agreeing: EMPTY, opposing: EMPTY, ranging: rangingList, upPercent: 0, downPercent: 0, strength: 0 };
  const upPercent = (100 * up) / total;
  const downPercent = (100 * down) / total;
  const direction = upPercent >= CONFLUENCE_SHARE ? 'UPTREND' : downPercent >= CONFLUENCE_SHARE ? 'DOWNTREND' : 'MIXED';
  const upList = listed(frames, 'UPTREND');
  const downList = listed(frames, 'DOWNTREND');
  return {
    direction,
    agreeing: direction === 'UPTREND' ? upList : direction === 'DOWNTREND' ? downList : EMPTY,
    opposing: direction === 'UPTREND' ? downList : direction === 'DOWNTREND' ? upList : EMPTY,
    ranging: rangingList,
    upPercent: Math.round(upPercent * 10) / 10,
    downPercent: Math.round(downPercent * 10) / 10,
    strength: Math.round((100 * Math.abs(signed)) / total),
  };
}
