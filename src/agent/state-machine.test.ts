import { describe, expect, it } from 'vitest';
import { AGENT_STATES, StateMachine, TRANSITIONS } from './state-machine.js';

describe('agent state machine', () => {
  it('walks one full cycle through the transition table and reports each move', () => {
    let t = 0;
    const m = new StateMachine(() => ++t);
    const seen: string[] = [];
    m.onTransition((x) => seen.push(`${x.from}>${x.to}@${x.at}`));
    for (const s of ['POSITION_RECOVERY', 'IDLE', 'LEARNING', 'PERCEPTION', 'REASONING', 'RISK_CHECK', 'EXECUTION', 'EXECUTION_FAILED', 'REASONING', 'IDLE'] as const) m.go(s);
    expect(m.state).toBe('IDLE');
    expect(seen[0]).toBe('STARTUP>POSITION_RECOVERY@1');
    expect(seen).toHaveLength(10);
  });

  it('rejects illegal transitions without moving, and HALT is terminal', () => {
    const m = new StateMachine(() => 0);
    expect(() => m.go('EXECUTION')).toThrow(/illegal agent transition STARTUP → EXECUTION/);
    expect(m.state).toBe('STARTUP');
    m.go('HALT', 'kill switch');
    for (const s of AGENT_STATES) expect(m.can(s)).toBe(false);
  });

  it('lets every live state halt, and only EXECUTION leads to EXECUTION_FAILED', () => {
    for (const s of AGENT_STATES.filter((x) => x !== 'HALT')) expect(TRANSITIONS[s]).toContain('HALT');
    expect(AGENT_STATES.filter((s) => TRANSITIONS[s].includes('EXECUTION_FAILED'))).toEqual(['EXECUTION']);
  });
});
