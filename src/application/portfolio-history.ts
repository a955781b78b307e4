import type { AgentEvent } from '../agent/types.js';
import { inputError } from '../core/errors.js';
import { tradingDayStart } from '../core/trading-day.js';
import type { Runtime } from './runtime.js';

const DAY_MS = 86_400_000;
/** The window an equity-history request covers when it names no `from`. */
export const HISTORY_DEFAULT_DAYS = 30;
export const HISTORY_DEFAULT_POINTS = 500;
export const HISTORY_MAX_POINTS = 5000;

export interface EquityPoint {
  /** ms. */
  at: number;
  equity: number;
}

export interface CurvePoint {
  at: string;
  equity: number;
  /** The highest equity up to and including this point (over the whole requested window, not only the points kept). */
  peak: number;
  /** How far below that peak, as a fraction of it (0.05 = 5 % down; 0 at a new high). */
  drawdown: number;
}

/**
 * At most `max` of `points` (oldest first), spread evenly over their indexes: the first and the
 * last are always kept (the last is the value now), the rest the nearest to evenly spaced.
 */
export function downsample<T>(points: readonly T[], max: number): T[] {
  if (max < 1) return [];
  if (points.length <= max) return [...points];
  if (max === 1) return [points[points.length - 1]];
  const out: T[] = [];
  const step = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * step)]);
  return out;
}

/** Running peak and drawdown of every point; the curve's deepest drawdown. */
export function withDrawdown(points: readonly EquityPoint[]): { curve: (EquityPoint & { peak: number; drawdown: number })[]; maxDrawdown: number } {
  let peak = -Infinity;
  let maxDrawdown = 0;
  const curve = points.map((p) => {
    peak = Math.max(peak, p.equity);
    const drawdown = peak > 0 ? (peak - p.equity) / peak : 0;
    maxDrawdown = Math.max(maxDrawdown, drawdown);
    return { ...p, peak, drawdown };
  });
  return { curve, maxDrawdown };
}

/** `from`/`to` as given on a query: ISO 8601 or ms since the epoch. */
export function instant(field: string, v: string | number | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const t = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(t)) throw inputError('DATE_INVALID', `${field}: not a date (ISO 8601, e.g. 2026-01-31T00:00:00Z, or ms since the epoch)`);
  return t;
}

export interface EquityHistoryQuery {
  /** ISO 8601 or ms; default 30 days before `to`. */
  from?: string | number;
  /** ISO 8601 or ms; default now. */
  to?: string | number;
  /** At most this many points (default 500, at most 5000); the last point is always kept. */
  points?: number;
}

/**
 * The dashboard's reads of the account's history: its equity curve (the equity snapshots every
 * account read and every order records) with peak and drawdown, P&L today and overall, and the
 * agent's recent cycle log.
 */
export const historyUseCases = (rt: Runtime) => {
  const { app } = rt;
  return {
    async equityHistory(q: EquityHistoryQuery = {}) {
      const now = app.clock.now();
      const to = instant('to', q.to) ?? now;
      const from = instant('from', q.from) ?? to - HISTORY_DEFAULT_DAYS * DAY_MS;
      if (from > to) throw inputError('RANGE_INVALID', `from (${new Date(from).toISOString()}) is after to (${new Date(to).toISOString()})`);
      const max = q.points ?? HISTORY_DEFAULT_POINTS;
      if (!Number.isInteger(max) || max < 1 || max > HISTORY_MAX_POINTS) throw inputError('RANGE_INVALID', `points: an integer from 1 to ${HISTORY_MAX_POINTS}`);
      const account = app.execution.mode().mode;
      const snaps = await app.store.equity.range(account, from, to);
      const { curve, maxDrawdown } = withDrawdown(snaps.map((s) => ({ at: s.at, equity: Number(s.equity) })));
      const kept = downsample(curve, max);

      // P&L against the day's opening snapshot and the first one ever, to the latest one now.
      const dayStart = tradingDayStart(now, app.config.agent.timezone);
      const [day, ever, latestToday] = await Promise.all([
        app.store.equity.landmarks(account, dayStart, now, dayStart),
        // With the day starting at 0, the "day's opening" snapshot is the first one ever kept.
        app.store.equity.landmarks(account, 0, now, 0),
        app.store.equity.range(account, Math.max(dayStart, now - DAY_MS), now),
      ]);
      const latestSnap = latestToday[latestToday.length - 1] ?? snaps[snaps.length - 1] ?? null;
      const latest = latestSnap ? Number(latestSnap.equity) : null;
      const num = (s: { equity: unknown } | null | undefined) => (s ? Number(s.equity) : null);
      const dayOpen = num(day.dayOpen);
      const first = num(ever.dayOpen);
      return {
        account,
        currency: latestSnap?.currency ?? snaps[0]?.currency ?? null,
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        /** Snapshots in the window before downsampling. */
        total_points: snaps.length,
        points: kept.map((p): CurvePoint => ({ at: new Date(p.at).toISOString(), equity: p.equity, peak: p.peak, drawdown: p.drawdown })),
        max_drawdown: maxDrawdown,
        summary: {
          equity: latest,
          as_of: latestSnap ? new Date(latestSnap.at).toISOString() : null,
          day_start: new Date(dayStart).toISOString(),
          day_open_equity: dayOpen,
          pnl_today: latest !== null && dayOpen !== null ? latest - dayOpen : null,
          pnl_today_fraction: latest !== null && dayOpen ? (latest - dayOpen) / dayOpen : null,
          first_equity: first,
          first_at: ever.dayOpen ? new Date(ever.dayOpen.at).toISOString() : null,
          pnl_overall: latest !== null && first !== null ? latest - first : null,
          pnl_overall_fraction: latest !== null && first ? (latest - first) / first : null,
          peak_equity: num(ever.peak),
        },
      };
    },

    /** The agent's recent cycle log (what `ffe agent` prints), newest first. */
    async agentLog(limit = 100) {
      const events: AgentEvent[] = await app.feedback.agentState.events(limit);
      return {
        events: [...events].reverse().map((e) => ({ at: new Date(e.at).toISOString(), kind: e.kind, state: e.state, message: e.message, data: e.data ?? null })),
      };
    },
  };
};
