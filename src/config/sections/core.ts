import { z } from 'zod';
import { field, fraction, secretString } from '../meta.js';

const freshnessRule = (warn: number, stale: number | null) =>
  z.strictObject({
    warn_minutes: field(z.number().positive().default(warn), { description: 'age above which data is flagged with a warning' }),
    stale_minutes: field(z.number().positive().nullable().default(stale), { description: 'age at which data is stale and trading is blocked (null: never)' }),
  });

export const dataSection = z.strictObject({
  source: field(z.enum(['bundled', 'alpha_vantage']).default('bundled'), {
    description: 'market data source: bundled offline sample (no keys, no network) or Alpha Vantage',
  }),
  bundled_dir: field(z.string().nullable().default(null), { description: 'folder of bundled CSVs (null: the copy shipped in the package)' }),
  history_bars: field(z.number().int().min(60).max(5000).default(300), { description: 'bars fetched per timeframe for analysis' }),
  alpha_vantage: z.strictObject({
    api_key: secretString('ALPHA_VANTAGE_API_KEY', 'Alpha Vantage API key'),
    base_url: field(z.url().default('https://www.alphavantage.co'), { description: 'Alpha Vantage endpoint' }),
    requests_per_minute: field(z.number().positive().default(5), { description: 'token-bucket refill rate' }),
    cache_ttl_seconds: field(z.number().min(0).default(120), { description: 'TTL of cached responses' }),
    timeout_ms: field(z.number().int().positive().default(15000), { description: 'HTTP timeout per request' }),
  }).prefault({}),
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
}).refine((s) => s.min_stop_fraction <= s.max_stop_fraction, {
  // Clamping to [min, max] with min > max silently gives max for every trade.
  path: ['min_stop_fraction'],
  error: (i) => `a value ≤ sizing.max_stop_fraction (${String((i.input as { max_stop_fraction?: unknown }).max_stop_fraction)})`,
});

export const persistenceSection = z.strictObject({
  engine: field(z.enum(['sqlite']).default('sqlite'), { description: 'storage engine' }),
  sqlite_path: field(z.string().min(1).default('./data/ffe.db'), { description: 'SQLite database file (relative to the working directory)' }),
});

export const loggingSection = z.strictObject({
  level: field(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'), { description: 'log level (logs go to stderr)' }),
});
