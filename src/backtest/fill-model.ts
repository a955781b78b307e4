/** Most a single fill may slip from volume impact. */
export const MAX_IMPACT = 0.05;

/** Slippage fraction of one fill: fixed plus coefficient × units / bar volume, capped. */
export function slippage(fixed: number, impact: number, units: number, volume: number): number {
  return fixed + (volume > 0 ? Math.min((impact * Math.abs(units)) / volume, MAX_IMPACT) : 0);
}

// The intrabar stop / target / limit rule is core's (core/fill-rule.ts), shared with the paper venue.
