import type { Config } from '../config/schema.js';
import type { TradePolicy } from '../core/policy.js';
import { positionCapFraction } from '../risk/position-cap.js';

/**
 * The trade policy from its one home, the `sizing` section. Entries are capped inside the risk
 * gate's concentration limit, so sizing never proposes what the gate would refuse for its size.
 */
export function tradePolicy(cfg: Config): TradePolicy {
  const s = cfg.sizing;
  return {
    riskFraction: s.risk_fraction,
    stopRule: s.stop_rule,
    stopLoss: s.stop_loss,
    atrMultiplier: s.atr_multiplier,
    minStopFraction: s.min_stop_fraction,
    maxStopFraction: s.max_stop_fraction,
    takeProfit: s.take_profit,
    maxPositionFraction: positionCapFraction(cfg.risk),
  };
}

/** Fees and slippage from their one home, the `costs` section (paper venue and backtests alike). */
export const tradingCosts = (cfg: Config): { feeRate: number; slippageRate: number } => ({ feeRate: cfg.costs.fee, slippageRate: cfg.costs.slippage });
