import { TUNING_KEY, type TuningOverrides } from '../../app/tuning.js';
import { FfeError, inputError } from '../../core/errors.js';
import { principalLabel, type Principal } from '../auth/principal.js';
import { agentUseCases } from '../agent.js';
import type { Leadership } from '../cluster/leadership.js';
import { killSwitchState } from '../kill-switch.js';
import type { Runtime } from '../runtime.js';
import { tradingUseCases } from '../trading.js';
import { manualTrades, shapeExecution } from './manual-trade.js';
import { loadRequested, saveRequested, type RequestedState } from './requested.js';
import { shapePosition, statusReader } from './status.js';
import { Supervisor } from './supervisor.js';
import { resolveStart, validateConfigPatch, type BotStartRequest } from './validate.js';

export type { BotStartRequest, BotRunSettings, ManualTradeRequest } from './validate.js';
export type { ManualTradeResponse } from './manual-trade.js';
export type { BotState } from './supervisor.js';

/** How long a manual trade's Idempotency-Key is remembered (7 days: far beyond any client's retry window). */
export const IDEMPOTENCY_KEY_TTL_MS = 7 * 24 * 3_600_000;

export interface BotOptions {
  /** The agent use cases to start and emergency-stop through (FfeApi passes its own, so `api.agent.emergencyStop` halts this agent at once too). */
  agent?: ReturnType<typeof agentUseCases>;
  trading?: ReturnType<typeof tradingUseCases>;
  /** Restart back-off after the n-th consecutive crash (ms). */
  backoffMs?: (failures: number) => number;
  /** A run that lasted this long (ms) before failing resets the back-off (default 60 s). */
  stableMs?: number;
}

/**
 * The long-lived server's control of the agent (`ffe serve`, the bot API, ffe-ctl): start and stop
 * it under a supervisor in this process, emergency-stop and clear, status, live config changes,
 * positions and manual trades. The operator's requested state and config overrides are stored,
 * so a restarted server carries on as asked (`resume`).
 */
export const botUseCases = (rt: Runtime, o: BotOptions = {}) => {
  const { app } = rt;
  const agent = o.agent ?? agentUseCases(rt);
  const trading = o.trading ?? tradingUseCases(rt);
  const state = app.feedback.agentState;
  const sup = new Supervisor({
    start: (over) => agent.start(over),
    killSwitchTripped: async () => (await killSwitchState(state)).tripped,
    runPolicy: (s) => app.tuning.setRun(s ? { stop_loss: s.stop_loss ?? undefined, take_profit: s.take_profit ?? undefined } : {}),
    now: () => Date.now(),
    backoffMs: o.backoffMs,
    stableMs: o.stableMs,
  });
  const requested = () => loadRequested(state);
  // Several servers on one store: only the leader runs the agent; the others record requests for it.
  let leadership: Leadership | null = null;
  const follower = () => leadership !== null && !leadership.isLeader;
  const status = statusReader(rt, sup, requested, () => leadership?.status() ?? Promise.resolve(null));
  const trades = manualTrades(rt, trading);
  const record = async (r: Omit<RequestedState, 'at'>) => {
    const at = app.clock.now();
    await saveRequested(state, { ...r, at });
    // What this instance asked itself is applied here and then; a reconcile must not apply it again.
    if (!follower()) applied = at;
  };
  /** The `at` of the last requested state this instance applied (see reconcile). */
  let applied: number | null = null;

  return {
    status: async () => (await status()).value,

    /** The status as one shared snapshot: the same object until anything happens, so its rendered text can be kept (GET /api/v1/bot/status). */
    statusSnapshot: () => status(),

    /** Forgets manual-trade Idempotency-Keys older than `maxAgeMs`: a retry later than that is a new request. Returns how many. */
    forgetIdempotencyKeys: (maxAgeMs = IDEMPOTENCY_KEY_TTL_MS) => app.store.idempotency.prune(app.clock.now() - maxAgeMs),

    /** Starts the agent in this process under the supervisor; refuses while it runs (BOT_RUNNING) or while emergency-stopped (BOT_EMERGENCY_STOPPED). */
    async start(req: BotStartRequest, by: Principal) {
      if (sup.active) throw inputError('BOT_RUNNING', `the agent is already ${sup.state} in this server; stop it first`);
      const ks = await killSwitchState(state);
      if (ks.tripped) throw inputError('BOT_EMERGENCY_STOPPED', `the agent is emergency-stopped (${ks.reason}); an admin must clear the emergency stop first (POST /api/v1/bot/clear-emergency-stop)`);
      const settings = await resolveStart(app, req);
      await record({ state: 'running', settings, by: principalLabel(by) });
      // The leader starts it at its next reconcile (within a second); status names the leader.
      if (follower()) return (await status({ fresh: true })).value;
      await sup.launch(settings);
      return (await status({ fresh: true })).value;
    },

    /** Stops the agent (the step in progress finishes); stays stopped across restarts. */
    async stop(by: Principal) {
      const prev = await requested();
      await record({ state: 'stopped', settings: prev?.settings ?? null, by: principalLabel(by) });
      await sup.stop(`stopped by ${principalLabel(by)}`);
      return (await status({ fresh: true })).value;
    },

    /** Trips the kill switch (recorded with who and why), halts the agent at once, optionally closes every position; stays halted until an admin clears it. */
    async emergencyStop(p: { close_positions?: boolean; reason?: string }, by: Principal) {
      const prev = await requested();
      const who = principalLabel(by);
      const r = await agent.emergencyStop(who, p.reason?.trim() || 'no reason given', { closePositions: p.close_positions === true, principal: by });
      await record({ state: 'emergency_stopped', settings: prev?.settings ?? null, by: who });
      await sup.stop(`emergency stop by ${who}`);
      return {
        already_tripped: r.alreadyTripped,
        closed: r.closed.map((c) => ({ asset_pair: c.pair, position_id: c.positionId, status: c.status })),
        status: (await status({ fresh: true })).value,
      };
    },

    /** The admin's clear of an emergency stop (and of a loss-limit trip): the agent stays stopped until started again. */
    async clearEmergencyStop(reason: string, by: Principal) {
      const prev = await requested();
      await agent.clearKillSwitch(principalLabel(by), reason, by);
      await record({ state: 'stopped', settings: prev?.settings ?? null, by: principalLabel(by) });
      return (await status({ fresh: true })).value;
    },

    /** Validates, stores and applies config overrides at once (the agent's next cycle, the next analysis and order read them); returns what was and is in force. */
    async updateConfig(patch: TuningOverrides, by: Principal) {
      const valid = validateConfigPatch(app, patch);
      const before = (await status({ fresh: true })).value.config;
      const merged = { ...app.tuning.overridden(), ...valid };
      await state.set(TUNING_KEY, merged, app.clock.now());
      app.tuning.setOverrides(merged);
      // A new stop-loss replaces the one the running agent was started with.
      const req = await requested();
      if (valid.stop_loss_pct !== undefined && req?.settings?.stop_loss != null) {
        const settings = { ...req.settings, stop_loss: valid.stop_loss_pct };
        await record({ state: req.state, settings, by: principalLabel(by) });
        if (sup.active) {
          sup.settings = settings;
          app.tuning.setRun({ stop_loss: settings.stop_loss, take_profit: settings.take_profit ?? undefined });
        }
      }
      return { before, after: (await status({ fresh: true })).value.config };
    },

    /** Called when the server starts (and when it becomes the leader): a requested running agent resumes (through position recovery); stopped and emergency-stopped stay so. */
    async resume() {
      const req = await requested();
      applied = req?.at ?? null;
      if (!follower() && req?.state === 'running' && req.settings && !sup.active && !(await killSwitchState(state)).tripped) await sup.launch(req.settings);
      return (await status({ fresh: true })).value;
    },

    /**
     * Joins leader election: only the leader runs the agent, and each agent order first confirms
     * the leader lease (the fence). Call before `resume`, with the election not yet started.
     */
    follow(l: Leadership) {
      leadership = l;
      rt.setFence(async () => {
        if (!(await l.confirm())) throw new FfeError('runtime', 'NOT_LEADER', `instance ${l.instance} is no longer the leader: its agent stops and the order was not sent`);
      });
    },

    /**
     * The leader applies what was asked on any instance: a new requested state (start, stop,
     * emergency stop recorded elsewhere) and the stored config overrides. Only a request newer
     * than the last one applied acts, so a run that ended by itself is not restarted here.
     */
    async reconcile() {
      if (!leadership?.isLeader) return;
      const overrides = await state.get<TuningOverrides>(TUNING_KEY);
      if (JSON.stringify(overrides ?? {}) !== JSON.stringify(app.tuning.overridden())) app.tuning.setOverrides(overrides ?? {});
      const req = await requested();
      if (!req || req.at === applied) return;
      applied = req.at;
      if (req.state === 'running' && req.settings) {
        if (sup.active) {
          sup.settings = req.settings;
          app.tuning.setRun({ stop_loss: req.settings.stop_loss ?? undefined, take_profit: req.settings.take_profit ?? undefined });
        } else if (!(await killSwitchState(state)).tripped) await sup.launch(req.settings);
      } else if (sup.active) await sup.stop(`${req.state.replace('_', ' ')} requested by ${req.by}`);
    },

    /** SIGTERM drain: stops the loop without changing the requested state, waits for in-flight orders to settle. */
    async shutdown() {
      await sup.stop('server shutting down');
      await trades.settled();
    },

    manualTrade: trades.manualTrade,

    positions: async () => (await trading.positions()).positions.map(shapePosition),

    /** Closes an open position through the order path (a market order under the risk gate's market checks), recorded in the audit log as `by`'s. */
    async closePosition(id: string, by: Principal) {
      const pos = await trading.position(id);
      const r = shapeExecution({ id: '', assetPair: pos.pair, action: pos.side === 'long' ? 'SELL' : 'BUY', suggestedSizeUnits: Number(pos.units) }, await trading.close(pos.id, { principal: by }));
      return { position_id: pos.id, asset_pair: pos.pair, side: pos.side, units: Number(pos.units), status: r.status, mode: r.mode, venue: r.venue, denials: r.denials, orders: r.orders };
    },
  };
};
