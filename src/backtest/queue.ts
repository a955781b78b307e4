import { hostname } from 'node:os';
import { Queue, QueueEvents, Worker, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { ulid } from 'ulid';
import { FfeError, inputError } from '../core/errors.js';
import type { Job, JobResult, JobRunner } from './jobs.js';
import type { JobResultRepository } from '../store/port.js';

export const QUEUE_NAME = 'ffe-backtest';

/** What travels through Redis: the run's request (each worker loads its own data) and one job. */
export interface QueueJobData<R = unknown> {
  runId: string;
  jobId: string;
  request: R;
  job: Job;
}

/** Fails fast with a clear error when nothing answers at `url` (BullMQ itself would retry forever). */
export async function ping(url: string): Promise<void> {
  const client = new Redis({ ...(connection(url) as object), lazyConnect: true, connectTimeout: 3000, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    throw new FfeError('runtime', 'REDIS_UNREACHABLE', `cannot reach Redis at ${url}: ${(e as Error).message}`);
  } finally {
    client.disconnect();
  }
}

export function connection(url: string): ConnectionOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw inputError('REDIS_URL_INVALID', `bad Redis URL "${url}": expected redis://host:port`);
  }
  if (u.protocol !== 'redis:') throw inputError('REDIS_URL_INVALID', `bad Redis URL "${url}": expected redis://host:port`);
  return { host: u.hostname, port: Number(u.port || 6379), password: u.password || undefined, db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0, maxRetriesPerRequest: null };
}

/**
 * Runs jobs on `ffe worker` processes: enqueues them under one run id and waits for each to
 * finish. Workers may be on any host that reaches the Redis server.
 */
export class QueueRunner<R = unknown> implements JobRunner {
  /** Jobs are cut for this many consumers (more chunks balance uneven workers). */
  readonly parallelism: number;
  readonly runId = ulid();
  private added = 0;
  /** When a job of the queue last finished (ms): runs fail only after `timeoutMs` without any. */
  private lastProgress = Date.now();

  private constructor(
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly request: R,
    private readonly timeoutMs: number,
    parallelism: number,
  ) {
    this.parallelism = parallelism;
    // Concurrent runs (walk-forward windows) each listen for their own jobs.
    events.setMaxListeners(0);
    const progress = () => (this.lastProgress = Date.now());
    events.on('completed', progress);
    events.on('failed', progress);
  }

  static async connect<R>(url: string, request: R, opts: { timeoutMs?: number; parallelism?: number } = {}): Promise<QueueRunner<R>> {
    await ping(url);
    const conn = connection(url);
    const queue = new Queue(QUEUE_NAME, { connection: conn });
    const events = new QueueEvents(QUEUE_NAME, { connection: conn });
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return new QueueRunner(queue, events, request, opts.timeoutMs ?? 30 * 60_000, opts.parallelism ?? 4);
  }

  async run(jobs: Job[]): Promise<JobResult[]> {
    const ids = jobs.map((_, k) => `${this.runId}-${String(this.added + k).padStart(6, '0')}`);
    this.added += jobs.length;
    // One listener pair for the whole batch, registered before the jobs exist, so no event is missed.
    const waiting = new Map<string, { resolve: (r: JobResult) => void; reject: (e: Error) => void }>();
    const done = ids.map((id) => new Promise<JobResult>((resolve, reject) => waiting.set(id, { resolve, reject })));
    const onCompleted = ({ jobId }: { jobId: string }) => {
      const w = waiting.get(jobId);
      if (!w) return;
      waiting.delete(jobId);
      this.queue.getJob(jobId).then((j) => (j ? w.resolve(j.returnvalue as JobResult) : w.reject(new Error(`job ${jobId} vanished from the queue`))), w.reject);
    };
    const onFailed = ({ jobId, failedReason }: { jobId: string; failedReason: string }) => {
      const w = waiting.get(jobId);
      if (!w) return;
      // A failure with attempts left is retried by BullMQ; only the final one rejects.
      this.queue.getJob(jobId).then((j) => {
        if (j && j.attemptsMade < (j.opts.attempts ?? 1)) return;
        waiting.delete(jobId);
        w.reject(new Error(failedReason));
      }, w.reject);
    };
    this.events.on('completed', onCompleted);
    this.events.on('failed', onFailed);
    // An inactivity limit, not a deadline: runs queued together (walk-forward windows) wait their
    // turn behind each other's jobs for as long as the workers keep finishing some.
    this.lastProgress = Date.now();
    const timer = setInterval(
      () => {
        if (Date.now() - this.lastProgress < this.timeoutMs) return;
        waiting.forEach((w, id) => w.reject(new Error(`job ${id}: no job finished for ${this.timeoutMs} ms; is an ffe worker running?`)));
      },
      Math.min(this.timeoutMs, 5_000),
    );
    try {
      const data = (k: number): QueueJobData<R> => ({ runId: this.runId, jobId: ids[k], request: this.request, job: jobs[k] });
      await this.queue.addBulk(jobs.map((job, k) => ({ name: job.kind, data: data(k), opts: { jobId: ids[k], removeOnComplete: 1000, removeOnFail: 1000, attempts: 2 } })));
      return await Promise.all(done);
    } catch (e) {
      throw new FfeError('runtime', 'DISTRIBUTED_JOB_FAILED', `a distributed job failed: ${(e as Error).message}`);
    } finally {
      clearInterval(timer);
      this.events.off('completed', onCompleted);
      this.events.off('failed', onFailed);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.events.close(), this.queue.close()]);
  }
}

/**
 * The consumer side (`ffe worker`): runs each job with `execute` and stores its result in the
 * shared store before acknowledging it, so a coordinator, or anyone later, can read it back.
 */
export function startQueueWorker<R>(url: string, execute: (d: QueueJobData<R>) => Promise<JobResult>, results: JobResultRepository, concurrency = 1): Worker {
  const name = `${hostname()}:${process.pid}`;
  return new Worker<QueueJobData<R>, JobResult>(
    QUEUE_NAME,
    async (job) => {
      const result = await execute(job.data);
      await results.save({ runId: job.data.runId, jobId: job.data.jobId, kind: job.data.job.kind, worker: name, finishedAt: Date.now(), result });
      return result;
    },
    { connection: connection(url), concurrency },
  );
}
