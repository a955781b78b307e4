import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPaperVenue } from '../../test/fakes/paper-venue.js';
import { reconcile } from '../execution/reconcile.js';
import { OrderSubmitter } from '../execution/submitter.js';
import { TradeMonitor } from './trade-monitor.js';
import type { NewIntent } from '../execution/intents.js';
import type { MonitorRepository, OrderJournalRepository } from '../store/port.js';
import type { TrackedPosition, TradeMetrics } from './types.js';

type Paper = Awaited<ReturnType<typeof openPaperVenue>>;

describe('TradeMonitor', () => {
  let p: Paper;
  let journal: OrderJournalRepository;
  let repo: MonitorRepository;
  let monitor: TradeMonitor;
  let n = 0;

  beforeEach(async () => {
    p = await openPaperVenue({ prices: { BTCUSD: 100, ETHUSD: 50, SOLUSD: 20 } });
    journal = p.store.orders;
    repo = p.store.monitor;
    monitor = new TradeMonitor({ venue: p.venue, journal, closeReasons: p.store.closeReasons, repo, clock: p.clock, maxTrackers: 2, newId: () => `m${++n}` });
  });
  afterEach(() => p.close());

  /** An entry sent the way the order path sends it: journaled first, then placed. */
  async function enter(pair: string, side: 'buy' | 'sell', sl: string | null, tp: string | null, decisionId = `dec-${pair}`) {
    const cid = `ffe-open-${pair}-${++n}`;
    const intent: NewIntent = {
      clientOrderId: cid,
      account: 'paper',
      venue: 'paper',
      decisionId,
      leg: 'open',
      positionId: null,
      pair,
      side,
      type: 'market',
      units: '1',
      limitPrice: null,
      stopLossPrice: sl,
      takeProfitPrice: tp,
      reduceOnly: false,
    };
    await journal.open(intent, p.clock.now());
    await p.venue.placeOrder({ clientOrderId: cid, pair, side, type: 'market', units: '1', stopLossPrice: sl ?? undefined, takeProfitPrice: tp ?? undefined });
    await journal.update(cid, { state: 'FILLED', filledUnits: '1' }, p.clock.now());
  }

  it('tracks MFE/MAE and classifies a venue-triggered stop from our attached stop, linking the decision', async () => {
    await enter('BTCUSD', 'buy', '95', '110');
    expect((await monitor.poll()).opened).toHaveLength(1);
    p.prices.set('BTCUSD', 104);
    await monitor.poll();
    await monitor.observeBar('BTCUSD', { high: 106, low: 99, close: 100, timestamp: p.clock.now() });
    await p.clock.sleep(3_600_000);
    await p.venue.onPrice('BTCUSD', { high: 101, low: 94, close: 96, timestamp: p.clock.now() });
    const { closed } = await monitor.poll();
    expect(closed).toHaveLength(1);
    const m = closed[0];
    expect(m).toMatchObject({ exitReason: 'stop_loss', decisionId: 'dec-BTCUSD', side: 'long', exitPrice: 95, holdingMs: 3_600_000 });
    expect(m.mfe).toBeCloseTo(0.06, 10);
    expect(m.mae).toBeCloseTo(-0.05, 10);
    // Fees of both fills (0.1 % of 100 and of 95) come off the P&L.
    expect(m.pnl).toBeCloseTo(-5 - 0.1 - 0.095, 8);
    expect((await monitor.status()).active).toHaveLength(0);
    expect(await repo.unlearned()).toHaveLength(1);
    // The venue's stop is booked in the journal, so the next reconcile sees no phantom long.
    expect(await journal.netPositions('paper')).toEqual({});
  });

  it('books a venue stop once: a later reconcile adopts nothing more and finds the journal equal to the venue', async () => {
    await enter('BTCUSD', 'buy', '95', '110');
    await monitor.poll();
    await p.clock.sleep(60_000);
    await p.venue.onPrice('BTCUSD', { high: 101, low: 94, close: 96, timestamp: p.clock.now() });
    expect((await monitor.poll()).closed).toHaveLength(1);
    expect(await journal.adjustmentIds('paper')).toHaveProperty('size', 1);
    const submitter = new OrderSubmitter(journal, p.clock, { attempts: 1, intervalMs: 10, graceMs: 100 });
    const report = await reconcile('paper', p.venue, journal, submitter, p.clock);
    expect(report.ok).toBe(true);
    expect(report.adoptedFills).toEqual([]);
    expect(report.foreignFills).toEqual([]);
    expect(await journal.adjustmentIds('paper')).toHaveProperty('size', 1);
    expect(await journal.netPositions('paper')).toEqual({});
  });

  it('labels a take-profit, a kill-switch close and a manual close from the records, not from P&L', async () => {
    await enter('BTCUSD', 'buy', '90', '105');
    await enter('ETHUSD', 'sell', null, null);
    await enter('SOLUSD', 'buy', null, null);
    await monitor.poll();
    await p.venue.onPrice('BTCUSD', { high: 106, low: 100, close: 105, timestamp: p.clock.now() });
    // The kill switch logs its reason before sending the close, so even a winning close is labelled kill_switch.
    p.prices.set('ETHUSD', 40);
    await p.store.closeReasons.record('ffe-kill-ETHUSD', 'kill_switch', p.clock.now());
    await p.venue.closePosition('ETHUSD', 'ffe-kill-ETHUSD');
    await p.venue.closePosition('SOLUSD', 'someone-at-the-exchange');
    const { closed } = await monitor.poll();
    const byPair = Object.fromEntries(closed.map((c) => [c.pair, c.exitReason]));
    expect(byPair).toEqual({ BTCUSD: 'take_profit', ETHUSD: 'kill_switch', SOLUSD: 'manual' });
    expect(closed.find((c) => c.pair === 'ETHUSD')!.pnl).toBeGreaterThan(0);
  });

  it('keeps a flip at one instant apart: the venue stop of the old short is neither the new long’s entry nor its exit', async () => {
    await enter('BTCUSD', 'sell', '105', null, 'dec-short');
    await monitor.poll();
    await p.clock.sleep(3_600_000);
    p.prices.set('BTCUSD', 106);
    await p.venue.onPrice('BTCUSD', { high: 106, low: 101, close: 106, timestamp: p.clock.now() });
    await enter('BTCUSD', 'buy', '100', '110', 'dec-long');
    const first = await monitor.poll();
    expect(first.closed.map((c) => [c.decisionId, c.exitReason])).toEqual([['dec-short', 'stop_loss']]);
    await p.clock.sleep(3_600_000);
    await p.venue.onPrice('BTCUSD', { high: 111, low: 105, close: 110, timestamp: p.clock.now() });
    const { closed } = await monitor.poll();
    expect(closed.map((c) => [c.decisionId, c.exitReason, c.exitPrice])).toEqual([['dec-long', 'take_profit', 110]]);
    expect(await journal.netPositions('paper')).toEqual({});
  });

  it('folds a batch of bars of several pairs into the trackers as bar-by-bar observation does, with one read of the trackers', async () => {
    await enter('BTCUSD', 'buy', null, null);
    await enter('ETHUSD', 'sell', null, null);
    await monitor.poll();
    const t = p.clock.now();
    const bars = [
      { pair: 'BTCUSD', bar: { high: 103, low: 98, close: 101, timestamp: t + 1 } },
      { pair: 'ETHUSD', bar: { high: 52, low: 47, close: 49, timestamp: t + 1 } },
      { pair: 'BTCUSD', bar: { high: 108, low: 97, close: 104, timestamp: t + 2 } },
    ];
    const before = await repo.trackers();
    for (const { pair, bar } of bars) await monitor.observeBar(pair, bar);
    const oneByOne = await repo.trackers();
    for (const x of before) await repo.saveTracker(x);
    let reads = 0;
    const counted: MonitorRepository = { ...repo, trackers: () => (reads++, repo.trackers()), saveTracker: (x) => repo.saveTracker(x) };
    const batched = new TradeMonitor({ venue: p.venue, journal, closeReasons: p.store.closeReasons, repo: counted, clock: p.clock, maxTrackers: 2, newId: () => `m${++n}` });
    await batched.observeBars(bars);
    expect(reads).toBe(1);
    expect(await repo.trackers()).toEqual(oneByOne);
    // The bars moved the excursions: the comparison is not of two untouched states.
    const btc = oneByOne.find((x) => x.pair === 'BTCUSD')!;
    expect([btc.mfe, btc.mae, btc.lastPrice, btc.updatedAt]).toEqual([0.08, -0.03, 104, t + 2]);
  });

  it('runs beforeWrite once before the first write of a closed trade, not before tracker saves, nor when none closed', async () => {
    const calls: string[] = [];
    const logged: MonitorRepository = Object.assign(Object.create(repo) as MonitorRepository, {
      saveTracker: (x: TrackedPosition) => (calls.push('save'), repo.saveTracker(x)),
      addMetrics: (m: TradeMetrics) => (calls.push('metrics'), repo.addMetrics(m)),
    });
    const watched = new TradeMonitor({ venue: p.venue, journal, closeReasons: p.store.closeReasons, repo: logged, clock: p.clock, maxTrackers: 2, newId: () => `w${++n}` });
    const beforeWrite = async () => void calls.push('before');
    await watched.poll({ beforeWrite });
    expect(calls).toEqual([]);
    await enter('BTCUSD', 'buy', null, null);
    await enter('ETHUSD', 'buy', null, null);
    await watched.poll({ beforeWrite });
    expect(calls).toEqual(['save', 'save']);
    calls.length = 0;
    await p.venue.closePosition('BTCUSD', 'close-btc');
    await p.venue.closePosition('ETHUSD', 'close-eth');
    expect((await watched.poll({ beforeWrite })).closed).toHaveLength(2);
    expect(calls).toEqual(['before', 'metrics', 'metrics']);
  });

  it('tracks at most maxTrackers positions and queues the rest until a slot frees', async () => {
    await enter('BTCUSD', 'buy', null, null);
    await p.clock.sleep(1000);
    await enter('ETHUSD', 'buy', null, null);
    await p.clock.sleep(1000);
    await enter('SOLUSD', 'buy', null, null);
    await monitor.poll();
    let s = await monitor.status();
    expect(s.active.map((t) => t.pair)).toEqual(['BTCUSD', 'ETHUSD']);
    expect(s.pending.map((t) => t.pair)).toEqual(['SOLUSD']);
    await p.venue.closePosition('BTCUSD', 'close-btc');
    await monitor.poll();
    s = await monitor.status();
    expect(s.active.map((t) => t.pair)).toEqual(['ETHUSD', 'SOLUSD']);
    expect(s.pending).toEqual([]);
  });

  it('keeps trackers across a restart (a new monitor on the same store)', async () => {
    await enter('BTCUSD', 'buy', null, null);
    p.prices.set('BTCUSD', 103);
    await monitor.poll();
    const again = new TradeMonitor({ venue: p.venue, journal, closeReasons: p.store.closeReasons, repo, clock: p.clock, maxTrackers: 2, newId: () => `r${++n}` });
    p.prices.set('BTCUSD', 101);
    await again.poll();
    const [t] = (await again.status()).active;
    expect(t.mfe).toBeCloseTo(0.03, 10);
    expect((await again.poll()).opened).toEqual([]);
  });
});
