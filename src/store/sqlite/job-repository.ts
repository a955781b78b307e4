import type { JobEnd, JobRecord, JobRepository, JobStatus, NewJob } from '../port.js';
import type { Session } from '../session.js';

type JobRow = {
  id: string;
  kind: string;
  status: string;
  progress: number;
  params: string;
  result: string | null;
  error_code: string | null;
  error_message: string | null;
  created_by: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  cancel_requested: number;
};
type JobTables = { backtest_jobs: JobRow };

const num = (v: number | null) => (v === null ? null : Number(v));

function toRecord(r: JobRow): JobRecord {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status as JobStatus,
    progress: Number(r.progress),
    params: JSON.parse(r.params) as unknown,
    result: r.result === null ? null : (JSON.parse(r.result) as unknown),
    error: r.error_code === null ? null : { code: r.error_code, message: r.error_message ?? '' },
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    startedAt: num(r.started_at),
    finishedAt: num(r.finished_at),
    cancelRequested: r.cancel_requested === 1,
  };
}

/** Backtest jobs; each transition is a single UPDATE guarded by the state it leaves. */
export class SqliteJobRepository implements JobRepository {
  private readonly db;

  constructor(sqlite: Session) {
    this.db = sqlite.db.withTables<JobTables>();
  }

  async create(j: NewJob): Promise<void> {
    await this.db
      .insertInto('backtest_jobs')
      .values({
        id: j.id,
        kind: j.kind,
        status: 'queued',
        progress: 0,
        params: JSON.stringify(j.params),
        result: null,
        error_code: null,
        error_message: null,
        created_by: j.createdBy,
        created_at: j.createdAt,
        started_at: null,
        finished_at: null,
        cancel_requested: 0,
      })
      .execute();
  }

  async get(id: string): Promise<JobRecord | null> {
    const r = await this.db.selectFrom('backtest_jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toRecord(r) : null;
  }

  async list(q: { limit: number; status?: JobStatus }): Promise<JobRecord[]> {
    let s = this.db.selectFrom('backtest_jobs').selectAll();
    if (q.status) s = s.where('status', '=', q.status);
    const rows = await s.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
    return rows.map(toRecord);
  }

  async idsWithStatus(status: JobStatus): Promise<string[]> {
    const rows = await this.db.selectFrom('backtest_jobs').select('id').where('status', '=', status).orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  async start(id: string, at: number, orRunning = false): Promise<boolean> {
    const r = await this.db
      .updateTable('backtest_jobs')
      .set({ status: 'running', started_at: at, progress: 0 })
      .where('id', '=', id)
      .where('status', 'in', orRunning ? ['queued', 'running'] : ['queued'])
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async progress(id: string, progress: number): Promise<{ cancelRequested: boolean } | null> {
    await this.db.updateTable('backtest_jobs').set({ progress }).where('id', '=', id).where('status', '=', 'running').where('progress', '<', progress).execute();
    const r = await this.db.selectFrom('backtest_jobs').select(['status', 'cancel_requested']).where('id', '=', id).executeTakeFirst();
    return r && r.status === 'running' ? { cancelRequested: r.cancel_requested === 1 } : null;
  }

  async finish(id: string, end: JobEnd): Promise<boolean> {
    const r = await this.db
      .updateTable('backtest_jobs')
      .set({
        status: end.status,
        finished_at: end.at,
        result: end.result === undefined ? null : JSON.stringify(end.result),
        error_code: end.error?.code ?? null,
        error_message: end.error?.message ?? null,
        ...(end.status === 'succeeded' ? { progress: 1 } : {}),
      })
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async requestCancel(id: string): Promise<boolean> {
    const r = await this.db.updateTable('backtest_jobs').set({ cancel_requested: 1 }).where('id', '=', id).where('status', '=', 'running').executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
