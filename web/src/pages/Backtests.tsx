import { useEffect, useState } from 'react';
import { Async, FormError } from '../components/State';
import { Card } from '../components/ui';
import { useCan, useLiveEvents, useResource, useServices } from '../lib/context';
import { navigate } from '../lib/router';
import { isFinished, type Job } from './backtests/analysis';
import { Compare } from './backtests/Compare';
import type { JobBody } from './backtests/form';
import { JobForm } from './backtests/JobForm';
import { JobList } from './backtests/JobList';

/** Backtest jobs: run one (backtest, walk-forward, Monte Carlo, optimisation), follow its progress live, cancel it, compare two finished runs. */
export function Backtests() {
  const { api } = useServices();
  const canRun = useCan('backtest');
  // The list without results (a job's result can be hundreds of KB; detail and comparison fetch their own):
  // reloaded at most every 3 s while progress events arrive (the bars move on the events themselves).
  const jobs = useResource((a) => a.get<{ jobs: Job[] }>('/api/v1/backtests', { limit: 30, results: false }), [], { refreshOn: ['BacktestProgress'], debounceMs: 3000 });
  const running = jobs.data?.jobs.some((j) => !isFinished(j)) ?? false;
  const { reload } = jobs;
  // A job's last status lands after its last progress event: while any is unfinished, look again now and then.
  useEffect(() => {
    if (!running) return;
    const t = setInterval(reload, 10_000);
    return () => clearInterval(t);
    // reload is a new function each render: the interval follows `running` only.
  }, [running]);
  const [progress, setProgress] = useState<Record<string, number>>({});
  const [busy, setBusy] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  useLiveEvents(['BacktestProgress'], (e) => {
    const id = String(e.payload.job_id ?? e.payload.jobId ?? '');
    const done = Number(e.payload.done);
    const total = Number(e.payload.total);
    if (id && total > 0) setProgress((p) => ({ ...p, [id]: Math.min(1, done / total) }));
  });
  const submit = (body: JobBody) => {
    setBusy(true);
    setSubmitError(null);
    api.post<{ id: string }>('/api/v1/backtests', body).then(
      () => {
        setBusy(false);
        jobs.reload();
      },
      (e: Error) => {
        setBusy(false);
        setSubmitError(e.message);
      },
    );
  };
  const cancel = (id: string) => {
    setActionError(null);
    api.delete(`/api/v1/backtests/${encodeURIComponent(id)}`).then(
      () => jobs.reload(),
      (e: Error) => setActionError(e.message),
    );
  };
  const pick = (id: string, on: boolean) => setPicked((p) => (on ? [...p.filter((x) => x !== id), id].slice(-2) : p.filter((x) => x !== id)));
  return (
    <>
      <h1>Backtests</h1>
      {canRun && (
        <Card title="Run a job">
          <JobForm onSubmit={submit} busy={busy} serverError={submitError} />
        </Card>
      )}
      <Card title="Jobs">
        <FormError message={actionError} />
        <Async resource={jobs} empty={(d) => d.jobs.length === 0} emptyText="No backtest jobs yet.">
          {(d) => (
            <>
              <JobList jobs={d.jobs} progress={progress} canCancel={canRun} onCancel={cancel} picked={picked} onPick={pick} />
              <p className="muted">
                {picked.length < 2 ? `Pick two succeeded jobs to compare them (${picked.length} of 2 picked).` : 'Comparing the two picked jobs below.'}{' '}
                {picked.length === 1 && (
                  <button type="button" onClick={() => navigate(`/backtests/${encodeURIComponent(picked[0])}`)}>
                    Open picked job
                  </button>
                )}
              </p>
            </>
          )}
        </Async>
      </Card>
      {picked.length === 2 && <Compare ids={[picked[0], picked[1]]} />}
    </>
  );
}
