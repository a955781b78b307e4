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

/** A use case's answer as the JSON text the API sends. */
export const toJson = (v: unknown): string => JSON.stringify(wire(v));

/** An answer already rendered as JSON text: registerRoutes sends its text as it is. */
export class JsonText {
  constructor(readonly text: string) {}
}

/**
 * A shared snapshot's JSON text (the bot status): the snapshot keeps the text it rendered with
 * `toJson`, so an unchanged answer is converted and stringified once, not once per request.
 */
export const snapshotJson = (snapshot: { text(render: (value: unknown) => string): string }): JsonText => new JsonText(snapshot.text(toJson));
