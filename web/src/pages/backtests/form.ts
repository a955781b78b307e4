/** The job form's state → the POST /api/v1/backtests body for each kind, with the checks the server makes (pure: tested without a browser). */

export const KINDS = ['backtest', 'walk_forward', 'monte_carlo', 'optimize'] as const;
export type Kind = (typeof KINDS)[number];
export const KIND_LABEL: Record<Kind, string> = { backtest: 'Backtest', walk_forward: 'Walk-forward', monte_carlo: 'Monte Carlo', optimize: 'Optimisation' };
export const STRATEGIES = ['sma-cross', 'rsi-reversion'] as const;
export const TIMEFRAMES = ['1m', '5m', '15m', '1h', '4h', '1d'] as const;
export const OBJECTIVES = ['sharpe', 'sortino', 'return', 'calmar'] as const;
export const METHODS = ['grid', 'random', 'refine'] as const;

/** Everything the form holds, as text where the user types (parsed on submit). */
export interface JobForm {
  kind: Kind;
  pairs: string;
  from: string;
  to: string;
  timeframe: string;
  /** `strategy:<name>` or `provider:<name>`. */
  source: string;
  initialBalance: string;
  fee: string;
  stopLoss: string;
  takeProfit: string;
  /** Strategy parameters, `fast=10, slow=30`. */
  params: string;
  // walk-forward and optimisation
  method: string;
  samples: string;
  objective: string;
  paramRanges: string;
  trainRatio: string;
  windows: string;
  anchored: boolean;
  // Monte Carlo
  simulations: string;
  noise: string;
  seed: string;
}

export const DEFAULT_FORM: JobForm = {
  kind: 'backtest',
  pairs: 'BTCUSD',
  from: '2024-01-01',
  to: '2024-03-01',
  timeframe: '',
  source: 'strategy:sma-cross',
  initialBalance: '',
  fee: '',
  stopLoss: '',
  takeProfit: '',
  params: '',
  method: 'grid',
  samples: '40',
  objective: 'sharpe',
  paramRanges: '',
  trainRatio: '0.7',
  windows: '3',
  anchored: false,
  simulations: '200',
  noise: '0.01',
  seed: '1',
};

export type FormErrors = Partial<Record<keyof JobForm, string>>;
export type JobBody = { kind: Kind; params: Record<string, unknown> };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The request body for the form's kind, or the errors per field. Only the fields the kind takes
 * are sent (the server refuses unknown ones); empty optional fields are left to the server's defaults.
 */
export function buildJob(f: JobForm): { body: JobBody; errors: null } | { body: null; errors: FormErrors } {
  const errors: FormErrors = {};
  const num = (key: keyof JobForm, o: { min?: number; max?: number; gt?: number; lt?: number; int?: boolean; required?: boolean } = {}): number | undefined => {
    const text = String(f[key]).trim();
    if (!text) {
      if (o.required) errors[key] = 'required';
      return undefined;
    }
    const v = Number(text);
    if (!Number.isFinite(v)) errors[key] = 'a number';
    else if (o.int && !Number.isInteger(v)) errors[key] = 'a whole number';
    else if (o.min !== undefined && v < o.min) errors[key] = `at least ${o.min}`;
    else if (o.max !== undefined && v > o.max) errors[key] = `at most ${o.max}`;
    else if (o.gt !== undefined && !(v > o.gt)) errors[key] = `above ${o.gt}`;
    else if (o.lt !== undefined && !(v < o.lt)) errors[key] = `below ${o.lt}`;
    else return v;
    return undefined;
  };
  const pairs = f.pairs
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  if (!pairs.length) errors.pairs = 'at least one pair';
  else if (pairs.length > 20) errors.pairs = 'at most 20 pairs';
  else if (pairs.some((p) => !/^[A-Z0-9/_-]{2,32}$/.test(p))) errors.pairs = 'pairs like BTCUSD, ETHUSD';
  if (!DATE.test(f.from) || Number.isNaN(Date.parse(f.from))) errors.from = 'a date YYYY-MM-DD';
  if (!DATE.test(f.to) || Number.isNaN(Date.parse(f.to))) errors.to = 'a date YYYY-MM-DD';
  else if (!errors.from && !(Date.parse(f.to) > Date.parse(f.from))) errors.to = 'after the start';
  const [sourceKind, sourceName] = f.source.split(':');
  if (!sourceName || (sourceKind !== 'strategy' && sourceKind !== 'provider')) errors.source = 'a strategy or a provider';

  const p: Record<string, unknown> = { asset_pair: pairs.length === 1 ? pairs[0] : pairs, from: f.from, to: f.to };
  if (f.timeframe) p.timeframe = f.timeframe;
  p[sourceKind === 'provider' ? 'provider' : 'strategy'] = sourceName;
  const put = (k: string, v: unknown) => v !== undefined && (p[k] = v);
  put('initial_balance', num('initialBalance', { gt: 0, max: 1e15 }));
  put('fee_percentage', num('fee', { min: 0, max: 1 }));
  put('stop_loss', num('stopLoss', { gt: 0, max: 1 }));
  put('take_profit', num('takeProfit', { gt: 0, max: 10 }));

  const own: Record<string, number> = {};
  if (f.params.trim()) {
    for (const part of f.params.split(',')) {
      const [k, v] = part.split('=').map((s) => s.trim());
      if (!k || v === undefined || !Number.isFinite(Number(v)) || v === '') {
        errors.params = 'name=value pairs, e.g. fast=10, slow=30';
        break;
      }
      own[k] = Number(v);
    }
  }
  const ownParams = () => Object.keys(own).length && (p.params = own);

  if (f.kind === 'backtest') ownParams();
  if (f.kind === 'monte_carlo') {
    ownParams();
    put('simulations', num('simulations', { int: true, min: 1, max: 100_000 }));
    put('noise', num('noise', { min: 0, lt: 0.5 }));
    put('seed', num('seed', { int: true, min: 0, max: 2 ** 31 }));
  }
  if (f.kind === 'optimize' || f.kind === 'walk_forward') {
    if (f.params.trim()) errors.params = 'an optimisation searches the parameters: give ranges instead';
    p.method = f.method;
    put('samples', num('samples', { int: true, min: 1, max: 100_000 }));
    p.objective = f.objective;
    put('seed', num('seed', { int: true, min: 0, max: 2 ** 31 }));
    const ranges = f.paramRanges
      .split(/[;\n]/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (ranges.some((r) => !/^[A-Za-z_][\w-]*=.+$/.test(r))) errors.paramRanges = 'name=a,b,c or name=min:max[:step], one per line or separated by ;';
    if (ranges.length) p.param_ranges = ranges;
  }
  if (f.kind === 'walk_forward') {
    put('train_ratio', num('trainRatio', { gt: 0, lt: 1 }));
    put('windows', num('windows', { int: true, min: 1, max: 100 }));
    if (f.anchored) p.anchored = true;
  }
  if (Object.keys(errors).length) return { body: null, errors };
  return { body: { kind: f.kind, params: p }, errors: null };
}
