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

  it('denials added as they come give the lines add() would, whether repeated, changed or between other refusals', () => {
    const log = new RefusalLog();
    const want = new RefusalLog();
    const d = (message: string, more = false) => [{ code: 'VOLATILITY', message }, ...(more ? [{ code: 'VAR', message: 'VaR 3% over 2%' }] : [])];
    const steps = [d('a'), d('a'), d('a', true), d('a', true), d('b'), d('a'), [], d('a')];
    steps.forEach((denials, i) => {
      const line = denials.map((x) => `${x.code}: ${x.message}`).join('; ');
      log.addDenials('BTCUSD', i, denials);
      want.add('BTCUSD', i, line);
      if (i === 4) {
        log.add('ETHUSD', i, 'execution rejected: no funds');
        want.add('ETHUSD', i, 'execution rejected: no funds');
      }
    });
    expect(log.list()).toEqual(want.list());
    expect(log.list().map((r) => r.reason)).toContain('VOLATILITY: a; VAR: VaR 3% over 2%');
  });

  it('an empty log lists nothing', () => {
    expect(new RefusalLog().list()).toEqual([]);
  });
});
