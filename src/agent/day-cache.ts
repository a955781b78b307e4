import { tradingDay, tradingDayStart } from '../core/trading-day.js';

const HOUR = 3_600_000;

/**
 * tradingDay for a clock that moves forward: the agent asks it every cycle, and formatting a date
 * in a time zone (Intl) was most of a quiet cycle's perception. The day's bounds are computed once
 * per day and checked against tradingDay itself, so a zone whose day is not [start, next start)
 * (none known) is simply not cached.
 */
export class DayCache {
  private from = 0;
  private until = 0;
  private day = '';

  constructor(private readonly timeZone: string) {}

  of(at: number): string {
    if (at >= this.from && at < this.until) return this.day;
    const day = tradingDay(at, this.timeZone);
    const from = tradingDayStart(at, this.timeZone);
    // A day lasts 23 to 25 hours: 25.5 hours after its start lies in the next day.
    const until = tradingDayStart(from + 25.5 * HOUR, this.timeZone);
    const exact = from <= at && at < until && tradingDay(from, this.timeZone) === day && tradingDay(until - 1, this.timeZone) === day && tradingDay(until, this.timeZone) !== day;
    this.day = day;
    [this.from, this.until] = exact ? [from, until] : [0, 0];
    return day;
  }
}
