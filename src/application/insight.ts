import { RUN_KEY, type RunState } from '../agent/settings.js';
import type { AgentEvent } from '../agent/types.js';
import { inputError } from '../core/errors.js';
import { voteReturn } from '../memory/outcome.js';
import { earliestMove } from '../memory/sequential-test.js';
import { performance, providerStats, statsBy } from '../memory/statistics.js';
import type { TradeOutcome } from '../memory/types.js';
import type { TradeMetrics } from '../monitor/types.js';
import type { EvaluateRequest } from './feedback-evidence.js';
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

/** How many of the agent's latest events a decision's risk verdict is looked for in. */
export const VERDICT_EVENT_WINDOW = 2000;

/**
 * Each provider judged as the memory judges it (its own call on the trades it voted BUY or SELL
 * on, cost-adjusted), with that call's P&L in the quote currency (return × the trade's entry
 * notional) and its current ensemble weight; providers with a weight and no judged trade too.
 */
export function providerPerformance(outcomes: readonly TradeOutcome[], weights: Record<string, number>) {
  const pnl = new Map<string, number>();
  for (const o of outcomes)
    for (const v of o.votes) {
      const r = voteReturn(o, v);
      if (r !== null) pnl.set(v.provider, (pnl.get(v.provider) ?? 0) + r * o.entryPrice * o.units);
    }
  const stats = new Map(providerStats(outcomes).map((s) => [s.key, s]));
  const names = [...new Set([...stats.keys(), ...Object.keys(weights)])].sort();
  return names.map((provider) => {
    const s = stats.get(provider);
    return {
      provider,
      trades: s?.n ?? 0,
      wins: s?.wins ?? 0,
      winRate: s && s.n ? s.hitRate : null,
      pnl: pnl.get(provider) ?? 0,
      averageReturn: s && s.n ? s.avgReturn : null,
      totalReturn: s?.totalReturn ?? 0,
      weight: weights[provider] ?? null,
    };
  });
}

/**
 * What the risk gate said of a decision, from the agent's record: denied (with its reason codes),
 * passed (it was queued for approval, executed or dry-run), or unknown (never put to the gate by
 * the agent, or older than the events kept).
 */
export function riskVerdict(decisionId: string, events: readonly AgentEvent[], executed: boolean, queued: boolean) {
  const mine = events.filter((e) => e.data?.decisionId === decisionId);
  const denied = mine.find((e) => e.kind === 'denied');
  if (denied) {
    const raw = Array.isArray(denied.data?.denials) ? (denied.data.denials as Record<string, unknown>[]) : [];
    const denials = raw.map((d) => ({
      code: String(d.code ?? ''),
      check: String(d.check ?? ''),
      message: String(d.message ?? ''),
      value: typeof d.value === 'number' ? d.value : null,
      limit: typeof d.limit === 'number' ? d.limit : null,
    }));
    return { status: 'denied' as const, at: denied.at, message: denied.message, denials };
  }
  const passed = mine.find((e) => e.kind === 'executed' || e.kind === 'dry_run' || e.kind === 'execution_failed');
  if (passed || executed || queued) return { status: 'passed' as const, at: passed?.at ?? null, message: passed?.message ?? null, denials: [] };
  return { status: 'unknown' as const, at: null, message: null, denials: [] };
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
        /** Per provider: stated → calibrated confidence (isotonic, from closed trades), its Brier scores, and whether the ensemble votes with it. */
        calibratedConfidence: {
          enabled: feedback.memory.settings.calibratedConfidence && !feedback.memory.settings.frozen,
          minSamples: feedback.memory.settings.calibrationMinSamples,
          providers: await feedback.memory.calibration(),
        },
      };
    },

    /** Per provider: win rate, P&L, trades and current weight (the Feedback page's table). */
    async providerPerformance() {
      const [outcomes, weights] = await Promise.all([feedback.memoryRepo.outcomes(), feedback.memory.weights()]);
      return { learning, outcomes: outcomes.length, frozen: feedback.memory.settings.frozen, providers: providerPerformance(outcomes, weights) };
    },

    /** What happened to a decision after it was made: its approval, the risk gate's verdict, its execution (DECISION_NOT_FOUND, 404, when there is none). */
    async decisionOutcome(id: string) {
      const d = await app.store.decisions.get(id);
      if (!d) throw inputError('DECISION_NOT_FOUND', `no decision "${id}"`);
      const approvals = (await feedback.approvals.list()).filter((a) => a.decisionId === id);
      const approval = approvals.sort((a, b) => b.createdAt - a.createdAt)[0] ?? null;
      const events = await feedback.agentState.events(VERDICT_EVENT_WINDOW);
      const execution = (d.metadata?.execution as Record<string, unknown> | undefined) ?? null;
      return { decisionId: id, approval, risk: riskVerdict(id, events, d.executed, approval !== null), execution };
    },

    /** Adaptive vs equal vs configured ensemble weights out of sample, over walk-forward windows (`ffe memory evaluate`). */
    // Loaded on use: it builds providers (the app graph), which the vocabulary's importers (every command's --help) must not pay for.
    memoryEvaluate: async (req: EvaluateRequest) => (await import('./feedback-evidence.js')).evaluateFeedbackEvidence(rt, req),

    async memoryWeights(history: boolean) {
      const m = feedback.memory;
      return {
        learning,
        frozen: m.settings.frozen,
        /** The sequential gate's error rate, and the fewest calls (all wrong) after which any weight can move. */
        gateAlpha: m.settings.gateAlpha,
        minOutcomes: earliestMove(m.settings.gateAlpha),
        weights: await m.weights(),
        ...(history ? { history: await feedback.memoryRepo.weightChanges() } : {}),
      };
    },
  };
};
