import type { Confluence, TimeframePulse } from '../core/market-analysis.js';
import type { Timeframe } from '../core/timeframe.js';

/** Longer timeframes carry more weight: they move slower and filter noise. */
export const TIMEFRAME_WEIGHTS: Record<Timeframe, number> = { '1d': 40, '4h': 25, '1h': 15, '15m': 10, '5m': 5, '1m': 5 };

/** A direction needs this share (percent) of the analysed weight to count as confluent. */
export const CONFLUENCE_SHARE = 60;

export function confluence(frames: readonly TimeframePulse[]): Confluence {
  let total = 0;
  let up = 0;
  let down = 0;
  let signed = 0;
  const ups: Timeframe[] = [];
  const downs: Timeframe[] = [];
  const ranging: Timeframe[] = [];
  for (const f of frames) {
    if (f.status !== 'ok' || !f.trend) continue;
    const w = TIMEFRAME_WEIGHTS[f.timeframe];
    total += w;
    if (f.trend === 'UPTREND') {
      up += w;
      signed += (w * (f.strength ?? 0)) / 100;
      ups.push(f.timeframe);
    } else if (f.trend === 'DOWNTREND') {
      down += w;
      signed -= (w * (f.strength ?? 0)) / 100;
      downs.push(f.timeframe);
    } else ranging.push(f.timeframe);
  }
  if (total === 0) return { direction: 'MIXED', agreeing: [], opposing: [], ranging, upPercent: 0, downPercent: 0, strength: 0 };
  const upPercent = (100 * up) / total;
  const downPercent = (100 * down) / total;
  const direction = upPercent >= CONFLUENCE_SHARE ? 'UPTREND' : downPercent >= CONFLUENCE_SHARE ? 'DOWNTREND' : 'MIXED';
  return {
    direction,
    agreeing: direction === 'UPTREND' ? ups : direction === 'DOWNTREND' ? downs : [],
    opposing: direction === 'UPTREND' ? downs : direction === 'DOWNTREND' ? ups : [],
    ranging,
    upPercent: Math.round(upPercent * 10) / 10,
    downPercent: Math.round(downPercent * 10) / 10,
    strength: Math.round((100 * Math.abs(signed)) / total),
  };
}
