import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeContext } from '../../../test/fakes/analysis-context.js';
import { startFakeGemini, whileRefusing, type FakeLlmServer } from '../../../test/fakes/gemini-server.js';
import { LlmProvider } from '../llm/llm-provider.js';
import { GeminiTransport, toGeminiSchema, type GeminiOptions } from './gemini-provider.js';

const KEY = 'AIzaTest0123456789abcdefghijklmn';
let server: FakeLlmServer;
const provider = (o: Partial<GeminiOptions> = {}) => new LlmProvider('gem', new GeminiTransport({ model: 'fake-model', baseUrl: `${server.url}/v1beta`, apiKey: KEY, ...o }), 2000);

beforeAll(async () => {
  server = await startFakeGemini();
});
afterAll(() => server.close());

describe('Gemini generateContent provider', () => {
  it('sends POST /v1beta/models/{model}:generateContent with x-goog-api-key (never ?key=) and responseMimeType + responseSchema', async () => {
    server.options.mode = 'good';
    const r = await provider({ maxTokens: 500 }).decide(fakeContext());
    expect(r).toMatchObject({ ok: true, signal: { action: 'BUY', confidence: 72 }, usage: { promptTokens: 321, completionTokens: 54 } });
    const req = server.generations.at(-1)!;
    expect(req.path).toBe('/v1beta/models/fake-model:generateContent');
    expect(req.headers['x-goog-api-key']).toBe(KEY);
    const body = req.body as Record<string, any>;
    expect(body.systemInstruction.parts[0].text).toContain('trading analyst');
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: expect.stringContaining('Pair: BTCUSD') }] }]);
    expect(body.generationConfig).toMatchObject({ temperature: 0, maxOutputTokens: 500, responseMimeType: 'application/json' });
    expect(body.generationConfig.responseSchema.properties.stop_loss_fraction).toEqual({ type: 'NUMBER', nullable: true });
  });

  it('writes the answer schema in the OpenAPI subset: upper-case types, nullable, no additionalProperties', () => {
    const s = toGeminiSchema({ type: 'object', properties: { a: { type: ['integer', 'null'] }, b: { type: 'string', enum: ['X'] } }, required: ['a'] });
    expect(s).toEqual({ type: 'OBJECT', properties: { a: { type: 'INTEGER', nullable: true }, b: { type: 'STRING', enum: ['X'] } }, propertyOrdering: ['a', 'b'], required: ['a'] });
  });

  it('falls back to responseMimeType alone, then to the prompt, when the server refuses the fields', async () => {
    const p = provider();
    const r = await whileRefusing(server, ['json_schema', 'json_object'], () => p.decide(fakeContext()));
    expect(r).toMatchObject({ ok: true, metadata: { structured_output_fallback: expect.stringContaining('"none"') } });
    expect((server.generations.at(-1)!.body as Record<string, any>).generationConfig.responseMimeType).toBeUndefined();
  });

  it('reports a blocked prompt as INVALID_OUTPUT and probes GET /v1beta/models/{model}', async () => {
    server.options.mode = 'good';
    server.options.answer = '';
    expect(await provider().probe(2000)).toMatchObject({ reachable: true, detail: expect.stringContaining('models/fake-model') });
    const r = await provider().decide(fakeContext());
    expect(r).toMatchObject({ ok: false, code: 'INVALID_OUTPUT' });
  });
});
