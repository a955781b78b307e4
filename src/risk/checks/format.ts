/** Fractions in messages: 0.0523 → "5.23%". */
export const pct = (f: number): string => `${(f * 100).toFixed(2)}%`;
