import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplayClock } from '../../src/agent/replay-clock.js';
import { RUN_KEY, type RunState } from '../../src/agent/settings.js';
import { agentSettings, buildAgentRuntime } from '../../src/app/agent-setup.js';
import { createApp, type App } from '../../src/app/container.js';
import { tempCwd } from '../support/cli.js';
import { FixedProvider } from '../support/scripted-providers.js';
import type { AgentEvent } from '../../src/agent/types.js';

const CONFIG = `
agent:
  assets: [BTCUSD]
  provider: bull
  interval_seconds: 3600
  approval: autonomous
`;

/**
 * Recovery of an execution interrupted by a crash: the run state names the decision that was in
 * flight. If its order reached the journal, the order path finishes it from there (nothing is
 * sent again); if not, the stale decision is dropped.
 */
describe('agent recovery of an interrupted execution', () => {
  let app: App;
  let clock: ReplayClock;
  const cwd = tempCwd('ffe-recovery-');
  const paperOrders = () => app.store.sqlite.raw.prepare('SELECT COUNT(*) FROM paper_orders').pluck().get() as number;
  const run = async (until: number) => {
    const events: AgentEvent[] = [];
    clock.end = until;
    const rt = buildAgentRuntime(app, { settings: agentSettings(app.config), replay: { finished: () => clock.done }, onEvent: (e) => events.push(e) });
    const final = await rt.agent.start();
    return { final, events };
  };

  beforeAll(async () => {
    mkdirSync(join(cwd, 'config'));
    writeFileSync(join(cwd, 'config/config.yaml'), CONFIG);
    clock = new ReplayClock(Date.UTC(2024, 1, 1), Date.UTC(2024, 1, 1, 2));
    app = await createApp({ cwd, clock, env: { PERSISTENCE_SQLITE_PATH: join(cwd, 'ffe.db') } });
    app.providers.set('bull', new FixedProvider('bull', 'BUY'));
  });
  afterAll(() => app?.close());

  it('finishes a journaled in-flight decision without sending it again, and drops one that never reached the journal', async () => {
    const first = await run(Date.UTC(2024, 1, 1, 2));
    expect(first.final.counts.executed).toBe(1);
    const [executed] = await app.store.decisions.list({ limit: 50 }).then((ds) => ds.filter((d) => d.executed));
    const orders = paperOrders();
    // Pretend the process died inside EXECUTION of that decision, and that another decision was next.
    const state = (await app.feedback.agentState.get<RunState>(RUN_KEY))!;
    await app.feedback.agentState.set(RUN_KEY, { ...state, status: 'running', inflight: executed.id }, clock.now());
    const second = await run(Date.UTC(2024, 1, 1, 4));
    const recovered = second.events.filter((e) => e.kind === 'recovery').map((e) => e.message);
    expect(recovered.some((m) => m.includes(`interrupted decision ${executed.id} had completed before the stop`) && m.includes('nothing re-sent'))).toBe(true);
    expect(second.final.runId).toBe(state.runId);
    expect(paperOrders()).toBe(orders);

    const again = (await app.feedback.agentState.get<RunState>(RUN_KEY))!;
    await app.feedback.agentState.set(RUN_KEY, { ...again, status: 'running', inflight: 'never-journaled' }, clock.now());
    const third = await run(Date.UTC(2024, 1, 1, 6));
    expect(third.events.some((e) => e.kind === 'recovery' && e.message.includes('never-journaled was interrupted before any order was journaled; dropped'))).toBe(true);
    expect(paperOrders()).toBe(orders);

    // Died after the venue filled the order but before the decision was marked executed: the order path resumes from the journal.
    app.store.sqlite.raw.prepare('UPDATE decisions SET executed = 0 WHERE id = ?').run(executed.id);
    const before = (await app.feedback.agentState.get<RunState>(RUN_KEY))!;
    await app.feedback.agentState.set(RUN_KEY, { ...before, status: 'running', inflight: executed.id }, clock.now());
    const fourth = await run(Date.UTC(2024, 1, 1, 8));
    expect(fourth.events.some((e) => e.kind === 'recovery' && e.message.includes(`finished interrupted decision ${executed.id}: filled (resumed, nothing re-sent)`))).toBe(true);
    expect(paperOrders()).toBe(orders);
  });
});
