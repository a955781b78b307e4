/**
 * A local Anthropic Messages API (docs.anthropic.com/en/api/messages):
 * POST /v1/messages {model, max_tokens, system, messages, temperature, tools?, tool_choice?} →
 * {id, type: "message", role: "assistant", model, content: [{type: "text", text} | {type: "tool_use",
 * id, name, input}], stop_reason: "end_turn" | "tool_use", stop_sequence: null, usage: {input_tokens,
 * output_tokens}}; GET /v1/models → {data: [{type: "model", id, display_name, created_at}], has_more,
 * first_id, last_id}; errors as {type: "error", error: {type, message}}. With tool_choice naming a
 * tool, the answer arrives as that tool's input (an answer that is not a JSON object is wrapped
 * as {note: text}, as a model that strays still fills the tool's input).
 */
import { RawJson, startFakeLlm, type FakeLlmOptions, type FakeLlmServer } from './llm-server.js';

export * from './llm-server.js';

export const startFakeAnthropic = (opts: FakeLlmOptions = {}): Promise<FakeLlmServer> =>
  startFakeLlm(
    {
      generatePath: '/v1/messages',
      modelsPath: '/v1/models',
      keyHeader: 'x-api-key',
      reply: (text, o, body) => {
        const tool = (body?.tool_choice as { type?: string; name?: string } | undefined)?.name;
        let input: unknown;
        try {
          input = JSON.parse(text);
        } catch {
          input = { note: text };
        }
        const usage = { input_tokens: o.usage.prompt, output_tokens: o.usage.completion };
        // The input goes out as the model wrote it, however deep: spliced in, not re-serialised.
        if (tool && input && typeof input === 'object' && text.trim().startsWith('{')) {
          const head = JSON.stringify({ id: 'msg_fake', type: 'message', role: 'assistant', model: body.model, stop_reason: 'tool_use', stop_sequence: null, usage });
          return new RawJson(`${head.slice(0, -1)},"content":[{"type":"tool_use","id":"toolu_fake","name":${JSON.stringify(tool)},"input":${text}}]}`);
        }
        return tool
          ? {
              id: 'msg_fake',
              type: 'message',
              role: 'assistant',
              model: body.model,
              content: [{ type: 'tool_use', id: 'toolu_fake', name: tool, input: input && typeof input === 'object' ? input : { note: text } }],
              stop_reason: 'tool_use',
              stop_sequence: null,
              usage,
            }
          : { id: 'msg_fake', type: 'message', role: 'assistant', model: body.model, content: [{ type: 'text', text }], stop_reason: 'end_turn', stop_sequence: null, usage };
      },
      models: (names) => ({ data: names.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' })), has_more: false, first_id: names[0] ?? null, last_id: names.at(-1) ?? null }),
      error: (message) => ({ type: 'error', error: { type: 'api_error', message } }),
      formatOf: (body) => (body.tools ? 'json_schema' : 'none'),
      refusal: () => 'tools: tool use is not supported by this model',
    },
    opts,
  );
