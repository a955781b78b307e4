import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/port.js';
import type { StoreContext } from './context.js';
import { cassette, T0 } from './records.js';

const ok = { ok: true, latencyMs: 100, promptTokens: 10, completionTokens: 5 };

export function providerRecordsContract(ctx: StoreContext): void {
  describe('provider cassette', () => {
    it('put / get round-trip; put with the same key replaces the whole entry; count per provider', async () => {
      const s = await ctx.open();
      expect(await s.cassettes.get('k1')).toBeNull();
      expect(await s.cassettes.count()).toBe(0);
      const a = cassette('k1');
      const failed = cassette('k2', { provider: 'gpt', model: null, result: { ok: false, code: 'TIMEOUT', reason: 'no answer in 120 s', latencyMs: 120_000 } });
      await s.cassettes.put(a);
      await s.cassettes.put(failed);
      expect(await s.cassettes.get('k1')).toEqual(a);
      expect(await s.cassettes.get('k2')).toEqual(failed);
      expect(await s.cassettes.count()).toBe(2);
      expect(await s.cassettes.count('gpt')).toBe(1);
      expect(await s.cassettes.count('nobody')).toBe(0);
      const replaced = cassette('k1', { provider: 'gpt', model: 'gpt-4o', prompt: 'other', parameters: {}, recordedAt: new Date(T0 + 1).toISOString() });
      await s.cassettes.put(replaced);
      expect(await s.cassettes.get('k1')).toEqual(replaced);
      expect(await s.cassettes.count()).toBe(2);
      expect(await s.cassettes.count('gpt')).toBe(2);
      expect(await s.cassettes.count('llama')).toBe(0);
    });
  });

  describe('provider usage', () => {
    it('add() accumulates one provider-day; failures count and keep the latest failure, which a success does not erase', async () => {
      const s = await ctx.open();
      expect(await s.providerUsage.get('llama', '2024-01-01')).toBeNull();
      await s.providerUsage.add('llama', '2024-01-01', ok);
      await s.providerUsage.add('llama', '2024-01-01', { ok: false, latencyMs: 50, promptTokens: 3, completionTokens: 0, failure: 'TIMEOUT: slow' });
      await s.providerUsage.add('llama', '2024-01-01', { ok: false, latencyMs: 7, promptTokens: 0, completionTokens: 0 });
      await s.providerUsage.add('llama', '2024-01-01', ok);
      expect(await s.providerUsage.get('llama', '2024-01-01')).toEqual({
        provider: 'llama',
        day: '2024-01-01',
        calls: 4,
        failures: 2,
        promptTokens: 23,
        completionTokens: 10,
        latencyMsTotal: 257,
        lastFailure: 'failed',
      });
    });

    it("days and providers are separate; list(day) gives that day's providers by name", async () => {
      const s = await ctx.open();
      await s.providerUsage.add('rules', '2024-01-01', ok);
      await s.providerUsage.add('gpt', '2024-01-01', ok);
      await s.providerUsage.add('gpt', '2024-01-02', ok);
      expect((await s.providerUsage.list('2024-01-01')).map((u) => [u.provider, u.calls])).toEqual([
        ['gpt', 1],
        ['rules', 1],
      ]);
      expect((await s.providerUsage.list('2024-01-02')).map((u) => u.provider)).toEqual(['gpt']);
      expect(await s.providerUsage.list('2030-01-01')).toEqual([]);
      expect((await s.providerUsage.get('gpt', '2024-01-01'))?.lastFailure).toBeNull();
    });

    it('concurrent adds from two handles are all counted (atomic increments)', async () => {
      const s = await ctx.open();
      const other = (await ctx.other()) ?? s;
      const writers: Store[] = [s, other];
      await Promise.all(Array.from({ length: 40 }, (_, i) => writers[i % 2].providerUsage.add('llama', '2024-01-01', { ...ok, promptTokens: 1, completionTokens: 2, latencyMs: 3 })));
      expect(await s.providerUsage.get('llama', '2024-01-01')).toMatchObject({ calls: 40, failures: 0, promptTokens: 40, completionTokens: 80, latencyMsTotal: 120 });
    });
  });

  describe('backtest job results', () => {
    it('save / list per run, by job id; a re-delivered job replaces its own result', async () => {
      const s = await ctx.open();
      expect(await s.backtestResults.list('run1')).toEqual([]);
      const r = (jobId: string, o: object = {}) => ({ runId: 'run1', jobId, kind: 'window', worker: 'w1', finishedAt: T0 + 123, result: { trades: 3, curve: [1, 2.5], ok: true }, ...o });
      await s.backtestResults.save(r('j2'));
      await s.backtestResults.save(r('j1', { result: null }));
      await s.backtestResults.save({ ...r('j1'), runId: 'run2' });
      await s.backtestResults.save(r('j2', { worker: 'w2', finishedAt: T0 + 999, result: { trades: 4 } }));
      expect(await s.backtestResults.list('run1')).toEqual([r('j1', { result: null }), r('j2', { worker: 'w2', finishedAt: T0 + 999, result: { trades: 4 } })]);
      expect((await s.backtestResults.list('run2')).map((x) => x.jobId)).toEqual(['j1']);
    });
  });
}
