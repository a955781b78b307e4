import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ReplayClock } from '../../src/agent/replay-clock.js';
import { RUN_KEY, type RunState } from '../../src/agent/settings.js';
import { agentSettings, buildAgentRuntime } from '../../src/app/agent-setup.js';
import { createApp, type App } from '../../src/app/container.js';
import type { SqliteStore } from '../../src/store/sqlite/store.js';
import { tempCwd } from '../support/cli.js';
import { FixedProvider } from '../support/scripted-providers.js';
import type { AgentEvent } from '../../src/agent/types.js';
import { PaperVenue } from '../../src/venues/paper/venue.js';

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
  const paperOrders = () => (app.store as SqliteStore).sqlite.raw.prepare('SELECT COUNT(*) FROM paper_orders').pluck().get() as number;
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
    (app.store as SqliteStore).sqlite.raw.prepare('UPDATE decisions SET executed = 0 WHERE id = ?').run(executed.id);
    const before = (await app.feedback.agentState.get<RunState>(RUN_KEY))!;
    await app.feedback.agentState.set(RUN_KEY, { ...before, status: 'running', inflight: executed.id }, clock.now());
    const fourth = await run(Date.UTC(2024, 1, 1, 8));
    expect(fourth.events.some((e) => e.kind === 'recovery' && e.message.includes(`finished interrupted decision ${executed.id}: filled (resumed, nothing re-sent)`))).toBe(true);
    expect(paperOrders()).toBe(orders);
  });
});

/**
 * A kill between the journal's SUBMITTING and the paper venue's transaction (the window
 * test/e2e/agent-restart.test.ts hits now and then with its SIGKILL). The first "process" is
 * frozen at that exact point (placeOrder never returns, as if the process died there) and a
 * second one, on the same store, resumes the run. A resumed replay restarts at the interrupted
 * cycle's instant, so on its clock the order is 0 s old: the grace period for an order still in
 * flight can never pass. On a simulated venue nothing is in flight once its sender stopped.
 */
describe('agent recovery of a kill between the journal and the paper venue', () => {
  const cwd = tempCwd('ffe-crash-window-');
  const FROM = Date.UTC(2024, 1, 1);
  const apps: App[] = [];
  const open = async (clock: ReplayClock) => {
    const app = await createApp({ cwd, clock, env: { PERSISTENCE_SQLITE_PATH: join(cwd, 'ffe.db') } });
    app.providers.set('bull', new FixedProvider('bull', 'BUY'));
    apps.push(app);
    return app;
  };
  beforeAll(() => {
    mkdirSync(join(cwd, 'config'));
    writeFileSync(join(cwd, 'config/config.yaml'), CONFIG);
  });
  afterAll(async () => {
    for (const a of apps.reverse()) await a.close().catch(() => undefined);
  });

  it('settles the order the venue never received as NOT_RECEIVED, reconciles OK and finishes the decision once', async () => {
    const clock1 = new ReplayClock(FROM, FROM + 2 * 3_600_000);
    const first = await open(clock1);
    let frozen!: () => void;
    const atVenue = new Promise<void>((r) => (frozen = r));
    // The crash point: the journal has claimed the order (SUBMITTING), the venue has not recorded it.
    const place = vi.spyOn(PaperVenue.prototype, 'placeOrder').mockImplementation(() => {
      frozen();
      return new Promise(() => undefined);
    });
    const rt1 = buildAgentRuntime(first, { settings: agentSettings(first.config), replay: { finished: () => clock1.done } });
    void rt1.agent.start();
    await atVenue;
    place.mockRestore();
    const raw = (first.store as SqliteStore).sqlite.raw;
    const [claimed] = raw.prepare('SELECT client_order_id AS cid, decision_id AS decisionId, state, submitted_at AS sentAt FROM order_intents').all() as {
      cid: string;
      decisionId: string;
      state: string;
      sentAt: number;
    }[];
    expect(claimed).toMatchObject({ state: 'SUBMITTING', sentAt: FROM });
    expect(raw.prepare('SELECT COUNT(*) FROM paper_orders').pluck().get()).toBe(0);
    const killed = (await first.feedback.agentState.get<RunState>(RUN_KEY))!;
    expect(killed).toMatchObject({ status: 'running', inflight: claimed.decisionId, lastCompletedAt: null });

    // The restart: a new process on the same store; the replay resumes at the interrupted cycle (here its start).
    const clock2 = new ReplayClock(FROM, FROM + 2 * 3_600_000);
    const second = await open(clock2);
    const events: AgentEvent[] = [];
    const rt2 = buildAgentRuntime(second, { settings: agentSettings(second.config), replay: { finished: () => clock2.done }, onEvent: (e) => events.push(e) });
    const final = await rt2.agent.start();
    expect(final).toMatchObject({ runId: killed.runId, status: 'stopped', haltReason: null });
    const recovery = events.filter((e) => e.kind === 'recovery').map((e) => e.message);
    expect(recovery[0]).toMatch(/^reconciled paper on paper: OK; settled 1, pending 0/);
    expect(recovery.some((m) => m.startsWith(`finished interrupted decision ${claimed.decisionId}: filled`))).toBe(true);
    const db = (second.store as SqliteStore).sqlite.raw;
    const intents = db.prepare('SELECT client_order_id AS cid, state, reason FROM order_intents WHERE decision_id = ? ORDER BY created_at, client_order_id').all(claimed.decisionId) as {
      cid: string;
      state: string;
      reason: string;
    }[];
    expect(intents.find((i) => i.cid === claimed.cid)).toMatchObject({ state: 'REJECTED', reason: expect.stringMatching(/^NOT_RECEIVED: /) });
    // The decision filled exactly once, under a fresh id; the id the venue never saw was never sent.
    expect(intents.filter((i) => i.state === 'FILLED')).toHaveLength(1);
    expect(db.prepare('SELECT COUNT(*) FROM paper_orders WHERE client_order_id = ?').pluck().get(claimed.cid)).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM paper_orders GROUP BY client_order_id HAVING COUNT(*) > 1').all()).toEqual([]);
  });
});
