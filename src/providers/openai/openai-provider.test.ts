import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeContext } from '../../../test/fakes/analysis-context.js';
import { GOOD_ANSWER, startFakeOpenAi, whileRefusing, type FakeLlmServer } from '../../../test/fakes/openai-server.js';
import { DECISION_JSON_SCHEMA } from '../llm/prompt.js';
import { LlmProvider } from '../llm/llm-provider.js';
import { OpenAiTransport, type OpenAiOptions } from './openai-provider.js';

const KEY = 'sk-test-0123456789abcdef';
let server: FakeLlmServer;
const provider = (o: Partial<OpenAiOptions> = {}, timeoutMs = 2000) => new LlmProvider('gpt', new OpenAiTransport({ model: 'fake-model', baseUrl: `${server.url}/v1/`, apiKey: KEY, ...o }), timeoutMs);

beforeAll(async () => {
  server = await startFakeOpenAi();
});
afterAll(() => server.close());

describe('OpenAI-compatible provider', () => {
  it('sends the documented chat-completions request with a strict json_schema and the key as Bearer', async () => {
    server.options.mode = 'good';
    const before = server.generations.length;
    const r = await provider({ temperature: 0.2, maxTokens: 400 }).decide(fakeContext());
    expect(r).toMatchObject({ ok: true, signal: { action: 'BUY', confidence: 72, stopLossFraction: 0.03 }, usage: { promptTokens: 321, completionTokens: 54 }, metadata: { tokens: { prompt: 321, completion: 54 } } });
    const req = server.generations[before];
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    const body = req.body as Record<string, any>;
    expect(body.model).toBe('fake-model');
    expect(body.temperature).toBe(0.2);
    expect(body.max_tokens).toBe(400);
    expect(body.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);
    expect(body.messages[1].content).toContain('Pair: BTCUSD');
    expect(body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'trading_decision', strict: true, schema: DECISION_JSON_SCHEMA } });
  });

  it('json_object and none modes change only response_format; no key means no Authorization header', async () => {
    await provider({ structuredOutput: 'json_object', apiKey: undefined }).decide(fakeContext());
    const jsonObject = server.generations.at(-1)!;
    expect((jsonObject.body as Record<string, unknown>).response_format).toEqual({ type: 'json_object' });
    expect(jsonObject.headers.authorization).toBeUndefined();
    await provider({ structuredOutput: 'none' }).decide(fakeContext());
    expect((server.generations.at(-1)!.body as Record<string, unknown>).response_format).toBeUndefined();
  });

  it('malformed model text is INVALID_OUTPUT with the reason, tokens still reported', async () => {
    server.options.mode = 'malformed';
    const r = await provider().decide(fakeContext());
    expect(r).toMatchObject({ ok: false, code: 'INVALID_OUTPUT', usage: { promptTokens: 321 } });
    expect(!r.ok && r.reason).toMatch(/no JSON object in the answer \("I would probably buy here/);
  });

  it('HTTP 500 is an HTTP failure with the server message; a non-JSON body is INVALID_OUTPUT', async () => {
    server.options.mode = 'http500';
    const r = await provider().decide(fakeContext());
    expect(r).toMatchObject({ ok: false, code: 'HTTP' });
    expect(!r.ok && r.reason).toMatch(/^HTTP 500 from http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions: .*fake server exploded/);
    server.options.mode = 'not-json';
    expect(await provider().decide(fakeContext())).toMatchObject({ ok: false, code: 'INVALID_OUTPUT' });
  });

  it('a hanging server is a TIMEOUT at the provider timeout', async () => {
    server.options.mode = 'hang';
    const t0 = performance.now();
    const r = await provider({}, 300).decide(fakeContext());
    const ms = performance.now() - t0;
    expect(r).toMatchObject({ ok: false, code: 'TIMEOUT', reason: 'no answer within 300 ms' });
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(1500);
  });

  it('a slow server answers within a generous timeout; the caller can abort', async () => {
    server.options.mode = 'slow';
    server.options.delayMs = 200;
    expect(await provider({}, 3000).decide(fakeContext())).toMatchObject({ ok: true });
    server.options.mode = 'hang';
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 100);
    expect(await provider({}, 5000).decide(fakeContext(), { signal: ctl.signal })).toMatchObject({ ok: false, code: 'ABORTED' });
  });

  it('an unreachable server is UNREACHABLE; the key never appears in a failure', async () => {
    const dead = await startFakeOpenAi();
    const url = dead.url;
    await dead.close();
    const r = await new LlmProvider('gpt', new OpenAiTransport({ model: 'm', baseUrl: `${url}/v1`, apiKey: KEY }), 2000).decide(fakeContext());
    expect(r).toMatchObject({ ok: false, code: 'UNREACHABLE' });
    expect(JSON.stringify(r)).not.toContain(KEY);
  });

  it('scrubs the key when a server echoes it in an error body', async () => {
    server.options.mode = 'good';
    server.options.answer = `your key ${KEY} is fine`;
    const r = await provider().decide(fakeContext());
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain(KEY);
    server.options.answer = GOOD_ANSWER;
  });

  it('a server that refuses json_schema is asked again with json_object, once: later calls go straight to it', async () => {
    await whileRefusing(server, ['json_schema'], async () => {
      const p = provider();
      const before = server.generations.length;
      const r = await p.decide(fakeContext());
      expect(r).toMatchObject({ ok: true, signal: { action: 'BUY' } });
      expect(r.ok && r.metadata?.structured_output_fallback).toMatch(/refused structured output "json_schema" \(HTTP 400 .*'response_format' of type 'json_schema' is not supported.*\); asking with "json_object"/);
      expect(server.generations.slice(before).map((g) => (g.body as { response_format?: { type: string } }).response_format?.type)).toEqual(['json_schema', 'json_object']);
      expect(await p.decide(fakeContext())).toMatchObject({ ok: true });
      expect(server.generations.length).toBe(before + 3);
      // A server refusing json_object too (LM Studio) is asked with the prompt alone.
      server.options.refuseFormats = ['json_schema', 'json_object'];
      const lm = provider();
      expect(await lm.decide(fakeContext())).toMatchObject({ ok: true });
      expect((server.generations.at(-1)!.body as Record<string, unknown>).response_format).toBeUndefined();
    });
  });

  it('other failures never weaken the format: an HTTP 500 stays a failure and the next call asks with json_schema again', async () => {
    server.options.mode = 'http500';
    const p = provider();
    expect(await p.decide(fakeContext())).toMatchObject({ ok: false, code: 'HTTP' });
    server.options.mode = 'good';
    const r = await p.decide(fakeContext());
    expect(r.ok && r.metadata?.structured_output_fallback).toBeFalsy();
    expect((server.generations.at(-1)!.body as { response_format: { type: string } }).response_format.type).toBe('json_schema');
  });

  it('a key echoed in an error body is scrubbed before the message is cut, so no part of it survives', async () => {
    server.options.mode = 'echo-auth';
    const r = await provider().decide(fakeContext());
    expect(r).toMatchObject({ ok: false, code: 'HTTP' });
    expect(!r.ok && r.reason).toContain('auth=Bearer ***');
    for (let n = 8; n <= KEY.length; n++) expect(JSON.stringify(r)).not.toContain(KEY.slice(0, n));
    server.options.mode = 'good';
  });

  it('probe lists the models without generating', async () => {
    server.options.models = ['fake-model', 'other'];
    const before = server.generations.length;
    expect(await provider().probe(1000)).toEqual({ reachable: true, detail: `${server.url}/v1: 2 model(s); fake-model listed` });
    expect(server.generations.length).toBe(before);
  });
});
