import type { RunState } from '../../agent/settings.js';
import { RUN_KEY } from '../../agent/settings.js';
import type { Position } from '../../core/order.js';
import { tradingDay } from '../../core/trading-day.js';
import type { Runtime } from '../runtime.js';
import { killSwitchState } from '../kill-switch.js';
import { ensembleMembers } from './validate.js';
import type { LeadershipStatus } from '../cluster/leadership.js';
import type { RequestedState } from './requested.js';
import type { BotState, Supervisor } from './supervisor.js';

/** A position on the wire (snake_case, numbers as numbers). */
export const shapePosition = (p: Position) => ({
  id: p.id,
  venue: p.venue,
  asset_pair: p.pair,
  side: p.side,
  units: Number(p.units),
  entry_price: Number(p.entryPrice),
  mark_price: p.markPrice === null ? null : Number(p.markPrice),
  unrealized_pnl: Number(p.unrealizedPnl),
  opened_at: p.openedAt === null ? null : new Date(p.openedAt).toISOString(),
  stop_loss: p.stopLossPrice === null ? null : Number(p.stopLossPrice),
  take_profit: p.takeProfitPrice === null ? null : Number(p.takeProfitPrice),
});

/** How long an account read is reused by status (a dashboard polls it; the venue need not be asked each time). */
const ACCOUNT_TTL_MS = 1000;
/** How long an assembled status is reused when nothing happened meanwhile. */
const STATUS_TTL_MS = 1000;

/**
 * One assembled status, shared by every caller until something happens (see statusReader). It is
 * never changed once made, so whatever an interface renders from it holds for its whole life:
 * `text(render)` renders it once and keeps the text (the HTTP API sends the same JSON to every poll).
 */
export class StatusSnapshot<T> {
  #text: { render: (value: T) => string; text: string } | undefined;
  constructor(readonly value: T) {}

  /** `render(value)`, made the first time and kept for later calls with the same `render`. */
  text(render: (value: T) => string): string {
    if (this.#text?.render !== render) this.#text = { render, text: render(this.value) };
    return this.#text.text;
  }
}

/** The bot's status, assembled from the supervisor, the stored run, the account, the monitor, memory and the tuning in force. */
export function statusReader(rt: Runtime, sup: Supervisor, requested: () => Promise<RequestedState | null>, cluster: () => Promise<LeadershipStatus | null> = async () => null) {
  const { app } = rt;
  let cached: { at: number; value: Promise<{ equity: number; positions: Position[] }> } | null = null;
  // A fill or a close changes the account: the next status reads it afresh.
  rt.events.subscribe(() => (cached = null), ['OrderFilled', 'PositionClosed'], { everyInstance: true });
  const account = () => {
    const now = Date.now();
    if (!cached || now - cached.at > ACCOUNT_TTL_MS) {
      const view = app.venueView(app.execution.mode().mode);
      const value = Promise.all([view.equity(), view.positions()]).then(([e, positions]) => ({ equity: Number(e.value), positions }));
      // A failed read is not reused.
      value.catch(() => (cached = null));
      cached = { at: now, value };
    }
    return cached.value;
  };

  /** The provider weights in force: the operator's override, else learned weights where there are any, else configured, normalised over the ensemble. */
  async function providerWeights(): Promise<Record<string, number>> {
    const fixed = app.tuning.providerWeights();
    if (fixed) return fixed;
    const members = ensembleMembers(app);
    const learned = await app.feedback.memory.weights();
    const raw = Object.fromEntries(members.map((n) => [n, learned[n] ?? app.config.ensemble.weights[n] ?? app.config.providers[n]?.weight ?? 1]));
    const sum = Object.values(raw).reduce((a, v) => a + v, 0);
    return Object.fromEntries(Object.entries(raw).map(([n, v]) => [n, sum > 0 ? v / sum : 0]));
  }

  // The assembled status is kept until anything happens (any domain event: a decision, an order, an
  // agent or kill-switch change) or for STATUS_TTL_MS at most: dashboards and ffe-ctl poll it far
  // more often than it changes, and each assembly reads the store several times.
  let snapshot: { at: number; value: Promise<StatusSnapshot<Awaited<ReturnType<typeof assemble>>>> } | null = null;
  rt.events.subscribe(() => (snapshot = null), null, { everyInstance: true });

  /** The status snapshot in force; `fresh` skips the kept one (after the caller changed the agent's state itself). */
  return (o: { fresh?: boolean } = {}) => {
    const now = Date.now();
    if (o.fresh || !snapshot || now - snapshot.at > STATUS_TTL_MS) {
      const value = assemble().then((v) => new StatusSnapshot(v));
      value.catch(() => (snapshot = null));
      snapshot = { at: now, value };
    }
    return snapshot.value;
  };

  async function assemble() {
    const [run, ks, req, acct, closed, [last], leadership] = await Promise.all([
      app.feedback.agentState.get<RunState>(RUN_KEY),
      killSwitchState(app.feedback.agentState),
      requested(),
      account(),
      app.feedback.monitorRepo.metrics(),
      app.store.decisions.list({ limit: 1 }),
      cluster(),
    ]);
    let state: BotState = sup.state;
    if (!sup.active) state = ks.tripped ? 'emergency_stopped' : 'stopped';
    // A follower runs no agent itself: it reports the leader's, from the run state the leader keeps in the shared store.
    if (leadership?.role === 'follower' && !ks.tripped && leadership.leader && req?.state === 'running' && run?.status === 'running') state = 'running';
    const today = tradingDay(app.clock.now(), app.config.agent.timezone);
    const ofToday = run !== null && run.day === today;
    const eff = app.tuning.effective();
    return {
      state,
      ooda_state: sup.handle?.status().state ?? (sup.active ? 'STARTUP' : (run?.state ?? null)),
      uptime_seconds: Math.round(sup.uptimeSeconds()),
      requested: req?.settings ?? null,
      requested_state: req?.state ?? 'stopped',
      trades_today: ofToday ? run.tradesToday : 0,
      trades_total: closed.length,
      open_positions: acct.positions.length,
      positions: acct.positions.map(shapePosition),
      portfolio_value: acct.equity,
      daily_pnl: ofToday ? acct.equity - run.dayStartEquity : null,
      last_decision: last ? { id: last.id, asset_pair: last.assetPair, action: last.action, confidence: last.confidence, provider: last.provider, executed: last.executed, created_at: last.createdAt } : null,
      kill_switch: { tripped: ks.tripped, reason: ks.reason, tripped_at: ks.trippedAt === null ? null : new Date(ks.trippedAt).toISOString() },
      restarts: sup.restarts,
      last_error: sup.lastError,
      config: { ...eff, provider_weights: await providerWeights() },
      /** Several servers on one store: this instance, its role and the leader (null when the election is not running: a CLI, a test). */
      cluster: leadership ? { instance: leadership.instance, role: leadership.role, leader: leadership.leader, leader_until: leadership.leader_until, ttl_seconds: leadership.ttl_seconds } : null,
    };
  }
}
