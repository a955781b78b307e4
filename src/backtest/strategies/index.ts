import { inputError } from '../../core/errors.js';
import type { Params, StrategyDefinition } from '../port.js';
import { rsiReversion } from './rsi-reversion.js';
import { smaCross } from './sma-cross.js';

export const STRATEGIES: Record<string, StrategyDefinition> = { 'sma-cross': smaCross, 'rsi-reversion': rsiReversion };

export function getStrategy(name: string): StrategyDefinition {
  const s = STRATEGIES[name];
  if (!s) throw inputError('STRATEGY_UNKNOWN', `unknown strategy "${name}"; available: ${Object.keys(STRATEGIES).join(', ')}`);
  return s;
}

/** Defaults overlaid with `overrides`; unknown names, out-of-range values and broken constraints are input errors. */
export function resolveParams(def: StrategyDefinition, overrides: Params = {}): Params {
  const out: Params = {};
  for (const spec of def.params) out[spec.name] = spec.default;
  for (const [k, v] of Object.entries(overrides)) {
    const spec = def.params.find((x) => x.name === k);
    if (!spec) throw inputError('PARAM_UNKNOWN', `strategy ${def.name} has no parameter "${k}"; parameters: ${def.params.map((x) => x.name).join(', ')}`);
    if (!Number.isFinite(v) || v < spec.min || v > spec.max || (spec.integer && !Number.isInteger(v))) {
      throw inputError('PARAM_INVALID', `${def.name} ${k}=${v} is invalid: expected ${spec.integer ? 'an integer' : 'a number'} in [${spec.min}, ${spec.max}]`);
    }
    out[k] = v;
  }
  const problem = def.validate?.(out);
  if (problem) throw inputError('PARAM_INVALID', `${def.name}: ${problem}`);
  return out;
}

/** Parses repeated `k=v` flags. */
export function parseParamFlags(flags: readonly string[]): Params {
  const out: Params = {};
  for (const f of flags) {
    const m = /^([A-Za-z_][\w-]*)=(.+)$/.exec(f.trim());
    const v = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(v)) throw inputError('PARAM_INVALID', `bad --param "${f}": expected name=number, e.g. fast=10`);
    if (m[1] in out) throw inputError('PARAM_INVALID', `--param ${m[1]} is given twice (${out[m[1]]} and ${v}); give it once`);
    out[m[1]] = v;
  }
  return out;
}
