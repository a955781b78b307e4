import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Decision } from '../../core/decision.js';
import { SqliteStore } from './store.js';

const stores: SqliteStore[] = [];
async function open(path = join(mkdtempSync(join(tmpdir(), 'ffe-store-')), 'ffe.db')) {
  const s = await SqliteStore.open(path);
  stores.push(s);
  return s;
}
afterEach(async () => {
  while (stores.length) await stores.pop()!.close();
});

const decision = (id: string, pair: string, createdAt: string): Decision =>
  ({ id, assetPair: pair, timestamp: createdAt, createdAt, action: 'BUY', confidence: 70, provider: 'rules', executed: false, metadata: {}, reasoning: 'x' }) as unknown as Decision;

describe('SqliteStore', () => {
  it('creates the file in WAL mode with the schema migrated', async () => {
    const s = await open();
    expect(s.sqlite.raw.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = (s.sqlite.raw.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['decisions', 'candles', 'candle_series', 'kysely_migration']));
  });

  it('an idle paper mark that waits for a transaction (markIdle) is not written alone, and lands when the store closes', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ffe-store-')), 'ffe.db');
    const s = await SqliteStore.open(path);
    const opening = { currency: 'USD', cash: '100', now: 0 };
    await s.paper.transact('acc', opening, async () => {});
    expect(await s.paper.markIdle('acc', 'BTCUSD', '42')).toBe(true);
    const marks = () => s.sqlite.raw.prepare('SELECT pair, price FROM paper_marks').all();
    expect(marks()).toEqual([]);
    await s.close();
    const again = await open(path);
    expect(again.sqlite.raw.prepare('SELECT pair, price FROM paper_marks').all()).toEqual([{ pair: 'BTCUSD', price: '42' }]);
  });

  it('stores, reads back and lists decisions newest first', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ffe-store-')), 'ffe.db');
    const s = await open(path);
    await s.decisions.save(decision('A', 'BTCUSD', '2024-01-01T00:00:00.000Z'));
    await s.decisions.save(decision('B', 'ETHUSD', '2024-01-02T00:00:00.000Z'));
    await s.decisions.save(decision('C', 'BTCUSD', '2024-01-03T00:00:00.000Z'));
    await s.close();
    stores.pop();
    const again = await open(path);
    expect((await again.decisions.list()).map((d) => d.id)).toEqual(['C', 'B', 'A']);
    expect((await again.decisions.list({ assetPair: 'BTCUSD', limit: 1 })).map((d) => d.id)).toEqual(['C']);
    expect(await again.decisions.get('nope')).toBeNull();
    await again.decisions.markExecuted('A', { orderId: 'o1' });
    const a = await again.decisions.get('A');
    expect(a!.executed).toBe(true);
    expect(a!.metadata.execution).toEqual({ orderId: 'o1' });
  });

  it('imports candle series atomically and replaces the covered range', async () => {
    const s = await open();
    const bars = Array.from({ length: 5 }, (_, i) => ({ timestamp: i * 60_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: i }));
    await s.candles.importSeries('BTCUSD', '1m', bars, 'a.csv');
    await s.candles.importSeries(
      'BTCUSD',
      '1m',
      bars.slice(1, 3).map((b) => ({ ...b, close: 1.9 })),
      'b.csv',
    );
    const got = await s.candles.range('BTCUSD', '1m', {});
    expect(got.map((b) => b.close)).toEqual([1.5, 1.9, 1.9, 1.5, 1.5]);
    expect(await s.candles.range('BTCUSD', '1m', { from: 60_000, to: 180_000 })).toHaveLength(2);
    expect(await s.candles.range('BTCUSD', '1m', { limit: 2 })).toEqual([bars[3], bars[4]]);
    const [series] = await s.candles.series();
    expect(series).toMatchObject({ pair: 'BTCUSD', timeframe: '1m', bars: 5, first: 0, last: 240_000, source: 'b.csv' });
  });

  it('rejects a file that is not a database with a clear error', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ffe-store-')), 'ffe.db');
    writeFileSync(path, 'garbage '.repeat(1000));
    await expect(SqliteStore.open(path)).rejects.toThrow(/cannot open the database .*ffe\.db/);
  });
});

describe('SqliteStore opened by several processes at once', () => {
  // CI once lost this race: `ffe user create` run three at a time failed on "duplicate column
  // name" in 005. Four fresh files, eight processes each, make the window wide enough to show it.
  it('a fresh file opened concurrently by eight processes migrates once and all of them work (four files)', async () => {
    const { spawn } = await import('node:child_process');
    // Plain child processes cannot load TypeScript: they open the store through the built module.
    const built = join(import.meta.dirname, '../../../dist/src/store/sqlite/store.js');
    const { migrations } = await import('../schema.js');
    const paths = [0, 1, 2, 3].map(() => join(mkdtempSync(join(tmpdir(), 'ffe-store-')), 'ffe.db'));
    const openOnce = (path: string) =>
      new Promise<string>((resolve) => {
        const script = `import(${JSON.stringify(built)}).then(async ({ SqliteStore }) => { const s = await SqliteStore.open(${JSON.stringify(path)}); await s.decisions.list(); await s.close(); console.log('ok'); }).catch((e) => { console.error(e.message); process.exit(1); });`;
        const c = spawn(process.execPath, ['--input-type=module', '-e', script]);
        let out = '';
        c.stdout.on('data', (d: Buffer) => (out += d));
        c.stderr.on('data', (d: Buffer) => (out += d));
        c.on('close', () => resolve(out.trim()));
      });
    const runs = await Promise.all(paths.flatMap((p) => Array.from({ length: 8 }, () => openOnce(p))));
    expect(runs).toEqual(Array.from({ length: 32 }, () => 'ok'));
    for (const path of paths) {
      const s = await open(path);
      const applied = s.sqlite.raw.prepare('SELECT COUNT(*) AS n FROM kysely_migration').get() as { n: number };
      expect(applied.n).toBe(Object.keys(migrations).length);
      await s.close();
    }
  }, 60_000);
});
