import { describe, expect, it } from 'vitest';
import type { AnalysisContext, DecisionProvider, ProviderResult } from './port.js';
import { observedProvider } from './observed.js';

const ctx = { pair: { symbol: 'ETHUSD' } } as AnalysisContext;
const fake = (decide: () => Promise<ProviderResult>): DecisionProvider => ({ name: 'llama', kind: 'ollama', model: 'llama3', decide });

describe('observedProvider', () => {
  it('reports name, pair, time and ok; passes the answer on unchanged', async () => {
    const calls: { provider: string; pair: string; ms: number; status: string }[] = [];
    const answer = { ok: true, signal: { action: 'HOLD' }, latencyMs: 5 } as unknown as ProviderResult;
    const p = observedProvider(
      fake(async () => answer),
      (c) => calls.push(c),
    );
    expect(p.name).toBe('llama');
    expect(p.model).toBe('llama3');
    expect(await p.decide(ctx)).toBe(answer);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ provider: 'llama', pair: 'ETHUSD', status: 'ok' });
    expect(calls[0].ms).toBeGreaterThanOrEqual(0);
  });

  it('a typed failure is its code in lower case; a throw is `error` and reaches the caller', async () => {
    const calls: string[] = [];
    const failing = observedProvider(
      fake(async () => ({ ok: false, code: 'INVALID_OUTPUT', reason: 'not JSON', latencyMs: 1 })),
      (c) => calls.push(c.status),
    );
    expect((await failing.decide(ctx)).ok).toBe(false);
    const throwing = observedProvider(
      fake(async () => {
        throw new Error('bug');
      }),
      (c) => calls.push(c.status),
    );
    await expect(throwing.decide(ctx)).rejects.toThrow('bug');
    expect(calls).toEqual(['invalid_output', 'error']);
  });
});
