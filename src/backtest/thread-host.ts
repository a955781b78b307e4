import { parentPort } from 'node:worker_threads';
import type { RunInputs } from './inputs.js';
import { runJob, type Job, type JobResult } from './jobs.js';
import type { ProviderFactory } from './provider-run.js';
import { epochMs, threadCpuMs } from './thread-cpu.js';

/**
 * Messages a pool sends to its workers. A batch goes to every worker with one shared counter:
 * each worker claims its next job with an atomic increment, so no worker waits on the main
 * thread between jobs and the work splits itself evenly down to the last job.
 */
export type ToWorker = { type: 'init'; inputs: RunInputs; trace: boolean } | { type: 'batch'; batch: number; jobs: Job[]; next: Int32Array };

/** Where and when one job ran on its worker: epoch ms (comparable across threads) and the worker thread's own CPU. */
export interface WorkerSpan {
  start: number;
  end: number;
  /** The worker thread's CPU counter (ms) at start and end: end − start is the job's CPU, gaps between jobs are the worker's own overhead. */
  cpuStart?: number;
  cpuEnd?: number;
}

/** Messages a worker sends back: `ready` once after init (traced pools only), then one reply per job it claimed. */
export type FromWorker = { type: 'ready'; at: number; cpu?: number } | ({ type: 'done'; batch: number; index: number; span?: WorkerSpan } & ({ ok: true; result: JobResult } | { ok: false; error: string }));

interface Batch {
  batch: number;
  jobs: Job[];
  next: Int32Array;
}

/**
 * The body of a worker_threads entry: receives the run's inputs once, then drains batches in
 * the order they arrive, one job at a time. Entries differ only in the providers they can make
 * (this layer knows no adapters).
 */
export function serveJobs(providers?: ProviderFactory): void {
  let inputs: RunInputs | null = null;
  let trace = false;
  const batches: Batch[] = [];
  let draining = false;

  async function drain(): Promise<void> {
    draining = true;
    while (batches.length) {
      const b = batches[0];
      const index = Atomics.add(b.next, 0, 1);
      if (index >= b.jobs.length) {
        batches.shift();
        continue;
      }
      const start = trace ? epochMs() : 0;
      const cpuStart = trace ? threadCpuMs() : undefined;
      let reply: FromWorker;
      try {
        reply = { type: 'done', batch: b.batch, index, ok: true, result: await runJob(inputs!, b.jobs[index], providers) };
      } catch (e) {
        reply = { type: 'done', batch: b.batch, index, ok: false, error: (e as Error).message };
      }
      if (trace) reply.span = { start, end: epochMs(), cpuStart, cpuEnd: threadCpuMs() };
      parentPort!.postMessage(reply);
    }
    draining = false;
  }

  parentPort!.on('message', (m: ToWorker) => {
    if (m.type === 'init') {
      inputs = m.inputs;
      trace = m.trace;
      // The thread's CPU by now is its start-up: module loading and receiving the inputs.
      if (trace) parentPort!.postMessage({ type: 'ready', at: epochMs(), cpu: threadCpuMs() } satisfies FromWorker);
      return;
    }
    batches.push(m);
    if (!draining) void drain();
  });
}
