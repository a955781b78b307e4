import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { BacktestRequest, ParamSpace, SearchDef, SearchMethod } from '../../../application/types.js';
import { objective, OBJECTIVES, renderSearchReport, reuseText, RISK_PARAMS } from '../../../application/vocabulary.js';
import { inputError } from '../../../core/errors.js';
import { count, num, objectiveLabel, objectiveValue, pct, ratio, table } from '../format.js';
import { checkOutputPath } from '../output-path.js';
import { print, printJson, withApi } from '../run.js';
import { cancelOnSigint } from '../cancel.js';
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

export const SEARCH_HELP = `
Search space (--param, repeatable: name=a,b,c or name=min:max[:step]):
  a strategy's own parameters (sma-cross: fast, slow; rsi-reversion: period, lower, upper) and,
  for every source, the risk parameters stop_loss and take_profit (fractions of entry) and
  risk_fraction (of equity risked over the stop), which override --stop-loss, --take-profit and
  sizing.risk_fraction per trial; risk parameters not given keep their configured values.
Default space (no --param): a strategy's parameters over their declared ranges; for
  --provider rules, which has no parameters of its own, stop_loss and take_profit at ½×, 1× and
  2× their configured values (up to 9 trials, the configured values among them).
Sources: --strategy NAME, or --provider rules (deterministic, re-run on every trial). LLM
  providers are refused: backtests replay them from a strict cassette that holds only the
  recorded prompts, and changed parameters make new prompts.`;

/** The names a results table shows: the strategy's parameters, then the risk parameters the space varies. */
export const searchedNames = (def: SearchDef, space: ParamSpace): string[] => [...def.params.map((p) => p.name), ...RISK_PARAMS.filter((r) => r.name in space).map((r) => r.name)];

/** The source, keyed by what it is, for JSON output. */
export const sourceKey = (req: BacktestRequest, def: SearchDef) => (req.strategy ? { strategy: def.name } : { provider: def.name });

/** A search command's request and settings; its --param is the search space, parsed once the source is known. */
export function searchFromFlags(pairs: string, o: RunFlags & SearchFlags) {
  return { req: requestFromFlags(pairs, { ...o, param: [] }), s: searchSettings(o), ranges: o.param };
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
  addSearchOptions(addRunOptions(program.command('optimize').description('search strategy and risk parameters (--param name=a,b,c or name=min:max[:step]) for the best objective')))
    .option('--top <n>', 'rows of the results table', '10')
    .option('--output <file>', 'write the best parameters as JSON')
    .option('--report <file>', 'write a self-contained HTML report: DSR, PBO, verdict and the results table')
    .addHelpText('after', SEARCH_HELP)
    .action(async (pairs: string, o: RunFlags & SearchFlags & { top: string; output?: string; report?: string }, cmd: Command) => {
      const { req, s, ranges } = searchFromFlags(pairs, o);
      if (o.output) checkOutputPath(o.output);
      if (o.report) checkOutputPath(o.report);
      await withApi(cmd, async (api) => {
        const { def, space, trials, overfitting, seconds } = await cancelOnSigint((signal) => api.backtests.optimize(req, { ...s, ranges }, { signal }));
        const best = trials[0];
        const who = sourceKey(req, def);
        if (o.output) writeFileSync(o.output, `${JSON.stringify({ ...who, objective: o.objective, params: best.params, score: best.score, metrics: best.metrics }, null, 2)}\n`);
        if (o.json) return printJson({ ...who, objective: o.objective, method: s.method, evaluated: trials.length, best, overfitting, trials });
        const top = Math.max(1, Number(o.top) || 10);
        const names = searchedNames(def, space);
        print(`${def.name} on ${req.pairs.join(', ')}: ${trials.length} combinations (${s.method}) in ${seconds.toFixed(1)} s, ranked by ${objectiveLabel(o.objective)}`);
        // One column per metric, named as in the backtest summary; the objective gets its own only when it is none of them.
        const extra = o.objective === 'sharpe' || o.objective === 'return' ? [] : [objectiveLabel(o.objective)];
        const head = ['#', ...names, ...extra, 'total return', 'Sharpe', 'max drawdown', 'trades'];
        const rows = trials
          .slice(0, top)
          .map((t, k) => [
            String(k + 1),
            ...names.map((n) => num(t.params[n], 4)),
            ...(extra.length ? [objectiveValue(o.objective, t.score)] : []),
            pct(t.metrics.totalReturn),
            ratio(t.metrics.sharpe),
            pct(t.metrics.maxDrawdown),
            count(t.metrics.tradeCount),
          ]);
        print(table(head, rows));
        print(`best: ${reuseText(best.params)}${o.output ? ` (written to ${o.output})` : ''}`);
        const { dsr, pbo, verdict } = overfitting;
        const statistics: [string, string][] = [];
        if (dsr) statistics.push(['deflated Sharpe ratio', `${num(dsr.dsr, 3)}: P(true Sharpe > ${num(dsr.benchmark, 4)}/bar, the best of ${dsr.trials} no-skill trials); undeflated PSR ${num(dsr.psr, 3)}`]);
        if (pbo)
          statistics.push([
            'probability of backtest overfitting',
            `${num(pbo.pbo, 3)} over ${count(pbo.combinations)} CSCV splits of ${pbo.slices} slices; the in-sample best loses out of sample in ${pct(pbo.probabilityOfLoss)}`,
          ]);
        for (const [k, v] of statistics) print(`${k} ${v}`);
        print(`verdict: ${verdict.text} (severity ${verdict.severity})`);
        if (o.report) {
          const title = `${def.name} optimisation on ${req.pairs.join(', ')}: ${trials.length} combinations (${s.method}), ranked by ${objectiveLabel(o.objective)}`;
          writeFileSync(o.report, renderSearchReport({ title, statistics, verdict, table: { head, rows } }));
          print(`report written to ${o.report}`);
        }
      });
    });
}
