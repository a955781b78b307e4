import type { Session } from '../session.js';
import type { JobResultRecord, JobResultRepository } from '../port.js';

type ResultTables = {
  backtest_job_results: { run_id: string; job_id: string; kind: string; worker: string; finished_at: string; result: string };
};

/** Results of distributed backtest jobs; a re-delivered job overwrites its own row. */
export class SqliteBacktestResultRepository implements JobResultRepository {
  private readonly db;

  constructor(sqlite: Session) {
    this.db = sqlite.db.withTables<ResultTables>();
  }

  async save(r: JobResultRecord): Promise<void> {
    const row = { run_id: r.runId, job_id: r.jobId, kind: r.kind, worker: r.worker, finished_at: new Date(r.finishedAt).toISOString(), result: JSON.stringify(r.result) };
    await this.db
      .insertInto('backtest_job_results')
      .values(row)
      .onConflict((oc) => oc.columns(['run_id', 'job_id']).doUpdateSet({ kind: row.kind, worker: row.worker, finished_at: row.finished_at, result: row.result }))
      .execute();
  }

  async list(runId: string): Promise<JobResultRecord[]> {
    const rows = await this.db.selectFrom('backtest_job_results').selectAll().where('run_id', '=', runId).orderBy('job_id').execute();
    return rows.map((x) => ({ runId: x.run_id, jobId: x.job_id, kind: x.kind, worker: x.worker, finishedAt: Date.parse(x.finished_at), result: JSON.parse(x.result) as unknown }));
  }
}
