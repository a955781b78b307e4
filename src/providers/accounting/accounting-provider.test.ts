import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeContext } from '../../../test/fakes/analysis-context.js';
import type { ProviderUsageRepository } from '../../store/port.js';
import { SqliteStore } from '../../store/sqlite/store.js';
import type { DecisionProvider, ProviderResult } from '../port.js';
import { AccountedProvider, type Budget } from './accounting-provider.js';

let store: SqliteStore;
let usage: ProviderUsageRepository;
beforeEach(async () => {
  store = await SqliteStore.open(':memory:');
  usage = store.providerUsage;
});
afterEach(() => store.close());

const scripted = (results: ProviderResult[]): DecisionProvider & { calls: number } => {
  const p = {
    name: 'gpt',
    kind: 'openai',
    model: 'm',
    calls: 0,
    decide: async () => results[Math.min(p.calls++, results.length - 1)],
  };
  return p;
};
const okResult = (tokens: number): ProviderResult => ({ ok: true, signal: { action: 'HOLD', confidence: 50, reasoning: 'r' }, latencyMs: 100, usage: { promptTokens: tokens, completionTokens: 10 } });
const bad: ProviderResult = { ok: false, code: 'HTTP', reason: 'HTTP 500', latencyMs: 40, usage: { promptTokens: 5, completionTokens: 0 } };
let now = Date.parse('2025-03-01T23:59:00Z');
const failures: string[] = [];
const accounted = (inner: DecisionProvider, budget: Budget = { dailyCalls: null, dailyTokens: null }) =>
  new AccountedProvider(inner, usage, budget, { now: () => now, onFailure: (name, f) => failures.push(`${name} ${f.code}`) });

describe('AccountedProvider', () => {
  it('counts calls, failures, latency and tokens per UTC day', async () => {
    const p = accounted(scripted([okResult(100), bad]));
    await p.decide(fakeContext());
    await p.decide(fakeContext());
    expect(await usage.get('gpt', '2025-03-01')).toEqual({ provider: 'gpt', day: '2025-03-01', calls: 2, failures: 1, promptTokens: 105, completionTokens: 10, latencyMsTotal: 140, lastFailure: 'HTTP: HTTP 500' });
    expect(failures).toEqual(['gpt HTTP']);
  });

  it('turns the provider off with BUDGET_EXHAUSTED once the daily call budget is spent, until the next UTC day', async () => {
    const inner = scripted([okResult(1)]);
    const p = accounted(inner, { dailyCalls: 2, dailyTokens: null });
    await p.decide(fakeContext());
    await p.decide(fakeContext());
    const r = await p.decide(fakeContext());
    expect(r).toMatchObject({ ok: false, code: 'BUDGET_EXHAUSTED', reason: 'daily call budget of 2 spent (2 calls on 2025-03-01 UTC; resets at 00:00 UTC)' });
    expect(inner.calls).toBe(2);
    expect(failures.at(-1)).toBe('gpt BUDGET_EXHAUSTED');
    now += 120_000;
    expect(await p.decide(fakeContext())).toMatchObject({ ok: true });
    expect(inner.calls).toBe(3);
  });

  it('stops on the token budget using the tokens the server reported', async () => {
    const inner = scripted([okResult(600)]);
    const p = accounted(inner, { dailyCalls: null, dailyTokens: 1000 });
    await p.decide(fakeContext());
    await p.decide(fakeContext());
    expect(await p.decide(fakeContext())).toMatchObject({ ok: false, code: 'BUDGET_EXHAUSTED', reason: expect.stringMatching(/^daily token budget of 1000 spent \(1220 tokens/) });
    expect(inner.calls).toBe(2);
  });
});
