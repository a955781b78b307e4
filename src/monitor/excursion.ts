import type { TrackedPosition } from './types.js';

/** Move of `price` in the position's favour as a fraction of entry. */
export const favourable = (p: Pick<TrackedPosition, 'side' | 'entryPrice'>, price: number): number => ((p.side === 'long' ? 1 : -1) * (price - p.entryPrice)) / p.entryPrice;

/** Folds observed prices (a mark, or a bar's high and low) into the tracker's P&L, MFE and MAE. */
export function observe(p: TrackedPosition, prices: readonly number[], last: number, at: number): TrackedPosition {
  let { mfe, mae } = p;
  if (p.tracked) {
    for (const px of prices) {
      const f = favourable(p, px);
      if (f > mfe) mfe = f;
      if (f < mae) mae = f;
    }
  }
  const unrealizedPnl = favourable(p, last) * p.entryPrice * p.units;
  return { ...p, mfe, mae, lastPrice: last, unrealizedPnl, updatedAt: at };
}
