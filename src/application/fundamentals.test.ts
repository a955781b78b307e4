import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { FfeError } from '../core/errors.js';
import { loadFundamentalFixtures, startFakeAlphaVantage, type FakeAlphaVantage } from '../../test/fakes/alpha-vantage-server.js';
import { tempCwd } from '../../test/support/cli.js';
import { FfeApi } from './api.js';
import { parseAsOf } from './vocabulary.js';

const KEY = 'APP-FUND-KEY-52';

// In process (test/e2e/fundamentals-cli.test.ts drives the same through the built CLI).
describe('fundamentals use cases', () => {
  let fake: FakeAlphaVantage;
  let api: FfeApi;
  const clock = new ManualClock(Date.parse('2025-03-01T12:00:00Z'));
  beforeAll(async () => {
    fake = await startFakeAlphaVantage({ apiKey: KEY, fundamentals: { IBM: loadFundamentalFixtures() } });
    const cwd = tempCwd('ffe-fund-app-');
    api = await FfeApi.open({
      cwd,
      clock,
      env: { FFE_HOME: join(cwd, 'home'), ALPHA_VANTAGE_API_KEY: KEY, DATA_ALPHA_VANTAGE_BASE_URL: fake.url, DATA_ALPHA_VANTAGE_REQUESTS_PER_MINUTE: '6000' },
    });
  });
  afterAll(async () => {
    await api.close();
    await fake.close();
  });

  it('fetch stores each ticker once; show is point in time; list names what is stored', async () => {
    const start = clock.now();
    const done = await api.fundamentals.fetch(['IBM', 'ibm']);
    // The rate limiter's waits advance the manual clock a little.
    const fetchedAt = done[0].fetchedAt;
    expect(fetchedAt - start).toBeGreaterThanOrEqual(0);
    expect(fetchedAt - start).toBeLessThan(60_000);
    expect(done).toEqual([{ symbol: 'IBM', records: 21, earningsQuarters: 9, latestReport: '2025-01-29', fetchedAt }]);
    expect(fake.requests.map((r) => r.params.function)).toEqual(['OVERVIEW', 'EARNINGS', 'INCOME_STATEMENT']);

    clock.set(fetchedAt + 1000);
    const now = await api.fundamentals.show('IBM');
    expect(now.section?.overview?.fetchedAt).toBe(fetchedAt);
    expect(now.records.filter((r) => r.kind === 'earnings_quarterly')).toHaveLength(9);
    // Offline sample data has no IBM price: the ratios are empty and the note says why.
    expect([now.price, now.section?.valuation.pe]).toEqual([null, null]);
    expect(now.priceNote).toMatch(/^no price: /);

    const past = await api.fundamentals.show('IBM', parseAsOf('2025-01-28'));
    expect(past.section?.surprises[0].fiscalDateEnding).toBe('2024-09-30');
    expect(past.section?.overview).toBeNull();
    expect((await api.fundamentals.show('IBM', parseAsOf('2025-01-29'))).section?.surprises[0].fiscalDateEnding).toBe('2024-12-31');
    expect((await api.fundamentals.show('IBM', parseAsOf('2020-01-01'))).section).toBeNull();
    expect(await api.fundamentals.list()).toEqual([{ symbol: 'IBM', records: 21, lastFetchedAt: fetchedAt }]);
  });

  it('refuses non-stocks and empty or oversized lists before any call; names what was stored when a later ticker fails', async () => {
    fake.requests.length = 0;
    for (const bad of [['IBM', 'EURUSD'], [], Array.from({ length: 21 }, (_, i) => `T${String.fromCharCode(65 + (i % 26))}`)]) {
      const e = await api.fundamentals.fetch(bad).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(FfeError);
      expect((e as FfeError).code).toBe('FUNDAMENTALS_NOT_STOCK');
    }
    await expect(api.fundamentals.show('BTCUSD')).rejects.toThrow(/stocks only; "BTCUSD" is crypto/);
    expect(fake.requests).toEqual([]);

    clock.set(clock.now() + 86_400_000);
    const e = (await api.fundamentals.fetch(['IBM', 'MSFT']).catch((x: unknown) => x)) as FfeError;
    expect(e.code).toBe('PAIR_NOT_AVAILABLE');
    expect(e.message).toMatch(/^MSFT: Alpha Vantage has no OVERVIEW data for MSFT .*\(stored before it: IBM\)$/);
    expect((await api.fundamentals.list()).map((s) => s.symbol)).toEqual(['IBM']);
  });

  it('parseAsOf: a date is the end of that UTC day, an ISO time as given, anything else DATE_INVALID', () => {
    expect(parseAsOf('2025-01-29')).toBe(Date.parse('2025-01-29T23:59:59.999Z'));
    expect(parseAsOf('2025-01-29T10:00:00Z')).toBe(Date.parse('2025-01-29T10:00:00Z'));
    for (const bad of ['yesterday', '2025-13-01', '1738108800000']) expect(() => parseAsOf(bad)).toThrow(/--as-of ".*" is not a date/);
  });
});
