import { useMemo } from 'react';
import { TimeChart } from '../../components/charts/TimeChart';
import { Async, Empty } from '../../components/State';
import { Card } from '../../components/ui';
import { useResource } from '../../lib/context';
import { alignCurves, compareRows, curveOf, fmtMetric, metricLabel, metricsOf, type Job } from './analysis';
import { jobSummary } from './JobList';

/** Two finished jobs side by side: their metrics in one table, both equity curves (as return since start) on one chart. */
export function Compare({ ids }: { ids: readonly [string, string] }) {
  const jobs = useResource((api) => Promise.all(ids.map((id) => api.get<Job>(`/api/v1/backtests/${encodeURIComponent(id)}`))), [ids[0], ids[1]]);
  return (
    <Card title="Compare two runs">
      <Async resource={jobs}>{([a, b]) => <CompareView a={a} b={b} />}</Async>
    </Card>
  );
}

export function CompareView({ a, b }: { a: Job; b: Job }) {
  const rows = compareRows(metricsOf(a), metricsOf(b));
  const series = useMemo(() => {
    const aligned = alignCurves(curveOf(a), curveOf(b));
    const pts = (k: 'a' | 'b') => aligned.filter((r) => r[k] !== null).map((r) => ({ time: Math.floor(r.time / 1000), value: r[k]! * 100 }));
    return [
      { name: `${a.id} return %`, points: pts('a') },
      { name: `${b.id} return %`, points: pts('b') },
    ].filter((s) => s.points.length);
  }, [a, b]);
  return (
    <>
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Metrics of the two runs">
        <table>
          <thead>
            <tr>
              <th>Metric</th>
              <th className="num">
                {a.id}
                <div className="muted small">{jobSummary(a)}</div>
              </th>
              <th className="num">
                {b.id}
                <div className="muted small">{jobSummary(b)}</div>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <td>{metricLabel(r.key)}</td>
                <td className="num">{fmtMetric(r.key, r.a)}</td>
                <td className="num">{fmtMetric(r.key, r.b)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {series.length ? <TimeChart series={series} label={`Equity of jobs ${a.id} and ${b.id} as return since start, in percent`} /> : <Empty>Neither run stored an equity curve (only backtests do).</Empty>}
    </>
  );
}
