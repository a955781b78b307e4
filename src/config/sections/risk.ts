import { z } from 'zod';
import { field, fraction } from '../meta.js';

const onOff = (what: string) => field(z.boolean().default(true), { description: `run the ${what} check` });

/**
 * Risk gate limits. Every ratio is a fraction (0.05 = 5 %) of account equity unless stated;
 * volatility is the daily ATR as a fraction of price.
 */
export const riskSection = z.strictObject({
  max_drawdown: fraction(0.05, 'largest fall of equity from its peak (over drawdown_lookback_days) at which new entries are refused'),
  drawdown_lookback_days: field(z.number().int().min(1).default(30), { description: 'days of equity snapshots searched for the equity peak' }),
  max_daily_loss: fraction(0.03, "largest loss since the trading day's opening equity (day: midnight in agent.timezone) at which new entries are refused"),
  var_limit: fraction(0.05, 'largest one-day historical Value at Risk of the portfolio after the trade'),
  var_confidence: field(z.number().gt(0.5).lt(1).default(0.95), { description: 'confidence level of the VaR (0.95 = 95 %)' }),
  var_lookback_days: field(z.number().int().min(10).max(1000).default(60), { description: 'daily returns used for VaR and correlation' }),
  min_history_days: field(z.number().int().min(5).default(30), {
    description: 'fewest daily returns VaR and correlation accept; with less history the trade is refused (never waved through)',
  }),
  correlation_threshold: fraction(0.7, '|Pearson ρ| of daily returns at or above which two assets count as correlated'),
  max_correlated_positions: field(z.number().int().min(1).default(2), {
    description: 'most open positions (the new one included) that may be mutually correlated at or above the threshold',
  }),
  max_concentration: fraction(0.25, 'largest share of equity in one asset after the trade'),
  max_leverage: field(z.number().min(0).default(1), { description: 'largest gross exposure after the trade as a multiple of equity (1 = no leverage)' }),
  high_volatility_atr: fraction(0.04, 'daily ATR fraction at or above which the market counts as highly volatile'),
  min_confidence_when_volatile: fraction(0.8, 'least decision confidence (0.8 = 80) needed to enter a highly volatile market'),
  max_decision_age_minutes: field(z.number().positive().default(60), {
    description: "oldest a decision may be (its data time against the market's now) and still be executed",
  }),
  checks: z
    .strictObject({
      market_hours: onOff('market closed'),
      stale_data: onOff('stale data / decision age'),
      drawdown: onOff('max drawdown'),
      daily_loss: onOff('max daily loss'),
      var: onOff('portfolio VaR'),
      correlation: onOff('correlation'),
      concentration: onOff('position concentration'),
      leverage: onOff('leverage'),
      volatility: onOff('volatility / confidence'),
    })
    .prefault({}),
});

export const executionSection = z.strictObject({
  allow_degraded: field(z.boolean().default(false), {
    description: 'execute decisions marked degraded (the requested provider failed and a fallback answered)',
  }),
  settle_attempts: field(z.number().int().min(1).default(3), {
    description: 'times an order with an unknown outcome is looked up by client order id before it is left UNKNOWN for reconcile',
  }),
  settle_interval_ms: field(z.number().int().min(0).default(1000), { description: 'wait between those look-ups' }),
  unknown_grace_seconds: field(z.number().min(0).default(30), {
    description: 'age after which reconcile settles an order the venue has never seen as not received (younger ones may still be in flight)',
  }),
});

export const circuitBreakerSection = z.strictObject({
  failure_threshold: field(z.number().int().min(1).default(3), { description: 'consecutive failures that open a circuit (venues, data sources)' }),
  open_seconds: field(z.number().min(0).default(60), { description: 'how long an open circuit refuses calls before one probe is let through' }),
});
