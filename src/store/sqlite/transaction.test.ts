import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../port.js';
import { SqliteStore } from './store.js';

const stores: SqliteStore[] = [];
const dbPath = () => join(mkdtempSync(join(tmpdir(), 'ffe-tx-')), 'ffe.db');
async function open(path = dbPath()) {
  const s = await SqliteStore.open(path);
  stores.push(s);
  return s;
}
afterEach(async () => {
  while (stores.length) await stores.pop()!.close();
});

const event = (n: number) => ({ type: 'OrderSubmitted' as const, at: n, payload: { n } });
/** Lets every other ready async flow run (several macrotask turns), without depending on wall-clock time. */
const yieldTurns = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

/** Reads, yields to the other contender, then writes only if it saw nothing: a check the two can both pass unless serialised. */
async function readCheckWrite(s: Store): Promise<boolean> {
  const seen = await s.events.latestSeq();
  await yieldTurns();
  if (seen !== 0) return false;
  await s.events.append(event(1));
  return true;
}

describe('SqliteStore.transaction (one process)', () => {
  it('without a transaction, two async flows both pass the same check (the race exists)', async () => {
    const s = await open();
    const wins = await Promise.all([readCheckWrite(s), readCheckWrite(s)]);
    expect(wins).toEqual([true, true]);
    expect(await s.events.latestSeq()).toBe(2);
  });

  it('two concurrent transactions on one connection never interleave: exactly one passes the check', async () => {
    const s = await open();
    const wins = await Promise.all([s.transaction(readCheckWrite), s.transaction(readCheckWrite)]);
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await s.events.latestSeq()).toBe(1);
  });

  it('a write through the store itself waits until an open transaction commits', async () => {
    const s = await open();
    const order: string[] = [];
    let outside: Promise<number> | undefined;
    await s.transaction(async (tx) => {
      await tx.events.append(event(1));
      outside = s.events.append(event(2)).then((seq) => (order.push('outside'), seq));
      // Candle import runs synchronous better-sqlite3 work: it must wait too.
      void s.candles.importSeries('BTCUSD', '1h', [{ timestamp: 0, open: 1, high: 1, low: 1, close: 1, volume: 1 }], 'test').then(() => order.push('import'));
      await yieldTurns(20);
      order.push('inside');
      await tx.events.append(event(3));
    });
    expect(await outside).toBe(3);
    await yieldTurns();
    expect(order).toEqual(['inside', 'outside', 'import']);
    expect((await s.events.since(0)).map((e) => e.at)).toEqual([1, 3, 2]);
  });

  it('rolls back every write when the function throws, and the store stays usable', async () => {
    const s = await open();
    await expect(
      s.transaction(async (tx) => {
        await tx.events.append(event(1));
        await tx.leases.tryAcquire('trading', 'me', 1000, 0);
        await tx.candles.importSeries('BTCUSD', '1h', [{ timestamp: 0, open: 1, high: 1, low: 1, close: 1, volume: 1 }], 'test');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await s.events.latestSeq()).toBe(0);
    expect(await s.leases.holder('trading', 0)).toBeNull();
    expect(await s.candles.series()).toEqual([]);
    expect(await s.transaction(async (tx) => tx.events.append(event(2)))).toBe(1);
  });

  it('nests with a savepoint: an inner failure undoes only the inner writes', async () => {
    const s = await open();
    await s.transaction(async (tx) => {
      await tx.events.append(event(1));
      await expect(
        tx.transaction(async (inner) => {
          await inner.events.append(event(2));
          throw new Error('inner');
        }),
      ).rejects.toThrow('inner');
      await tx.transaction(async (inner) => inner.events.append(event(3)));
    });
    expect((await s.events.since(0)).map((e) => e.at)).toEqual([1, 3]);
  });

  it('two handles on one file in one process: a write of the second waits for the open transaction of the first instead of freezing on the lock', async () => {
    const path = dbPath();
    const [a, b] = [await open(path), await open(path)];
    const order: string[] = [];
    let outside: Promise<number> | undefined;
    await a.transaction(async (tx) => {
      await tx.events.append(event(1));
      // Plain write, prepared write and a transaction of the other handle, all while this one holds the write lock.
      outside = b.events.append(event(2)).then((seq) => (order.push('b append'), seq));
      void b.transaction((btx) => btx.events.append(event(3))).then(() => order.push('b transaction'));
      await yieldTurns(20);
      order.push('a inside');
      await tx.events.append(event(4));
    });
    expect(await outside).toBe(3);
    await yieldTurns(20);
    expect(order).toEqual(['a inside', 'b append', 'b transaction']);
    expect((await a.events.since(0)).map((e) => e.at)).toEqual([1, 4, 2, 3]);
    // Closing one handle leaves the other working.
    await stores.splice(stores.indexOf(b), 1)[0]!.close();
    await a.transaction((tx) => tx.events.append(event(5)));
    expect(await a.events.latestSeq()).toBe(5);
  });

  it('refuses a transaction handle used after it ended, and cannot close it', async () => {
    const s = await open();
    let leaked: Store | undefined;
    await s.transaction(async (tx) => {
      leaked = tx;
      await expect(tx.close()).rejects.toMatchObject({ code: 'STORE_TX_CLOSE' });
    });
    await expect(leaked!.events.append(event(1))).rejects.toMatchObject({ code: 'STORE_TX_CLOSED' });
    await expect(leaked!.candles.series()).rejects.toMatchObject({ code: 'STORE_TX_CLOSED' });
    expect(await s.events.latestSeq()).toBe(0);
  });
});

const CHILD = resolve(import.meta.dirname, 'transaction-race.child.mjs');

interface Contender {
  child: ChildProcessWithoutNullStreams;
  events: Record<string, unknown>[];
  waitFor(pred: (e: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  send(line: string): void;
  exited: Promise<number | null>;
}

function contender(path: string, mode: 'tx' | 'plain'): Contender {
  const child = spawn(process.execPath, [CHILD, path, mode], { stdio: ['pipe', 'pipe', 'pipe'] });
  const events: Record<string, unknown>[] = [];
  const waiters: { pred: (e: Record<string, unknown>) => boolean; resolve: (e: Record<string, unknown>) => void }[] = [];
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  createInterface({ input: child.stdout }).on('line', (l) => {
    const e = JSON.parse(l) as Record<string, unknown>;
    events.push(e);
    for (const w of [...waiters]) {
      if (!w.pred(e)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(e);
    }
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  void exited.then((code) => {
    for (const w of waiters) w.resolve({ event: 'exited', code, stderr });
  });
  return {
    child,
    events,
    exited,
    waitFor: (pred) => {
      const seen = events.find(pred);
      return seen ? Promise.resolve(seen) : new Promise((r) => waiters.push({ pred, resolve: r }));
    },
    send: (line) => child.stdin.write(`${line}\n`),
  };
}

/** Runs the race between two processes; resolves with what each reported at the end. */
async function race(mode: 'tx' | 'plain') {
  const path = dbPath();
  await open(path); // migrated before the children start
  const [a, b] = [contender(path, mode), contender(path, mode)];
  try {
    await Promise.all([a.waitFor((e) => e.event === 'ready'), b.waitFor((e) => e.event === 'ready')]);
    a.send('go');
    b.send('go');
    if (mode === 'plain') {
      // Both have read "nothing written yet" before either writes.
      await Promise.all([a.waitFor((e) => e.event === 'checked'), b.waitFor((e) => e.event === 'checked')]);
    } else {
      // One holds the write lock and has checked; the other has started its transaction and is waiting for the lock.
      await Promise.all([a.waitFor((e) => e.event === 'beginning'), b.waitFor((e) => e.event === 'beginning')]);
      await Promise.race([a.waitFor((e) => e.event === 'checked'), b.waitFor((e) => e.event === 'checked')]);
    }
    a.send('write');
    b.send('write');
    await Promise.all([a.exited, b.exited]);
    const final = (c: Contender) => c.events.find((e) => e.event === 'done' || e.event === 'failed');
    const check = await open(path);
    return { results: [final(a), final(b)], stored: (await check.events.since(0)).length, checks: [a, b].map((c) => c.events.find((e) => e.event === 'checked')?.seen) };
  } finally {
    a.child.kill();
    b.child.kill();
  }
}

describe('SqliteStore.transaction (two processes on one file)', () => {
  it('without a transaction both processes pass the check and both write', async () => {
    const r = await race('plain');
    expect(r.checks).toEqual([0, 0]);
    expect(r.results).toEqual([
      { event: 'done', wrote: true },
      { event: 'done', wrote: true },
    ]);
    expect(r.stored).toBe(2);
  });

  it('in a transaction exactly one process passes the check; the other sees its write', async () => {
    const r = await race('tx');
    expect(r.results.filter((x) => x?.event === 'done' && x.wrote === true)).toHaveLength(1);
    expect(r.results.filter((x) => x?.event === 'done' && x.wrote === false)).toHaveLength(1);
    expect([...r.checks].sort()).toEqual([0, 1]);
    expect(r.stored).toBe(1);
  });
});
