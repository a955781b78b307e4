import { z } from 'zod';
import { field } from '../meta.js';

export const backupSection = z.strictObject({
  dir: field(z.string().nullable().default(null), { description: 'folder `ffe backup create` writes to and `list`/`prune` read (null: <data home>/backups; relative paths are relative to the working directory)' }),
  retention_days: field(z.number().int().min(1).default(7), { description: 'days a backup is kept: `ffe backup create` removes older ones from its folder after a successful backup' }),
});
