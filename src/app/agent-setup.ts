import { TradingAgent, type AgentDeps } from '../agent/agent.js';
import { CycleBatch } from '../agent/cycle-batch.js';
import { agentDomainEvent } from '../agent/domain-events.js';
import { assertKillSwitchClear } from '../agent/kill-switch.js';
import type { AgentEvent } from '../agent/types.js';
import type { AgentSettings } from '../agent/settings.js';
import { ReplayClock } from '../agent/replay-clock.js';
import type { Config } from '../config/schema.js';
import type { Decision } from '../core/decision.js';
import { TIMEFRAME_MS } from '../core/timeframe.js';
import { decisionMade } from '../engine/decision-events.js';
import { ReplayAccountReads } from '../engine/replay-account.js';
import { ReplayMarketData } from '../engine/replay-market-data.js';
import { accountViewOf } from '../execution/account.js';
import { CachedMemory } from '../memory/summary-cache.js';
import type { ObservedBar, TradeMonitor } from '../monitor/trade-monitor.js';
import type { App } from './container.js';

export function agentSettings(cfg: Config, over: Partial<AgentSettings> = {}): AgentSettings {
  const a = cfg.agent;
  const backoff = (b: { attempts: number; base_ms: number; max_ms: number }) => ({ attempts: b.attempts, baseMs: b.base_ms, maxMs: b.max_ms });
  return {
    assets: a.assets,
    provider: a.provider ?? undefined,
    intervalMs: a.interval_seconds * 1000,
    maxDailyTrades: a.max_daily_trades,
    approval: a.approval,
    dryRun: false,
    timezone: a.timezone,
    killSwitch: { lossFraction: a.kill_switch.loss_fraction, basis: a.kill_switch.basis },
    recovery: backoff(a.recovery),
    reasoning: backoff(a.reasoning),
    failureHalfLifeMs: a.failure_decay_seconds * 1000,
    maxAssetFailures: a.max_asset_failures,
    closeOnEmergencyStop: a.close_on_emergency_stop,
    maxHoldMs: a.max_hold_seconds === null ? null : a.max_hold_seconds * 1000,
    ...over,
  };
}

export interface AgentRuntime {
  agent: TradingAgent;
  monitor: TradeMonitor;
  /** Live runs: polls positions (and, on paper, lets the venue process prices) until `signal` aborts. */
  monitorLoop(signal: AbortSignal): Promise<void>;
}

export interface AgentRuntimeOptions {
  settings: AgentSettings;
  /** Replays feed the paper venue every bar of each asset up to the agent's "now" before a cycle. */
  replay?: { finished: () => boolean; /** Bars after this instant are fed first (a resumed replay's last completed cycle). */ feedFrom?: number };
  /** Gets every agent event after it was recorded (tests); interfaces subscribe to the published domain events instead. */
  onEvent?: (e: AgentEvent) => void;
  /** Runs each order (execute, close) inside the runtime's trading lease; default: as is. */
  trade?: <T>(fn: () => Promise<T>) => Promise<T>;
}

/**
 * Wires the agent over the account's one guarded venue: it reads the account through a read-only
 * view of it (positions, fills, order look-ups for exit labels), a simulated venue is fed prices
 * through it, and orders go only through app.execution.
 */
export function buildAgentRuntime(app: App, opts: AgentRuntimeOptions): AgentRuntime {
  const { config, store, clock, feedback } = app;
  // A replay reads each series once per chunk of time instead of every cycle (same bars, point in time).
  const marketData = opts.replay ? new ReplayMarketData(app.marketData) : app.marketData;
  // Its memory summaries are kept until its agent records a trade or re-learns weights (no other writer).
  const memory = opts.replay ? new CachedMemory(feedback.memory) : feedback.memory;
  const mode = app.execution.mode().mode;
  // A paper replay reads positions and equity once between changes of its account (see ReplayAccountReads); the engine sizes from the same reads.
  const reads = opts.replay && mode === 'paper' && config.trading.mode === 'paper' ? new ReplayAccountReads(app.venueView(mode), clock) : null;
  const venue = reads ? reads.view() : app.venueView(mode);
  const changes = <A extends unknown[], R>(fn: (...a: A) => Promise<R>) => (reads ? reads.changes(fn) : fn);
  const engine = opts.replay ? app.engine.with({ marketData, memory, ...(reads ? { account: accountViewOf(() => venue) } : {}) }) : app.engine;
  // A replay writes the agent's own rows of a cycle in one transaction; other writers run after they are in (see CycleBatch).
  // At full speed, those of up to 24 cycles: a paced one writes each cycle's before it waits (another process may write meanwhile: an emergency stop).
  const batch = opts.replay ? new CycleBatch(store, clock instanceof ReplayClock && !clock.paced ? { everyCycles: 24, maxHoldMs: 250 } : {}) : null;
  const flushed = <A extends unknown[], R>(fn: (...a: A) => Promise<R>) => (batch ? batch.before(fn) : fn);
  // The agent's event log row and its domain event go into the store in one transaction; the store reports the event to the runtime's bus once it committed.
  const record = async (e: AgentEvent, logged: boolean) => {
    const domain = agentDomainEvent(e);
    if (batch) return batch.record(e, domain, logged, () => opts.onEvent?.(e));
    await store.transaction(async (tx) => {
      if (logged) await tx.agentState.event(e);
      await tx.events.append(domain);
    });
    opts.onEvent?.(e);
  };
  // A replay's monitor reads the account through the cached reads and keeps its trackers in the batch (it is their only writer).
  const monitor = reads || batch ? app.monitor(mode).with({ ...(reads ? { venue } : {}), ...(batch ? { repo: batch.trackers(feedback.monitorRepo) } : {}) }) : app.monitor(mode);
  let fedUntil: number | null = opts.replay?.feedFrom ?? null;
  const feedBars = async (now: number) => {
    const from = fedUntil ?? now;
    fedUntil = now;
    // The monitor folds every pair's bars into its trackers at once: it reads nothing the venue writes.
    const seen: { pair: string; bar: ObservedBar }[] = [];
    for (const pair of opts.settings.assets) {
      const bars = await marketData.candles({ pair, timeframe: '1h', end: now, limit: Math.ceil((now - from) / TIMEFRAME_MS['1h']) + 1 });
      for (const b of bars) {
        const closeAt = b.timestamp + TIMEFRAME_MS['1h'];
        if (closeAt <= from) continue;
        const bar = { open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume, timestamp: closeAt };
        // A real venue triggers its own stops; a simulated one (or one routed to paper) needs the bar.
        if (venue.advance) await venue.advance(pair, bar);
        seen.push({ pair, bar });
      }
    }
    await monitor.observeBars(seen);
  };
  const deps: AgentDeps = {
    analyze: (pair, o) => engine.analyze(pair, o),
    execution: {
      reconcile: changes(flushed((m: 'paper' | 'live', o?: { interrupted?: readonly string[] }) => app.execution.reconcile(m, o))),
      preview: (d) => app.execution.preview(d),
      // The stored kill switch is read again under the lease: an emergency stop from another process cannot slip between the agent's check and the order.
      execute: changes(
        flushed((ref: string | Decision) =>
          (opts.trade ?? ((fn) => fn()))(async () => {
            await assertKillSwitchClear(feedback.agentState);
            return app.execution.execute(ref);
          }),
        ),
      ),
      closePosition: changes(flushed((id: string) => (opts.trade ?? ((fn) => fn()))(() => app.execution.closePosition(id)))),
      mode: () => ({ mode }),
    },
    account: venue,
    journal: app.journal,
    decisions: batch ? batch.decisions(app.decisions, (d) => decisionMade(d, clock.now())) : app.decisions,
    monitor: { poll: batch ? () => monitor.poll({ beforeWrite: () => batch.flush() }) : () => monitor.poll() },
    metrics: feedback.monitorRepo,
    closeReasons: feedback.closeReasons,
    memory,
    approvals: { enqueue: flushed((d: Decision) => feedback.approvals.enqueue(d)) },
    state: batch ? batch.state(feedback.agentState) : feedback.agentState,
    clock,
    settings: opts.settings,
    // The held rows need not go in first: feeding bars writes no events and reads none of them.
    beforeCycle: async (now) => {
      if (opts.replay) await feedBars(now);
      await feedback.approvals.expireDue(batch ? { beforeWrite: () => batch.flush(), sole: true } : {});
    },
    finished: opts.replay?.finished,
    soleMonitor: !!opts.replay,
    maxConcurrentTrades: () => app.tuning.maxConcurrentTrades(),
    record,
    flush: batch ? () => batch.flush() : undefined,
    cycleEnd: batch ? () => batch.cycleEnd() : undefined,
  };
  return {
    agent: new TradingAgent(deps),
    monitor,
    monitorLoop: async (signal) => {
      const every = config.monitor.poll_interval_seconds * 1000;
      while (!signal.aborted) {
        try {
          // Simulated venues (paper, or asset classes routed to paper in live mode) act on current prices.
          if (venue.processPrices) await venue.processPrices();
          await monitor.poll();
        } catch (e) {
          await record({ at: clock.now(), kind: 'monitor_error', state: '', message: (e as Error).message }, true).catch(() => undefined);
        }
        await clock.sleep(every, signal).catch(() => undefined);
      }
    },
  };
}
