/** What a label value may look like: a symbol, a configured name, a code. Anything else is not a bounded value. */
const SAFE = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,47}$/;

/** The value a label takes when the real one is not safe or the family is full. */
export const OTHER = 'other';

/**
 * Keeps one label's values bounded: the first `max` distinct safe values are used as they are,
 * anything after (or anything that looks like free text) is `other`. Pairs and provider names come
 * from the configuration, so the cap is only a guard against a caller analysing arbitrary symbols.
 */
export class LabelCap {
  private readonly seen = new Set<string>();

  constructor(private readonly max = 100) {}

  of(value: unknown): string {
    const v = typeof value === 'string' ? value : '';
    if (!SAFE.test(v)) return OTHER;
    if (this.seen.has(v)) return v;
    if (this.seen.size >= this.max) return OTHER;
    this.seen.add(v);
    return v;
  }
}

/** A reason code as the risk gate writes them (`VAR_LIMIT`), else `OTHER`. */
export const reasonCode = (v: unknown): string => (typeof v === 'string' && /^[A-Z][A-Z0-9_]{0,47}$/.test(v) ? v : 'OTHER');
