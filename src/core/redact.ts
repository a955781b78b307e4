/**
 * The one redaction module: every text or value that leaves the process (stdout, stderr, logs,
 * error messages, stored records) goes through these. Keep it the only copy — two earlier bugs
 * were each fixed in one of four copies.
 */

export const MASK = '***';

/** Shorter values are not treated as secrets: masking "1" or "abc" would shred ordinary text. */
export const MIN_SECRET_LENGTH = 4;

/** Every form a secret travels in: as is, URL-encoded (query strings), JSON-escaped (PEM keys inside JSON bodies). */
function forms(secret: string): string[] {
  const out = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  return [...out].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/** Replaces every occurrence of every secret (in any of its forms) with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  const all = secrets.filter((s) => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH).flatMap(forms);
  // Longest first, so a secret that contains another is masked whole.
  all.sort((a, b) => b.length - a.length);
  let out = text;
  for (const f of all) if (out.includes(f)) out = out.split(f).join(MASK);
  return out;
}

/** A deep copy of a plain value (objects, arrays, strings) with every string redacted. */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === 'string') return redact(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, secrets)])) as T;
  }
  return value;
}

/** A short single-line excerpt of some text (a response body, stderr) for an error message. */
export function excerpt(text: string, max = 300): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

/** Redacts first, then cuts: cutting first can leave part of a key that no longer matches. */
export const safeExcerpt = (text: string, secrets: readonly string[], max = 300): string => excerpt(redact(text, secrets), max);

/**
 * The secrets known to this process, for output paths that have no config at hand (the CLI's
 * printers and error reporter). Adding is idempotent; values shorter than 4 are ignored.
 */
export class SecretRegistry {
  readonly #values = new Set<string>();

  add(values: Iterable<string>): void {
    for (const v of values) if (typeof v === 'string' && v.length >= MIN_SECRET_LENGTH) this.#values.add(v);
  }

  get values(): readonly string[] {
    return [...this.#values];
  }

  redact(text: string): string {
    return this.#values.size ? redact(text, this.values) : text;
  }
}
