import type { Action } from '../../core/decision.js';
import type { RegimeInfo, Pulse } from '../../core/market-analysis.js';
import { TIMEFRAME_MS, type Timeframe } from '../../core/timeframe.js';
import { loadFrames } from '../../backtest/data.js';
import { buildFundamentalsSection } from '../../analysis/fundamentals.js';
import { PointInTimeFeed, type FrameSource } from '../../backtest/feed.js';
import type { FundamentalRecord } from '../../core/fundamentals.js';
import type { MarketData } from '../../data/port.js';
import { featuresOf } from './features.js';

/** The classes, in label order: label k is CLASSES[k]. */
export const CLASSES = ['SELL', 'HOLD', 'BUY'] as const satisfies readonly Action[];
export type ClassLabel = 0 | 1 | 2;

/** The class of a forward return: within ±cost it would not pay for the round trip, HOLD. */
export const labelOf = (ret: number, cost: number): ClassLabel => (ret > cost ? 2 : ret < -cost ? 0 : 1);

export interface DatasetSpec {
  timeframe: Timeframe;
  /** Forward horizon in bars of `timeframe`. */
  horizon: number;
  /** Round-trip cost as a fraction (fees and slippage, both fills): returns within ±cost are HOLD. */
  cost: number;
  /** ms: first decision time taken (inclusive). */
  from: number;
  /**
   * ms: no label may be known after this. A sample decided at t is taken only when its horizon's
   * last bar has closed by `until` (t + horizon bars ≤ until): the last horizon before the
   * boundary is purged, so nothing after it leaks into training.
   */
  until: number;
  /** Indicator history the live engine reads (data.history_bars). */
  historyBars: number;
}

export interface Sample {
  /** ms: decision time (close of the bar). */
  t: number;
  x: number[];
  y: ClassLabel;
  /** The forward return over the horizon (for directional hit rates). */
  ret: number;
  /** The context the features came from (kept only when asked: evaluation re-asks the rules). */
  ctx?: { pulse: Pulse; regime: RegimeInfo };
}

/**
 * Walk-forward samples of one pair: at each close of a `timeframe` bar in [from, until − horizon],
 * the pulse and regime exactly as the live engine computes them then (point-in-time feeds over
 * every timeframe), labelled by the return to the close `horizon` bars later. Bars before the
 * base timeframe has enough history give no sample. A stock's stored `fundamentals` enter each
 * sample's pulse as of its time (a report only from its publication).
 */
export function buildSamples(pair: string, frames: Partial<Record<Timeframe, FrameSource>>, names: readonly string[], spec: DatasetSpec, keepContext = false, fundamentals: readonly FundamentalRecord[] = []): Sample[] {
  const base = frames[spec.timeframe];
  if (!base || !('candles' in base)) return [];
  const bars = base.candles;
  const ms = TIMEFRAME_MS[spec.timeframe];
  const feed = new PointInTimeFeed(pair, frames, spec.historyBars);
  const out: Sample[] = [];
  for (let k = 0; k + spec.horizon < bars.length; k++) {
    const t = bars[k].timestamp + ms;
    if (t < spec.from) continue;
    const labelKnown = bars[k + spec.horizon].timestamp + ms;
    if (labelKnown > spec.until) break;
    const at = feed.at(t);
    const own = at.pulse.timeframes.find((f) => f.timeframe === spec.timeframe);
    if (own?.status !== 'ok') continue;
    // A stock's reports as the live engine's pulse shows them then: only those published by t.
    const section = fundamentals.length ? buildFundamentalsSection(pair, t, bars[k].close, fundamentals) : null;
    const pulse = section ? { ...at.pulse, fundamentals: section } : at.pulse;
    const regime = at.regime;
    const ret = bars[k + spec.horizon].close / bars[k].close - 1;
    out.push({ t, x: featuresOf({ pulse, regime }, spec.timeframe, names), y: labelOf(ret, spec.cost), ret, ...(keepContext ? { ctx: { pulse, regime } } : {}) });
  }
  return out;
}

/** How many samples of each class (SELL, HOLD, BUY). */
export function classCounts(ys: readonly number[]): [number, number, number] {
  const c: [number, number, number] = [0, 0, 0];
  for (const y of ys) c[y as ClassLabel]++;
  return c;
}

/**
 * The samples of one pair from the MarketData port: every timeframe loaded from `historyBars`
 * before `from` up to `until` (nothing later is read), then walked forward as `buildSamples` does.
 */
export async function loadSamples(md: MarketData, pair: string, names: readonly string[], spec: DatasetSpec, keepContext = false, fundamentals: readonly FundamentalRecord[] = []): Promise<Sample[]> {
  const frames = await loadFrames(md, pair, spec.from, spec.until, spec.historyBars);
  return buildSamples(pair, frames, names, spec, keepContext, fundamentals);
}
