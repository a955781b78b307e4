/** A backtest job's life: queued → running → one of the three ends; a queued one may be cancelled before it starts. */
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** One backtest job as stored (the API's `GET /api/v1/backtests/{id}` reads it). */
export interface JobRecord {
  id: string;
  kind: string;
  status: JobStatus;
  /** 0..1, never decreasing while it runs. */
  progress: number;
  /** The validated request, as JSON. */
  params: unknown;
  result: unknown;
  error: { code: string; message: string } | null;
  /** Who submitted it (`user:alice`, `api_key:ci`). */
  createdBy: string;
  /** ms. */
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Someone asked to cancel it while it ran (the runner, possibly in another process, stops at its next step). */
  cancelRequested: boolean;
}

export type NewJob = Pick<JobRecord, 'id' | 'kind' | 'params' | 'createdBy' | 'createdAt'>;

export interface JobEnd {
  status: 'succeeded' | 'failed' | 'cancelled';
  result?: unknown;
  error?: { code: string; message: string };
  at: number;
}

/** Every transition is one conditional statement, so two processes racing for a job cannot both win. */
export interface JobRepository {
  /** Stores a new job, queued at progress 0. */
  create(job: NewJob): Promise<void>;
  get(id: string): Promise<JobRecord | null>;
  /** Newest first (by creation time, then id), at most `limit`, optionally of one status. */
  list(q: { limit: number; status?: JobStatus }): Promise<JobRecord[]>;
  /** Ids of the jobs in `status`, oldest first (recovery). */
  idsWithStatus(status: JobStatus): Promise<string[]>;
  /** Claims the job: queued (or, with `orRunning`, a re-delivered running one) → running at `at`. False when it is in neither state. */
  start(id: string, at: number, orRunning?: boolean): Promise<boolean>;
  /** Raises the progress of a running job (never lowers it); answers whether a cancel was requested, or null when the job is not running. */
  progress(id: string, progress: number): Promise<{ cancelRequested: boolean } | null>;
  /** Ends a queued or running job; false when it had already ended (the first end wins). */
  finish(id: string, end: JobEnd): Promise<boolean>;
  /** Marks a running job's cancel request; false when it is not running. */
  requestCancel(id: string): Promise<boolean>;
}
