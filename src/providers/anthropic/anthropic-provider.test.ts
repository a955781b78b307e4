import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeContext } from '../../../test/fakes/analysis-context.js';
import { startFakeAnthropic, whileRefusing, type FakeLlmServer } from '../../../test/fakes/anthropic-server.js';
import { LlmProvider } from '../llm/llm-provider.js';
import { DECISION_JSON_SCHEMA } from '../llm/prompt.js';
import { ANTHROPIC_VERSION, AnthropicTransport, type AnthropicOptions } from './anthropic-provider.js';

const KEY = 'sk-ant-test-0123456789abcdef';
let server: FakeLlmServer;
const provider = (o: Partial<AnthropicOptions> = {}) => new LlmProvider('claude', new AnthropicTransport({ model: 'fake-model', baseUrl: `${server.url}/v1/`, apiKey: KEY, ...o }), 2000);

beforeAll(async () => {
  server = await startFakeAnthropic();
});
afterAll(() => server.close());

describe('Anthropic Messages provider', () => {
  it('sends POST /v1/messages with x-api-key, anthropic-version, system, max_tokens and the answer schema as a forced tool', async () => {
    server.options.mode = 'good';
    const r = await provider({ temperature: 0.3 }).decide(fakeContext());
    expect(r).toMatchObject({ ok: true, signal: { action: 'BUY', confidence: 72, stopLossFraction: 0.03 }, usage: { promptTokens: 321, completionTokens: 54 } });
    const req = server.generations.at(-1)!;
    expect(req.headers['x-api-key']).toBe(KEY);
    expect(req.headers['anthropic-version']).toBe(ANTHROPIC_VERSION);
    expect(req.headers.authorization).toBeUndefined();
    const body = req.body as Record<string, any>;
    expect(body).toMatchObject({ model: 'fake-model', max_tokens: 1024, temperature: 0.3, tool_choice: { type: 'tool', name: 'trading_decision' } });
    expect(body.system).toContain('trading analyst');
    expect(body.messages).toEqual([{ role: 'user', content: expect.stringContaining('Pair: BTCUSD') }]);
    expect(body.tools[0].input_schema).toEqual(DECISION_JSON_SCHEMA);
  });

  it('reads JSON from the text block without tools, and falls back to it (noted) when tools are refused', async () => {
    expect(await provider({ structuredOutput: 'none', maxTokens: 300 }).decide(fakeContext())).toMatchObject({ ok: true, signal: { action: 'BUY' } });
    const plain = server.generations.at(-1)!.body as Record<string, unknown>;
    expect(plain.tools).toBeUndefined();
    expect(plain.max_tokens).toBe(300);
    const p = provider();
    const r = await whileRefusing(server, ['json_schema'], () => p.decide(fakeContext()));
    expect(r).toMatchObject({ ok: true, metadata: { structured_output_fallback: expect.stringContaining('json_schema') } });
  });

  it('says what the server said on an error ({type, message}) and probes GET /v1/models', async () => {
    server.options.mode = 'http500';
    const r = await provider().decide(fakeContext());
    expect(r).toMatchObject({ ok: false, code: 'HTTP' });
    if (!r.ok) expect(r.reason).toContain('api_error: fake server exploded');
    server.options.mode = 'good';
    expect(await provider().probe(2000)).toMatchObject({ reachable: true, detail: expect.stringContaining('fake-model listed') });
  });
});
