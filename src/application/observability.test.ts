import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from './auth/principal.js';
import { FfeApi } from './api.js';
import { startObservability, tracingEndpoint } from './observability.js';
import { nextEvent, sampleClock } from '../../test/support/bot-api.js';
import { configHome } from '../../test/support/config-home.js';
import { startOtlpReceiver, treeOf, type OtlpReceiver, type ReceivedSpan } from '../../test/fakes/otlp-receiver.js';
import { startFakeOpenAi, type FakeLlmServer } from '../../test/fakes/openai-server.js';
import { buildServer } from '../interfaces/http/server.js';
import { productionOptions } from '../interfaces/http/wiring.js';

// A deliberate fake key for the leak check. credential-scan: allow
const SECRET = 'sk-trace-secret-0123456789abcdef'; // credential-scan: allow
const OPERATOR: Principal = { kind: 'user', id: 'u1', name: 'olivia', role: 'operator' };

/** ETHUSD is a SELL on the bundled sample; the ensemble (rules + a fake OpenAI-compatible model) agrees; the risk limits let one position through. */
const config = (llm: string, otlp: string) => `
decision_engine:
  decision_threshold: 0.3
agent:
  assets: [ETHUSD]
  interval_seconds: 3600
  approval: autonomous
  provider: ensemble
risk:
  max_concentration: 0.9
  max_leverage: 1
  var_limit: 0.9
  min_confidence_when_volatile: 0.3
providers:
  llm:
    kind: openai
    model: fake-model
    base_url: ${llm}/v1
    api_key: ${SECRET}
    timeout_ms: 5000
observability:
  tracing:
    endpoint: ${otlp}
    service_name: ffe-under-test
`;

let receiver: OtlpReceiver;
let llm: FakeLlmServer;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  llm = await startFakeOpenAi({ answer: { action: 'SELL', confidence: 80, reasoning: 'fake model: downtrend', stop_loss_fraction: null, take_profit_fraction: null, size_fraction: null } });
});
afterAll(async () => {
  await receiver.close();
  await llm.close();
});

const byName = (spans: ReceivedSpan[], name: string) => spans.filter((s) => s.name === name);
const parentOf = (spans: ReceivedSpan[], s: ReceivedSpan) => spans.find((p) => p.spanId === s.parentSpanId);

describe('tracing: one trace per decision cycle, one span per API request, exported over OTLP/HTTP', () => {
  it('is off by default and on with an endpoint or enabled: true', () => {
    expect(tracingEndpoint({ enabled: null, endpoint: '', service_name: 'ffe', sample_ratio: 1 })).toBeNull();
    expect(tracingEndpoint({ enabled: null, endpoint: 'http://collector:4318', service_name: 'ffe', sample_ratio: 1 })).toBe('http://collector:4318');
    expect(tracingEndpoint({ enabled: false, endpoint: 'http://collector:4318', service_name: 'ffe', sample_ratio: 1 })).toBeNull();
    expect(tracingEndpoint({ enabled: true, endpoint: '', service_name: 'ffe', sample_ratio: 1 })).toBe('http://127.0.0.1:4318');
  });

  it('an autonomous paper cycle: cycle → data, ensemble → providers, risk gate, order submission → venue call; an API request span; no secret leaves', async () => {
    const h = configHome(config(llm.url, receiver.url), 'ffe-trace-');
    const clock = await sampleClock(config(llm.url, receiver.url), 'ETHUSD');
    const api = await FfeApi.open({ ...h, clock });
    const obs = await startObservability(api.runtime);
    try {
      expect(obs.tracing).toEqual({ endpoint: receiver.url });
      expect(obs.sentry).toBe(false);
      const executed = nextEvent(api, (e) => e.type === 'AgentStateChanged' && e.payload.kind === 'executed', 20_000);
      await api.bot.start({}, OPERATOR);
      await executed;
      await api.bot.stop(OPERATOR);
      // One API request, served by the real server with its hooks (a probe needs no credentials).
      const app = buildServer(api, productionOptions(api, {}));
      const res = await app.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(200);
      await app.close();
    } finally {
      await obs.shutdown();
      await api.bot.shutdown();
      await api.close();
    }
    const spans = receiver.spans;
    // The cycle that executed: its trace holds the venue call.
    const venue = byName(spans, 'ffe.venue.call');
    expect(venue.length).toBeGreaterThan(0);
    const cycle = spans.find((s) => s.name === 'ffe.agent.cycle' && s.traceId === venue[0].traceId)!;
    expect(cycle).toBeDefined();
    expect(cycle.parentSpanId).toBe('');
    const trace = spans.filter((s) => s.traceId === cycle.traceId);
    const tree = treeOf(trace, cycle.spanId);
    console.log(`span tree of the executed cycle:\n${tree.join('\n')}`);
    // Every span of the trace hangs off the cycle.
    expect(tree).toHaveLength(trace.length);
    const child = (name: string) => trace.filter((s) => s.name === name);
    for (const s of [...child('ffe.data.gather'), ...child('ffe.ensemble'), ...child('ffe.risk.gate'), ...child('ffe.order.submit')].filter((s) => parentOf(trace, s)?.name !== 'ffe.order.submit')) {
      expect(parentOf(trace, s)?.name, s.name).toBe('ffe.agent.cycle');
    }
    expect(child('ffe.data.gather')[0].attributes['ffe.asset_pair']).toBe('ETHUSD');
    const [ensemble] = child('ffe.ensemble');
    expect(ensemble.attributes).toMatchObject({ 'ffe.asset_pair': 'ETHUSD', 'ffe.provider': 'ensemble', 'ffe.action': 'SELL' });
    const providers = child('ffe.provider');
    expect(providers.map((p) => p.attributes['ffe.provider']).sort()).toEqual(['llm', 'rules']);
    for (const p of providers) {
      expect(p.parentSpanId).toBe(ensemble.spanId);
      expect(p.attributes).toMatchObject({ 'ffe.asset_pair': 'ETHUSD', 'ffe.action': 'SELL', 'ffe.ok': true });
    }
    expect(child('ffe.risk.gate')[0].attributes).toMatchObject({ 'ffe.asset_pair': 'ETHUSD', 'ffe.action': 'SELL', 'ffe.approved': true, 'ffe.mode': 'paper' });
    const [submit] = child('ffe.order.submit');
    expect(submit.attributes).toMatchObject({ 'ffe.asset_pair': 'ETHUSD', 'ffe.action': 'SELL', 'ffe.status': 'filled', 'ffe.mode': 'paper' });
    const call = trace.find((s) => s.name === 'ffe.venue.call')!;
    expect(parentOf(trace, call)?.name).toBe('ffe.order.submit');
    expect(call.attributes).toMatchObject({ 'ffe.asset_pair': 'ETHUSD', 'ffe.side': 'sell', 'ffe.leg': 'open' });
    // The order path re-checks risk under the submission.
    expect(child('ffe.risk.gate').some((g) => g.parentSpanId === submit.spanId)).toBe(true);
    expect(cycle.resource['service.name']).toBe('ffe-under-test');

    const request = spans.find((s) => s.name === 'GET /health')!;
    expect(request).toBeDefined();
    expect(request.kind).toBe(2);
    expect(request.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.route': '/health', 'http.response.status_code': 200 });
    // Traces only: no metrics or logs exporter started from the OTEL_* environment.
    expect(receiver.otherPaths).toEqual([]);
    // The provider's API key went to the fake model, never into a trace.
    expect(llm.generations.some((r) => JSON.stringify(r.headers).includes(SECRET))).toBe(true);
    expect(receiver.bodies.join('\n')).not.toContain(SECRET);
  }, 120_000);
});
