import type { Command } from 'commander';
import { RUN_KEY, type RunState } from '../../../agent/settings.js';
import { performance } from '../../../memory/statistics.js';
import type { TradeMetrics } from '../../../monitor/types.js';
import { iso, num, pct, table } from '../format.js';
import { print, printJson, withApp } from '../run.js';

const hours = (ms: number) => `${(ms / 3_600_000).toFixed(1)} h`;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

export function metricsSummary(ms: readonly TradeMetrics[]) {
  const p = performance(ms.map((m) => m.returnFraction));
  const tracked = ms.filter((m) => m.mfe !== null);
  const byExit: Record<string, number> = {};
  for (const m of ms) byExit[m.exitReason] = (byExit[m.exitReason] ?? 0) + 1;
  return {
    trades: ms.length,
    winRate: p.hitRate,
    pnl: ms.reduce((a, m) => a + m.pnl, 0),
    fees: ms.reduce((a, m) => a + m.fees, 0),
    averageReturn: p.avgReturn,
    averageHoldMs: mean(ms.map((m) => m.holdingMs)),
    averageMfe: mean(tracked.map((m) => m.mfe!)),
    averageMae: mean(tracked.map((m) => m.mae!)),
    sharpePerTrade: p.sharpe,
    sortinoPerTrade: p.sortino,
    byExit,
  };
}

export function registerMonitor(program: Command): void {
  const monitor = program.command('monitor').description('the trade monitor: tracked positions and closed-trade metrics');
  monitor
    .command('status')
    .description('positions being tracked (price, P&L, MFE/MAE, holding time) and those waiting for a tracker')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      await withApp(cmd, async (app) => {
        const all = await app.feedback.monitorRepo.trackers();
        const agent = await app.feedback.agentState.get<RunState>(RUN_KEY);
        const events = await app.feedback.agentState.events(10);
        if (o.json) return printJson({ agent, events, maxTrackers: app.config.monitor.max_trackers, active: all.filter((t) => t.tracked), pending: all.filter((t) => !t.tracked) });
        if (agent) print(`agent run ${agent.runId}: ${agent.status} in ${agent.state}${agent.haltReason ? ` (${agent.haltReason})` : ''}, cycle ${agent.cycle}, last cycle ${iso(agent.lastCycleAt)}, trades today ${agent.tradesToday}`);
        if (!all.length) return print('no open positions are tracked (the agent’s monitor records them while `ffe run-agent` runs)');
        print(
          table(
            ['pair', 'side', 'units', 'entry', 'last', 'unrealised', 'MFE', 'MAE', 'held', 'tracker'],
            all.map((t) => [t.pair, t.side, num(t.units), num(t.entryPrice), num(t.lastPrice), num(t.unrealizedPnl, 2), t.tracked ? pct(t.mfe) : '-', t.tracked ? pct(t.mae) : '-', hours(t.updatedAt - t.openedAt), t.tracked ? 'active' : 'pending']),
          ),
        );
      });
    });
  monitor
    .command('metrics')
    .description('closed trades: win rate, P&L, average hold, MFE/MAE, exits by reason')
    .option('--limit <n>', 'also list the last n trades', (v) => Number(v), 10)
    .option('--json', 'print JSON')
    .action(async (o: { limit: number; json?: boolean }, cmd: Command) => {
      await withApp(cmd, async (app) => {
        const ms = await app.feedback.monitorRepo.metrics();
        const s = metricsSummary(ms);
        if (o.json) return printJson({ summary: s, trades: ms.slice(-o.limit) });
        if (!ms.length) return print('no closed trades yet');
        print(
          [
            `trades ${s.trades}, win rate ${pct(s.winRate, 1)}, P&L ${num(s.pnl, 2)} (fees ${num(s.fees, 2)}), average return ${pct(s.averageReturn)}`,
            `average hold ${hours(s.averageHoldMs ?? 0)}, average MFE ${pct(s.averageMfe)}, average MAE ${pct(s.averageMae)}, Sharpe/trade ${num(s.sharpePerTrade, 3)}, Sortino/trade ${num(s.sortinoPerTrade, 3)}`,
            `exits: ${Object.entries(s.byExit).map(([k, v]) => `${k} ${v}`).join(', ')}`,
          ].join('\n'),
        );
        print(table(['closed', 'pair', 'side', 'entry', 'exit', 'P&L', 'return', 'MFE', 'MAE', 'held', 'exit reason'], ms.slice(-o.limit).map((m) => [iso(m.closedAt), m.pair, m.side, num(m.entryPrice), num(m.exitPrice), num(m.pnl, 2), pct(m.returnFraction), pct(m.mfe), pct(m.mae), hours(m.holdingMs), m.exitReason])));
      });
    });
}
