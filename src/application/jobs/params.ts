import { z } from 'zod';
import type { BacktestRequest } from '../../app/backtest.js';
import { parseDate } from '../../backtest/data.js';
import { OBJECTIVES } from '../../backtest/objective.js';
import { parseSpace } from '../../backtest/params.js';
import { RISK_PARAMS, strategyParams } from '../../backtest/risk-params.js';
import { getStrategy, resolveParams } from '../../backtest/strategies/index.js';
import type { BacktestSettings } from '../../backtest/types.js';
import { FfeError, isFfeError } from '../../core/errors.js';
import { TIMEFRAMES } from '../../core/timeframe.js';

export const JOB_KINDS = ['backtest', 'walk_forward', 'monte_carlo', 'optimize'] as const;
export type BacktestJobKind = (typeof JOB_KINDS)[number];

const dateText = z
  .string()
  .min(1)
  .max(40)
  .refine((s) => !Number.isNaN(Date.parse(/T|Z/.test(s) ? s : `${s}T00:00:00Z`)), 'a date: YYYY-MM-DD or ISO 8601 (UTC)');
const name = z.string().min(1).max(64);
const fractionIn = (min: number, max: number) => z.number().min(min).max(max);

/**
 * The fields every kind shares: what `ffe backtest` accepts, named as on the wire (snake_case).
 * `params` holds a strategy's own parameters and the risk parameters (stop_loss, take_profit,
 * risk_fraction) as `--param` does. Cassette `record` (live, paid LLM calls) is the CLI's alone.
 */
const run = {
  asset_pair: z.union([name, z.array(name).min(1).max(20)]),
  from: dateText,
  to: dateText,
  timeframe: z.enum(TIMEFRAMES).optional(),
  provider: name.optional(),
  strategy: name.optional(),
  initial_balance: z.number().positive().max(1e15).optional(),
  fee_percentage: fractionIn(0, 1).optional(),
  slippage_percentage: fractionIn(0, 1).optional(),
  stop_loss: fractionIn(1e-6, 1).optional(),
  take_profit: fractionIn(1e-6, 10).optional(),
  fill: z.enum(['next_open', 'close']).optional(),
  risk: z.boolean().optional(),
  post_cutoff_only: z.boolean().optional(),
  cassette: z.enum(['strict', 'replay']).optional(),
};
const ownParams = z.record(z.string().min(1).max(64), z.number()).optional();
const workers = z.number().int().min(0).max(256).optional();
const seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31)
  .optional();
/** `ffe optimize` / `ffe walk-forward` search options; `param_ranges` is their repeated `--param name=a,b,c|min:max[:step]`. */
const search = {
  method: z.enum(['grid', 'random', 'refine']).optional(),
  samples: z.number().int().min(1).max(100_000).optional(),
  objective: z.enum(Object.keys(OBJECTIVES) as [string, ...string[]]).optional(),
  seed,
  workers,
  param_ranges: z.array(z.string().min(3).max(200)).max(20).optional(),
};

export const JOB_PARAMS = {
  backtest: z.strictObject({ ...run, params: ownParams, engine: z.enum(['execution', 'fast']).optional() }),
  walk_forward: z.strictObject({ ...run, ...search, train_ratio: z.number().gt(0).lt(1).optional(), windows: z.number().int().min(1).max(100).optional(), anchored: z.boolean().optional() }),
  monte_carlo: z.strictObject({
    ...run,
    params: ownParams,
    simulations: z.number().int().min(1).max(100_000).optional(),
    noise: z.number().min(0).max(2).optional(),
    block: z.number().min(0).max(10_000).optional(),
    seed,
    workers,
  }),
  optimize: z.strictObject({ ...run, ...search }),
} as const;

export type JobParams = { [K in BacktestJobKind]: z.infer<(typeof JOB_PARAMS)[K]> };
export type AnyJobParams = JobParams[BacktestJobKind];

/** A parameter error: one line naming the field (`params.from`), the field in `details.fields`. */
export function paramsError(field: string, message: string, code: 'JOB_PARAMS_INVALID' | FfeError['code'] = 'JOB_PARAMS_INVALID'): FfeError {
  return new FfeError('input', code, `${field}: ${message}`, { fields: { [field]: message } });
}

/** Runs a check that throws the backtest layer's input errors (which speak of CLI flags), naming the field instead. */
function at<T>(field: string, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (isFfeError(e) && e.kind === 'input') throw paramsError(field, e.message.replace(/--param /g, ''), e.code);
    throw e;
  }
}

/**
 * Checks `params` for a job of `kind` before anything is stored: the schema (types, ranges,
 * unknown fields), then what the CLI checks once the source is known (the strategy exists, its
 * parameters resolve, a search space parses, the range is not empty). What needs the data
 * (a range with no bars, a provider's cassette) fails the job when it runs.
 */
export function validateParams(kind: unknown, params: unknown): { kind: BacktestJobKind; params: AnyJobParams } {
  if (typeof kind !== 'string' || !(JOB_KINDS as readonly string[]).includes(kind)) throw paramsError('kind', `must be one of ${JOB_KINDS.join(', ')}`);
  const k = kind as BacktestJobKind;
  const parsed = JOB_PARAMS[k].safeParse(params ?? {});
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const i of parsed.error.issues) {
      const path = ['params', ...i.path.map(String), ...(i.code === 'unrecognized_keys' ? [i.keys.join(', ')] : [])].join('.');
      fields[path] ??= i.code === 'unrecognized_keys' ? 'unknown field' : i.message;
    }
    const [first] = Object.entries(fields);
    throw new FfeError('input', 'JOB_PARAMS_INVALID', `${first[0]}: ${first[1]}${Object.keys(fields).length > 1 ? ` (and ${Object.keys(fields).length - 1} more)` : ''}`, { fields });
  }
  const p = parsed.data;
  // The request builds with every cross-field check the CLI makes; the result is discarded here.
  toRequest(p);
  if ('param_ranges' in p && p.param_ranges?.length) {
    const def = p.strategy ? getStrategy(p.strategy) : { name: p.provider ?? 'provider', params: [] };
    at('params.param_ranges', () => parseSpace(def, p.param_ranges!));
  }
  return { kind: k, params: p };
}

/** The backtest request a job's (validated) parameters describe, as the CLI builds it from its flags. */
export function toRequest(p: AnyJobParams): BacktestRequest {
  if (p.provider && p.strategy) throw paramsError('params.strategy', 'give either provider or strategy, not both');
  const start = at('params.from', () => parseDate(p.from, 'from'));
  const end = at('params.to', () => parseDate(p.to, 'to'));
  if (!(end > start)) throw paramsError('params.to', `must be after from (${p.from})`);
  const settings: Partial<BacktestSettings> = {};
  const set = <K extends keyof BacktestSettings>(key: K, v: BacktestSettings[K] | undefined) => {
    if (v !== undefined) settings[key] = v;
  };
  set('initialBalance', p.initial_balance);
  set('feeRate', p.fee_percentage);
  set('slippageRate', p.slippage_percentage);
  set('stopLoss', p.stop_loss);
  set('takeProfit', p.take_profit);
  set('fill', p.fill);
  const given = 'params' in p ? (p.params ?? {}) : {};
  for (const r of RISK_PARAMS) {
    const v = given[r.name];
    if (v === undefined) continue;
    if (!(v >= r.min && v <= r.max)) throw paramsError(`params.params.${r.name}`, `must lie in [${r.min}, ${r.max}]: ${r.description}`);
    if (settings[r.setting] !== undefined) throw paramsError(`params.params.${r.name}`, `${r.name} is also given as a field; give it once`);
    settings[r.setting] = v;
  }
  const own = strategyParams(given);
  if (Object.keys(own).length) {
    if (!p.strategy) throw paramsError('params.params', `${Object.keys(own).join(', ')} apply to a strategy; with a provider only ${RISK_PARAMS.map((r) => r.name).join(', ')} apply`);
    at('params.params', () => resolveParams(getStrategy(p.strategy!), own));
  }
  if (p.strategy) at('params.strategy', () => getStrategy(p.strategy!));
  return {
    pairs: (Array.isArray(p.asset_pair) ? p.asset_pair : p.asset_pair.split(',')).map((s) => s.trim()).filter(Boolean),
    start,
    end,
    timeframe: p.timeframe,
    provider: p.provider,
    strategy: p.strategy,
    params: own,
    settings,
    risk: p.risk,
    postCutoffOnly: p.post_cutoff_only,
    cassette: p.cassette,
    ...('engine' in p && p.engine ? { engine: p.engine } : {}),
  };
}
