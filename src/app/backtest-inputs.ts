import type { RunInputs } from '../backtest/inputs.js';
import { inputError } from '../core/errors.js';
import { prepareBacktest, prepareInputs, type BacktestRequest } from './backtest.js';
import { engineSettings, type App } from './container.js';

/** The provider a request without --strategy runs. */
export const providerName = (app: App, req: BacktestRequest): string => req.provider ?? app.config.decision_engine.ai_provider;

/** Whether `name` can be re-run on changed prices or parameters: a provider of the rules kind (pure, deterministic). */
export const isRerunnable = (app: App, name: string): boolean => app.providers.get(name)?.kind === 'rules';

export const notRerunnable = (name: string) =>
  inputError(
    'PROVIDER_NOT_RERUNNABLE',
    `provider "${name}" cannot be optimised, walked forward or run on perturbed prices: backtests replay its answers from a strict cassette, which holds only the recorded prompts, and changed prices or parameters (stops, targets and sizing change the positions in the prompt) make new prompts that would all miss; use --provider rules or a --strategy (ffe monte-carlo still gives ${name}'s trade bootstrap)`,
  );

/**
 * Plain-data inputs of a strategy or pure-provider run, for worker threads and `ffe worker`
 * processes. A provider run is `prepareBacktest`'s data, settings and risk inputs (so a trial
 * with the configured settings is exactly `ffe backtest --provider rules --engine fast`), plus
 * the frames its feeds read and the configured engine settings.
 */
export async function prepareRunInputs(app: App, req: BacktestRequest): Promise<RunInputs> {
  if (req.strategy) return prepareInputs(app, req);
  const name = providerName(app, req);
  // Unknown names fall through to prepareBacktest's PROVIDER_UNKNOWN, which lists the configured ones.
  if (app.providers.has(name) && !isRerunnable(app, name)) throw notRerunnable(name);
  const run = await prepareBacktest(app, { ...req, provider: name });
  if (run.metricsFrom !== null) throw inputError('FLAG_INVALID', '--post-cutoff-only applies to a single backtest, not to optimisation, walk-forward or Monte Carlo runs');
  return {
    data: run.data,
    settings: run.settings,
    strategy: '',
    risk: run.riskInputs,
    provider: { name, kind: 'rules', frames: run.frames!, historyBars: app.config.data.history_bars, engine: engineSettings(app.config) },
  };
}
