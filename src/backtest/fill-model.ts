/** Most a single fill may slip from volume impact. */
export const MAX_IMPACT = 0.05;

/** Slippage fraction of one fill: fixed plus coefficient × units / bar volume, capped. */
export function slippage(fixed: number, impact: number, units: number, volume: number): number {
  return fixed + (volume > 0 ? Math.min((impact * Math.abs(units)) / volume, MAX_IMPACT) : 0);
}

export const EXIT_NONE = 0;
export const EXIT_STOP = 1;
export const EXIT_TARGET = 2;

/** Where an intrabar exit filled: written into a reused object so the hot loop allocates nothing. */
export interface ExitHit {
  kind: number;
  price: number;
}

/**
 * The conservative intrabar rule for a position with stop `sl` and target `tp`: a gap through
 * either fills at the open; otherwise a bar that reached both counts as stopped, since the path
 * inside the bar is unknown.
 */
export function intrabarExit(long: boolean, open: number, high: number, low: number, sl: number, tp: number, out: ExitHit): ExitHit {
  if (long ? open <= sl : open >= sl) return ((out.kind = EXIT_STOP), (out.price = open), out);
  if (long ? open >= tp : open <= tp) return ((out.kind = EXIT_TARGET), (out.price = open), out);
  if (long ? low <= sl : high >= sl) return ((out.kind = EXIT_STOP), (out.price = sl), out);
  if (long ? high >= tp : low <= tp) return ((out.kind = EXIT_TARGET), (out.price = tp), out);
  out.kind = EXIT_NONE;
  return out;
}
