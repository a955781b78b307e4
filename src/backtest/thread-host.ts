import { parentPort } from 'node:worker_threads';
import type { RunInputs } from './inputs.js';
import { runJob, type Job } from './jobs.js';
import type { ProviderFactory } from './provider-run.js';

/**
 * The body of a worker_threads entry: receives the run's inputs once, then runs jobs one at a
 * time. Entries differ only in the providers they can make (this layer knows no adapters).
 */
export function serveJobs(providers?: ProviderFactory): void {
  let inputs: RunInputs | null = null;
  parentPort!.on('message', async (m: { type: 'init'; inputs: RunInputs } | { type: 'job'; id: number; job: Job }) => {
    if (m.type === 'init') {
      inputs = m.inputs;
      return;
    }
    try {
      parentPort!.postMessage({ id: m.id, ok: true, result: await runJob(inputs!, m.job, providers) });
    } catch (e) {
      parentPort!.postMessage({ id: m.id, ok: false, error: (e as Error).message });
    }
  });
}
