import { describe, expect, it } from 'vitest';
import type { Position } from '../core/order.js';
import { ReplayAccountReads } from './replay-account.js';

const position = (pair: string, units: string): Position => ({
  id: pair,
  venue: 'paper',
  pair,
  side: 'long',
  units,
  entryPrice: '100',
  markPrice: '101',
  unrealizedPnl: '1',
  openedAt: 1,
  stopLossPrice: null,
  takeProfitPrice: null,
});

function fakeVenue() {
  const calls = { positions: 0, equity: 0, advance: 0 };
  const state = { units: '1', equity: '1000', fail: false };
  const venue = {
    name: 'paper',
    positions: async () => {
      calls.positions++;
      if (state.fail) throw new Error('venue down');
      return [position('BTCUSD', state.units)];
    },
    equity: async () => (calls.equity++, { currency: 'USD', value: state.equity }),
    advance: async (_pair: string, _bar: { open: number; high: number; low: number; close: number; timestamp: number }) => {
      calls.advance++;
      state.units = '2';
      state.equity = '1010';
      return [];
    },
  };
  return { venue, calls, state };
}

describe('ReplayAccountReads', () => {
  it('reads positions and equity once while the clock stands and nothing changed the account', async () => {
    const { venue, calls } = fakeVenue();
    const reads = new ReplayAccountReads(venue, { now: () => 5 });
    const view = reads.view();
    expect(await view.positions()).toEqual([position('BTCUSD', '1')]);
    expect(await view.positions()).toEqual([position('BTCUSD', '1')]);
    expect(await view.equity()).toEqual({ currency: 'USD', value: '1000' });
    expect(await view.equity()).toEqual({ currency: 'USD', value: '1000' });
    expect(calls).toEqual({ positions: 1, equity: 1, advance: 0 });
  });

  it('gives each caller its own copies', async () => {
    const { venue } = fakeVenue();
    const view = new ReplayAccountReads(venue, { now: () => 5 }).view();
    const first = await view.positions();
    first[0].units = '99';
    first.pop();
    (await view.equity()).value = '0';
    expect(await view.positions()).toEqual([position('BTCUSD', '1')]);
    expect((await view.equity()).value).toBe('1000');
  });

  it('reads again after a bar fed through the view, an order (changes), or a move of the clock', async () => {
    const { venue, calls, state } = fakeVenue();
    let now = 5;
    const reads = new ReplayAccountReads(venue, { now: () => now });
    const view = reads.view();
    await view.positions();
    await view.advance!('BTCUSD', { open: 1, high: 1, low: 1, close: 1, timestamp: 5 });
    expect(await view.positions()).toEqual([position('BTCUSD', '2')]);
    expect((await view.equity()).value).toBe('1010');
    expect(calls.positions).toBe(2);
    const order = reads.changes(async () => {
      state.units = '3';
      throw new Error('rejected');
    });
    await expect(order()).rejects.toThrow('rejected');
    expect((await view.positions())[0].units).toBe('3');
    state.units = '4';
    now = 6;
    expect((await view.positions())[0].units).toBe('4');
    expect(calls.positions).toBe(4);
  });

  it('does not keep a failed read', async () => {
    const { venue, calls, state } = fakeVenue();
    const view = new ReplayAccountReads(venue, { now: () => 5 }).view();
    state.fail = true;
    await expect(view.positions()).rejects.toThrow('venue down');
    state.fail = false;
    expect(await view.positions()).toEqual([position('BTCUSD', '1')]);
    expect(calls.positions).toBe(2);
  });
});
