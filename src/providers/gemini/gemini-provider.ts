import { z } from 'zod';
import type { ProviderCommon } from '../config.js';
import { ProviderCallError } from '../llm/call-error.js';
import { chatOptions, chatParameters, type ChatOptions } from '../llm/chat.js';
import { FormatFallback, type StructuredOutput } from '../llm/format-fallback.js';
import { httpJson } from '../llm/http.js';
import { LlmProvider, type Completion, type LlmTransport } from '../llm/llm-provider.js';
import { DECISION_JSON_SCHEMA, type LlmPrompt } from '../llm/prompt.js';
import { expectShape, trimSlash } from '../llm/shape.js';

export const GEMINI_DEFAULT_URL = 'https://generativelanguage.googleapis.com/v1beta';

export interface GeminiOptions extends ChatOptions {
  /** Includes the version path: `https://generativelanguage.googleapis.com/v1beta`. */
  baseUrl?: string;
  apiKey?: string;
  maxReplyBytes?: number;
}

// Documented generateContent reply: candidates with content parts, finishReason, usageMetadata; promptFeedback when the prompt was blocked.
const generateReply = z.looseObject({
  candidates: z
    .array(z.looseObject({ content: z.looseObject({ parts: z.array(z.looseObject({ text: z.string().optional(), thought: z.boolean().optional() })).optional() }).optional(), finishReason: z.string().optional() }))
    .optional(),
  promptFeedback: z.looseObject({ blockReason: z.string().optional() }).optional(),
  usageMetadata: z.looseObject({ promptTokenCount: z.number().optional(), candidatesTokenCount: z.number().optional() }).optional(),
});
const modelReply = z.looseObject({ name: z.string() });

type JsonSchema = { type?: string | readonly string[]; properties?: Record<string, JsonSchema>; required?: readonly string[]; enum?: readonly string[]; minimum?: number; maximum?: number };

/**
 * The answer schema in Gemini's `responseSchema` dialect (an OpenAPI 3.0 subset): a union with
 * null becomes `nullable`, and `additionalProperties` is left out (not part of the subset).
 */
export function toGeminiSchema(s: JsonSchema): Record<string, unknown> {
  const types = Array.isArray(s.type) ? (s.type as string[]) : s.type ? [s.type as string] : [];
  const type = types.find((t) => t !== 'null');
  return {
    ...(type ? { type: type.toUpperCase() } : {}),
    ...(types.includes('null') ? { nullable: true } : {}),
    ...(s.enum ? { enum: [...s.enum] } : {}),
    ...(s.minimum !== undefined ? { minimum: s.minimum } : {}),
    ...(s.maximum !== undefined ? { maximum: s.maximum } : {}),
    ...(s.properties ? { properties: Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, toGeminiSchema(v)])), propertyOrdering: Object.keys(s.properties) } : {}),
    ...(s.required ? { required: [...s.required] } : {}),
  };
}

const RESPONSE_SCHEMA = toGeminiSchema(DECISION_JSON_SCHEMA as unknown as JsonSchema);

function generationFormat(mode: StructuredOutput): Record<string, unknown> {
  if (mode === 'none') return {};
  return { responseMimeType: 'application/json', ...(mode === 'json_schema' ? { responseSchema: RESPONSE_SCHEMA } : {}) };
}

/** Google's Gemini API: POST {base}/models/{model}:generateContent with x-goog-api-key. */
export class GeminiTransport implements LlmTransport {
  readonly kind = 'gemini';
  readonly model: string;
  readonly parameters: Record<string, unknown>;
  readonly secrets: readonly string[];
  private readonly base: string;
  private readonly format: FormatFallback;

  constructor(private readonly o: GeminiOptions) {
    this.model = o.model.replace(/^models\//, '');
    this.base = trimSlash(o.baseUrl ?? GEMINI_DEFAULT_URL);
    this.secrets = o.apiKey ? [o.apiKey] : [];
    this.parameters = chatParameters(o);
    this.format = new FormatFallback(o.structuredOutput ?? 'json_schema');
  }

  private get headers(): Record<string, string> {
    // The key goes in a header, never in the URL's ?key= (URLs end up in logs and errors).
    return this.o.apiKey ? { 'x-goog-api-key': this.o.apiKey } : {};
  }

  private get modelUrl(): string {
    return `${this.base}/models/${encodeURIComponent(this.model)}`;
  }

  async complete(prompt: LlmPrompt, signal: AbortSignal): Promise<Completion> {
    const json = await this.format.run((mode) => {
      const body = {
        systemInstruction: { parts: [{ text: prompt.system }] },
        contents: [{ role: 'user', parts: [{ text: prompt.user }] }],
        generationConfig: { temperature: this.o.temperature ?? 0, ...(this.o.maxTokens ? { maxOutputTokens: this.o.maxTokens } : {}), ...generationFormat(mode) },
      };
      return httpJson('POST', `${this.modelUrl}:generateContent`, body, { headers: this.headers, signal, secrets: this.secrets, maxBytes: this.o.maxReplyBytes });
    });
    const reply = expectShape(generateReply, json, 'Gemini generateContent');
    const usage = reply.usageMetadata ? { promptTokens: reply.usageMetadata.promptTokenCount, completionTokens: reply.usageMetadata.candidatesTokenCount } : undefined;
    if (reply.promptFeedback?.blockReason) throw new ProviderCallError('INVALID_OUTPUT', `the prompt was blocked (${reply.promptFeedback.blockReason})`);
    const c = reply.candidates?.[0];
    if (!c) throw new ProviderCallError('INVALID_OUTPUT', 'the reply has no candidate');
    // Thought summaries are left out: only the answer counts.
    const text = (c.content?.parts ?? [])
      .filter((p) => !p.thought)
      .map((p) => p.text ?? '')
      .join('');
    if (!text && c.finishReason && c.finishReason !== 'STOP') throw new ProviderCallError('INVALID_OUTPUT', `no answer (finishReason ${c.finishReason})`);
    return { text, usage, formatDowngrade: this.format.downgrade };
  }

  async probe(signal: AbortSignal): Promise<string> {
    const json = await httpJson('GET', this.modelUrl, undefined, { headers: this.headers, signal, secrets: this.secrets, maxBytes: this.o.maxReplyBytes });
    return `${this.base}: ${expectShape(modelReply, json, 'model').name} available`;
  }
}

export const geminiProvider = (name: string, p: ProviderCommon): LlmProvider =>
  new LlmProvider(name, new GeminiTransport({ ...chatOptions(p), apiKey: p.api_key || undefined, maxReplyBytes: p.max_reply_bytes }), p.timeout_ms);
