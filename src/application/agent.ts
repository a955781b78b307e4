import { existsSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { monotonicFactory } from 'ulid';
import { agentSettings, buildAgentRuntime } from '../app/agent-setup.js';
import { agentDomainEvent } from '../agent/domain-events.js';
import { emergencyText, emergencyTrip, KILL_SWITCH_KEY, type KillSwitchState } from '../agent/kill-switch.js';
import { ReplayClock } from '../agent/replay-clock.js';
import type { AgentEvent } from '../agent/types.js';
import { RUN_KEY, type AgentSettings, type RunState } from '../agent/settings.js';
import { inputError, isFfeError } from '../core/errors.js';
import { TIMEFRAME_MS } from '../core/timeframe.js';
import { audited } from './audit/audited.js';
import { LOCAL_OPERATOR, type Principal } from './auth/principal.js';
import { clearKillSwitch, killSwitchState } from './kill-switch.js';
import { metricsSummary } from './insight.js';
import { dataHome, sandboxPath } from './home.js';
import { Runtime, type RuntimeOptions } from './runtime.js';
import { storeFailure } from './store-failures.js';

export interface ReplayRequest {
  from: number;
  /** Default: the end of the data. */
  to?: number;
  speed: number | 'max';
  /** Sandbox to replay in (`<home>/sandboxes/<name>.db`); default a fresh one per replay. Reusing a name resumes or continues it. */
  sandbox?: string;
}

const sandboxId = monotonicFactory();

/** Replay stores this process created (file, and the sandboxes folder when it made that too): a refused replay removes them. */
const created = new WeakMap<Runtime, { file: string; dir: string | null }>();

/** A replay refused before its first cycle leaves nothing behind: the store it created goes once it is closed. */
function discardCreatedStore(rt: Runtime): void {
  const fresh = created.get(rt);
  if (!fresh) return;
  created.delete(rt);
  rt.afterClose(() => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${fresh.file}${suffix}`, { force: true });
    try {
      // Only an empty folder: another replay may have put its sandbox there meanwhile.
      if (fresh.dir) rmdirSync(fresh.dir);
    } catch {
      // Not empty: it stays.
    }
  });
}

/**
 * Opens the runtime an agent runs in. A replay never trades the paper or live account: it runs
 * in its own sandbox store (named, or a fresh one), on a replay clock.
 */
export async function openAgentRuntime(base: RuntimeOptions, replay?: ReplayRequest): Promise<{ rt: Runtime; clock: ReplayClock | null }> {
  if (!replay) return { rt: await Runtime.open(base), clock: null };
  // The end of the data is only known once the runtime is open: it is set before the first cycle.
  const clock = new ReplayClock(replay.from, replay.to ?? Number.MAX_SAFE_INTEGER, replay.speed);
  const sandbox = base.storePath ? undefined : (replay.sandbox ?? base.sandbox ?? `replay-${sandboxId().toLowerCase()}`);
  const cwd = base.cwd ?? process.cwd();
  const file = base.storePath === ':memory:' ? null : base.storePath ? resolve(cwd, base.storePath) : sandboxPath(dataHome(base.env ?? process.env, cwd), sandbox!);
  const fresh = file && !existsSync(file) ? { file, dir: existsSync(dirname(file)) ? null : dirname(file) } : null;
  const rt = await Runtime.open({ ...base, clock, sandbox, createSandbox: true });
  if (fresh) created.set(rt, fresh);
  return { rt, clock };
}

export interface AgentSummary {
  run: RunState;
  wallSeconds: number;
  closedTrades: number;
  winRate: number | null;
  pnl: number;
  /** Largest fall of the realised equity (start equity plus closed trades' P&L, in closing order) from its peak, as a fraction; null without trades. */
  maxDrawdown: number | null;
  weights: Record<string, number>;
  weightChanges: number;
  openPositions: number;
  /** Replays: the sandbox (null with `--db`) and store they ran in; their learning is replay learning, kept there. */
  replay: { sandbox: string | null; store: string; from: number; to: number } | null;
  /** Things the caller should know (the replay started where the data starts...). */
  notes: string[];
}

export interface AgentHandle {
  /** Resolves with the summary when the agent stops, halts or runs out of replay time. */
  done: Promise<AgentSummary>;
  stop(reason: string): void;
  emergencyStop(reason: string): Promise<void>;
  status(): RunState;
  /** Replays: how far through the replayed span the clock is, or the time `at` (0..1). */
  progress(at?: number): number | null;
}

/** Max drawdown of the realised equity: the run's start equity (less what trades closed before it made), then each closed trade's P&L in turn. */
export function realisedDrawdown(run: Pick<RunState, 'startEquity' | 'startedAt'>, trades: readonly { closedAt: number; pnl: number }[]): number | null {
  if (!trades.length) return null;
  const sorted = [...trades].sort((a, b) => a.closedAt - b.closedAt);
  let equity = run.startEquity - sorted.filter((t) => t.closedAt < run.startedAt).reduce((a, t) => a + t.pnl, 0);
  let peak = equity;
  let worst = 0;
  for (const t of sorted) {
    equity += t.pnl;
    peak = Math.max(peak, equity);
    if (peak > 0) worst = Math.max(worst, (peak - equity) / peak);
  }
  return worst;
}

/** When each asset's data lets an analysis see a closed bar: the replay starts no earlier. */
async function dataStart(rt: Runtime, assets: string[]): Promise<Map<string, number>> {
  const series = await rt.app.marketData.list();
  const out = new Map<string, number>();
  for (const a of assets) {
    const firsts = series.filter((s) => s.pair === a).map((s) => s.first + TIMEFRAME_MS[s.timeframe]);
    if (firsts.length) out.set(a, Math.min(...firsts));
  }
  return out;
}

const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

/** The agent's use cases: start (live or replay), stop, emergency stop, status, and the operator's clear of the kill switch. */
export const agentUseCases = (rt: Runtime, clock: ReplayClock | null = null) => {
  const { app } = rt;
  /** The agent running in this process, if any (an emergency stop halts it at once; others see the stored kill switch). */
  let running: ReturnType<typeof buildAgentRuntime>['agent'] | null = null;
  /**
   * Sets a replay's span from the data (its end, where every asset's data starts, where a killed
   * run stopped); returns where a resumed replay's bars are fed from. Refuses a span with nothing to replay.
   */
  async function prepareReplay(clock: ReplayClock, settings: AgentSettings, notes: string[]): Promise<number | undefined> {
    if (app.config.trading.mode !== 'paper') throw inputError('AGENT_REPLAY_LIVE', 'replays trade on paper only; set trading.mode: paper');
    const from = clock.now();
    if (clock.end === Number.MAX_SAFE_INTEGER) {
      const ends = await Promise.all(settings.assets.map(async (a) => (await app.marketData.sampleInfo(a))?.asOf ?? Date.now()));
      clock.end = Math.min(...ends);
    }
    // Start where every asset's data starts, and say so, rather than failing NO_DATA until it does.
    const starts = await dataStart(rt, settings.assets);
    const late = [...starts].filter(([, t]) => t > from);
    if (late.length) {
      const start = Math.max(...late.map(([, t]) => t));
      clock.set(start);
      notes.push(`replay starts at ${iso(start)}, where the data starts (${late.map(([a, t]) => `${a} from ${iso(t)}`).join(', ')}), not at --from ${iso(from)}`);
    }
    if (clock.now() > clock.end) throw inputError('REPLAY_RANGE', `nothing to replay: --from ${iso(from)} is after the data ends (${iso(clock.end)})`);
    // A replay killed mid-run resumes after its last completed cycle: the interrupted one is never re-decided.
    const prev = await app.feedback.agentState.get<RunState>(RUN_KEY);
    if (prev?.status === 'running' && prev.lastCompletedAt !== null && prev.lastCompletedAt >= from) {
      clock.set(prev.lastCompletedAt + settings.intervalMs);
      return prev.lastCompletedAt;
    }
    return undefined;
  }

  const cases = {
    settings: (over: Partial<AgentSettings> = {}) => agentSettings(app.config, over),

    /** Starts the agent; its events are published as domain events on the runtime's bus (subscribe there). */
    async start(over: Partial<AgentSettings>): Promise<AgentHandle> {
      const settings = agentSettings(app.config, clock ? { intervalMs: 3_600_000, ...over } : over);
      const notes: string[] = [];
      let feedFrom: number | undefined;
      try {
        if (clock) feedFrom = await prepareReplay(clock, settings, notes);
      } catch (e) {
        if (isFfeError(e) && e.exitCode === 2) discardCreatedStore(rt);
        throw e;
      }
      // The replay runs: its store stays, whatever happens next.
      created.delete(rt);
      const replayFrom = clock?.now() ?? 0;
      const t0 = performance.now();
      const agentRt = buildAgentRuntime(app, { settings, replay: clock ? { finished: () => clock.done, feedFrom } : undefined, trade: (fn) => rt.trade(() => rt.fenced(fn)) });
      running = agentRt.agent;
      const monitorStop = new AbortController();
      const monitorRun = clock ? Promise.resolve() : agentRt.monitorLoop(monitorStop.signal);
      const done = (async (): Promise<AgentSummary> => {
        try {
          const final = await agentRt.agent.start();
          monitorStop.abort();
          await monitorRun;
          const trades = await app.feedback.monitorRepo.metrics();
          const closed = metricsSummary(trades);
          return {
            run: final,
            wallSeconds: (performance.now() - t0) / 1000,
            closedTrades: closed.trades,
            winRate: closed.winRate,
            pnl: closed.pnl,
            maxDrawdown: realisedDrawdown(final, trades),
            weights: await app.feedback.memory.weights(),
            weightChanges: (await app.feedback.memoryRepo.weightChanges()).length,
            openPositions: (await app.feedback.monitorRepo.trackers()).length,
            replay: clock ? { sandbox: rt.sandbox, store: app.store.location, from: replayFrom, to: clock.end } : null,
            notes,
          };
        } finally {
          monitorStop.abort();
          if (running === agentRt.agent) running = null;
        }
      })();
      return {
        // The run outlives the start call: its storage failures are classified too.
        done: done.catch((e: unknown) => Promise.reject(storeFailure(rt, e))),
        stop: (reason) => agentRt.agent.stop(reason),
        emergencyStop: (reason) => agentRt.agent.emergencyStop(reason, settings.closeOnEmergencyStop),
        status: () => agentRt.agent.status,
        progress: (at = clock?.now()) => (clock && at !== undefined ? Math.min(1, Math.max(0, (at - replayFrom) / Math.max(1, clock.end - replayFrom))) : null),
      };
    },

    /** The stored run, the kill switch and the latest events (works whether or not an agent is running). */
    async status(limit = 10) {
      return {
        run: await app.feedback.agentState.get<RunState>(RUN_KEY),
        killSwitch: await killSwitchState(app.feedback.agentState),
        events: await app.feedback.agentState.events(limit),
      };
    },

    /**
     * The operator's emergency stop, from any process on the store: the kill switch trips and is
     * stored with who, when and why (reported as KillSwitchTripped), so an agent running in another
     * process halts before its next order (it reads the kill switch every cycle, before every order
     * and every few seconds while it waits), and every later start stays halted until an operator
     * clears it. An agent running in this process halts at once. `closePositions` closes every open
     * position through the order path (under the trading lease).
     */
    async emergencyStop(by: string, reason: string, o: { closePositions?: boolean; principal?: Principal } = {}) {
      if (!reason.trim()) throw inputError('REASON_REQUIRED', '--reason is required: say why trading must stop (it is recorded)');
      const stop = { at: app.clock.now(), by, reason, closePositions: o.closePositions === true };
      const run = await app.feedback.agentState.get<RunState>(RUN_KEY);
      const { killSwitch, tripped } = await rt.commit(async (tx) => {
        const ks: KillSwitchState = await killSwitchState(tx.agentState);
        const next = emergencyTrip(ks, stop, run?.status === 'running' ? run.runId : null);
        await tx.agentState.set(KILL_SWITCH_KEY, next, stop.at);
        if (ks.tripped) return { result: { killSwitch: next, tripped: false }, events: [] };
        const e: AgentEvent = { at: stop.at, kind: 'kill_switch', state: run?.state ?? '', message: emergencyText(stop), data: { emergency: stop } };
        await tx.agentState.event(e);
        return { result: { killSwitch: next, tripped: true }, events: [agentDomainEvent(e)] };
      });
      if (running) await running.emergencyStop(reason, false, by);
      const closed: { pair: string; positionId: string; status: string }[] = [];
      if (stop.closePositions) {
        for (const p of (await app.account.snapshot({}, 'emergency stop')).positions) {
          try {
            const r = await rt.trade(() => app.execution.closePosition(p.id));
            for (const order of r.orders) await app.feedback.closeReasons.record(order.clientOrderId, 'kill_switch', app.clock.now());
            closed.push({ pair: p.pair, positionId: p.id, status: r.status });
          } catch (e) {
            closed.push({ pair: p.pair, positionId: p.id, status: `failed: ${isFfeError(e) ? e.message : String(e)}` });
          }
        }
      }
      return { killSwitch, alreadyTripped: !tripped, agentRunning: run?.status === 'running' ? run.runId : null, closed };
    },

    /** The operator's audited clear of a tripped kill switch. */
    clearKillSwitch: (by: string, reason: string, principal: Principal = LOCAL_OPERATOR) =>
      audited(rt, principal, 'kill_switch.clear', { by, reason }, () => clearKillSwitch(app.feedback.agentState, by, reason, app.clock.now())),
  };
  // The operator's stop is recorded in the audit log as the acting principal's (the CLI: the local operator).
  return {
    ...cases,
    emergencyStop: (by: string, reason: string, o: { closePositions?: boolean; principal?: Principal } = {}) =>
      audited(rt, o.principal ?? LOCAL_OPERATOR, 'bot.emergency_stop', { by, reason, close_positions: o.closePositions === true }, () => cases.emergencyStop(by, reason, o)),
  };
};
