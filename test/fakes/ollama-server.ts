/**
 * A local Ollama: POST /api/chat (stream: false) → { model, created_at, message: { role:
 * "assistant", content }, done: true, done_reason: "stop", total_duration, load_duration,
 * prompt_eval_count, prompt_eval_duration, eval_count, eval_duration } (durations in ns);
 * GET /api/tags → { models: [{ name, model, modified_at, size, digest }] }; errors as { error }.
 */
import { startFakeLlm, type FakeLlmOptions, type FakeLlmServer } from './llm-server.js';

export * from './llm-server.js';

export const startFakeOllama = (opts: FakeLlmOptions = {}): Promise<FakeLlmServer> =>
  startFakeLlm(
    {
      generatePath: '/api/chat',
      modelsPath: '/api/tags',
      reply: (text, o, body) => ({
        model: body?.model ?? 'fake-model',
        created_at: '2024-06-01T00:00:00.000000Z',
        message: { role: 'assistant', content: text },
        done: true,
        done_reason: 'stop',
        total_duration: 1_234_000_000,
        load_duration: 12_000_000,
        prompt_eval_count: o.usage.prompt,
        prompt_eval_duration: 400_000_000,
        eval_count: o.usage.completion,
        eval_duration: 800_000_000,
      }),
      models: (names) => ({ models: names.map((name) => ({ name, model: name, modified_at: '2024-06-01T00:00:00Z', size: 4_661_224_676, digest: 'fake' })) }),
      error: (message) => ({ error: message }),
      formatOf: (body) => (typeof body.format === 'object' && body.format !== null ? 'json_schema' : body.format === 'json' ? 'json_object' : 'none'),
      // Ollama before 0.5 took only "json".
      refusal: () => 'invalid format: only "json" is supported',
    },
    opts,
  );
