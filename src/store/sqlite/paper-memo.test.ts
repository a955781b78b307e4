import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { PaperBook, PaperPositionRecord } from '../port.js';
import { paperMarked, paperWrote, rememberingBook } from './paper-memo.js';

/** A live book that counts its reads and answers with the mark it is given. */
function liveBook() {
  const calls = { account: 0, positions: 0, openOrders: 0 };
  let mark = '1';
  const position = (): PaperPositionRecord => ({ pair: 'BTCUSD', side: 'long', units: '1', entryPrice: '1', openedAt: 0, stopLossPrice: null, takeProfitPrice: null, markPrice: mark });
  const no = () => Promise.reject(new Error('not in this test'));
  const book: PaperBook = {
    account: async () => (calls.account++, { id: 'a', currency: 'USD', cash: '100', initialCash: '100', createdAt: 0 }),
    positions: async () => (calls.positions++, [position()]),
    position: async () => (calls.positions++, position()),
    openOrders: async () => (calls.openOrders++, []),
    order: no,
    orderByClientId: no,
    fills: no,
    setCash: no,
    savePosition: no,
    setMark: no,
    saveOrder: no,
    addFill: no,
  };
  return { book, calls, setMark: (m: string) => (mark = m) };
}

describe('paper read memo', () => {
  const dbs: Database.Database[] = [];
  const raw = () => {
    const db = new Database(':memory:');
    dbs.push(db);
    return db;
  };
  afterEach(() => {
    for (const db of dbs.splice(0)) db.close();
  });

  it('a mark changed without a write (paperMarked) re-reads positions only; the account and orders stay remembered', async () => {
    const db = raw();
    const live = liveBook();
    const first = rememberingBook(db, 'a', live.book)!;
    await first.book.account();
    await first.book.openOrders('BTCUSD');
    expect((await first.book.positions())[0].markPrice).toBe('1');

    live.setMark('2');
    paperMarked(db, 'a');
    const second = rememberingBook(db, 'a', live.book)!;
    expect((await second.book.positions())[0].markPrice).toBe('2');
    expect((await second.book.position('BTCUSD'))!.markPrice).toBe('2');
    await second.book.account();
    await second.book.openOrders('BTCUSD');
    expect(live.calls).toEqual({ account: 1, positions: 3, openOrders: 1 });
    expect(second.stale()).toBe(false);
  });

  it('a view that began before the mark changed is stale once it reads a position again', async () => {
    const db = raw();
    const live = liveBook();
    const view = rememberingBook(db, 'a', live.book)!;
    await view.book.positions();
    paperMarked(db, 'a');
    live.setMark('2');
    // Another view began meanwhile and dropped the remembered positions.
    await rememberingBook(db, 'a', live.book)!.book.account();
    await expect(view.book.positions()).rejects.toThrow(/changed/);
    expect(view.stale()).toBe(true);
  });

  it("another account's mark leaves this account's positions remembered; a paper write forgets every read", async () => {
    const db = raw();
    const live = liveBook();
    await rememberingBook(db, 'a', live.book)!.book.positions();
    paperMarked(db, 'b');
    await rememberingBook(db, 'a', live.book)!.book.positions();
    expect(live.calls.positions).toBe(1);
    paperWrote(db);
    const after = rememberingBook(db, 'a', live.book)!;
    await after.book.positions();
    await after.book.account();
    expect(live.calls).toEqual({ account: 1, positions: 2, openOrders: 0 });
  });
});
