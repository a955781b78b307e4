import type { Config } from '../config/schema.js';
import type { Decision } from '../core/decision.js';
import type { Freshness } from '../core/freshness.js';
import type { MarketStatus } from '../core/market-schedule.js';
import type { Decimal, OrderSide } from '../core/order.js';
import type { AssetClass } from '../core/pair.js';

export type RiskConfig = Config['risk'];

/**
 * One holding as the risk checks see it. Money is in the account currency and, like every
 * ratio here, analytics only (numbers, not the decimal strings used for bookkeeping).
 */
export interface Exposure {
  pair: string;
  assetClass: AssetClass;
  /** Signed: positive long, negative short. */
  units: number;
  price: number;
}

export interface ProposedTrade {
  pair: string;
  assetClass: AssetClass;
  side: OrderSide;
  units: number;
  price: number;
  /** The trade only shrinks an existing position (a close, or an opposite order no larger than it). */
  reducesExposure: boolean;
}

/** Daily simple returns of one asset, keyed by the UTC day (ms) of the later close, oldest first. */
export interface ReturnSeries {
  dates: number[];
  values: number[];
  /** What the daily closes were built from, when known: "1d bars", "1m bars resampled to daily" (a pair with no daily history of its own). */
  basis?: string;
}

/** Everything the checks read, computed from the venue, the store and market data. */
export interface PortfolioContext {
  /** ms: the account's clock (equity snapshots, day boundaries). */
  now: number;
  /** ms: the market data's now (the sample's end for offline data); returns end here. */
  marketNow: number;
  currency: string;
  equity: number;
  /** Holdings before the trade. */
  positions: Exposure[];
  trade: ProposedTrade;
  /** Equity over the drawdown lookback, oldest first, ending with the current equity. */
  equityCurve: { at: number; equity: number }[];
  /** Equity at the first snapshot of the current UTC day (the current equity when there is none). */
  dayStartEquity: number;
  /** Daily returns of every pair involved (the holdings and the trade). */
  returns: Record<string, ReturnSeries>;
  market: { status: MarketStatus; freshness: Freshness; quoteAt: number };
}

export type CheckStatus = 'pass' | 'deny' | 'exempt' | 'disabled';

export interface CheckResult {
  check: string;
  status: CheckStatus;
  /** Stable reason code when denied (e.g. `VAR_LIMIT`). */
  code?: string;
  message: string;
  value: number | null;
  limit: number | null;
}

export interface Denial {
  code: string;
  check: string;
  message: string;
  value: number | null;
  limit: number | null;
}

export interface GateResult {
  approved: boolean;
  denials: Denial[];
  checks: CheckResult[];
}

export interface CheckInput {
  /** Null for orders that come from no decision (closing a position by hand). */
  decision: Decision | null;
  ctx: PortfolioContext;
  limits: RiskConfig;
  /** Only a denial's message will be read (the backtest's gate): a pass may skip writing its message. */
  quiet?: boolean;
}

export interface RiskCheck {
  /** Key in `risk.checks` that switches it on and off. */
  readonly name: keyof RiskConfig['checks'];
  /** Entry-only checks do not apply to trades that reduce exposure. */
  readonly entryOnly: boolean;
  run(input: CheckInput): Omit<CheckResult, 'check'>;
}

export const pass = (message: string, value: number | null = null, limit: number | null = null): Omit<CheckResult, 'check'> => ({ status: 'pass', message, value, limit });
export const deny = (code: string, message: string, value: number | null = null, limit: number | null = null): Omit<CheckResult, 'check'> => ({
  status: 'deny',
  code,
  message,
  value,
  limit,
});

/**
 * The last context's exposures, kept while its holdings and trade are the same objects: four
 * checks ask for them on every entry, and the backtest's gate asks once per refused bar.
 */
let lastCtx: PortfolioContext | null = null;
let lastPositions: Exposure[] | null = null;
let lastTrade: ProposedTrade | null = null;
let lastUnits = 0;
let lastCount = 0;
let lastExposures: readonly Exposure[] = [];

/**
 * Signed exposure per pair after the trade fills. The checks share one list per context: it is
 * read-only by its type, not frozen (Object.freeze of a fresh array is a runtime call that cost as
 * much as building the list, on every gated entry of a backtest).
 */
export function exposuresAfter(ctx: PortfolioContext): readonly Exposure[] {
  // Identity plus the fields an in-place edit would most likely touch: a caller that edits a context keeps correct answers.
  const same = ctx === lastCtx && ctx.positions === lastPositions && ctx.trade === lastTrade && ctx.trade.units === lastUnits && ctx.positions.length === lastCount;
  if (same) return lastExposures;
  lastExposures = computeExposuresAfter(ctx);
  lastCtx = ctx;
  lastPositions = ctx.positions;
  lastTrade = ctx.trade;
  lastUnits = ctx.trade.units;
  lastCount = ctx.positions.length;
  return lastExposures;
}

function computeExposuresAfter(ctx: PortfolioContext): Exposure[] {
  const t = ctx.trade;
  // The usual entry of a backtest: nothing held, the trade alone (a list of its size, no growth).
  if (ctx.positions.length === 0) {
    const alone = traded(t, 0);
    return kept(alone) ? [alone] : [];
  }
  // A list searched by pair instead of a Map (a handful of holdings): merged entries keep the
  // place of the pair's first holding and the trade's pair comes last unless held, as the Map's
  // insertion order gave.
  const out: Exposure[] = [];
  for (const p of ctx.positions) {
    const k = indexOfPair(out, p.pair);
    if (k < 0) out.push({ ...p });
    else out[k] = { ...out[k], units: out[k].units + p.units };
  }
  const k = indexOfPair(out, t.pair);
  if (k < 0) out.push(traded(t, 0));
  else out[k] = traded(t, out[k].units);
  let n = 0;
  for (let i = 0; i < out.length; i++) if (kept(out[i])) out[n++] = out[i];
  if (n < out.length) out.length = n;
  return out;
}

/** The trade's pair after it fills on `held` units, at the trade's price. */
const traded = (t: ProposedTrade, held: number): Exposure => ({ pair: t.pair, assetClass: t.assetClass, price: t.price, units: held + (t.side === 'buy' ? t.units : -t.units) });

/** Float residue of a full close (0.3 − 0.1 − 0.2) is not a position. */
const kept = (e: Exposure): boolean => Math.abs(e.units) > 1e-12;

function indexOfPair(list: readonly Exposure[], pair: string): number {
  for (let i = 0; i < list.length; i++) if (list[i].pair === pair) return i;
  return -1;
}

export const notional = (e: Exposure): number => e.units * e.price;

/** Account value at one moment: the equity curve drawdown and daily-loss checks read. */
export interface EquitySnapshot {
  /** `paper` or `live`: the two accounts never share a curve. */
  account: string;
  /** ms. */
  at: number;
  equity: Decimal;
  currency: string;
  /** What took it: `execution`, `balance`, `dashboard`, `reconcile`... */
  source: string;
}

/**
 * "; days from ETHBTC 1m bars resampled to daily" when some of `pairs` (all of `returns`' pairs
 * when not given) have no daily bars of their own and the checks ran on days built from finer
 * ones (the reason says so); "" otherwise, found without building a list (the VaR check asks on
 * every gated entry).
 */
export function resampledBasis(returns: Record<string, ReturnSeries | undefined>, pairs?: readonly string[]): string {
  let parts: string[] | null = null;
  if (pairs) for (const p of pairs) parts = noteBasis(parts, p, returns[p]);
  // Own keys in Object.keys' order, without its array.
  else for (const p in returns) if (Object.hasOwn(returns, p)) parts = noteBasis(parts, p, returns[p]);
  return parts ? `; days from ${parts.join(', ')}` : '';
}

/** `parts` with "PAIR basis" added when the pair's days were not daily bars of its own. */
function noteBasis(parts: string[] | null, pair: string, s: ReturnSeries | undefined): string[] | null {
  const b = s?.basis;
  if (!b || b === '1d bars') return parts;
  (parts ??= []).push(`${pair} ${b}`);
  return parts;
}
