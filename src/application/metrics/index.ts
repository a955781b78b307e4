import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { RUN_KEY } from '../../agent/settings.js';
import { packageVersion } from '../../lib/package-root.js';
import type { FfeApi } from '../api.js';
import { domainEventMetrics } from './event-metrics.js';
import { providerMetrics, storeMetrics } from './observer-metrics.js';
import { stateGauges, type StateSnapshot } from './state-gauges.js';

export interface FfeMetrics {
  /** What /metrics serves (docs/metrics.md). */
  readonly registry: Registry;
  /** Stops listening to the runtime (the registry keeps its last values). */
  close(): void;
}

/** `serve`: every metric; `worker`: process, build and store metrics only (a worker runs backtest jobs). */
export type MetricsScope = 'serve' | 'worker';

/** How many recent orders are read at start to find the newest fill (`ffe_last_trade_timestamp_seconds`). */
const SEED_ORDERS = 50;

/**
 * The Prometheus metrics of one process over one FfeApi: domain-event counters, provider and store
 * hooks, gauges read at scrape time, the process defaults (no prefix). The one place prom-client
 * meets the application; the domain, engine and store know nothing of it.
 */
export function createMetrics(api: FfeApi, scope: MetricsScope): FfeMetrics {
  const rt = api.runtime;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  new Gauge({ name: 'ffe_build_info', help: 'Always 1; the version of FFE this process runs', labelNames: ['version'], registers }).set({ version: safeVersion() }, 1);
  const collectErrors = new Counter({ name: 'ffe_metrics_collect_errors_total', help: 'Scrape-time sources that failed (their gauges kept their last values)', labelNames: ['collector'], registers });

  const stops: (() => void)[] = [];
  stops.push(
    storeMetrics(
      registry,
      rt.app.observers,
      () => rt.app.store.agentState.get(RUN_KEY),
      () => collectErrors.inc({ collector: 'store_ping' }),
    ),
  );
  if (scope === 'serve') {
    const events = domainEventMetrics(registry, api.events);
    stops.push(events.unsubscribe);
    void seedLastTrade(api, events.seedLastTrade);
    stops.push(providerMetrics(registry, rt.app.observers));
    stateGauges(
      registry,
      () => snapshot(api),
      () => collectErrors.inc({ collector: 'bot_status' }),
    );
  }
  return { registry, close: () => stops.forEach((s) => s()) };
}

const kept = new WeakMap<FfeApi, FfeMetrics>();

/** The serve-scope metrics of `api`, made once (every server over the same api serves the same registry). */
export function metricsOf(api: FfeApi): FfeMetrics {
  let m = kept.get(api);
  if (!m) {
    m = createMetrics(api, 'serve');
    kept.set(api, m);
  }
  return m;
}

function safeVersion(): string {
  try {
    return packageVersion();
  } catch {
    return 'unknown';
  }
}

async function seedLastTrade(api: FfeApi, seed: (ms: number) => void): Promise<void> {
  try {
    const recent = await api.runtime.app.store.orders.list({ limit: SEED_ORDERS });
    for (const o of recent) if (o.state === 'FILLED') seed(o.updatedAt);
  } catch {
    // A store that cannot be read shows as ffe_store_up 0; the timestamp stays 0 until a trade.
  }
}

/** The bot status and the breakers, as the gauges read them. */
async function snapshot(api: FfeApi): Promise<StateSnapshot> {
  const app = api.runtime.app;
  const [s, breakers] = await Promise.all([api.bot.status(), app.breakers.list()]);
  return {
    botState: s.state,
    oodaState: s.ooda_state,
    killSwitch: s.kill_switch.tripped,
    platform: app.venueView(app.execution.mode().mode).name,
    portfolioValue: s.portfolio_value,
    positionVenues: s.positions.map((p) => p.venue),
    providerWeights: s.config.provider_weights,
    breakers: breakers.map((b) => ({ name: b.name, state: b.state })),
  };
}
