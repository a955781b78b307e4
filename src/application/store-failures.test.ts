import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FfeError } from '../core/errors.js';
import type { SqliteStore } from '../store/sqlite/store.js';
import { FfeApi } from './api.js';
import { readCandleFile } from './system.js';

const opened: FfeApi[] = [];
afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
});

async function open(): Promise<{ api: FfeApi; cwd: string; raw: SqliteStore['sqlite']['raw'] }> {
  const cwd = mkdtempSync(join(tmpdir(), 'ffe-store-fail-'));
  const api = await FfeApi.open({ cwd, env: { FFE_HOME: join(cwd, 'home'), TZ: 'UTC' } });
  opened.push(api);
  return { api, cwd, raw: (api.runtime.app.store as SqliteStore).sqlite.raw };
}

/** A CSV of `n` hourly bars: far more than fits in the free space of the pages a fresh store has. */
function csv(cwd: string, n: number): string {
  const t0 = Date.parse('2023-01-01T00:00:00Z');
  const rows = Array.from({ length: n }, (_, i) => `${new Date(t0 + i * 3_600_000).toISOString()},100,101,99,100.5,${1000 + i}`);
  const file = join(cwd, 'bars.csv');
  writeFileSync(file, ['timestamp,open,high,low,close,volume', ...rows].join('\n'));
  return file;
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => expect.unreachable('expected the call to fail'),
    (e: unknown) => e,
  );

describe('a storage failure while a use case runs', () => {
  it('a full disk (SQLite\'s own "database or disk is full") is STORE_FULL naming the file, and nothing is imported', async () => {
    const { api, cwd, raw } = await open();
    const file = readCandleFile(csv(cwd, 3000), 'SOLUSD', '1h');
    // The database may not grow by a single page any more: exactly what a full disk does to SQLite.
    const pages = raw.pragma('page_count', { simple: true }) as number;
    raw.pragma(`max_page_count = ${pages}`);
    const e = (await failure(api.system.importCandles(file))) as FfeError;
    expect(e).toBeInstanceOf(FfeError);
    expect([e.code, e.exitCode, e.httpStatus]).toEqual(['STORE_FULL', 1, 507]);
    expect(e.message).toContain(`the disk holding the database ${api.runtime.app.store.location} is full`);
    expect(raw.prepare("SELECT COUNT(*) AS n FROM candles WHERE pair = 'SOLUSD'").get()).toEqual({ n: 0 });
  });

  it('a store that became read-only is STORE_READONLY naming the file (analyze stores its decision)', async () => {
    const { api, raw } = await open();
    raw.pragma('query_only = 1');
    const e = (await failure(api.trading.analyze('BTCUSD'))) as FfeError;
    expect(e).toBeInstanceOf(FfeError);
    expect([e.code, e.exitCode]).toEqual(['STORE_READONLY', 1]);
    expect(e.message).toContain(`the database ${api.runtime.app.store.location} is read-only`);
    raw.pragma('query_only = 0');
  });

  it('nested use cases too (trading.approvals)', async () => {
    const { api, raw } = await open();
    const { decision } = await api.trading.analyze('BTCUSD');
    const pending = await api.runtime.app.feedback.approvals.enqueue(decision);
    raw.pragma('query_only = 1');
    const e = (await failure(api.trading.approvals.reject(pending.id, 'no'))) as FfeError;
    raw.pragma('query_only = 0');
    expect(e).toBeInstanceOf(FfeError);
    expect(e.code).toBe('STORE_READONLY');
  });

  it('other failures pass through unchanged', async () => {
    const { api } = await open();
    const e = (await failure(api.trading.execute('NOSUCH'))) as FfeError;
    expect(e.code).toBe('DECISION_NOT_FOUND');
  });
});
