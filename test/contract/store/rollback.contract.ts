import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/port.js';
import { PERSONAL_COLUMNS } from '../../../src/store/personal-columns.js';
import { SEALED_COLUMNS } from '../../../src/store/sealed-columns.js';
import { apiKeyRecord, refreshRecord, userRecord } from './auth.contract.js';
import { auditRecord } from './audit.contract.js';
import { gate, turns, type StoreContext } from './context.js';
import { newJob } from './jobs.contract.js';
import { recommendationRecord, watchlistRecord } from './investor.contract.js';
import { adjustment, approval, bars, breakerMemory, cassette, decision, ev, fundamental, intent, metrics, outcome, paperOrder, snapshot, T0, tracker, weightChange } from './records.js';

/** One kind of write: what it needs first, the write, and what of the store it changes. */
interface WriteKind {
  name: string;
  setup?(s: Store): Promise<unknown>;
  write(s: Store): Promise<unknown>;
  observe(s: Store): Promise<unknown>;
}

const paperOpening = { currency: 'USD', cash: '1000', now: T0 };

const WRITES: WriteKind[] = [
  { name: 'decisions.save', write: (s) => s.decisions.save(decision('D1')), observe: (s) => s.decisions.list() },
  { name: 'decisions.markExecuted', setup: (s) => s.decisions.save(decision('D1')), write: (s) => s.decisions.markExecuted('D1', { ok: 1 }), observe: (s) => s.decisions.get('D1') },
  { name: 'candles.importSeries', write: (s) => s.candles.importSeries('BTCUSD', '1h', bars(T0, 3), 'x'), observe: async (s) => [await s.candles.series(), await s.candles.range('BTCUSD', '1h', {})] },
  {
    name: 'candles.importSeries (re-import)',
    setup: (s) => s.candles.importSeries('BTCUSD', '1h', bars(T0, 3), 'first'),
    write: (s) => s.candles.importSeries('BTCUSD', '1h', bars(T0 + 3_600_000, 3, 500), 'second'),
    observe: async (s) => [(await s.candles.series()).map(({ importedAt: _, ...x }) => x), await s.candles.range('BTCUSD', '1h', {})],
  },
  { name: 'equity.record', write: (s) => s.equity.record(snapshot(5, '1')), observe: (s) => s.equity.range('paper', 0, 10) },
  { name: 'equity.recordMany', write: (s) => s.equity.recordMany([snapshot(5, '1'), snapshot(6, '2')]), observe: (s) => s.equity.range('paper', 0, 10) },
  { name: 'orders.open', write: (s) => s.orders.open(intent('c1'), T0), observe: (s) => s.orders.list({}) },
  { name: 'orders.claim', setup: (s) => s.orders.open(intent('c1'), T0), write: (s) => s.orders.claim('c1', T0 + 1), observe: (s) => s.orders.get('c1') },
  {
    name: 'orders.update',
    setup: (s) => s.orders.open(intent('c1'), T0),
    write: (s) => s.orders.update('c1', { state: 'FILLED', filledUnits: '0.5' }, T0 + 1),
    observe: async (s) => [await s.orders.get('c1'), await s.orders.netPositions('paper')],
  },
  { name: 'orders.adjust', write: (s) => s.orders.adjust(adjustment('a1')), observe: async (s) => [[...(await s.orders.adjustmentIds('paper'))], await s.orders.netPositions('paper')] },
  {
    name: 'paper.transact',
    setup: (s) => s.paper.transact('acc', paperOpening, async () => {}),
    write: (s) =>
      s.paper.transact('acc', paperOpening, async (b) => {
        await b.setCash('5');
        await b.saveOrder(paperOrder('o1'));
      }),
    observe: (s) => s.paper.transact('acc', paperOpening, async (b) => [await b.account(), await b.openOrders()]),
  },
  { name: 'memory.addOutcome', write: (s) => s.memory.addOutcome(outcome('t1')), observe: (s) => s.memory.outcomes() },
  { name: 'memory.addWeightChange', write: (s) => s.memory.addWeightChange(weightChange('w1')), observe: async (s) => [await s.memory.weightChanges(), await s.memory.latestWeights('all')] },
  { name: 'monitor.saveTracker', write: (s) => s.monitor.saveTracker(tracker('k1')), observe: (s) => s.monitor.trackers() },
  { name: 'monitor.removeTracker', setup: (s) => s.monitor.saveTracker(tracker('k1')), write: (s) => s.monitor.removeTracker('k1'), observe: (s) => s.monitor.trackers() },
  { name: 'monitor.addMetrics', write: (s) => s.monitor.addMetrics(metrics('t1')), observe: async (s) => [await s.monitor.metrics(), await s.monitor.unlearned()] },
  { name: 'monitor.markLearned', setup: (s) => s.monitor.addMetrics(metrics('t1')), write: (s) => s.monitor.markLearned('t1'), observe: (s) => s.monitor.unlearned() },
  { name: 'closeReasons.record', write: (s) => s.closeReasons.record('c1', 'manual', T0), observe: (s) => s.closeReasons.reasonOf('c1') },
  { name: 'approvals.add', write: (s) => s.approvals.add(approval('a1')), observe: (s) => s.approvals.list() },
  { name: 'approvals.decide', setup: (s) => s.approvals.add(approval('a1')), write: (s) => s.approvals.decide('a1', 'approved', T0, null), observe: (s) => s.approvals.get('a1') },
  { name: 'agentState.set', write: (s) => s.agentState.set('run', { status: 'running' }, T0), observe: (s) => s.agentState.get('run') },
  { name: 'agentState.event', write: (s) => s.agentState.event({ at: T0, kind: 'state', state: 'running', message: 'started' }), observe: (s) => s.agentState.events() },
  { name: 'cassettes.put', write: (s) => s.cassettes.put(cassette('k1')), observe: async (s) => [await s.cassettes.get('k1'), await s.cassettes.count()] },
  { name: 'providerUsage.add', write: (s) => s.providerUsage.add('llama', '2024-01-01', { ok: true, latencyMs: 1, promptTokens: 1, completionTokens: 1 }), observe: (s) => s.providerUsage.list('2024-01-01') },
  { name: 'backtestResults.save', write: (s) => s.backtestResults.save({ runId: 'r', jobId: 'j', kind: 'k', worker: 'w', finishedAt: T0, result: 1 }), observe: (s) => s.backtestResults.list('r') },
  { name: 'jobs.create', write: (s) => s.jobs.create(newJob('j1')), observe: (s) => s.jobs.get('j1') },
  { name: 'jobs.start', setup: (s) => s.jobs.create(newJob('j1')), write: (s) => s.jobs.start('j1', T0), observe: (s) => s.jobs.get('j1') },
  { name: 'jobs.progress', setup: async (s) => (await s.jobs.create(newJob('j1')), await s.jobs.start('j1', T0)), write: (s) => s.jobs.progress('j1', 0.5), observe: (s) => s.jobs.get('j1') },
  { name: 'jobs.finish', setup: (s) => s.jobs.create(newJob('j1')), write: (s) => s.jobs.finish('j1', { status: 'succeeded', result: { x: 1 }, at: T0 }), observe: (s) => s.jobs.get('j1') },
  { name: 'jobs.requestCancel', setup: async (s) => (await s.jobs.create(newJob('j1')), await s.jobs.start('j1', T0)), write: (s) => s.jobs.requestCancel('j1'), observe: (s) => s.jobs.get('j1') },
  { name: 'breakers.save', write: (s) => s.breakers.save(breakerMemory('venue:paper')), observe: (s) => s.breakers.list() },
  { name: 'auth.addUser', write: (s) => s.auth.addUser(userRecord('u1')), observe: (s) => s.auth.listUsers() },
  { name: 'auth.updateUser', setup: (s) => s.auth.addUser(userRecord('u1')), write: (s) => s.auth.updateUser('u1', { role: 'admin' }, T0 + 1), observe: (s) => s.auth.userById('u1') },
  { name: 'auth.addApiKey', write: (s) => s.auth.addApiKey(apiKeyRecord('k1')), observe: (s) => s.auth.listApiKeys() },
  { name: 'auth.rotateRefreshToken', setup: (s) => s.auth.addRefreshToken(refreshRecord('r1')), write: (s) => s.auth.rotateRefreshToken('r1', T0 + 1), observe: (s) => s.auth.refreshTokenByHash('rt-r1') },
  { name: 'auth.setLoginFailures', write: (s) => s.auth.setLoginFailures({ name: 'a', count: 1, lastFailureAt: T0, lockedUntil: null }), observe: (s) => s.auth.loginFailures('a') },
  { name: 'audit.append', write: (s) => s.audit.append(auditRecord('a')), observe: async (s) => [await s.audit.list(), await s.audit.head()] },
  { name: 'audit.prune', setup: (s) => s.audit.append(auditRecord('a')), write: (s) => s.audit.prune(T0 + 1), observe: async (s) => [await s.audit.list(), await s.audit.checkpoint()] },
  {
    name: 'sealed.set',
    setup: (s) => s.auth.addUser({ ...userRecord('u1'), totpSecret: 'JBSWY3DPEHPK3PXP' }),
    write: (s) => s.sealed.set(TOTP_COLUMN, 'u1', 'KRSXG5CTMVRXEZLU'),
    observe: (s) => s.sealed.values(TOTP_COLUMN),
  },
  {
    name: 'personal.erase',
    setup: (s) => s.auth.addApiKey(apiKeyRecord('k1', { createdBy: 'user:alice' })),
    write: (s) => s.personal.erase(API_KEY_CREATOR, 'user:alice', 'user:erased-00000000'),
    observe: (s) => s.auth.listApiKeys(),
  },
  { name: 'idempotency.claim', write: (s) => s.idempotency.claim({ key: 'k', principal: 'user:a', requestHash: 'h', subject: 'd1', createdAt: T0 }), observe: (s) => s.idempotency.get('user:a', 'k') },
  {
    name: 'idempotency.complete',
    setup: async (s) => void (await s.idempotency.claim({ key: 'k', principal: 'user:a', requestHash: 'h', subject: 'd1', createdAt: T0 })),
    write: (s) => s.idempotency.complete('user:a', 'k', { ok: true }),
    observe: (s) => s.idempotency.get('user:a', 'k'),
  },
  { name: 'investor.addWatchlist', write: (s) => s.investor.addWatchlist(watchlistRecord('w1')), observe: (s) => s.investor.watchlists('user:alice') },
  { name: 'investor.addRecommendations', write: (s) => s.investor.addRecommendations([recommendationRecord('r1')]), observe: (s) => s.investor.allRecommendations('user:alice') },
  {
    name: 'investor.setFeedback',
    setup: (s) => s.investor.addRecommendations([recommendationRecord('r1')]),
    write: (s) => s.investor.setFeedback('user:alice', 'r1', { useful: true, acted: true, note: null, at: T0 }),
    observe: (s) => s.investor.recommendation('r1'),
  },
  { name: 'investor.addConsent', write: (s) => s.investor.addConsent({ owner: 'user:alice', purpose: 'p', version: '1', granted: true, at: T0 }), observe: (s) => s.investor.consentHistory('user:alice') },
  { name: 'fundamentals.save', write: (s) => s.fundamentals.save([fundamental('IBM', 'earnings_quarterly', '2024-09-30')]), observe: (s) => s.fundamentals.visible('IBM', T0 * 2) },
  { name: 'events.append', write: (s) => s.events.append(ev(1)), observe: (s) => s.events.since(0) },
  { name: 'leases.tryAcquire', write: (s) => s.leases.tryAcquire('trading', 'a', 1000, 0), observe: (s) => s.leases.holder('trading', 1) },
  { name: 'leases.renew', setup: (s) => s.leases.tryAcquire('trading', 'a', 1000, 0), write: (s) => s.leases.renew('trading', 'a', 5000, 10), observe: (s) => s.leases.holder('trading', 1) },
  { name: 'leases.release', setup: (s) => s.leases.tryAcquire('trading', 'a', 1000, 0), write: (s) => s.leases.release('trading', 'a'), observe: (s) => s.leases.holder('trading', 1) },
];

const API_KEY_CREATOR = PERSONAL_COLUMNS.find((c) => c.table === 'auth_api_keys')!;
const TOTP_COLUMN = SEALED_COLUMNS.find((c) => c.column === 'totp_secret')!;

/** Every repository of `Store`: a new one fails to compile here until it is listed (and then the test below until it has a write kind). */
const REPOSITORIES: Record<Exclude<keyof Store, 'engine' | 'location' | 'transaction' | 'ping' | 'close'>, true> = {
  decisions: true,
  candles: true,
  events: true,
  leases: true,
  equity: true,
  orders: true,
  paper: true,
  memory: true,
  monitor: true,
  closeReasons: true,
  approvals: true,
  agentState: true,
  cassettes: true,
  providerUsage: true,
  backtestResults: true,
  breakers: true,
  auth: true,
  audit: true,
  jobs: true,
  idempotency: true,
  investor: true,
  sealed: true,
  personal: true,
  fundamentals: true,
};

/** Every kind of write, through the unit of work: all of it or none of it. */
export function rollbackContract(ctx: StoreContext): void {
  describe('transaction: every kind of write', () => {
    it('covers every repository of the store', async () => {
      const s = await ctx.open();
      for (const r of Object.keys(REPOSITORIES)) expect(typeof (s as unknown as Record<string, unknown>)[r]).toBe('object');
      expect([...new Set(WRITES.map((w) => w.name.split('.')[0]))].sort()).toEqual(Object.keys(REPOSITORIES).sort());
    });

    for (const w of WRITES) {
      it(`${w.name}: seen inside the transaction, kept on commit, gone on rollback`, async () => {
        const s = await ctx.open();
        await w.setup?.(s);
        const before = await w.observe(s);
        // Rolled back: nothing of it stays, though it was visible inside.
        const err = await s
          .transaction(async (tx) => {
            await w.write(tx);
            expect(await w.observe(tx)).not.toEqual(before);
            throw new Error('rollback');
          })
          .catch((e: unknown) => e);
        expect((err as Error).message).toBe('rollback');
        expect(await w.observe(s)).toEqual(before);
        // Committed: the same write stays.
        const inside = await s.transaction(async (tx) => {
          await w.write(tx);
          return w.observe(tx);
        });
        expect(inside).not.toEqual(before);
        expect(await w.observe(s)).toEqual(inside);
      });

      it(`${w.name}: a write through the store while another flow's transaction is open is not undone by that transaction's rollback`, async () => {
        const s = await ctx.open();
        await w.setup?.(s);
        const before = await w.observe(s);
        const inTx = gate();
        const release = gate();
        const tx = s.transaction(async (t) => {
          await t.events.append(ev(99, 'KillSwitchTripped'));
          inTx.open();
          await release.wait;
          throw new Error('rollback');
        });
        await inTx.wait;
        const outside = w.write(s);
        await turns();
        release.open();
        await expect(tx).rejects.toThrow('rollback');
        await outside;
        expect(await w.observe(s)).not.toEqual(before);
        expect((await s.events.since(0)).filter((e) => e.type === 'KillSwitchTripped')).toEqual([]);
      });
    }

    it('tx.transaction nests: an inner failure undoes only the inner writes; the outer commit keeps the rest', async () => {
      const s = await ctx.open();
      await s.transaction(async (tx) => {
        await tx.decisions.save(decision('outer'));
        await tx
          .transaction(async (inner) => {
            await inner.decisions.save(decision('inner'));
            await inner.orders.open(intent('c-inner'), T0);
            throw new Error('inner');
          })
          .catch(() => {});
        await tx.orders.open(intent('c-outer'), T0);
      });
      expect((await s.decisions.list()).map((d) => d.id)).toEqual(['outer']);
      expect((await s.orders.list({})).map((i) => i.clientOrderId)).toEqual(['c-outer']);
    });

    it('an outer rollback undoes a nested transaction that had succeeded', async () => {
      const s = await ctx.open();
      await s
        .transaction(async (tx) => {
          await tx.transaction((inner) => inner.decisions.save(decision('inner')));
          throw new Error('outer');
        })
        .catch(() => {});
      expect(await s.decisions.list()).toEqual([]);
    });
  });
}
