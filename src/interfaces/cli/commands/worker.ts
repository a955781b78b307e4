import type { Command } from 'commander';
import { inputError } from '../../../core/errors.js';
import { print, withApi } from '../run.js';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('consume backtest jobs (walk-forward, Monte Carlo, optimisation) from Redis and store their results')
    .option('--redis <url>', 'Redis URL (default backtest.redis_url)')
    .option('--concurrency <n>', 'jobs run at once by this process', '1')
    .action(async (o: { redis?: string; concurrency: string }, cmd: Command) => {
      const concurrency = Number(o.concurrency);
      if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw inputError('FLAG_INVALID', `--concurrency must be a positive integer, got "${o.concurrency}"`);
      await withApi(cmd, async (api) => {
        const { url, close } = await api.backtests.startWorker(o.redis, concurrency);
        print(`worker ${process.pid} consuming from ${url} (concurrency ${concurrency}); Ctrl-C to stop`);
        await new Promise<void>((resolve) => {
          const stop = () => void close().then(resolve);
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      });
    });
}
