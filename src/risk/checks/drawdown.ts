import { pct } from './format.js';
import { deny, pass, type RiskCheck } from '../types.js';

/** Fall of equity from its peak over the lookback: (peak − equity) / peak. */
export function drawdown(curve: readonly { equity: number }[], equity: number): { value: number; peak: number } {
  const peak = Math.max(equity, ...curve.map((p) => p.equity));
  return { value: peak > 0 ? Math.max(0, (peak - equity) / peak) : 0, peak };
}

export const drawdownCheck: RiskCheck = {
  name: 'drawdown',
  entryOnly: true,
  run({ ctx, limits, quiet }) {
    const { value, peak } = drawdown(ctx.equityCurve, ctx.equity);
    const text = () => `drawdown ${pct(value)} from the ${limits.drawdown_lookback_days}-day peak ${peak.toFixed(2)} ${ctx.currency}`;
    return value > limits.max_drawdown ? deny('MAX_DRAWDOWN', `${text()} exceeds the limit ${pct(limits.max_drawdown)}`, value, limits.max_drawdown) : pass(quiet ? '' : text(), value, limits.max_drawdown);
  },
};
