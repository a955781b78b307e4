import { describe, expect, it } from 'vitest';
import type { FundamentalRecord } from '../core/fundamentals.js';
import { parseEarnings, parseIncomeStatement, parseOverview, toRecords } from '../data/alpha-vantage/fundamentals.js';
import { loadFundamentalFixtures } from '../../test/fakes/alpha-vantage-server.js';
import { buildFundamentalsSection, FUNDAMENTAL_FEATURE_NAMES, fundamentalFeatures } from './fundamentals.js';

const fx = loadFundamentalFixtures();
const FETCHED = Date.parse('2025-03-01T12:00:00Z');
const records: FundamentalRecord[] = toRecords('IBM', { overview: parseOverview(fx.OVERVIEW, 'IBM'), earnings: parseEarnings(fx.EARNINGS, 'IBM'), income: parseIncomeStatement(fx.INCOME_STATEMENT, 'IBM') }, FETCHED);
const at = (iso: string) => Date.parse(iso);

describe('buildFundamentalsSection: point in time', () => {
  it('a report is not visible the day before its reportedDate and is on it (after 22:00 UTC)', () => {
    // Q4 2024 was reported 2025-01-29.
    const before = buildFundamentalsSection('IBM', at('2025-01-28T23:59:59Z'), 220, records)!;
    expect(before.surprises[0].fiscalDateEnding).toBe('2024-09-30');
    expect(before.latestReport).toBe('2024-10-23');
    expect(before.growth.quarter).toBe('2024-09-30');
    const on = buildFundamentalsSection('IBM', at('2025-01-29T22:00:00Z'), 220, records)!;
    expect(on.surprises[0]).toEqual({ fiscalDateEnding: '2024-12-31', reportedDate: '2025-01-29', reportedEps: 3.92, estimatedEps: 3.75, surprisePercent: 4.5333 });
    expect(on.latestReport).toBe('2025-01-29');
    expect(on.growth.quarter).toBe('2024-12-31');
  });

  it('the overview appears only at or after its fetch time; before any report there is no section', () => {
    expect(buildFundamentalsSection('IBM', FETCHED - 1, 220, records)!.overview).toBeNull();
    expect(buildFundamentalsSection('IBM', FETCHED - 1, 220, records)!.valuation.priceToBook).toBeNull();
    const now = buildFundamentalsSection('IBM', FETCHED, 220, records)!;
    expect(now.overview).toEqual({ fetchedAt: FETCHED, peRatio: 37.63, pegRatio: 2.171, priceToBook: 8.78, marketCap: 240_183_476_000, eps: 6.87 });
    expect(now.valuation.priceToBook).toBe(8.78);
    expect(buildFundamentalsSection('IBM', at('2022-01-01T00:00:00Z'), 220, records)).toBeNull();
    expect(buildFundamentalsSection('MSFT', FETCHED, 220, records)).toBeNull();
  });

  it('valuation: P/E = price / trailing four reported EPS; PEG over trailing EPS growth; growth YoY from visible quarters', () => {
    const s = buildFundamentalsSection('IBM', at('2025-02-15T00:00:00Z'), 206.6, records)!;
    // 3.92 + 2.30 + 2.43 + 1.68 = 10.33; the year before 3.87 + 2.20 + 2.18 + 1.36 = 9.61.
    expect(s.valuation.trailingEps).toBeCloseTo(10.33, 10);
    expect(s.valuation.pe).toBeCloseTo(206.6 / 10.33, 10);
    expect(s.valuation.peg).toBeCloseTo(206.6 / 10.33 / ((10.33 / 9.61 - 1) * 100), 10);
    expect(s.growth.revenueYoY).toBeCloseTo(17_553 / 17_381 - 1, 10);
    expect(s.growth.netIncomeYoY).toBeCloseTo((2915 - 3288) / 3288, 10);
    expect(s.growth.epsYoY).toBeCloseTo((3.92 - 3.87) / 3.87, 10);
    expect(s.surprises.map((x) => x.fiscalDateEnding)).toEqual(['2024-12-31', '2024-09-30', '2024-06-30', '2024-03-31']);
  });

  it('fewer than four visible quarters: no P/E; a loss the year before: growth against its magnitude', () => {
    const s = buildFundamentalsSection('IBM', at('2023-08-01T00:00:00Z'), 140, records)!;
    // Visible: 2022-12-31, 2023-03-31, 2023-06-30 earnings.
    expect(s.surprises).toHaveLength(3);
    expect([s.valuation.pe, s.valuation.trailingEps, s.valuation.peg]).toEqual([null, null, null]);
    const loss = buildFundamentalsSection('IBM', at('2024-11-01T00:00:00Z'), 200, records)!;
    // 2024-09-30 net income −330 M against 1 704 M for 2023-09-30.
    expect(loss.growth.netIncomeYoY).toBeCloseTo((-330 - 1704) / 1704, 10);
  });
});

describe('fundamentalFeatures', () => {
  it('every feature name, NaN where unknown; no section gives all NaN', () => {
    const none = fundamentalFeatures(null);
    expect(Object.keys(none)).toEqual([...FUNDAMENTAL_FEATURE_NAMES]);
    expect(Object.values(none).every(Number.isNaN)).toBe(true);

    const s = buildFundamentalsSection('IBM', at('2025-02-15T00:00:00Z'), 206.6, records)!;
    const f = fundamentalFeatures(s);
    expect(f.fund_pe).toBeCloseTo(206.6 / 10.33, 10);
    expect(f.fund_earnings_yield).toBeCloseTo(10.33 / 206.6, 10);
    expect(f.fund_price_to_book).toBeNaN();
    expect(f.fund_last_surprise_pct).toBe(4.5333);
    expect(f.fund_beat_share).toBe(1);
    // 2025-01-29 to 2025-02-15.
    expect(f.fund_days_since_report).toBe(17);
    expect(f.fund_mean_surprise_pct).toBeCloseTo((4.5333 + s.surprises[1].surprisePercent! + s.surprises[2].surprisePercent! + s.surprises[3].surprisePercent!) / 4, 10);
  });
});
