import { parentPort } from 'node:worker_threads';
import type { RunInputs } from './inputs.js';
import { runJob, type Job } from './jobs.js';

/** worker_threads entry: receives the run's inputs once, then runs jobs one at a time. */
let inputs: RunInputs | null = null;
parentPort!.on('message', async (m: { type: 'init'; inputs: RunInputs } | { type: 'job'; id: number; job: Job }) => {
  if (m.type === 'init') {
    inputs = m.inputs;
    return;
  }
  try {
    parentPort!.postMessage({ id: m.id, ok: true, result: await runJob(inputs!, m.job) });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, ok: false, error: (e as Error).message });
  }
});
