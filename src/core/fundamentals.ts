/**
 * Company fundamentals, stored point in time: each record carries the instant from which a
 * decision may see it (`visibleFrom`), so an analysis as of a past moment never reads a report
 * published after it. The rules (docs/fundamentals.md):
 *
 * - An earnings quarter is visible from its `reportedDate` at 22:00 UTC. The service gives a date,
 *   not a time; US companies publish before the open or after the close (16:00–16:30 New York,
 *   21:00–21:30 UTC in winter), so 22:00 UTC is after either, on the publication day.
 * - An income statement has only its period end: it is visible when the earnings of the same
 *   period end are, or else a conservative filing lag after the period end (45 days for a
 *   quarter, the SEC's 10-Q deadline for large filers is 40; 90 for a year, the 10-K's is 60-90).
 * - The company overview is a snapshot of the day it was fetched: visible from its fetch time only,
 *   so a backtest of the past never sees it.
 */

export type FundamentalKind = 'earnings_quarterly' | 'income_quarterly' | 'income_annual' | 'overview';
export const FUNDAMENTAL_KINDS: readonly FundamentalKind[] = ['earnings_quarterly', 'income_quarterly', 'income_annual', 'overview'];

/** Numbers of a record; null where the source says "None" or leaves the field out. */
export type FundamentalValues = Record<string, number | string | null>;

export interface FundamentalRecord {
  /** Stock ticker, upper case. */
  symbol: string;
  kind: FundamentalKind;
  /** The period end (YYYY-MM-DD); for an overview, the fetch instant (ISO). One record per (symbol, kind, periodEnd). */
  periodEnd: string;
  /** Publication date (YYYY-MM-DD) when the source gives one (earnings), else null. */
  reportedDate: string | null;
  /** ms: from this instant on a decision may see the record. */
  visibleFrom: number;
  /** ms: when FFE fetched it. */
  fetchedAt: number;
  /** Where it came from, e.g. `alpha-vantage`. */
  source: string;
  values: FundamentalValues;
}

export const REPORT_VISIBLE_HOUR_UTC = 22;
export const QUARTERLY_FILING_LAG_DAYS = 45;
export const ANNUAL_FILING_LAG_DAYS = 90;
const DAY_MS = 86_400_000;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` at 00:00 UTC in ms, or NaN when it is not a real calendar date. */
export function dateMs(text: string): number {
  const m = DATE.exec(text);
  if (!m) return Number.NaN;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3]);
  return new Date(ms).toISOString().slice(0, 10) === text ? ms : Number.NaN;
}

/** The instant a report published on `date` becomes visible (see the rules above). */
export const publishedVisibleFrom = (date: string): number => dateMs(date) + REPORT_VISIBLE_HOUR_UTC * 3_600_000;

/** An income statement's visibility: its period's earnings publication, else the period end plus the filing lag. */
export function incomeVisibleFrom(periodEnd: string, annual: boolean, earningsReportedDate: string | null): number {
  if (earningsReportedDate) return publishedVisibleFrom(earningsReportedDate);
  return publishedVisibleFrom(periodEnd) + (annual ? ANNUAL_FILING_LAG_DAYS : QUARTERLY_FILING_LAG_DAYS) * DAY_MS;
}

/** The fundamentals section of a stock's pulse: only what was visible at `asOf`. */
export interface FundamentalsSection {
  symbol: string;
  /** ms: the decision time the section was built for. */
  asOf: number;
  /** Newest publication (or visibility) date among the records used, YYYY-MM-DD; null when none. */
  latestReport: string | null;
  valuation: {
    /** The decision's price the ratios are computed at. */
    price: number;
    /** Price / trailing four quarters of reported EPS (null: fewer than four visible quarters, or trailing EPS ≤ 0). */
    pe: number | null;
    trailingEps: number | null;
    /** P/E / trailing EPS growth in percent (null when growth is not positive or unknown). */
    peg: number | null;
    /** From the newest overview fetched at or before `asOf` (the service's own figure), else null. */
    priceToBook: number | null;
  };
  growth: {
    /** Fiscal period end of the newest visible quarter used. */
    quarter: string | null;
    /** Fractions: 0.12 is +12 % against the same quarter a year earlier. */
    revenueYoY: number | null;
    netIncomeYoY: number | null;
    epsYoY: number | null;
  };
  /** Last four visible earnings, newest first. */
  surprises: Array<{ fiscalDateEnding: string; reportedDate: string; reportedEps: number | null; estimatedEps: number | null; surprisePercent: number | null }>;
  /** The newest overview snapshot fetched at or before `asOf`, or null (always null for the past). */
  overview: { fetchedAt: number; peRatio: number | null; pegRatio: number | null; priceToBook: number | null; marketCap: number | null; eps: number | null } | null;
}
