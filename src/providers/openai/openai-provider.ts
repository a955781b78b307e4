import { z } from 'zod';
import type { ProviderCommon } from '../config.js';
import { ProviderCallError } from '../llm/call-error.js';
import { FormatFallback, type StructuredOutput } from '../llm/format-fallback.js';
import { httpJson } from '../llm/http.js';
import { chatMessages, chatOptions, chatParameters, type ChatOptions } from '../llm/chat.js';
import { LlmProvider, type Completion, type LlmTransport } from '../llm/llm-provider.js';
import { DECISION_JSON_SCHEMA, type LlmPrompt } from '../llm/prompt.js';
import { expectShape, trimSlash } from '../llm/shape.js';

export const OPENAI_DEFAULT_URL = 'https://api.openai.com/v1';

export interface OpenAiOptions extends ChatOptions {
  /** Includes the version path, e.g. `http://127.0.0.1:1234/v1` for LM Studio. */
  baseUrl?: string;
  apiKey?: string;
  maxReplyBytes?: number;
}

const completionReply = z.looseObject({
  choices: z.array(z.looseObject({ message: z.looseObject({ content: z.string().nullable().optional(), refusal: z.string().nullable().optional() }), finish_reason: z.string().nullable().optional() })).min(1),
  usage: z.looseObject({ prompt_tokens: z.number().optional(), completion_tokens: z.number().optional() }).nullable().optional(),
});
const modelsReply = z.looseObject({ data: z.array(z.looseObject({ id: z.string() })) });

function responseFormat(mode: StructuredOutput): Record<string, unknown> {
  if (mode === 'none') return {};
  if (mode === 'json_object') return { response_format: { type: 'json_object' } };
  return { response_format: { type: 'json_schema', json_schema: { name: 'trading_decision', strict: true, schema: DECISION_JSON_SCHEMA } } };
}

/** Any OpenAI-compatible server (OpenAI, LM Studio, vLLM, llama.cpp server): POST {base}/chat/completions. */
export class OpenAiTransport implements LlmTransport {
  readonly kind = 'openai';
  readonly model: string;
  readonly parameters: Record<string, unknown>;
  readonly secrets: readonly string[];
  private readonly base: string;
  private readonly format: FormatFallback;

  constructor(private readonly o: OpenAiOptions) {
    this.model = o.model;
    this.base = trimSlash(o.baseUrl ?? OPENAI_DEFAULT_URL);
    this.secrets = o.apiKey ? [o.apiKey] : [];
    this.parameters = chatParameters(o);
    this.format = new FormatFallback(o.structuredOutput ?? 'json_schema');
  }

  private get headers(): Record<string, string> {
    return this.o.apiKey ? { authorization: `Bearer ${this.o.apiKey}` } : {};
  }

  async complete(prompt: LlmPrompt, signal: AbortSignal): Promise<Completion> {
    const json = await this.format.run((mode) => {
      const body = {
        model: this.model,
        messages: chatMessages(prompt),
        temperature: this.o.temperature ?? 0,
        ...(this.o.maxTokens ? { max_tokens: this.o.maxTokens } : {}),
        ...responseFormat(mode),
      };
      return httpJson('POST', `${this.base}/chat/completions`, body, { headers: this.headers, signal, secrets: this.secrets, maxBytes: this.o.maxReplyBytes });
    });
    const reply = expectShape(completionReply, json, 'chat completions');
    const msg = reply.choices[0].message;
    if (msg.refusal) throw new ProviderCallError('INVALID_OUTPUT', `the model refused: ${msg.refusal}`);
    const usage = reply.usage ? { promptTokens: reply.usage.prompt_tokens, completionTokens: reply.usage.completion_tokens } : undefined;
    return { text: msg.content ?? '', usage, formatDowngrade: this.format.downgrade };
  }

  async probe(signal: AbortSignal): Promise<string> {
    const json = await httpJson('GET', `${this.base}/models`, undefined, { headers: this.headers, signal, secrets: this.secrets, maxBytes: this.o.maxReplyBytes });
    const ids = expectShape(modelsReply, json, 'models').data.map((m) => m.id);
    return `${this.base}: ${ids.length} model(s); ${this.model} ${ids.includes(this.model) ? 'listed' : 'not listed'}`;
  }
}

export const openAiProvider = (name: string, p: ProviderCommon): LlmProvider =>
  new LlmProvider(name, new OpenAiTransport({ ...chatOptions(p), apiKey: p.api_key || undefined, maxReplyBytes: p.max_reply_bytes }), p.timeout_ms);
