import { z } from 'zod';
import { defineProvider, requireModel } from '../adapter.js';
import { GEMINI_DEFAULT_URL, geminiProvider } from './gemini-provider.js';

export const gemini = defineProvider({
  kind: 'gemini',
  summary: 'the Google Gemini API (/v1beta/models/{model}:generateContent)',
  configSchema: z.object({}),
  defaultBaseUrl: GEMINI_DEFAULT_URL,
  locality: 'by-url',
  apiKeyEnv: 'GEMINI_API_KEY',
  check: requireModel('gemini'),
  create: geminiProvider,
});
