import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeContext } from '../../../test/fakes/analysis-context.js';
import { startFakeOllama, whileRefusing, type FakeLlmServer } from '../../../test/fakes/ollama-server.js';
import { LlmProvider } from '../llm/llm-provider.js';
import { DECISION_JSON_SCHEMA } from '../llm/prompt.js';
import { OllamaTransport, type OllamaOptions } from './ollama-provider.js';

let server: FakeLlmServer;
const provider = (o: Partial<OllamaOptions> = {}, timeoutMs = 2000) => new LlmProvider('llama', new OllamaTransport({ model: 'llama3.1:8b', baseUrl: server.url, ...o }), timeoutMs);

beforeAll(async () => {
  server = await startFakeOllama({ models: ['llama3.1:8b'] });
});
afterAll(() => server.close());

describe('Ollama provider', () => {
  it('posts a non-streaming /api/chat with the answer schema as format, and reads tokens', async () => {
    server.options.mode = 'good';
    const r = await provider({ temperature: 0.1, maxTokens: 256 }).decide(fakeContext());
    expect(r).toMatchObject({ ok: true, signal: { action: 'BUY', confidence: 72 }, usage: { promptTokens: 321, completionTokens: 54 } });
    const body = server.generations.at(-1)!.body as Record<string, any>;
    expect(body).toMatchObject({ model: 'llama3.1:8b', stream: false, format: DECISION_JSON_SCHEMA, options: { temperature: 0.1, num_predict: 256 } });
    expect(body.messages[0].role).toBe('system');
    expect(body.messages[1].content).toContain('Indicators:');
    expect(r.ok && r.latencyMs).toBeGreaterThan(0);
  });

  it('json_object asks format "json"; none sends no format', async () => {
    await provider({ structuredOutput: 'json_object' }).decide(fakeContext());
    expect((server.generations.at(-1)!.body as Record<string, unknown>).format).toBe('json');
    await provider({ structuredOutput: 'none' }).decide(fakeContext());
    expect(server.generations.at(-1)!.body).not.toHaveProperty('format');
  });

  it('an Ollama older than 0.5 refuses the schema as format: the call is repeated with "json", and later calls start there', async () => {
    await whileRefusing(server, ['json_schema'], async () => {
      const p = provider();
      const before = server.generations.length;
      const r = await p.decide(fakeContext());
      expect(r).toMatchObject({ ok: true, signal: { action: 'BUY' } });
      expect(r.ok && r.metadata?.structured_output_fallback).toMatch(/invalid format: only "json" is supported.*asking with "json_object"/);
      await p.decide(fakeContext());
      expect(server.generations.slice(before).map((g) => (g.body as { format?: unknown }).format)).toEqual([DECISION_JSON_SCHEMA, 'json', 'json']);
    });
  });

  it('fails with a typed reason on malformed output, HTTP 500 and a hanging server', async () => {
    server.options.mode = 'malformed';
    expect(await provider().decide(fakeContext())).toMatchObject({ ok: false, code: 'INVALID_OUTPUT' });
    server.options.mode = 'http500';
    const r = await provider().decide(fakeContext());
    expect(r).toMatchObject({ ok: false, code: 'HTTP' });
    expect(!r.ok && r.reason).toContain('fake server exploded');
    server.options.mode = 'hang';
    expect(await provider({}, 250).decide(fakeContext())).toMatchObject({ ok: false, code: 'TIMEOUT', reason: 'no answer within 250 ms' });
  });

  it('probe says whether the model is pulled', async () => {
    expect((await provider().probe(1000)).detail).toMatch(/1 model\(s\); llama3\.1:8b installed$/);
    expect((await provider({ model: 'mistral' }).probe(1000)).detail).toMatch(/mistral NOT installed/);
  });
});
