import { LastText, pct } from './format.js';
import { deny, pass, type RiskCheck } from '../types.js';

/** Fall of equity from its peak over the lookback: (peak − equity) / peak. */
export function drawdown(curve: readonly { equity: number }[], equity: number): { value: number; peak: number } {
  const peak = peakOf(curve, equity);
  return { value: fallFrom(peak, equity), peak };
}

/** Math.max of `equity` and the curve's equities, folded pairwise (the same NaN and ±0 answers) without a mapped list and a spread. */
function peakOf(curve: readonly { equity: number }[], equity: number): number {
  let peak = equity;
  for (let i = 0; i < curve.length; i++) peak = Math.max(peak, curve[i].equity);
  return peak;
}

const fallFrom = (peak: number, equity: number) => (peak > 0 ? Math.max(0, (peak - equity) / peak) : 0);

const text = (value: number, days: number, peak: number, currency: string) => `drawdown ${pct(value)} from the ${days}-day peak ${peak.toFixed(2)} ${currency}`;
const DENIED = new LastText<number, number, number, string, number>();
const deniedText = (value: number, days: number, peak: number, currency: string, max: number) => `${text(value, days, peak, currency)} exceeds the limit ${pct(max)}`;

export const drawdownCheck: RiskCheck = {
  name: 'drawdown',
  entryOnly: true,
  run({ ctx, limits, quiet }) {
    const peak = peakOf(ctx.equityCurve, ctx.equity);
    const value = fallFrom(peak, ctx.equity);
    const days = limits.drawdown_lookback_days;
    return value > limits.max_drawdown
      ? deny('MAX_DRAWDOWN', DENIED.get(value, days, peak, ctx.currency, limits.max_drawdown, deniedText), value, limits.max_drawdown)
      : pass(quiet ? '' : text(value, days, peak, ctx.currency), value, limits.max_drawdown);
  },
};
