import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfeApi } from '../../application/api.js';
import { createMetrics } from '../../application/metrics/index.js';
import { serveMetrics } from './metrics-endpoint.js';

let api: FfeApi;
let endpoint: Awaited<ReturnType<typeof serveMetrics>>;
let url: string;

beforeAll(async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'ffe-metrics-endpoint-'));
  api = await FfeApi.open({ cwd, env: { FFE_HOME: join(cwd, 'home'), TZ: 'UTC' } });
  endpoint = await serveMetrics(createMetrics(api, 'worker').registry, 0);
  url = `http://127.0.0.1:${endpoint.port}`;
});

afterAll(async () => {
  await endpoint?.close();
  await api?.close();
});

describe('worker metrics endpoint', () => {
  it('serves the worker registry on GET /metrics without auth: process, build and store metrics, no trading metrics', async () => {
    // A store read through the runtime is timed like any other.
    await api.runtime.app.store.agentState.get('anything');
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^ffe_build_info\{version="\d+\.\d+\.\d+[^"]*"\} 1$/m);
    expect(text).toMatch(/^ffe_store_up 1$/m);
    expect(text).toMatch(/^ffe_store_query_duration_seconds_count\{operation="agentState.get"\} [1-9]/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).not.toContain('ffe_agent_state');
    expect(text).not.toContain('ffe_http_requests_total');
  });

  it('answers 404 for any other path or method', async () => {
    expect((await fetch(`${url}/`)).status).toBe(404);
    expect((await fetch(`${url}/metrics/x`)).status).toBe(404);
    expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(404);
  });
});
