import { z } from 'zod';
import { field } from '../meta.js';

export const auditSection = z.strictObject({
  retention_days: field(z.number().int().min(1).default(2557), { description: 'days audit log entries are kept before `prune` removes them (2557 ≈ 7 years, as brokers keep records)' }),
});
