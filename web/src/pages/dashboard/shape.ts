import type { Point } from '../../components/charts/TimeChart';
import type { Tone } from '../../components/ui';
import type { Allocation, HistoryPoint, Position } from './types';

export interface AllocationRow {
  name: string;
  value: number;
  /** Signed share of the total (0.25 = 25 %; a short is negative). */
  share: number;
  /** The bar's width in percent of the widest share (0–100). */
  bar: number;
}

/**
 * Allocation rows from the values alone: each one's signed share of `total` (the account's value;
 * the sum of the values when not given or not positive), largest exposure first, and a bar width
 * relative to the largest |share| so small portfolios still draw visible bars.
 */
export function allocationRows(allocs: readonly Pick<Allocation, 'name' | 'value'>[], total?: number): AllocationRow[] {
  const sum = allocs.reduce((a, x) => a + (Number.isFinite(x.value) ? x.value : 0), 0);
  const base = total !== undefined && Number.isFinite(total) && total > 0 ? total : sum;
  const rows = allocs
    .filter((x) => Number.isFinite(x.value))
    .map((x) => ({ name: x.name, value: x.value, share: base > 0 ? x.value / base : 0 }))
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || a.name.localeCompare(b.name));
  const widest = Math.max(0, ...rows.map((r) => Math.abs(r.share)));
  return rows.map((r) => ({ ...r, bar: widest > 0 ? Math.round((Math.abs(r.share) / widest) * 1000) / 10 : 0 }));
}

/** Equity and drawdown series for the chart: unix seconds, drawdown as a negative percent. */
export function equitySeries(points: readonly HistoryPoint[]): { equity: Point[]; drawdown: Point[] } {
  const equity: Point[] = [];
  const drawdown: Point[] = [];
  for (const p of points) {
    const t = Math.floor(Date.parse(p.at) / 1000);
    if (!Number.isFinite(t) || !Number.isFinite(p.equity)) continue;
    equity.push({ time: t, value: p.equity });
    drawdown.push({ time: t, value: Number.isFinite(p.drawdown) && p.drawdown > 0 ? -Math.round(p.drawdown * 10_000) / 100 : 0 });
  }
  return { equity, drawdown };
}

/** A position's live P&L: the venue's unrealised figure, and as a fraction of the entry notional. */
export function positionPnl(p: Pick<Position, 'unrealized_pnl' | 'entry_price' | 'units'>): { pnl: number; fraction: number | null } {
  const notional = Math.abs(p.entry_price * p.units);
  return { pnl: p.unrealized_pnl, fraction: notional > 0 ? p.unrealized_pnl / notional : null };
}

/** Positions with the sum of their unrealised P&L. */
export function positionsTotal(ps: readonly Position[]): number {
  return ps.reduce((a, p) => a + (Number.isFinite(p.unrealized_pnl) ? p.unrealized_pnl : 0), 0);
}

/** A circuit breaker's state as a badge tone. */
export function breakerTone(state: string): Tone {
  const s = state.toUpperCase();
  return s === 'CLOSED' ? 'ok' : s === 'OPEN' ? 'bad' : s === 'HALF_OPEN' ? 'warn' : 'muted';
}

/** The agent's state as a badge tone. */
export function agentTone(state: string): Tone {
  return state === 'running' ? 'ok' : state === 'emergency_stopped' || state === 'error' ? 'bad' : state === 'stopped' ? 'muted' : 'warn';
}

/** `3 h 12 m`, `45 s`. */
export function fmtDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} m`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
