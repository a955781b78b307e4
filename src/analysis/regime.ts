import type { RegimeInfo, TimeframePulse } from '../core/market-analysis.js';
import { TIMEFRAME_MS, type Timeframe } from '../core/timeframe.js';

/** Daily ATR/price above which a trendless market is called volatile; scaled by √time for other timeframes. */
export const VOLATILE_DAILY_ATR = 0.04;
const PREFERRED: Timeframe[] = ['1d', '4h', '1h'];

/**
 * Regime from the longest analysed timeframe: ADX > 25 is a trend (direction from +DI vs −DI);
 * otherwise high ATR relative to price is VOLATILE and the rest RANGING.
 */
export function classifyRegime(frames: readonly TimeframePulse[]): RegimeInfo {
  const f = PREFERRED.map((tf) => frames.find((x) => x.timeframe === tf && x.status === 'ok')).find(Boolean);
  if (!f?.indicators) return { regime: 'UNKNOWN', timeframe: null, adx: null, atrFraction: null, reason: 'no 1d, 4h or 1h timeframe with enough data' };
  const { adx, atrFraction } = f.indicators;
  const volatileAt = VOLATILE_DAILY_ATR * Math.sqrt(TIMEFRAME_MS[f.timeframe] / TIMEFRAME_MS['1d']);
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  if (adx.adx > 25) {
    const up = adx.plusDI >= adx.minusDI;
    return {
      regime: up ? 'TRENDING_UP' : 'TRENDING_DOWN',
      timeframe: f.timeframe,
      adx: adx.adx,
      atrFraction,
      reason: `${f.timeframe} ADX ${adx.adx.toFixed(1)} > 25 with ${up ? '+DI' : '−DI'} leading (+DI ${adx.plusDI.toFixed(1)}, −DI ${adx.minusDI.toFixed(1)})`,
    };
  }
  if (atrFraction > volatileAt) {
    return { regime: 'VOLATILE', timeframe: f.timeframe, adx: adx.adx, atrFraction, reason: `${f.timeframe} ADX ${adx.adx.toFixed(1)} ≤ 25 but ATR ${pct(atrFraction)} of price > ${pct(volatileAt)}` };
  }
  return { regime: 'RANGING', timeframe: f.timeframe, adx: adx.adx, atrFraction, reason: `${f.timeframe} ADX ${adx.adx.toFixed(1)} ≤ 25 and ATR ${pct(atrFraction)} of price ≤ ${pct(volatileAt)}` };
}
