import type { FfeApi } from '../api.js';
import type { Notification } from './model.js';

/** `HH:MM` and the calendar day of `at` in time zone `tz`. */
export function localClock(at: number, tz: string): { hhmm: string; day: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at).map((p) => [p.type, p.value]),
  );
  return { hhmm: `${parts.hour}:${parts.minute}`, day: `${parts.year}-${parts.month}-${parts.day}` };
}

/** The daily summary: agent state, equity and day P&L, open positions, closed-trade totals. */
export async function dailySummary(api: FfeApi, at: number): Promise<Notification> {
  const s = await api.bot.status();
  const { summary: m } = await api.insight.monitorMetrics(0);
  const money = (v: number | null) => (v === null ? '-' : v.toFixed(2));
  return {
    kind: 'summary',
    title: `Daily summary: agent ${s.state}, portfolio ${money(s.portfolio_value)}`,
    fields: [
      ['day P&L', money(s.daily_pnl)],
      ['open positions', String(s.open_positions)],
      ['trades today', String(s.trades_today)],
      ['closed trades', String(m.trades)],
      ['closed P&L', money(m.pnl)],
      ['kill switch', s.kill_switch.tripped ? `tripped (${s.kill_switch.reason})` : 'clear'],
    ],
    at,
    seq: null,
  };
}

/**
 * Sends the daily summary once a day when the clock in `tz` reads `at` ("HH:MM"): checked every
 * 20 s, remembered per calendar day so a slow check never sends it twice. Returns the stop function.
 */
export function scheduleDailySummary(api: FfeApi, at: string, tz: string, deliver: (n: Notification) => void, now: () => number = Date.now): () => void {
  let lastDay: string | null = null;
  const tick = async () => {
    const t = now();
    const c = localClock(t, tz);
    if (c.hhmm !== at || c.day === lastDay) return;
    lastDay = c.day;
    deliver(await dailySummary(api, t));
  };
  const timer = setInterval(() => void tick().catch(() => undefined), 20_000);
  timer.unref();
  return () => clearInterval(timer);
}
