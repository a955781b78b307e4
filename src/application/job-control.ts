import type { Job, JobResult, JobRunner } from '../backtest/jobs.js';
import { FfeError } from '../core/errors.js';
import { newUlid } from '../lib/fast-ulid.js';
import type { Runtime } from './runtime.js';

/** Progress and cancellation of a long job; the caller decides how progress is shown. */
export interface JobControl {
  onProgress?: (done: number, total: number) => void;
  /** Aborting cancels the job at its next progress step (error code CANCELLED: exit 130, HTTP 409). */
  signal?: AbortSignal;
  /** The id its BacktestProgress events carry (a stored job's id); a fresh one when absent. */
  jobId?: string;
}

export type JobKind = 'backtest' | 'walk_forward' | 'monte_carlo' | 'optimize';

/** BacktestProgress events: at most one per 1 % of the work or per this long, whichever comes first, plus the last. */
const EVENT_EVERY_MS = 500;

export const cancelled = () => new FfeError('runtime', 'CANCELLED', 'the job was cancelled');

/**
 * One running job's progress: it reports to the caller's `onProgress`, publishes throttled
 * BacktestProgress events (job kind, id, done, total) through the runtime's outbox, and turns an
 * aborted signal into CANCELLED at the next step. For searches the total grows as the search
 * queues work (a refine round, each walk-forward window).
 */
export class JobProgress {
  readonly id: string;
  done = 0;
  total = 0;
  private lastDone = -1;
  private lastAt = 0;

  constructor(
    private readonly rt: Runtime,
    readonly kind: JobKind,
    private readonly c: JobControl,
  ) {
    this.id = c.jobId ?? newUlid();
  }

  check(): void {
    if (this.c.signal?.aborted) throw cancelled();
  }

  /** A step of the work: reported, maybe published; throws CANCELLED once the signal aborted (also from inside `onProgress`). */
  report(done: number, total: number, last = false): void {
    if (!last) this.check();
    this.done = done;
    this.total = total;
    this.c.onProgress?.(done, total);
    const now = Date.now();
    if (done !== this.lastDone && (done >= total || done - this.lastDone >= total / 100 || now - this.lastAt >= EVENT_EVERY_MS)) this.publish(now);
    if (!last) this.check();
  }

  private publish(now: number): void {
    this.lastDone = this.done;
    this.lastAt = now;
    const event = { type: 'BacktestProgress' as const, at: now, payload: { job: this.kind, jobId: this.id, done: this.done, total: this.total } };
    this.rt.background(() => this.rt.emit([event]));
  }

  /** Runs the job: refused at once when already cancelled; ends with its last progress and every event published. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    this.check();
    try {
      const out = await fn();
      // Finished work is not cancelled by a late abort.
      this.report(Math.max(1, this.total), Math.max(1, this.total), true);
      return out;
    } finally {
      await this.rt.settled();
    }
  }

  /**
   * `runner` with progress per job and cancellation: before each job in process, and at once for
   * jobs on worker threads (the pool is closed when the job ends). Distributed runs count whole
   * batches: one queue listener per job would be one per job on Redis.
   */
  runner(inner: JobRunner, perJob: boolean): JobRunner {
    const signal = this.c.signal;
    const abortable = <T>(p: Promise<T>): Promise<T> => {
      if (!signal) return p;
      let onAbort = () => {};
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(cancelled());
        signal.addEventListener('abort', onAbort, { once: true });
      });
      return Promise.race([p, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
    };
    const finished = (n: number) => this.report(this.done + n, this.total);
    return {
      parallelism: inner.parallelism,
      close: () => inner.close(),
      run: async (jobs: Job[]): Promise<JobResult[]> => {
        this.check();
        this.total += jobs.length;
        if (!perJob) {
          const rs = await abortable(inner.run(jobs));
          finished(jobs.length);
          return rs;
        }
        if (inner.parallelism === 1) {
          const out: JobResult[] = [];
          for (const j of jobs) {
            // In process the jobs are synchronous work: a turn of the event loop between them lets a signal (Ctrl-C) be seen.
            await new Promise((r) => setImmediate(r));
            this.check();
            out.push(...(await inner.run([j])));
            finished(1);
          }
          return out;
        }
        return abortable(
          Promise.all(
            jobs.map(async (j) => {
              const [r] = await inner.run([j]);
              finished(1);
              return r;
            }),
          ),
        );
      },
    };
  }
}
