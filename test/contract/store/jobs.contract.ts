import { describe, expect, it } from 'vitest';
import type { NewJob } from '../../../src/store/port.js';
import type { StoreContext } from './context.js';
import { T0 } from './records.js';

export const newJob = (id: string, o: Partial<NewJob> = {}): NewJob => ({ id, kind: 'backtest', params: { asset_pair: 'BTCUSD', nested: [1, 'two'] }, createdBy: 'user:alice', createdAt: T0, ...o });

/** Backtest jobs: every method, and the guarded transitions two processes may race on. */
export function jobsContract(ctx: StoreContext): void {
  describe('backtest jobs', () => {
    it('create / get round-trip: queued at progress 0, nothing started, finished or asked; unknown id → null', async () => {
      const s = await ctx.open();
      expect(await s.jobs.get('nope')).toBeNull();
      await s.jobs.create(newJob('j1'));
      expect(await s.jobs.get('j1')).toEqual({
        id: 'j1',
        kind: 'backtest',
        status: 'queued',
        progress: 0,
        params: { asset_pair: 'BTCUSD', nested: [1, 'two'] },
        result: null,
        error: null,
        createdBy: 'user:alice',
        createdAt: T0,
        startedAt: null,
        finishedAt: null,
        cancelRequested: false,
      });
      await expect(s.jobs.create(newJob('j1'))).rejects.toThrow();
    });

    it('list: newest first, limited, filtered by status; idsWithStatus oldest first', async () => {
      const s = await ctx.open();
      for (let i = 1; i <= 4; i++) await s.jobs.create(newJob(`j${i}`, { createdAt: T0 + i }));
      expect((await s.jobs.list({ limit: 10 })).map((j) => j.id)).toEqual(['j4', 'j3', 'j2', 'j1']);
      expect((await s.jobs.list({ limit: 2 })).map((j) => j.id)).toEqual(['j4', 'j3']);
      await s.jobs.start('j2', T0 + 10);
      await s.jobs.start('j3', T0 + 10);
      expect((await s.jobs.list({ limit: 10, status: 'running' })).map((j) => j.id)).toEqual(['j3', 'j2']);
      expect((await s.jobs.list({ limit: 10, status: 'succeeded' })).map((j) => j.id)).toEqual([]);
      expect(await s.jobs.idsWithStatus('running')).toEqual(['j2', 'j3']);
      expect(await s.jobs.idsWithStatus('queued')).toEqual(['j1', 'j4']);
    });

    it('start claims a queued job once; orRunning re-claims a running one (a re-delivery); an ended one never', async () => {
      const s = await ctx.open();
      await s.jobs.create(newJob('j1'));
      expect(await s.jobs.start('missing', T0)).toBe(false);
      expect(await s.jobs.start('j1', T0 + 5)).toBe(true);
      expect(await s.jobs.start('j1', T0 + 6)).toBe(false);
      expect(await s.jobs.get('j1')).toMatchObject({ status: 'running', startedAt: T0 + 5 });
      expect(await s.jobs.start('j1', T0 + 7, true)).toBe(true);
      expect((await s.jobs.get('j1'))?.startedAt).toBe(T0 + 7);
      await s.jobs.finish('j1', { status: 'failed', error: { code: 'X', message: 'm' }, at: T0 + 8 });
      expect(await s.jobs.start('j1', T0 + 9, true)).toBe(false);
    });

    it('progress only rises and only while running; it reports a cancel request', async () => {
      const s = await ctx.open();
      await s.jobs.create(newJob('j1'));
      expect(await s.jobs.progress('j1', 0.5)).toBeNull();
      expect((await s.jobs.get('j1'))?.progress).toBe(0);
      await s.jobs.start('j1', T0);
      expect(await s.jobs.progress('j1', 0.5)).toEqual({ cancelRequested: false });
      expect(await s.jobs.progress('j1', 0.25)).toEqual({ cancelRequested: false });
      expect((await s.jobs.get('j1'))?.progress).toBe(0.5);
      expect(await s.jobs.requestCancel('j1')).toBe(true);
      expect(await s.jobs.progress('j1', 0.75)).toEqual({ cancelRequested: true });
      expect(await s.jobs.get('j1')).toMatchObject({ progress: 0.75, cancelRequested: true, status: 'running' });
    });

    it('requestCancel only marks a running job', async () => {
      const s = await ctx.open();
      await s.jobs.create(newJob('j1'));
      expect(await s.jobs.requestCancel('j1')).toBe(false);
      expect(await s.jobs.requestCancel('missing')).toBe(false);
      expect((await s.jobs.get('j1'))?.cancelRequested).toBe(false);
    });

    it('finish: the first end wins; success sets progress 1 and the result, failure the error', async () => {
      const s = await ctx.open();
      await s.jobs.create(newJob('ok'));
      await s.jobs.start('ok', T0);
      expect(await s.jobs.finish('ok', { status: 'succeeded', result: { metrics: { sharpe: 1.5 }, trades: [] }, at: T0 + 1 })).toBe(true);
      expect(await s.jobs.finish('ok', { status: 'cancelled', at: T0 + 2 })).toBe(false);
      expect(await s.jobs.get('ok')).toMatchObject({ status: 'succeeded', progress: 1, result: { metrics: { sharpe: 1.5 }, trades: [] }, error: null, finishedAt: T0 + 1 });
      await s.jobs.create(newJob('bad'));
      await s.jobs.start('bad', T0);
      await s.jobs.progress('bad', 0.3);
      expect(await s.jobs.finish('bad', { status: 'failed', error: { code: 'RANGE_NO_DATA', message: 'no bars' }, at: T0 + 3 })).toBe(true);
      expect(await s.jobs.get('bad')).toMatchObject({ status: 'failed', progress: 0.3, result: null, error: { code: 'RANGE_NO_DATA', message: 'no bars' }, finishedAt: T0 + 3 });
      // A queued job can end without starting (cancelled before it ran).
      await s.jobs.create(newJob('q'));
      expect(await s.jobs.finish('q', { status: 'cancelled', at: T0 + 4 })).toBe(true);
      expect(await s.jobs.get('q')).toMatchObject({ status: 'cancelled', startedAt: null, finishedAt: T0 + 4 });
      expect(await s.jobs.finish('missing', { status: 'cancelled', at: T0 })).toBe(false);
    });

    it('two handles racing to claim or end one job: exactly one wins', async () => {
      const s = await ctx.open();
      const other = await ctx.other();
      if (!other) return;
      await s.jobs.create(newJob('j1'));
      const claims = await Promise.all([s.jobs.start('j1', T0), other.jobs.start('j1', T0)]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      const ends = await Promise.all([s.jobs.finish('j1', { status: 'succeeded', result: 1, at: T0 }), other.jobs.finish('j1', { status: 'cancelled', at: T0 })]);
      expect(ends.filter(Boolean)).toHaveLength(1);
    });
  });
}
