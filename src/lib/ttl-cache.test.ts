import { describe, expect, it } from 'vitest';
import { TtlCache } from './ttl-cache.js';

function clock(start = 1_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('TtlCache', () => {
  it('returns a value until its TTL has passed', () => {
    const c = clock();
    const cache = new TtlCache<string>({ ttlMs: 100, now: c.now });
    cache.set('a', 'x');
    c.advance(99);
    expect(cache.get('a')).toBe('x');
    c.advance(1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts the oldest write beyond maxEntries', () => {
    const cache = new TtlCache<number>({ ttlMs: 1_000, maxEntries: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 3); // rewriting makes `a` the newest
    cache.set('c', 4);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(3);
    expect(cache.get('c')).toBe(4);
  });

  it('getOrLoad loads once per TTL and shares one in-flight load between concurrent callers', async () => {
    const c = clock();
    const cache = new TtlCache<number>({ ttlMs: 50, now: c.now });
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 5));
      return loads;
    };
    const [x, y] = await Promise.all([cache.getOrLoad('k', load), cache.getOrLoad('k', load)]);
    expect([x, y, loads]).toEqual([1, 1, 1]);
    expect(await cache.getOrLoad('k', load)).toBe(1);
    c.advance(50);
    expect(await cache.getOrLoad('k', load)).toBe(2);
  });

  it('does not cache failures', async () => {
    const cache = new TtlCache<string>({ ttlMs: 1_000 });
    let calls = 0;
    const flaky = async () => {
      calls++;
      if (calls === 1) throw new Error('boom');
      return 'ok';
    };
    await expect(cache.getOrLoad('k', flaky)).rejects.toThrow('boom');
    expect(cache.has('k')).toBe(false);
    await expect(cache.getOrLoad('k', flaky)).resolves.toBe('ok');
    expect(calls).toBe(2);
  });

  it('with a TTL of 0 stores nothing', async () => {
    const cache = new TtlCache<number>({ ttlMs: 0 });
    let loads = 0;
    await cache.getOrLoad('k', async () => ++loads);
    await cache.getOrLoad('k', async () => ++loads);
    expect(loads).toBe(2);
  });

  it('lets an aborted caller leave while others keep waiting for the shared load', async () => {
    const cache = new TtlCache<string>({ ttlMs: 1_000 });
    let release!: (v: string) => void;
    let loadSignal!: AbortSignal;
    const load = (s: AbortSignal) => {
      loadSignal = s;
      return new Promise<string>((r) => (release = r));
    };
    const ac = new AbortController();
    const leaving = cache.getOrLoad('k', load, ac.signal);
    const staying = cache.getOrLoad('k', load, new AbortController().signal);
    ac.abort(new Error('left'));
    await expect(leaving).rejects.toThrow('left');
    expect(loadSignal.aborted).toBe(false);
    release('v');
    await expect(staying).resolves.toBe('v');
    expect(cache.get('k')).toBe('v');
  });

  it('aborts the load once its last caller has left, and caches nothing from it', async () => {
    const cache = new TtlCache<string>({ ttlMs: 1_000 });
    let loadSignal!: AbortSignal;
    const load = (s: AbortSignal) => {
      loadSignal = s;
      return new Promise<string>((_resolve, reject) => s.addEventListener('abort', () => reject(s.reason)));
    };
    const a = new AbortController();
    const b = new AbortController();
    const pa = cache.getOrLoad('k', load, a.signal);
    const pb = cache.getOrLoad('k', load, b.signal);
    a.abort(new Error('a left'));
    expect(loadSignal.aborted).toBe(false);
    b.abort(new Error('b left'));
    expect(loadSignal.aborted).toBe(true);
    await expect(pa).rejects.toThrow('a left');
    await expect(pb).rejects.toThrow('b left');
    // A new caller starts a fresh load rather than joining the abandoned one.
    await expect(cache.getOrLoad('k', async () => 'fresh')).resolves.toBe('fresh');
  });

  it('refuses a negative TTL', () => {
    expect(() => new TtlCache({ ttlMs: -1 })).toThrow(/TTL/);
  });
});
