import { z } from 'zod';
import { defineProvider } from '../adapter.js';
import { RulesProvider } from './rules-provider.js';

export const rules = defineProvider({
  kind: 'rules',
  summary: 'the built-in deterministic rules',
  configSchema: z.object({}),
  defaultBaseUrl: null,
  locality: 'local',
  pure: true,
  create: (name) => new RulesProvider(name),
});
