/**
 * The Feedback page's data as the API sends it (snake_case) and the pure functions that shape it:
 * weight history → chart series and a table of changes, trades newest first.
 */
import type { SeriesDef } from '../../components/charts/TimeChart';

export interface ProviderPerformance {
  provider: string;
  trades: number;
  wins: number;
  win_rate: number | null;
  pnl: number;
  average_return: number | null;
  total_return: number;
  weight: number | null;
}

export interface ProvidersAnswer {
  learning: { kind: string; sandbox: string | null };
  outcomes: number;
  frozen: boolean;
  providers: ProviderPerformance[];
}

export interface WeightChange {
  id: string;
  /** ms */
  at: number;
  scope: string;
  previous: Record<string, number>;
  weights: Record<string, number>;
  outcomes: number;
  reason: string;
}

export interface WeightsAnswer {
  learning: { kind: string; sandbox: string | null };
  frozen: boolean;
  min_outcomes: number;
  weights: Record<string, number>;
  history?: WeightChange[];
}

export interface Trade {
  id: string;
  trade_id: string;
  decision_id: string | null;
  venue: string;
  pair: string;
  side: 'long' | 'short';
  units: number;
  entry_price: number;
  exit_price: number;
  opened_at: number;
  closed_at: number;
  fees: number;
  pnl: number;
  return_fraction: number;
  holding_ms: number;
  mfe: number | null;
  mae: number | null;
  exit_reason: string;
  exit_detail?: string;
}

export interface MetricsAnswer {
  summary: {
    trades: number;
    win_rate: number;
    pnl: number;
    fees: number;
    average_return: number;
    average_hold_ms: number | null;
    average_mfe: number | null;
    average_mae: number | null;
    by_exit: Record<string, number>;
  };
  trades: Trade[];
}

/** The scopes weights were learned in (`all`, or regimes), `all` first. */
export function weightScopes(history: readonly WeightChange[]): string[] {
  const s = [...new Set(history.map((c) => c.scope))].sort();
  return s.includes('all') ? ['all', ...s.filter((x) => x !== 'all')] : s;
}

/**
 * One line per provider: its weight after every change of `scope`, oldest first, starting from
 * the weight it had before the first change (one second earlier, so the step shows).
 */
export function weightSeries(history: readonly WeightChange[], scope = 'all'): SeriesDef[] {
  const changes = history.filter((c) => c.scope === scope).sort((a, b) => a.at - b.at);
  const lines = new Map<string, { time: number; value: number }[]>();
  const add = (p: string, time: number, value: number) => {
    if (!Number.isFinite(value)) return;
    const l = lines.get(p) ?? [];
    l.push({ time, value });
    lines.set(p, l);
  };
  changes.forEach((c, i) => {
    const t = Math.floor(c.at / 1000);
    if (i === 0) for (const [p, w] of Object.entries(c.previous ?? {})) add(p, t - 1, w);
    for (const [p, w] of Object.entries(c.weights ?? {})) add(p, t, w);
  });
  return [...lines.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, points]) => ({ name, kind: 'line' as const, points }));
}

export interface ChangeRow {
  id: string;
  at: number;
  scope: string;
  reason: string;
  outcomes: number;
  /** Providers whose weight moved, biggest move first. */
  deltas: { provider: string; from: number | null; to: number | null; delta: number }[];
}

/** The table of changes: newest first, each with who gained and lost. */
export function changeRows(history: readonly WeightChange[], scope?: string): ChangeRow[] {
  return history
    .filter((c) => scope === undefined || c.scope === scope)
    .sort((a, b) => b.at - a.at)
    .map((c) => {
      const names = [...new Set([...Object.keys(c.previous ?? {}), ...Object.keys(c.weights ?? {})])];
      const deltas = names
        .map((provider) => {
          const from = c.previous?.[provider] ?? null;
          const to = c.weights?.[provider] ?? null;
          return { provider, from, to, delta: (to ?? 0) - (from ?? 0) };
        })
        .filter((d) => Math.abs(d.delta) > 1e-9)
        .sort((a, b) => {
          const d = Math.abs(b.delta) - Math.abs(a.delta);
          // Equal moves (to float noise) in name order.
          return Math.abs(d) > 1e-9 ? d : a.provider.localeCompare(b.provider);
        });
      return { id: c.id, at: c.at, scope: c.scope, reason: c.reason, outcomes: c.outcomes, deltas };
    });
}

/** Closed trades newest first (the API lists them oldest first). */
export const tradesNewestFirst = (trades: readonly Trade[]): Trade[] => [...trades].sort((a, b) => b.closed_at - a.closed_at);

/** "3 h 20 m", "45 m", "12 s". */
export function fmtHold(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} m`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export const exitLabel = (r: string): string => r.replace(/_/g, ' ');
