import { resolve } from 'node:path';
import { z } from 'zod';
import { dataHome } from '../../application/home.js';
import { field } from '../../config/meta.js';
import { defineProvider } from '../adapter.js';
import { MlProvider } from './ml-provider.js';
import { defaultModelPath } from './model-file.js';

/** The model file an entry names (relative to the working directory), else `<data home>/models/ml.json`. */
export const modelPathOf = (configured: string | null, env: Record<string, string | undefined> = process.env, cwd = process.cwd()): string =>
  configured ? resolve(cwd, configured) : defaultModelPath(dataHome(env, cwd).dir);

export const ml = defineProvider({
  kind: 'ml',
  summary: 'a random forest trained on our own features (`ffe ml train`)',
  configSchema: z.object({
    model_file: field(z.string().min(1).nullable().default(null), { description: 'ml kind: the model file `ffe ml train` wrote (null: <data home>/models/ml.json)' }),
  }),
  defaultBaseUrl: null,
  locality: 'local',
  pure: true,
  create: (name, p) => new MlProvider(name, modelPathOf(p.model_file)),
});
