import { describe, expect, it } from 'vitest';
import { newIntent } from '../../../test/support/execution-harness.js';
import { SqliteOrderJournal } from './order-journal-repository.js';
import { SqliteBreakerStates } from './breaker-state-repository.js';
import { SqliteEquitySnapshotRepository } from './equity-snapshot-repository.js';
import { SqliteStore } from './store.js';
import type { NewIntent } from '../../execution/intents.js';

const intent = (cid: string, over: Partial<NewIntent> = {}) => newIntent(cid, { stopLossPrice: '95000', ...over });

describe('SqliteOrderJournal', () => {
  it('journals an intent once: a second open with the same client id returns the stored row', async () => {
    const store = await SqliteStore.open(':memory:');
    const j = new SqliteOrderJournal(store.sqlite);
    const a = await j.open(intent('c1'), 1000);
    expect(a.created).toBe(true);
    expect(a.intent).toMatchObject({ clientOrderId: 'c1', state: 'INTENT', filledUnits: '0', stopLossPrice: '95000', createdAt: 1000 });
    const b = await j.open(intent('c1', { units: '5' }), 2000);
    expect(b.created).toBe(false);
    expect(b.intent.units).toBe('0.1');
    await store.close();
  });

  it('claims an intent for submission only once, and never overwrites a final state', async () => {
    const store = await SqliteStore.open(':memory:');
    const j = new SqliteOrderJournal(store.sqlite);
    await j.open(intent('c1'), 1);
    expect(await j.claim('c1', 2)).toBe(true);
    expect(await j.claim('c1', 3)).toBe(false);
    expect((await j.unsettled('paper')).map((i) => i.state)).toEqual(['SUBMITTING']);
    await j.update('c1', { state: 'FILLED', filledUnits: '0.1', averagePrice: '100000', venueOrderId: 'v1' }, 4);
    const late = await j.update('c1', { state: 'UNKNOWN', reason: 'late timeout' }, 5);
    expect(late).toMatchObject({ state: 'FILLED', reason: null, updatedAt: 4, submittedAt: 2 });
    expect(await j.unsettled('paper')).toEqual([]);
    await store.close();
  });

  it('derives exact net positions from filled units and adjustments, per account', async () => {
    const store = await SqliteStore.open(':memory:');
    const j = new SqliteOrderJournal(store.sqlite);
    const fill = async (cid: string, side: 'buy' | 'sell', units: string, account = 'paper') => {
      await j.open(intent(cid, { side, units, account }), 1);
      await j.update(cid, { state: 'FILLED', filledUnits: units }, 2);
    };
    await fill('a', 'buy', '0.1');
    await fill('b', 'buy', '0.2');
    await fill('c', 'sell', '0.3');
    await fill('d', 'sell', '1000', 'live');
    await j.open(intent('e', { pair: 'ETHUSD' }), 3);
    // 0.1 + 0.2 − 0.3 is exactly zero in decimals (not 5.5e-17): no phantom position.
    expect(await j.netPositions('paper')).toEqual({});
    expect(await j.netPositions('live')).toEqual({ BTCUSD: '-1000' });
    expect(await j.adjust({ id: 'fill:1', account: 'paper', pair: 'ETHUSD', units: '-0.5', reason: 'stop', createdAt: 4 })).toBe(true);
    expect(await j.adjust({ id: 'fill:1', account: 'paper', pair: 'ETHUSD', units: '-0.5', reason: 'stop', createdAt: 5 })).toBe(false);
    expect(await j.netPositions('paper')).toEqual({ ETHUSD: '-0.5' });
    expect(await j.adjustmentIds('paper')).toEqual(new Set(['fill:1']));
    expect((await j.list({ decisionId: 'D1', limit: 2 })).length).toBe(2);
    await store.close();
  });
});

describe('SqliteEquitySnapshotRepository', () => {
  it('returns an account curve in time order within a range', async () => {
    const store = await SqliteStore.open(':memory:');
    const s = new SqliteEquitySnapshotRepository(store.sqlite);
    await s.record({ account: 'paper', at: 300, equity: '10100.5', currency: 'USD', source: 'balance' });
    await s.record({ account: 'paper', at: 100, equity: '10000', currency: 'USD', source: 'execution' });
    await s.record({ account: 'live', at: 200, equity: '500', currency: 'USD', source: 'balance' });
    expect((await s.range('paper', 0, 1000)).map((x) => [x.at, x.equity])).toEqual([
      [100, '10000'],
      [300, '10100.5'],
    ]);
    expect(await s.range('paper', 150, 250)).toEqual([]);
    await store.close();
  });
});

describe('SqliteBreakerStates', () => {
  it('round-trips a breaker memory, overwrites it on save and lists every stored breaker by name', async () => {
    const store = await SqliteStore.open(':memory:');
    const b = new SqliteBreakerStates(store.sqlite);
    expect(await b.load('venue:paper')).toBeNull();
    expect(await b.list()).toEqual([]);
    const m = { name: 'venue:paper', state: 'OPEN' as const, consecutiveFailures: 3, openedAt: 10, changedAt: 10, counters: { calls: 3, successes: 0, failures: 3, rejected: 0, opens: 1 }, lastError: 'HTTP 503' };
    await b.save(m);
    await b.save({ ...m, counters: { ...m.counters, rejected: 2 } });
    expect(await b.load('venue:paper')).toEqual({ ...m, counters: { ...m.counters, rejected: 2 } });
    await b.save({ ...m, name: 'venue:live:oanda', venue: 'oanda' });
    expect((await b.list()).map((x) => [x.name, x.venue ?? null])).toEqual([
      ['venue:live:oanda', 'oanda'],
      ['venue:paper', null],
    ]);
    await store.close();
  });
});
