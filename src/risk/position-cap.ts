import type { RiskConfig } from './types.js';

/**
 * Largest entry, as a fraction of equity, that sizing proposes: inside the concentration limit
 * with room for slippage and the price moving to the fill, so the gate is not asked to refuse
 * what sizing could have fitted. The agent and the backtester both size with it.
 */
export const positionCapFraction = (limits: Pick<RiskConfig, 'max_concentration'>): number => limits.max_concentration * 0.95;
