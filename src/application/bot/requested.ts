import type { AgentStateRepository } from '../../store/port.js';
import type { BotRunSettings } from './validate.js';

/**
 * What the operator last asked of the agent, kept in the store so a restarted server does the
 * same: a running agent resumes (through position recovery), a stopped one stays stopped, an
 * emergency-stopped one stays halted until an admin clears it.
 */
export interface RequestedState {
  state: 'running' | 'stopped' | 'emergency_stopped';
  /** The settings of the last start (kept when stopped, so status can show them). */
  settings: BotRunSettings | null;
  /** Who asked (`principalLabel`) and when (ms). */
  by: string;
  at: number;
}

export const REQUESTED_KEY = 'bot:requested';

export const loadRequested = (state: AgentStateRepository): Promise<RequestedState | null> => state.get<RequestedState>(REQUESTED_KEY);

export const saveRequested = (state: AgentStateRepository, r: RequestedState): Promise<void> => state.set(REQUESTED_KEY, r, r.at);
