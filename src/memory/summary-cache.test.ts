import { describe, expect, it } from 'vitest';
import type { PortfolioMemory } from './memory-service.js';
import { CachedMemory } from './summary-cache.js';

/** A memory whose summary says how many trades it has recorded, with its reads counted. */
function fake() {
  const calls = { summary: 0 };
  let trades = 0;
  const memory: Pick<PortfolioMemory, 'summary' | 'record' | 'learn'> = {
    summary: async (pair, regime) => (calls.summary++, `${pair} ${regime}: ${trades} trades`),
    record: async () => (trades++, null),
    learn: async () => [],
  };
  return { memory, calls };
}

describe('CachedMemory', () => {
  it('reads a summary once per pair and regime until a trade is recorded or weights re-learned', async () => {
    const { memory, calls } = fake();
    const cached = new CachedMemory(memory);
    expect(await cached.summary('BTCUSD', 'TRENDING')).toBe('BTCUSD TRENDING: 0 trades');
    expect(await cached.summary('BTCUSD', 'TRENDING')).toBe('BTCUSD TRENDING: 0 trades');
    expect(await cached.summary('ETHUSD', 'TRENDING')).toBe('ETHUSD TRENDING: 0 trades');
    expect(calls.summary).toBe(2);
    await cached.record({} as Parameters<PortfolioMemory['record']>[0], null);
    expect(await cached.summary('BTCUSD', 'TRENDING')).toBe('BTCUSD TRENDING: 1 trades');
    expect(calls.summary).toBe(3);
    await cached.learn();
    await cached.summary('BTCUSD', 'TRENDING');
    expect(calls.summary).toBe(4);
  });

  it('does not keep a failed read', async () => {
    let fail = true;
    const cached = new CachedMemory({
      summary: async () => {
        if (fail) throw new Error('store busy');
        return 'ok';
      },
      record: async () => null,
      learn: async () => [],
    });
    await expect(cached.summary('BTCUSD', 'RANGING')).rejects.toThrow('store busy');
    fail = false;
    expect(await cached.summary('BTCUSD', 'RANGING')).toBe('ok');
  });
});
