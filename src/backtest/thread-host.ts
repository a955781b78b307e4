import { parentPort } from 'node:worker_threads';
import type { RunInputs } from './inputs.js';
import { runJob, type Job } from './jobs.js';
import type { ProviderFactory } from './provider-run.js';
import { epochMs, threadCpuMs } from './thread-cpu.js';

/** Messages a pool sends to its workers. */
export type ToWorker = { type: 'init'; inputs: RunInputs; trace: boolean } | { type: 'job'; id: number; job: Job };

/** Where and when one job ran on its worker: epoch ms (comparable across threads) and the worker thread's own CPU. */
export interface WorkerSpan {
  start: number;
  end: number;
  /** The worker thread's CPU counter (ms) at start and end: end − start is the job's CPU, gaps between jobs are the worker's own overhead. */
  cpuStart?: number;
  cpuEnd?: number;
}

/** Messages a worker sends back: `ready` once after init (traced pools only), then one reply per job. */
export type FromWorker =
  | { type: 'ready'; at: number; cpu?: number }
  | { type: 'done'; id: number; ok: true; result: import('./jobs.js').JobResult; span?: WorkerSpan }
  | { type: 'done'; id: number; ok: false; error: string; span?: WorkerSpan };

/**
 * The body of a worker_threads entry: receives the run's inputs once, then runs jobs one at a
 * time. Entries differ only in the providers they can make (this layer knows no adapters).
 */
export function serveJobs(providers?: ProviderFactory): void {
  let inputs: RunInputs | null = null;
  let trace = false;
  parentPort!.on('message', async (m: ToWorker) => {
    if (m.type === 'init') {
      inputs = m.inputs;
      trace = m.trace;
      // The thread's CPU by now is its start-up: module loading and receiving the inputs.
      if (trace) parentPort!.postMessage({ type: 'ready', at: epochMs(), cpu: threadCpuMs() } satisfies FromWorker);
      return;
    }
    const start = trace ? epochMs() : 0;
    const cpuStart = trace ? threadCpuMs() : undefined;
    let reply: FromWorker;
    try {
      reply = { type: 'done', id: m.id, ok: true, result: await runJob(inputs!, m.job, providers) };
    } catch (e) {
      reply = { type: 'done', id: m.id, ok: false, error: (e as Error).message };
    }
    if (trace) reply.span = { start, end: epochMs(), cpuStart, cpuEnd: threadCpuMs() };
    parentPort!.postMessage(reply);
  });
}
