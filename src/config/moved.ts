import { envNameFor } from './introspect.js';

/**
 * Keys that moved to one home: each setting of the trade policy, the costs and degraded
 * execution lives in one section now. A file or environment still using an old key is refused
 * with the new key's name, never silently ignored (a stop that quietly fell back to its default
 * would trade with a risk nobody chose).
 */
export const MOVED_KEYS: Record<string, string> = {
  'agent.stop_loss': 'sizing.stop_loss',
  'agent.take_profit': 'sizing.take_profit',
  'backtest.stop_loss': 'sizing.stop_loss',
  'backtest.take_profit': 'sizing.take_profit',
  'sizing.default_stop_fraction': 'sizing.stop_loss',
  'sizing.take_profit_fraction': 'sizing.take_profit',
  'paper_trading.fee_rate': 'costs.fee',
  'paper_trading.slippage_rate': 'costs.slippage',
  'backtest.fee': 'costs.fee',
  'backtest.slippage': 'costs.slippage',
  'backtest.volume_impact': 'costs.volume_impact',
  'ensemble.allow_degraded_execution': 'execution.allow_degraded',
  'memory.min_outcomes': 'memory.gate_alpha',
  // Was an absolute std of per-price noise (0.001); now a fraction of each bar's own volatility.
  'backtest.monte_carlo.noise': 'backtest.monte_carlo.noise_fraction',
};

export interface MovedKey {
  /** The old key path, or `env NAME` for an environment variable. */
  old: string;
  now: string;
  /** Where it was found (a file, or the variable). */
  source: string;
}

/** Old keys present in the merged file tree (`origins` says which file set each) or the environment. */
export function movedKeysIn(tree: Record<string, unknown>, env: Record<string, string | undefined>, origins: Record<string, string>): MovedKey[] {
  const found: MovedKey[] = [];
  for (const [old, now] of Object.entries(MOVED_KEYS)) {
    const path = old.split('.');
    let s: unknown = tree;
    for (const k of path.slice(0, -1)) s = typeof s === 'object' && s !== null && !Array.isArray(s) ? (s as Record<string, unknown>)[k] : undefined;
    if (typeof s === 'object' && s !== null && !Array.isArray(s) && path[path.length - 1] in s) found.push({ old, now, source: origins[old] ?? '' });
    const name = envNameFor(old.split('.'));
    if (env[name] !== undefined) found.push({ old: `env ${name}`, now: `${now} (env ${envNameFor(now.split('.'))})`, source: `env ${name}` });
  }
  return found;
}
