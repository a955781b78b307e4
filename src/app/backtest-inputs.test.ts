import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBacktest } from '../backtest/engine.js';
import type { RunInputs } from '../backtest/inputs.js';
import { InProcessRunner, runJob, runOnce, type Job } from '../backtest/jobs.js';
import { optimize } from '../backtest/optimize.js';
import { defaultSpace } from '../backtest/params.js';
import { ThreadPool } from '../backtest/pool.js';
import type { Params } from '../backtest/port.js';
import { FfeError } from '../core/errors.js';
import { prepareBacktest, type BacktestRequest } from './backtest.js';
import { prepareRunInputs } from './backtest-inputs.js';
import { createApp, type App } from './container.js';
import { pureProviders } from './pure-providers.js';

// Two months ending with the bundled 1m month, so the feed reads finer frames than the 1h base too.
const req: BacktestRequest = { pairs: ['BTCUSD'], start: Date.UTC(2024, 10, 1), end: Date.UTC(2025, 0, 1), provider: 'rules' };

let app: App;
let inputs: RunInputs;
beforeAll(async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'ffe-inputs-'));
  app = await createApp({ cwd, env: { FFE_HOME: cwd } });
  inputs = await prepareRunInputs(app, req);
});
afterAll(() => app.close());

/** `ffe backtest --provider rules --engine fast` (the in-memory book searches run on), with settings flags applied. */
async function direct(settings: BacktestRequest['settings'] = {}) {
  const run = await prepareBacktest(app, { ...req, settings });
  return runBacktest(run.data, run.source, run.settings, { risk: run.risk });
}

const evaluate = (paramSets: Params[]): Job => ({ kind: 'evaluate', paramSets, start: req.start, end: req.end, warmup: app.config.data.history_bars });

describe('rules provider runs from plain-data inputs', () => {
  it('carry the six frames per pair and no strategy', () => {
    expect(inputs.provider?.name).toBe('rules');
    const frames = inputs.provider!.frames[0];
    expect(Object.keys(frames).sort()).toEqual(['15m', '1d', '1h', '4h', '5m', '1m'].sort());
    expect('columns' in frames['1m']! && frames['1m'].columns.length).toBeGreaterThan(1000);
    // As columns: the run's own timeframe is a view into the run's bars, not a copy of them.
    const own = frames[inputs.data.timeframe]!;
    expect('columns' in own && own.columns.close.buffer).toBe(inputs.data.pairs[0].bars.close.buffer);
    // Structured clone is how they reach worker threads: it must keep every number.
    expect(structuredClone(inputs)).toEqual(inputs);
  });

  it('a trial with the configured settings, and one overriding stops, equal the direct backtest exactly', async () => {
    const base = await direct();
    expect(base.metrics.tradeCount).toBeGreaterThan(5);
    const [r] = await new InProcessRunner(inputs, pureProviders).run([evaluate([{}, { stop_loss: 0.04, take_profit: 0.1 }])]);
    if (r.kind !== 'evaluate') throw new Error('wrong result kind');
    expect(r.metrics[0]).toEqual(base.metrics);
    const wider = await direct({ stopLoss: 0.04, takeProfit: 0.1 });
    expect(r.metrics[1]).toEqual(wider.metrics);
    expect(r.metrics[1].finalEquity).not.toBe(base.metrics.finalEquity);
    // The Monte Carlo base run and a noiseless perturbation are that same backtest.
    expect((await runOnce(inputs, {}, pureProviders)).metrics).toEqual(base.metrics);
    const still = await runJob(inputs, { kind: 'perturb', params: {}, noise: 0, seeds: [5] }, pureProviders);
    expect(still.kind === 'perturb' && still.finalEquity[0]).toBe(base.metrics.finalEquity);
  });

  it('perturbed runs differ from the base, and repeat exactly for the same seed', async () => {
    const job: Job = { kind: 'perturb', params: {}, noise: 0.002, seeds: [1, 2, 3] };
    const a = await runJob(inputs, job, pureProviders);
    const b = await runJob(inputs, job, pureProviders);
    expect(b).toEqual(a);
    const base = (await runOnce(inputs, {}, pureProviders)).metrics.finalEquity;
    expect(a.kind === 'perturb' && a.finalEquity.some((f) => f !== base)).toBe(true);
    expect(a.kind === 'perturb' && new Set(a.finalEquity).size).toBe(3);
  });

  it('the worker_threads pool gives exactly the in-process results', async () => {
    const jobs: Job[] = [evaluate([{}, { stop_loss: 0.01 }]), { kind: 'perturb', params: { risk_fraction: 0.02 }, noise: 0.001, seeds: [7, 8] }, evaluate([{ take_profit: 0.03 }])];
    const pool = new ThreadPool(inputs, 2, 'app/backtest-thread.js');
    try {
      const got = await pool.run(jobs);
      const want: unknown[] = [];
      for (const j of jobs) want.push(await runJob(inputs, j, pureProviders));
      expect(got).toEqual(want);
    } finally {
      await pool.close();
    }
  });

  it('the default search space is the risk grid around the configured stop and target, the configured run among it', async () => {
    const space = defaultSpace({ name: 'rules', params: [] }, inputs.settings);
    expect(space).toEqual({ stop_loss: { values: [0.01, 0.02, 0.04] }, take_profit: { values: [0.025, 0.05, 0.1] } });
    const trials = await optimize(new InProcessRunner(inputs, pureProviders), {
      def: { name: 'rules', params: [] },
      space,
      method: 'grid',
      samples: 0,
      score: (m) => m.sharpe,
      start: req.start,
      end: req.end,
      warmup: app.config.data.history_bars,
    });
    expect(trials).toHaveLength(9);
    const configured = trials.find((t) => t.params.stop_loss === 0.02 && t.params.take_profit === 0.05)!;
    expect(configured.metrics).toEqual((await direct()).metrics);
  });

  it('LLM-backed and unknown providers are refused with the reason', async () => {
    const refused = await prepareRunInputs(app, { ...req, provider: 'ensemble' }).catch((e: FfeError) => e);
    expect(refused).toBeInstanceOf(FfeError);
    expect((refused as FfeError).code).toBe('PROVIDER_NOT_RERUNNABLE');
    expect((refused as FfeError).message).toMatch(/strict cassette.*recorded prompts.*new prompts/);
    const unknown = await prepareRunInputs(app, { ...req, provider: 'nope' }).catch((e: FfeError) => e);
    expect((unknown as FfeError).code).toBe('PROVIDER_UNKNOWN');
  });
});
