import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../core/events.js';
import type { TrackedPosition } from '../monitor/types.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/port.js';
import { CycleBatch } from './cycle-batch.js';
import type { AgentEvent } from './types.js';

const stores: Store[] = [];
afterEach(async () => {
  while (stores.length) await stores.pop()!.close();
});

async function store(): Promise<Store> {
  const s = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'ffe-cycle-batch-')), 'ffe.db')}`);
  stores.push(s);
  return s;
}

const event = (kind: string, at: number): AgentEvent => ({ at, kind, state: 'IDLE', message: kind });

describe('CycleBatch', () => {
  it('holds the agent rows until flush, then writes them in one transaction and reports them after it committed, in order', async () => {
    const s = await store();
    let transactions = 0;
    const counting: Pick<Store, 'transaction'> = { transaction: (fn) => (transactions++, s.transaction(fn)) };
    const batch = new CycleBatch(counting);
    const heard: string[] = [];
    const committed: DomainEvent[] = [];
    s.events.onCommitted((es) => committed.push(...es));
    batch.record(event('start', 1), { type: 'AgentStateChanged', at: 1, payload: { kind: 'start' } }, true, () => heard.push('start'));
    batch.record(event('transition', 2), { type: 'AgentStateChanged', at: 2, payload: { kind: 'transition' } }, false, () => heard.push('transition'));
    const state = batch.state(s.agentState);
    const run = { cycle: 1, counts: { decisions: 0 } };
    await state.set('run', run, 3);
    // The agent keeps changing its run state: what was set is what is stored.
    run.counts.decisions = 5;
    expect(await s.events.latestSeq()).toBe(0);
    expect(heard).toEqual([]);
    await batch.flush();
    expect(transactions).toBe(1);
    expect(heard).toEqual(['start', 'transition']);
    expect(committed.map((e) => e.payload.kind)).toEqual(['start', 'transition']);
    // Only the logged event is in the agent's log; both are domain events.
    expect((await s.agentState.events(10)).map((e) => e.kind)).toEqual(['start']);
    expect(await s.agentState.get('run')).toEqual({ cycle: 1, counts: { decisions: 0 } });
    await batch.flush();
    expect(transactions).toBe(1);
  });

  it('a read of a key the batch holds a write of, or of decisions, writes the batch first', async () => {
    const s = await store();
    const batch = new CycleBatch(s);
    const state = batch.state(s.agentState);
    await state.set('kill_switch', { tripped: true }, 1);
    expect(await s.agentState.get('kill_switch')).toBeNull();
    expect(await state.get('kill_switch')).toEqual({ tripped: true });
    await state.set('other', 1, 2);
    // Another key's read does not flush.
    expect(await state.get('kill_switch')).toEqual({ tripped: true });
    expect(await s.agentState.get('other')).toBeNull();
    const decided: string[] = [];
    const write = batch.before(async () => decided.push(String(await s.agentState.get('other'))));
    await write();
    expect(decided).toEqual(['1']);
  });

  it('cycleEnd holds rows until everyCycles cycles are held; the last value set per key is the one stored', async () => {
    const s = await store();
    let transactions = 0;
    const counting: Pick<Store, 'transaction'> = { transaction: (fn) => (transactions++, s.transaction(fn)) };
    const batch = new CycleBatch(counting, { everyCycles: 3 });
    const state = batch.state(s.agentState);
    const run = { cycle: 0 };
    for (let i = 1; i <= 2; i++) {
      run.cycle = i;
      await state.set('run', run, i);
      batch.record(event('transition', i), { type: 'AgentStateChanged', at: i, payload: { kind: 'transition', i } }, true);
      await batch.cycleEnd();
    }
    expect(transactions).toBe(0);
    expect(await s.events.latestSeq()).toBe(0);
    run.cycle = 3;
    await state.set('run', run, 3);
    await batch.cycleEnd();
    expect(transactions).toBe(1);
    expect(await s.agentState.get('run')).toEqual({ cycle: 3 });
    expect((await s.agentState.events(10)).map((e) => e.at)).toEqual([1, 2]);
    // The count starts again after a write, whoever asked for it.
    await batch.cycleEnd();
    await batch.cycleEnd();
    expect(transactions).toBe(1);
  });

  it('transitions one after another at one instant are one domain event (the state reached, the messages in order); any other row, another instant or a flush ends the run', async () => {
    const s = await store();
    const batch = new CycleBatch(s);
    const heard: string[] = [];
    const committed: DomainEvent[] = [];
    s.events.onCommitted((es) => committed.push(...es));
    const go = (at: number, from: string, to: string, reason = '', logged = false) => {
      const e: AgentEvent = { at, kind: 'transition', state: to, message: `${from} → ${to}${reason ? `: ${reason}` : ''}` };
      batch.record(e, { type: 'AgentStateChanged', at, payload: { kind: e.kind, state: e.state, message: e.message } }, logged, () => heard.push(e.message));
    };
    go(1, 'IDLE', 'LEARNING', 'cycle 1');
    go(1, 'LEARNING', 'PERCEPTION');
    go(1, 'PERCEPTION', 'REASONING', 'BTCUSD, ETHUSD');
    const d = { at: 1, kind: 'denied', state: 'REASONING', message: 'BTCUSD: denied', data: { pair: 'BTCUSD' } };
    batch.record(d, { type: 'GateDenied', at: 1, payload: { kind: d.kind, state: d.state, message: d.message, data: d.data } }, true);
    go(1, 'REASONING', 'REASONING', 'ETHUSD');
    go(1, 'REASONING', 'IDLE', 'cycle done');
    go(2, 'IDLE', 'LEARNING', 'cycle 2');
    await batch.flush();
    go(2, 'LEARNING', 'PERCEPTION');
    go(2, 'PERCEPTION', 'HALT', 'kill switch', true);
    go(2, 'HALT', 'HALT');
    await batch.flush();
    expect(committed.map((e) => [e.type, e.payload.state, e.payload.message])).toEqual([
      ['AgentStateChanged', 'REASONING', 'IDLE → LEARNING: cycle 1; LEARNING → PERCEPTION; PERCEPTION → REASONING: BTCUSD, ETHUSD'],
      ['GateDenied', 'REASONING', 'BTCUSD: denied'],
      ['AgentStateChanged', 'IDLE', 'REASONING → REASONING: ETHUSD; REASONING → IDLE: cycle done'],
      ['AgentStateChanged', 'LEARNING', 'IDLE → LEARNING: cycle 2'],
      ['AgentStateChanged', 'PERCEPTION', 'LEARNING → PERCEPTION'],
      // A logged transition (into HALT) is a row of the agent's log and an event of its own.
      ['AgentStateChanged', 'HALT', 'PERCEPTION → HALT: kill switch'],
      ['AgentStateChanged', 'HALT', 'HALT → HALT'],
    ]);
    expect(committed.map((e) => e.payload.kind)).toEqual(['transition', 'denied', 'transition', 'transition', 'transition', 'transition', 'transition']);
    // Every agent event is still reported once, in order.
    expect(heard).toEqual([
      'IDLE → LEARNING: cycle 1',
      'LEARNING → PERCEPTION',
      'PERCEPTION → REASONING: BTCUSD, ETHUSD',
      'REASONING → REASONING: ETHUSD',
      'REASONING → IDLE: cycle done',
      'IDLE → LEARNING: cycle 2',
      'LEARNING → PERCEPTION',
      'PERCEPTION → HALT: kill switch',
      'HALT → HALT',
    ]);
    expect((await s.agentState.events(10)).map((e) => e.kind)).toEqual(['denied', 'transition']);
  });

  it('cycleEnd writes at once when maxHoldMs of real time passed since the last write', async () => {
    const s = await store();
    const batch = new CycleBatch(s, { everyCycles: 1000, maxHoldMs: 0 });
    batch.record(event('start', 1), { type: 'AgentStateChanged', at: 1, payload: { kind: 'start' } }, true);
    await batch.cycleEnd();
    expect((await s.agentState.events(10)).map((e) => e.kind)).toEqual(['start']);
  });

  it('trackers: held until the next flush, only the last save or removal per tracker written; reads answer what the store would', async () => {
    const s = await store();
    let transactions = 0;
    const counting: Pick<Store, 'transaction'> = { transaction: (fn) => (transactions++, s.transaction(fn)) };
    const batch = new CycleBatch(counting);
    const tracker = (key: string, openedAt: number, lastPrice: number): TrackedPosition => ({
      key,
      positionId: key,
      venue: 'paper',
      pair: key,
      side: 'long',
      units: 1,
      entryPrice: 100,
      openedAt,
      stopLossPrice: null,
      takeProfitPrice: null,
      lastPrice,
      unrealizedPnl: 0,
      mfe: 0,
      mae: 0,
      updatedAt: openedAt,
      tracked: true,
    });
    await s.monitor.saveTracker(tracker('ETHUSD', 5, 50));
    const trackers = batch.trackers(s.monitor);
    await trackers.saveTracker(tracker('BTCUSD', 5, 101));
    await trackers.saveTracker(tracker('AAPL', 9, 1));
    await trackers.saveTracker(tracker('BTCUSD', 5, 102));
    await trackers.saveTracker(tracker('SOLUSD', 1, 20));
    await trackers.removeTracker('SOLUSD');
    // Nothing written yet; the batch's reads see the saves, in the store's order (opened_at, key).
    expect(await s.monitor.trackers()).toEqual([tracker('ETHUSD', 5, 50)]);
    expect((await trackers.trackers()).map((t) => [t.key, t.lastPrice])).toEqual([
      ['BTCUSD', 102],
      ['ETHUSD', 50],
      ['AAPL', 1],
    ]);
    expect(transactions).toBe(0);
    await batch.flush();
    expect(transactions).toBe(1);
    expect(await s.monitor.trackers()).toEqual(await trackers.trackers());
    // A tracker changed by a caller after its save is stored as it was saved.
    const later = tracker('AAPL', 9, 2);
    await trackers.saveTracker(later);
    later.lastPrice = 3;
    await batch.flush();
    expect((await s.monitor.trackers()).find((t) => t.key === 'AAPL')?.lastPrice).toBe(2);
  });
});
