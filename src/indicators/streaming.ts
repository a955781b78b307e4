/**
 * The one streaming interface every indicator implements (as the trading-signals library has it):
 * feed each closed bar or value with `update`, read the latest result with `getResult()`, and
 * ask `isStable` whether the warm-up is over (before it, results are NaN). The live pulse and
 * the backtest feed both compute through it.
 */
export interface StreamingIndicator<Input, Result> {
  update(input: Input): Result;
  getResult(): Result;
  readonly isStable: boolean;
}

/** What a close-based indicator accepts: the close itself or a bar that has one. */
export type CloseOrBar = number | { close: number };

export const closeOf = (x: CloseOrBar): number => (typeof x === 'number' ? x : x.close);
