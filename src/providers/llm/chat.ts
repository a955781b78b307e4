import type { ProviderCommon } from '../config.js';
import type { StructuredOutput } from './format-fallback.js';
import type { LlmPrompt } from './prompt.js';

/** Settings shared by the chat-style HTTP adapters (Ollama, OpenAI-compatible). */
export interface ChatOptions {
  model: string;
  baseUrl?: string;
  temperature?: number;
  maxTokens?: number | null;
  /** json_schema: the answer schema constrains the output; json_object: any JSON; none: the prompt alone asks for JSON. */
  structuredOutput?: StructuredOutput;
}

/** The chat settings of a config entry (kinds ollama and openai, whose model the schema requires). */
export const chatOptions = (p: ProviderCommon): ChatOptions => ({
  model: p.model!,
  baseUrl: p.base_url ?? undefined,
  temperature: p.temperature,
  maxTokens: p.max_tokens,
  structuredOutput: p.structured_output,
});

/** The request settings that change the answer, defaults filled in: part of the cassette key. */
export const chatParameters = (o: ChatOptions): Record<string, unknown> => ({ temperature: o.temperature ?? 0, max_tokens: o.maxTokens ?? null, structured_output: o.structuredOutput ?? 'json_schema' });

export const chatMessages = (p: LlmPrompt): { role: 'system' | 'user'; content: string }[] => [
  { role: 'system', content: p.system },
  { role: 'user', content: p.user },
];
