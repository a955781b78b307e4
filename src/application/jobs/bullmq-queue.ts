import { Queue, Worker } from 'bullmq';
import { connection, ping } from '../../backtest/queue.js';

/** Distinct from `ffe-backtest` (the fan-out of one run's evaluations): here one queue entry is one whole API job. */
export const JOBS_QUEUE = 'ffe-jobs';

/**
 * The Redis side of the job registry: only ids travel (the job itself, its progress and its result
 * live in the store every consumer shares), so a consumer in any `ffe serve` or `ffe worker` on
 * the data home runs it on the same path as the in-process queue.
 */
export class BullJobQueue {
  private constructor(
    private readonly queue: Queue,
    private readonly worker: Worker,
  ) {}

  /** Connects (failing fast with REDIS_UNREACHABLE) and starts consuming with `concurrency` jobs at once. */
  static async open(url: string, concurrency: number, run: (id: string) => Promise<void>, lost: (id: string, reason: string) => void): Promise<BullJobQueue> {
    await ping(url);
    const conn = connection(url);
    const queue = new Queue(JOBS_QUEUE, { connection: conn });
    const worker = new Worker<{ id: string }>(JOBS_QUEUE, async (job) => run(job.data.id), {
      connection: conn,
      concurrency,
      // In-process runs are CPU work on this event loop: a long synchronous stretch must not make
      // BullMQ think the job stalled and hand it to another consumer meanwhile.
      lockDuration: 5 * 60_000,
    });
    // `run` records every outcome itself; a failure here is BullMQ giving up on a stalled job
    // (its consumer died), which the store must hear about.
    worker.on('failed', (job, err) => {
      if (job) lost(job.data.id, err.message);
    });
    worker.on('error', () => undefined);
    await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
    return new BullJobQueue(queue, worker);
  }

  /** Adds the job; adding an id already in the queue is a no-op (BullMQ dedups by job id), so recovery may re-add. */
  async add(id: string): Promise<void> {
    await this.queue.add('job', { id }, { jobId: id, attempts: 1, removeOnComplete: 1000, removeOnFail: 1000 });
  }

  /** Drops a waiting entry (a cancelled job); an active or missing one is left alone. */
  async remove(id: string): Promise<void> {
    await this.queue.remove(id).catch(() => undefined);
  }

  /** BullMQ's view of the job: `active`, `waiting`, `completed`, `failed`, ... or `unknown` when Redis no longer has it. */
  state(id: string): Promise<string> {
    return this.queue.getJobState(id);
  }

  async close(): Promise<void> {
    // Jobs in hand were aborted by the registry before this; don't wait on BullMQ's own drain.
    await Promise.allSettled([this.worker.close(true), this.queue.close()]);
  }
}
