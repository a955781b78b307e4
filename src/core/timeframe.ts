import { inputError } from './errors.js';

/** The six timeframes the engine analyses, finest first. */
export const TIMEFRAMES = ['1m', '5m', '15m', '1h', '4h', '1d'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

const MINUTE = 60_000;
export const TIMEFRAME_MS: Record<Timeframe, number> = {
  '1m': MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '1h': 60 * MINUTE,
  '4h': 240 * MINUTE,
  '1d': 1440 * MINUTE,
};

/** Bars per year used to annualise returns: crypto trades all year round. */
export const periodsPerYear = (tf: Timeframe, assetClass: 'crypto' | 'forex' | 'stock' | 'unknown' = 'crypto'): number => {
  if (assetClass === 'stock') {
    // 252 sessions of 6.5 hours.
    return tf === '1d' ? 252 : (252 * 6.5 * 60 * MINUTE) / TIMEFRAME_MS[tf];
  }
  if (assetClass === 'forex') {
    // 52 weeks of 5 trading days.
    return tf === '1d' ? 260 : (260 * 1440 * MINUTE) / TIMEFRAME_MS[tf];
  }
  return (365 * 1440 * MINUTE) / TIMEFRAME_MS[tf];
};

export const isTimeframe = (s: string): s is Timeframe => (TIMEFRAMES as readonly string[]).includes(s);

export function parseTimeframe(s: string): Timeframe {
  const t = s.trim().toLowerCase();
  if (isTimeframe(t)) return t;
  throw inputError('TIMEFRAME_INVALID', `unknown timeframe "${s}": expected one of ${TIMEFRAMES.join(', ')}`);
}

/** Start of the UTC bucket of `tf` that contains `ts` (ms since epoch). */
export const bucketStart = (ts: number, tf: Timeframe): number => ts - (((ts % TIMEFRAME_MS[tf]) + TIMEFRAME_MS[tf]) % TIMEFRAME_MS[tf]);
