import { getMarketStatus, type MarketStatus } from '../core/market-schedule.js';
import type { AssetClass } from '../core/pair.js';
import type { Timeframe } from '../core/timeframe.js';

const NEXT_SESSION: MarketStatus = { isOpen: true, session: 'Next session', reason: 'daily bars: the order fills at the next session open' };

/**
 * Market status for a decision at a bar close. A daily bar closes at midnight UTC, when stock
 * and (on Fridays) forex markets are shut, yet its orders fill at the next session's open: the
 * session, not the stamp, is what is traded. Intraday bars use the real schedule.
 */
export const backtestMarketStatus = (assetClass: AssetClass, t: number, timeframe: Timeframe): MarketStatus =>
  timeframe === '1d' ? NEXT_SESSION : getMarketStatus(assetClass, t);
