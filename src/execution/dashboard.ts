import { classifyPair } from '../core/pair.js';
import type { AccountSnapshot } from './account.js';

export interface Holding {
  venue: string;
  /** Asset held: a position's base asset or a cash currency. */
  asset: string;
  pair: string | null;
  side: 'long' | 'short' | 'cash';
  units: number;
  price: number | null;
  /** Gross value in the account currency (|units| × mark for positions). */
  value: number;
  unrealizedPnl: number;
}

export interface Allocation {
  name: string;
  value: number;
  /** Share of the total value (0.25 = 25 %); shares add up to more than 1 only with leverage. */
  fraction: number;
}

export interface Dashboard {
  mode: string;
  modeNote: string;
  currency: string;
  /** The venue's equity: cash plus positions at mark. */
  totalValue: number;
  holdings: Holding[];
  byVenue: Allocation[];
  byAsset: Allocation[];
  balances: AccountSnapshot['balances'];
  /** Balances in other currencies, listed but not valued (no conversion rate at hand). */
  unvalued: { currency: string; total: string }[];
}

function allocate(holdings: Holding[], key: (h: Holding) => string, total: number): Allocation[] {
  const sums = new Map<string, number>();
  for (const h of holdings) sums.set(key(h), (sums.get(key(h)) ?? 0) + h.value);
  return [...sums]
    .map(([name, value]) => ({ name, value, fraction: total > 0 ? value / total : 0 }))
    .sort((a, b) => b.value - a.value);
}

/** Total value, holdings and allocation per venue and per asset, from one account snapshot. */
export function buildDashboard(s: AccountSnapshot): Dashboard {
  const base = (pair: string) => {
    try {
      return classifyPair(pair).base;
    } catch {
      return pair;
    }
  };
  const positions: Holding[] = s.positions.map((p) => {
    const price = p.markPrice !== null ? Number(p.markPrice) : Number(p.entryPrice);
    return {
      venue: p.venue || s.venue,
      asset: base(p.pair),
      pair: p.pair,
      side: p.side,
      units: Number(p.units),
      price,
      value: Math.abs(Number(p.units) * price),
      unrealizedPnl: Number(p.unrealizedPnl),
    };
  });
  const total = Number(s.equity);
  // What no position ties up. Spot venues hold it as cash; margin venues (paper, Oanda) keep cash
  // and book positions as exposure, so equity minus exposure is the one measure for both.
  const free = Math.max(0, total - positions.reduce((a, h) => a + h.value, 0));
  const cash: Holding = { venue: s.venue, asset: s.currency, pair: null, side: 'cash', units: free, price: 1, value: free, unrealizedPnl: 0 };
  const holdings = free > 0 ? [...positions, cash] : positions;
  return {
    mode: s.mode,
    modeNote: s.modeNote,
    currency: s.currency,
    totalValue: total,
    holdings,
    byVenue: allocate(holdings, (h) => h.venue, total),
    byAsset: allocate(holdings, (h) => h.asset, total),
    balances: s.balances,
    unvalued: s.balances.filter((b) => b.currency !== s.currency).map((b) => ({ currency: b.currency, total: b.total })),
  };
}
