import { z } from 'zod';
import { defineProvider, requireModel } from '../adapter.js';
import { ANTHROPIC_DEFAULT_URL, anthropicProvider } from './anthropic-provider.js';

export const anthropic = defineProvider({
  kind: 'anthropic',
  summary: 'the Anthropic Messages API (/v1/messages)',
  configSchema: z.object({}),
  defaultBaseUrl: ANTHROPIC_DEFAULT_URL,
  locality: 'by-url',
  apiKeyEnv: 'ANTHROPIC_API_KEY',
  check: requireModel('anthropic'),
  create: anthropicProvider,
});
