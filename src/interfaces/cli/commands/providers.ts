import type { Command } from 'commander';
import { ratio, table } from '../format.js';
import { print, printJson, withApi } from '../run.js';

export function registerProviders(program: Command): void {
  const providers = program.command('providers').description('list the configured decision providers and test them with a real round trip');

  providers
    .command('list')
    .description('configured providers: kind, model, weight, local, reachable?, usage today')
    .option('--no-probe', 'skip the reachability check')
    .option('--json', 'print as JSON (numbers at full precision)')
    .action(async (opts: { probe: boolean; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const list = await api.providers.list(opts.probe);
        const rows = list.providers;
        if (opts.json) return printJson(list);
        const yes = (b: boolean | null) => (b === null ? '-' : b ? 'yes' : 'no');
        print(
          table(
            ['name', 'kind', 'model', 'enabled', 'local', 'weight', 'ensemble', 'timeout', 'reachable', 'today', 'budget'],
            rows.map((r) => [
              r.name,
              r.kind,
              r.model ?? '-',
              yes(r.enabled),
              yes(r.local),
              ratio(r.weight, 3),
              yes(r.inEnsemble),
              `${r.timeoutMs} ms`,
              r.reachable === null ? '-' : `${yes(r.reachable)}${r.reachability ? `: ${r.reachability.slice(0, 60)}` : ''}`,
              r.today ? `${r.today.calls} calls, ${r.today.failures} failed, ${r.today.tokens} tokens` : '-',
              r.budget.exhausted ? 'SPENT' : [r.budget.dailyCalls && `${r.budget.dailyCalls} calls`, r.budget.dailyTokens && `${r.budget.dailyTokens} tokens`].filter(Boolean).join(', ') || '-',
            ]),
          ) + `\ncassette mode: ${list.cassetteMode}`,
        );
      });
    });

  providers
    .command('test')
    .description('ask one provider (or every enabled one) for a decision on a real context and time it; exit 1 if any fails')
    .argument('[name]', 'provider name (default: every enabled provider); `ensemble` tests the ensemble')
    .option('--pair <pair>', 'pair whose context is sent', 'BTCUSD')
    .option('--json', 'print as JSON (numbers at full precision)')
    .action(async (name: string | undefined, opts: { pair: string; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const { failure, ...tested } = await api.providers.test(name, opts.pair);
        const rows = tested.results;
        if (opts.json) printJson(tested);
        else {
          print(
            table(
              ['provider', 'kind', 'model', 'result', 'latency', 'tokens'],
              rows.map((r) => [r.name, r.kind, r.model ?? '-', r.ok ? `${r.action} ${r.confidence}` : `FAILED ${r.failure}`, `${r.latencyMs} ms`, r.tokens ?? '-']),
            ),
          );
        }
        if (failure) throw failure;
      });
    });
}
