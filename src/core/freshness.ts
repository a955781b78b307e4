import { inputError } from './errors.js';
import type { AssetClass } from './pair.js';
import type { Timeframe } from './timeframe.js';

/** Warning and staleness limits in minutes; `staleMinutes: null` means never stale. */
export interface FreshnessRule {
  warnMinutes: number;
  staleMinutes: number | null;
}

export interface FreshnessThresholds {
  crypto: FreshnessRule;
  forex: FreshnessRule;
  stockIntraday: FreshnessRule;
  stockDaily: FreshnessRule;
}

export const DEFAULT_FRESHNESS: FreshnessThresholds = {
  crypto: { warnMinutes: 5, staleMinutes: 15 },
  forex: { warnMinutes: 5, staleMinutes: 15 },
  stockIntraday: { warnMinutes: 5, staleMinutes: 15 },
  stockDaily: { warnMinutes: 24 * 60, staleMinutes: null },
};

export interface Freshness {
  isFresh: boolean;
  ageText: string;
  /** Empty when fresh and young; `WARNING: …` when old; `CRITICAL: …` when stale. */
  warning: string;
  ageMs: number;
}

export function formatAge(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} seconds`;
  if (s < 3600) return `${(s / 60).toFixed(1)} minutes`;
  if (s < 86400 * 2) return `${(s / 3600).toFixed(2)} hours`;
  return `${(s / 86400).toFixed(1)} days`;
}

function toMs(ts: Date | number | string): number {
  if (ts instanceof Date) return ts.getTime();
  if (typeof ts === 'number') return ts;
  if (typeof ts !== 'string' || ts.trim() === '') throw inputError('TIMESTAMP_EMPTY', 'data timestamp must be a non-empty ISO 8601 string');
  // Naive timestamps are UTC, as every source we read stamps in UTC.
  const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(ts) ? ts : `${ts}Z`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw inputError('TIMESTAMP_INVALID', `invalid data timestamp "${ts}": expected ISO 8601`);
  return ms;
}

/**
 * How old the data is at `now`, against the thresholds for its asset class and timeframe.
 * Stale (≥ stale limit) data must not be traded on; the engine forces HOLD.
 */
export function validateDataFreshness(
  timestamp: Date | number | string,
  assetType: AssetClass,
  timeframe: Timeframe | 'intraday' | 'daily',
  now: number = Date.now(),
  thresholds: FreshnessThresholds = DEFAULT_FRESHNESS,
): Freshness {
  const ageMs = Math.max(0, now - toMs(timestamp));
  const daily = timeframe === '1d' || timeframe === 'daily';
  const rule = assetType === 'stock' ? (daily ? thresholds.stockDaily : thresholds.stockIntraday) : thresholds[assetType];
  const ageMin = ageMs / 60_000;
  const ageText = formatAge(ageMs);
  if (rule.staleMinutes !== null && ageMin >= rule.staleMinutes) {
    return { isFresh: false, ageText, ageMs, warning: `CRITICAL: ${assetType} data is ${ageText} old (stale at ${rule.staleMinutes} minutes)` };
  }
  if (ageMin > rule.warnMinutes) {
    return { isFresh: true, ageText, ageMs, warning: `WARNING: ${assetType} data is ${ageText} old (warn over ${rule.warnMinutes} minutes)` };
  }
  return { isFresh: true, ageText, ageMs, warning: '' };
}
