import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FfeError } from '../core/errors.js';
import { createApp } from './container.js';
import { classifyStoreError, storePathProblem } from './store-errors.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'ffe-store-err-'));

/** Runs `fn` against a real SQLite file and returns what it threw. */
function sqliteFailure(fn: (db: Database.Database) => void, open: (file: string) => Database.Database = (f) => new Database(f)): unknown {
  const file = join(tmp(), 'x.db');
  new Database(file).exec('CREATE TABLE t (v TEXT)').close();
  const db = open(file);
  try {
    fn(db);
  } catch (e) {
    return e;
  } finally {
    db.close();
  }
  throw new Error('expected SQLite to fail');
}

describe('storage failures become one clear line naming the file', () => {
  it('a read-only database (SQLITE_READONLY)', () => {
    const raw = sqliteFailure(
      (db) => db.exec("INSERT INTO t VALUES ('a')"),
      (f) => new Database(f, { readonly: true }),
    );
    expect((raw as { code: string }).code).toMatch(/^SQLITE_READONLY/);
    const e = classifyStoreError(raw, '/data/ffe.db') as FfeError;
    expect(e).toBeInstanceOf(FfeError);
    expect(e.code).toBe('STORE_READONLY');
    expect(e.exitCode).toBe(1);
    expect(e.message).toMatch(/\/data\/ffe\.db is read-only/);
  });

  it('a full disk (SQLITE_FULL)', () => {
    const raw = sqliteFailure((db) => {
      db.pragma('max_page_count = 2');
      const ins = db.prepare('INSERT INTO t VALUES (?)');
      for (let i = 0; i < 1000; i++) ins.run('x'.repeat(1000));
    });
    expect((raw as { code: string }).code).toBe('SQLITE_FULL');
    const e = classifyStoreError(raw, '/data/ffe.db') as FfeError;
    expect(e.code).toBe('STORE_FULL');
    expect(e.message).toMatch(/disk holding the database \/data\/ffe\.db is full/);
  });

  it('a database whose folder cannot be created, while opening', async () => {
    const cwd = tmp();
    mkdirSync(join(cwd, 'config'));
    writeFileSync(join(cwd, 'plain-file'), 'not a folder');
    const err = (await createApp({ cwd, env: { PERSISTENCE_SQLITE_PATH: 'plain-file/ffe.db' } }).then(
      () => null,
      (e: unknown) => e,
    )) as FfeError;
    expect(err.code).toBe('STORE_CANTOPEN');
    expect(err.exitCode).toBe(1);
    expect(err.message).toContain(`cannot open the database ${join(cwd, 'plain-file/ffe.db')}`);
  });

  it('leaves other errors alone, and file errors of a running command (a report path) too', () => {
    const other = new Error('boom');
    expect(classifyStoreError(other, '/x')).toBe(other);
    const eacces = Object.assign(new Error('EACCES: permission denied, open /r.html'), { code: 'EACCES' });
    expect(classifyStoreError(eacces, '/x')).toBe(eacces);
  });

  it('a directory as persistence.sqlite_path is a config error naming the key (exit 2)', async () => {
    expect(storePathProblem(tmp(), '/')?.message).toMatch(/persistence\.sqlite_path: "\/" is a directory/);
    const cwd = tmp();
    mkdirSync(join(cwd, 'config'));
    const err = await createApp({ cwd, env: { PERSISTENCE_SQLITE_PATH: '/' } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FfeError);
    expect((err as FfeError).exitCode).toBe(2);
    expect((err as FfeError).message).toMatch(/persistence\.sqlite_path/);
  });
});
