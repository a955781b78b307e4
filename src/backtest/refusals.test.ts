import { describe, expect, it } from 'vitest';
import { RefusalLog } from './refusals.js';

describe('RefusalLog', () => {
  it('lists every refusal in the order added, past several regrowths of its columns', () => {
    const log = new RefusalLog();
    const want: { pair: string; time: number; reason: string }[] = [];
    for (let i = 0; i < 5000; i++) {
      const r = { pair: i % 3 ? 'BTCUSD' : 'ETHUSD', time: 1.7e12 + i * 60_000 + 0.5, reason: `VOLATILITY_CONFIDENCE: confidence ${(i % 7) + 70}.00% is below 80.00%` };
      log.add(r.pair, r.time, r.reason);
      want.push(r);
    }
    expect(log.length).toBe(5000);
    expect(log.list()).toEqual(want);
  });

  it('an empty log lists nothing', () => {
    expect(new RefusalLog().list()).toEqual([]);
  });
});
