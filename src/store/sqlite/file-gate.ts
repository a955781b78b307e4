import { SqliteDialect, SqliteDriver, type DatabaseConnection, type SqliteDialectConfig } from 'kysely';
import { FfeError } from '../../core/errors.js';

/** How long a handle waits for another handle of this process on the same file to give the connection back. */
export const GATE_WAIT_MS = 10_000;

/**
 * One file opened by several handles in one process (tests that play two processes, a CLI
 * command next to the runtime's own handle). SQLite's busy handler waits synchronously: a
 * handle whose write met another handle's open transaction froze the event loop for the whole
 * busy timeout, and with it the very transaction it waited for (its awaits could not run), then
 * failed with "database is locked". Handles of one process on one file therefore take turns
 * here, asynchronously, before they touch the connection; other processes still meet SQLite's
 * locks. With one handle on the file (the usual case) a turn is always free: nothing waits.
 */
class FileGate {
  handles = 0;
  held = false;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly path: string) {}

  /** Resolves once this handle holds the file's turn; refuses after GATE_WAIT_MS. */
  enter(): Promise<void> | undefined {
    if (!this.held) {
      this.held = true;
      return undefined;
    }
    return new Promise<void>((resolve, reject) => {
      const turn = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const at = this.waiting.indexOf(turn);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(new FfeError('runtime', 'STORE_BUSY', `database ${this.path} stayed in use by another handle of this process for ${GATE_WAIT_MS / 1000} s`));
      }, GATE_WAIT_MS);
      this.waiting.push(turn);
    });
  }

  /** Gives the turn to the next waiting handle (it stays held), or frees it. */
  leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }
}

const gates = new Map<string, FileGate>();

/** True while several handles of this process share `path` and one of them holds its turn: bare synchronous work must queue (see `exclusive`). */
export function fileShared(path: string): boolean {
  const g = gates.get(path);
  return g !== undefined && g.handles > 1 && g.held;
}

/**
 * The Kysely SQLite dialect of one handle on `path`: every use of the connection (a query, a
 * held connection for a transaction or `exclusive` work) takes the file's turn after the
 * driver's own lock and gives it back on release. In-memory databases are never shared.
 */
export function gatedSqliteDialect(path: string, config: SqliteDialectConfig): SqliteDialect {
  if (path === ':memory:') return new SqliteDialect(config);
  let gate = gates.get(path);
  if (!gate) gates.set(path, (gate = new FileGate(path)));
  const g = gate;
  g.handles++;
  let counted = true;
  let mine = false;
  const forget = () => {
    if (!counted) return;
    counted = false;
    if (--g.handles === 0 && !g.held) gates.delete(path);
  };
  class GatedDriver extends SqliteDriver {
    override async acquireConnection(): Promise<DatabaseConnection> {
      const conn = await super.acquireConnection();
      try {
        const wait = g.enter();
        if (wait) await wait;
        mine = true;
      } catch (e) {
        await super.releaseConnection();
        throw e;
      }
      return conn;
    }
    override async releaseConnection(): Promise<void> {
      if (mine) {
        mine = false;
        g.leave();
      }
      return super.releaseConnection();
    }
    override async destroy(): Promise<void> {
      forget();
      return super.destroy();
    }
  }
  return new (class extends SqliteDialect {
    override createDriver() {
      return new GatedDriver(config);
    }
  })(config);
}
