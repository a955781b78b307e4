import { z } from 'zod';
import { field } from '../meta.js';
import { urlSetting } from '../url.js';

/** Backtest jobs submitted through the API (`POST /api/v1/backtests`). */
export const jobsSection = z.strictObject({
  concurrency: field(z.number().int().min(1).max(64).default(1), { description: 'backtest jobs run at once by this process; the rest wait in the queue' }),
  redis_url: field(urlSetting(['redis', 'rediss']).nullable().default(null), {
    description: 'Redis for backtest jobs (null: an in-process queue); set, jobs go through a BullMQ queue that `ffe serve` and `ffe worker` processes on the same data home consume',
  }),
});
