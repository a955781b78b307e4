import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfeApi } from '../application/api.js';
import { startObservability } from '../application/observability.js';
import { FfeError } from '../core/errors.js';
import { configHome } from '../../test/support/config-home.js';
import { startSentryIngest, type SentryIngest } from '../../test/fakes/sentry-ingest.js';
import { startFakeOpenAi, type FakeLlmServer } from '../../test/fakes/openai-server.js';
import { startOtlpReceiver } from '../../test/fakes/otlp-receiver.js';
import { reportFailure } from './failures.js';
import { rootSpan, traceIds } from './span.js';
import { maskKeyShaped } from './scrub-event.js';

// Deliberate fakes for the leak checks. credential-scan: allow
const SECRET = 'sk-sentry-secret-fedcba9876543210'; // credential-scan: allow
const FFE_KEY = `ffe_ab12cd34_${'x'.repeat(32)}`; // credential-scan: allow

let ingest: SentryIngest;
let llm: FakeLlmServer;
beforeAll(async () => {
  ingest = await startSentryIngest();
  // A careless proxy that quotes the Authorization header (with the key) in its error.
  llm = await startFakeOpenAi({ mode: 'echo-auth' });
});
afterAll(async () => {
  await ingest.close();
  await llm.close();
});

describe('error tracking (Sentry) against a loopback ingest endpoint', () => {
  it('masks key-shaped strings', () => {
    expect(maskKeyShaped(`a ${FFE_KEY} b`)).toBe('a *** b');
    expect(maskKeyShaped('Authorization: Bearer abcdefgh12345678')).toBe('Authorization: Bearer ***');
    expect(maskKeyShaped('GET /x?api_key=hunter2hunter2&y=1')).toBe('GET /x?api_key=***&y=1');
    expect(maskKeyShaped('trace 4bf92f3577b34da6a3ce929d0e0e4736 ok')).toBe('trace 4bf92f3577b34da6a3ce929d0e0e4736 ok');
  });

  it('reports a provider failure and a venue failure with their error codes and environment, without any secret; starts no tracing', async () => {
    const h = configHome(
      `environment: production
providers:
  llm:
    kind: openai
    model: fake-model
    base_url: ${llm.url}/v1
    api_key: ${SECRET}
    timeout_ms: 5000
observability:
  sentry_dsn: ${ingest.dsn}
`,
      'ffe-sentry-',
    );
    const api = await FfeApi.open(h);
    const obs = await startObservability(api.runtime);
    try {
      expect(obs).toMatchObject({ sentry: true, tracing: null });
      // Sentry alone registers no tracer: spans stay non-recording, logs carry no trace ids.
      expect(await rootSpan('probe', {}, async () => traceIds())).toEqual({});

      const { decision } = await api.trading.analyze('ETHUSD', { provider: 'llm' });
      expect(decision.metadata.providerFailure).toBeDefined();
      const provider = await ingest.waitForEvent((e) => e.tags?.failure === 'provider');
      expect(provider.tags).toMatchObject({ failure: 'provider', provider: 'llm', asset_pair: 'ETHUSD' });
      expect(provider.tags.error_code).toBe((decision.metadata.providerFailure as { code: string }).code);
      expect(provider.environment).toBe('production');

      // A venue error whose text quotes the key (as an exchange's echo might): scrubbed before sending.
      reportFailure({ kind: 'venue', code: 'VENUE_REJECTED', error: new FfeError('venue', 'VENUE_REJECTED', `order refused for key ${SECRET} (also ${FFE_KEY}, Bearer zzzzzzzzzzzz)`), tags: { venue: 'paper' } });
      const venue = await ingest.waitForEvent((e) => e.tags?.failure === 'venue');
      expect(venue.tags).toMatchObject({ error_code: 'VENUE_REJECTED', error_kind: 'venue', venue: 'paper' });
      expect(JSON.stringify(venue.exception)).toContain('order refused for key ***');
    } finally {
      await obs.shutdown();
      await api.close();
    }
    const raw = ingest.envelopes.map((e) => e.raw).join('\n');
    expect(raw).not.toContain(SECRET);
    expect(raw).not.toContain(FFE_KEY);
    expect(raw).not.toContain('zzzzzzzzzzzz');
    // The DSN's own public key travels in the auth header only.
    expect(ingest.events.length).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('with tracing on too: OpenTelemetry exports the spans, and the Sentry event names the trace it happened in', async () => {
    const receiver = await startOtlpReceiver();
    const api = await FfeApi.open(configHome(`observability:\n  sentry_dsn: ${ingest.dsn}\n  tracing:\n    endpoint: ${receiver.url}\n`, 'ffe-sentry-otel-'));
    const obs = await startObservability(api.runtime);
    let ids: { trace_id?: string } = {};
    try {
      expect(obs).toMatchObject({ sentry: true, tracing: { endpoint: receiver.url } });
      ids = await rootSpan('ffe.agent.cycle', {}, async () => {
        reportFailure({ kind: 'venue', code: 'VENUE_UNAVAILABLE', error: new Error('venue down'), tags: { venue: 'paper' } });
        return traceIds();
      });
      expect(ids.trace_id).toMatch(/^[0-9a-f]{32}$/);
      const event = await ingest.waitForEvent((e) => e.tags?.error_code === 'VENUE_UNAVAILABLE');
      expect(event.tags.trace_id).toBe(ids.trace_id);
    } finally {
      await obs.shutdown();
      await api.close();
    }
    expect(receiver.spans.find((x) => x.name === 'ffe.agent.cycle')?.traceId).toBe(ids.trace_id);
    await receiver.close();
  }, 60_000);
});
