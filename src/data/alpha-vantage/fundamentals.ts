import { dateMs, incomeVisibleFrom, publishedVisibleFrom, type FundamentalRecord, type FundamentalValues } from '../../core/fundamentals.js';
import { dataError, inputError, type FfeError } from '../../core/errors.js';
import { AlphaVantageClient, type AlphaVantageOptions } from './client.js';

/**
 * OVERVIEW, EARNINGS and INCOME_STATEMENT replies. Every number arrives as a string ("2.43");
 * the service writes "None" (and in OVERVIEW sometimes "-") for a value it does not have, which
 * becomes null. Anything else that is not a number, a missing required field, or a date that is
 * not YYYY-MM-DD is ALPHA_VANTAGE_BAD_PAYLOAD naming the function and the field.
 */

export type FundamentalFunction = 'OVERVIEW' | 'EARNINGS' | 'INCOME_STATEMENT';

export interface EarningsQuarter {
  fiscalDateEnding: string;
  reportedDate: string;
  reportedEps: number | null;
  estimatedEps: number | null;
  surprise: number | null;
  surprisePercent: number | null;
}

export interface IncomeReport {
  fiscalDateEnding: string;
  currency: string | null;
  totalRevenue: number | null;
  grossProfit: number | null;
  operatingIncome: number | null;
  netIncome: number | null;
}

/** The OVERVIEW fields FFE keeps (the rest is company description and ratings). */
export const OVERVIEW_FIELDS = {
  PERatio: 'peRatio',
  PEGRatio: 'pegRatio',
  PriceToBookRatio: 'priceToBook',
  EPS: 'eps',
  MarketCapitalization: 'marketCap',
  BookValue: 'bookValue',
  ForwardPE: 'forwardPe',
  QuarterlyEarningsGrowthYOY: 'quarterlyEarningsGrowthYoY',
  QuarterlyRevenueGrowthYOY: 'quarterlyRevenueGrowthYoY',
  DividendYield: 'dividendYield',
  Beta: 'beta',
} as const;

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const MISSING = new Set(['None', '-', '']);

const bad = (fn: FundamentalFunction, message: string): FfeError => dataError('ALPHA_VANTAGE_BAD_PAYLOAD', `Alpha Vantage ${fn}: ${message}`, { function: fn });

function object(fn: FundamentalFunction, v: unknown, where: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw bad(fn, `${where} is not an object`);
  return v as Record<string, unknown>;
}

function text(fn: FundamentalFunction, o: Record<string, unknown>, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw bad(fn, `${where}${key} is ${v === undefined ? 'missing' : `not a string (${JSON.stringify(v)})`}`);
  return v;
}

/** A number field: required to be present, "None"/"-" → null. */
function amount(fn: FundamentalFunction, o: Record<string, unknown>, key: string, where: string, optional = false): number | null {
  const v = o[key];
  if (v === undefined && optional) return null;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string') throw bad(fn, `${where}${key} is ${v === undefined ? 'missing' : `not a number (${JSON.stringify(v)})`}`);
  const t = v.trim();
  if (MISSING.has(t)) return null;
  if (!NUMBER.test(t)) throw bad(fn, `${where}${key} "${v}" is not a number`);
  return Number(t);
}

function date(fn: FundamentalFunction, o: Record<string, unknown>, key: string, where: string): string {
  const v = text(fn, o, key, where).trim();
  if (Number.isNaN(dateMs(v))) throw bad(fn, `${where}${key} "${v}" is not a YYYY-MM-DD date`);
  return v;
}

function list(fn: FundamentalFunction, body: Record<string, unknown>, key: string): unknown[] {
  const v = body[key];
  if (!Array.isArray(v)) throw bad(fn, `${key} is ${v === undefined ? 'missing' : 'not a list'}`);
  return v;
}

/**
 * The service answers `{}` for a symbol it has no fundamentals for (ETFs, unknown tickers): that
 * is the port's PAIR_NOT_AVAILABLE. A reply about another symbol is a bad payload.
 */
function checkSymbol(fn: FundamentalFunction, body: Record<string, unknown>, key: string, symbol: string): void {
  if (Object.keys(body).length === 0) throw inputError('PAIR_NOT_AVAILABLE', `Alpha Vantage has no ${fn} data for ${symbol} (empty reply)`, { pair: symbol, function: fn });
  const got = text(fn, body, key, '');
  if (got.toUpperCase() !== symbol.toUpperCase()) throw bad(fn, `reply is for ${key} "${got}", not "${symbol}"`);
}

export function parseEarnings(json: unknown, symbol: string): EarningsQuarter[] {
  const fn = 'EARNINGS';
  const body = object(fn, json, 'reply');
  checkSymbol(fn, body, 'symbol', symbol);
  return list(fn, body, 'quarterlyEarnings').map((raw, i) => {
    const where = `quarterlyEarnings[${i}].`;
    const q = object(fn, raw, `quarterlyEarnings[${i}]`);
    return {
      fiscalDateEnding: date(fn, q, 'fiscalDateEnding', where),
      reportedDate: date(fn, q, 'reportedDate', where),
      reportedEps: amount(fn, q, 'reportedEPS', where),
      estimatedEps: amount(fn, q, 'estimatedEPS', where),
      surprise: amount(fn, q, 'surprise', where, true),
      surprisePercent: amount(fn, q, 'surprisePercentage', where, true),
    };
  });
}

export function parseIncomeStatement(json: unknown, symbol: string): { quarterly: IncomeReport[]; annual: IncomeReport[] } {
  const fn = 'INCOME_STATEMENT';
  const body = object(fn, json, 'reply');
  checkSymbol(fn, body, 'symbol', symbol);
  const reports = (key: string) =>
    list(fn, body, key).map((raw, i): IncomeReport => {
      const where = `${key}[${i}].`;
      const r = object(fn, raw, `${key}[${i}]`);
      return {
        fiscalDateEnding: date(fn, r, 'fiscalDateEnding', where),
        currency: typeof r.reportedCurrency === 'string' ? r.reportedCurrency : null,
        totalRevenue: amount(fn, r, 'totalRevenue', where),
        grossProfit: amount(fn, r, 'grossProfit', where, true),
        operatingIncome: amount(fn, r, 'operatingIncome', where, true),
        netIncome: amount(fn, r, 'netIncome', where),
      };
    });
  return { quarterly: reports('quarterlyReports'), annual: reports('annualReports') };
}

export type OverviewValues = { latestQuarter: string | null } & Record<(typeof OVERVIEW_FIELDS)[keyof typeof OVERVIEW_FIELDS], number | null>;

export function parseOverview(json: unknown, symbol: string): OverviewValues {
  const fn = 'OVERVIEW';
  const body = object(fn, json, 'reply');
  checkSymbol(fn, body, 'Symbol', symbol);
  const out: Record<string, number | string | null> = {};
  for (const [wire, name] of Object.entries(OVERVIEW_FIELDS)) out[name] = amount(fn, body, wire, '', wire !== 'PERatio' && wire !== 'MarketCapitalization');
  const lq = typeof body.LatestQuarter === 'string' && !MISSING.has(body.LatestQuarter) ? date(fn, body, 'LatestQuarter', '') : null;
  return { ...(out as Record<string, number | null>), latestQuarter: lq } as OverviewValues;
}

export interface ParsedFundamentals {
  overview: OverviewValues;
  earnings: EarningsQuarter[];
  income: { quarterly: IncomeReport[]; annual: IncomeReport[] };
}

const SOURCE = 'alpha-vantage';

/**
 * Point-in-time records of one fetch (rules in src/core/fundamentals.ts): earnings visible from
 * their publication, income statements from the same period's earnings publication or the filing
 * lag, the overview from `fetchedAt`. An annual statement takes the publication of the quarter
 * ending on the same day (the fourth-quarter release carries the year's figures).
 */
export function toRecords(symbol: string, f: ParsedFundamentals, fetchedAt: number): FundamentalRecord[] {
  const sym = symbol.toUpperCase();
  const published = new Map(f.earnings.map((q) => [q.fiscalDateEnding, q.reportedDate]));
  const base = { symbol: sym, fetchedAt, source: SOURCE };
  const out: FundamentalRecord[] = [];
  for (const q of f.earnings) {
    const { fiscalDateEnding, reportedDate, ...values } = q;
    out.push({ ...base, kind: 'earnings_quarterly', periodEnd: fiscalDateEnding, reportedDate, visibleFrom: publishedVisibleFrom(reportedDate), values });
  }
  for (const [annual, reports] of [
    [false, f.income.quarterly],
    [true, f.income.annual],
  ] as const) {
    for (const r of reports) {
      const { fiscalDateEnding, ...values } = r;
      const reportedDate = published.get(fiscalDateEnding) ?? null;
      out.push({
        ...base,
        kind: annual ? 'income_annual' : 'income_quarterly',
        periodEnd: fiscalDateEnding,
        reportedDate,
        visibleFrom: incomeVisibleFrom(fiscalDateEnding, annual, reportedDate),
        values: values as FundamentalValues,
      });
    }
  }
  out.push({ ...base, kind: 'overview', periodEnd: new Date(fetchedAt).toISOString(), reportedDate: null, visibleFrom: fetchedAt, values: f.overview });
  return out;
}

/**
 * Fundamentals of US stocks from Alpha Vantage, through the same client (rate limiter, cache,
 * key scrubbing) as its market data. One fetch is three calls; at the free tier's 5 a minute
 * with a burst of 1 that is about 25 s. All three must succeed: nothing of a partial fetch is kept.
 */
export class AlphaVantageFundamentals {
  readonly name = SOURCE;
  private readonly client: AlphaVantageClient;

  constructor(opts: AlphaVantageOptions) {
    this.client = new AlphaVantageClient(opts);
  }

  get requestCount(): number {
    return this.client.requestCount;
  }

  async parsed(symbol: string, signal?: AbortSignal): Promise<ParsedFundamentals> {
    const sym = symbol.toUpperCase();
    const overview = await this.client.get({ function: 'OVERVIEW', symbol: sym }, (j) => parseOverview(j, sym), signal);
    const earnings = await this.client.get({ function: 'EARNINGS', symbol: sym }, (j) => parseEarnings(j, sym), signal);
    const income = await this.client.get({ function: 'INCOME_STATEMENT', symbol: sym }, (j) => parseIncomeStatement(j, sym), signal);
    return { overview, earnings, income };
  }

  /** Every record of `symbol`, stamped with its visibility; `fetchedAt` defaults to the client's clock. */
  async fetch(symbol: string, signal?: AbortSignal, fetchedAt?: number): Promise<FundamentalRecord[]> {
    const parsed = await this.parsed(symbol, signal);
    return toRecords(symbol, parsed, fetchedAt ?? this.client.now());
  }
}
