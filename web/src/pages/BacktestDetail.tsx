import { useEffect, useMemo, useState } from 'react';
import { themeColors, TimeChart } from '../components/charts/TimeChart';
import { Async, Empty, FormError } from '../components/State';
import { Badge, Card, Link, Stat } from '../components/ui';
import { useCan, useLiveEvents, useResource, useServices } from '../lib/context';
import { fmtMoney, fmtPct, fmtSigned, fmtTime, signClass } from '../lib/format';
import { useThemeName } from '../lib/theme';
import { drawdownPoints, equityPoints, fmtMetric, isFinished, metricLabel, rankTrials, type Job, type Metrics, type RiskSummary, type Trial } from './backtests/analysis';
import { KIND_LABEL } from './backtests/form';
import { Histogram } from './backtests/Histogram';
import { jobSummary } from './backtests/JobList';

/** One job: status and progress while it runs; once it succeeded, its results by kind. */
export function BacktestDetail({ id }: { id: string }) {
  const job = useResource((api) => api.get<Job>(`/api/v1/backtests/${encodeURIComponent(id)}`), [id], { refreshOn: ['BacktestProgress'], debounceMs: 1500 });
  const running = job.data ? !isFinished(job.data) : false;
  const { reload } = job;
  // Its final status lands after its last progress event: while unfinished, look again now and then.
  useEffect(() => {
    if (!running) return;
    const t = setInterval(reload, 5000);
    return () => clearInterval(t);
  }, [running]);
  return (
    <>
      <h1>Backtest {id}</h1>
      <p>
        <Link to="/backtests">All backtest jobs</Link>
      </p>
      <Async resource={job}>{(j) => <JobView job={j} reload={job.reload} />}</Async>
    </>
  );
}

function JobView({ job, reload }: { job: Job; reload(): void }) {
  const { api } = useServices();
  const canCancel = useCan('backtest');
  const [live, setLive] = useState<number | null>(null);
  const [err, setErr] = useState<string | null>(null);
  useLiveEvents(['BacktestProgress'], (e) => {
    if (String(e.payload.job_id ?? e.payload.jobId) !== job.id) return;
    const total = Number(e.payload.total);
    if (total > 0) setLive(Math.min(1, Number(e.payload.done) / total));
  });
  const p = job.status === 'succeeded' ? 1 : Math.max(job.progress, live ?? 0);
  const r = job.result as Record<string, unknown> | undefined;
  return (
    <>
      <Card title={`${KIND_LABEL[job.kind] ?? job.kind}: ${jobSummary(job)}`}>
        <div className="stats">
          <Stat label="Status" value={<Badge tone={job.status === 'succeeded' ? 'ok' : job.status === 'failed' ? 'bad' : job.status === 'cancelled' ? 'warn' : 'info'}>{job.status}</Badge>} />
          <Stat label="Created" value={fmtTime(job.created_at)} />
          <Stat label="Finished" value={fmtTime(job.finished_at)} />
          <Stat label="By" value={job.created_by} />
        </div>
        <progress className="progress" aria-label={`Progress of job ${job.id}`} max={1} value={p} />
        {job.error && (
          <p className="state error" role="alert">
            {job.error.code}: {job.error.message}
          </p>
        )}
        <FormError message={err} />
        {canCancel && !isFinished(job) && (
          <button type="button" onClick={() => api.delete(`/api/v1/backtests/${encodeURIComponent(job.id)}`).then(reload, (e: Error) => setErr(e.message))}>
            Cancel job
          </button>
        )}
        <details>
          <summary>Parameters</summary>
          <pre className="params">{JSON.stringify(job.params, null, 2)}</pre>
        </details>
      </Card>
      {job.status === 'succeeded' && r ? (
        job.kind === 'backtest' ? (
          <BacktestResult r={r} />
        ) : job.kind === 'monte_carlo' ? (
          <MonteCarloResult r={r} />
        ) : job.kind === 'walk_forward' ? (
          <WalkForwardResult r={r} />
        ) : (
          <OptimizeResult r={r} />
        )
      ) : (
        !isFinished(job) && <Empty>Results appear here when the job has finished.</Empty>
      )}
    </>
  );
}

export function MetricsTable({ metrics, caption, label = 'Metrics' }: { metrics: Metrics; caption?: string; label?: string }) {
  const rows = Object.entries(metrics).filter(([, v]) => typeof v === 'number' || v === null);
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={label}>
      <table>
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            <th>Metric</th>
            <th className="num">Value</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <td>{metricLabel(k)}</td>
              <td className="num">{fmtMetric(k, v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface WireTrade {
  pair: string;
  side: string;
  entry_time: number;
  exit_time: number;
  entry_price: number;
  exit_price: number;
  pnl: number;
  return_fraction: number;
  exit_reason: string;
}

function BacktestResult({ r }: { r: Record<string, unknown> }) {
  const curve = r.equity as [number, number][] | undefined;
  const metrics = (r.metrics ?? {}) as Metrics;
  const trades = (r.trades ?? []) as WireTrade[];
  const equity = useMemo(() => [{ name: 'Equity', kind: 'area' as const, points: equityPoints(curve) }], [curve]);
  const theme = useThemeName();
  const dd = useMemo(() => [{ name: 'Drawdown %', kind: 'area' as const, color: theme ? themeColors().down : undefined, points: drawdownPoints(curve).map((p) => ({ ...p, value: p.value * 100 })) }], [curve, theme]);
  return (
    <>
      <Card title="Equity and drawdown">
        <div className="stats">
          <Stat label="Total return" value={fmtPct(metrics.total_return)} className={signClass(metrics.total_return)} />
          <Stat label="Sharpe" value={fmtMetric('sharpe', metrics.sharpe)} />
          <Stat label="Max drawdown" value={fmtPct(metrics.max_drawdown)} />
          <Stat label="Trades" value={fmtMetric('trade_count', metrics.trade_count)} />
        </div>
        {curve?.length ? (
          <>
            <TimeChart series={equity} label="Equity curve of the backtest" />
            <TimeChart series={dd} label="Drawdown of the backtest from its running peak, in percent" height={180} />
          </>
        ) : (
          <Empty>This job stored no equity curve.</Empty>
        )}
      </Card>
      <Card title="Metrics">
        <MetricsTable metrics={metrics} />
      </Card>
      <Card title={`Trades (${trades.length})`}>
        {trades.length === 0 ? (
          <Empty>The run made no trades.</Empty>
        ) : (
          <div className="table-wrap table-scroll" tabIndex={0} role="region" aria-label="Trades of the backtest">
            <table>
              <thead>
                <tr>
                  <th>Pair</th>
                  <th>Side</th>
                  <th>Entry</th>
                  <th>Exit</th>
                  <th className="num">Entry price</th>
                  <th className="num">Exit price</th>
                  <th className="num">P&amp;L</th>
                  <th className="num">Return</th>
                  <th>Exit reason</th>
                </tr>
              </thead>
              <tbody>
                {trades.slice(0, 500).map((t, i) => (
                  <tr key={i} data-testid="trade-row">
                    <td>{t.pair}</td>
                    <td>{t.side}</td>
                    <td>{fmtTime(new Date(t.entry_time).toISOString())}</td>
                    <td>{fmtTime(new Date(t.exit_time).toISOString())}</td>
                    <td className="num">{fmtMoney(t.entry_price)}</td>
                    <td className="num">{fmtMoney(t.exit_price)}</td>
                    <td className={`num ${signClass(t.pnl)}`}>{fmtSigned(t.pnl)}</td>
                    <td className={`num ${signClass(t.return_fraction)}`}>{fmtPct(t.return_fraction)}</td>
                    <td>{t.exit_reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}

function RiskCard({ title, s }: { title: string; s: RiskSummary }) {
  const dist = (d: RiskSummary['final_equity'], fmt: (v: number) => string) =>
    ['min', 'p5', 'p25', 'p50', 'p75', 'p95', 'max', 'mean'].map((k) => (
      <td key={k} className="num">
        {fmt(d[k as keyof typeof d])}
      </td>
    ));
  const money = (v: number) => fmtMoney(v);
  const pct = (v: number) => fmtPct(v);
  return (
    <Card title={title}>
      <div className="stats">
        <Stat label="Simulations" value={s.simulations} />
        <Stat label="VaR 95" value={fmtMoney(s.var95)} />
        <Stat label="CVaR 95" value={fmtMoney(s.cvar95)} />
        <Stat label="P(loss)" value={fmtPct(s.probability_of_loss)} />
      </div>
      <div className="table-wrap" tabIndex={0} role="region" aria-label={`${title}: outcome percentiles`}>
        <table>
          <thead>
            <tr>
              <th>Outcome</th>
              {['Min', 'P5', 'P25', 'Median', 'P75', 'P95', 'Max', 'Mean'].map((h) => (
                <th key={h} className="num">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>Final equity</td>
              {dist(s.final_equity, money)}
            </tr>
            <tr>
              <td>Max drawdown</td>
              {dist(s.max_drawdown, pct)}
            </tr>
          </tbody>
        </table>
      </div>
      {s.samples ? (
        <div className="histograms">
          <Histogram title="Final equity" values={s.samples.final_equity} format={money} />
          <Histogram title="Max drawdown" values={s.samples.max_drawdown} format={pct} />
        </div>
      ) : (
        <Empty>This job stored percentiles only (run it again for the distribution).</Empty>
      )}
    </Card>
  );
}

function MonteCarloResult({ r }: { r: Record<string, unknown> }) {
  const perturbation = r.perturbation as RiskSummary | null;
  const bootstrap = r.bootstrap as RiskSummary | undefined;
  const notes = (r.notes ?? []) as string[];
  return (
    <>
      {perturbation && <RiskCard title="Price-path perturbation" s={perturbation} />}
      {bootstrap && <RiskCard title="Trade bootstrap" s={bootstrap} />}
      <Card title="Base run metrics">
        <MetricsTable label="Base run metrics" metrics={(r.base ?? {}) as Metrics} />
        {notes.map((n, i) => (
          <p key={i} className="muted">
            {n}
          </p>
        ))}
      </Card>
    </>
  );
}

interface WireWindow {
  train_start: number;
  train_end: number;
  test_start: number;
  test_end: number;
  best: Record<string, number>;
  trials: number;
  in_sample: Metrics;
  out_of_sample: Metrics;
  in_sample_score: number | null;
  out_of_sample_score: number | null;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const paramText = (p: Record<string, number> | undefined) =>
  Object.entries(p ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ') || '—';

function WalkForwardResult({ r }: { r: Record<string, unknown> }) {
  const windows = (r.windows ?? []) as WireWindow[];
  const verdict = r.verdict as { severity: string; overfit: boolean; text: string } | undefined;
  return (
    <>
      <Card title="Walk-forward verdict">
        {verdict && (
          <p>
            <Badge tone={verdict.overfit ? 'bad' : verdict.severity === 'NONE' ? 'ok' : 'warn'}>{verdict.severity}</Badge> {verdict.text}
          </p>
        )}
        <MetricsTable label="Walk-forward aggregate" metrics={(r.aggregate ?? {}) as Metrics} caption={`Aggregate over ${windows.length} windows (objective ${String(r.objective ?? '')})`} />
      </Card>
      <Card title="Windows">
        {windows.length === 0 ? (
          <Empty>No windows.</Empty>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Walk-forward windows">
            <table>
              <thead>
                <tr>
                  <th>#</th>
                  <th>Train</th>
                  <th>Test</th>
                  <th>Best parameters</th>
                  <th className="num">Trials</th>
                  <th className="num">In-sample score</th>
                  <th className="num">Out-of-sample score</th>
                  <th className="num">In-sample return</th>
                  <th className="num">Out-of-sample return</th>
                  <th className="num">Out-of-sample trades</th>
                </tr>
              </thead>
              <tbody>
                {windows.map((w, i) => (
                  <tr key={i}>
                    <td>{i + 1}</td>
                    <td>
                      {day(w.train_start)} → {day(w.train_end)}
                    </td>
                    <td>
                      {day(w.test_start)} → {day(w.test_end)}
                    </td>
                    <td>{paramText(w.best)}</td>
                    <td className="num">{w.trials}</td>
                    <td className="num">{fmtMetric('score', w.in_sample_score)}</td>
                    <td className="num">{fmtMetric('score', w.out_of_sample_score)}</td>
                    <td className={`num ${signClass(w.in_sample?.total_return)}`}>{fmtPct(w.in_sample?.total_return)}</td>
                    <td className={`num ${signClass(w.out_of_sample?.total_return)}`}>{fmtPct(w.out_of_sample?.total_return)}</td>
                    <td className="num">{fmtMetric('trade_count', w.out_of_sample?.trade_count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}

function OptimizeResult({ r }: { r: Record<string, unknown> }) {
  const trials = useMemo(() => rankTrials((r.trials ?? []) as Trial[]), [r]);
  const objective = String(r.objective ?? 'score');
  return (
    <Card title={`Optimisation trials (${trials.length} of ${String(r.evaluated ?? trials.length)} evaluated, by ${objective})`}>
      {trials.length === 0 ? (
        <Empty>No trials.</Empty>
      ) : (
        <div className="table-wrap table-scroll" tabIndex={0} role="region" aria-label="Optimisation trials, best first">
          <table>
            <thead>
              <tr>
                <th className="num">Rank</th>
                <th>Parameters</th>
                <th className="num">Score ({objective})</th>
                <th className="num">Return</th>
                <th className="num">Sharpe</th>
                <th className="num">Max drawdown</th>
                <th className="num">Win rate</th>
                <th className="num">Trades</th>
              </tr>
            </thead>
            <tbody>
              {trials.map((t) => (
                <tr key={t.rank} data-testid="trial-row">
                  <td className="num">{t.rank}</td>
                  <td>{paramText(t.params)}</td>
                  <td className="num">{fmtMetric('score', t.score)}</td>
                  <td className={`num ${signClass(t.metrics.total_return)}`}>{fmtPct(t.metrics.total_return)}</td>
                  <td className="num">{fmtMetric('sharpe', t.metrics.sharpe)}</td>
                  <td className="num">{fmtPct(t.metrics.max_drawdown)}</td>
                  <td className="num">{fmtPct(t.metrics.win_rate)}</td>
                  <td className="num">{fmtMetric('trade_count', t.metrics.trade_count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
