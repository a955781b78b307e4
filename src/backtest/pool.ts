import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { FfeError } from '../core/errors.js';
import { packageRoot } from '../lib/package-root.js';
import type { RunInputs } from './inputs.js';
import type { Job, JobResult, JobRunner } from './jobs.js';
import { epochMs } from './thread-cpu.js';
import type { FromWorker, ToWorker, WorkerSpan } from './thread-host.js';

/** The compiled worker script, `script` relative to src/ (tests run from TypeScript sources; workers always run the build). */
function workerUrl(script: string): URL {
  if (!import.meta.url.endsWith('.ts')) return new URL(`../${script}`, import.meta.url);
  const built = join(packageRoot(), 'dist/src', script);
  if (!existsSync(built)) throw new FfeError('runtime', 'WORKER_NOT_BUILT', `worker threads need the build (${built}); run npm run build`);
  return pathToFileURL(built);
}

/**
 * `value` with every typed array moved into SharedArrayBuffer memory (one copy, made here).
 * Posting the result to a worker shares that memory instead of cloning it, so N workers hold one
 * copy of the bars instead of N and starting a worker copies nothing. Views of one buffer (the
 * column subarrays of a window) stay views of one shared buffer. Workers only read their inputs
 * (perturbed runs write into buffers of their own), so sharing needs no locking.
 */
export function shareTypedArrays<T>(value: T, shared = new Map<ArrayBufferLike, SharedArrayBuffer>()): T {
  if (ArrayBuffer.isView(value)) {
    if (value instanceof DataView || value.buffer instanceof SharedArrayBuffer) return value;
    let sab = shared.get(value.buffer);
    if (!sab) {
      sab = new SharedArrayBuffer(value.buffer.byteLength);
      new Uint8Array(sab).set(new Uint8Array(value.buffer));
      shared.set(value.buffer, sab);
    }
    const View = value.constructor as new (buffer: SharedArrayBuffer, byteOffset: number, length: number) => T;
    return new View(sab, value.byteOffset, (value as unknown as { length: number }).length);
  }
  if (Array.isArray(value)) return value.map((v: unknown) => shareTypedArrays(v, shared)) as T;
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    // Only plain data: structured clone would drop a class's prototype anyway, and walking one
    // could reach state that is not the run's input.
    if (proto !== Object.prototype && proto !== null) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = shareTypedArrays(v, shared);
    return out as T;
  }
  return value;
}

/** Young generation of a worker, MB: three semi-spaces of YOUNG_MB / 3 (V8's layout for resourceLimits). */
const YOUNG_MB = 96;
let youngFixed = false;

/**
 * Workers start with their young generation at its full size instead of V8's small initial one.
 * A 200k-bar run allocates ~15 MB of short-lived numbers; with the initial 8 MB semi-space each
 * run cost 2-3 scavenges, whose parallel helpers ran on V8's shared threads and took the other
 * worker's core (2 workers used ~3x the helper CPU of 1). A fixed 32 MB semi-space: 5x fewer
 * scavenges. Worker heaps are configured when the worker starts, so setting the V8 flag before
 * the first worker is enough; isolates already running (the main thread's) keep theirs.
 */
function fixYoungGeneration(): void {
  if (youngFixed) return;
  youngFixed = true;
  setFlagsFromString(`--min-semi-space-size=${YOUNG_MB / 3}`);
}

/** One `run` call in flight: its jobs, their shared claim counter, and the results so far. */
interface Batch {
  jobs: Job[];
  next: Int32Array;
  results: JobResult[];
  left: number;
  resolve: (r: JobResult[]) => void;
  reject: (e: Error) => void;
  posted: number;
}

/** One job of a traced pool: which worker ran it, when the main thread posted its batch and took its reply (epoch ms), and the worker's own span. */
export interface JobTrace {
  worker: number;
  posted: number;
  received: number;
  span?: WorkerSpan;
}

/** What a traced pool saw: when each worker was ready (and its start-up CPU) and the jobs since the last take. */
export interface PoolTrace {
  created: number;
  ready: ({ at: number; cpu?: number } | undefined)[];
  jobs: JobTrace[];
}

/**
 * A worker_threads pool: each worker receives the run's inputs once, their columns in shared
 * memory (see shareTypedArrays). A `run` posts its jobs to every worker with one shared counter
 * and each worker claims the next job itself (thread-host.ts): no worker waits for the main
 * thread between jobs, a slow job never holds up the others, and the last jobs go to whichever
 * worker is free first. Job messages and results are a few numbers (seeds, parameter sets,
 * metrics), so per-job overhead is one small reply, not data.
 */
export class ThreadPool implements JobRunner {
  readonly parallelism: number;
  private readonly workers: Worker[] = [];
  private readonly batches = new Map<number, Batch>();
  private seq = 0;
  private readonly trace: PoolTrace | undefined;

  /**
   * `script`: the worker entry, relative to src/; the app's entry can also make providers.
   * `trace`: workers time each job (wall and their own CPU) for `takeTrace` (the scaling bench).
   */
  constructor(inputs: RunInputs, size = 0, script = 'backtest/worker-thread.js', opts: { trace?: boolean } = {}) {
    this.parallelism = size > 0 ? size : availableParallelism();
    this.trace = opts.trace ? { created: epochMs(), ready: [], jobs: [] } : undefined;
    const url = workerUrl(script);
    fixYoungGeneration();
    const shared = shareTypedArrays(inputs);
    for (let i = 0; i < this.parallelism; i++) {
      // A roomy young generation: simulations allocate per run, and on a 2-core machine V8's
      // parallel scavenger helpers would otherwise steal the other worker's core.
      const w = new Worker(url, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } });
      w.postMessage({ type: 'init', inputs: shared, trace: !!opts.trace } satisfies ToWorker);
      w.on('message', (m: FromWorker) => this.onMessage(i, m));
      // A worker that dies takes its claimed job with it: fail every run in flight rather than wait forever.
      w.on('error', (e) => {
        for (const id of [...this.batches.keys()]) this.fail(id, e);
      });
      this.workers.push(w);
    }
  }

  private onMessage(worker: number, m: FromWorker): void {
    if (m.type === 'ready') {
      if (this.trace) this.trace.ready[worker] = { at: m.at, cpu: m.cpu };
      return;
    }
    const b = this.batches.get(m.batch);
    // A batch already failed: its other jobs' replies are dropped.
    if (!b) return;
    if (this.trace) this.trace.jobs.push({ worker, posted: b.posted, received: epochMs(), span: m.span });
    if (!m.ok) {
      this.fail(m.batch, new FfeError('runtime', 'WORKER_JOB_FAILED', `worker job failed: ${m.error}`));
      return;
    }
    b.results[m.index] = m.result;
    if (--b.left === 0) {
      this.batches.delete(m.batch);
      b.resolve(b.results);
    }
  }

  /** Rejects a run and stops its unclaimed jobs (the counter jumps to the end). */
  private fail(id: number, e: Error): void {
    const b = this.batches.get(id);
    if (!b) return;
    this.batches.delete(id);
    Atomics.store(b.next, 0, b.jobs.length);
    b.reject(e);
  }

  /** The trace so far (a traced pool only), its jobs cleared for the next run. */
  takeTrace(): PoolTrace | undefined {
    if (!this.trace) return undefined;
    const out = { ...this.trace, ready: [...this.trace.ready], jobs: this.trace.jobs };
    this.trace.jobs = [];
    return out;
  }

  run(jobs: Job[]): Promise<JobResult[]> {
    if (!jobs.length) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const id = this.seq++;
      const next = new Int32Array(new SharedArrayBuffer(4));
      this.batches.set(id, { jobs, next, results: new Array<JobResult>(jobs.length), left: jobs.length, resolve, reject, posted: epochMs() });
      for (const w of this.workers) w.postMessage({ type: 'batch', batch: id, jobs, next } satisfies ToWorker);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
