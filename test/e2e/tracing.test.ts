import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempCwd } from '../support/cli.js';
import { createKey, startServe } from '../support/serve.js';
import { startOtlpReceiver, treeOf, type OtlpReceiver } from '../fakes/otlp-receiver.js';

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver.close();
});

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const TRACE_2 = '0af7651916cd43dd8448eb211c80319c';

describe('ffe serve with OTEL_EXPORTER_OTLP_ENDPOINT (built CLI)', () => {
  it('exports a span per API request, continuing the caller’s W3C trace, with the analysis spans under it; flushed on SIGTERM; no credential in a trace', async () => {
    const cwd = tempCwd('ffe-trace-e2e-');
    // A provider nobody answers for (port 9, discard): its failure is logged inside the provider span.
    mkdirSync(join(cwd, 'config'));
    writeFileSync(join(cwd, 'config/config.yaml'), 'providers:\n  broken:\n    kind: openai\n    model: m\n    base_url: http://127.0.0.1:9/v1\n    timeout_ms: 1000\n');
    const key = await createKey(cwd, 'analyst');
    const s = await startServe(cwd, ['--host', '127.0.0.1', '--port', '0'], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'ffe-e2e' });
    try {
      const res = await fetch(`${s.url}/api/v1/decisions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` },
        body: JSON.stringify({ asset_pair: 'BTCUSD' }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      const failing = await fetch(`${s.url}/api/v1/decisions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', traceparent: `00-${TRACE_2}-${PARENT_ID}-01` },
        body: JSON.stringify({ asset_pair: 'BTCUSD', provider: 'broken' }),
      });
      expect(failing.status, await failing.clone().text()).toBe(201);
      const probe = await fetch(`${s.url}/live`);
      expect(probe.status).toBe(200);
    } finally {
      s.child.kill('SIGTERM');
    }
    expect(await s.exited, s.stderr()).toBe(0);
    // Shutdown flushes the batch: everything is there once the process is gone.
    const spans = receiver.spans;
    const request = spans.find((x) => x.name === 'POST /api/v1/decisions');
    expect(request, spans.map((x) => x.name).join(', ')).toBeDefined();
    expect(request!.traceId).toBe(TRACE_ID);
    expect(request!.parentSpanId).toBe(PARENT_ID);
    expect(request!.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/api/v1/decisions', 'http.response.status_code': 201, 'ffe.principal': 'api_key' });
    expect(request!.resource['service.name']).toBe('ffe-e2e');
    const tree = treeOf(
      spans.filter((x) => x.traceId === TRACE_ID),
      request!.spanId,
    );
    expect(tree).toEqual(['POST /api/v1/decisions', '  ffe.data.gather', '  ffe.provider']);
    const provider = spans.find((x) => x.name === 'ffe.provider' && x.traceId === TRACE_ID)!;
    expect(provider.attributes).toMatchObject({ 'ffe.asset_pair': 'BTCUSD', 'ffe.provider': 'rules', 'ffe.ok': true });
    expect(['BUY', 'SELL', 'HOLD']).toContain(provider.attributes['ffe.action']);
    expect(spans.some((x) => x.name === 'GET /live' && x.parentSpanId === '')).toBe(true);
    // The failed provider: its span says so, and its log line names the trace.
    const broken = spans.find((x) => x.name === 'ffe.provider' && x.traceId === TRACE_2)!;
    expect(broken.attributes).toMatchObject({ 'ffe.provider': 'broken', 'ffe.ok': false });
    const logged = s
      .stderr()
      .split('\n')
      .filter((l) => l.includes('"provider failed"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toEqual([expect.objectContaining({ provider: 'broken', trace_id: TRACE_2, span_id: broken.spanId })]);
    expect(receiver.otherPaths).toEqual([]);
    expect(receiver.bodies.join('\n')).not.toContain(key);
  }, 120_000);
});
