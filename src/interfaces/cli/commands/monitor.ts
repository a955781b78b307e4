import type { Command } from 'commander';
import { quoteCurrency } from '../../../core/precision.js';
import { count, iso, money, pct, price, ratio, table, units } from '../format.js';
import { print, printJson, withApi } from '../run.js';
import { positiveInt } from './history.js';

const hours = (ms: number) => `${(ms / 3_600_000).toFixed(1)} h`;

export function registerMonitor(program: Command): void {
  const monitor = program.command('monitor').description('the trade monitor: tracked positions and closed-trade metrics');
  monitor
    .command('status')
    .description('positions being tracked (price, P&L, MFE/MAE, holding time) and those waiting for a tracker')
    .option('--json', 'print JSON (numbers at full precision)')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const st = await api.insight.monitorStatus();
        const { agent } = st;
        const all = [...st.active, ...st.pending];
        if (o.json) return printJson(st);
        if (agent)
          print(
            `agent run ${agent.runId}: ${agent.status} in ${agent.state}${agent.haltReason ? ` (${agent.haltReason})` : ''}, cycle ${agent.cycle}, last cycle ${iso(agent.lastCycleAt)}, trades today ${agent.tradesToday}`,
          );
        if (!all.length) return print('no open positions are tracked (the agent’s monitor records them while `ffe run-agent` runs)');
        print(
          table(
            ['pair', 'side', 'units', 'entry', 'last', 'unrealised', 'MFE', 'MAE', 'held', 'tracker'],
            all.map((t) => [
              t.pair,
              t.side,
              units(t.units, t.pair),
              price(t.entryPrice, t.pair),
              price(t.lastPrice, t.pair),
              money(t.unrealizedPnl, quoteCurrency(t.pair)),
              t.tracked ? pct(t.mfe) : '-',
              t.tracked ? pct(t.mae) : '-',
              hours(t.updatedAt - t.openedAt),
              t.tracked ? 'active' : 'pending',
            ]),
          ),
        );
      });
    });
  monitor
    .command('metrics')
    .description('closed trades: win rate, P&L, average hold, MFE/MAE, exits by reason')
    .option('--limit <n>', 'also list the last n trades', positiveInt('--limit'), 10)
    .option('--json', 'print JSON (numbers at full precision)')
    .action(async (o: { limit: number; json?: boolean }, cmd: Command) => {
      await withApi(cmd, async (api) => {
        const { summary: s, trades } = await api.insight.monitorMetrics(o.limit);
        const ms = trades;
        if (o.json) return printJson({ summary: s, trades });
        if (!s.trades) return print('no closed trades yet');
        print(
          [
            `trades ${count(s.trades)}, win rate ${pct(s.winRate)}, P&L ${money(s.pnl)} (fees ${money(s.fees)}), average return ${pct(s.averageReturn)}`,
            `average hold ${hours(s.averageHoldMs ?? 0)}, average MFE ${pct(s.averageMfe)}, average MAE ${pct(s.averageMae)}, Sharpe/trade ${ratio(s.sharpePerTrade)}, Sortino/trade ${ratio(s.sortinoPerTrade)}`,
            `exits: ${Object.entries(s.byExit)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}`,
          ].join('\n'),
        );
        print(
          table(
            ['closed', 'pair', 'side', 'entry', 'exit', 'P&L', 'return', 'MFE', 'MAE', 'held', 'exit reason'],
            ms
              .slice(-o.limit)
              .map((m) => [
                iso(m.closedAt),
                m.pair,
                m.side,
                price(m.entryPrice, m.pair),
                price(m.exitPrice, m.pair),
                money(m.pnl, quoteCurrency(m.pair)),
                pct(m.returnFraction),
                pct(m.mfe),
                pct(m.mae),
                hours(m.holdingMs),
                m.exitReason,
              ]),
          ),
        );
      });
    });
}
