/** camelCase keys become snake_case on the wire; keys that are data (pairs like BTCUSD, provider names with dashes) stay. */
const CAMEL = /^[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*$/;
const snake = (k: string) => (CAMEL.test(k) ? k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase() : k);

/** A use case's answer as the API sends it: snake_case field names, dates as ISO strings. */
export function wire(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(wire);
  if (v instanceof Date) return v.toISOString();
  if (v !== null && typeof v === 'object') {
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [snake(k), wire(x)]));
  }
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}
