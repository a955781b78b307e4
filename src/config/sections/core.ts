import { z } from 'zod';
import { dataAdapters } from '../../app/registry.js';
import { field, fraction } from '../meta.js';

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
  freshness: z.strictObject({
    crypto: freshnessRule(5, 15).prefault({}),
    forex: freshnessRule(5, 15).prefault({}),
    stock_intraday: freshnessRule(5, 15).prefault({}),
    stock_daily: freshnessRule(1440, null).prefault({}),
  }).prefault({}),
});

export const decisionEngineSection = z.strictObject({
  ai_provider: field(z.string().min(1).default('rules'), {
    description: 'provider used by `analyze` when --provider is not given (rules, ensemble or a configured provider name)',
  }),
  decision_threshold: fraction(0.6, 'minimum confidence (as a fraction, 0.6 = 60) for a BUY/SELL; below it the decision is HOLD'),
});

export const sizingSection = z.strictObject({
  risk_fraction: field(z.number().gt(0).max(0.1).default(0.01), { description: 'fraction of balance risked per trade (0.01 = 1 %)' }),
  default_stop_fraction: fraction(0.02, 'stop distance when no ATR is available'),
  atr_multiplier: field(z.number().positive().default(2), { description: 'stop distance = multiplier × daily ATR / price' }),
  min_stop_fraction: fraction(0.01, 'lower clamp of the ATR stop distance'),
  max_stop_fraction: fraction(0.05, 'upper clamp of the ATR stop distance'),
  take_profit_fraction: fraction(0.05, 'take-profit distance from entry'),
});

export const persistenceSection = z.strictObject({
  engine: field(z.enum(['sqlite']).default('sqlite'), { description: 'storage engine' }),
  sqlite_path: field(z.string().min(1).default('./data/ffe.db'), { description: 'SQLite database file (relative to the working directory)' }),
});

export const loggingSection = z.strictObject({
  level: field(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'), { description: 'log level (logs go to stderr)' }),
});
