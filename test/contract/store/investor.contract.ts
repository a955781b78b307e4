import { describe, expect, it } from 'vitest';
import type { RecommendationRecord, WatchlistRecord } from '../../../src/store/port.js';
import type { StoreContext } from './context.js';
import { T0 } from './records.js';

export const watchlistRecord = (id: string, o: Partial<WatchlistRecord> = {}): WatchlistRecord => ({
  id,
  owner: 'user:alice',
  name: `list ${id}`,
  pairs: ['BTCUSD', 'EURUSD'],
  createdAt: T0,
  updatedAt: T0,
  ...o,
});

export const recommendationRecord = (id: string, o: Partial<RecommendationRecord> = {}): RecommendationRecord => ({
  id,
  runId: 'run1',
  owner: 'user:alice',
  pair: 'BTCUSD',
  createdAt: T0,
  action: 'BUY',
  confidence: 70,
  horizonDays: 5,
  horizonEndsAt: T0 + 5 * 86_400_000,
  barTime: T0 - 86_400_000,
  entry: 100.5,
  stop: 98,
  target: 105.25,
  reasoning: 'trend up',
  votes: [{ provider: 'rules', action: 'BUY', confidence: 70 }],
  disclosure: 'not advice',
  decisionId: 'd1',
  feedback: null,
  outcome: { status: 'pending', exitPrice: null, returnAfterCosts: null, correct: null, measuredAt: null },
  ...o,
});

/** Watchlists, recommendation runs, recommendations and consents: every method, owner scoping included. */
export function investorContract(ctx: StoreContext): void {
  describe('investor platform', () => {
    it('watchlists: round-trip, names unique per owner, owner-scoped reads, updates and deletes', async () => {
      const s = await ctx.open();
      expect(await s.investor.addWatchlist(watchlistRecord('w1'))).toBe(true);
      expect(await s.investor.addWatchlist(watchlistRecord('w2', { name: 'list w1' }))).toBe(false);
      expect(await s.investor.addWatchlist(watchlistRecord('w3', { owner: 'user:bob', name: 'list w1', pairs: ['SPY', 'BTCUSD'] }))).toBe(true);
      expect(await s.investor.watchlist('user:alice', 'w1')).toEqual(watchlistRecord('w1'));
      expect(await s.investor.watchlist('user:bob', 'w1')).toBeNull();
      expect((await s.investor.watchlists('user:alice')).map((w) => w.id)).toEqual(['w1']);
      expect(await s.investor.updateWatchlist('user:bob', 'w1', { name: 'x' }, T0 + 1)).toBe(false);
      expect(await s.investor.addWatchlist(watchlistRecord('w4', { name: 'other', createdAt: T0 + 2 }))).toBe(true);
      expect(await s.investor.updateWatchlist('user:alice', 'w4', { name: 'list w1' }, T0 + 3)).toBe(false);
      expect(await s.investor.updateWatchlist('user:alice', 'w4', { pairs: ['ETHUSD'] }, T0 + 3)).toBe(true);
      expect(await s.investor.watchlist('user:alice', 'w4')).toMatchObject({ name: 'other', pairs: ['ETHUSD'], updatedAt: T0 + 3 });
      expect(await s.investor.watchedPairs()).toEqual([
        { pair: 'BTCUSD', owners: ['user:alice', 'user:bob'] },
        { pair: 'ETHUSD', owners: ['user:alice'] },
        { pair: 'EURUSD', owners: ['user:alice'] },
        { pair: 'SPY', owners: ['user:bob'] },
      ]);
      expect(await s.investor.deleteWatchlist('user:bob', 'w4')).toBe(false);
      expect(await s.investor.deleteWatchlist('user:alice', 'w4')).toBe(true);
      expect(await s.investor.deleteWatchlists('user:alice')).toBe(1);
      expect((await s.investor.watchlists('user:bob')).length).toBe(1);
    });

    it('runs: a scheduled slot is run once; finish and latest', async () => {
      const s = await ctx.open();
      const run = { id: 'r1', slot: T0, trigger: 'schedule' as const, startedAt: T0, finishedAt: null, pairs: 0, recommendations: 0, errors: 0 };
      expect(await s.investor.addRun(run)).toBe(true);
      expect(await s.investor.addRun({ ...run, id: 'r2' })).toBe(false);
      expect(await s.investor.addRun({ ...run, id: 'r3', slot: null, trigger: 'manual', startedAt: T0 + 5 })).toBe(true);
      expect(await s.investor.addRun({ ...run, id: 'r4', slot: null, trigger: 'manual', startedAt: T0 + 1 })).toBe(true);
      await s.investor.finishRun('r1', { finishedAt: T0 + 9, pairs: 3, recommendations: 4, errors: 1 });
      expect(await s.investor.run('r1')).toEqual({ ...run, finishedAt: T0 + 9, pairs: 3, recommendations: 4, errors: 1 });
      expect(await s.investor.run('r2')).toBeNull();
      expect((await s.investor.latestRun())?.id).toBe('r3');
    });

    it('recommendations: round-trip, pages newest first, pending, outcome once, feedback owner-scoped, pseudonymised', async () => {
      const s = await ctx.open();
      await s.investor.addRecommendations([
        recommendationRecord('a1'),
        recommendationRecord('a2', { pair: 'EURUSD', createdAt: T0 + 1, action: 'HOLD', stop: null, target: null }),
        recommendationRecord('a3', { createdAt: T0 + 1, runId: 'run2' }),
        recommendationRecord('b1', { owner: 'user:bob' }),
      ]);
      expect(await s.investor.recommendation('a1')).toEqual(recommendationRecord('a1'));
      expect(await s.investor.recommendation('zz')).toBeNull();
      expect((await s.investor.recommendations({ owner: 'user:alice', limit: 10 })).map((r) => r.id)).toEqual(['a3', 'a2', 'a1']);
      expect((await s.investor.recommendations({ owner: 'user:alice', limit: 10, before: { createdAt: T0 + 1, id: 'a3' } })).map((r) => r.id)).toEqual(['a2', 'a1']);
      expect((await s.investor.recommendations({ owner: 'user:alice', limit: 10, pair: 'BTCUSD' })).map((r) => r.id)).toEqual(['a3', 'a1']);
      expect((await s.investor.recommendationsOfRun('user:alice', 'run1')).map((r) => r.id)).toEqual(['a1', 'a2']);
      expect((await s.investor.pending(10)).map((r) => r.id)).toEqual(['a1', 'b1', 'a2', 'a3']);
      const outcome = { status: 'target' as const, exitPrice: 105.25, returnAfterCosts: 0.045, correct: true, measuredAt: T0 + 9 };
      expect(await s.investor.setOutcome('a1', outcome)).toBe(true);
      expect(await s.investor.setOutcome('a1', { ...outcome, status: 'stop' })).toBe(false);
      expect((await s.investor.measured()).map((r) => [r.id, r.outcome])).toEqual([['a1', outcome]]);
      const fb = { useful: true, acted: false, note: 'thanks', at: T0 + 3 };
      expect(await s.investor.setFeedback('user:bob', 'a1', fb)).toBe(false);
      expect(await s.investor.setFeedback('user:alice', 'a1', fb)).toBe(true);
      expect((await s.investor.recommendation('a1'))?.feedback).toEqual(fb);
      expect((await s.investor.allRecommendations('user:alice')).length).toBe(3);
      expect(await s.investor.pseudonymiseRecommendations('user:alice', 'erased:x')).toBe(3);
      expect(await s.investor.allRecommendations('user:alice')).toEqual([]);
      expect((await s.investor.recommendation('a1'))?.feedback).toEqual({ ...fb, note: null });
      expect((await s.investor.recommendation('a1'))?.owner).toBe('erased:x');
    });

    it('consents: history kept in order, the latest per owner, pseudonymised', async () => {
      const s = await ctx.open();
      await s.investor.addConsent({ owner: 'user:alice', purpose: 'p', version: '1', granted: true, at: T0 });
      await s.investor.addConsent({ owner: 'user:bob', purpose: 'p', version: '1', granted: true, at: T0 });
      await s.investor.addConsent({ owner: 'user:alice', purpose: 'q', version: '1', granted: true, at: T0 + 1 });
      await s.investor.addConsent({ owner: 'user:alice', purpose: 'p', version: '1', granted: false, at: T0 + 2 });
      expect((await s.investor.consentHistory('user:alice')).map((c) => [c.purpose, c.granted, c.at])).toEqual([
        ['p', true, T0],
        ['q', true, T0 + 1],
        ['p', false, T0 + 2],
      ]);
      expect(await s.investor.latestConsents('p', ['user:alice', 'user:bob', 'user:carol'])).toEqual([
        { owner: 'user:alice', purpose: 'p', version: '1', granted: false, at: T0 + 2 },
        { owner: 'user:bob', purpose: 'p', version: '1', granted: true, at: T0 },
      ]);
      expect(await s.investor.latestConsents('p', [])).toEqual([]);
      expect(await s.investor.pseudonymiseConsents('user:alice', 'erased:x')).toBe(3);
      expect(await s.investor.consentHistory('user:alice')).toEqual([]);
      expect((await s.investor.consentHistory('erased:x')).length).toBe(3);
    });
  });
}
