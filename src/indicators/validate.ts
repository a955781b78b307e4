/** Input a bar-based streaming indicator consumes. Extra fields (open, volume, ...) are ignored. */
export interface HighLowClose {
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

export function assertPeriod(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be an integer >= 1, got ${String(value)}`);
  }
}

export function assertSameLength(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>): void {
  if (high.length !== low.length || high.length !== close.length) {
    throw new RangeError(`high, low and close must have the same length, got ${high.length}, ${low.length} and ${close.length}`);
  }
}

/**
 * Streaming state is recursive, so one NaN tick would silently poison every later value.
 * Rejecting it before any state changes lets the caller skip the tick and carry on.
 */
export function assertFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${String(value)}`);
}

export function assertFiniteBar(bar: HighLowClose): void {
  assertFinite('high', bar.high);
  assertFinite('low', bar.low);
  assertFinite('close', bar.close);
}

/**
 * Hot loops only ever see Float64Array, so V8 keeps their element access monomorphic whether the
 * caller passed a typed array, a packed number[] or a holey one. Callers holding number[] pay one
 * copy per call (about one extra pass); Float64Array columns, as the engine keeps them, pay none.
 */
export function toFloat64(values: ArrayLike<number>): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}

/** A same-length output with the first `warmUp` slots marked as "no value yet". */
export function nanPrefixed(length: number, warmUp: number): Float64Array {
  const out = new Float64Array(length);
  out.fill(Number.NaN, 0, Math.min(length, warmUp));
  return out;
}

/**
 * The output a batch function writes: the caller's buffer when one is given (so a caller that
 * recomputes every bar or every run reuses memory instead of allocating, and faulting in, fresh
 * arrays), else a new one. Either way the first `warmUp` slots are NaN.
 */
export function outputFor(name: string, out: Float64Array | undefined, length: number, warmUp: number): Float64Array {
  if (out === undefined) return nanPrefixed(length, warmUp);
  if (out.length !== length) throw new RangeError(`${name} must have the input's length ${length}, got ${out.length}`);
  out.fill(Number.NaN, 0, Math.min(length, warmUp));
  return out;
}
