import { MASK, redact } from '../../core/redact.js';

/** Longest string kept whole in an audit entry; longer ones are cut (a huge body must not bloat the log). */
export const MAX_STRING = 1000;
const MAX_ITEMS = 100;
const MAX_DEPTH = 8;

/** Words of a key: `apiKey`, `api_key`, `API-KEY` → ['api', 'key']. */
const words = (key: string) =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

const SECRET_WORDS = new Set(['password', 'passwd', 'passphrase', 'pwd', 'token', 'secret', 'authorization', 'totp', 'otp', 'mfa', 'cookie', 'credential', 'credentials', 'pin', 'signature']);

/**
 * The verdicts of keys seen before: an agent replay audits ~50,000 entries a year with the same
 * handful of keys, and splitting a key into words (two regular expressions) was most of an
 * entry's redaction. Bounded: keys from requests are not under our control.
 */
const verdicts = new Map<string, boolean>();
const MAX_VERDICTS = 4096;

/** Keys whose value is a secret whatever it is: passwords, tokens, API keys, TOTP codes, authorization headers. */
export function isSecretKey(key: string): boolean {
  let v = verdicts.get(key);
  if (v === undefined) {
    v = secretKey(key);
    if (verdicts.size < MAX_VERDICTS) verdicts.set(key, v);
  }
  return v;
}

function secretKey(key: string): boolean {
  const w = words(key);
  if (w.some((x) => SECRET_WORDS.has(x))) return true;
  const last = w[w.length - 1];
  // `key`, `api_key`, `private_key`...; an idempotency key is a request id, not a credential.
  if (last === 'key' && !w.includes('idempotency')) return true;
  // A bare `code` is what a TOTP or login form sends; `error_code`, `exit_code` are not secrets.
  return w.length === 1 && last === 'code';
}

function clean(v: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof v === 'string') {
    const r = redact(v, secrets);
    return r.length > MAX_STRING ? `${r.slice(0, MAX_STRING)}…(+${r.length - MAX_STRING} chars)` : r;
  }
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'boolean' || v === null) return v;
  if (typeof v === 'bigint') return v.toString();
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return undefined;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (v instanceof Error) return redact(v.message, secrets).slice(0, MAX_STRING);
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(v)) {
    const out = v.slice(0, MAX_ITEMS).map((x) => clean(x, secrets, depth + 1) ?? null);
    if (v.length > MAX_ITEMS) out.push(`…(+${v.length - MAX_ITEMS} items)`);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x === undefined) continue;
    out[redact(k, secrets)] = isSecretKey(k) ? MASK : clean(x, secrets, depth + 1);
  }
  return out;
}

/** Audit parameters as stored: plain JSON, secret keys masked, configured secrets masked wherever they appear, huge strings and arrays cut. */
export function auditParams(params: Record<string, unknown> | undefined, secrets: readonly string[]): Record<string, unknown> {
  return (clean(params ?? {}, secrets, 0) as Record<string, unknown>) ?? {};
}
