import { describe, expect, it } from 'vitest';
import type { PaperBook, Store } from '../../../src/store/port.js';
import { turns, type StoreContext } from './context.js';
import { paperFill, paperOrder, paperPosition, T0 } from './records.js';

const opening = { currency: 'USD', cash: '10000', now: T0 };

export function paperContract(ctx: StoreContext): void {
  describe('paper accounts', () => {
    it('the first transact opens the account with its opening cash; later openings change nothing; accounts are separate', async () => {
      const s = await ctx.open();
      expect(await s.paper.transact('acc', opening, (b) => b.account())).toEqual({ id: 'acc', currency: 'USD', cash: '10000', initialCash: '10000', createdAt: T0 });
      await s.paper.transact('acc', opening, (b) => b.setCash('9500.25'));
      expect(await s.paper.transact('acc', { currency: 'EUR', cash: '1', now: T0 + 1 }, (b) => b.account())).toEqual({ id: 'acc', currency: 'USD', cash: '9500.25', initialCash: '10000', createdAt: T0 });
      expect((await s.paper.transact('other', { ...opening, cash: '50' }, (b) => b.account())).cash).toBe('50');
      expect(await s.paper.transact('other', opening, (b) => b.positions())).toEqual([]);
    });

    it('positions: saved, read with the latest mark, listed by pair, deleted with null', async () => {
      const s = await ctx.open();
      await s.paper.transact('acc', opening, async (b) => {
        expect(await b.position('BTCUSD')).toBeNull();
        await b.savePosition('ETHUSD', paperPosition('ETHUSD', { side: 'short', units: '2' }));
        await b.savePosition('BTCUSD', paperPosition('BTCUSD'));
        await b.setMark('BTCUSD', '43000');
        await b.setMark('BTCUSD', '43100.5');
        // A mark of a pair without a position is kept for when one opens.
        await b.setMark('SOLUSD', '150');
      });
      const [btc, eth] = await s.paper.transact('acc', opening, (b) => b.positions());
      expect(btc).toEqual(paperPosition('BTCUSD', { markPrice: '43100.5' }));
      expect(eth).toEqual(paperPosition('ETHUSD', { side: 'short', units: '2' }));
      await s.paper.transact('acc', opening, async (b) => {
        await b.savePosition('BTCUSD', paperPosition('BTCUSD', { units: '0.5', stopLossPrice: null, markPrice: null }));
        await b.savePosition('SOLUSD', paperPosition('SOLUSD'));
        await b.savePosition('ETHUSD', null);
      });
      const after = await s.paper.transact('acc', opening, (b) => b.positions());
      expect(after).toEqual([paperPosition('BTCUSD', { units: '0.5', stopLossPrice: null, markPrice: '43100.5' }), paperPosition('SOLUSD', { markPrice: '150' })]);
      expect(await s.paper.transact('other', opening, (b) => b.positions())).toEqual([]);
    });

    it('orders: saved, found by venue id and by client id, updated in place; open orders oldest first, by pair', async () => {
      const s = await ctx.open();
      await s.paper.transact('acc', opening, async (b) => {
        await b.saveOrder(paperOrder('o2', { createdAt: T0 + 2 }));
        await b.saveOrder(paperOrder('o1', { createdAt: T0 + 1, pair: 'ETHUSD', side: 'sell', stopLossPrice: '3000', takeProfitPrice: '2500', reduceOnly: true }));
        await b.saveOrder(paperOrder('o3', { createdAt: T0 + 3, type: 'market', limitPrice: null, status: 'filled', filledUnits: '1', averagePrice: '42000', fees: '4.2' }));
        await b.saveOrder(paperOrder('o4', { createdAt: T0 + 4, status: 'partially_filled', filledUnits: '0.5', averagePrice: '40000' }));
      });
      await s.paper.transact('acc', opening, async (b) => {
        expect(await b.order('o1')).toEqual(paperOrder('o1', { createdAt: T0 + 1, pair: 'ETHUSD', side: 'sell', stopLossPrice: '3000', takeProfitPrice: '2500', reduceOnly: true }));
        expect(await b.orderByClientId('c-o3')).toMatchObject({ venueOrderId: 'o3', status: 'filled', averagePrice: '42000', fees: '4.2' });
        expect(await b.order('nope')).toBeNull();
        expect(await b.orderByClientId('nope')).toBeNull();
        expect((await b.openOrders()).map((o) => o.venueOrderId)).toEqual(['o1', 'o2', 'o4']);
        expect((await b.openOrders('BTCUSD')).map((o) => o.venueOrderId)).toEqual(['o2', 'o4']);
        await b.saveOrder(paperOrder('o2', { createdAt: T0 + 2, status: 'rejected', reason: 'insufficient funds', updatedAt: T0 + 9 }));
        expect(await b.order('o2')).toEqual(paperOrder('o2', { createdAt: T0 + 2, status: 'rejected', reason: 'insufficient funds', updatedAt: T0 + 9 }));
        expect((await b.openOrders()).map((o) => o.venueOrderId)).toEqual(['o1', 'o4']);
      });
      // Another account sees none of them.
      expect(await s.paper.transact('other', opening, (b) => b.openOrders())).toEqual([]);
      expect(await s.paper.transact('other', opening, (b) => b.orderByClientId('c-o1'))).toBeNull();
    });

    it('view (where the engine has one, else transact) opens an unknown account, reads what committed, and inside a store transaction sees its writes', async () => {
      const s = await ctx.open();
      const view = <T>(st: Store, fn: (b: PaperBook) => Promise<T>): Promise<T> => (st.paper.view ? st.paper.view('acc', opening, fn) : st.paper.transact('acc', opening, fn));
      expect(await view(s, (b) => b.account())).toMatchObject({ id: 'acc', cash: '10000' });
      await s.paper.transact('acc', opening, async (b) => {
        await b.setCash('9000');
        await b.savePosition('BTCUSD', paperPosition('BTCUSD'));
        await b.saveOrder(paperOrder('o1'));
      });
      expect(await view(s, async (b) => [(await b.account()).cash, (await b.positions()).map((p) => p.pair), (await b.openOrders()).map((o) => o.venueOrderId)])).toEqual(['9000', ['BTCUSD'], ['o1']]);
      await s.transaction(async (tx) => {
        await tx.paper.transact('acc', opening, (b) => b.setCash('8000'));
        expect(await view(tx, async (b) => (await b.account()).cash)).toBe('8000');
      });
      expect(await view(s, async (b) => (await b.account()).cash)).toBe('8000');
      // A view of one handle sees what another handle committed.
      const o = await ctx.other();
      if (o) {
        await o.paper.transact('acc', opening, (b) => b.setCash('7000'));
        expect(await view(s, async (b) => (await b.account()).cash)).toBe('7000');
      }
    });

    it('view: repeated reads see every later write (another repository on the connection, another handle) and none that rolled back; one view never mixes two states', async () => {
      const s = await ctx.open();
      const view = <T>(st: Store, fn: (b: PaperBook) => Promise<T>): Promise<T> => (st.paper.view ? st.paper.view('acc', opening, fn) : st.paper.transact('acc', opening, fn));
      const cash = () => view(s, async (b) => (await b.account()).cash);
      expect(await cash()).toBe('10000');
      const a = await view(s, (b) => b.account());
      a.cash = 'changed by the caller';
      expect(await cash()).toBe('10000');
      // Through a store transaction's own repositories.
      await s.transaction((tx) => tx.paper.transact('acc', opening, (b) => b.setCash('9000')));
      expect(await cash()).toBe('9000');
      // A mark alone changes what positions read.
      await s.paper.transact('acc', opening, (b) => b.savePosition('BTCUSD', paperPosition('BTCUSD')));
      expect((await view(s, (b) => b.positions())).map((p) => p.pair)).toEqual(['BTCUSD']);
      await s.paper.transact('acc', opening, (b) => b.setMark('BTCUSD', '123.5'));
      expect((await view(s, (b) => b.positions()))[0]!.markPrice).toBe('123.5');
      await expect(
        s.paper.transact('acc', opening, async (b) => {
          await b.setCash('1');
          throw new Error('undo');
        }),
      ).rejects.toThrow('undo');
      expect(await cash()).toBe('9000');
      // A write that lands between two reads of one view: the view answers one state, not half of each.
      // The write is not awaited inside the view: where a view is a transaction (PostgreSQL) it waits for the view to end.
      let wrote = false;
      let between: Promise<void> | undefined;
      const seen = await view(s, async (b) => {
        const before = (await b.account()).cash;
        if (!wrote) {
          wrote = true;
          between = s.paper.transact('acc', opening, async (w) => {
            await w.setCash('8000');
            await w.savePosition('BTCUSD', null);
          });
          await turns(20);
        }
        return [before, (await b.positions()).length];
      });
      expect([
        ['9000', 1],
        ['8000', 0],
      ]).toContainEqual(seen);
      await between;
      expect(await cash()).toBe('8000');
      const o = await ctx.other();
      if (o) {
        await o.paper.transact('acc', opening, (b) => b.setCash('7000'));
        expect(await cash()).toBe('7000');
      }
    });

    it('markIdle (where the engine has it): sets the mark of a pair with neither a position nor a resting order, by the next transaction at the latest; refuses (writing nothing) otherwise', async () => {
      const s = await ctx.open();
      const markIdle = s.paper.markIdle?.bind(s.paper);
      if (!markIdle) return;
      // The mark a pair has, seen by opening a position in it that brings no mark of its own.
      const markOf = async (st: Store, pair: string) => {
        const p = await st.paper.transact('acc', opening, async (b) => {
          await b.savePosition(pair, paperPosition(pair));
          return b.position(pair);
        });
        await st.paper.transact('acc', opening, (b) => b.savePosition(pair, null));
        return p!.markPrice;
      };
      // An account this repository has not opened: nothing to mark.
      expect(await markIdle('acc', 'BTCUSD', '100')).toBe(false);
      await s.paper.transact('acc', opening, async () => {});
      expect(await markIdle('acc', 'BTCUSD', '100')).toBe(true);
      expect(await markIdle('acc', 'BTCUSD', '101')).toBe(true);
      expect(await markOf(s, 'BTCUSD')).toBe('101');
      // A transaction that rolls back does not lose a mark that waited for it.
      expect(await markIdle('acc', 'BTCUSD', '102')).toBe(true);
      await expect(s.paper.transact('acc', opening, () => Promise.reject(new Error('undo')))).rejects.toThrow('undo');
      expect(await markOf(s, 'BTCUSD')).toBe('102');
      // A position or a resting order in the pair: refused, the mark stays.
      await s.paper.transact('acc', opening, async (b) => {
        await b.savePosition('ETHUSD', paperPosition('ETHUSD'));
        await b.setMark('ETHUSD', '50');
        await b.saveOrder(paperOrder('o1', { pair: 'SOLUSD' }));
        await b.setMark('SOLUSD', '10');
      });
      expect(await markIdle('acc', 'ETHUSD', '51')).toBe(false);
      expect(await markIdle('acc', 'SOLUSD', '11')).toBe(false);
      expect((await s.paper.transact('acc', opening, (b) => b.positions())).map((p) => [p.pair, p.markPrice])).toEqual([['ETHUSD', '50']]);
      await s.paper.transact('acc', opening, (b) => b.saveOrder(paperOrder('o1', { pair: 'SOLUSD', status: 'cancelled' })));
      expect(await markOf(s, 'SOLUSD')).toBe('10');
      // Inside a store transaction: written there, at once.
      await s.transaction(async (tx) => {
        await tx.paper.transact('acc', opening, async () => {});
        expect(await tx.paper.markIdle!('acc', 'SOLUSD', '12')).toBe(true);
      });
      expect(await markOf(s, 'SOLUSD')).toBe('12');
      // A mark that waits never overwrites the mark of a position another handle opened meanwhile.
      const o = await ctx.other();
      if (o) {
        expect(await markIdle('acc', 'ADAUSD', '1')).toBe(true);
        await o.paper.transact('acc', opening, async (b) => {
          await b.savePosition('ADAUSD', paperPosition('ADAUSD'));
          await b.setMark('ADAUSD', '2');
        });
        await s.paper.transact('acc', opening, async () => {});
        expect((await s.paper.transact('acc', opening, (b) => b.position('ADAUSD')))!.markPrice).toBe('2');
      }
    });

    it('markQuiet (where the engine has it): positions read the new mark at once; it is stored by the next transaction at the latest, a rolled-back one included', async () => {
      const s = await ctx.open();
      const markQuiet = s.paper.markQuiet?.bind(s.paper);
      if (!markQuiet) return;
      await s.paper.transact('acc', opening, async (b) => {
        await b.savePosition('BTCUSD', paperPosition('BTCUSD'));
        await b.setMark('BTCUSD', '100');
      });
      const read = <T>(fn: (b: PaperBook) => Promise<T>) => (s.paper.view ? s.paper.view('acc', opening, fn) : s.paper.transact('acc', opening, fn));
      const mark = async () => (await read((b) => b.position('BTCUSD')))!.markPrice;
      expect(await mark()).toBe('100');
      await markQuiet('acc', 'BTCUSD', '101');
      expect(await mark()).toBe('101');
      expect((await read((b) => b.positions())).map((p) => p.markPrice)).toEqual(['101']);
      await expect(s.paper.transact('acc', opening, () => Promise.reject(new Error('undo')))).rejects.toThrow('undo');
      expect(await mark()).toBe('101');
      await s.paper.transact('acc', opening, async () => {});
      const o = await ctx.other();
      if (o) expect((await o.paper.transact('acc', opening, (b) => b.position('BTCUSD')))!.markPrice).toBe('101');
      // Inside a store transaction: written there, at once.
      await s.transaction(async (tx) => {
        await tx.paper.markQuiet!('acc', 'BTCUSD', '102');
        expect((await tx.paper.transact('acc', opening, (b) => b.position('BTCUSD')))!.markPrice).toBe('102');
      });
      expect(await mark()).toBe('102');
    });

    it('a second order with a client order id already used in the account is refused (and the transaction with it)', async () => {
      const s = await ctx.open();
      await s.paper.transact('acc', opening, (b) => b.saveOrder(paperOrder('o1')));
      await expect(
        s.paper.transact('acc', opening, async (b) => {
          await b.setCash('1');
          await b.saveOrder(paperOrder('o2', { clientOrderId: 'c-o1' }));
        }),
      ).rejects.toThrow();
      expect(await s.paper.transact('acc', opening, (b) => b.account())).toMatchObject({ cash: '10000' });
      expect(await s.paper.transact('acc', opening, (b) => b.order('o2'))).toBeNull();
      // The same client id in another account is another order.
      await s.paper.transact('other', opening, (b) => b.saveOrder(paperOrder('o9', { clientOrderId: 'c-o1' })));
      expect((await s.paper.transact('other', opening, (b) => b.orderByClientId('c-o1')))?.venueOrderId).toBe('o9');
    });

    it('fills: oldest first, since a time (inclusive), per account', async () => {
      const s = await ctx.open();
      await s.paper.transact('acc', opening, async (b) => {
        await b.saveOrder(paperOrder('o1'));
        await b.addFill(paperFill('f2', { timestamp: T0 + 20, side: 'sell', realizedPnl: '12.5' }));
        await b.addFill(paperFill('f1', { timestamp: T0 + 10 }));
        await b.addFill(paperFill('f3', { timestamp: T0 + 30 }));
      });
      await s.paper.transact('other', opening, async (b) => {
        await b.saveOrder(paperOrder('o1', { venueOrderId: 'o9' }));
        await b.addFill(paperFill('f9', { venueOrderId: 'o9' }));
      });
      const fills = await s.paper.transact('acc', opening, (b) => b.fills());
      expect(fills.map((f) => f.fillId)).toEqual(['f1', 'f2', 'f3']);
      expect(fills[1]).toEqual(paperFill('f2', { timestamp: T0 + 20, side: 'sell', realizedPnl: '12.5' }));
      expect((await s.paper.transact('acc', opening, (b) => b.fills(T0 + 20))).map((f) => f.fillId)).toEqual(['f2', 'f3']);
      expect(await s.paper.transact('acc', opening, (b) => b.fills(T0 + 31))).toEqual([]);
    });

    it('a transact that throws leaves nothing (cash, position, mark, order, fill), and rethrows', async () => {
      const s = await ctx.open();
      await s.paper.transact('acc', opening, (b) => b.setCash('9000'));
      const boom = new Error('boom');
      const err = await s.paper
        .transact('acc', opening, async (b) => {
          await b.setCash('1');
          await b.savePosition('BTCUSD', paperPosition('BTCUSD'));
          await b.setMark('BTCUSD', '1');
          await b.saveOrder(paperOrder('o1'));
          await b.addFill(paperFill('f1'));
          throw boom;
        })
        .catch((e: unknown) => e);
      expect(err).toBe(boom);
      await s.paper.transact('acc', opening, async (b) => {
        expect((await b.account()).cash).toBe('9000');
        expect(await b.positions()).toEqual([]);
        expect(await b.order('o1')).toBeNull();
        expect(await b.fills()).toEqual([]);
      });
      // A brand-new account opened by a failed transact is not left behind either: its opening is taken again.
      await s.paper.transact('fresh', opening, () => Promise.reject(new Error('x'))).catch(() => {});
      expect((await s.paper.transact('fresh', { ...opening, cash: '77' }, (b) => b.account())).cash).toBe('77');
    });

    it('check-then-write is atomic: concurrent transacts (two handles) spending the same cash never both pass the check', async () => {
      const s = await ctx.open();
      const other = (await ctx.other()) ?? s;
      await s.paper.transact('acc', { ...opening, cash: '100' }, async () => {});
      const spend = (st: Store, id: string) =>
        st.paper.transact('acc', opening, async (b) => {
          const cash = Number((await b.account()).cash);
          await turns();
          if (cash < 60) return false;
          await b.setCash(String(cash - 60));
          await b.saveOrder(paperOrder(id));
          return true;
        });
      const got = await Promise.all([spend(s, 'o1'), spend(other, 'o2'), spend(s, 'o3')]);
      expect(got.filter(Boolean)).toHaveLength(1);
      expect((await s.paper.transact('acc', opening, (b) => b.account())).cash).toBe('40');
    });
  });
}
