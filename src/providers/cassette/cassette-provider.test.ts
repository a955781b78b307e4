import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeContext } from '../../../test/fakes/analysis-context.js';
import type { CassetteRepository } from '../../store/port.js';
import { SqliteStore } from '../../store/sqlite/store.js';
import type { AnalysisContext, DecisionProvider, ProviderResult } from '../port.js';
import { RulesProvider } from '../rules/rules-provider.js';
import { CassetteProvider, cassetteKey, type CassetteMode } from './cassette-provider.js';

/** Counts calls; answers with a confidence that changes every call, so a replay is visible. */
class CountingProvider implements DecisionProvider {
  readonly kind = 'openai';
  readonly model = 'm1';
  calls = 0;
  constructor(
    readonly name = 'gpt',
    private readonly fail = false,
  ) {}
  fingerprint(ctx: AnalysisContext) {
    return { parameters: { temperature: 0 }, prompt: `price ${ctx.price}` };
  }
  async decide(): Promise<ProviderResult> {
    this.calls++;
    if (this.fail) return { ok: false, code: 'INVALID_OUTPUT', reason: `garbage #${this.calls}`, latencyMs: 12 };
    return { ok: true, signal: { action: 'BUY', confidence: 60 + this.calls, reasoning: `call ${this.calls}` }, latencyMs: 100 + this.calls, usage: { promptTokens: 10, completionTokens: 5 } };
  }
}

let store: SqliteStore;
let repo: CassetteRepository;
beforeEach(async () => {
  store = await SqliteStore.open(':memory:');
  repo = store.cassettes;
});
afterEach(() => store.close());

const wrap = (inner: DecisionProvider, mode: CassetteMode) => new CassetteProvider(inner, repo, mode, () => Date.parse('2025-01-02T03:04:05Z'));

describe('CassetteProvider', () => {
  it('record stores the answer; replay returns it bit for bit without calling the provider', async () => {
    const inner = new CountingProvider();
    const recorded = await wrap(inner, 'record').decide(fakeContext());
    expect(inner.calls).toBe(1);
    const entry = await repo.get(cassetteKey('gpt', 'm1', inner.fingerprint(fakeContext())));
    expect(entry).toMatchObject({ provider: 'gpt', model: 'm1', parameters: { temperature: 0 }, prompt: 'price 67512.25', recordedAt: '2025-01-02T03:04:05.000Z' });
    for (const mode of ['replay', 'strict'] as const) {
      const c = wrap(inner, mode);
      expect(await c.decide(fakeContext())).toEqual(recorded);
      expect(c.stats).toEqual({ hits: 1, misses: 0, recorded: 0 });
    }
    expect(inner.calls).toBe(1);
  });

  it('strict: a miss is a REPLAY_MISS failure and the provider is never asked', async () => {
    const inner = new CountingProvider();
    const r = await wrap(inner, 'strict').decide(fakeContext({ price: 1 }));
    expect(r).toMatchObject({ ok: false, code: 'REPLAY_MISS', latencyMs: 0 });
    expect(!r.ok && r.reason).toMatch(/^no recorded answer of gpt for this request \(cassette key [0-9a-f]{16}\)/);
    expect(inner.calls).toBe(0);
  });

  it('replay falls through to the provider on a miss and records the answer for next time', async () => {
    const inner = new CountingProvider();
    const c = wrap(inner, 'replay');
    const first = await c.decide(fakeContext({ price: 2 }));
    const second = await c.decide(fakeContext({ price: 2 }));
    expect(inner.calls).toBe(1);
    expect(second).toEqual(first);
    expect(c.stats).toEqual({ hits: 1, misses: 1, recorded: 1 });
  });

  it('record replaces an older recording; off neither reads nor writes', async () => {
    const inner = new CountingProvider();
    await wrap(inner, 'record').decide(fakeContext());
    const newer = await wrap(inner, 'record').decide(fakeContext());
    expect(await wrap(inner, 'strict').decide(fakeContext())).toEqual(newer);
    expect(await repo.count()).toBe(1);
    await wrap(inner, 'off').decide(fakeContext({ price: 3 }));
    expect(await repo.count()).toBe(1);
  });

  it('records answer-like failures (invalid output) but not a spent budget or a cancellation', async () => {
    const bad = new CountingProvider('bad', true);
    const r = await wrap(bad, 'record').decide(fakeContext());
    expect(await wrap(bad, 'strict').decide(fakeContext())).toEqual(r);
    const budget: DecisionProvider = { name: 'b', kind: 'openai', model: null, decide: async () => ({ ok: false, code: 'BUDGET_EXHAUSTED', reason: 'spent', latencyMs: 0 }) };
    await wrap(budget, 'record').decide(fakeContext());
    expect(await repo.count('b')).toBe(0);
  });

  it('keys differ by provider, model, parameters and prompt; providers without a fingerprint key on the context', () => {
    const fp = { parameters: { t: 0 }, prompt: 'p' };
    const k = cassetteKey('a', 'm', fp);
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set([k, cassetteKey('b', 'm', fp), cassetteKey('a', 'n', fp), cassetteKey('a', 'm', { ...fp, parameters: { t: 1 } }), cassetteKey('a', 'm', { ...fp, prompt: 'q' })]).size).toBe(5);
    const rules = wrap(new RulesProvider(), 'record');
    expect(rules.fingerprint(fakeContext()).prompt).toBe(rules.fingerprint(fakeContext()).prompt);
    expect(rules.fingerprint(fakeContext()).prompt).not.toBe(rules.fingerprint(fakeContext({ price: 5 })).prompt);
  });
});
