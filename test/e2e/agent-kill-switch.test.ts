import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplayClock } from '../../src/agent/replay-clock.js';
import type { RunState } from '../../src/agent/settings.js';
import { agentSettings, buildAgentRuntime } from '../../src/app/agent-setup.js';
import { createApp, type App } from '../../src/app/container.js';
import { KILL_SWITCH_KEY, type KillSwitchState } from '../../src/agent/kill-switch.js';
import { clearKillSwitch } from '../../src/application/kill-switch.js';
import { tempCwd } from '../support/cli.js';
import { FixedProvider } from '../support/scripted-providers.js';
import type { AgentEvent } from '../../src/agent/types.js';

const CONFIG = `
sizing:
  risk_fraction: 0.05
  stop_loss: 0.2
  take_profit: 0.5
agent:
  assets: [BTCUSD]
  provider: bull
  interval_seconds: 3600
  approval: autonomous
  close_on_emergency_stop: true
  kill_switch: { loss_fraction: 0.015, basis: since_start }
`;

/** BTCUSD fell from about 73k to 61k between 14 and 20 March 2024; an agent that only buys must trip its kill switch. */
describe('agent kill switch (replayed BTCUSD, March 2024)', () => {
  let app: App;
  let final: RunState;
  const events: AgentEvent[] = [];
  const end = Date.UTC(2024, 2, 28);

  beforeAll(async () => {
    const cwd = tempCwd('ffe-killswitch-');
    mkdirSync(join(cwd, 'config'));
    writeFileSync(join(cwd, 'config/config.yaml'), CONFIG);
    const clock = new ReplayClock(Date.UTC(2024, 2, 14), end);
    app = await createApp({ cwd, clock, env: { PERSISTENCE_SQLITE_PATH: join(cwd, 'ffe.db') } });
    app.providers.set('bull', new FixedProvider('bull', 'BUY'));
    const rt = buildAgentRuntime(app, { settings: agentSettings(app.config), replay: { finished: () => clock.done }, onEvent: (e) => events.push(e) });
    final = await rt.agent.start();
  }, 120_000);

  afterAll(() => app?.close());

  it('halts with the reason once the loss since start reaches 1.5 %, long before the replay ends', () => {
    expect(final.status).toBe('halted');
    expect(final.state).toBe('HALT');
    expect(final.haltReason).toMatch(/^kill switch: portfolio lost 1\.[5-9]\d% since the agent started/);
    const trip = events.find((e) => e.kind === 'kill_switch')!;
    expect(trip.at).toBeLessThan(end);
    expect(events.filter((e) => e.at > trip.at && e.kind === 'executed')).toEqual([]);
  });

  it('closes the position through the order path and labels the exit kill_switch from its own record', async () => {
    const metrics = await app.feedback.monitorRepo.metrics();
    expect(metrics.at(-1)!.exitReason).toBe('kill_switch');
    expect(metrics.at(-1)!.pnl).toBeLessThan(0);
    expect(await app.account.snapshot({}, 'test').then((s) => s.positions)).toEqual([]);
  });

  it('stays tripped across a restart: the next start halts at once and trades nothing, until an operator clears it (audited)', async () => {
    const stored = await app.feedback.agentState.get<KillSwitchState>(KILL_SWITCH_KEY);
    expect(stored).toMatchObject({ tripped: true });
    const after: AgentEvent[] = [];
    const again = await buildAgentRuntime(app, { settings: agentSettings(app.config), replay: { finished: () => false }, onEvent: (e) => after.push(e) }).agent.start();
    expect(again.status).toBe('halted');
    expect(again.haltReason).toMatch(/kill switch tripped at .* stays tripped until an operator clears it/);
    expect(after.filter((e) => e.kind === 'executed' || e.kind === 'recovery')).toEqual([]);
    await expect(clearKillSwitch(app.feedback.agentState, 'tester', '', 1)).rejects.toMatchObject({ code: 'REASON_REQUIRED' });
    const cleared = await clearKillSwitch(app.feedback.agentState, 'tester', 'loss reviewed', Date.UTC(2024, 2, 28));
    expect(cleared).toMatchObject({ tripped: false, reference: null, cleared: { by: 'tester', reason: 'loss reviewed' } });
    expect((await app.feedback.agentState.events(5)).some((e) => e.kind === 'kill_switch_cleared' && e.message.includes('tester'))).toBe(true);
  });
});
