import { monotonicFactory } from 'ulid';
import type { Clock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';
import { isFfeError } from '../core/errors.js';
import type { Position } from '../core/order.js';
import type { AnalyzeOptions } from '../engine/analysis-engine.js';
import type { ExecutionPreview, ExecutionResult } from '../execution/execution-service.js';
import type { ReconcileReport } from '../execution/reconcile.js';
import type { PortfolioMemory } from '../memory/memory-service.js';
import type { TradeMonitor } from '../monitor/trade-monitor.js';
import type { AgentStateRepository, CloseReasonRepository, DecisionRepository, MonitorRepository } from '../store/port.js';
import type { ApprovalQueue } from './approvals.js';
import { DecayingCounter } from './failure-counter.js';
import { checkKillSwitch, emergencyText, emergencyTrip, KILL_SWITCH_KEY, killSwitchHaltReason, killSwitchState, type KillSwitchState } from './kill-switch.js';
import { retry } from './retry.js';
import { RUN_KEY, type AgentSettings, type RunState } from './settings.js';
import { StateMachine, type AgentState } from './state-machine.js';
import { DayCache } from './day-cache.js';
import type { OrderIntent } from '../execution/intents.js';
import type { CloseReason } from '../monitor/types.js';
import type { AgentEvent } from './types.js';
import { rootSpan } from '../observability/span.js';

/** The order path (ExecutionService) as the agent uses it: it never reaches a venue any other way. */
export interface OrderPath {
  /** `interrupted`: decisions whose execution a stopped process left unfinished (see OrderSubmitter.settle). */
  reconcile(mode: 'paper' | 'live', opts?: { interrupted?: readonly string[] }): Promise<ReconcileReport>;
  preview(d: Decision): Promise<ExecutionPreview>;
  execute(ref: string | Decision): Promise<ExecutionResult>;
  closePosition(positionId: string): Promise<ExecutionResult>;
  mode(): { mode: 'paper' | 'live' };
}

export interface AgentDeps {
  analyze(pair: string, opts: AnalyzeOptions): Promise<Decision>;
  execution: OrderPath;
  /** Read-only view of the account (positions and equity). */
  account: { equity(): Promise<{ value: string }>; positions(): Promise<Position[]> };
  journal: { list(q: { decisionId?: string }): Promise<OrderIntent[]> };
  decisions: DecisionRepository;
  monitor: Pick<TradeMonitor, 'poll'>;
  metrics: Pick<MonitorRepository, 'unlearned' | 'markLearned'>;
  closeReasons: CloseReasonRepository;
  memory: Pick<PortfolioMemory, 'record' | 'learn'>;
  approvals: Pick<ApprovalQueue, 'enqueue'>;
  state: AgentStateRepository;
  clock: Clock;
  settings: AgentSettings;
  random?: () => number;
  /** Replays feed the venue and monitor the bars up to `now` before each cycle. */
  beforeCycle?: (now: number) => Promise<void>;
  /** Most positions open at once, read before each new entry (live-tunable); default unlimited. */
  maxConcurrentTrades?: () => number;
  /** True when there is no more time to run (end of a replay). */
  finished?: () => boolean;
  /**
   * Records an agent event: into the agent's event log when `logged`, and as a domain event (the
   * runtime writes both in one transaction and publishes after commit). Default: the log only.
   */
  record?: (e: AgentEvent, logged: boolean) => Promise<void>;
  /**
   * True when this agent's own polls are the only ones (a replay: no monitor loop, no other
   * process on its store): closed trades then reach `metrics` only through a poll that reports
   * them, and a cycle after none skips the read of unlearned outcomes.
   */
  soleMonitor?: boolean;
  /** Writes what `record`, `decisions` and `state` held back (a replay batches a cycle's rows); called when the run ends (and after every cycle without `cycleEnd`). */
  flush?: () => Promise<void>;
  /** Called after every cycle instead of `flush`: may keep holding the rows (a replay writes several cycles' at once). */
  cycleEnd?: () => Promise<void>;
}

const ulid = monotonicFactory();
/** How often a live agent waiting for its next cycle looks for a stop stored by another process (ms). */
const STOP_POLL_MS = 2_000;
const message = (e: unknown) => (isFfeError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e));
const zeroCounts = (): RunState['counts'] => ({ decisions: 0, holds: 0, denied: 0, queued: 0, executed: 0, failed: 0, skipped: 0 });

/**
 * The autonomous trading agent: an explicit state machine running OODA cycles —
 * learn from closed trades, perceive the portfolio (kill switch), reason per asset, check risk,
 * execute through the single order path.
 */
export class TradingAgent {
  readonly machine: StateMachine;
  private run!: RunState;
  private readonly failures: DecayingCounter;
  private readonly abort = new AbortController();
  private stopping: string | null = null;
  private readonly days: DayCache;
  /** Whether outcomes may wait to be learned (see soleMonitor); a start looks once. */
  private toLearn = true;

  constructor(private readonly d: AgentDeps) {
    this.machine = new StateMachine(() => d.clock.now());
    this.failures = new DecayingCounter(d.settings.failureHalfLifeMs);
    this.days = new DayCache(d.settings.timezone);
    this.machine.onTransition((t) => {
      if (this.run) this.run.state = t.to;
    });
  }

  get status(): RunState {
    return { ...this.run, state: this.machine.state };
  }

  /** Graceful stop: the step in progress finishes (an order in flight is never interrupted), the rest is abandoned. */
  stop(reason = 'stop requested'): void {
    this.stopping ??= reason;
    this.abort.abort(new Error(reason));
  }

  private async emit(kind: string, msg: string, data?: Record<string, unknown>): Promise<void> {
    const e: AgentEvent = { at: this.d.clock.now(), kind, state: this.machine.state, message: msg, data };
    // Transitions (several per cycle) are not logged; the stored run state keeps the current one.
    const logged = kind !== 'transition' || e.state === 'HALT';
    if (this.d.record) await this.d.record(e, logged);
    else if (logged) await this.d.state.event(e);
  }

  private async go(to: AgentState, reason = ''): Promise<void> {
    // An emergency stop may halt the machine while a cycle is still unwinding: after HALT nothing moves.
    if (this.machine.state === 'HALT') return;
    const t = this.machine.go(to, reason);
    await this.emit('transition', `${t.from} → ${t.to}${reason ? `: ${reason}` : ''}`);
  }

  private save(): Promise<void> {
    return this.d.state.set(RUN_KEY, this.status, this.d.clock.now());
  }

  private async equity(): Promise<number> {
    return Number((await this.d.account.equity()).value);
  }

  /** Runs until stopped, halted or out of (replay) time. Returns the final run state. */
  async start(): Promise<RunState> {
    try {
      return await this.loop();
    } finally {
      await this.d.flush?.();
    }
  }

  private async loop(): Promise<RunState> {
    try {
      const ks = await this.startup();
      if (ks.tripped) {
        // Sticky: a restart does not re-arm trading; only an operator's clear does.
        await this.halt(killSwitchHaltReason(ks));
        return this.status;
      }
      await this.go('POSITION_RECOVERY');
      if (!(await this.recover())) return this.status;
      await this.go('IDLE', 'recovered');
      await this.save();
      while (!this.stopping && !this.d.finished?.()) {
        const started = this.d.clock.now();
        await this.cycle();
        if (this.machine.state === 'HALT') return this.status;
        try {
          // Cycles keep their cadence: time spent (and retry back-offs) come off the wait.
          if (await this.waitForCycle(started + this.d.settings.intervalMs)) return this.status;
        } catch {
          break;
        }
      }
      // An emergency stop during the wait halted the run: it stays halted, not merely stopped.
      if (this.machine.state === 'HALT') return this.status;
      this.run.status = 'stopped';
      await this.emit('stopped', this.stopping ?? 'replay finished');
      await this.save();
      return this.status;
    } catch (e) {
      await this.halt(`fatal error: ${message(e)}`);
      throw e;
    }
  }

  private async startup(): Promise<KillSwitchState> {
    const prev = await this.d.state.get<RunState>(RUN_KEY);
    const ks = await killSwitchState(this.d.state);
    const now = this.d.clock.now();
    const day = this.days.of(now);
    const equity = await this.equity();
    // A run that was still "running" crashed or was killed: carry its counters and references on.
    const resume = prev?.status === 'running';
    this.run = resume
      ? { ...prev, counts: { ...zeroCounts(), ...prev.counts } }
      : {
          runId: ulid(now),
          status: 'running',
          state: 'STARTUP',
          cycle: 0,
          startedAt: now,
          startEquity: equity,
          day,
          dayStartEquity: equity,
          tradesToday: 0,
          inflight: null,
          haltReason: null,
          lastCycleAt: null,
          lastCompletedAt: null,
          counts: zeroCounts(),
        };
    if (prev && !resume && prev.day === day) {
      this.run.tradesToday = prev.tradesToday;
      this.run.dayStartEquity = prev.dayStartEquity;
    }
    // The since-start loss is measured from the first start after the last clear, not from this restart.
    if (!resume && ks.reference !== null) this.run.startEquity = ks.reference;
    if (ks.reference === null) await this.d.state.set(KILL_SWITCH_KEY, { ...ks, reference: this.run.startEquity }, now);
    await this.emit('start', resume ? `resuming run ${this.run.runId} after an unclean stop (cycle ${this.run.cycle})` : `run ${this.run.runId} started with equity ${equity.toFixed(2)}`);
    return ks;
  }

  /** Settles the journal against the venue, finishes an interrupted execution, rebuilds trackers and memory. */
  private async recover(): Promise<boolean> {
    const { settings, clock, execution } = this.d;
    // First the monitor: exits the venue made while we were down (attached stops) reach the journal before it is compared.
    await this.poll();
    // A resumed run's in-flight decision was being sent by the process that stopped: none of its orders is still on its way.
    const interrupted = this.run.inflight ? [this.run.inflight] : [];
    const r = await retry(() => execution.reconcile(execution.mode().mode, { interrupted }), settings.recovery, clock, { random: this.d.random, signal: this.abort.signal });
    if (!r.value) {
      await this.halt(`position recovery failed after ${r.attempts} attempts: ${message(r.error)}`);
      return false;
    }
    const report = r.value;
    await this.emit('recovery', `reconciled ${report.account} on ${report.venue}: ${report.ok ? 'OK' : 'MISMATCH'}; settled ${report.settled.length}, pending ${report.pending.length}`, { report });
    if (!report.ok) {
      await this.halt('the journal does not match the venue (see `ffe reconcile`); refusing to trade on an unexplained position');
      return false;
    }
    if (this.run.inflight) await this.finishInflight(this.run.inflight);
    await this.poll();
    await this.learn();
    return true;
  }

  private async finishInflight(decisionId: string): Promise<void> {
    const sent = await this.d.journal.list({ decisionId });
    const decision = await this.d.decisions.get(decisionId);
    if (decision?.executed) {
      await this.emit('recovery', `interrupted decision ${decisionId} had completed before the stop (${sent.map((o) => `${o.clientOrderId} ${o.state}`).join(', ')}); nothing re-sent`);
    } else if (sent.length === 0) {
      await this.emit('recovery', `decision ${decisionId} was interrupted before any order was journaled; dropped (it is stale now)`);
    } else {
      // The order path resumes from the journal: it never places a second order for the same decision.
      const res = await this.d.execution.execute(decisionId).catch((e: unknown) => ({ status: `error: ${message(e)}`, resumed: false }));
      await this.emit('recovery', `finished interrupted decision ${decisionId}: ${res.status}${res.resumed ? ' (resumed, nothing re-sent)' : ''}`);
    }
    this.run.inflight = null;
    await this.save();
  }

  private async halt(reason: string): Promise<void> {
    if (this.machine.state !== 'HALT') await this.go('HALT', reason);
    if (this.run) {
      this.run.status = 'halted';
      this.run.haltReason = reason;
      await this.save();
    }
  }

  /**
   * Waits until `until`; a live agent looks for a stored stop request meanwhile (a replay looks at
   * every cycle, its waits are short). True when it halted on one.
   */
  private async waitForCycle(until: number): Promise<boolean> {
    const { clock } = this.d;
    if (this.d.finished) {
      await clock.sleep(Math.max(0, until - clock.now()), this.abort.signal);
      return false;
    }
    for (;;) {
      await clock.sleep(Math.min(Math.max(0, until - clock.now()), STOP_POLL_MS), this.abort.signal);
      if (await this.stopRequested()) return true;
      if (clock.now() >= until) return false;
    }
  }

  /**
   * Whether the stored kill switch tripped while this run was going: an emergency stop from
   * another process (\`ffe agent emergency-stop\`), or another agent's loss limit on this store.
   * The agent reports it and halts before anything else; read every cycle and before every order.
   */
  private async stopRequested(): Promise<boolean> {
    if (this.machine.state === 'HALT') return true;
    const ks = await killSwitchState(this.d.state);
    if (!ks.tripped) return false;
    const why = ks.emergency ? emergencyText(ks.emergency) : killSwitchHaltReason(ks);
    await this.emit('stop_requested', `halting: ${why}`, { killSwitch: ks });
    await this.halt(ks.emergency ? why : `kill switch: ${why}`);
    return true;
  }

  /** One OODA cycle, from IDLE back to IDLE (or HALT): one trace when tracing is on. */
  cycle(): Promise<void> {
    return rootSpan('ffe.agent.cycle', { 'ffe.run_id': this.run.runId, 'ffe.cycle': this.run.cycle + 1, 'ffe.assets': this.d.settings.assets.join(',') }, async () => {
      try {
        await this.oneCycle();
      } finally {
        await (this.d.cycleEnd ?? this.d.flush)?.();
      }
    });
  }

  private async oneCycle(): Promise<void> {
    if (await this.stopRequested()) return;
    const now = this.d.clock.now();
    await this.d.beforeCycle?.(now);
    this.run.cycle++;
    this.run.lastCycleAt = now;
    await this.go('LEARNING', `cycle ${this.run.cycle}`);
    await this.learn();
    await this.go('PERCEPTION');
    if (!(await this.perceive())) return;
    const assets = this.d.settings.assets;
    await this.go('REASONING', assets.join(', '));
    for (let i = 0; i < assets.length && !this.stopping; i++) {
      // A live cycle may spend minutes on its assets; a replay's takes milliseconds and looked at
      // its start (a stop stored since is still seen before any order: riskAndExecute).
      if (!this.d.finished && (await this.stopRequested())) return;
      if (i > 0) await this.go('REASONING', assets[i]);
      await this.reasonAbout(assets[i]);
      if (this.machine.state === 'HALT') return;
    }
    await this.go('IDLE', this.stopping ? `stopping: ${this.stopping}` : 'cycle done');
    if (!this.stopping) this.run.lastCompletedAt = now;
    await this.save();
  }

  /** The monitor's poll; a closed trade it reports is an outcome to learn. */
  private async poll(): Promise<void> {
    let r: Awaited<ReturnType<AgentDeps['monitor']['poll']>> | null = null;
    try {
      r = await this.d.monitor.poll();
    } finally {
      // A poll that failed part-way may have stored a closed trade before it threw.
      if (!r || r.closed.length) this.toLearn = true;
    }
  }

  /** Outcomes of trades closed since the last cycle go into memory; weights are re-learned from them. */
  private async learn(): Promise<void> {
    if (this.d.soleMonitor && !this.toLearn) return;
    const fresh = await this.d.metrics.unlearned();
    for (const m of fresh) {
      const decision = m.decisionId ? await this.d.decisions.get(m.decisionId) : null;
      await this.d.memory.record(m, decision);
      await this.d.metrics.markLearned(m.tradeId);
      await this.emit('learned', `${m.pair} ${m.side} closed (${m.exitReason}), P&L ${m.pnl.toFixed(2)}: recorded in memory`, {
        tradeId: m.tradeId,
        decisionId: m.decisionId,
        pair: m.pair,
        side: m.side,
        exitReason: m.exitReason,
        pnl: m.pnl,
      });
    }
    this.toLearn = false;
    if (fresh.length === 0) return;
    for (const c of await this.d.memory.learn()) {
      await this.emit(
        'weights',
        `ensemble weights (${c.scope}) after ${c.outcomes} outcomes: ${Object.entries(c.weights)
          .map(([k, v]) => `${k} ${v.toFixed(3)}`)
          .join(', ')}`,
        { change: c },
      );
    }
  }

  /** Portfolio snapshot, daily rollover and the kill switch. False when the agent halted. */
  private async perceive(): Promise<boolean> {
    const { settings, clock } = this.d;
    await this.poll();
    const equity = await this.equity();
    const day = this.days.of(clock.now());
    if (day !== this.run.day) {
      await this.emit('day', `new trading day ${day} (${settings.timezone}): ${this.run.tradesToday} trades yesterday; counters reset`);
      this.run.day = day;
      this.run.tradesToday = 0;
      this.run.dayStartEquity = equity;
    }
    const ks = settings.killSwitch;
    const verdict = checkKillSwitch({ reference: ks.basis === 'day' ? this.run.dayStartEquity : this.run.startEquity, current: equity, threshold: ks.lossFraction, basis: ks.basis });
    if (!verdict.tripped) {
      await this.timeStops();
      return true;
    }
    const stored = await killSwitchState(this.d.state);
    await this.d.state.set(KILL_SWITCH_KEY, { ...stored, tripped: true, trippedAt: clock.now(), reason: verdict.reason, runId: this.run.runId }, clock.now());
    await this.emit('kill_switch', verdict.reason, { loss: verdict.loss });
    if (settings.closeOnEmergencyStop) await this.closeAll('kill_switch');
    await this.halt(`kill switch: ${verdict.reason}`);
    return false;
  }

  private async timeStops(): Promise<void> {
    const max = this.d.settings.maxHoldMs;
    if (max === null) return;
    const now = this.d.clock.now();
    const due = (await this.d.account.positions()).filter((p) => p.openedAt !== null && now - p.openedAt >= max);
    if (due.length) await this.close(due, 'max_hold');
  }

  private atDailyCap(): boolean {
    const cap = this.d.settings.maxDailyTrades;
    return cap > 0 && this.run.tradesToday >= cap;
  }

  private async reasonAbout(pair: string): Promise<void> {
    const { settings, clock } = this.d;
    const now = clock.now();
    const failures = this.failures.value(pair, now);
    if (failures >= settings.maxAssetFailures) {
      this.run.counts.skipped++;
      await this.emit('skip', `${pair}: skipped, ${failures.toFixed(1)} recent failures (decaying)`);
      return;
    }
    // Positions are only read when the cap is reached: below it every asset is analysed.
    if (this.atDailyCap() && !(await this.d.account.positions()).some((p) => p.pair === pair)) {
      this.run.counts.skipped++;
      await this.emit('skip', `${pair}: daily trade limit ${settings.maxDailyTrades} reached; only held assets are analysed`);
      return;
    }
    const r = await retry(() => this.d.analyze(pair, { provider: settings.provider, asOf: now, persist: false, signal: this.abort.signal }), settings.reasoning, clock, {
      random: this.d.random,
      signal: this.abort.signal,
    });
    if (!r.value) {
      this.failures.add(pair, clock.now());
      this.run.counts.failed++;
      await this.emit('analysis_failed', `${pair}: analysis failed after ${r.attempts} attempts: ${message(r.error)}`);
      return;
    }
    this.run.counts.decisions++;
    // Stop, target and size are the engine's: the one trade policy (config `sizing`) set them.
    const decision = r.value;
    await this.d.decisions.save(decision);
    if (decision.action === 'HOLD') {
      this.run.counts.holds++;
      return;
    }
    // One read serves both checks below: nothing trades in between.
    const open = await this.d.account.positions();
    const positions = open.filter((p) => p.pair === pair);
    // One position per asset: a signal in the direction already held is a hold, not an add.
    if (positions.some((p) => p.side === (decision.action === 'BUY' ? 'long' : 'short'))) {
      this.run.counts.holds++;
      return;
    }
    // Closing never counts toward the daily trade limit.
    const closes = positions.length > 0;
    // The concurrency limit is read every time (an operator may change it while the agent runs).
    const maxOpen = this.d.maxConcurrentTrades?.() ?? Infinity;
    if (!closes && open.length >= maxOpen) {
      this.run.counts.skipped++;
      await this.emit('skip', `${pair}: ${decision.action} not taken, ${maxOpen} positions open (max_concurrent_trades)`, { decisionId: decision.id, pair });
      return;
    }
    if (!closes && this.atDailyCap()) {
      this.run.counts.skipped++;
      await this.emit('skip', `${pair}: ${decision.action} not taken, daily trade limit ${settings.maxDailyTrades} reached`);
      return;
    }
    await this.go('RISK_CHECK', `${pair} ${decision.action} ${decision.confidence}%`);
    await this.riskAndExecute(decision, closes);
  }

  private async riskAndExecute(decision: Decision, closes: boolean): Promise<void> {
    const { settings } = this.d;
    let preview: ExecutionPreview;
    try {
      preview = await this.d.execution.preview(decision);
    } catch (e) {
      this.run.counts.denied++;
      await this.emit('denied', `${decision.assetPair}: not executable: ${message(e)}`, { decisionId: decision.id, pair: decision.assetPair, action: decision.action, reason: message(e) });
      return;
    }
    if (!preview.gate.approved) {
      this.run.counts.denied++;
      // The message reads as a sentence; the denials themselves (codes, values, limits) travel as data.
      const denials = preview.gate.denials.map((x) => ({ code: x.code, check: x.check, message: x.message, value: x.value, limit: x.limit }));
      await this.emit('denied', `${decision.assetPair}: ${decision.action} denied by the risk gate: ${denials.map((x) => `${x.message} [${x.code}]`).join('; ')}`, {
        decisionId: decision.id,
        pair: decision.assetPair,
        action: decision.action,
        denials,
      });
      return;
    }
    if (settings.approval === 'manual') {
      const a = await this.d.approvals.enqueue(decision);
      this.run.counts.queued++;
      await this.emit('approval', `${decision.assetPair}: ${a.summary} awaits approval ${a.id} until ${new Date(a.expiresAt).toISOString()}`, { approvalId: a.id });
      return;
    }
    // Signal only: decided, risk-checked and recorded (queued for approval in manual mode, above), never sent.
    if (settings.dryRun) {
      await this.emit('dry_run', `${decision.assetPair}: would ${decision.action} ${decision.suggestedSizeUnits.toPrecision(6)} (dry run)`, { decisionId: decision.id, pair: decision.assetPair, action: decision.action });
      return;
    }
    // The last look before an order: a stop stored since the cycle began wins over the decision.
    if (await this.stopRequested()) return;
    await this.go('EXECUTION', `${decision.assetPair} ${decision.action}`);
    this.run.inflight = decision.id;
    await this.save();
    let result: ExecutionResult | null = null;
    let failure: string | null = null;
    let haltsTrading = false;
    try {
      result = await this.d.execution.execute(decision);
    } catch (e) {
      failure = message(e);
      haltsTrading = isFfeError(e) && e.code === 'RECONCILE_MISMATCH';
      // The order path read the stored kill switch under the lease and refused: an emergency stop landed after the look above.
      if (isFfeError(e) && e.code === 'KILL_SWITCH_TRIPPED') {
        this.run.inflight = null;
        if (await this.stopRequested()) return;
      }
    }
    this.run.inflight = null;
    if (result && (result.status === 'filled' || result.status === 'accepted' || result.status === 'partial')) {
      this.run.counts.executed++;
      if (!closes) this.run.tradesToday++;
      // Track the new position now: a replay's next bars may close it before the next cycle looks.
      await this.poll();
      await this.emit('executed', `${decision.assetPair}: ${decision.action} ${result.status} (${result.orders.map((o) => `${o.side} ${o.filledUnits}@${o.averagePrice}`).join(', ')})`, {
        decisionId: decision.id,
        pair: decision.assetPair,
        action: decision.action,
        status: result.status,
        orders: result.orders.map((o) => ({ side: o.side, units: o.filledUnits, price: o.averagePrice, fees: o.fees })),
      });
      await this.save();
      return;
    }
    this.run.counts.failed++;
    if (haltsTrading) {
      // The order path refuses every trade until the journal matches the venue: cycling on would only fail every hour.
      await this.emit('execution_failed', `${decision.assetPair}: ${failure}`, { decisionId: decision.id });
      await this.halt(`trading halted by reconciliation: the journal does not match the venue (\`ffe reconcile\`); ${failure}`);
      return;
    }
    await this.go('EXECUTION_FAILED', failure ?? `status ${result?.status}`);
    await this.emit('execution_failed', `${decision.assetPair}: ${failure ?? `${result?.status}: ${result?.orders.map((o) => o.reason).join('; ')}`}`, { decisionId: decision.id });
    await this.save();
  }

  /** Closes every open position through the order path. */
  async closeAll(reason: CloseReason): Promise<number> {
    return this.close(await this.d.account.positions(), reason);
  }

  /** Closes positions through the order path, logging why before the monitor looks at the exits. */
  private async close(positions: Position[], reason: CloseReason): Promise<number> {
    let closed = 0;
    for (const p of positions) {
      try {
        const r = await this.d.execution.closePosition(p.id);
        for (const o of r.orders) await this.d.closeReasons.record(o.clientOrderId, reason, this.d.clock.now());
        closed++;
      } catch (e) {
        await this.emit('close_failed', `${p.pair}: could not close: ${message(e)}`);
      }
    }
    await this.poll();
    return closed;
  }

  /**
   * Emergency stop: halt now, optionally flattening everything first. The kill switch is tripped
   * and stored, so the stop holds across restarts until an operator clears it.
   */
  async emergencyStop(reason: string, closePositions: boolean, by = 'operator'): Promise<void> {
    try {
      await this.emergencyHalt(reason, closePositions, by);
    } finally {
      await this.d.flush?.();
    }
  }

  private async emergencyHalt(reason: string, closePositions: boolean, by: string): Promise<void> {
    this.stop(reason);
    const at = this.d.clock.now();
    const ks = await killSwitchState(this.d.state);
    const next = emergencyTrip(ks, { at, by, reason, closePositions }, this.run?.runId ?? null);
    await this.d.state.set(KILL_SWITCH_KEY, next, at);
    if (!ks.tripped) await this.emit('kill_switch', `emergency stop: ${reason}`, { emergency: next.emergency });
    if (closePositions) await this.closeAll('manual');
    await this.halt(`emergency stop: ${reason}`);
  }
}
