import { dateMs, type FundamentalRecord, type FundamentalsSection } from '../core/fundamentals.js';
import type { FundamentalsRepository } from '../store/port.js';

/**
 * The fundamentals section of a stock's pulse, from the records visible at the decision time
 * (rules in src/core/fundamentals.ts and docs/fundamentals.md). Valuation is derived point in
 * time from the decision's price and the visible reports, not read from the overview, which is
 * a snapshot of its fetch day and appears only for decisions at or after it.
 */

const DAY_MS = 86_400_000;
/** Four quarters span about 9 months between their period ends; more than this means a gap in the reports. */
const MAX_TTM_SPAN_DAYS = 300;
/** "The same quarter a year earlier": period ends 365 ± 10 days apart (fiscal weeks move quarter ends by days). */
const YEAR_TOLERANCE_DAYS = 10;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const newestFirst = (a: FundamentalRecord, b: FundamentalRecord) => (a.periodEnd < b.periodEnd ? 1 : a.periodEnd > b.periodEnd ? -1 : 0);

/** Sum of `field` over four consecutive quarters from `from`, or null when one is missing or the span has a gap. */
function trailingSum(quarters: readonly FundamentalRecord[], from: number, field: string): number | null {
  const four = quarters.slice(from, from + 4);
  if (four.length < 4) return null;
  if ((dateMs(four[0].periodEnd) - dateMs(four[3].periodEnd)) / DAY_MS > MAX_TTM_SPAN_DAYS) return null;
  let sum = 0;
  for (const q of four) {
    const v = num(q.values[field]);
    if (v === null) return null;
    sum += v;
  }
  return sum;
}

/** The record of the same quarter a year before `q`, if visible. */
function yearEarlier(quarters: readonly FundamentalRecord[], q: FundamentalRecord): FundamentalRecord | null {
  const t = dateMs(q.periodEnd);
  return quarters.find((p) => Math.abs((t - dateMs(p.periodEnd)) / DAY_MS - 365) <= YEAR_TOLERANCE_DAYS) ?? null;
}

/** Relative change, against the magnitude of the base (a loss shrinking is growth); null when the base is 0 or unknown. */
function change(now: number | null, before: number | null): number | null {
  if (now === null || before === null || before === 0) return null;
  return (now - before) / Math.abs(before);
}

/**
 * The section for `symbol` at `asOf`, priced at `price`, from `records` (anything not visible at
 * `asOf` is ignored here too, whoever read them). Null when nothing is visible.
 */
export function buildFundamentalsSection(symbol: string, asOf: number, price: number, records: readonly FundamentalRecord[]): FundamentalsSection | null {
  const seen = records.filter((r) => r.visibleFrom <= asOf && r.symbol.toUpperCase() === symbol.toUpperCase());
  if (seen.length === 0) return null;
  const of = (kind: FundamentalRecord['kind']) => seen.filter((r) => r.kind === kind).sort(newestFirst);
  const earnings = of('earnings_quarterly');
  const income = of('income_quarterly');
  const overview = of('overview')[0] ?? null;

  const trailingEps = trailingSum(earnings, 0, 'reportedEps');
  const pe = trailingEps !== null && trailingEps > 0 && price > 0 ? price / trailingEps : null;
  const priorEps = trailingSum(earnings, 4, 'reportedEps');
  const epsGrowthPct = trailingEps !== null && priorEps !== null && priorEps > 0 ? (trailingEps / priorEps - 1) * 100 : null;
  const peg = pe !== null && epsGrowthPct !== null && epsGrowthPct > 0 ? pe / epsGrowthPct : null;

  const lastIncome = income[0] ?? null;
  const priorIncome = lastIncome ? yearEarlier(income, lastIncome) : null;
  const lastEarnings = earnings[0] ?? null;
  const priorEarnings = lastEarnings ? yearEarlier(earnings, lastEarnings) : null;
  const ov = overview?.values ?? null;

  const reports = seen.filter((r) => r.kind !== 'overview').map((r) => r.reportedDate ?? new Date(r.visibleFrom).toISOString().slice(0, 10));
  return {
    symbol: symbol.toUpperCase(),
    asOf,
    latestReport: reports.length ? reports.reduce((a, b) => (a > b ? a : b)) : null,
    valuation: { price, pe, trailingEps, peg, priceToBook: ov ? num(ov.priceToBook) : null },
    growth: {
      quarter: lastIncome?.periodEnd ?? lastEarnings?.periodEnd ?? null,
      revenueYoY: change(num(lastIncome?.values.totalRevenue), num(priorIncome?.values.totalRevenue)),
      netIncomeYoY: change(num(lastIncome?.values.netIncome), num(priorIncome?.values.netIncome)),
      epsYoY: change(num(lastEarnings?.values.reportedEps), num(priorEarnings?.values.reportedEps)),
    },
    surprises: earnings.slice(0, 4).map((q) => ({
      fiscalDateEnding: q.periodEnd,
      reportedDate: q.reportedDate ?? new Date(q.visibleFrom).toISOString().slice(0, 10),
      reportedEps: num(q.values.reportedEps),
      estimatedEps: num(q.values.estimatedEps),
      surprisePercent: num(q.values.surprisePercent),
    })),
    overview: overview && ov ? { fetchedAt: overview.fetchedAt, peRatio: num(ov.peRatio), pegRatio: num(ov.pegRatio), priceToBook: num(ov.priceToBook), marketCap: num(ov.marketCap), eps: num(ov.eps) } : null,
  };
}

/** What the analysis engine asks at decision time: the section of a stock, or null. */
export interface FundamentalsView {
  section(symbol: string, asOf: number, price: number): Promise<FundamentalsSection | null>;
}

/** The view over the store: reads only; fetching is explicit (`ffe fundamentals fetch`). */
export const storedFundamentals = (repo: FundamentalsRepository): FundamentalsView => ({
  section: async (symbol, asOf, price) => buildFundamentalsSection(symbol, asOf, price, await repo.visible(symbol, asOf)),
});

/** Names of the numeric features, in a fixed order (a model's columns). */
export const FUNDAMENTAL_FEATURE_NAMES = [
  'fund_pe',
  'fund_earnings_yield',
  'fund_peg',
  'fund_price_to_book',
  'fund_revenue_yoy',
  'fund_net_income_yoy',
  'fund_eps_yoy',
  'fund_last_surprise_pct',
  'fund_mean_surprise_pct',
  'fund_beat_share',
  'fund_days_since_report',
] as const;
export type FundamentalFeatureName = (typeof FUNDAMENTAL_FEATURE_NAMES)[number];

/**
 * The section as numbers for a model: every name of FUNDAMENTAL_FEATURE_NAMES, NaN where unknown
 * (no section, fewer than four quarters, no overview...), so the caller decides how to impute.
 * Growth figures are fractions, surprises percent (as the source gives them), the earnings yield
 * is trailing EPS / price (defined, unlike P/E, when earnings are negative), `fund_beat_share` the
 * share of the last (up to four) surprises above zero, and `fund_days_since_report` days from the
 * newest visible report to the decision time.
 */
export function fundamentalFeatures(section: FundamentalsSection | null | undefined): Record<FundamentalFeatureName, number> {
  const out = Object.fromEntries(FUNDAMENTAL_FEATURE_NAMES.map((k) => [k, Number.NaN])) as Record<FundamentalFeatureName, number>;
  if (!section) return out;
  const v = (x: number | null) => x ?? Number.NaN;
  const { valuation: val, growth } = section;
  out.fund_pe = v(val.pe);
  if (val.trailingEps !== null && val.price > 0) out.fund_earnings_yield = val.trailingEps / val.price;
  out.fund_peg = v(val.peg);
  out.fund_price_to_book = v(val.priceToBook);
  out.fund_revenue_yoy = v(growth.revenueYoY);
  out.fund_net_income_yoy = v(growth.netIncomeYoY);
  out.fund_eps_yoy = v(growth.epsYoY);
  const surprises = section.surprises.map((s) => s.surprisePercent).filter((x): x is number => x !== null);
  out.fund_last_surprise_pct = v(section.surprises[0]?.surprisePercent ?? null);
  if (surprises.length) {
    out.fund_mean_surprise_pct = surprises.reduce((a, b) => a + b, 0) / surprises.length;
    out.fund_beat_share = surprises.filter((x) => x > 0).length / surprises.length;
  }
  if (section.latestReport) out.fund_days_since_report = Math.floor((section.asOf - dateMs(section.latestReport)) / DAY_MS);
  return out;
}
