/**
 * Technical indicators (`finance-feedback-engine/indicators`).
 *
 * Batch functions take number[] or Float64Array and return a Float64Array of the same length
 * as the input, NaN where the indicator is still warming up. An optional last argument `into`
 * (a Float64Array, or one per output for MACD, Bollinger and ADX) receives the output instead of
 * fresh arrays, for callers that recompute often; Bollinger's %B / bandwidth and ADX's DIs are
 * computed only if `into` has buffers for them. They assume finite input; a NaN
 * propagates (Bollinger recovers once it leaves the window, SMA at most 1024 bars later, the
 * recursive ones never).
 *
 * Streaming classes produce exactly the batch numbers one bar at a time. `update` returns the
 * current value (NaN while warming up) and `value` repeats it; a non-finite input throws a
 * RangeError and leaves the state untouched, since it would otherwise poison every later value.
 *
 * A non-integer or < 1 period throws a RangeError naming the parameter; high/low/close arrays
 * of different lengths throw a RangeError.
 */
export { sma, SMA } from './sma.js';
export { ema, EMA } from './ema.js';
export { rsi, RSI } from './rsi.js';
export { macd, MACD, type MacdSeries, type MacdPoint } from './macd.js';
export { bollinger, BollingerBands, type BollingerSeries, type BollingerPoint, type BollingerInto } from './bollinger.js';
export { trueRange } from './true-range.js';
export { atr, ATR } from './atr.js';
export { adx, ADX, type AdxSeries, type AdxPoint, type AdxInto } from './adx.js';
export type { HighLowClose } from './validate.js';
export type { StreamingIndicator, CloseOrBar } from './streaming.js';
