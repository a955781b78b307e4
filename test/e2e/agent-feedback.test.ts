import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplayClock } from '../../src/agent/replay-clock.js';
import { agentSettings, buildAgentRuntime } from '../../src/app/agent-setup.js';
import { createApp, type App } from '../../src/app/container.js';
import { EnsembleProvider } from '../../src/ensemble/ensemble-provider.js';
import type { WeightChange } from '../../src/memory/types.js';
import { tempCwd } from '../support/cli.js';
import { CoinProvider, OracleProvider, seeded } from '../support/scripted-providers.js';

const DAY = 86_400_000;
const CONFIG = `
sizing:
  stop_loss: 0.15
  take_profit: 0.5
agent:
  assets: [BTCUSD]
  provider: scripted
  interval_seconds: 86400
  max_hold_seconds: 82800
  max_daily_trades: 0
  approval: autonomous
memory:
  gate_alpha: 0.025
  prior_strength: 5
`;

/**
 * The feedback loop end to end: the real agent, ensemble, risk gate, order path and paper venue
 * replay 2024 BTCUSD day by day; three scripted providers vote — one peeks at tomorrow's price and
 * tells the truth 65 % of the time, one always lies, one flips a coin — and each position is closed
 * by the agent's time stop a day later, so every vote is judged on the move it called.
 */
describe('agent feedback loop with three scripted providers (replayed BTCUSD 2024)', () => {
  let app: App;
  let history: WeightChange[];
  let trades: number;

  beforeAll(async () => {
    const cwd = tempCwd('ffe-feedback-');
    mkdirSync(join(cwd, 'config'));
    writeFileSync(join(cwd, 'config/config.yaml'), CONFIG);
    const clock = new ReplayClock(Date.UTC(2024, 1, 1), Date.UTC(2024, 4, 1));
    app = await createApp({ cwd, clock, env: { PERSISTENCE_SQLITE_PATH: join(cwd, 'ffe.db') } });
    const members = [new OracleProvider('good', app.marketData, DAY, 0.65, seeded(1)), new OracleProvider('wrong', app.marketData, DAY, 0, seeded(2)), new CoinProvider('random', seeded(3))].map((provider) => ({
      provider,
      local: true,
      timeoutMs: 1000,
    }));
    app.providers.set('scripted', new EnsembleProvider(members, { minLocalProviders: 0, quorumPenalty: 0 }, app.feedback.weights, 'scripted'));
    app.feedback.setMembers({ good: 1 / 3, wrong: 1 / 3, random: 1 / 3 });
    const rt = buildAgentRuntime(app, { settings: agentSettings(app.config), replay: { finished: () => clock.done } });
    const final = await rt.agent.start();
    expect(final.status).toBe('stopped');
    history = await app.feedback.memoryRepo.weightChanges('all');
    trades = (await app.feedback.memoryRepo.outcomes()).length;
  }, 120_000);

  afterAll(() => app?.close());

  const weightsAfter = (n: number) => [...history].reverse().find((c) => c.outcomes <= n)?.weights ?? { good: 1 / 3, wrong: 1 / 3, random: 1 / 3 };

  it('closes at least 50 trades, each an outcome linked to its decision and the three votes', async () => {
    expect(trades).toBeGreaterThanOrEqual(50);
    const outcomes = await app.feedback.memoryRepo.outcomes();
    expect(outcomes.every((o) => o.decisionId !== null && o.votes.length === 3 && o.exitReason === 'time_exit')).toBe(true);
    const metrics = await app.feedback.monitorRepo.metrics();
    expect(metrics).toHaveLength(outcomes.length);
  });

  it('moves no weight before the sequential test decides (8 calls all wrong at the earliest, α 0.025), and the reason states the test', () => {
    expect(history.length).toBeGreaterThan(0);
    expect(Math.min(...history.map((c) => c.outcomes))).toBeGreaterThanOrEqual(8);
    expect(history[0].previous).toEqual({ good: 1 / 3, wrong: 1 / 3, random: 1 / 3 });
    expect(history[0].reason).toMatch(/wrong: 0\/\d+ right, P\(hit<0\.5\)=0\.\d+ after \d+ calls, evidence [\d.e]+ ≥ 40\.0 \(demote\)/);
  });

  it('strips the always-wrong provider of most of its weight within 50 trades and rewards the good one', () => {
    const w50 = weightsAfter(50);
    const table = [10, 20, 30, 40, 50].map((n) => ({ trades: n, ...Object.fromEntries(Object.entries(weightsAfter(n)).map(([k, v]) => [k, Number(v.toFixed(3))])) }));
    const at50 = [...history].reverse().find((c) => c.outcomes <= 50);
    console.log(`weights by closed trades (of ${trades}):\n${table.map((r) => JSON.stringify(r)).join('\n')}\nat ${at50?.outcomes}: ${at50?.reason}`);
    expect(w50.wrong).toBeLessThan(1 / 3 / 2);
    expect(w50.good).toBeGreaterThan(1 / 3);
    // At 65 % over ~50 calls the test cannot yet tell the good provider from a coin at α 0.025 (it
    // needs ~150 calls): it keeps at least the coin's weight, it need not have more yet.
    expect(w50.good).toBeGreaterThanOrEqual(w50.random - 1e-12);
    expect(w50.random).toBeGreaterThan(w50.wrong);
  });

  it('feeds the learned weights back into the ensemble and a memory summary into the analysis context', async () => {
    const [latest] = await app.store.decisions.list({ limit: 1 });
    const meta = latest.metadata as { weights_source: string; original_weights: Record<string, number> };
    expect(meta.weights_source).toBe('adaptive');
    expect(meta.original_weights.good).toBeGreaterThan(meta.original_weights.wrong);
    const summary = await app.feedback.memory.summary('BTCUSD', latest.regime.regime);
    expect(summary).toMatch(/Last \d+ closed trades: win rate/);
  });
});
