import type { ParamSpec, Params } from './port.js';
import type { BacktestSettings } from './types.js';

export interface RiskParamSpec extends ParamSpec {
  setting: 'stopLoss' | 'takeProfit' | 'riskFraction';
  /** The flag or configuration key that sets it outside a search, for the "best" line. */
  reuse: string;
}

/**
 * Risk parameters every source can be searched over, each overriding one backtest setting per
 * trial. Unlike a strategy's parameters they are never filled in with a default: absent from a
 * parameter set, the run keeps its configured value (flags or config). `default` is documentation.
 */
export const RISK_PARAMS: readonly RiskParamSpec[] = [
  {
    name: 'stop_loss',
    setting: 'stopLoss',
    reuse: '--stop-loss',
    default: 0.02,
    min: 0.001,
    max: 0.5,
    integer: false,
    description: 'stop-loss distance as a fraction of the signal bar close (backtest.stop_anchor entry: of the entry fill)',
  },
  {
    name: 'take_profit',
    setting: 'takeProfit',
    reuse: '--take-profit',
    default: 0.05,
    min: 0.001,
    max: 1,
    integer: false,
    description: 'take-profit distance as a fraction of the signal bar close (backtest.stop_anchor entry: of the entry fill)',
  },
  { name: 'risk_fraction', setting: 'riskFraction', reuse: '--param', default: 0.01, min: 0.001, max: 0.1, integer: false, description: 'fraction of equity risked over the stop distance' },
];

export const riskParam = (name: string): RiskParamSpec | undefined => RISK_PARAMS.find((r) => r.name === name);

/** The strategy's own parameters of a combined set (the risk ones removed). */
export function strategyParams(p: Params): Params {
  let out: Params | null = null;
  for (const r of RISK_PARAMS) {
    if (!(r.name in p)) continue;
    out ??= { ...p };
    delete out[r.name];
  }
  return out ?? p;
}

/** `s` with the risk parameters of `p` applied; `s` itself when `p` has none (most trials of a strategy search). */
export function withRisk(s: BacktestSettings, p: Params): BacktestSettings {
  let out: BacktestSettings | null = null;
  for (const r of RISK_PARAMS) {
    const v = p[r.name];
    if (v === undefined) continue;
    out ??= { ...s };
    out[r.setting] = v;
    // A searched stop distance is the stop: it is not a fallback of the ATR rule.
    if (r.setting === 'stopLoss') out.stopRule = 'fixed';
  }
  return out ?? s;
}

const around = (spec: RiskParamSpec, v: number): number[] => [...new Set([v / 2, v, v * 2].map((x) => Number(Math.min(spec.max, Math.max(spec.min, x)).toPrecision(6))))];

/**
 * The default space of a source without parameters of its own (a provider): stop-loss and
 * take-profit at ½×, 1× and 2× their configured values, so the configured run is one of the
 * nine trials and the search says which way each distance should move.
 */
export function riskGrid(s: BacktestSettings): Record<string, { values: number[] }> {
  return { stop_loss: { values: around(RISK_PARAMS[0], s.stopLoss) }, take_profit: { values: around(RISK_PARAMS[1], s.takeProfit) } };
}

/** A parameter set as flags to reproduce it: `--param k=v` for the strategy's, the setting's own flag or key for risk ones. */
export function reuseText(p: Params): string {
  return Object.entries(p)
    .map(([k, v]) => {
      const r = riskParam(k);
      if (!r || r.reuse === '--param') return `--param ${k}=${v}`;
      return r.reuse.startsWith('--') ? `${r.reuse} ${v}` : `(${r.reuse}: ${v})`;
    })
    .join(' ');
}
