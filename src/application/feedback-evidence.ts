import { configuredWeight } from '../app/feedback-setup.js';
import { buildProviders } from '../app/provider-setup.js';
import { settingsFromConfig } from '../app/backtest.js';
import { engineSettings } from '../app/container.js';
import { loadBacktestData, loadFrames } from '../backtest/data.js';
import { providerSource } from '../backtest/provider-run.js';
import { planWindows } from '../backtest/walk-forward.js';
import { inputError } from '../core/errors.js';
import { periodsPerYear, TIMEFRAME_MS, type Timeframe } from '../core/timeframe.js';
import { evaluateFeedback, type BarVotes } from '../memory/evidence.js';
import { roundTripCost } from '../memory/recommendation-samples.js';
import type { ProviderVote } from '../memory/types.js';
import type { DecisionProvider } from '../providers/port.js';
import type { Runtime } from './runtime.js';

export interface EvaluateRequest {
  pair: string;
  providers: string[];
  start: number;
  end: number;
  timeframe?: Timeframe;
  windows?: number;
  trainRatio?: number;
  seed?: number;
  reps?: number;
}

/**
 * `ffe memory evaluate`: asks each named provider once per bar of PAIR (point in time, LLM
 * providers from their cassette in strict mode: a miss abstains and is counted), then compares
 * adaptive, equal and configured (frozen) ensemble weights over rolling walk-forward windows
 * (memory/evidence.ts), with paired block-bootstrap intervals on the out-of-sample differences.
 */
export async function evaluateFeedbackEvidence(rt: Runtime, req: EvaluateRequest) {
  const { app } = rt;
  const cfg = app.config;
  const names = [...new Set(req.providers)];
  if (names.length < 2) throw inputError('FLAG_INVALID', `--providers needs at least two providers to weigh against each other, got "${req.providers.join(',')}"`);
  if (names.includes('ensemble')) throw inputError('FLAG_INVALID', '--providers lists ensemble members; "ensemble" itself is what is being evaluated');
  const built = buildProviders(cfg, { store: app.store, cassetteMode: 'strict' }).providers;
  const providers: DecisionProvider[] = names.map((n) => {
    const p = n === 'rules' ? app.providers.get(n) : built.get(n);
    if (!p) throw inputError('PROVIDER_UNKNOWN', `unknown provider "${n}"; configured: ${[...app.providers.keys()].join(', ')}`);
    return p;
  });
  const timeframe = req.timeframe ?? cfg.backtest.timeframe;
  const barMs = TIMEFRAME_MS[timeframe];
  const windows = planWindows(req.start, req.end, req.trainRatio ?? cfg.backtest.walk_forward.train_ratio, req.windows ?? cfg.backtest.walk_forward.windows, false, barMs, {
    minTrainBars: cfg.backtest.walk_forward.min_train_bars,
    minTestBars: cfg.backtest.walk_forward.min_test_bars,
  });
  const historyBars = cfg.data.history_bars;
  const settings = settingsFromConfig(cfg, { timeframe });
  const data = await loadBacktestData(app.marketData, { pairs: [req.pair], start: req.start, end: req.end, timeframe, warmupBars: historyBars });
  const frames = [await loadFrames(app.marketData, data.pairs[0].pair.symbol, req.start, req.end, historyBars)];
  const source = providerSource({ name: names[0], kind: 'rules', frames, historyBars, engine: engineSettings(cfg) }, providers[0], data, settings, frames);
  const series = data.pairs[0];
  const failures: Record<string, Record<string, number>> = {};
  const bars: BarVotes[] = [];
  for (let i = series.first; i < series.bars.timestamp.length; i++) {
    const { context } = source.analysisAt(0, i);
    const votes: ProviderVote[] = [];
    for (const p of providers) {
      const r = await p.decide(context);
      if (r.ok) votes.push({ provider: p.name, action: r.signal.action, confidence: r.signal.confidence });
      else (failures[p.name] ??= {})[r.code] = (failures[p.name]?.[r.code] ?? 0) + 1;
    }
    bars.push({ time: series.bars.timestamp[i] + barMs, close: series.bars.close[i], votes });
  }
  const result = evaluateFeedback({
    bars,
    windows: windows.map((w) => ({ trainStart: w.trainStart, testStart: w.testStart, testEnd: w.testEnd })),
    configured: Object.fromEntries(names.map((n) => [n, configuredWeight(cfg, n)])),
    params: app.feedback.memory.settings,
    cost: roundTripCost(cfg.costs),
    threshold: cfg.decision_engine.decision_threshold,
    allowShort: cfg.backtest.allow_short,
    barsPerYear: periodsPerYear(timeframe, series.pair.assetClass),
    seed: req.seed,
    reps: req.reps,
  });
  const notes: string[] = [];
  for (const [name, f] of Object.entries(failures))
    notes.push(
      `${name}: ${Object.entries(f)
        .map(([c, n]) => `${n} ${c}`)
        .join(', ')} of ${bars.length} bars abstained${f.REPLAY_MISS ? ' (not in the cassette: record it first)' : ''}`,
    );
  const configured = Object.fromEntries(names.map((n) => [n, configuredWeight(cfg, n)]));
  if (new Set(Object.values(configured)).size === 1) notes.push('the configured weights are equal: frozen and equal are the same run');
  return { pair: series.pair.symbol, timeframe, providers: names, configured, bars: bars.length, cost: roundTripCost(cfg.costs), gateAlpha: app.feedback.memory.settings.gateAlpha, ...result, notes };
}
