import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FfeError } from '../../core/errors.js';
import { loadFundamentalFixtures, startFakeAlphaVantage, type FakeAlphaVantage } from '../../../test/fakes/alpha-vantage-server.js';
import { AlphaVantageFundamentals, parseEarnings, parseIncomeStatement, parseOverview, toRecords } from './fundamentals.js';

const KEY = 'FUND-KEY-77QX';
const fx = loadFundamentalFixtures();

/** The FfeError `f` throws (a test failure when it returns or throws anything else). */
function failure(f: () => unknown): FfeError {
  let caught: unknown = null;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(FfeError);
  return caught as FfeError;
}

const failureOf = (p: Promise<unknown>): Promise<FfeError> =>
  p.then(
    () => failure(() => undefined),
    (e: unknown) => failure(() => { throw e; }),
  );

describe('fundamentals parsing (documented payloads)', () => {
  it('EARNINGS: quarters with report dates, numbers from strings, "None" as null', () => {
    const q = parseEarnings(fx.EARNINGS, 'IBM');
    expect(q).toHaveLength(9);
    expect(q[0]).toEqual({ fiscalDateEnding: '2024-12-31', reportedDate: '2025-01-29', reportedEps: 3.92, estimatedEps: 3.75, surprise: 0.17, surprisePercent: 4.5333 });
    expect(q[8]).toEqual({ fiscalDateEnding: '2022-12-31', reportedDate: '2023-01-25', reportedEps: 3.6, estimatedEps: null, surprise: null, surprisePercent: null });
  });

  it('INCOME_STATEMENT: quarterly and annual reports with revenue and net income', () => {
    const r = parseIncomeStatement(fx.INCOME_STATEMENT, 'IBM');
    expect(r.quarterly).toHaveLength(9);
    expect(r.annual).toHaveLength(2);
    expect(r.quarterly[1]).toEqual({ fiscalDateEnding: '2024-09-30', currency: 'USD', totalRevenue: 14_968_000_000, grossProfit: 8_400_000_000, operatingIncome: 2_122_000_000, netIncome: -330_000_000 });
  });

  it('OVERVIEW: the valuation fields kept, "None" and "-" as null', () => {
    const o = parseOverview(fx.OVERVIEW, 'IBM');
    expect(o).toMatchObject({ peRatio: 37.63, pegRatio: 2.171, priceToBook: 8.78, eps: 6.87, marketCap: 240_183_476_000, latestQuarter: '2024-12-31' });
    const gaps = parseOverview({ ...(fx.OVERVIEW as object), PEGRatio: 'None', PriceToBookRatio: '-' }, 'IBM');
    expect([gaps.pegRatio, gaps.priceToBook]).toEqual([null, null]);
  });

  it('malformed replies are one ALPHA_VANTAGE_BAD_PAYLOAD naming the function and the field', () => {
    const earnings = structuredClone(fx.EARNINGS) as { quarterlyEarnings: Record<string, unknown>[] };
    earnings.quarterlyEarnings[2].reportedEPS = 'two';
    let e = failure(() => parseEarnings(earnings, 'IBM'));
    expect([e.code, e.message]).toEqual(['ALPHA_VANTAGE_BAD_PAYLOAD', 'Alpha Vantage EARNINGS: quarterlyEarnings[2].reportedEPS "two" is not a number']);

    delete earnings.quarterlyEarnings[0].reportedDate;
    e = failure(() => parseEarnings(earnings, 'IBM'));
    expect(e.message).toBe('Alpha Vantage EARNINGS: quarterlyEarnings[0].reportedDate is missing');

    e = failure(() => parseIncomeStatement({ symbol: 'IBM', annualReports: [] }, 'IBM'));
    expect(e.message).toBe('Alpha Vantage INCOME_STATEMENT: quarterlyReports is missing');

    const income = structuredClone(fx.INCOME_STATEMENT) as { quarterlyReports: Record<string, unknown>[] };
    income.quarterlyReports[0].fiscalDateEnding = '2024-13-31';
    e = failure(() => parseIncomeStatement(income, 'IBM'));
    expect(e.message).toBe('Alpha Vantage INCOME_STATEMENT: quarterlyReports[0].fiscalDateEnding "2024-13-31" is not a YYYY-MM-DD date');

    e = failure(() => parseOverview({ ...(fx.OVERVIEW as object), Symbol: 'MSFT' }, 'IBM'));
    expect(e.message).toBe('Alpha Vantage OVERVIEW: reply is for Symbol "MSFT", not "IBM"');
    e = failure(() => parseOverview([], 'IBM'));
    expect(e.code).toBe('ALPHA_VANTAGE_BAD_PAYLOAD');
  });

  it('an empty reply (no fundamentals for the ticker) is PAIR_NOT_AVAILABLE', () => {
    const e = failure(() => parseEarnings({}, 'SPY'));
    expect([e.code, e.kind]).toEqual(['PAIR_NOT_AVAILABLE', 'input']);
  });

  it('records: earnings from 22:00 UTC of the report date; income from its earnings, else the filing lag; overview from the fetch', () => {
    const fetchedAt = Date.parse('2025-03-01T12:00:00Z');
    const recs = toRecords('ibm', { overview: parseOverview(fx.OVERVIEW, 'IBM'), earnings: parseEarnings(fx.EARNINGS, 'IBM'), income: parseIncomeStatement(fx.INCOME_STATEMENT, 'IBM') }, fetchedAt);
    const find = (kind: string, end: string) => recs.find((r) => r.kind === kind && r.periodEnd === end)!;
    expect(recs.every((r) => r.symbol === 'IBM')).toBe(true);
    expect(find('earnings_quarterly', '2024-09-30').visibleFrom).toBe(Date.parse('2024-10-23T22:00:00Z'));
    expect(find('income_quarterly', '2024-09-30')).toMatchObject({ reportedDate: '2024-10-23', visibleFrom: Date.parse('2024-10-23T22:00:00Z') });
    // No earnings quarter ends 2022-09-30: 45 days after the period end.
    expect(find('income_quarterly', '2022-09-30')).toMatchObject({ reportedDate: null, visibleFrom: Date.parse('2022-11-14T22:00:00Z') });
    // The year ending 2024-12-31 comes out with the fourth quarter.
    expect(find('income_annual', '2024-12-31').visibleFrom).toBe(Date.parse('2025-01-29T22:00:00Z'));
    const ov = recs.find((r) => r.kind === 'overview')!;
    expect([ov.visibleFrom, ov.periodEnd]).toEqual([fetchedAt, '2025-03-01T12:00:00.000Z']);
  });
});

describe('AlphaVantageFundamentals against the loopback fake (real HTTP)', () => {
  let fake: FakeAlphaVantage;
  beforeAll(async () => {
    fake = await startFakeAlphaVantage({ apiKey: KEY, fundamentals: { IBM: loadFundamentalFixtures(), BAD: { OVERVIEW: { Symbol: 'BAD', PERatio: 'n/a', MarketCapitalization: '1' } } } });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.setMode('normal');
    fake.requests.length = 0;
  });
  const source = () => new AlphaVantageFundamentals({ apiKey: KEY, baseUrl: fake.url, requestsPerMinute: 60_000, burst: 100 });

  it('fetches the three functions and returns point-in-time records', async () => {
    const s = source();
    const recs = await s.fetch('IBM', undefined, Date.parse('2025-03-01T00:00:00Z'));
    expect(fake.requests.map((r) => r.params.function)).toEqual(['OVERVIEW', 'EARNINGS', 'INCOME_STATEMENT']);
    expect(fake.requests.every((r) => r.params.symbol === 'IBM' && r.params.apikey === KEY)).toBe(true);
    const count = (k: string) => recs.filter((r) => r.kind === k).length;
    expect([count('earnings_quarterly'), count('income_quarterly'), count('income_annual'), count('overview')]).toEqual([9, 9, 2, 1]);
    // A second fetch inside the cache TTL costs no calls.
    await s.fetch('IBM');
    expect(s.requestCount).toBe(3);
  });

  it('"Note: API call frequency", "Information" and "Error Message" replies are clear errors without the key', async () => {
    for (const [mode, code, words] of [
      ['rate-limited-note', 'RATE_LIMITED', /API call frequency/],
      ['rate-limited-information', 'RATE_LIMITED', /rate limit/],
      ['error-message', 'ALPHA_VANTAGE_ERROR', /Invalid API call/],
      ['premium', 'ALPHA_VANTAGE_PREMIUM', /premium/],
    ] as const) {
      fake.setMode(mode);
      const e = await failureOf(source().fetch('IBM'));
      expect(e.code).toBe(code);
      expect(e.message).toMatch(/OVERVIEW/);
      expect(e.message).toMatch(words);
      expect(e.message).not.toContain(KEY);
    }
  });

  it('a malformed body is ALPHA_VANTAGE_BAD_PAYLOAD naming the field; a ticker without fundamentals is PAIR_NOT_AVAILABLE', async () => {
    let e = await failureOf(source().fetch('BAD'));
    expect([e.code, e.message]).toEqual(['ALPHA_VANTAGE_BAD_PAYLOAD', 'Alpha Vantage OVERVIEW: PERatio "n/a" is not a number']);
    e = await failureOf(source().fetch('SPY'));
    expect(e.code).toBe('PAIR_NOT_AVAILABLE');
    fake.setMode('not-json');
    e = await failureOf(source().fetch('IBM'));
    expect(e.code).toBe('ALPHA_VANTAGE_BAD_PAYLOAD');
  });
});
