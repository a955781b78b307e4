import { describe, expect, it } from 'vitest';
import { validateDataFreshness } from './freshness.js';

const NOW = Date.parse('2024-06-05T15:00:00Z');
const ago = (min: number) => NOW - min * 60_000;

describe('validateDataFreshness (defaults from the product docs)', () => {
  it.each(['crypto', 'forex'] as const)('%s: fresh ≤ 5 min, warning over 5, stale at 15', (cls) => {
    expect(validateDataFreshness(ago(4), cls, '1m', NOW)).toMatchObject({ isFresh: true, warning: '' });
    expect(validateDataFreshness(ago(5), cls, '1m', NOW).warning).toBe('');
    const w = validateDataFreshness(ago(6), cls, '1h', NOW);
    expect(w.isFresh).toBe(true);
    expect(w.warning).toMatch(/^WARNING:/);
    expect(validateDataFreshness(ago(14.9), cls, '1h', NOW).isFresh).toBe(true);
    const s = validateDataFreshness(ago(15), cls, '1h', NOW);
    expect(s.isFresh).toBe(false);
    expect(s.warning).toMatch(/^CRITICAL:/);
  });

  it('stocks intraday use the same limits; stocks daily warn after 24 h and are never stale', () => {
    expect(validateDataFreshness(ago(15), 'stock', 'intraday', NOW).isFresh).toBe(false);
    expect(validateDataFreshness(ago(23 * 60), 'stock', 'daily', NOW).warning).toBe('');
    const d = validateDataFreshness(ago(30 * 60), 'stock', '1d', NOW);
    expect(d.isFresh).toBe(true);
    expect(d.warning).toMatch(/^WARNING:/);
    expect(validateDataFreshness(ago(60 * 24 * 30), 'stock', '1d', NOW).isFresh).toBe(true);
  });

  it('formats the age and parses ISO strings (naive = UTC)', () => {
    expect(validateDataFreshness('2024-06-05T14:59:30Z', 'crypto', '1m', NOW).ageText).toBe('30.0 seconds');
    expect(validateDataFreshness('2024-06-05T14:50:00', 'crypto', '1m', NOW).ageText).toBe('10.0 minutes');
    expect(validateDataFreshness(ago(150), 'crypto', '1m', NOW).ageText).toBe('2.50 hours');
  });

  it('honours configured thresholds', () => {
    const t = {
      crypto: { warnMinutes: 30, staleMinutes: 90 },
      forex: { warnMinutes: 5, staleMinutes: 15 },
      stockIntraday: { warnMinutes: 5, staleMinutes: 15 },
      stockDaily: { warnMinutes: 1440, staleMinutes: null },
    };
    expect(validateDataFreshness(ago(20), 'crypto', '1m', NOW, t)).toMatchObject({ isFresh: true, warning: '' });
    expect(validateDataFreshness(ago(90), 'crypto', '1m', NOW, t).isFresh).toBe(false);
  });

  it('rejects bad timestamps', () => {
    expect(() => validateDataFreshness('not a date', 'crypto', '1m', NOW)).toThrow(/ISO 8601/);
    expect(() => validateDataFreshness('', 'crypto', '1m', NOW)).toThrow(/non-empty/);
  });
});
