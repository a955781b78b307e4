/** Small readers for venue JSON, where every field may be missing or of another type. */
export type Json = Record<string, unknown>;

export const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
export const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

/** RFC3339 with any number of fractional digits → ms (Date.parse only reliably reads three); 0 when unreadable. */
export const parseTime = (t: unknown): number => {
  if (typeof t !== 'string') return 0;
  const ms = Date.parse(t.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isFinite(ms) ? ms : 0;
};
