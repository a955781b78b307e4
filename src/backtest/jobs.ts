import { FfeError } from '../core/errors.js';
import { runBacktest, type RunOptions } from './engine.js';
import { makeRiskGate, window, type RunInputs } from './inputs.js';
import { equityReturns, sliceMoments } from './overfitting.js';
import { perturb, perturbFrames, type FrameBuffers, type PriceBuffers } from './perturb.js';
import type { BacktestData, Params, SignalSource } from './port.js';
import { providerSource, type ProviderFactory } from './provider-run.js';
import { strategyParams, withRisk } from './risk-params.js';
import { getStrategy } from './strategies/index.js';
import type { BacktestResult, BacktestSettings, Metrics } from './types.js';

/**
 * Units of work that run anywhere: in process, on a worker thread, or on an `ffe worker`.
 * Parameter sets combine a strategy's own parameters with risk ones (stop_loss, take_profit,
 * risk_fraction), which override the run's settings.
 */
export type Job =
  | {
      kind: 'evaluate';
      paramSets: Params[];
      start: number;
      end: number;
      warmup: number;
      /** Also return each run's per-bar returns summarised on this many slices (for DSR and PBO; see overfitting.ts). */
      slices?: number;
      /** Also return each run's per-bar returns (an out-of-sample window's, for its Sharpe interval). */
      returns?: boolean;
    }
  | { kind: 'perturb'; params: Params; noise: number; seeds: number[] };

export type JobResult = { kind: 'evaluate'; metrics: Metrics[]; moments?: number[][]; returns?: number[][] } | { kind: 'perturb'; finalEquity: number[]; maxDrawdown: number[]; trades: number[] };

interface Workspace {
  prices: PriceBuffers | undefined;
  frames: FrameBuffers | undefined;
  scratch: { equity: Float64Array; times: Float64Array };
}

/**
 * Buffers for runs over one set of inputs, kept across jobs: a job is a handful of simulations,
 * and megabytes of fresh typed arrays per job meant page faults and unmaps that serialise the
 * threads of one process. Jobs check a workspace out and back in, so jobs interleaved on one
 * thread (at their awaits) never share one.
 */
const spare = new WeakMap<RunInputs, Workspace[]>();
function checkOut(inp: RunInputs): Workspace {
  const ws = spare.get(inp)?.pop();
  if (ws) return ws;
  const longest = Math.max(...inp.data.pairs.map((p) => p.bars.length)) * inp.data.pairs.length;
  return { prices: undefined, frames: undefined, scratch: { equity: new Float64Array(longest), times: new Float64Array(longest) } };
}
function checkIn(inp: RunInputs, ws: Workspace): void {
  const list = spare.get(inp);
  if (list) list.push(ws);
  else spare.set(inp, [ws]);
}

/**
 * One run's source and settings: the strategy made with its own parameters, or the provider over
 * `frames`; risk parameters override the settings either way.
 */
function runOf(inp: RunInputs, data: BacktestData, params: Params, providers: ProviderFactory | undefined, frames = inp.provider?.frames): { source: SignalSource; settings: BacktestSettings } {
  const settings = withRisk(inp.settings, params);
  if (!inp.provider) return { source: getStrategy(inp.strategy).create(strategyParams(params), data), settings };
  if (!providers) throw new FfeError('runtime', 'PROVIDER_FACTORY_MISSING', `this runner cannot make provider ${inp.provider.name}: provider runs need the app's runners`);
  return { source: providerSource(inp.provider, providers(inp.provider), data, settings, frames), settings };
}

const metricsOnly = (inp: RunInputs, data: BacktestData, ws: Workspace): RunOptions => ({ risk: makeRiskGate(inp, data), recordFills: false, recordTrades: false, scratch: ws.scratch });

export async function runJob(inp: RunInputs, job: Job, providers?: ProviderFactory): Promise<JobResult> {
  const ws = checkOut(inp);
  try {
    return job.kind === 'evaluate' ? await evaluate(inp, job, ws, providers) : await perturbed(inp, job, ws, providers);
  } finally {
    checkIn(inp, ws);
  }
}

async function evaluate(inp: RunInputs, job: Extract<Job, { kind: 'evaluate' }>, ws: Workspace, providers?: ProviderFactory): Promise<JobResult> {
  const data = window(inp.data, job.start, job.end, job.warmup);
  const metrics: Metrics[] = [];
  const moments: number[][] = [];
  const returns: number[][] = [];
  for (const params of job.paramSets) {
    const run = runOf(inp, data, params, providers);
    const r = await runBacktest(data, run.source, run.settings, metricsOnly(inp, data, ws));
    metrics.push(r.metrics);
    if (!job.slices && !job.returns) continue;
    const rets = equityReturns(r.equity, run.settings.initialBalance);
    if (job.slices) moments.push(sliceMoments(rets, job.slices));
    if (job.returns) returns.push(Array.from(rets));
  }
  return { kind: 'evaluate', metrics, ...(job.slices ? { moments } : {}), ...(job.returns ? { returns } : {}) };
}

async function perturbed(inp: RunInputs, job: Extract<Job, { kind: 'perturb' }>, ws: Workspace, providers?: ProviderFactory): Promise<JobResult> {
  const out: JobResult = { kind: 'perturb', finalEquity: [], maxDrawdown: [], trades: [] };
  for (const seed of job.seeds) {
    let data = inp.data;
    let frames = inp.provider?.frames;
    if (job.noise > 0) {
      const p = perturb(inp.data, job.noise, seed, ws.prices);
      ws.prices = p.buffers;
      data = p;
      if (inp.provider) {
        const f = perturbFrames(inp.provider.frames, p, job.noise, seed, ws.frames);
        ws.frames = f.buffers;
        frames = f.frames;
      }
    }
    const run = runOf(inp, data, job.params, providers, frames);
    const r = await runBacktest(data, run.source, run.settings, metricsOnly(inp, data, ws));
    out.finalEquity.push(r.metrics.finalEquity);
    out.maxDrawdown.push(r.metrics.maxDrawdown);
    out.trades.push(r.metrics.tradeCount);
  }
  return out;
}

/** One full run of the inputs with `params`, trades kept: the unperturbed base a Monte Carlo is compared with. */
export function runOnce(inp: RunInputs, params: Params, providers?: ProviderFactory, opts: RunOptions = {}): Promise<BacktestResult> {
  const run = runOf(inp, inp.data, params, providers);
  return runBacktest(inp.data, run.source, run.settings, { ...opts, risk: makeRiskGate(inp) });
}

/** Something that runs jobs: the in-process runner, a worker_threads pool or the Redis queue. */
export interface JobRunner {
  readonly parallelism: number;
  run(jobs: Job[]): Promise<JobResult[]>;
  close(): Promise<void>;
}

export class InProcessRunner implements JobRunner {
  readonly parallelism = 1;
  constructor(
    private readonly inputs: RunInputs,
    private readonly providers?: ProviderFactory,
  ) {}
  async run(jobs: Job[]): Promise<JobResult[]> {
    const out: JobResult[] = [];
    for (const j of jobs) out.push(await runJob(this.inputs, j, this.providers));
    return out;
  }
  async close(): Promise<void> {}
}

/**
 * Splits `items` into contiguous chunks for `workers` consumers, each chunk half of what is left
 * shared among them (guided self-scheduling): the first chunks are large, so per-job cost is paid
 * a few times, and they shrink to single items at the end, so no worker is left with a big last
 * chunk while the others idle. Results do not depend on the cut: each item is run on its own.
 */
export function chunk<T>(items: T[], workers: number): T[][] {
  const share = 2 * Math.max(1, workers);
  const out: T[][] = [];
  for (let i = 0; i < items.length;) {
    const size = Math.ceil((items.length - i) / share);
    out.push(items.slice(i, i + size));
    i += size;
  }
  return out;
}
