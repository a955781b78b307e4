import type { Command } from 'commander';
import { iso } from '../format.js';
import { print, printJson, withApi } from '../run.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('engine status: configuration sources, store, data source, providers')
    .option('--json', 'print as JSON (numbers at full precision)')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const status = await api.system.status();
        if (opts.json) return printJson(status);
        const t = status.trading;
        print(
          [
            // Halted trading comes first: it is what an operator must see.
            t.halted ? `TRADING HALTED:\n${t.reasons.map((r) => `  ${r.source}: ${r.reason}`).join('\n')}` : `trading: not halted (${t.reconciliation.account} reconciliation: ${t.reconciliation.note})`,
            `environment ${status.environment}, trading mode ${status.tradingMode}`,
            `config: ${status.configSources.join(', ')}`,
            `data home: ${status.home.dir} (${status.home.from === 'default' ? 'default; set FFE_HOME to move it' : `from ${status.home.from}`})${status.sandbox ? `; sandbox ${status.sandbox}` : ''}`,
            `store: ${status.store.engine} at ${status.store.location}`,
            `last decision: ${status.store.lastDecision ? `${status.store.lastDecision.id} ${status.store.lastDecision.pair} ${status.store.lastDecision.action} (${iso(Date.parse(status.store.lastDecision.createdAt))})` : 'none'}`,
            `data: ${status.data.source}; pairs ${status.data.pairs.join(', ')}`,
            `providers: ${status.providers.map((p) => `${p.name} (${p.kind}${p.model ? `, ${p.model}` : ''})`).join(', ')}; default ${status.defaultProvider}`,
            ...status.breakers.map(
              (b) =>
                `breaker ${b.name}: ${b.state}${b.openedAt !== null ? ` since ${iso(b.openedAt)}` : ''}${b.state === 'OPEN' && b.nextProbeAt !== null ? ` (next probe at ${iso(b.nextProbeAt)}, in ${b.secondsUntilHalfOpen.toFixed(0)} s)` : ''}; ${b.consecutiveFailures}/${b.failureThreshold} consecutive failures; calls ${b.totalCalls}, failures ${b.totalFailures}, refused ${b.totalRejected}, opened ${b.opens}×${b.lastError ? `; last error: ${b.lastError}` : ''}`,
            ),
          ].join('\n'),
        );
      });
    });
}
