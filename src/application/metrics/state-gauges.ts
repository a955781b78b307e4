import { Gauge, type Registry } from 'prom-client';
import { AGENT_STATES } from '../../agent/state-machine.js';
import type { BotState } from '../bot/supervisor.js';
import { LabelCap } from './labels.js';

/** What the scrape-time gauges read: a bot status and the breakers, as the application reports them. */
export interface StateSnapshot {
  botState: BotState;
  oodaState: string | null;
  killSwitch: boolean;
  platform: string;
  portfolioValue: number;
  /** Venue of each open position. */
  positionVenues: string[];
  providerWeights: Record<string, number>;
  /** Breaker name → CLOSED / HALF_OPEN / OPEN. */
  breakers: { name: string; state: string }[];
}

export const BOT_STATES: readonly BotState[] = ['stopped', 'starting', 'running', 'stopping', 'emergency_stopped', 'error'];
/** The agent-state label values: the OODA states, and NOT_RUNNING (no agent runs in this process). */
export const AGENT_STATE_LABELS: readonly string[] = [...AGENT_STATES, 'NOT_RUNNING'];
/** docs/metrics.md: 0 closed, 1 half-open, 2 open. */
export const BREAKER_VALUE: Record<string, number> = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 };
const LIVE: ReadonlySet<BotState> = new Set(['starting', 'running', 'stopping']);

/**
 * Gauges read at scrape time from one snapshot (`read`, shared by every gauge of one scrape and
 * reused for `ttlMs`). A snapshot that fails or takes longer than `timeoutMs` leaves every gauge
 * at its last value and calls `onError` once: a scrape never fails because of it.
 */
export function stateGauges(registry: Registry, read: () => Promise<StateSnapshot>, onError: () => void, o: { ttlMs?: number; timeoutMs?: number; now?: () => number } = {}) {
  const ttl = o.ttlMs ?? 1000;
  const timeoutMs = o.timeoutMs ?? 3000;
  let kept: { at: number; value: Promise<StateSnapshot | null> } | null = null;
  const snapshot = (): Promise<StateSnapshot | null> => {
    const now = (o.now ?? Date.now)();
    if (!kept || now - kept.at > ttl) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('snapshot timed out')), timeoutMs);
        timer.unref();
      });
      const value = Promise.race([Promise.resolve().then(read), timeout]).then(
        (s) => s,
        () => {
          onError();
          return null;
        },
      );
      void value.finally(() => clearTimeout(timer));
      kept = { at: now, value };
    }
    return kept.value;
  };

  const registers = [registry];
  const platforms = new LabelCap();
  const services = new LabelCap();
  const providers = new LabelCap();
  const gauge = (name: string, help: string, labelNames: string[], apply: (g: Gauge, s: StateSnapshot) => void) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        const s = await snapshot();
        if (s) apply(this, s);
      },
    });

  gauge('ffe_circuit_breaker_state', 'Circuit breaker state: 0 closed, 1 half-open, 2 open', ['service'], (g, s) => {
    for (const b of s.breakers) g.set({ service: services.of(b.name) }, BREAKER_VALUE[b.state] ?? 2);
  });
  gauge('ffe_portfolio_value_dollars', 'Equity of the account the bot trades (cash + positions at mark)', ['platform'], (g, s) => {
    if (Number.isFinite(s.portfolioValue)) g.set({ platform: platforms.of(s.platform) }, s.portfolioValue);
  });
  gauge('ffe_active_trades_total', 'Open positions by venue (a gauge)', ['platform'], (g, s) => {
    g.reset();
    g.set({ platform: platforms.of(s.platform) }, 0);
    for (const v of s.positionVenues) g.inc({ platform: platforms.of(v) });
  });
  gauge('ffe_kill_switch_active', '1 while the kill switch is tripped, else 0', [], (g, s) => g.set(s.killSwitch ? 1 : 0));
  gauge('ffe_agent_state', 'Agent (OODA) state: 1 for the current state, 0 for the others; NOT_RUNNING when no agent runs', ['state'], (g, s) => {
    const current = LIVE.has(s.botState) && s.oodaState && AGENT_STATES.includes(s.oodaState as never) ? s.oodaState : 'NOT_RUNNING';
    for (const state of AGENT_STATE_LABELS) g.set({ state }, state === current ? 1 : 0);
  });
  gauge('ffe_bot_state', 'Bot supervisor state: 1 for the current state, 0 for the others', ['state'], (g, s) => {
    for (const state of BOT_STATES) g.set({ state }, state === s.botState ? 1 : 0);
  });
  gauge('ffe_ensemble_weight', 'Weight in force of each ensemble member (normalised, 0-1)', ['provider'], (g, s) => {
    g.reset();
    for (const [p, w] of Object.entries(s.providerWeights)) if (Number.isFinite(w)) g.set({ provider: providers.of(p) }, w);
  });
}
