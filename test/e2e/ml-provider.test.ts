import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplayClock } from '../../src/agent/replay-clock.js';
import { agentSettings, buildAgentRuntime } from '../../src/app/agent-setup.js';
import { createApp, type App } from '../../src/app/container.js';
import type { WeightChange } from '../../src/memory/types.js';
import { adaptiveWeights } from '../../src/memory/weights.js';
import { tempCwd } from '../support/cli.js';
import { smallModel } from '../fakes/ml-model.js';

const config = (modelFile: string) => `
providers:
  ml:
    kind: ml
    model_file: ${JSON.stringify(modelFile)}
ensemble:
  providers: [rules, ml]
  min_local_providers: 0
decision_engine:
  decision_threshold: 0.5
sizing:
  stop_loss: 0.1
  take_profit: 0.3
agent:
  assets: [BTCUSD]
  provider: ensemble
  interval_seconds: 14400
  max_hold_seconds: 43200
  max_daily_trades: 0
  approval: autonomous
memory:
  gate_alpha: 0.5
  prior_strength: 5
`;

/**
 * The ml provider in the feedback loop: a model trained on March 2024 (labels known by April 1),
 * then the real agent replays April–May 2024 with the ensemble [rules, ml]; closed trades become
 * outcomes carrying both votes, and the adaptive weights move for ml as for rules.
 */
describe('ml provider in an agent replay after its training window (BTCUSD 2024)', () => {
  let app: App;
  let history: WeightChange[];

  beforeAll(async () => {
    const { path } = await smallModel();
    const cwd = tempCwd('ffe-ml-replay-');
    mkdirSync(join(cwd, 'config'));
    writeFileSync(join(cwd, 'config/config.yaml'), config(path));
    const clock = new ReplayClock(Date.UTC(2024, 3, 1), Date.UTC(2024, 5, 1));
    app = await createApp({ cwd, clock, env: { PERSISTENCE_SQLITE_PATH: join(cwd, 'ffe.db') } });
    const rt = buildAgentRuntime(app, { settings: agentSettings(app.config), replay: { finished: () => clock.done } });
    const final = await rt.agent.start();
    expect(final.status).toBe('stopped');
    history = await app.feedback.memoryRepo.weightChanges('all');
  }, 300_000);

  afterAll(() => app?.close());

  it('records outcomes whose votes include the ml provider’s, with its model id', async () => {
    const outcomes = await app.feedback.memoryRepo.outcomes();
    expect(outcomes.length).toBeGreaterThanOrEqual(5);
    const mlVotes = outcomes.flatMap((o) => o.votes.filter((v) => v.provider === 'ml'));
    expect(mlVotes.length).toBe(outcomes.length);
    expect(mlVotes.every((v) => ['BUY', 'SELL', 'HOLD'].includes(v.action))).toBe(true);
  });

  // The replay is short (two months of 4h bars) and the gate is set loose (α 0.5: evidence 2) so a
  // move can happen; whether it does is the test's call, which the history must then agree with.
  it('judges the ml provider in the sequential gate like any member (`ffe memory weights --history`)', async () => {
    const outcomes = await app.feedback.memoryRepo.outcomes();
    const { scores } = adaptiveWeights({ rules: 0.5, ml: 0.5 }, outcomes, app.feedback.memory.settings);
    const ml = scores.find((s) => s.provider === 'ml')!;
    console.log(`ml weight history: ${history.map((c) => `${c.outcomes}: ml ${c.previous.ml?.toFixed(3)} → ${c.weights.ml?.toFixed(3)}, rules ${c.weights.rules?.toFixed(3)}`).join('; ') || 'none'}`);
    expect(ml.n).toBeGreaterThan(0);
    expect(ml.gate.n).toBe(ml.n);
    const moved = history.filter((c) => c.weights.ml !== undefined && c.previous.ml !== undefined && Math.abs(c.weights.ml - c.previous.ml) > 1e-9);
    expect(moved.length > 0).toBe(scores.some((s) => s.moved));
    expect(history.every((c) => /ml: \d+\/\d+ right, P\(hit[<>]0\.5\)=/.test(c.reason))).toBe(true);
  });
});
