import { describe, expect, it } from 'vitest';
import type { Decision } from '../../core/decision.js';
import { decision } from '../../../test/contract/store/records.js';
import { MemoryDecisionRepository } from './decision-repository.js';

const MIN = 60_000;

describe('MemoryDecisionRepository with a window (the backtest’s: newest decisions only)', () => {
  it('keeps the newest `keep` decisions saved; older ones read as never saved', async () => {
    const r = new MemoryDecisionRepository({ keep: 2 });
    for (const [i, id] of ['A', 'B', 'C'].entries()) await r.save(decision(id, { createdAt: Date.UTC(2024, 0, 1) + i * MIN }));
    expect(await r.get('A')).toBeNull();
    expect((await r.get('C'))?.id).toBe('C');
    expect((await r.list()).map((d) => d.id)).toEqual(['C', 'B']);
    // Marking a forgotten decision is the no-op an unknown id is.
    await r.markExecuted('A', { status: 'filled' });
    expect(await r.get('A')).toBeNull();
  });

  it('saving a kept id again replaces it without dropping another', async () => {
    const r = new MemoryDecisionRepository({ keep: 2 });
    await r.save(decision('A'));
    await r.save(decision('B'));
    await r.markExecuted('B', { status: 'filled' });
    await r.save(decision('B', { action: 'SELL' }));
    expect((await r.list()).map((d) => d.id).sort()).toEqual(['A', 'B']);
    const b = (await r.get('B'))!;
    expect(b.action).toBe('SELL');
    expect(b.metadata.execution).toEqual({ status: 'filled' });
  });

  it('a window that has wrapped keeps the newest, finds each kept one and replaces it in its place', async () => {
    const r = new MemoryDecisionRepository({ keep: 3 });
    for (const [i, id] of ['A', 'B', 'C', 'D', 'E'].entries()) await r.save(decision(id, { createdAt: Date.UTC(2024, 0, 1) + i * MIN }));
    expect(await r.get('B')).toBeNull();
    for (const id of ['C', 'D', 'E']) expect((await r.get(id))?.id).toBe(id);
    await r.markExecuted('C', { status: 'filled' });
    await r.save(decision('C', { action: 'SELL', createdAt: Date.UTC(2024, 0, 1) + 2 * MIN }));
    expect((await r.list()).map((d) => d.id)).toEqual(['E', 'D', 'C']);
    expect((await r.get('C'))?.metadata.execution).toEqual({ status: 'filled' });
    // Replacing C took no slot: the next save drops C, the oldest, and keeps D and E.
    await r.save(decision('F', { createdAt: Date.UTC(2024, 0, 1) + 5 * MIN }));
    expect((await r.list()).map((d) => d.id)).toEqual(['F', 'E', 'D']);
  });

  it('does not keep the saver’s object alive past the window (a 1 M-bar run saved ~260 k)', async () => {
    const r = new MemoryDecisionRepository({ keep: 8 });
    for (let i = 0; i < 1000; i++) await r.save(decision(`D${i}`));
    expect(await r.list({ limit: 1000 })).toHaveLength(8);
  });

  it('keeps a record read through getters (the engine’s decideNow record) and hands out its plain record', async () => {
    const r = new MemoryDecisionRepository({ keep: 4 });
    const plainA = decision('A', { createdAt: Date.UTC(2024, 0, 1) });
    // Fields behind getters on the prototype, as the engine's lazy record has them: a spread copies none.
    class Lazy {
      executed = false;
      toJSON(): Decision {
        return { ...plainA, executed: this.executed };
      }
    }
    for (const k of Object.keys(plainA) as (keyof Decision)[]) if (k !== 'executed') Object.defineProperty(Lazy.prototype, k, { get: () => plainA[k] });
    const lazy = new Lazy() as unknown as Decision;
    expect({ ...lazy }.id).toBeUndefined();
    await r.save(lazy);
    await r.save(decision('B', { createdAt: Date.UTC(2024, 0, 2) }));
    expect(await r.get('A')).toEqual(plainA);
    expect((await r.list({ assetPair: plainA.assetPair })).map((d) => d.id)).toEqual(['B', 'A']);
    await r.markExecuted('A', { status: 'filled' });
    const a = (await r.get('A'))!;
    expect(a.executed).toBe(true);
    expect(a.metadata.execution).toEqual({ status: 'filled' });
    // A copy: changing what was read changes nothing kept.
    a.reasoning = 'changed';
    expect((await r.get('A'))!.reasoning).toBe(plainA.reasoning);
    expect((await r.summaries()).map((x) => x.id)).toEqual(['B', 'A']);
  });
});
