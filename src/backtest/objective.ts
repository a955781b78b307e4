import { inputError } from '../core/errors.js';
import type { Metrics } from './types.js';

/** What optimisation maximises. Every objective reads the one Metrics shape, so keys cannot drift. */
export const OBJECTIVES: Record<string, (m: Metrics) => number> = {
  sharpe: (m) => m.sharpe,
  sortino: (m) => m.sortino,
  return: (m) => m.totalReturn,
  calmar: (m) => m.calmar,
  'return-drawdown': (m) => (m.maxDrawdown > 0 ? m.totalReturn / m.maxDrawdown : m.totalReturn > 0 ? m.totalReturn * 1e6 : m.totalReturn),
  'profit-factor': (m) => (Number.isFinite(m.profitFactor) ? m.profitFactor : 1e6),
};

export function objective(name: string): (m: Metrics) => number {
  const f = OBJECTIVES[name];
  if (!f) throw inputError('OBJECTIVE_UNKNOWN', `unknown objective "${name}"; available: ${Object.keys(OBJECTIVES).join(', ')}`);
  return f;
}
