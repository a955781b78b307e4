import type { Command } from 'commander';
import { inputError } from '../../../core/errors.js';
import { print, withApi } from '../run.js';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('consume backtest jobs (walk-forward, Monte Carlo, optimisation) from Redis and store their results; with jobs.redis_url, API backtest jobs too')
    .option('--redis <url>', 'Redis URL (default backtest.redis_url)')
    .option('--concurrency <n>', 'jobs run at once by this process', '1')
    .action(async (o: { redis?: string; concurrency: string }, cmd: Command) => {
      const concurrency = Number(o.concurrency);
      if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw inputError('FLAG_INVALID', `--concurrency must be a positive integer, got "${o.concurrency}"`);
      await withApi(cmd, async (api) => {
        const { url, close } = await api.backtests.startWorker(o.redis, concurrency);
        print(`worker ${process.pid} consuming from ${url} (concurrency ${concurrency}); Ctrl-C to stop`);
        // API backtest jobs (POST /api/v1/backtests) too, when they go through Redis (jobs.redis_url).
        if (await api.jobs.consume()) print(`worker ${process.pid} also runs API backtest jobs from the ffe-jobs queue (jobs.concurrency at once)`);
        await new Promise<void>((resolve) => {
          const stop = () => void close().then(resolve);
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      });
    });
}
