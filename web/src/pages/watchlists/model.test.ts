import { describe, expect, it } from 'vitest';
import { parsePairs, watchlistNameError } from './model';

describe('watchlist form helpers', () => {
  it('splits pairs on commas and spaces, dropping blanks and case-blind duplicates', () => {
    expect(parsePairs(' btc-usd, ETHUSD  sol/usd,,BTC-USD ')).toEqual(['btc-usd', 'ETHUSD', 'sol/usd']);
    expect(parsePairs('   ')).toEqual([]);
  });
  it('a name is required and bounded', () => {
    expect(watchlistNameError('  ')).toBe('name: required');
    expect(watchlistNameError('x'.repeat(65))).toBe('name: at most 64 characters');
    expect(watchlistNameError(' Majors ')).toBeNull();
  });
});
