import type { Command } from 'commander';
import type { serveMetrics } from '../../http/metrics-endpoint.js';
import { inputError } from '../../../core/errors.js';
import { print, withApi } from '../run.js';

function metricsPort(v: string | undefined): number | null {
  if (v === undefined) return null;
  const n = Number(v);
  if (!(/^\d+$/.test(v) && n >= 1 && n <= 65535)) throw inputError('FLAG_INVALID', `--metrics-port must be an integer from 1 to 65535, got "${v}"`);
  return n;
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('consume backtest jobs (walk-forward, Monte Carlo, optimisation) from Redis and store their results; with jobs.redis_url, API backtest jobs too')
    .option('--redis <url>', 'Redis URL (default backtest.redis_url)')
    .option('--concurrency <n>', 'jobs run at once by this process', '1')
    .option('--metrics-port <port>', 'serve Prometheus metrics on http://127.0.0.1:<port>/metrics (default: off; docs/metrics.md)')
    .action(async (o: { redis?: string; concurrency: string; metricsPort?: string }, cmd: Command) => {
      const concurrency = Number(o.concurrency);
      if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw inputError('FLAG_INVALID', `--concurrency must be a positive integer, got "${o.concurrency}"`);
      const port = metricsPort(o.metricsPort);
      await withApi(cmd, async (api) => {
        const { url, close } = await api.backtests.startWorker(o.redis, concurrency);
        let endpoint: Awaited<ReturnType<typeof serveMetrics>> | null = null;
        if (port !== null) {
          try {
            // Loaded only when asked for: prom-client costs every other command its import.
            const [{ createMetrics }, { serveMetrics }] = await Promise.all([import('../../../application/metrics/index.js'), import('../../http/metrics-endpoint.js')]);
            endpoint = await serveMetrics(createMetrics(api, 'worker').registry, port);
          } catch (e) {
            await close();
            throw inputError('FLAG_INVALID', `--metrics-port ${port}: cannot listen on 127.0.0.1:${port} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
          }
        }
        print(`worker ${process.pid} consuming from ${url} (concurrency ${concurrency})${endpoint ? `; metrics on http://127.0.0.1:${endpoint.port}/metrics` : ''}; Ctrl-C to stop`);
        // API backtest jobs (POST /api/v1/backtests) too, when they go through Redis (jobs.redis_url).
        if (await api.jobs.consume()) print(`worker ${process.pid} also runs API backtest jobs from the ffe-jobs queue (jobs.concurrency at once)`);
        await new Promise<void>((resolve) => {
          const stop = () => void Promise.all([close(), endpoint?.close()]).then(() => resolve());
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      });
    });
}
