import type { RecommendationRecord } from '../store/port.js';

/** One provider's BUY/SELL vote on a measured recommendation, judged by the market move after costs. */
export interface RecommendationSample {
  provider: string;
  /** What following the vote would have earned from entry to the measured exit, minus the round-trip cost (fraction). */
  ret: number;
}

/** The recommendation sample the memory learns from, and how much one of them counts against one closed trade. */
export interface RecommendationEvidence {
  samples: readonly RecommendationSample[];
  /** 0 leaves the weights to closed trades alone. */
  factor: number;
}

export const NO_RECOMMENDATIONS: RecommendationEvidence = { samples: [], factor: 0 };

/** Round-trip cost of following a call: a fee and the fixed slippage on entry and on exit (config `costs`, as the paper venue and backtests charge). */
export const roundTripCost = (c: { fee: number; slippage: number }): number => 2 * (c.fee + c.slippage);

/**
 * Every provider's BUY/SELL vote on each measured recommendation, judged on the measured move
 * after costs. A HOLD vote abstains (as in the trade memory), an outcome without an exit price
 * (the data ended) teaches nothing, and a decision recommended to several users counts once:
 * the market judged it once.
 */
export function recommendationSamples(measured: readonly RecommendationRecord[], cost: number): RecommendationSample[] {
  const seen = new Set<string>();
  const out: RecommendationSample[] = [];
  for (const r of measured) {
    if (r.outcome.exitPrice === null || r.entry <= 0) continue;
    const key = r.decisionId ?? `${r.runId}:${r.pair}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const move = (r.outcome.exitPrice - r.entry) / r.entry;
    for (const v of r.votes) if (v.action !== 'HOLD') out.push({ provider: v.provider, ret: (v.action === 'BUY' ? move : -move) - cost });
  }
  return out;
}
