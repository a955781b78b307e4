import { describe, expect, it } from 'vitest';
import { FfeError } from './errors.js';
import { classifyPair, standardizeAssetPair } from './pair.js';

describe('standardizeAssetPair', () => {
  it.each([
    ['btc-usd', 'BTCUSD'],
    ['BTC_USD', 'BTCUSD'],
    ['"BTC/USD"', 'BTCUSD'],
    [' eth usd ', 'ETHUSD'],
    ['eur/usd', 'EURUSD'],
    ['spy', 'SPY'],
  ])('%s → %s', (input, out) => expect(standardizeAssetPair(input)).toBe(out));

  it.each(['', '   ', '???', '/-_'])('rejects %j with an input error', (input) => {
    expect(() => standardizeAssetPair(input)).toThrow(FfeError);
    try {
      standardizeAssetPair(input);
    } catch (e) {
      expect((e as FfeError).exitCode).toBe(2);
    }
  });

  it.each(['BTC💥USD', '💥💥', 'BTC?USD', 'ÉTHUSD', 'BTC\u0000USD'])('rejects %j: a character that is neither a letter, a digit nor a separator', (input) => {
    expect(() => standardizeAssetPair(input)).toThrow(/contains|letters or digits/);
  });

  it('rejects non-strings', () => {
    expect(() => standardizeAssetPair(undefined)).toThrow(/non-empty string/);
    expect(() => standardizeAssetPair(42)).toThrow(/non-empty string/);
  });
});

describe('classifyPair', () => {
  it.each([
    ['BTCUSD', 'crypto', 'BTC', 'USD'],
    ['ETHUSDT', 'crypto', 'ETH', 'USDT'],
    ['ETHBTC', 'crypto', 'ETH', 'BTC'],
    ['SOLEUR', 'crypto', 'SOL', 'EUR'],
    ['EURUSD', 'forex', 'EUR', 'USD'],
    ['USDJPY', 'forex', 'USD', 'JPY'],
    ['SPY', 'stock', 'SPY', 'USD'],
    ['AAPL', 'stock', 'AAPL', 'USD'],
  ])('%s is %s (%s/%s)', (s, cls, base, quote) => {
    expect(classifyPair(s)).toEqual({ symbol: s, assetClass: cls, base, quote });
  });

  it('refuses what is neither a known pair nor a ticker', () => {
    expect(() => classifyPair('XYZABC123')).toThrow(/cannot classify/);
  });
});
