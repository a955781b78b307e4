import { describe, expect, it } from 'vitest';
import { metricsFixture } from '../../../test/support/metrics.js';
import { providerMetrics, storeMetrics } from './observer-metrics.js';

describe('provider metrics', () => {
  it('observes each call’s latency by provider and pair, and counts outcomes by status', async () => {
    const { registry, observers: obs } = metricsFixture();
    providerMetrics(registry, obs);
    obs.providerCall({ provider: 'rules', pair: 'BTCUSD', ms: 30, status: 'ok' });
    obs.providerCall({ provider: 'llama', pair: 'BTCUSD', ms: 4000, status: 'timeout' });
    obs.providerCall({ provider: 'llama', pair: 'BTCUSD', ms: 700, status: 'ok' });
    obs.providerCall({ provider: 'llama', pair: 'BTCUSD', ms: 700, status: 'something new' });
    const text = await registry.metrics();
    expect(text).toContain('ffe_decision_latency_seconds_bucket{le="0.05",provider="rules",asset_pair="BTCUSD"} 1');
    expect(text).toContain('ffe_decision_latency_seconds_bucket{le="1",provider="llama",asset_pair="BTCUSD"} 2');
    expect(text).toContain('ffe_decision_latency_seconds_bucket{le="5",provider="llama",asset_pair="BTCUSD"} 3');
    expect(text).toContain('ffe_decision_latency_seconds_sum{provider="llama",asset_pair="BTCUSD"} 5.4');
    expect(text).toContain('ffe_provider_requests_total{provider="rules",status="ok"} 1');
    expect(text).toContain('ffe_provider_requests_total{provider="llama",status="timeout"} 1');
    expect(text).toContain('ffe_provider_requests_total{provider="llama",status="other"} 1');
  });
});

describe('store metrics', () => {
  it('times operations, counts storage failures, and ffe_store_up follows the newest operation', async () => {
    const { registry, observers: obs } = metricsFixture();
    let pings = 0;
    storeMetrics(
      registry,
      obs,
      async () => pings++,
      () => undefined,
    );
    obs.storeCall({ operation: 'decisions.save', ms: 2, ok: true });
    obs.storeCall({ operation: 'decisions.save', ms: 20, ok: true });
    let text = await registry.metrics();
    expect(text).toContain('ffe_store_query_duration_seconds_bucket{le="0.0025",operation="decisions.save"} 1');
    expect(text).toContain('ffe_store_query_duration_seconds_count{operation="decisions.save"} 2');
    expect(text).toContain('ffe_store_up 1');
    expect(pings).toBe(1);
    obs.storeCall({ operation: 'orders.open', ms: 1, ok: false });
    text = await registry.metrics();
    expect(text).toContain('ffe_store_errors_total{operation="orders.open"} 1');
    // The ping resolved without a failing operation reported: the failure stays the newest news.
    expect(text).toContain('ffe_store_up 0');
  });

  it('a ping that throws sets ffe_store_up to 0 and reports a collect error, without failing the scrape', async () => {
    const { registry, observers: obs } = metricsFixture();
    let errors = 0;
    storeMetrics(
      registry,
      obs,
      async () => {
        throw new Error('SQLITE_IOERR');
      },
      () => errors++,
    );
    const text = await registry.metrics();
    expect(text).toContain('ffe_store_up 0');
    expect(errors).toBe(1);
  });

  it('an observer that throws does not break the observed call', () => {
    const { observers: obs } = metricsFixture();
    obs.onStoreCall(() => {
      throw new Error('boom');
    });
    expect(() => obs.storeCall({ operation: 'x.y', ms: 1, ok: true })).not.toThrow();
  });
});
