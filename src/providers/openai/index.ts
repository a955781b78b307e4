import { z } from 'zod';
import { defineProvider, requireModel } from '../adapter.js';
import { OPENAI_DEFAULT_URL, openAiProvider } from './openai-provider.js';

export const openai = defineProvider({
  kind: 'openai',
  summary: 'any OpenAI-compatible server (/v1/chat/completions)',
  configSchema: z.object({}),
  defaultBaseUrl: OPENAI_DEFAULT_URL,
  locality: 'by-url',
  apiKeyEnv: 'OPENAI_API_KEY',
  check: requireModel('openai'),
  create: openAiProvider,
});
