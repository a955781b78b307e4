import { describeGaps, gridReport, type Gap } from '../core/grid-check.js';
import type { BacktestData } from './port.js';

/** Gaps in the bars a run traded over (warm-up left out), per pair. */
export interface RunGaps {
  pair: string;
  gaps: number;
  missingBars: number;
  longest: Gap | null;
}

export function runGaps(data: BacktestData): RunGaps[] {
  return data.pairs.map((p) => {
    const r = gridReport(p.bars.timestamp.subarray(p.first), data.timeframe, p.pair.assetClass);
    return { pair: p.pair.symbol, gaps: r.gaps, missingBars: r.missingBars, longest: r.longest };
  });
}

/** One note per pair whose bars have gaps: a backtest says what it ran over. */
export const gapNotes = (gaps: readonly RunGaps[]): string[] => gaps.filter((g) => g.gaps > 0).map((g) => `data gaps in ${g.pair}: ${describeGaps(g)} (see \`ffe data check ${g.pair}\`)`);
