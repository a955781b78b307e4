import type { AssetClass } from './pair.js';

export interface MarketStatus {
  isOpen: boolean;
  /** e.g. `Open`, `Closed`, `Regular`, `Weekend`. */
  session: string;
  /** Short human explanation, empty when nothing is noteworthy. */
  reason: string;
}

const nyParts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  weekday: 'short',
  hour: 'numeric',
  minute: 'numeric',
  hourCycle: 'h23',
});
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Weekday (0 = Sunday) and minutes since midnight on New York's wall clock (DST-aware). */
export function newYorkClock(at: number): { weekday: number; minutes: number } {
  let weekday = 0;
  let hour = 0;
  let minute = 0;
  for (const p of nyParts.formatToParts(new Date(at))) {
    if (p.type === 'weekday') weekday = WEEKDAYS[p.value];
    else if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') minute = Number(p.value);
  }
  return { weekday, minutes: hour * 60 + minute };
}

const ALWAYS_OPEN: MarketStatus = Object.freeze({ isOpen: true, session: 'Open', reason: '' });
const FOREX_ROLL = 17 * 60; // 17:00 New York: the forex week ends Friday and starts Sunday here.
const STOCK_OPEN = 9 * 60 + 30;
const STOCK_CLOSE = 16 * 60;

/**
 * Whether the market for an asset class trades at `at` (ms). Crypto never closes; forex is shut
 * from Friday 17:00 to Sunday 17:00 New York time; US stocks trade 09:30–16:00 New York,
 * Monday to Friday (no holiday calendar).
 */
export function getMarketStatus(assetClass: AssetClass, at: number): MarketStatus {
  if (assetClass === 'crypto') return ALWAYS_OPEN;
  const { weekday, minutes } = newYorkClock(at);
  if (assetClass === 'forex') {
    const closed = (weekday === 5 && minutes >= FOREX_ROLL) || weekday === 6 || (weekday === 0 && minutes < FOREX_ROLL);
    return closed ? { isOpen: false, session: 'Closed', reason: 'forex is closed from Friday 17:00 to Sunday 17:00 New York time' } : { isOpen: true, session: 'Open', reason: '' };
  }
  if (weekday === 0 || weekday === 6) {
    return { isOpen: false, session: 'Weekend', reason: 'US stock market is closed at weekends' };
  }
  if (minutes < STOCK_OPEN || minutes >= STOCK_CLOSE) {
    return { isOpen: false, session: 'Closed', reason: 'US stock market trades 09:30–16:00 New York time' };
  }
  return { isOpen: true, session: 'Regular', reason: '' };
}
