import type { FfeApi } from '../../application/api.js';
import { metricsOf } from '../../application/metrics/index.js';
import type { ServerOptions } from './options.js';

/**
 * The server as `ffe serve` (and the benchmarks, and end-to-end tests) run it: bearer tokens
 * checked by the auth use cases (access JWTs and API keys), audited routes recorded in the
 * tamper-evident log, settings from the `server` config section, the application's metrics
 * (docs/metrics.md) on /metrics. Tests that need something else
 * override single fields.
 */
export function productionOptions(api: FfeApi, over: Partial<ServerOptions> = {}): ServerOptions {
  return {
    authenticate: (bearer) => api.auth.authenticate(bearer),
    audit: (e) => api.audit.record({ principal: e.principal ?? undefined, action: e.action, params: e.params, result: e.result, error: e.error, requestId: e.requestId, ip: e.ip }),
    settings: api.system.serverSettings(),
    metrics: metricsOf(api).registry,
    ...over,
  };
}
