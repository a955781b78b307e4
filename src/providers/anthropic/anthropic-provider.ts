import { z } from 'zod';
import type { ProviderCommon } from '../config.js';
import { ProviderCallError } from '../llm/call-error.js';
import { chatOptions, chatParameters, type ChatOptions } from '../llm/chat.js';
import { FormatFallback, type StructuredOutput } from '../llm/format-fallback.js';
import { httpJson } from '../llm/http.js';
import { LlmProvider, type Completion, type LlmTransport } from '../llm/llm-provider.js';
import { DECISION_JSON_SCHEMA, type LlmPrompt } from '../llm/prompt.js';
import { expectShape, trimSlash } from '../llm/shape.js';

export const ANTHROPIC_DEFAULT_URL = 'https://api.anthropic.com/v1';
/** The Messages API version this adapter speaks (sent as `anthropic-version`). */
export const ANTHROPIC_VERSION = '2023-06-01';
/** The Messages API requires max_tokens; a decision is a few hundred tokens. */
const DEFAULT_MAX_TOKENS = 1024;
const TOOL = 'trading_decision';

export interface AnthropicOptions extends ChatOptions {
  /** Includes the version path: `https://api.anthropic.com/v1`. */
  baseUrl?: string;
  apiKey?: string;
  maxReplyBytes?: number;
}

// Documented Messages reply: content blocks (text, tool_use, thinking…), stop_reason, usage.
const messageReply = z.looseObject({
  type: z.literal('message').optional(),
  content: z.array(z.looseObject({ type: z.string(), text: z.string().optional(), name: z.string().optional(), input: z.unknown().optional() })),
  stop_reason: z.string().nullable().optional(),
  usage: z.looseObject({ input_tokens: z.number().optional(), output_tokens: z.number().optional() }).nullable().optional(),
});
const modelsReply = z.looseObject({ data: z.array(z.looseObject({ id: z.string() })) });

/**
 * json_schema: the answer schema is the input schema of one tool the model must call
 * (tool_choice), so the decision arrives as the tool_use block's input; json_object and none:
 * the prompt asks for JSON in the text (the Messages API has no JSON mode).
 */
function structured(mode: StructuredOutput): Record<string, unknown> {
  if (mode !== 'json_schema') return {};
  return {
    tools: [{ name: TOOL, description: 'Record the trading decision.', input_schema: DECISION_JSON_SCHEMA }],
    tool_choice: { type: 'tool', name: TOOL },
  };
}

/** The tool input as the JSON text the parser reads; input nested too deeply to serialise is an invalid answer. */
function toolText(input: unknown): string {
  try {
    return JSON.stringify(input ?? null);
  } catch (e) {
    if (e instanceof RangeError) throw new ProviderCallError('INVALID_OUTPUT', 'the tool input nests too deeply to read');
    throw e;
  }
}

/** Anthropic's Messages API: POST {base}/messages with x-api-key and anthropic-version. */
export class AnthropicTransport implements LlmTransport {
  readonly kind = 'anthropic';
  readonly model: string;
  readonly parameters: Record<string, unknown>;
  readonly secrets: readonly string[];
  private readonly base: string;
  private readonly format: FormatFallback;

  constructor(private readonly o: AnthropicOptions) {
    this.model = o.model;
    this.base = trimSlash(o.baseUrl ?? ANTHROPIC_DEFAULT_URL);
    this.secrets = o.apiKey ? [o.apiKey] : [];
    this.parameters = chatParameters(o);
    this.format = new FormatFallback(o.structuredOutput ?? 'json_schema');
  }

  private get headers(): Record<string, string> {
    return { 'anthropic-version': ANTHROPIC_VERSION, ...(this.o.apiKey ? { 'x-api-key': this.o.apiKey } : {}) };
  }

  async complete(prompt: LlmPrompt, signal: AbortSignal): Promise<Completion> {
    const json = await this.format.run((mode) => {
      const body = {
        model: this.model,
        max_tokens: this.o.maxTokens ?? DEFAULT_MAX_TOKENS,
        system: prompt.system,
        messages: [{ role: 'user', content: prompt.user }],
        temperature: this.o.temperature ?? 0,
        ...structured(mode),
      };
      return httpJson('POST', `${this.base}/messages`, body, { headers: this.headers, signal, secrets: this.secrets, maxBytes: this.o.maxReplyBytes });
    });
    const reply = expectShape(messageReply, json, 'Anthropic messages');
    const usage = reply.usage ? { promptTokens: reply.usage.input_tokens, completionTokens: reply.usage.output_tokens } : undefined;
    const tool = reply.content.find((b) => b.type === 'tool_use' && b.name === TOOL);
    if (tool) return { text: toolText(tool.input), usage, formatDowngrade: this.format.downgrade };
    if (reply.stop_reason === 'refusal') throw new ProviderCallError('INVALID_OUTPUT', 'the model refused to answer (stop_reason refusal)');
    // Thinking blocks are left out: only what the model says counts.
    const text = reply.content
      .filter((b) => b.type === 'text')
      .map((b) => b.text ?? '')
      .join('');
    return { text, usage, formatDowngrade: this.format.downgrade };
  }

  async probe(signal: AbortSignal): Promise<string> {
    const json = await httpJson('GET', `${this.base}/models`, undefined, { headers: this.headers, signal, secrets: this.secrets, maxBytes: this.o.maxReplyBytes });
    const ids = expectShape(modelsReply, json, 'models').data.map((m) => m.id);
    return `${this.base}: ${ids.length} model(s); ${this.model} ${ids.includes(this.model) ? 'listed' : 'not listed'}`;
  }
}

export const anthropicProvider = (name: string, p: ProviderCommon): LlmProvider =>
  new LlmProvider(name, new AnthropicTransport({ ...chatOptions(p), apiKey: p.api_key || undefined, maxReplyBytes: p.max_reply_bytes }), p.timeout_ms);
