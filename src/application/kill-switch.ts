import { assertKillSwitchClear, KILL_SWITCH_KEY, killSwitchState, type KillSwitchState } from '../agent/kill-switch.js';
import { inputError } from '../core/errors.js';
import type { AgentStateRepository } from '../store/port.js';

// Reading the switch is the agent's (it checks it every cycle); use cases reach it from here.
export { assertKillSwitchClear, killSwitchState };

/**
 * The operator's clear: an audited action (who, when, why go into the state and the agent's event
 * log). The since-start reference is reset, so the next start measures from its own equity.
 */
export async function clearKillSwitch(state: AgentStateRepository, by: string, reason: string, now: number): Promise<KillSwitchState> {
  if (!reason.trim()) throw inputError('REASON_REQUIRED', '--reason is required: say why the kill switch may be cleared (it is recorded)');
  const ks = await killSwitchState(state);
  if (!ks.tripped) throw inputError('KILL_SWITCH_NOT_TRIPPED', 'the kill switch is not tripped; nothing to clear');
  const next: KillSwitchState = { ...ks, tripped: false, reference: null, cleared: { at: now, by, reason } };
  await state.set(KILL_SWITCH_KEY, next, now);
  await state.event({
    at: now,
    kind: 'kill_switch_cleared',
    state: 'HALT',
    message: `kill switch cleared by ${by}: ${reason} (tripped at ${new Date(ks.trippedAt ?? 0).toISOString()}: ${ks.reason})`,
    data: { by, reason, tripped: ks },
  });
  return next;
}
