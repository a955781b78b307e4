import { inputError } from '../core/errors.js';

/** The calendar date (YYYY-MM-DD) of instant `at` in an IANA time zone: the day the daily counters belong to. */
export function tradingDay(at: number, timeZone: string): string {
  return dayFormatter(timeZone).format(new Date(at));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function dayFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      // en-CA formats as YYYY-MM-DD.
      f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      throw inputError('TIMEZONE_INVALID', `unknown time zone "${timeZone}" (use an IANA name such as UTC or America/New_York)`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}
