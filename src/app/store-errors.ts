import { statSync } from 'node:fs';
import { FfeError, type ErrorCode } from '../core/errors.js';

const KEY = 'persistence.sqlite_path';

/**
 * A store path that can never be a database file, found before SQLite is asked: SQLite's own
 * answer ("unable to open database file") names neither the file nor the setting.
 */
export function storePathProblem(path: string, shown = path): FfeError | null {
  if (path === ':memory:') return null;
  try {
    if (statSync(path).isDirectory()) {
      return new FfeError('config', 'STORE_PATH_INVALID', `${KEY}: "${shown}" is a directory; give a database file such as ./data/ffe.db`, { path: KEY });
    }
  } catch {
    // Not there yet: SQLite creates it (and its folder), or fails in a way classified below.
  }
  return null;
}

const CLASSES: { code: ErrorCode; pattern: RegExp; message: (path: string) => string }[] = [
  {
    code: 'STORE_READONLY',
    pattern: /SQLITE_READONLY|readonly database|EROFS/i,
    message: (p) => `the database ${p} is read-only: FFE must write to it (check the permissions of the file and its folder, or point ${KEY} elsewhere)`,
  },
  {
    code: 'STORE_FULL',
    pattern: /SQLITE_FULL|disk is full|ENOSPC/i,
    message: (p) => `the disk holding the database ${p} is full: the change was not saved; free some space and run the command again`,
  },
  {
    code: 'STORE_CANTOPEN',
    pattern: /SQLITE_CANTOPEN|unable to open database|directory does not exist|EACCES|EPERM|ENOTDIR|EEXIST: file already exists, mkdir|SQLITE_PERM/i,
    message: (p) => `cannot open the database ${p}: permission denied, or its folder cannot be created (check its permissions, or point ${KEY} elsewhere)`,
  },
];

/**
 * Turns a storage failure (better-sqlite3's `SQLITE_*` codes, file-system errno codes) into one
 * clear runtime error naming the file; anything else is returned unchanged.
 */
export function classifyStoreError(e: unknown, path: string, opts: { opening?: boolean } = {}): unknown {
  if (e instanceof FfeError && CLASSES.some((c) => c.code === e.code)) return e;
  const err = e as { code?: unknown; message?: unknown } | null;
  // While a command runs, only SQLite's own errors are about the store: an EACCES then may be
  // a report file the user asked for. While opening, every failure is about the store.
  if (!opts.opening && !(typeof err?.code === 'string' && err.code.startsWith('SQLITE_'))) return e;
  const text = `${typeof err?.code === 'string' ? err.code : ''} ${typeof err?.message === 'string' ? err.message : ''}`;
  for (const c of CLASSES) if (c.pattern.test(text)) return new FfeError('runtime', c.code, c.message(path), { path });
  return e;
}
