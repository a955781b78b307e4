import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFundamentalFixtures, startFakeAlphaVantage, type FakeAlphaVantage } from '../fakes/alpha-vantage-server.js';
import { runCli, tempCwd } from '../support/cli.js';

const KEY = 'E2E-FUND-KEY-31';

describe('e2e: ffe fundamentals (built CLI against the loopback Alpha Vantage)', () => {
  let fake: FakeAlphaVantage;
  beforeAll(async () => {
    fake = await startFakeAlphaVantage({ apiKey: KEY, fundamentals: { IBM: loadFundamentalFixtures() } });
  });
  afterAll(() => fake.close());
  const env = () => ({ ALPHA_VANTAGE_API_KEY: KEY, DATA_ALPHA_VANTAGE_BASE_URL: fake.url, DATA_ALPHA_VANTAGE_REQUESTS_PER_MINUTE: '6000' });

  it('fetch stores the records over HTTP; show sees a report from its publication day on, never before', { timeout: 180_000 }, async () => {
    const cwd = tempCwd('ffe-fund-e2e-');
    const fetched = await runCli(['fundamentals', 'fetch', 'ibm', '--json'], { cwd, env: env() });
    expect(fetched.code, fetched.stderr).toBe(0);
    expect(JSON.parse(fetched.stdout)).toMatchObject([{ symbol: 'IBM', records: 21, earningsQuarters: 9, latestReport: '2025-01-29' }]);
    expect(fake.requests.filter((r) => r.params.symbol === 'IBM').map((r) => r.params.function)).toEqual(['OVERVIEW', 'EARNINGS', 'INCOME_STATEMENT']);

    // Offline for the rest: no key, no network.
    const before = await runCli(['fundamentals', 'show', 'IBM', '--as-of', '2025-01-28', '--json'], { cwd });
    expect(before.code, before.stderr).toBe(0);
    const b = JSON.parse(before.stdout) as { section: { surprises: { fiscalDateEnding: string }[]; overview: unknown }; price: number | null };
    expect(b.section.surprises[0].fiscalDateEnding).toBe('2024-09-30');
    expect(b.section.overview).toBeNull();
    // No IBM prices offline: the valuation says so instead of failing.
    expect(b.price).toBeNull();
    const on = await runCli(['fundamentals', 'show', 'IBM', '--as-of', '2025-01-29'], { cwd });
    expect(on.code, on.stderr).toBe(0);
    expect(on.stdout).toContain('IBM as of 2025-01-29T23:59:59.999Z; newest report 2025-01-29');
    expect(on.stdout).toMatch(/│ 2024-12-31 +│ 2025-01-29 +│ 3\.92 +│ 3\.75 +│ 4\.53% +│/);
    expect(on.stdout).toContain('growth YoY (quarter ending 2024-12-31): revenue 1.0%');

    const list = await runCli(['fundamentals', 'show'], { cwd });
    expect(list.stdout).toMatch(/│ IBM +│ 21 +│/);
  });

  it('bad input exits 2 with one line; a rate-limit reply exits 1 naming it; no key exits 2', { timeout: 180_000 }, async () => {
    const cwd = tempCwd('ffe-fund-e2e-');
    const crypto = await runCli(['fundamentals', 'fetch', 'IBM', 'BTCUSD'], { cwd, env: env() });
    expect([crypto.code, crypto.stderr]).toEqual([2, 'ffe: fundamentals exist for stocks only; "BTCUSD" is crypto (give a ticker such as IBM)\n']);
    const date = await runCli(['fundamentals', 'show', 'IBM', '--as-of', 'yesterday'], { cwd });
    expect([date.code, date.stderr]).toEqual([2, 'ffe: --as-of "yesterday" is not a date (expected YYYY-MM-DD or ISO 8601)\n']);
    const noKey = await runCli(['fundamentals', 'fetch', 'IBM'], { cwd });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/Alpha Vantage needs an API key/);

    fake.setMode('rate-limited-note');
    try {
      const limited = await runCli(['fundamentals', 'fetch', 'IBM'], { cwd, env: env() });
      expect(limited.code).toBe(1);
      expect(limited.stderr).toMatch(/Alpha Vantage rate limit \(OVERVIEW\): .*API call frequency/);
      expect(limited.stderr).not.toContain(KEY);
    } finally {
      fake.setMode('normal');
    }
    // Nothing half-written.
    const shown = await runCli(['fundamentals', 'show', '--json'], { cwd });
    expect(JSON.parse(shown.stdout)).toEqual([]);
  });
});
