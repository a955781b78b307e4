import { describe, expect, it } from 'vitest';
import { BundledMarketData } from './bundled/adapter.js';
import { LayeredMarketData } from './composite.js';

describe('LayeredMarketData', () => {
  const layers = (asked: string[], fail = { left: 0 }) => {
    const bundled = new BundledMarketData();
    return [
      // A layer without the pair, as imported data without imports (its `has` is a store read); it may fail to answer.
      {
        source: bundled,
        has: async (p: string) => {
          asked.push(p);
          if (fail.left > 0 && fail.left--) throw new Error('store unavailable');
          return false;
        },
      },
      { source: bundled, has: async () => true },
    ];
  };
  const at = Date.parse('2024-06-01T00:00:00Z');

  it('asks the layers for every call by default (an import may shadow a pair at any time)', async () => {
    const asked: string[] = [];
    const data = new LayeredMarketData(layers(asked));
    await data.latestQuote('BTCUSD', at);
    await data.latestQuote('BTCUSD', at);
    expect(asked).toEqual(['BTCUSD', 'BTCUSD']);
  });

  it('fixed: picks each pair once and serves the same quotes', async () => {
    const asked: string[] = [];
    const data = new LayeredMarketData(layers(asked), { fixed: true });
    const bundled = new BundledMarketData();
    for (let i = 0; i < 3; i++) {
      for (const pair of ['BTCUSD', 'ETHUSD']) expect(await data.latestQuote(pair, at + i * 3_600_000)).toEqual(await bundled.latestQuote(pair, at + i * 3_600_000));
    }
    expect(asked).toEqual(['BTCUSD', 'ETHUSD']);
  });

  it('fixed: a pick that failed is asked again', async () => {
    const asked: string[] = [];
    const data = new LayeredMarketData(layers(asked, { left: 1 }), { fixed: true });
    await expect(data.latestQuote('BTCUSD', at)).rejects.toThrow('store unavailable');
    await data.latestQuote('BTCUSD', at);
    await data.latestQuote('BTCUSD', at);
    expect(asked).toEqual(['BTCUSD', 'BTCUSD']);
  });
});
