import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { RuntimeObservers } from '../../app/observers.js';
import { LabelCap, OTHER } from './labels.js';

const PROVIDER_STATUSES = new Set(['ok', 'timeout', 'aborted', 'http', 'unreachable', 'invalid_output', 'not_installed', 'budget_exhausted', 'replay_miss', 'error']);

/** Provider latency and outcomes, from the provider-call hook (docs/metrics.md). */
export function providerMetrics(registry: Registry, observers: RuntimeObservers): () => void {
  const registers = [registry];
  const providers = new LabelCap();
  const pairs = new LabelCap();
  const latency = new Histogram({
    name: 'ffe_decision_latency_seconds',
    help: 'Time one decision provider took to answer one request (each ensemble member separately)',
    labelNames: ['provider', 'asset_pair'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120],
    registers,
  });
  const requests = new Counter({ name: 'ffe_provider_requests_total', help: 'Decision provider calls by outcome (ok or the failure code)', labelNames: ['provider', 'status'], registers });
  return observers.onProviderCall((c) => {
    const provider = providers.of(c.provider);
    latency.observe({ provider, asset_pair: pairs.of(c.pair) }, c.ms / 1000);
    requests.inc({ provider, status: PROVIDER_STATUSES.has(c.status) ? c.status : OTHER });
  });
}

/**
 * Store operation latency, failures and `ffe_store_up`, from the store decorator's hook. `ping`
 * (one cheap read) runs at each scrape, so the store's state is known even when idle.
 */
export function storeMetrics(registry: Registry, observers: RuntimeObservers, ping: () => Promise<unknown>, onPingError: () => void): () => void {
  const registers = [registry];
  const operations = new LabelCap(200);
  const duration = new Histogram({
    name: 'ffe_store_query_duration_seconds',
    help: 'Time of each store operation through the Store port (<repository>.<method> or transaction)',
    labelNames: ['operation'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers,
  });
  const errors = new Counter({ name: 'ffe_store_errors_total', help: 'Store operations that failed with a storage error', labelNames: ['operation'], registers });
  const up = new Gauge({
    name: 'ffe_store_up',
    help: '1 when the newest store operation succeeded, 0 when it failed',
    registers,
    async collect() {
      try {
        await ping();
      } catch {
        this.set(0);
        onPingError();
      }
    },
  });
  up.set(1);
  return observers.onStoreCall((c) => {
    const operation = operations.of(c.operation);
    duration.observe({ operation }, c.ms / 1000);
    if (!c.ok) errors.inc({ operation });
    up.set(c.ok ? 1 : 0);
  });
}
