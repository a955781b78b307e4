/**
 * A local OpenAI-compatible server (the wire format of OpenAI, LM Studio, vLLM, llama.cpp):
 * POST /v1/chat/completions → { id, object: "chat.completion", created, model, choices: [{ index,
 * message: { role: "assistant", content, refusal: null }, finish_reason: "stop" }], usage:
 * { prompt_tokens, completion_tokens, total_tokens } }; GET /v1/models → { object: "list", data:
 * [{ id, object: "model", owned_by }] }; errors as { error: { message, type, code } }.
 */
import { startFakeLlm, type FakeLlmOptions, type FakeLlmServer } from './llm-server.js';

export * from './llm-server.js';

export const startFakeOpenAi = (opts: FakeLlmOptions = {}): Promise<FakeLlmServer> =>
  startFakeLlm(
    {
      generatePath: '/v1/chat/completions',
      modelsPath: '/v1/models',
      reply: (text, o, body) => ({
        id: 'chatcmpl-fake',
        object: 'chat.completion',
        created: 1_700_000_000,
        model: body?.model ?? 'fake-model',
        choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, finish_reason: 'stop' }],
        usage: { prompt_tokens: o.usage.prompt, completion_tokens: o.usage.completion, total_tokens: o.usage.prompt + o.usage.completion },
      }),
      models: (names) => ({ object: 'list', data: names.map((id) => ({ id, object: 'model', owned_by: 'fake' })) }),
      error: (message) => ({ error: { message, type: 'server_error', code: null } }),
      formatOf: (body) => ((body.response_format as { type?: string } | undefined)?.type === 'json_schema' ? 'json_schema' : body.response_format ? 'json_object' : 'none'),
      // OpenAI's words for a model without the feature; LM Studio and vLLM builds name the same parameter.
      refusal: (kind) => `Invalid parameter: 'response_format' of type '${kind}' is not supported with this model.`,
    },
    opts,
  );
