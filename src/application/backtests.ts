import { backtest, type BacktestRequest } from '../app/backtest.js';
import { isRerunnable, providerName } from '../app/backtest-inputs.js';
import { pureProviders } from '../app/pure-providers.js';
import { startBacktestWorker, withRunner, type RunnerOptions } from '../app/runner.js';
import { runOnce } from '../backtest/jobs.js';
import { bootstrapMonteCarlo, perturbationMonteCarlo, type RiskSummary } from '../backtest/monte-carlo.js';
import type { Metrics } from '../backtest/types.js';
import { rankOf } from '../backtest/stats.js';
import { optimize, reportTrial, searchOverfitting, type SearchMethod } from '../backtest/optimize.js';
import { overfittingVerdict } from '../backtest/overfitting.js';
import { defaultSpace, parseSpace, type ParamSpace, type SearchDef } from '../backtest/params.js';
import { getStrategy, resolveParams } from '../backtest/strategies/index.js';
import type { BacktestResult } from '../backtest/types.js';
import { planWindows, walkForward } from '../backtest/walk-forward.js';
import { TIMEFRAME_MS } from '../core/timeframe.js';
import { JobProgress, type JobControl, type JobKind } from './job-control.js';
import type { Runtime } from './runtime.js';

export type { JobControl } from './job-control.js';

export interface SearchRequest {
  method: SearchMethod;
  samples: number;
  score: (m: Metrics) => number;
  seed: number;
  runner: RunnerOptions;
  /** `--param` ranges; empty: the default space. */
  ranges: readonly string[];
}

/** Backtest, walk-forward, Monte Carlo and optimisation jobs over the runtime's market data and providers. */
export const backtestUseCases = (rt: Runtime) => {
  const { app } = rt;
  /** What a search varies: a strategy's parameters, or for a provider (which has none) only the risk parameters. */
  const searchDef = (req: BacktestRequest): SearchDef => (req.strategy ? getStrategy(req.strategy) : { name: providerName(app, req), params: [] });
  const space = (req: BacktestRequest, ranges: readonly string[]) => {
    const def = searchDef(req);
    return { def, given: ranges.length ? parseSpace(def, ranges) : null };
  };
  const job = (kind: JobKind, c: JobControl) => new JobProgress(rt, kind, c);
  /** Per-job progress unless the jobs go to Redis (there, per batch). */
  const perJob = (r: RunnerOptions) => !r.distributed;
  return {
    async backtest(req: BacktestRequest, c: JobControl = {}): Promise<BacktestResult> {
      const p = job('backtest', c);
      return p.run(() => backtest(app, req, { onProgress: (done, total) => p.report(done, total), progressEvery: 500 }));
    },

    /** `trainRatio` and `windows` default to backtest.walk_forward; the caller has checked any it gives. */
    async walkForward(req: BacktestRequest, s: SearchRequest, w: { trainRatio?: number; windows?: number; anchored: boolean }, c: JobControl = {}) {
      const { def, given } = space(req, s.ranges);
      const wf = app.config.backtest.walk_forward;
      const ratio = w.trainRatio ?? wf.train_ratio;
      const count = w.windows ?? wf.windows;
      const barMs = TIMEFRAME_MS[req.timeframe ?? app.config.backtest.timeframe];
      // Checked before any data is loaded: a span too short is the caller's to fix.
      const plans = planWindows(req.start, req.end, ratio, count, w.anchored, barMs, { minTrainBars: wf.min_train_bars, minTestBars: wf.min_test_bars });
      const warmup = app.config.data.history_bars;
      const p = job('walk_forward', c);
      const res = await p.run(() =>
        withRunner(app, req, s.runner, (runner, inputs) =>
          walkForward(p.runner(runner, perJob(s.runner)), { def, space: given ?? defaultSpace(def, inputs.settings), method: s.method, samples: s.samples, score: s.score, warmup, seed: s.seed }, plans, w.anchored, {
            minTrades: wf.min_trades,
            seed: s.seed,
          }),
        ),
      );
      return { def, ratio, ...res };
    },

    async optimize(req: BacktestRequest, s: SearchRequest, c: JobControl = {}) {
      const { def, given } = space(req, s.ranges);
      const warmup = app.config.data.history_bars;
      const t0 = performance.now();
      let searched: ParamSpace = {};
      const p = job('optimize', c);
      const trials = await p.run(() =>
        withRunner(app, req, s.runner, (runner, inputs) => {
          searched = given ?? defaultSpace(def, inputs.settings);
          return optimize(p.runner(runner, perJob(s.runner)), { def, space: searched, method: s.method, samples: s.samples, score: s.score, start: req.start, end: req.end, warmup, seed: s.seed });
        }),
      );
      // DSR and PBO of the search as a whole; the trials are reported without their working moments.
      const stats = searchOverfitting(trials);
      const verdict = overfittingVerdict(stats);
      return { def, space: searched, trials: trials.map(reportTrial), overfitting: { ...stats, verdict }, seconds: (performance.now() - t0) / 1000 };
    },

    /** An `ffe worker` consumer of distributed jobs on Redis (default backtest.redis_url); close it to stop. */
    async startWorker(redisUrl: string | undefined, concurrency: number) {
      const url = redisUrl ?? app.config.backtest.redis_url;
      const worker = await startBacktestWorker(app, url, concurrency);
      await worker.waitUntilReady();
      return { url, close: () => worker.close() };
    },

    /** `simulations`, `noise` (a fraction of each bar's volatility) and `block` default to backtest.monte_carlo; the caller has checked any it gives. */
    async monteCarlo(req: BacktestRequest, o: { simulations?: number; noise?: number; block?: number; seed: number; runner: RunnerOptions }, c: JobControl = {}) {
      const mc = app.config.backtest.monte_carlo;
      const sims = o.simulations ?? mc.simulations;
      const noise = o.noise ?? mc.noise_fraction;
      let base: BacktestResult;
      let perturbation: RiskSummary | null = null;
      const notes: string[] = [];
      const t0 = performance.now();
      const name = req.strategy ? null : providerName(app, req);
      const p = job('monte_carlo', c);
      if (name === null || isRerunnable(app, name)) {
        const params = req.strategy ? resolveParams(getStrategy(req.strategy), req.params) : {};
        [base, perturbation] = await p.run(() =>
          withRunner(app, req, o.runner, async (runner, inputs) => {
            // Steps are the perturbed runs (their count is known once they are queued); the base run before them is one run.
            const b = await runOnce(inputs, params, pureProviders);
            p.check();
            return [b, await perturbationMonteCarlo(p.runner(runner, perJob(o.runner)), params, sims, noise, inputs.settings.initialBalance, o.seed)] as const;
          }),
        );
      } else {
        base = await p.run(() => backtest(app, req, { onProgress: (done, total) => p.report(done, total), progressEvery: 500 }));
        notes.push(
          `no price-path perturbation for ${name}: backtests replay its answers from a strict cassette that holds only the recorded prompts, and perturbed prices make new prompts; only the trade bootstrap is computed`,
        );
      }
      const boot = bootstrapMonteCarlo(base.trades, base.settings.initialBalance, sims, o.seed, o.block ?? mc.block_length);
      // Where the unperturbed run falls among its perturbations: near the middle unless the strategy's result hangs on the exact path.
      const baseRank = perturbation ? rankOf(perturbation.samples.finalEquity, base.metrics.finalEquity) : null;
      return { base, perturbation, baseRank, bootstrap: boot, simulations: sims, noise, notes, seconds: (performance.now() - t0) / 1000 };
    },
  };
};

export type { BacktestRequest } from '../app/backtest.js';
