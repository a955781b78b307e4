import { FfeError } from '../core/errors.js';

export const AGENT_STATES = ['STARTUP', 'POSITION_RECOVERY', 'IDLE', 'LEARNING', 'PERCEPTION', 'REASONING', 'RISK_CHECK', 'EXECUTION', 'EXECUTION_FAILED', 'HALT'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

/**
 * Every legal move. REASONING is re-entered once per asset, so RISK_CHECK, EXECUTION and
 * EXECUTION_FAILED lead back to it; any live state may HALT (kill switch, stop, fatal error).
 */
export const TRANSITIONS: Readonly<Record<AgentState, readonly AgentState[]>> = {
  STARTUP: ['POSITION_RECOVERY', 'HALT'],
  POSITION_RECOVERY: ['IDLE', 'HALT'],
  IDLE: ['LEARNING', 'HALT'],
  LEARNING: ['PERCEPTION', 'IDLE', 'HALT'],
  PERCEPTION: ['REASONING', 'IDLE', 'HALT'],
  REASONING: ['REASONING', 'RISK_CHECK', 'IDLE', 'HALT'],
  RISK_CHECK: ['EXECUTION', 'REASONING', 'IDLE', 'HALT'],
  EXECUTION: ['REASONING', 'EXECUTION_FAILED', 'IDLE', 'HALT'],
  EXECUTION_FAILED: ['REASONING', 'IDLE', 'HALT'],
  HALT: [],
};

export interface Transition {
  from: AgentState;
  to: AgentState;
  /** ms on the agent's clock. */
  at: number;
  reason: string;
}

export class StateMachine {
  private current: AgentState = 'STARTUP';
  private readonly listeners: ((t: Transition) => void)[] = [];

  constructor(private readonly now: () => number) {}

  get state(): AgentState {
    return this.current;
  }

  onTransition(fn: (t: Transition) => void): void {
    this.listeners.push(fn);
  }

  can(to: AgentState): boolean {
    return TRANSITIONS[this.current].includes(to);
  }

  /** Moves to `to`; an illegal move is a programming error and throws without changing state. */
  go(to: AgentState, reason = ''): Transition {
    if (!this.can(to)) {
      throw new FfeError('runtime', 'AGENT_ILLEGAL_TRANSITION', `illegal agent transition ${this.current} → ${to}${reason ? ` (${reason})` : ''}`, { from: this.current, to });
    }
    const t: Transition = { from: this.current, to, at: this.now(), reason };
    this.current = to;
    for (const fn of this.listeners) fn(t);
    return t;
  }
}
