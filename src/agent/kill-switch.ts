import { FfeError } from '../core/errors.js';
import type { AgentStateRepository } from '../store/port.js';

export interface KillSwitchInput {
  /** Portfolio value at the start of the basis period (trading day or agent start). */
  reference: number;
  current: number;
  /** Fraction (0.05 = 5 %). */
  threshold: number;
  basis: 'day' | 'since_start';
}

export interface KillSwitchVerdict {
  tripped: boolean;
  /** Loss as a fraction of the reference (negative for a gain). */
  loss: number;
  reason: string;
}

/** Trips when the portfolio has lost `threshold` or more of its reference value. */
export function checkKillSwitch(i: KillSwitchInput): KillSwitchVerdict {
  const loss = i.reference > 0 ? (i.reference - i.current) / i.reference : 0;
  const period = i.basis === 'day' ? 'today' : 'since the agent started';
  const tripped = i.threshold > 0 && loss >= i.threshold;
  const reason = `portfolio ${loss >= 0 ? 'lost' : 'gained'} ${(Math.abs(loss) * 100).toFixed(2)}% ${period} (${i.reference.toFixed(2)} → ${i.current.toFixed(2)}; kill switch at ${(i.threshold * 100).toFixed(2)}%)`;
  return { tripped, loss, reason };
}

/**
 * The kill switch's durable state. Once tripped it stays tripped, across restarts, until an
 * operator clears it (who, when and why are recorded); the since-start reference equity is kept
 * too, so a restart cannot reset the loss it measures.
 */
export interface KillSwitchState {
  tripped: boolean;
  trippedAt: number | null;
  reason: string | null;
  runId: string | null;
  /** Equity the `since_start` basis measures from: set at the first start after a clear. */
  reference: number | null;
  /** The last operator clear. */
  cleared: { at: number; by: string; reason: string } | null;
  /** Set when an operator's emergency stop tripped it (from any process on the store): who, when, why. */
  emergency?: EmergencyStop | null;
}

export interface EmergencyStop {
  at: number;
  by: string;
  reason: string;
  /** Whether the operator also asked for every open position to be closed. */
  closePositions: boolean;
}

export const KILL_SWITCH_KEY = 'agent:kill_switch';

export const untripped = (): KillSwitchState => ({ tripped: false, trippedAt: null, reason: null, runId: null, reference: null, cleared: null });

/** The stored kill switch (untripped when none was ever stored). */
export const killSwitchState = async (state: AgentStateRepository): Promise<KillSwitchState> => ({ ...untripped(), ...(await state.get<KillSwitchState>(KILL_SWITCH_KEY)) });

/**
 * The kill switch tripped by an operator's emergency stop. Stored, it stops an agent running in
 * another process on the same store (it reads the kill switch every cycle and before every order)
 * and keeps every later start halted until an operator clears it. An earlier trip is kept as it was.
 */
export function emergencyTrip(current: KillSwitchState, stop: EmergencyStop, runId: string | null): KillSwitchState {
  if (current.tripped) return { ...current, emergency: current.emergency ?? stop };
  return { ...current, tripped: true, trippedAt: stop.at, reason: emergencyText(stop), runId, emergency: stop };
}

export const emergencyText = (s: EmergencyStop) => `emergency stop by ${s.by} at ${new Date(s.at).toISOString()}: ${s.reason}`;

export const killSwitchHaltReason = (s: KillSwitchState) =>
  `kill switch tripped at ${new Date(s.trippedAt ?? 0).toISOString()} and stays tripped until an operator clears it (\`ffe agent clear-kill-switch --reason "..."\`): ${s.reason}`;

/** A tripped kill switch stops every new trade, not only the agent's, until an operator clears it. */
export async function assertKillSwitchClear(state: AgentStateRepository): Promise<void> {
  const ks = await killSwitchState(state);
  if (ks.tripped) throw new FfeError('risk', 'KILL_SWITCH_TRIPPED', `trading halted: ${killSwitchHaltReason(ks)}`);
}
