import { z } from 'zod';
import { defineProvider, requireModel } from '../adapter.js';
import { OLLAMA_DEFAULT_URL, ollamaProvider } from './ollama-provider.js';

export const ollama = defineProvider({
  kind: 'ollama',
  summary: 'an Ollama server (/api/chat)',
  configSchema: z.object({}),
  defaultBaseUrl: OLLAMA_DEFAULT_URL,
  locality: 'by-url',
  check: requireModel('ollama'),
  create: ollamaProvider,
});
