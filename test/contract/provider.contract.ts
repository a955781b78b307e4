import { afterEach, describe, expect, it } from 'vitest';
import type { DecisionProvider } from '../../src/providers/port.js';
import { fakeContext } from '../fakes/analysis-context.js';
import type { FakeLlmServer } from '../fakes/llm-server.js';

/** How the fake behind a provider misbehaves on its next answers. */
export type ProviderFault =
  /** An answer that is not a decision. */
  | 'malformed'
  /** A decision with an object nested 5,000 deep in it (DEEP_ANSWER). */
  | 'deep'
  /** Never answers. */
  | 'hang'
  /** The backend fails: HTTP 500 from a server, a non-zero exit from a command. */
  | 'failure'
  /** A reply far past the size cap. */
  | 'huge';

/** One provider under test, fresh per test. */
export interface ProviderHarness {
  provider: DecisionProvider;
  /** The loopback fake behind an HTTP provider (absent for providers that need no server). */
  server?: FakeLlmServer;
  /** Makes the fake behind the provider (a loopback server, a fake command) misbehave. */
  fault?(f: ProviderFault): void;
  /** The decision the fake's good answer carries. */
  expected?: { action: string; confidence: number };
  /** Secrets the provider was configured with: they must never show in a failure reason. */
  secrets?: string[];
  close(): Promise<void>;
}

export interface ProviderContractOptions {
  /** The harness has a fake behind it (`fault`) that can misbehave on demand. */
  faults?: boolean;
  /** The provider sends a key to a fake server (the harness lists it in `secrets`). */
  keyed?: boolean;
}

/** The faults of a fake model server, as its options say them. */
export function serverFaults(server: FakeLlmServer): (f: ProviderFault) => void {
  return (f) => {
    if (f === 'deep') server.options.answer = DEEP_ANSWER;
    else server.options.mode = f === 'failure' ? 'http500' : f;
  };
}

/** A decision answer with an object nested 5,000 deep in it, as a hostile or broken model might send. */
export const DEEP_ANSWER = `{"decision": ${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;

/**
 * What every DecisionProvider promises, whatever is behind it: a valid answer is a decision; a
 * bad, late, failed or oversized answer is a typed failure (never a HOLD vote, never a throw),
 * and no failure reason carries a configured secret. `providerContract('openai', makeHarness, { faults: true })`.
 */
export function providerContract(name: string, make: () => Promise<ProviderHarness>, opts: ProviderContractOptions = {}): void {
  describe(`Provider contract: ${name}`, () => {
    let h: ProviderHarness | null = null;
    const harness = async () => (h = await make());
    afterEach(async () => {
      await h?.close();
      h = null;
    });
    const noSecrets = (x: ProviderHarness, text: string) => {
      for (const s of x.secrets ?? []) expect(text).not.toContain(s);
    };

    it('turns a valid answer into a decision: action, confidence 0–100 and reasoning', async () => {
      const x = await harness();
      const r = await x.provider.decide(fakeContext());
      expect(r.ok, r.ok ? '' : `${r.code}: ${r.reason}`).toBe(true);
      if (!r.ok) return;
      expect(['BUY', 'SELL', 'HOLD']).toContain(r.signal.action);
      expect(r.signal.confidence).toBeGreaterThanOrEqual(0);
      expect(r.signal.confidence).toBeLessThanOrEqual(100);
      expect(r.signal.reasoning.length).toBeGreaterThan(0);
      expect(r.latencyMs).toBeGreaterThanOrEqual(0);
      if (x.expected) expect(r.signal).toMatchObject(x.expected);
    });

    if (!opts.faults) return;

    it('reports an answer that is not a decision as INVALID_OUTPUT', async () => {
      const x = await harness();
      x.fault!('malformed');
      const r = await x.provider.decide(fakeContext());
      expect(r).toMatchObject({ ok: false, code: 'INVALID_OUTPUT' });
    });

    it('reports a 5,000-deep nested answer as INVALID_OUTPUT, not ERROR', async () => {
      const x = await harness();
      x.fault!('deep');
      const r = await x.provider.decide(fakeContext());
      expect(r).toMatchObject({ ok: false, code: 'INVALID_OUTPUT' });
    });

    it('times out a backend that never answers as TIMEOUT, at its deadline', async () => {
      const x = await harness();
      x.fault!('hang');
      const r = await x.provider.decide(fakeContext());
      expect(r).toMatchObject({ ok: false, code: 'TIMEOUT' });
      expect(r.latencyMs).toBeLessThan(10_000);
    });

    it('reports a failing backend with its status: HTTP 500 from a server as HTTP, a non-zero exit of a command as ERROR', async () => {
      const x = await harness();
      x.fault!('failure');
      const r = await x.provider.decide(fakeContext());
      expect(r).toMatchObject({ ok: false, code: x.server ? 'HTTP' : 'ERROR' });
      if (!r.ok) expect(r.reason).toMatch(x.server ? /HTTP 500/ : /exited with code \d+/);
    });

    it('stops reading a reply past the size cap (1 MiB by default) as INVALID_OUTPUT', async () => {
      const x = await harness();
      x.fault!('huge');
      const r = await x.provider.decide(fakeContext());
      expect(r).toMatchObject({ ok: false, code: 'INVALID_OUTPUT' });
      if (!r.ok) expect(r.reason).toMatch(/more than \d+ bytes/);
    });

    if (!opts.keyed) return;

    it('never puts a secret in a failure reason, even when the server echoes it back', async () => {
      const x = await harness();
      expect(x.secrets?.length).toBeGreaterThan(0);
      expect(x.server, 'keyed harnesses sit behind a fake server').toBeDefined();
      x.server!.options.mode = 'echo-auth';
      const r = await x.provider.decide(fakeContext());
      expect(r.ok).toBe(false);
      if (!r.ok) noSecrets(x, r.reason);
      // The key did travel: the server saw it (so the check above is not vacuous).
      expect(JSON.stringify(x.server!.generations.at(-1)!.headers)).toContain(x.secrets![0]);
    });
  });
}
