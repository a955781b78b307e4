import type { Decision } from '../../core/decision.js';
import type { TimeframePulse } from '../../core/market-analysis.js';
import { TIMEFRAME_MS } from '../../core/timeframe.js';
import { deny, pass, type RiskCheck } from '../types.js';
import { LastPct, LastText, pct } from './format.js';

/** Per timeframe, the source line of its scaled ATR (written once, not on every gated entry). */
const SCALED_SOURCE: Partial<Record<TimeframePulse['timeframe'], string>> = {};

/**
 * Daily ATR as a fraction of price from the decision's pulse. Without a daily bar the coarsest
 * analysed timeframe is scaled by √(bars per day), the usual square-root-of-time rule, so the
 * limit keeps one unit whatever timeframes the data had.
 */
export function dailyAtrFraction(d: Decision): { value: number; source: string } | null {
  const f = atrFrame(d);
  return f && { value: atrValue(f), source: atrSource(f) };
}

/** The frame `dailyAtrFraction` reads: the first daily one with an ATR, else the first of the longest bars with one. */
function atrFrame(d: Decision): TimeframePulse | null {
  // One pass, no lists: runs on every gated entry. The first frame of the longest bars wins, as a stable sort would pick.
  let coarsest: TimeframePulse | null = null;
  for (const f of d.pulse.timeframes) {
    if (!f.indicators || !Number.isFinite(f.indicators.atrFraction)) continue;
    if (f.timeframe === '1d') return f;
    if (!coarsest || TIMEFRAME_MS[f.timeframe] > TIMEFRAME_MS[coarsest.timeframe]) coarsest = f;
  }
  return coarsest;
}

/** The daily ATR fraction of `atrFrame`'s frame (scaled when the frame is not daily). */
function atrValue(f: TimeframePulse): number {
  const atr = f.indicators!.atrFraction;
  return f.timeframe === '1d' ? atr : atr * Math.sqrt(TIMEFRAME_MS['1d'] / TIMEFRAME_MS[f.timeframe]);
}

function atrSource(f: TimeframePulse): string {
  if (f.timeframe === '1d') return '1d ATR';
  const scale = Math.sqrt(TIMEFRAME_MS['1d'] / TIMEFRAME_MS[f.timeframe]);
  return (SCALED_SOURCE[f.timeframe] ??= `${f.timeframe} ATR × √${(scale * scale).toFixed(0)}`);
}

// The limits' and the confidence's percentages are kept while they stay: the ATR's changes at every bar.
const HIGH = new LastPct();
const CONFIDENCE = new LastPct();
const NEEDED = new LastPct();
const text = (atr: number, source: string, volatile: boolean, highAtr: number, confidence: number) =>
  `daily ATR ${pct(atr)} (${source}) ${volatile ? '≥' : '<'} ${HIGH.get(highAtr)}; confidence ${CONFIDENCE.get(confidence)}`;
const DENIED = new LastText<number, string, number, number, number>();
const deniedText = (atr: number, source: string, highAtr: number, confidence: number, needed: number) => `${text(atr, source, true, highAtr, confidence)} is below the ${NEEDED.get(needed)} a volatile market needs`;

/** A highly volatile market needs a more confident decision. */
export const volatilityCheck: RiskCheck = {
  name: 'volatility',
  entryOnly: true,
  run({ decision, limits, quiet }) {
    if (!decision) return pass('no decision to weigh (manual order)');
    // The frame, then its value; the source's text only for a text (no result object per entry).
    const frame = atrFrame(decision);
    if (!frame) return deny('VOLATILITY_UNKNOWN', `decision ${decision.id} carries no ATR on any timeframe; volatility cannot be assessed`);
    const atr = atrValue(frame);
    const confidence = decision.confidence / 100;
    const volatile = atr >= limits.high_volatility_atr;
    const needed = limits.min_confidence_when_volatile;
    return volatile && confidence < needed
      ? deny('VOLATILITY_CONFIDENCE', DENIED.get(atr, atrSource(frame), limits.high_volatility_atr, confidence, needed, deniedText), confidence, needed)
      : pass(quiet ? '' : text(atr, atrSource(frame), volatile, limits.high_volatility_atr, confidence), atr, limits.high_volatility_atr);
  },
};
