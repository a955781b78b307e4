import { RUN_KEY, type RunState } from '../agent/settings.js';
import { performance, providerStats, statsBy } from '../memory/statistics.js';
import type { TradeMetrics } from '../monitor/types.js';
import { historyUseCases } from './portfolio-history.js';
import type { Runtime } from './runtime.js';

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** Closed trades summed up: win rate, P&L, fees, hold, MFE/MAE, exits by reason. */
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

/** The monitor's and the portfolio memory's views: what is tracked, what closed, what was learned. */
export const insightUseCases = (rt: Runtime) => {
  const { app } = rt;
  const { feedback } = app;
  /** A sandbox's store holds replay learning; the account's store holds the account's. */
  const learning = rt.sandbox ? { kind: 'replay' as const, sandbox: rt.sandbox } : { kind: 'account' as const, sandbox: null };
  return {
    /** The equity curve with drawdown, P&L today and overall; the agent's cycle log. */
    ...historyUseCases(rt),

    async monitorStatus() {
      const all = await feedback.monitorRepo.trackers();
      return {
        agent: await feedback.agentState.get<RunState>(RUN_KEY),
        events: await feedback.agentState.events(10),
        maxTrackers: app.config.monitor.max_trackers,
        active: all.filter((t) => t.tracked),
        pending: all.filter((t) => !t.tracked),
      };
    },

    async monitorMetrics(limit: number) {
      const ms = await feedback.monitorRepo.metrics();
      return { summary: metricsSummary(ms), trades: ms.slice(-limit) };
    },

    async memoryReport() {
      const outcomes = await feedback.memoryRepo.outcomes();
      return {
        learning,
        outcomes: outcomes.length,
        overall: performance(outcomes.map((x) => x.returnFraction)),
        pnl: outcomes.reduce((a, x) => a + x.pnl, 0),
        byProvider: providerStats(outcomes),
        byAsset: statsBy(outcomes, (x) => x.pair),
        byRegime: statsBy(outcomes, (x) => x.regime),
        weights: await feedback.memory.weights(),
      };
    },

    async memoryWeights(history: boolean) {
      const m = feedback.memory;
      return {
        learning,
        frozen: m.settings.frozen,
        minOutcomes: m.settings.minOutcomes,
        weights: await m.weights(),
        ...(history ? { history: await feedback.memoryRepo.weightChanges() } : {}),
      };
    },
  };
};
