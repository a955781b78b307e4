import type { Decision } from '../../core/decision.js';
import type { TimeframePulse } from '../../core/market-analysis.js';
import { TIMEFRAME_MS } from '../../core/timeframe.js';
import { deny, pass, type RiskCheck } from '../types.js';
import { pct } from './format.js';

/**
 * Daily ATR as a fraction of price from the decision's pulse. Without a daily bar the coarsest
 * analysed timeframe is scaled by √(bars per day), the usual square-root-of-time rule, so the
 * limit keeps one unit whatever timeframes the data had.
 */
export function dailyAtrFraction(d: Decision): { value: number; source: string } | null {
  // One pass, no lists: runs on every gated entry. The first frame of the longest bars wins, as a stable sort would pick.
  let coarsest: TimeframePulse | null = null;
  for (const f of d.pulse.timeframes) {
    if (!f.indicators || !Number.isFinite(f.indicators.atrFraction)) continue;
    if (f.timeframe === '1d') return { value: f.indicators.atrFraction, source: '1d ATR' };
    if (!coarsest || TIMEFRAME_MS[f.timeframe] > TIMEFRAME_MS[coarsest.timeframe]) coarsest = f;
  }
  if (!coarsest) return null;
  const scale = Math.sqrt(TIMEFRAME_MS['1d'] / TIMEFRAME_MS[coarsest.timeframe]);
  return { value: coarsest.indicators!.atrFraction * scale, source: `${coarsest.timeframe} ATR × √${(scale * scale).toFixed(0)}` };
}

/** A highly volatile market needs a more confident decision. */
export const volatilityCheck: RiskCheck = {
  name: 'volatility',
  entryOnly: true,
  run({ decision, limits, quiet }) {
    if (!decision) return pass('no decision to weigh (manual order)');
    const atr = dailyAtrFraction(decision);
    if (!atr) return deny('VOLATILITY_UNKNOWN', `decision ${decision.id} carries no ATR on any timeframe; volatility cannot be assessed`);
    const confidence = decision.confidence / 100;
    const volatile = atr.value >= limits.high_volatility_atr;
    const text = () => `daily ATR ${pct(atr.value)} (${atr.source}) ${volatile ? '≥' : '<'} ${pct(limits.high_volatility_atr)}; confidence ${pct(confidence)}`;
    return volatile && confidence < limits.min_confidence_when_volatile
      ? deny('VOLATILITY_CONFIDENCE', `${text()} is below the ${pct(limits.min_confidence_when_volatile)} a volatile market needs`, confidence, limits.min_confidence_when_volatile)
      : pass(quiet ? '' : text(), atr.value, limits.high_volatility_atr);
  },
};
