import { z } from 'zod';
import type { ProviderCommon } from '../config.js';
import { FormatFallback } from '../llm/format-fallback.js';
import { httpJson } from '../llm/http.js';
import { chatMessages, chatOptions, chatParameters, type ChatOptions } from '../llm/chat.js';
import { LlmProvider, type Completion, type LlmTransport } from '../llm/llm-provider.js';
import { DECISION_JSON_SCHEMA, type LlmPrompt } from '../llm/prompt.js';
import { expectShape, trimSlash } from '../llm/shape.js';

export const OLLAMA_DEFAULT_URL = 'http://127.0.0.1:11434';

/** structuredOutput json_schema: `format` is the answer schema (Ollama ≥ 0.5); json_object: `format: "json"`; none: no format. */
export type OllamaOptions = ChatOptions & { maxReplyBytes?: number };

// Documented /api/chat reply with stream=false; token counts are absent on some cached replies.
const chatReply = z.looseObject({
  message: z.looseObject({ content: z.string() }),
  prompt_eval_count: z.number().optional(),
  eval_count: z.number().optional(),
});
const tagsReply = z.looseObject({ models: z.array(z.looseObject({ name: z.string() })) });

/** Ollama's native chat API: POST {base}/api/chat, non-streaming, JSON-constrained output. */
export class OllamaTransport implements LlmTransport {
  readonly kind = 'ollama';
  readonly model: string;
  readonly parameters: Record<string, unknown>;
  readonly secrets: readonly string[] = [];
  private readonly base: string;
  private readonly format: FormatFallback;

  constructor(private readonly o: OllamaOptions) {
    this.model = o.model;
    this.base = trimSlash(o.baseUrl ?? OLLAMA_DEFAULT_URL);
    this.parameters = chatParameters(o);
    this.format = new FormatFallback(o.structuredOutput ?? 'json_schema');
  }

  async complete(prompt: LlmPrompt, signal: AbortSignal): Promise<Completion> {
    const json = await this.format.run((mode) => {
      const body = {
        model: this.model,
        messages: chatMessages(prompt),
        stream: false,
        ...(mode === 'none' ? {} : { format: mode === 'json_schema' ? DECISION_JSON_SCHEMA : 'json' }),
        options: { temperature: this.o.temperature ?? 0, ...(this.o.maxTokens ? { num_predict: this.o.maxTokens } : {}) },
      };
      return httpJson('POST', `${this.base}/api/chat`, body, { signal, maxBytes: this.o.maxReplyBytes });
    });
    const reply = expectShape(chatReply, json, 'Ollama /api/chat');
    return { text: reply.message.content, usage: { promptTokens: reply.prompt_eval_count, completionTokens: reply.eval_count }, formatDowngrade: this.format.downgrade };
  }

  async probe(signal: AbortSignal): Promise<string> {
    const tags = expectShape(tagsReply, await httpJson('GET', `${this.base}/api/tags`, undefined, { signal, maxBytes: this.o.maxReplyBytes }), 'Ollama /api/tags');
    const names = tags.models.map((m) => m.name);
    const has = names.some((n) => n === this.model || n === `${this.model}:latest`);
    return `${this.base}: ${names.length} model(s); ${this.model} ${has ? 'installed' : 'NOT installed (ollama pull it)'}`;
  }
}

export const ollamaProvider = (name: string, p: ProviderCommon): LlmProvider => new LlmProvider(name, new OllamaTransport({ ...chatOptions(p), maxReplyBytes: p.max_reply_bytes }), p.timeout_ms);
