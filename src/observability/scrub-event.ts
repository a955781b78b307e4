import { MASK, redact, redactDeep } from '../core/redact.js';

/**
 * Things that look like credentials whatever their source, masked on top of the configured
 * secrets: FFE API keys, OpenAI/Anthropic-style `sk-` keys, bearer tokens, JWTs, and the value
 * of any key/token/secret/password parameter in a URL, header or JSON-ish text.
 */
const KEY_SHAPED: RegExp[] = [
  /\bffe_[A-Za-z0-9]{8}_[A-Za-z0-9]{32,}\b/g,
  /\bsk-[A-Za-z0-9_-]{16,}/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g,
  /(\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /((?:api[_-]?key|apikey|token|secret|password|passphrase|access[_-]?key)["']?\s*[:=]\s*["']?)[^\s"'&,;}]{4,}/gi,
];

export function maskKeyShaped(text: string): string {
  let out = text;
  for (const re of KEY_SHAPED) out = out.replace(re, (m, prefix?: string) => (typeof prefix === 'string' && m.startsWith(prefix) ? `${prefix}${MASK}` : MASK));
  return out;
}

/** A deep copy of an outgoing event (any JSON-like value) without configured secrets or key-shaped strings. */
export function scrubEvent<T>(event: T, secrets: readonly string[]): T {
  const masked = redactDeep(event, secrets);
  return mapStrings(masked, (s) => maskKeyShaped(redact(s, secrets)));
}

function mapStrings<T>(value: T, f: (s: string) => string): T {
  if (typeof value === 'string') return f(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f)) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)])) as T;
  return value;
}
