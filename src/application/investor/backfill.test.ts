import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configHome } from '../../../test/support/config-home.js';
import { FfeApi } from '../api.js';
import type { Principal } from '../auth/principal.js';

const alice: Principal = { kind: 'user', id: 'u-alice', name: 'alice', role: 'viewer' };
let api: FfeApi;

beforeAll(async () => {
  api = await FfeApi.open(configHome('recommendations:\n  cron: null\n  horizon_days: 3\n'));
}, 60_000);
afterAll(() => api?.close());

describe('a daily run as of a past moment (backfill, or a first try on the bundled sample)', () => {
  it('recommends on the data known then and measures the outcome at once when the horizon is over', async () => {
    await api.investor.watchlists.create(alice, { name: 'core', pairs: ['BTCUSD', 'ETHUSD'] });
    const asOf = Date.parse('2024-06-03T23:59:59.999Z');
    const { done } = await api.investor.recommendations.runNow(asOf);
    expect(await done).toMatchObject({ pairs: 2, recommendations: 2, errors: 0 });
    const daily = await api.investor.recommendations.daily(alice);
    expect(daily.recommendations.map((r) => r.pair)).toEqual(['BTCUSD', 'ETHUSD']);
    for (const r of daily.recommendations) {
      expect(r.created_at).toBe('2024-06-03T23:59:59.999Z');
      // The entry is a close known by then: the last hourly bar of 2024-06-03 at the latest.
      const bars = await api.runtime.app.marketData.candles({ pair: r.pair, timeframe: '1h', end: asOf, limit: 1 });
      expect(r.entry).toBe(bars[0].close);
      expect(r.outcome.status).not.toBe('pending');
      expect(r.outcome.exit_price).toBeGreaterThan(0);
      if (r.action !== 'HOLD') expect(typeof r.outcome.correct).toBe('boolean');
    }
  }, 120_000);

  it('refuses a moment in the future, naming as_of', async () => {
    await expect(api.investor.recommendations.runNow(Date.now() + 86_400_000)).rejects.toMatchObject({ code: 'DATE_INVALID', message: expect.stringMatching(/^as_of/) });
  });
});
