import type { RunInputs } from '../backtest/inputs.js';
import { InProcessRunner, runJob, type JobRunner } from '../backtest/jobs.js';
import { ThreadPool } from '../backtest/pool.js';
import type { BacktestRequest } from './backtest.js';
import { prepareRunInputs } from './backtest-inputs.js';
import type { App } from './container.js';
import { pureProviders } from './pure-providers.js';

export interface RunnerOptions {
  /** Worker threads; 1 runs in process, 0 or undefined uses backtest.workers (0 there: one per core). */
  workers?: number;
  /** Fan jobs out to `ffe worker` processes through Redis. */
  distributed?: boolean;
  redisUrl?: string;
}

export async function createRunner(app: App, req: BacktestRequest, inputs: RunInputs, opts: RunnerOptions): Promise<JobRunner> {
  if (opts.distributed) {
    // Loaded only here: BullMQ and ioredis cost every CLI process ~0.4 s of CPU at start-up otherwise.
    const { QueueRunner } = await import('../backtest/queue.js');
    return QueueRunner.connect(opts.redisUrl ?? app.config.backtest.redis_url, req);
  }
  const n = opts.workers ?? app.config.backtest.workers;
  return n === 1 ? new InProcessRunner(inputs, pureProviders) : new ThreadPool(inputs, n, 'app/backtest-thread.js');
}

/** Prepares a strategy or pure-provider run's inputs, opens the chosen runner around `fn` and always closes it. */
export async function withRunner<T>(app: App, req: BacktestRequest, opts: RunnerOptions, fn: (runner: JobRunner, inputs: RunInputs) => Promise<T>): Promise<T> {
  const inputs = await prepareRunInputs(app, req);
  const runner = await createRunner(app, req, inputs, opts);
  try {
    return await fn(runner, inputs);
  } finally {
    await runner.close();
  }
}

/** An `ffe worker` consumer: each run's data is loaded once per process from this host's market data. */
export async function startBacktestWorker(app: App, url: string, concurrency: number) {
  const { ping, startQueueWorker } = await import('../backtest/queue.js');
  await ping(url);
  const inputs = new Map<string, Promise<RunInputs>>();
  const load = (req: BacktestRequest) => {
    const key = JSON.stringify(req);
    let p = inputs.get(key);
    if (!p) {
      p = prepareRunInputs(app, req);
      // Only successes are worth keeping: a failed load must be tried again on the job's retry.
      p.catch(() => inputs.delete(key));
      inputs.set(key, p);
    }
    return p;
  };
  return startQueueWorker<BacktestRequest>(url, async (d) => runJob(await load(d.request), d.job, pureProviders), app.store.backtestResults, concurrency);
}
