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

  it('a provider that answers without a promise (decideNow) still does, reported as decide is; one without gets none', () => {
    const calls: string[] = [];
    const answer = { ok: true, signal: { action: 'BUY' }, latencyMs: 0 } as unknown as ProviderResult;
    const inner = { ...fake(() => Promise.reject(new Error('decide asked'))), decideNow: () => answer };
    const p = observedProvider(inner, (c) => calls.push(`${c.pair} ${c.status}`)) as DecisionProvider & { decideNow?: (c: AnalysisContext) => ProviderResult };
    expect(p.decideNow?.(ctx)).toBe(answer);
    const refusing = { ...inner, decideNow: (): ProviderResult => ({ ok: false, code: 'INVALID_OUTPUT', reason: 'none', latencyMs: 0 }) };
    const failing = observedProvider(refusing, (c) => calls.push(c.status)) as typeof p;
    expect(failing.decideNow?.(ctx).ok).toBe(false);
    expect(calls).toEqual(['ETHUSD ok', 'invalid_output']);
    expect(
      'decideNow' in
        observedProvider(
          fake(async () => answer),
          () => undefined,
        ),
    ).toBe(false);
  });
});
