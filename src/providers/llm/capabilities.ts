import type { AnalysisContext, DecideOptions, DecisionProvider, ProviderResult } from '../port.js';

/** What a provider would send for a context: the parts of the cassette key besides its name and model. */
export interface RequestFingerprint {
  /** Settings that change the answer (temperature, output format, prompt version...). */
  parameters: Record<string, unknown>;
  prompt: string;
}

/** Providers that can say what they would ask without asking it (LLM adapters and their decorators). */
export interface Fingerprinted {
  fingerprint(ctx: AnalysisContext): RequestFingerprint;
}

export interface ProbeResult {
  reachable: boolean;
  detail: string;
}

/** Providers with a cheap reachability check (no generation), for `ffe providers list`. */
export interface Probeable {
  probe(timeoutMs: number): Promise<ProbeResult>;
}

export const hasFingerprint = (p: DecisionProvider): p is DecisionProvider & Fingerprinted => typeof (p as Partial<Fingerprinted>).fingerprint === 'function';
export const isProbeable = (p: DecisionProvider): p is DecisionProvider & Probeable => typeof (p as Partial<Probeable>).probe === 'function';

/** Stable JSON (sorted keys) so equal values always give equal text. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));
}

/** The fingerprint of any provider: its own when it has one, else the whole context (rules and other pure providers). */
export const fingerprintOf = (p: DecisionProvider, ctx: AnalysisContext): RequestFingerprint => (hasFingerprint(p) ? p.fingerprint(ctx) : { parameters: {}, prompt: stableJson(ctx) });

/** Base of decorators: same name, kind and model; fingerprint and probe pass through. */
export abstract class ProviderDecorator implements DecisionProvider, Fingerprinted, Probeable {
  constructor(readonly inner: DecisionProvider) {}

  get name(): string {
    return this.inner.name;
  }

  get kind(): string {
    return this.inner.kind;
  }

  get model(): string | null {
    return this.inner.model;
  }

  fingerprint(ctx: AnalysisContext): RequestFingerprint {
    return fingerprintOf(this.inner, ctx);
  }

  probe(timeoutMs: number): Promise<ProbeResult> {
    return isProbeable(this.inner) ? this.inner.probe(timeoutMs) : Promise.resolve({ reachable: true, detail: 'no I/O' });
  }

  abstract decide(ctx: AnalysisContext, opts?: DecideOptions): Promise<ProviderResult>;
}
