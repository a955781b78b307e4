import type { Command } from 'commander';
import type { RiskSummary } from '../../../application/types.js';
import { inputError } from '../../../core/errors.js';
import { count, money, pct, table } from '../format.js';
import { print, printJson, withApi } from '../run.js';
import { cancelOnSigint } from '../cancel.js';
import { addRunOptions, requestFromFlags, type RunFlags } from './backtest.js';

interface McFlags {
  simulations?: string;
  noise?: string;
  block?: string;
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
    .option('--noise <f>', "std of the noise on each bar's log return, as a fraction of that bar's own volatility (default backtest.monte_carlo.noise_fraction)")
    .option('--block <n>', 'mean block length of the trade bootstrap, in trades (0: automatic; 1: independent; default backtest.monte_carlo.block_length)')
    .option('--seed <n>', 'random seed', '1')
    .option('--workers <n>', 'worker threads (1: in process; default backtest.workers, 0 = one per core)')
    .option('--distributed', 'run the simulations on `ffe worker` processes through Redis')
    .option('--redis <url>', 'Redis URL (default backtest.redis_url)')
    .addHelpText(
      'after',
      `
Perturbation re-runs the source on alternative price paths: each bar's log return gets one
  normal draw of --noise × that bar's own volatility (Parkinson range estimate), and the whole bar
  (open, high, low, close) moves by the running product, keeping its shape. A --strategy, or
  --provider rules, whose feed then reads the same path on every timeframe. The unperturbed run's
  percentile among the perturbed ones is printed: near the middle unless the result hangs on the
  exact path. The trade bootstrap is a stationary block bootstrap (runs of consecutive trades,
  mean length --block, automatic by Politis-White), so losing streaks survive resampling; it
  reports final equity, maximum drawdown and the longest losing streak. LLM providers get the trade bootstrap only:
  backtests replay them from a strict cassette that holds only the recorded prompts, and changed
  prices make new prompts.`,
    )
    .action(async (pairs: string, o: RunFlags & McFlags, cmd: Command) => {
      const req = requestFromFlags(pairs, o);
      const seed = Number(o.seed) || 1;
      const simulations = o.simulations === undefined ? undefined : Number(o.simulations);
      if (simulations !== undefined && !(Number.isInteger(simulations) && simulations >= 1)) throw inputError('FLAG_INVALID', `--simulations must be a positive integer, got "${o.simulations}"`);
      const noiseFraction = o.noise === undefined ? undefined : Number(o.noise);
      if (noiseFraction !== undefined && !(noiseFraction >= 0 && noiseFraction <= 2)) throw inputError('FLAG_INVALID', `--noise must be in [0, 2] (a fraction of each bar's volatility), got "${o.noise}"`);
      const block = o.block === undefined ? undefined : Number(o.block);
      if (block !== undefined && !(block >= 0 && block <= 10_000)) throw inputError('FLAG_INVALID', `--block must be in [0, 10000] trades, got "${o.block}"`);
      const workers = o.workers === undefined ? undefined : Number(o.workers);
      await withApi(cmd, async (api) => {
        const mc = await cancelOnSigint((signal) => api.backtests.monteCarlo(req, { simulations, noise: noiseFraction, block, seed, runner: { workers, distributed: o.distributed, redisUrl: o.redis } }, { signal }));
        const { base, perturbation, baseRank, bootstrap: boot, simulations: sims, noise, notes, seconds } = mc;
        const initial = base.settings.initialBalance;
        if (o.json) return printJson({ source: base.source, simulations: sims, noise, base: base.metrics, perturbation, baseRank, bootstrap: boot, notes, seconds });
        print(
          `${base.source} on ${base.pairs.join(', ')}: unperturbed final equity ${money(base.metrics.finalEquity)} (total return ${pct(base.metrics.totalReturn)}), ${count(base.metrics.tradeCount)} trades; ${count(sims)} simulations, noise ${noise} × bar volatility, ${seconds.toFixed(1)} s`,
        );
        for (const n of [...base.notes, ...notes]) print(n);
        const st = boot.longestLosingStreak;
        const rows = [
          ...(perturbation ? summaryRows('perturbed paths', perturbation, initial) : []),
          ...summaryRows('trade bootstrap', boot, initial),
          ['trade bootstrap: longest losing streak', ...[st.p5, st.p25, st.p50, st.p75, st.p95].map((x) => count(Math.round(x)))],
        ];
        print(table(['', 'p5', 'p25', 'p50', 'p75', 'p95'], rows));
        if (perturbation && baseRank !== null) print(`${riskLine('perturbed paths', perturbation)}; the unperturbed run is at the ${pct(baseRank)} percentile`);
        print(`${riskLine('trade bootstrap', boot)}; stationary blocks of mean ${boot.block.toFixed(1)} trades (${boot.blockRule === 'given' ? 'given' : 'Politis-White'})`);
      });
    });
}
