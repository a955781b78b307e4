import { getMarketStatus, type MarketStatus } from '../core/market-schedule.js';
import type { AssetClass } from '../core/pair.js';
import { TIMEFRAME_MS, type Timeframe } from '../core/timeframe.js';
import type { FillModel } from './types.js';

const NEXT_SESSION: MarketStatus = { isOpen: true, session: 'Next session', reason: 'daily bars: the order fills at the next session open' };
const NEXT_OPEN: MarketStatus = { isOpen: true, session: 'Next open', reason: "the order fills at the next bar's open, when the market trades again" };

/**
 * Market status for a decision at a bar close `t`. A daily bar closes at midnight UTC, when stock
 * and (on Fridays) forex markets are shut, yet its orders fill at the next session's open: the
 * session, not the stamp, is what is traded. An intraday order filled at the next bar's open
 * meets the market as it is then: a bar closing with its market (16:00 New York, Friday 17:00
 * for forex) is followed by one in the next session. `nextOpen` is when the next bar starts (the
 * schedule of the data, not its prices); without it, or for fills at the close, the real
 * schedule at `t` applies.
 */
export function backtestMarketStatus(assetClass: AssetClass, t: number, timeframe: Timeframe, fill: FillModel, nextOpen?: number): MarketStatus {
  if (timeframe === '1d') return NEXT_SESSION;
  const status = getMarketStatus(assetClass, t);
  if (status.isOpen || fill === 'close' || nextOpen === undefined) return status;
  return isOpen(assetClass, openFrom(assetClass, nextOpen, nextOpen + TIMEFRAME_MS[timeframe])) ? NEXT_OPEN : status;
}

const MINUTE = 60_000;
// Sessions open and close on New York quarter hours, which are UTC quarter hours too.
const QUARTER = 15 * MINUTE;
const isOpen = (market: AssetClass, at: number) => getMarketStatus(market, at).isOpen;

/** The first minute in [from, to) at which `market` is open; `from` when there is none (the gate then says closed). */
export function openFrom(market: AssetClass, from: number, to: number): number {
  if (market === 'crypto' || isOpen(market, from)) return from;
  for (let x = Math.ceil(from / QUARTER) * QUARTER; x < to; x += QUARTER) if (isOpen(market, x)) return x;
  return from;
}

/** The last minute in (after, before] at which `market` was open; `before` when there is none. */
export function closeBefore(market: AssetClass, before: number, after: number): number {
  if (market === 'crypto' || isOpen(market, before)) return before;
  for (let x = Math.floor(before / QUARTER) * QUARTER; x > after; x -= QUARTER) {
    if (!isOpen(market, x)) continue;
    while (x + MINUTE < before && isOpen(market, x + MINUTE)) x += MINUTE;
    return x;
  }
  return before;
}
