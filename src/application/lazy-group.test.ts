import { describe, expect, it } from 'vitest';
import { lazyGroup } from './lazy-group.js';

describe('lazyGroup', () => {
  it('loads the group on the first call only, and passes arguments and results through', async () => {
    let loads = 0;
    const g = lazyGroup(async () => {
      loads++;
      return { add: async (a: number, b: number) => a + b, fail: async () => Promise.reject(new Error('boom')) };
    });
    expect(loads).toBe(0);
    expect(g.add).toBe(g.add);
    expect(await g.add(2, 3)).toBe(5);
    await expect(g.fail()).rejects.toThrow('boom');
    expect(await Promise.all([g.add(1, 1), g.add(2, 2)])).toEqual([2, 4]);
    expect(loads).toBe(1);
  });

  it('is not a thenable, so awaiting the group does not call it', async () => {
    const g = lazyGroup(async () => ({ run: async () => 1 }));
    expect(await g).toBe(g);
  });

  it('retries a failed load on the next call', async () => {
    let loads = 0;
    const g = lazyGroup(async () => {
      if (++loads === 1) throw new Error('import failed');
      return { run: async () => 'ok' };
    });
    await expect(g.run()).rejects.toThrow('import failed');
    expect(await g.run()).toBe('ok');
    expect(loads).toBe(2);
  });
});
