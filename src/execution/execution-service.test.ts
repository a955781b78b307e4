import { describe, expect, it } from 'vitest';
import { venueError } from '../venues/errors.js';
import { countingVenue, executionHarness, newIntent } from '../../test/support/execution-harness.js';
import { clientOrderId } from './client-order-id.js';

describe('ExecutionService on the paper venue', () => {
  it('fills an approved BUY, journals it FILLED, marks the decision executed and snapshots equity', async () => {
    const h = await executionHarness();
    const d = await h.save({ action: 'BUY', suggestedSizeUnits: 0.02 });
    const r = await h.service.execute(d.id);
    expect(r).toMatchObject({ status: 'filled', mode: 'paper', venue: 'paper', resumed: false });
    expect(r.gate?.approved).toBe(true);
    expect(r.orders).toHaveLength(1);
    const [o] = r.orders;
    expect(o).toMatchObject({ state: 'FILLED', side: 'buy', units: '0.02', filledUnits: '0.02', decisionId: d.id, account: 'paper' });
    expect(o.clientOrderId).toMatch(/^ffe-[0-9a-f]{28}$/);
    expect(o.venueOrderId).toBeTruthy();
    const atVenue = await h.venue.getOrderByClientId(o.clientOrderId);
    expect(atVenue).toMatchObject({ status: 'filled', filledUnits: '0.02', venueOrderId: o.venueOrderId });
    expect((await h.venue.positions()).map((p) => [p.pair, p.side, p.units])).toEqual([['BTCUSD', 'long', '0.02']]);
    const stored = await h.store.decisions.get(d.id);
    expect(stored?.executed).toBe(true);
    expect(stored?.metadata.execution).toMatchObject({ status: 'filled', mode: 'paper', orders: [{ clientOrderId: o.clientOrderId, state: 'FILLED' }] });
    const snaps = await h.snapshots.range('paper', 0, h.clock.now());
    expect(snaps.at(-1)).toMatchObject({ source: 'execution', currency: 'USD' });
    expect(await h.journal.netPositions('paper')).toEqual({ BTCUSD: '0.02' });
    await h.close();
  });

  it('refuses HOLD, already executed, unknown and degraded decisions (input errors) without touching the venue', async () => {
    let placed = 0;
    const h = await executionHarness({ wrap: (v) => countingVenue(v, { beforePlace: () => placed++ }).venue });
    await expect(h.service.execute((await h.save({ action: 'HOLD' })).id)).rejects.toMatchObject({ code: 'DECISION_HOLD', kind: 'input' });
    await expect(h.service.execute('nope')).rejects.toMatchObject({ code: 'DECISION_NOT_FOUND' });
    await expect(h.service.execute((await h.save({ metadata: { degraded: true } })).id)).rejects.toMatchObject({ code: 'DECISION_DEGRADED' });
    const d = await h.save();
    await h.service.execute(d.id);
    await expect(h.service.execute(d.id)).rejects.toMatchObject({ code: 'DECISION_ALREADY_EXECUTED' });
    expect(placed).toBe(1);
    await h.close();
  });

  it('executes a degraded decision when execution.allow_degraded is set', async () => {
    const h = await executionHarness({ allowDegraded: true });
    expect((await h.service.execute((await h.save({ metadata: { degraded: true } })).id)).status).toBe('filled');
    await h.close();
  });

  it('a gate denial returns its reason codes, journals nothing and never calls the venue', async () => {
    let placed = 0;
    const h = await executionHarness({ wrap: (v) => countingVenue(v, { beforePlace: () => placed++ }).venue });
    // 0.1 BTC at 50 000 = 5 000 USD = 50 % of equity.
    const d = await h.save({ suggestedSizeUnits: 0.1 });
    const r = await h.service.execute(d.id);
    expect(r.status).toBe('denied');
    expect(r.gate?.denials.map((x) => x.code)).toContain('CONCENTRATION_LIMIT');
    expect(r.orders).toEqual([]);
    expect(placed).toBe(0);
    expect(await h.journal.list({})).toEqual([]);
    expect((await h.store.decisions.get(d.id))?.executed).toBe(false);
    await h.close();
  });

  it('a decision against an open position closes it, exempt from the entry-only checks', async () => {
    const h = await executionHarness({ risk: { max_concentration: 0.5 } });
    await h.service.execute((await h.save({ action: 'BUY', suggestedSizeUnits: 0.08 })).id);
    // Tighten the limit: a new entry would now be refused, the exit is not.
    const s = await h.save({ action: 'SELL', suggestedSizeUnits: 0.5 });
    const r = await h.service.execute(s.id);
    expect(r.status).toBe('filled');
    expect(r.orders).toMatchObject([{ leg: 'close', side: 'sell', units: '0.08', positionId: 'BTCUSD', reduceOnly: true }]);
    expect(r.gate?.checks.find((c) => c.check === 'concentration')?.status).toBe('exempt');
    expect(await h.venue.positions()).toEqual([]);
    expect(await h.journal.netPositions('paper')).toEqual({});
    await h.close();
  });

  it('settles a timed-out placement by client order id instead of sending it again', async () => {
    let calls = 0;
    const h = await executionHarness({
      wrap: (v) =>
        countingVenue(v, {
          beforePlace: () => calls++,
          afterPlace: () => {
            throw venueError('VENUE_TIMEOUT', 'no answer within 10 s', { outcome: 'unknown' });
          },
        }).venue,
    });
    const r = await h.service.execute((await h.save()).id);
    expect(r.status).toBe('filled');
    expect(r.orders[0]).toMatchObject({ state: 'FILLED', filledUnits: '0.01' });
    expect(calls).toBe(1);
    expect((await h.venue.openOrders()).length + (await h.venue.fills()).length).toBe(1);
    await h.close();
  });

  it('an order the venue never received stays UNKNOWN, halts trading until the grace period, then is retried once under a new id', async () => {
    let lose = true;
    let calls = 0;
    const h = await executionHarness({
      graceMs: 30_000,
      wrap: (v) =>
        countingVenue(v, {
          beforePlace: () => {
            calls++;
            if (lose) throw venueError('VENUE_UNAVAILABLE', 'connection reset', { outcome: 'unknown' });
          },
        }).venue,
    });
    const d = await h.save();
    const first = await h.service.execute(d.id);
    expect(first.status).toBe('unknown');
    expect(first.orders[0].state).toBe('UNKNOWN');
    lose = false;
    // A new process: reconcile cannot prove the order was lost yet, so trading stays halted.
    await expect(h.restart().execute(d.id)).rejects.toMatchObject({ code: 'RECONCILE_PENDING' });
    h.clock.set(h.clock.now() + 31_000);
    h.prices.set('BTCUSD', 50_000);
    const d2 = await h.save();
    const svc = h.restart();
    await svc.execute(d2.id);
    const retried = await svc.execute({ ...d, timestamp: new Date(h.clock.now()).toISOString() });
    expect(retried.status).toBe('filled');
    expect(retried.orders[0].clientOrderId).not.toBe(first.orders[0].clientOrderId);
    const rows = await h.journal.list({ decisionId: d.id });
    expect(rows.map((x) => x.state).sort()).toEqual(['FILLED', 'REJECTED']);
    expect(rows.find((x) => x.state === 'REJECTED')?.reason).toMatch(/^NOT_RECEIVED/);
    expect(calls).toBe(3);
    expect(await h.venue.positions()).toMatchObject([{ pair: 'BTCUSD', units: '0.02' }]);
    await h.close();
  });

  it('after a crash between sending and journaling the answer, a restart finishes the decision without a second order', async () => {
    const h = await executionHarness();
    const d = await h.save();
    // What the crashed process left: the intent claimed (SUBMITTING) and the order at the venue.
    const cid = clientOrderId(d.id, 'open', 0);
    await h.journal.open(newIntent(cid, { decisionId: d.id, units: '0.01' }), h.clock.now());
    expect(await h.journal.claim(cid, h.clock.now())).toBe(true);
    await h.venue.placeOrder({ clientOrderId: cid, pair: 'BTCUSD', side: 'buy', type: 'market', units: '0.01' });
    const r = await h.restart().execute(d.id);
    expect(r).toMatchObject({ status: 'filled', resumed: true });
    expect(r.orders.map((o) => o.clientOrderId)).toEqual([cid]);
    expect(await h.venue.fills()).toHaveLength(1);
    expect((await h.store.decisions.get(d.id))?.executed).toBe(true);
    await h.close();
  });

  it('an intent journaled but never claimed is settled as never sent, and the decision then trades once', async () => {
    const h = await executionHarness();
    const d = await h.save();
    await h.journal.open(newIntent(clientOrderId(d.id, 'open', 0), { decisionId: d.id, units: '0.01' }), h.clock.now());
    const r = await h.restart().execute(d.id);
    expect(r.status).toBe('filled');
    expect((await h.journal.list({ decisionId: d.id })).map((x) => [x.state, x.reason?.slice(0, 8) ?? null]).sort()).toEqual([
      ['FILLED', null],
      ['REJECTED', 'NOT_SENT'],
    ]);
    expect(await h.venue.fills()).toHaveLength(1);
    await h.close();
  });

  it('halts on a position the journal cannot explain, until a person accepts the venue state', async () => {
    const h = await executionHarness();
    await h.venue.placeOrder({ clientOrderId: 'manual-1', pair: 'ETHUSD', side: 'buy', type: 'market', units: '0.5' });
    const d = await h.save();
    const err = await h.service.execute(d.id).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'RECONCILE_MISMATCH', kind: 'runtime' });
    expect((err as Error).message).toMatch(/MISMATCH ETHUSD: journal 0, venue 0\.5/);
    const report = await h.service.acceptVenuePositions('paper', 'test');
    expect(report.ok).toBe(true);
    expect(await h.journal.netPositions('paper')).toEqual({ ETHUSD: '0.5' });
    expect((await h.service.execute(d.id)).status).toBe('filled');
    await h.close();
  });

  it('adopts a stop-loss the venue executed on its own, so the next start is not halted', async () => {
    const h = await executionHarness();
    await h.service.execute((await h.save()).id);
    const [pos] = await h.venue.positions();
    expect(pos.stopLossPrice).not.toBeNull();
    const low = Number(pos.stopLossPrice) * 0.99;
    await h.venue.onPrice('BTCUSD', { high: 50_000, low, close: low, timestamp: h.clock.now() });
    expect(await h.venue.positions()).toEqual([]);
    const report = await h.restart().reconcile('paper');
    expect(report.ok).toBe(true);
    expect(report.adoptedFills).toHaveLength(1);
    expect((await h.restart().reconcile('paper')).adoptedFills).toHaveLength(0);
    await h.close();
  });

  it('closes a position through the gate; asking again finds nothing to close', async () => {
    const h = await executionHarness();
    await h.service.execute((await h.save()).id);
    const r = await h.service.closePosition('BTCUSD');
    expect(r).toMatchObject({ status: 'filled', decisionId: null, orders: [{ leg: 'close', side: 'sell', units: '0.01', state: 'FILLED' }] });
    expect(r.gate?.approved).toBe(true);
    expect(await h.venue.positions()).toEqual([]);
    await expect(h.service.closePosition('BTCUSD')).rejects.toMatchObject({ code: 'POSITION_NOT_FOUND' });
    await h.close();
  });

  it('after 3 consecutive venue outages the circuit opens and execution fails fast without calling the venue', async () => {
    let down = false;
    let calls = 0;
    const h = await executionHarness({
      wrap: (v) => {
        const failing = <T>(fn: () => Promise<T>) => {
          calls++;
          return down ? Promise.reject(venueError('VENUE_UNAVAILABLE', 'HTTP 503', { outcome: 'unknown' })) : fn();
        };
        return { ...countingVenue(v).venue, positions: () => failing(() => v.positions()), equity: () => failing(() => v.equity()) };
      },
    });
    await h.service.execute((await h.save()).id);
    down = true;
    for (let i = 0; i < 3; i++) await expect(h.service.execute((await h.save()).id)).rejects.toMatchObject({ code: 'VENUE_UNAVAILABLE' });
    expect(h.breakers.get('venue:paper').stats()).toMatchObject({ state: 'OPEN', opens: 1, consecutiveFailures: 3 });
    const before = calls;
    down = false;
    await expect(h.service.execute((await h.save()).id)).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(calls).toBe(before);
    h.clock.set(h.clock.now() + 60_000);
    expect((await h.service.execute((await h.save()).id)).status).toBe('filled');
    expect(h.breakers.get('venue:paper').state).toBe('CLOSED');
    await h.close();
  });
});

describe('ExecutionService.executeNow on in-memory adapters (the backtest’s)', () => {
  /** The execution path's wiring in small: SimVenue, in-memory journal, decisions and curve, readers that answer now. */
  async function memoryService() {
    const { SimVenue } = await import('../backtest/sim-venue.js');
    const { MemoryOrderJournal } = await import('../store/memory/order-journal-repository.js');
    const { MemoryDecisionRepository } = await import('../store/memory/decision-repository.js');
    const { MemoryEquitySnapshotRepository } = await import('../store/memory/equity-snapshot-repository.js');
    const { ManualClock } = await import('../core/clock.js');
    const { RiskGatekeeper } = await import('../risk/gatekeeper.js');
    const { ExecutionService } = await import('./execution-service.js');
    const { DEFAULT_FRESHNESS } = await import('../core/freshness.js');
    const { priceMarketData } = await import('../../test/support/execution-harness.js');
    const { decision, limits, NOW } = await import('../../test/support/risk-context.js');
    const clock = new ManualClock(NOW);
    const venue = new SimVenue({ initialBalance: 10_000, feeRate: 0.001, slippageRate: 0, volumeImpact: 0, allowShort: false });
    venue.open('BTCUSD', { timestamp: NOW, open: 50_000, high: 50_000, low: 50_000, close: 50_000, volume: 1e9 }, NOW);
    const prices = new Map([['BTCUSD', 50_000]]);
    const base = priceMarketData(prices, () => clock.now());
    const marketData = { ...base, sampleInfoNow: () => null, latestQuoteNow: (pair: string, at: number) => ({ pair, price: 50_000, timestamp: at, source: 'test' }) };
    const journal = new MemoryOrderJournal();
    const decisions = new MemoryDecisionRepository();
    const risk = limits();
    const service = new ExecutionService({
      venueFor: () => venue,
      tradingMode: 'paper',
      decisions,
      journal,
      snapshots: new MemoryEquitySnapshotRepository(),
      gatekeeper: new RiskGatekeeper(risk),
      marketData,
      freshness: DEFAULT_FRESHNESS,
      limits: risk,
      clock,
      allowDegraded: false,
      settle: { attempts: 2, intervalMs: 10, graceMs: 30_000 },
      quietGate: true,
    });
    const save = async (id: string, units: number) => {
      const d = decision({ id, suggestedSizeUnits: units, stopLossPrice: 49_000, takeProfitPrice: 52_000, entryPrice: 50_000, createdAt: new Date(NOW).toISOString() });
      await decisions.save(d);
      return d;
    };
    return { service, journal, save };
  }

  it('answers a refusal without a promise, the result execute gives; an approved order goes through execute once', async () => {
    const m = await memoryService();
    // The first order reconciles and reads the daily returns: through execute's promise.
    const first = m.service.executeNow(await m.save('A', 0.5));
    expect(first).toBeInstanceOf(Promise);
    expect((await first).status).toBe('denied');
    // 0.5 BTC at 50 000 is 250 % of equity: refused, answered now.
    const b = await m.save('B', 0.5);
    const now = m.service.executeNow(b);
    expect(now).not.toBeInstanceOf(Promise);
    const c = await m.save('C', 0.5);
    const later = await m.service.execute(c);
    const r = now as Awaited<ReturnType<typeof m.service.execute>>;
    expect(r.status).toBe('denied');
    expect(r.gate?.denials.map((x) => x.code)).toContain('CONCENTRATION_LIMIT');
    expect(JSON.stringify({ ...r, decisionId: 'x' })).toBe(JSON.stringify({ ...later, decisionId: 'x' }));
    expect(await m.journal.list({})).toEqual([]);
    // 0.01 BTC: approved, sent once, through a promise.
    const ok = m.service.executeNow(await m.save('D', 0.01));
    expect(ok).toBeInstanceOf(Promise);
    expect((await ok).status).toBe('filled');
    expect((await m.journal.list({})).map((o) => o.decisionId)).toEqual(['D']);
  });
});
