import { inputError } from './errors.js';

/**
 * The one day boundary of every daily check: the agent's trade counter and kill switch, and the
 * risk gate's daily loss (live, replayed and backtested) all start the day at midnight in the
 * configured time zone (`agent.timezone`).
 */
const DAY = 86_400_000;

/** The calendar date (YYYY-MM-DD) of instant `at` in an IANA time zone: the day the daily counters belong to. */
export function tradingDay(at: number, timeZone: string): string {
  return dayFormatter(timeZone).format(new Date(at));
}

/** The instant (ms) the trading day holding `at` began: midnight of that date in `timeZone`. */
export function tradingDayStart(at: number, timeZone: string): number {
  if (timeZone === 'UTC') return at - (((at % DAY) + DAY) % DAY);
  const [y, m, d] = tradingDay(at, timeZone).split('-').map(Number);
  const midnightUtc = Date.UTC(y, m - 1, d);
  // Local midnight = UTC midnight of that date minus the zone's offset then; twice, in case the offset changes in between (DST).
  let t = midnightUtc - offsetAt(midnightUtc, timeZone);
  t = midnightUtc - offsetAt(t, timeZone);
  return t <= at ? t : t - DAY;
}

/** The zone's offset from UTC at instant `t`, in ms (local wall time − UTC). */
function offsetAt(t: number, timeZone: string): number {
  const parts = Object.fromEntries(
    partsFormatter(timeZone)
      .formatToParts(new Date(t))
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour) % 24, Number(parts.minute), Number(parts.second));
  return wall - (t - (((t % 1000) + 1000) % 1000));
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const partFormatters = new Map<string, Intl.DateTimeFormat>();

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

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partFormatters.get(timeZone);
  if (!f) {
    dayFormatter(timeZone);
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    partFormatters.set(timeZone, f);
  }
  return f;
}
