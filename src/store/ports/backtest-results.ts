/** One finished distributed job, as `ffe worker` stores it in the shared store. */
export interface JobResultRecord {
  runId: string;
  jobId: string;
  kind: string;
  worker: string;
  /** ms. */
  finishedAt: number;
  result: unknown;
}

export interface JobResultRepository {
  save(r: JobResultRecord): Promise<void>;
  list(runId: string): Promise<JobResultRecord[]>;
}
