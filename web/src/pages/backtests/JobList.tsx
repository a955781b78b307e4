import { Badge, Link, type Tone } from '../../components/ui';
import { fmtTime } from '../../lib/format';
import { KIND_LABEL } from './form';
import { isFinished, type Job } from './analysis';

const TONE: Record<Job['status'], Tone> = { queued: 'muted', running: 'info', succeeded: 'ok', failed: 'bad', cancelled: 'warn' };

/** What a job ran on, in a few words. */
export function jobSummary(j: Job): string {
  const p = j.params;
  const pair = Array.isArray(p.asset_pair) ? p.asset_pair.join(', ') : String(p.asset_pair ?? '');
  const src = p.strategy ? String(p.strategy) : p.provider ? `provider ${String(p.provider)}` : '';
  return [pair, src, p.from && p.to ? `${String(p.from)} → ${String(p.to)}` : ''].filter(Boolean).join(' · ');
}

/**
 * The job list: status, live progress, and (with the backtest permission) Cancel job for one not
 * finished; two finished jobs can be picked for the side-by-side comparison.
 */
export function JobList({
  jobs,
  progress,
  canCancel,
  onCancel,
  picked,
  onPick,
}: {
  jobs: readonly Job[];
  /** Live progress by job id (BacktestProgress events), fresher than the list's. */
  progress: Record<string, number>;
  canCancel: boolean;
  onCancel(id: string): void;
  picked: readonly string[];
  onPick(id: string, on: boolean): void;
}) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Backtest jobs">
      <table>
        <thead>
          <tr>
            <th>Compare</th>
            <th>Job</th>
            <th>Kind</th>
            <th>Run on</th>
            <th>Status</th>
            <th>Progress</th>
            <th>Created</th>
            {canCancel && <th>Actions</th>}
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => {
            const p = j.status === 'succeeded' ? 1 : Math.max(j.progress, progress[j.id] ?? 0);
            return (
              <tr key={j.id} data-testid="job-row">
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Compare job ${j.id}`}
                    checked={picked.includes(j.id)}
                    disabled={j.status !== 'succeeded' || (!picked.includes(j.id) && picked.length >= 2)}
                    onChange={(e) => onPick(j.id, e.target.checked)}
                  />
                </td>
                <td>
                  <Link to={`/backtests/${encodeURIComponent(j.id)}`}>{j.id}</Link>
                </td>
                <td>{KIND_LABEL[j.kind] ?? j.kind}</td>
                <td className="wrap">{jobSummary(j)}</td>
                <td>
                  <Badge tone={TONE[j.status] ?? 'muted'}>{j.status}</Badge>
                  {j.error && <div className="muted small">{j.error.message}</div>}
                </td>
                <td>
                  <div className="job-progress">
                    <progress className="progress" aria-label={`Progress of job ${j.id}`} max={1} value={p} />
                    <span className="muted small">{Math.round(p * 100)} %</span>
                  </div>
                </td>
                <td>{fmtTime(j.created_at)}</td>
                {canCancel && (
                  <td>
                    {!isFinished(j) && (
                      <button type="button" onClick={() => onCancel(j.id)}>
                        Cancel job
                      </button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
