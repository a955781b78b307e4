import type { Command } from 'commander';
import { iso } from '../format.js';
import { print, printJson, withApp } from '../run.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('engine status: configuration sources, store, data source, providers')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withApp(cmd, async (app) => {
        const recent = await app.store.decisions.list({ limit: 1 });
        const series = await app.marketData.list();
        const status = {
          environment: app.config.environment,
          tradingMode: app.config.trading.mode,
          configSources: app.configSources,
          store: { engine: app.store.engine, location: app.store.location, lastDecision: recent[0] ? { id: recent[0].id, pair: recent[0].assetPair, action: recent[0].action, createdAt: recent[0].createdAt } : null },
          data: { source: app.config.data.source, pairs: [...new Set(series.map((s) => s.pair))] },
          providers: [...app.providers.values()].map((p) => ({ name: p.name, kind: p.kind, model: p.model })),
          defaultProvider: app.config.decision_engine.ai_provider,
          breakers: app.breakers.list(),
        };
        if (opts.json) return printJson(status);
        print(
          [
            `environment ${status.environment}, trading mode ${status.tradingMode}`,
            `config: ${status.configSources.join(', ')}`,
            `store: ${status.store.engine} at ${status.store.location}`,
            `last decision: ${status.store.lastDecision ? `${status.store.lastDecision.id} ${status.store.lastDecision.pair} ${status.store.lastDecision.action} (${iso(Date.parse(status.store.lastDecision.createdAt))})` : 'none'}`,
            `data: ${status.data.source}; pairs ${status.data.pairs.join(', ')}`,
            `providers: ${status.providers.map((p) => `${p.name} (${p.kind}${p.model ? `, ${p.model}` : ''})`).join(', ')}; default ${status.defaultProvider}`,
            ...status.breakers.map((b) => `breaker ${b.name}: ${b.state}${b.state === 'OPEN' ? ` (half-open in ${b.secondsUntilHalfOpen.toFixed(0)} s)` : ''}; ${b.consecutiveFailures}/${b.failureThreshold} consecutive failures; calls ${b.totalCalls}, failures ${b.totalFailures}, refused ${b.totalRejected}, opened ${b.opens}×${b.lastError ? `; last error: ${b.lastError}` : ''}`),
          ].join('\n'),
        );
      });
    });
}
