import type { Command } from 'commander';
import type { RiskSummary } from '../../../application/types.js';
import { inputError } from '../../../core/errors.js';
import { count, money, pct, table } from '../format.js';
import { print, printJson, withApi } from '../run.js';
import { cancelOnSigint } from '../cancel.js';
import { addRunOptions, requestFromFlags, type RunFlags } from './backtest.js';

interface McFlags {
  simulations?: string;
  noiseStd?: string;
  seed: string;
  workers?: string;
  distributed?: boolean;
  redis?: string;
}

function summaryRows(label: string, s: RiskSummary, initial: number): (string | number)[][] {
  const f = s.finalEquity;
  const d = s.maxDrawdown;
  return [
    [`${label}: final equity`, money(f.p5), money(f.p25), money(f.p50), money(f.p75), money(f.p95)],
    [`${label}: total return`, ...[f.p5, f.p25, f.p50, f.p75, f.p95].map((x) => pct(x / initial - 1))],
    [`${label}: max drawdown`, ...[d.p5, d.p25, d.p50, d.p75, d.p95].map((x) => pct(x))],
  ];
}

const riskLine = (label: string, s: RiskSummary) => `${label}: VaR95 ${money(s.var95)}, CVaR95 ${money(s.cvar95)}, P(loss) ${pct(s.probabilityOfLoss)} over ${count(s.simulations)} simulations`;

export function registerMonteCarlo(program: Command): void {
  addRunOptions(program.command('monte-carlo').description('Monte Carlo: price-path perturbation (--strategy or --provider rules) and bootstrap of the trade sequence (any source)'))
    .option('--simulations <n>', 'number of simulations (default backtest.monte_carlo.simulations)')
    .option('--noise-std <f>', 'std of the multiplicative noise on each price (default backtest.monte_carlo.noise)')
    .option('--seed <n>', 'random seed', '1')
    .option('--workers <n>', 'worker threads (1: in process; default backtest.workers, 0 = one per core)')
    .option('--distributed', 'run the simulations on `ffe worker` processes through Redis')
    .option('--redis <url>', 'Redis URL (default backtest.redis_url)')
    .addHelpText(
      'after',
      `
Perturbation re-runs the source on noisy copies of the prices: a --strategy, or --provider rules,
  whose feed then reads noisy prices on every timeframe (the base bars it trades and, each with
  its own draws, every other timeframe it reads). LLM providers get the trade bootstrap only:
  backtests replay them from a strict cassette that holds only the recorded prompts, and changed
  prices make new prompts.`,
    )
    .action(async (pairs: string, o: RunFlags & McFlags, cmd: Command) => {
      const req = requestFromFlags(pairs, o);
      const seed = Number(o.seed) || 1;
      const simulations = o.simulations === undefined ? undefined : Number(o.simulations);
      if (simulations !== undefined && !(Number.isInteger(simulations) && simulations >= 1)) throw inputError('FLAG_INVALID', `--simulations must be a positive integer, got "${o.simulations}"`);
      const noiseStd = o.noiseStd === undefined ? undefined : Number(o.noiseStd);
      if (noiseStd !== undefined && !(noiseStd >= 0 && noiseStd < 0.5)) throw inputError('FLAG_INVALID', `--noise-std must be in [0, 0.5), got "${o.noiseStd}"`);
      const workers = o.workers === undefined ? undefined : Number(o.workers);
      await withApi(cmd, async (api) => {
        const mc = await cancelOnSigint((signal) => api.backtests.monteCarlo(req, { simulations, noise: noiseStd, seed, runner: { workers, distributed: o.distributed, redisUrl: o.redis } }, { signal }));
        const { base, perturbation, bootstrap: boot, simulations: sims, noise, notes, seconds } = mc;
        const initial = base.settings.initialBalance;
        if (o.json) return printJson({ source: base.source, simulations: sims, noise, base: base.metrics, perturbation, bootstrap: boot, notes, seconds });
        print(
          `${base.source} on ${base.pairs.join(', ')}: unperturbed final equity ${money(base.metrics.finalEquity)} (total return ${pct(base.metrics.totalReturn)}), ${count(base.metrics.tradeCount)} trades; ${count(sims)} simulations, noise ${noise}, ${seconds.toFixed(1)} s`,
        );
        for (const n of [...base.notes, ...notes]) print(n);
        const rows = [...(perturbation ? summaryRows('perturbed paths', perturbation, initial) : []), ...summaryRows('trade bootstrap', boot, initial)];
        print(table(['', 'p5', 'p25', 'p50', 'p75', 'p95'], rows));
        if (perturbation) print(riskLine('perturbed paths', perturbation));
        print(riskLine('trade bootstrap', boot));
      });
    });
}
