import type Database from 'better-sqlite3';
import type { PaperBook } from '../port.js';
import { prepared } from './prepared.js';

/**
 * What the paper venue's reads (a replay asks for positions, cash and open orders ~15 times a
 * cycle) answer from memory. A read is remembered per connection and account until a paper row
 * changes: every paper write on the connection (any repository instance, in any transaction,
 * committed or later rolled back) counts as a change, and so does a commit by any other
 * connection on the file (SQLite's data_version, which covers other processes).
 */
const writes = new WeakMap<Database.Database, { n: number }>();

/** Call on every write to a paper table through `raw`. */
export function paperWrote(raw: Database.Database): void {
  const w = writes.get(raw);
  if (w) w.n++;
  else writes.set(raw, { n: 1 });
}

const writesOn = (raw: Database.Database) => writes.get(raw)?.n ?? 0;

/** Per connection and account: how many marks of held positions changed without a write (markQuiet's deferred marks). */
const marked = new WeakMap<Database.Database, Map<string, number>>();

/**
 * Call when a held position's mark changes without a write to a paper table (a mark waiting for
 * the next transaction, which the book's position reads answer with): only the account's
 * position reads change, so its other remembered reads (account, orders) stay valid.
 */
export function paperMarked(raw: Database.Database, accountId: string): void {
  let m = marked.get(raw);
  if (!m) marked.set(raw, (m = new Map()));
  m.set(accountId, (m.get(accountId) ?? 0) + 1);
}

const marksOn = (raw: Database.Database, accountId: string) => marked.get(raw)?.get(accountId) ?? 0;
/** The remembered reads a mark changes: positions carry their marks. */
const isPositions = (key: string) => key === 'positions' || key.startsWith('position|');
const dataVersion = (raw: Database.Database) => prepared(raw, 'PRAGMA data_version').pluck().get() as number;

interface Remembered {
  writes: number;
  dataVersion: number;
  /** The marks count (paperMarked) the remembered position reads were made at. */
  marks: number;
  reads: Map<string, Promise<unknown>>;
}
const remembered = new WeakMap<Database.Database, Map<string, Remembered>>();

class ReadOnlyBook extends Error {}

/**
 * A read-only book over `live` (the account's book on the connection itself, whose SQLite reads
 * run at once when called) that answers what it read before from memory. All it answers comes
 * from one state of the paper tables, as a snapshot would: a read it must make after that state
 * changed (another flow's write landed between two of `fn`'s awaits) fails, and `stale()` says
 * so; the caller then runs `fn` again on a real snapshot. Null while a transaction is open on
 * the connection (the caller reads a snapshot, which waits for it).
 */
export function rememberingBook(raw: Database.Database, accountId: string, live: PaperBook): { book: PaperBook; stale: () => boolean } | null {
  if (raw.inTransaction) return null;
  let byAccount = remembered.get(raw);
  if (!byAccount) remembered.set(raw, (byAccount = new Map()));
  const now = { writes: writesOn(raw), dataVersion: dataVersion(raw), marks: marksOn(raw, accountId) };
  let r = byAccount.get(accountId);
  if (!r || r.writes !== now.writes || r.dataVersion !== now.dataVersion) byAccount.set(accountId, (r = { ...now, reads: new Map() }));
  else if (r.marks !== now.marks) {
    // Only marks changed since: the position reads go, the rest is still the book's state.
    for (const key of [...r.reads.keys()]) if (isPositions(key)) r.reads.delete(key);
    r.marks = now.marks;
  }
  const state = r;
  const marks = now.marks;
  let stale = false;
  // Records are copied out: a caller may change what it was given, never what is remembered.
  const read = <T>(key: string | null, load: () => Promise<T>, copy: (v: T) => T): Promise<T> => {
    const hit = key === null ? undefined : (state.reads.get(key) as Promise<T> | undefined);
    if (hit) return hit.then(copy);
    // Inside another flow's open transaction a read could see its uncommitted writes: never remembered.
    // A position read after a mark changed since this view began would not match what it read before.
    if (raw.inTransaction || writesOn(raw) !== state.writes || dataVersion(raw) !== state.dataVersion || (key !== null && isPositions(key) && marksOn(raw, accountId) !== marks)) {
      stale = true;
      return Promise.reject(new ReadOnlyBook('paper view: the book changed while it was read'));
    }
    const p = load();
    if (key !== null) state.reads.set(key, p);
    return p.then(copy);
  };
  const same = <T>(v: T) => v;
  const rows = <T extends object>(v: T[]) => v.map((x) => ({ ...x }));
  const readOnly = () => Promise.reject(new ReadOnlyBook('paper view: the book is read-only'));
  const book: PaperBook = {
    account: () =>
      read(
        'account',
        () => live.account(),
        (a) => ({ ...a }),
      ),
    position: (pair) =>
      read(
        `position|${pair}`,
        () => live.position(pair),
        (p) => (p ? { ...p } : null),
      ),
    positions: () => read('positions', () => live.positions(), rows),
    openOrders: (pair) => read(`open|${pair ?? ''}`, () => live.openOrders(pair), rows),
    order: (id) => read(null, () => live.order(id), same),
    orderByClientId: (cid) => read(null, () => live.orderByClientId(cid), same),
    fills: (since) => read(null, () => live.fills(since), same),
    setCash: readOnly,
    savePosition: readOnly,
    setMark: readOnly,
    saveOrder: readOnly,
    addFill: readOnly,
  };
  return { book, stale: () => stale };
}
