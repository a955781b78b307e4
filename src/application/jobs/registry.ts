import { FfeError, isFfeError } from '../../core/errors.js';
import { redact } from '../../core/redact.js';
import type { JobRecord } from '../../store/port.js';
import type { JobControl } from '../job-control.js';
import type { Runtime } from '../runtime.js';
import type { BullJobQueue } from './bullmq-queue.js';
import type { AnyJobParams, BacktestJobKind } from './params.js';

/** Runs a job's work: the backtest path (see work.ts), the same whichever queue delivered the job. */
export type JobWork = (kind: BacktestJobKind, params: AnyJobParams, c: JobControl) => Promise<unknown>;

/** Progress is written at most this often (plus the last step); events have their own throttle (job-control.ts). */
const PROGRESS_WRITE_MS = 250;
/** How often a running job looks for a cancel requested by another process (BullMQ consumers elsewhere). */
const CANCEL_POLL_MS = 1000;

export const interrupted = () => new FfeError('runtime', 'JOB_INTERRUPTED', 'the process running the job stopped before it finished; submit it again');

interface Running {
  abort: AbortController;
  /** The runtime is closing: the job ends as interrupted, not cancelled. */
  stopping: boolean;
  done: Promise<void>;
}

/**
 * Queues and runs the stored jobs of one runtime: an in-process FIFO (`jobs.concurrency` at once)
 * or, with `jobs.redis_url`, a BullMQ queue this process also consumes. Either way a job runs
 * through `execute`: claim it in the store, run the work with a JobControl whose signal cancels
 * it, persist throttled progress, and record how it ended.
 */
export class JobRegistry {
  private readonly waiting: string[] = [];
  private readonly running = new Map<string, Running>();
  private bull: Promise<BullJobQueue> | null = null;
  private stopped = false;

  constructor(
    private readonly rt: Runtime,
    private readonly work: JobWork,
  ) {}

  private get store() {
    return this.rt.app.store;
  }

  private get redisUrl(): string | null {
    return this.rt.app.config.jobs.redis_url;
  }

  /** The BullMQ queue, connected (and consuming) on first use. */
  private remote(): Promise<BullJobQueue> {
    this.bull ??= import('./bullmq-queue.js').then(({ BullJobQueue }) =>
      BullJobQueue.open(
        this.redisUrl!,
        this.rt.app.config.jobs.concurrency,
        (id) => this.execute(id, true),
        (id, reason) => void this.end(id, 'failed', undefined, { code: 'JOB_INTERRUPTED', message: `the queue gave up on the job: ${reason}` }).catch(() => undefined),
      ),
    );
    // A failed connection is not kept: the next call tries again.
    this.bull.catch(() => (this.bull = null));
    return this.bull;
  }

  get distributed(): boolean {
    return this.redisUrl !== null;
  }

  /** Hands a stored, queued job to the queue. */
  async enqueue(id: string): Promise<void> {
    if (this.stopped) return;
    if (this.distributed) return (await this.remote()).add(id);
    if (!this.waiting.includes(id)) this.waiting.push(id);
    this.pump();
  }

  private pump(): void {
    while (!this.stopped && this.running.size < this.rt.app.config.jobs.concurrency && this.waiting.length) void this.execute(this.waiting.shift()!, false);
  }

  /** Starts consuming (BullMQ) without submitting anything: a server's start-up. */
  async consume(): Promise<void> {
    if (this.distributed) await this.remote();
  }

  isLocal(id: string): boolean {
    return this.running.has(id) || this.waiting.includes(id);
  }

  /** BullMQ's state of a job, or null in-process. */
  async remoteState(id: string): Promise<string | null> {
    return this.distributed ? (await this.remote()).state(id) : null;
  }

  /** A queued job leaves the queue without running. */
  async dequeue(id: string): Promise<void> {
    const k = this.waiting.indexOf(id);
    if (k >= 0) this.waiting.splice(k, 1);
    if (this.distributed) await (await this.remote()).remove(id);
  }

  /** Aborts a job running in this process and waits for it to end; false when it does not run here. */
  async abortLocal(id: string): Promise<boolean> {
    const r = this.running.get(id);
    if (!r) return false;
    r.abort.abort();
    await r.done;
    return true;
  }

  /** Resolves once the job is no longer running in this process (immediately when it is not). */
  async settledLocally(id: string): Promise<void> {
    await this.running.get(id)?.done;
  }

  end(id: string, status: 'succeeded' | 'failed' | 'cancelled', result?: unknown, error?: { code: string; message: string }): Promise<boolean> {
    return this.store.jobs.finish(id, { status, result, error, at: Date.now() });
  }

  /**
   * Runs one job. `redelivered`: BullMQ may hand over a job its dead consumer left running. A job
   * that is no longer queued (cancelled meanwhile, or taken by another consumer) is skipped.
   */
  private async execute(id: string, redelivered: boolean): Promise<void> {
    let finished!: () => void;
    const entry: Running = { abort: new AbortController(), stopping: false, done: new Promise<void>((r) => (finished = r)) };
    this.running.set(id, entry);
    try {
      if (this.stopped || !(await this.store.jobs.start(id, Date.now(), redelivered))) return;
      const job = (await this.store.jobs.get(id)) as JobRecord;
      const progress = new ProgressWriter(this.rt, id, entry.abort);
      const poll = setInterval(() => void progress.lookForCancel(), CANCEL_POLL_MS);
      poll.unref();
      try {
        const result = await this.work(job.kind as BacktestJobKind, job.params as AnyJobParams, { jobId: id, signal: entry.abort.signal, onProgress: (d, t) => progress.report(d, t) });
        await progress.flush();
        await this.end(id, 'succeeded', result);
      } catch (e) {
        await progress.flush();
        if (entry.stopping) {
          const i = interrupted();
          await this.end(id, 'failed', undefined, { code: i.code, message: i.message });
        } else if (isFfeError(e) && e.code === 'CANCELLED') {
          // The cancel recorded who asked (see `cancel`); this end only applies when it was not recorded.
          await this.end(id, 'cancelled', undefined, { code: 'CANCELLED', message: 'the job was cancelled' });
        } else {
          const err = isFfeError(e) ? e : new FfeError('runtime', 'JOB_FAILED', (e as Error).message ?? String(e));
          await this.end(id, 'failed', undefined, { code: err.code, message: redact(err.message, this.rt.secrets) });
        }
      } finally {
        clearInterval(poll);
      }
    } catch {
      // The store failed (closed under us, disk full): the job stays as it was; recover() settles it.
    } finally {
      this.running.delete(id);
      finished();
      this.pump();
    }
  }

  /**
   * Stops this process's part: jobs running here are aborted and recorded as interrupted (as a
   * killed process's would be at the next start), queued ones stay queued for the next start.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.waiting.length = 0;
    const all = [...this.running.values()];
    for (const r of all) {
      r.stopping = true;
      r.abort.abort();
    }
    await Promise.all(all.map((r) => r.done));
    if (this.bull) await (await this.bull.catch(() => null))?.close();
  }
}

/** A job's progress in the store: 0..1, never lower than already written, at most one write per PROGRESS_WRITE_MS. */
class ProgressWriter {
  private best = 0;
  private lastWrite = 0;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly rt: Runtime,
    private readonly id: string,
    private readonly abort: AbortController,
  ) {}

  /**
   * A search's total grows as it queues work (each walk-forward window, a refine round), so
   * done / total can fall; the stored figure holds its highest value so readers see it only rise.
   */
  report(done: number, total: number): void {
    const f = total > 0 ? Math.min(1, done / total) : 0;
    if (f <= this.best) return;
    this.best = f;
    const now = Date.now();
    if (f < 1 && now - this.lastWrite < PROGRESS_WRITE_MS) return;
    this.lastWrite = now;
    this.write(f);
  }

  private write(f: number): void {
    this.writing = this.writing
      .then(async () => {
        const r = await this.rt.app.store.jobs.progress(this.id, f);
        // Null: the job is no longer running in the store (cancelled, possibly from another process).
        if (!r || r.cancelRequested) this.abort.abort();
      })
      .catch(() => undefined);
  }

  /** A cancel asked for through the store (by another process) aborts the job here. */
  async lookForCancel(): Promise<void> {
    const j = await this.rt.app.store.jobs.get(this.id).catch(() => null);
    if (j && (j.cancelRequested || j.status !== 'running')) this.abort.abort();
  }

  /** The last figure written, then every write finished. */
  async flush(): Promise<void> {
    if (this.best > 0) this.write(this.best);
    await this.writing;
  }
}
