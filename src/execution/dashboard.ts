import { classifyPair } from '../core/pair.js';
import type { AccountSnapshot } from './account.js';

export interface Holding {
  venue: string;
  /** Asset held: a position's base asset or a cash currency. */
  asset: string;
  pair: string | null;
  side: 'long' | 'short' | 'cash';
  /** Signed: a short holds negative units (it owes the asset). */
  units: number;
  price: number | null;
  /** Signed value in the account currency (units × mark): a short is negative exposure. */
  value: number;
  unrealizedPnl: number;
}

export interface Allocation {
  name: string;
  value: number;
  /** Signed share of the total value (0.25 = 25 %; a short is negative); the shares add up to 1. */
  fraction: number;
}

export interface Exposure {
  /** Longs minus shorts at mark, in the account currency. */
  net: number;
  /** Longs plus shorts at mark. */
  gross: number;
  /** Each as a fraction of the total value (gross 1.5 = 1.5× equity). */
  netFraction: number;
  grossFraction: number;
}

export interface Dashboard {
  mode: string;
  modeNote: string;
  currency: string;
  /** The venue's equity: cash plus positions at mark. */
  totalValue: number;
  holdings: Holding[];
  exposure: Exposure;
  byVenue: Allocation[];
  byAsset: Allocation[];
  balances: AccountSnapshot['balances'];
  /** Balances in other currencies, listed but not valued (no conversion rate at hand). */
  unvalued: { currency: string; total: string }[];
}

function allocate(holdings: Holding[], key: (h: Holding) => string, total: number): Allocation[] {
  const sums = new Map<string, number>();
  for (const h of holdings) sums.set(key(h), (sums.get(key(h)) ?? 0) + h.value);
  return [...sums].map(([name, value]) => ({ name, value, fraction: total > 0 ? value / total : 0 })).sort((a, b) => b.value - a.value);
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
    // Venues report a position's units unsigned with a side; the dashboard counts a short as owed.
    const units = (p.side === 'short' ? -1 : 1) * Math.abs(Number(p.units));
    return {
      venue: p.venue || s.venue,
      asset: base(p.pair),
      pair: p.pair,
      side: p.side,
      units,
      price,
      value: units * price,
      unrealizedPnl: Number(p.unrealizedPnl),
    };
  });
  const total = Number(s.equity);
  const net = positions.reduce((a, h) => a + h.value, 0);
  const gross = positions.reduce((a, h) => a + Math.abs(h.value), 0);
  // Cash is equity minus the net exposure, on spot and margin venues alike: a short's sale proceeds
  // are cash against the asset it owes, and a long bought on margin shows as negative cash.
  const free = total - net;
  const cash: Holding = { venue: s.venue, asset: s.currency, pair: null, side: 'cash', units: free, price: 1, value: free, unrealizedPnl: 0 };
  const holdings = free !== 0 ? [...positions, cash] : positions;
  return {
    mode: s.mode,
    modeNote: s.modeNote,
    currency: s.currency,
    totalValue: total,
    holdings,
    exposure: { net, gross, netFraction: total > 0 ? net / total : 0, grossFraction: total > 0 ? gross / total : 0 },
    byVenue: allocate(holdings, (h) => h.venue, total),
    byAsset: allocate(holdings, (h) => h.asset, total),
    balances: s.balances,
    unvalued: s.balances.filter((b) => b.currency !== s.currency).map((b) => ({ currency: b.currency, total: b.total })),
  };
}
