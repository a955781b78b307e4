/**
 * A local Gemini API (ai.google.dev/api/generate-content), model `fake-model`:
 * POST /v1beta/models/fake-model:generateContent {systemInstruction, contents, generationConfig:
 * {temperature, maxOutputTokens?, responseMimeType?, responseSchema?}} → {candidates: [{content:
 * {parts: [{text}], role: "model"}, finishReason: "STOP", index}], usageMetadata: {promptTokenCount,
 * candidatesTokenCount, totalTokenCount}, modelVersion, responseId}; GET /v1beta/models/fake-model →
 * {name: "models/fake-model", version, displayName, inputTokenLimit, outputTokenLimit,
 * supportedGenerationMethods}; errors as {error: {code, message, status}}. The key comes in
 * `x-goog-api-key`.
 */
import { startFakeLlm, type FakeLlmOptions, type FakeLlmServer } from './llm-server.js';

export * from './llm-server.js';

export const startFakeGemini = (opts: FakeLlmOptions = {}): Promise<FakeLlmServer> =>
  startFakeLlm(
    {
      generatePath: '/v1beta/models/fake-model:generateContent',
      modelsPath: '/v1beta/models/fake-model',
      keyHeader: 'x-goog-api-key',
      reply: (text, o) => ({
        candidates: [{ content: { parts: [{ text }], role: 'model' }, finishReason: 'STOP', index: 0 }],
        usageMetadata: { promptTokenCount: o.usage.prompt, candidatesTokenCount: o.usage.completion, totalTokenCount: o.usage.prompt + o.usage.completion },
        modelVersion: 'fake-model',
        responseId: 'fake-response',
      }),
      models: () => ({ name: 'models/fake-model', version: '001', displayName: 'Fake', inputTokenLimit: 1_000_000, outputTokenLimit: 8192, supportedGenerationMethods: ['generateContent'] }),
      error: (message) => ({ error: { code: 500, message, status: 'INTERNAL' } }),
      formatOf: (body) => {
        const g = (body.generationConfig ?? {}) as Record<string, unknown>;
        return g.responseSchema ? 'json_schema' : g.responseMimeType ? 'json_object' : 'none';
      },
      refusal: (kind) => `Invalid JSON payload received. Unknown name "${kind === 'json_schema' ? 'responseSchema' : 'responseMimeType'}" at 'generation_config': Cannot find field.`,
    },
    opts,
  );
