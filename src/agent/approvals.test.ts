import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';
import type { ExecutionResult } from '../execution/execution-service.js';
import { openSqlite, type OpenedSqlite } from '../store/sqlite/database.js';
import { SqliteApprovalRepository } from '../store/sqlite/agent-repository.js';
import { ApprovalQueue, approvalSummary } from './approvals.js';

const decision = (id: string) => ({ id, assetPair: 'BTCUSD', action: 'BUY', confidence: 80, suggestedSizeUnits: 0.1, entryPrice: 100, stopLossPrice: 98, takeProfitPrice: 105 }) as Decision;

describe('ApprovalQueue', () => {
  let sqlite: OpenedSqlite;
  let queue: ApprovalQueue;
  const clock = new ManualClock(1_000_000);
  const executed: string[] = [];
  const execute = async (id: string) => {
    executed.push(id);
    return { status: 'filled' } as ExecutionResult;
  };
  beforeEach(async () => {
    sqlite = await openSqlite(':memory:');
    queue = new ApprovalQueue(new SqliteApprovalRepository(sqlite), clock, 60_000);
    executed.length = 0;
  });
  afterEach(() => sqlite.db.destroy());

  it('executes an approved decision once; a second approve is refused', async () => {
    const a = await queue.enqueue(decision('d1'));
    const { approval, result } = await queue.approve(a.id, execute);
    expect(approval.status).toBe('approved');
    expect(result.status).toBe('filled');
    await expect(queue.approve(a.id, execute)).rejects.toThrow(/is approved/);
    expect(executed).toEqual(['d1']);
  });

  it('never executes an expired approval', async () => {
    const a = await queue.enqueue(decision('d2'));
    clock.set(clock.now() + 60_000);
    await expect(queue.approve(a.id, execute)).rejects.toThrow(/is expired/);
    expect(executed).toEqual([]);
    expect((await queue.list('expired')).map((x) => x.id)).toEqual([a.id]);
  });

  it('expires every due approval, however many newer ones are pending', async () => {
    const old = await Promise.all(Array.from({ length: 5 }, (_, k) => queue.enqueue(decision(`old-${k}`))));
    clock.set(clock.now() + 30_000);
    for (let k = 0; k < 1200; k++) await queue.enqueue(decision(`new-${k}`));
    clock.set(clock.now() + 30_000);
    const expired = await queue.expireDue();
    expect(expired.map((a) => a.id).sort()).toEqual(old.map((a) => a.id).sort());
    expect((await new SqliteApprovalRepository(sqlite).list({ status: 'pending', limit: 5000 })).length).toBe(1200);
  });

  it('runs beforeWrite once before expiring, and not at all when nothing is due', async () => {
    let writes = 0;
    const beforeWrite = async () => void writes++;
    expect(await queue.expireDue({ beforeWrite })).toEqual([]);
    expect(writes).toBe(0);
    await queue.enqueue(decision('d4'));
    await queue.enqueue(decision('d5'));
    clock.set(clock.now() + 60_000);
    expect((await queue.expireDue({ beforeWrite })).length).toBe(2);
    expect(writes).toBe(1);
  });

  it('a sole queue looks in the store only once an approval may be due', async () => {
    const repo = new SqliteApprovalRepository(sqlite);
    let reads = 0;
    const counting = Object.assign(Object.create(repo) as SqliteApprovalRepository, { list: (q: Parameters<typeof repo.list>[0]) => (reads++, repo.list(q)) });
    const sole = new ApprovalQueue(counting, clock, 60_000);
    const early = await new ApprovalQueue(repo, clock, 30_000).enqueue(decision('before-start'));
    // Unknown at first: it reads (due ones, then what is pending).
    expect(await sole.expireDue({ sole: true })).toEqual([]);
    const afterFirst = reads;
    expect(afterFirst).toBeGreaterThan(0);
    clock.set(clock.now() + 10_000);
    expect(await sole.expireDue({ sole: true })).toEqual([]);
    expect(reads).toBe(afterFirst);
    const own = await sole.enqueue(decision('own'));
    clock.set(early.expiresAt);
    expect((await sole.expireDue({ sole: true })).map((a) => a.id)).toEqual([early.id]);
    const afterSecond = reads;
    expect(afterSecond).toBeGreaterThan(afterFirst);
    expect(await sole.expireDue({ sole: true })).toEqual([]);
    expect(reads).toBe(afterSecond);
    clock.set(own.expiresAt);
    expect((await sole.expireDue({ sole: true })).map((a) => a.id)).toEqual([own.id]);
    // None pending: no read until one is added.
    const afterThird = reads;
    clock.set(clock.now() + 3_600_000);
    expect(await sole.expireDue({ sole: true })).toEqual([]);
    expect(reads).toBe(afterThird);
  });

  it('rejects, and refuses unknown ids', async () => {
    const a = await queue.enqueue(decision('d3'));
    expect((await queue.reject(a.id, 'no')).status).toBe('rejected');
    await expect(queue.approve(a.id, execute)).rejects.toThrow(/rejected/);
    await expect(queue.reject('nope')).rejects.toThrow(/no approval "nope"/);
  });
});

describe('approvalSummary', () => {
  it('states the order at the pair precision, never binary noise', () => {
    expect(approvalSummary({ action: 'SELL', assetPair: 'ETHUSD', suggestedSizeUnits: 0.7115507912345, entryPrice: 3337.78, stopLossPrice: 3404.5356 + 3e-13, takeProfitPrice: 3170.891 })).toBe(
      'SELL 0.71155079 ETHUSD at 3337.78 (stop 3404.54, target 3170.89)',
    );
    expect(approvalSummary({ action: 'BUY', assetPair: 'EURUSD', suggestedSizeUnits: 1963.4, entryPrice: 1.21002345, stopLossPrice: null, takeProfitPrice: null })).toBe('BUY 1963 EURUSD at 1.21002 (stop -, target -)');
  });
});
