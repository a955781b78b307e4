import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { withRunner } from '../../../app/runner.js';
import { objective, OBJECTIVES } from '../../../backtest/objective.js';
import { optimize, type SearchMethod } from '../../../backtest/optimize.js';
import { defaultSpace, parseSpace } from '../../../backtest/params.js';
import { getStrategy } from '../../../backtest/strategies/index.js';
import { inputError } from '../../../core/errors.js';
import { num, pct, table } from '../format.js';
import { print, printJson, withApp } from '../run.js';
import { addRunOptions, requestFromFlags, type RunFlags } from './backtest.js';

export interface SearchFlags {
  method: string;
  samples: string;
  objective: string;
  seed: string;
  workers?: string;
  distributed?: boolean;
  redis?: string;
}

/** Search and parallelism options shared by optimize and walk-forward. */
export function addSearchOptions(cmd: Command): Command {
  return cmd
    .option('--method <m>', 'grid, random or refine (random then Gaussian steps around the best)', 'grid')
    .option('--samples <n>', 'evaluations for random and refine', '40')
    .option('--objective <name>', `what to maximise: ${Object.keys(OBJECTIVES).join(', ')}`, 'sharpe')
    .option('--seed <n>', 'random seed', '1')
    .option('--workers <n>', 'worker threads (1: in process; default backtest.workers, 0 = one per core)')
    .option('--distributed', 'run the jobs on `ffe worker` processes through Redis')
    .option('--redis <url>', 'Redis URL (default backtest.redis_url)');
}

export function searchSettings(o: SearchFlags) {
  if (!['grid', 'random', 'refine'].includes(o.method)) throw inputError('FLAG_INVALID', `--method must be grid, random or refine, got "${o.method}"`);
  const samples = Number(o.samples);
  if (!Number.isInteger(samples) || samples < 1) throw inputError('FLAG_INVALID', `--samples must be a positive integer, got "${o.samples}"`);
  const workers = o.workers === undefined ? undefined : Number(o.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0)) throw inputError('FLAG_INVALID', `--workers must be an integer ≥ 0, got "${o.workers}"`);
  return { method: o.method as SearchMethod, samples, score: objective(o.objective), seed: Number(o.seed) || 1, runner: { workers, distributed: o.distributed, redisUrl: o.redis } };
}

export function registerOptimize(program: Command): void {
  addSearchOptions(addRunOptions(program.command('optimize').description('search strategy parameters (--param name=a,b,c or name=min:max[:step]) for the best objective')))
    .option('--top <n>', 'rows of the results table', '10')
    .option('--output <file>', 'write the best parameters as JSON')
    .action(async (pairs: string, o: RunFlags & SearchFlags & { top: string; output?: string }, cmd: Command) => {
      const ranges = o.param;
      const req = requestFromFlags(pairs, { ...o, param: [] });
      if (!req.strategy) throw inputError('STRATEGY_REQUIRED', 'optimize needs --strategy (sma-cross, rsi-reversion)');
      const def = getStrategy(req.strategy);
      const space = ranges.length ? parseSpace(def, ranges) : defaultSpace(def);
      const s = searchSettings(o);
      await withApp(cmd, async (app) => {
        const warmup = app.config.data.history_bars;
        const t0 = performance.now();
        const trials = await withRunner(app, req, s.runner, (runner) =>
          optimize(runner, { def, space, method: s.method, samples: s.samples, score: s.score, start: req.start, end: req.end, warmup, seed: s.seed }),
        );
        const best = trials[0];
        if (o.output) writeFileSync(o.output, `${JSON.stringify({ strategy: def.name, objective: o.objective, params: best.params, score: best.score, metrics: best.metrics }, null, 2)}\n`);
        if (o.json) return printJson({ strategy: def.name, objective: o.objective, method: s.method, evaluated: trials.length, best, trials });
        const top = Math.max(1, Number(o.top) || 10);
        print(`${def.name} on ${req.pairs.join(', ')}: ${trials.length} combinations (${s.method}) in ${((performance.now() - t0) / 1000).toFixed(1)} s, by ${o.objective}`);
        print(
          table(
            ['#', ...def.params.map((p) => p.name), o.objective, 'return', 'Sharpe', 'max DD', 'trades'],
            trials.slice(0, top).map((t, k) => [k + 1, ...def.params.map((p) => num(t.params[p.name], 4)), num(t.score, 3), pct(t.metrics.totalReturn), num(t.metrics.sharpe, 2), pct(t.metrics.maxDrawdown), t.metrics.tradeCount]),
          ),
        );
        print(`best: ${Object.entries(best.params).map(([k, v]) => `--param ${k}=${v}`).join(' ')}${o.output ? ` (written to ${o.output})` : ''}`);
      });
    });
}
