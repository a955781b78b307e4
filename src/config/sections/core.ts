import { z } from 'zod';
import { fillModelSection } from './fill-model.js';
import { dataAdapters } from '../../app/registry.js';
import { field, fraction } from '../meta.js';
import { urlProblem } from '../url.js';

const freshnessRule = (warn: number, stale: number | null) =>
  z.strictObject({
    warn_minutes: field(z.number().positive().default(warn), { description: 'age above which data is flagged with a warning' }),
    stale_minutes: field(z.number().positive().nullable().default(stale), { description: 'age at which data is stale and trading is blocked (null: never)' }),
  });

type Registered = (typeof dataAdapters)[number];
type AdapterSections = { [A in Registered as A['kind']]: z.ZodPrefault<A['configSchema']> };
const DATA_KINDS = dataAdapters.map((a) => a.kind) as [Registered['kind'], ...Registered['kind'][]];

/** `source` picks a registered data adapter (src/app/registry.ts); each has its own section `data.<kind>`, owned by its folder. */
export const dataSection = z.strictObject({
  source: field(z.enum(DATA_KINDS).default('bundled'), {
    description: `market data source: ${DATA_KINDS.join(' or ')} (bundled: the offline sample shipped in the package, no keys, no network)`,
  }),
  history_bars: field(z.number().int().min(60).max(5000).default(300), { description: 'bars fetched per timeframe for analysis' }),
  ...(Object.fromEntries(dataAdapters.map((a) => [a.kind, (a.configSchema as z.ZodObject).prefault({})])) as AdapterSections),
  freshness: z
    .strictObject({
      crypto: freshnessRule(5, 15).prefault({}),
      forex: freshnessRule(5, 15).prefault({}),
      stock_intraday: freshnessRule(5, 15).prefault({}),
      stock_daily: freshnessRule(1440, null).prefault({}),
    })
    .prefault({}),
});

export const decisionEngineSection = z.strictObject({
  ai_provider: field(z.string().min(1).default('rules'), {
    description: 'provider used by `analyze` when --provider is not given (rules, ensemble or a configured provider name)',
  }),
  decision_threshold: fraction(0.6, 'minimum confidence (as a fraction, 0.6 = 60) for a BUY/SELL; below it the decision is HOLD'),
});

/**
 * The one trade policy (stop, target, size) the engine applies to every decision: `ffe analyze`,
 * the agent, replays and both backtest engines read it here and nowhere else.
 */
export const sizingSection = z
  .strictObject({
    risk_fraction: field(z.number().gt(0).max(0.1).default(0.01), { description: 'fraction of equity risked per trade (0.01 = 1 %): the size loses this much at the stop' }),
    stop_rule: field(z.enum(['fixed', 'atr']).default('fixed'), {
      description: 'fixed: the stop sits stop_loss from the decision price; atr: atr_multiplier × daily ATR / price, clamped (stop_loss when no ATR is known)',
    }),
    stop_loss: field(z.number().gt(0).max(1).default(0.02), {
      description: 'stop-loss distance from the price the decision was taken at (0.02 = 2 %): the last close; backtests can anchor it at the entry fill instead (backtest.stop_anchor)',
    }),
    atr_multiplier: field(z.number().positive().default(2), { description: 'stop_rule atr: stop distance = multiplier × daily ATR / price' }),
    min_stop_fraction: fraction(0.01, 'stop_rule atr: lower clamp of the stop distance'),
    max_stop_fraction: fraction(0.05, 'stop_rule atr: upper clamp of the stop distance'),
    take_profit: field(z.number().gt(0).max(10).default(0.05), { description: 'take-profit distance from the price the decision was taken at (0.05 = 5 %), anchored like sizing.stop_loss' }),
  })
  .refine((s) => s.min_stop_fraction <= s.max_stop_fraction, {
    // Clamping to [min, max] with min > max silently gives max for every trade.
    path: ['min_stop_fraction'],
    error: (i) => `a value ≤ sizing.max_stop_fraction (${String((i.input as { max_stop_fraction?: unknown }).max_stop_fraction)})`,
  });

/** Trading costs, one home for the paper venue and the backtest simulator. */
export const costsSection = z.strictObject({
  fee: fraction(0.001, 'fee per fill as a fraction of notional (0.001 = 0.1 %)'),
  slippage: fraction(0.0001, 'fixed slippage per fill as a fraction of price (0.0001 = 1 bp)'),
  volume_impact: field(z.number().min(0).default(0.01), { description: 'fill_model.impact linear: extra slippage = coefficient × order units / bar volume (capped at 5 %)' }),
  fill_model: fillModelSection,
});

export const persistenceSection = z.strictObject({
  engine: field(z.enum(['sqlite']).default('sqlite'), { description: 'deprecated: database.url picks the engine' }),
  sqlite_path: field(z.string().min(1).default('./data/ffe.db'), { description: 'deprecated alias of database.url: sqlite:PATH (used when database.url is empty)' }),
});

/** Where the store lives: one URL for every engine. The whole value is a secret (a PostgreSQL URL carries its password); FFE prints it with the password masked. */
export const databaseSection = z.strictObject({
  url: field(
    z
      .string()
      .default('')
      .superRefine((value, ctx) => {
        const problem = databaseUrlProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    {
      secret: true,
      description: 'the store: sqlite:PATH (or a bare path, relative to the working directory) or postgres://user:password@host:port/database; empty: SQLite ffe.db in the data home',
    },
  ),
});

/** Empty (the default store), a SQLite path (`sqlite:PATH` or bare) or a PostgreSQL URL with a host. */
function databaseUrlProblem(value: string): string | null {
  if (value === '') return null;
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'sqlite:PATH or a postgres:// URL, without control characters';
  if (/^postgres(ql)?:/i.test(value)) return urlProblem(value, ['postgres', 'postgresql']);
  if (/^sqlite:/i.test(value)) return value.length > 'sqlite:'.length ? null : 'sqlite:PATH with a file path (sqlite:./data/ffe.db)';
  const scheme = /^([a-z][a-z0-9+.-]+):\/\//i.exec(value);
  return scheme ? `sqlite:PATH or a postgres:// URL, not ${scheme[1]}:` : null;
}

export const loggingSection = z.strictObject({
  level: field(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'), { description: 'log level (logs go to stderr)' }),
});
