/** A fraction as a percentage string: 0.125 → "12.5%". */
export const pct = (f: number, digits = 1): string => `${(f * 100).toFixed(digits)}%`;
