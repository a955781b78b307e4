import { z } from 'zod';
import { field } from '../meta.js';

export const monitorSection = z.strictObject({
  poll_interval_seconds: field(z.number().positive().default(30), { description: 'how often the trade monitor looks for positions and prices' }),
  max_trackers: field(z.number().int().min(1).default(2), { description: 'positions tracked at once; the rest wait in a pending queue' }),
});
