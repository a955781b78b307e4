/** Shaping stored job results for the Backtests pages (pure: tested without a browser). */

export interface Job {
  id: string;
  kind: 'backtest' | 'walk_forward' | 'monte_carlo' | 'optimize';
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: number;
  params: Record<string, unknown>;
  result?: unknown;
  error?: { code: string; message: string };
  created_at: string;
  started_at?: string;
  finished_at?: string;
  created_by: string;
}

export type Metrics = Record<string, number | null>;
export interface Trial {
  params: Record<string, number>;
  metrics: Metrics;
  score: number | null;
}
export interface Distribution {
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  mean: number;
  min: number;
  max: number;
}
export interface RiskSummary {
  final_equity: Distribution;
  max_drawdown: Distribution;
  var95: number;
  cvar95: number;
  probability_of_loss: number;
  simulations: number;
  samples?: { final_equity: number[]; max_drawdown: number[] };
}
export interface Bin {
  from: number;
  to: number;
  count: number;
}

export const isFinished = (j: Pick<Job, 'status'>) => j.status === 'succeeded' || j.status === 'failed' || j.status === 'cancelled';

/**
 * Values into `bins` equal-width bins from min to max (the last bin includes max). Non-finite
 * values are skipped; all-equal values make one bin holding them all.
 */
export function histogram(values: readonly number[], bins = 20): Bin[] {
  const xs = values.filter((v) => Number.isFinite(v));
  if (!xs.length) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const v of xs) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === max) return [{ from: min, to: max, count: xs.length }];
  const n = Math.max(1, Math.floor(bins));
  const width = (max - min) / n;
  const out: Bin[] = Array.from({ length: n }, (_, i) => ({ from: min + i * width, to: i === n - 1 ? max : min + (i + 1) * width, count: 0 }));
  for (const v of xs) out[Math.min(n - 1, Math.floor((v - min) / width))].count++;
  return out;
}

/** Trials best first by score (missing or non-finite scores last), ties by more trades, then as given; each with its rank. */
export function rankTrials(trials: readonly Trial[]): (Trial & { rank: number })[] {
  const score = (t: Trial) => (t.score !== null && Number.isFinite(t.score) ? t.score : -Infinity);
  return trials
    .map((t, i) => ({ t, i }))
    .sort((a, b) => score(b.t) - score(a.t) || (Number(b.t.metrics.trade_count) || 0) - (Number(a.t.metrics.trade_count) || 0) || a.i - b.i)
    .map(({ t }, k) => ({ ...t, rank: k + 1 }));
}

/** [ms, equity] pairs → chart points in seconds. */
export function equityPoints(curve: readonly (readonly [number, number])[] | undefined): { time: number; value: number }[] {
  return (curve ?? []).map(([t, v]) => ({ time: Math.floor(t / 1000), value: v }));
}

/** Drawdown from the running peak, as a negative fraction (0 at a new high). */
export function drawdownPoints(curve: readonly (readonly [number, number])[] | undefined): { time: number; value: number }[] {
  let peak = -Infinity;
  return (curve ?? []).map(([t, v]) => {
    if (v > peak) peak = v;
    return { time: Math.floor(t / 1000), value: peak > 0 ? v / peak - 1 : 0 };
  });
}

/**
 * Two equity curves on one time axis for comparison: each as its return since its own start
 * (runs with different balances compare), on the union of their times, a curve carried forward
 * between its points and absent before its first and after its last.
 */
export function alignCurves(a: readonly (readonly [number, number])[], b: readonly (readonly [number, number])[]): { time: number; a: number | null; b: number | null }[] {
  const times = [...new Set([...a.map((p) => p[0]), ...b.map((p) => p[0])])].sort((x, y) => x - y);
  const walk = (c: readonly (readonly [number, number])[]) => {
    const sorted = [...c].sort((x, y) => x[0] - y[0]);
    const base = sorted[0]?.[1];
    let k = -1;
    return (t: number): number | null => {
      while (k + 1 < sorted.length && sorted[k + 1][0] <= t) k++;
      if (k < 0 || t > sorted[sorted.length - 1][0] || !base) return null;
      return sorted[k][1] / base - 1;
    };
  };
  const fa = walk(a);
  const fb = walk(b);
  return times.map((t) => ({ time: t, a: fa(t), b: fb(t) }));
}

/** The headline metrics of a finished job, whatever its kind: a backtest's, a Monte Carlo base run's, an optimisation's best trial's, a walk-forward's aggregate. */
export function metricsOf(job: Job): Metrics | null {
  const r = job.result as Record<string, unknown> | undefined;
  if (!r) return null;
  if (job.kind === 'backtest') return (r.metrics as Metrics) ?? null;
  if (job.kind === 'monte_carlo') return (r.base as Metrics) ?? null;
  if (job.kind === 'optimize') return ((r.best as Trial | null)?.metrics as Metrics) ?? null;
  if (job.kind === 'walk_forward') return (r.aggregate as Metrics) ?? null;
  return null;
}

/** The equity curve a finished job holds ([ms, equity] pairs), if any. */
export function curveOf(job: Job): [number, number][] {
  const r = job.result as { equity?: [number, number][] } | undefined;
  return job.kind === 'backtest' && Array.isArray(r?.equity) ? r.equity : [];
}

/** Rows of the side-by-side table: the metrics either run has, in a readable order. */
export function compareRows(a: Metrics | null, b: Metrics | null): { key: string; a: number | null; b: number | null }[] {
  const order = ['total_return', 'annualized_return', 'sharpe', 'sortino', 'calmar', 'max_drawdown', 'win_rate', 'profit_factor', 'trade_count', 'final_equity', 'fees_paid', 'exposure', 'buy_and_hold_return'];
  const keys = [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].filter((k) => typeof (a?.[k] ?? b?.[k]) === 'number' || (a?.[k] ?? b?.[k]) === null);
  keys.sort((x, y) => (order.indexOf(x) + 1 || 99) - (order.indexOf(y) + 1 || 99) || x.localeCompare(y));
  return keys.map((key) => ({ key, a: a?.[key] ?? null, b: b?.[key] ?? null }));
}

const PCT = new Set(['total_return', 'annualized_return', 'max_drawdown', 'win_rate', 'exposure', 'buy_and_hold_return', 'volatility', 'out_of_sample_return', 'mean_in_sample_win_rate', 'mean_out_of_sample_win_rate']);
/** One metric for a table: fractions as percents, money with two decimals, counts whole. */
export function fmtMetric(key: string, v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (PCT.has(key)) return `${(v * 100).toFixed(2)} %`;
  if (key.endsWith('_ms')) return `${(v / 86_400_000).toFixed(1)} d`;
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(2) : v.toFixed(3);
}
export const metricLabel = (k: string) =>
  k
    .replace(/_ms$/, '')
    .replace(/_/g, ' ')
    .replace(/^./, (c) => c.toUpperCase());
