import { z } from 'zod';
import { field } from '../../config/meta.js';
import { defineData } from '../adapter.js';
import { BundledMarketData } from './adapter.js';

export const bundled = defineData({
  kind: 'bundled',
  news: false,
  configSchema: z.strictObject({
    dir: field(z.string().nullable().default(null), { description: 'folder of bundled CSVs (null: the copy shipped in the package)' }),
  }),
  create: (c) => new BundledMarketData(c.dir ?? undefined),
});
