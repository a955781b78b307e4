import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import type { DomainEvent } from '../core/events.js';
import { FfeApi } from './api.js';
import { configHome } from '../../test/support/config-home.js';

/** One 60 %-of-equity ETHUSD position passes these limits (the offline sample makes ETHUSD a SELL). */
const RISK = `
risk:
  max_concentration: 0.9
  max_leverage: 1
  var_limit: 0.9
`;

const opened: FfeApi[] = [];
afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
});

async function open(config = RISK, clock?: ManualClock): Promise<FfeApi> {
  const api = await FfeApi.open({ ...configHome(config, 'ffe-events-'), clock });
  opened.push(api);
  return api;
}

function record(api: FfeApi): DomainEvent[] {
  const seen: DomainEvent[] = [];
  api.events.subscribe((e) => seen.push(e));
  return seen;
}

const increasing = (evs: DomainEvent[]) => evs.every((e, i) => i === 0 || e.seq > evs[i - 1].seq);

describe('domain events: every state change publishes its event once, from its own transaction', () => {
  it('analyze → execute (paper) → close: DecisionMade, OrderSubmitted, OrderFilled, OrderSubmitted, OrderFilled, PositionClosed; the outbox holds exactly what was published', async () => {
    const api = await open();
    const seen = record(api);
    const { decision } = await api.trading.analyze('ETHUSD');
    expect(decision.action).toBe('SELL');
    const exec = await api.trading.execute(decision.id);
    expect(exec.status).toBe('filled');
    const [pos] = (await api.trading.positions()).positions;
    const closed = await api.trading.close(pos.id);
    expect(closed.status).toBe('filled');

    expect(seen.map((e) => e.type)).toEqual(['DecisionMade', 'OrderSubmitted', 'OrderFilled', 'OrderSubmitted', 'OrderFilled', 'PositionClosed']);
    expect(increasing(seen)).toBe(true);
    expect(new Set(seen.map((e) => e.seq)).size).toBe(seen.length);
    expect(await api.runtime.app.store.events.since(0)).toEqual(seen);

    const [made, sub1, fill1, sub2, fill2, close] = seen.map((e) => e.payload);
    expect(made).toMatchObject({ decisionId: decision.id, pair: 'ETHUSD', action: 'SELL', confidence: decision.confidence, degraded: false, providers: [decision.provider] });
    // No prompt, no reasoning: subscribers are outside the process.
    expect(JSON.stringify(made)).not.toContain(decision.reasoning);
    expect(sub1).toMatchObject({ decisionId: decision.id, leg: 'open', pair: 'ETHUSD', side: 'sell', account: 'paper' });
    const entry = exec.orders[0];
    expect(fill1).toMatchObject({ clientOrderId: entry.clientOrderId, units: entry.filledUnits, price: entry.averagePrice, fee: entry.fees });
    expect(sub2).toMatchObject({ leg: 'close', side: 'buy', decisionId: null, positionId: pos.id });
    const exit = closed.orders[0];
    expect(fill2).toMatchObject({ clientOrderId: exit.clientOrderId, price: exit.averagePrice, fee: exit.fees });
    // P&L from the one closed-trade builder: short, (entry − exit) × units − both fees.
    const units = Number(entry.filledUnits);
    const pnl = (Number(entry.averagePrice) - Number(exit.averagePrice)) * units - Number(entry.fees) - Number(exit.fees);
    expect(close).toMatchObject({ pair: 'ETHUSD', side: 'short', exitReason: 'manual', decisionId: decision.id, closingOrderId: exit.clientOrderId });
    expect(close.pnl as number).toBeCloseTo(pnl, 6);
    expect((await api.insight.monitorMetrics(10)).trades).toHaveLength(1);
  });

  it("a decision that reverses the position: its execute publishes the close leg's PositionClosed (signal) with the orders", async () => {
    const api = await open();
    const { decision } = await api.trading.analyze('ETHUSD');
    await api.trading.execute(decision.id);
    await api.runtime.app.decisions.save({ ...decision, id: 'reverse', action: 'BUY', executed: false, stopLossPrice: null, takeProfitPrice: null });
    const seen = record(api);
    const r = await api.trading.execute('reverse');
    expect(r.orders.some((o) => o.leg === 'close')).toBe(true);
    const closed = seen.filter((e) => e.type === 'PositionClosed');
    expect(closed).toHaveLength(1);
    expect(closed[0].payload).toMatchObject({ pair: 'ETHUSD', side: 'short', exitReason: 'signal', decisionId: decision.id });
    expect(seen.filter((e) => e.type === 'OrderSubmitted')).toHaveLength(r.orders.length);
  });

  it('a stop the venue triggers: the monitor records the trade and publishes PositionClosed (stop_loss) once, however often it looks', async () => {
    const api = await open();
    const { app } = api.runtime;
    const { decision } = await api.trading.analyze('ETHUSD');
    await api.trading.execute(decision.id);
    const monitor = app.monitor('paper');
    await monitor.poll();
    const seen = record(api);
    const view = app.venueView('paper');
    const stop = Number((await view.positions())[0].stopLossPrice);
    await view.advance!('ETHUSD', { open: stop, high: stop * 1.01, low: stop * 0.99, close: stop, timestamp: app.clock.now() });
    await monitor.poll();
    await monitor.poll();
    expect(seen.map((e) => e.type)).toEqual(['PositionClosed']);
    expect(seen[0].payload).toMatchObject({ exitReason: 'stop_loss', pair: 'ETHUSD', decisionId: decision.id });
    expect(seen[0].payload.pnl as number).toBeLessThan(0);
  });

  it('a transaction that rolls back publishes nothing and leaves no outbox row; a rolled-back savepoint drops only its own events', async () => {
    const api = await open();
    const { store } = api.runtime.app;
    const seen = record(api);
    await expect(
      store.transaction(async (tx) => {
        await tx.events.append({ type: 'OrderSubmitted', at: 1, payload: { n: 1 } });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(seen).toEqual([]);
    expect(await store.events.since(0)).toEqual([]);

    await store.transaction(async (tx) => {
      await tx.events.append({ type: 'OrderSubmitted', at: 2, payload: { kept: true } });
      await tx
        .transaction(async (inner) => {
          await inner.events.append({ type: 'OrderFilled', at: 3, payload: { kept: false } });
          throw new Error('inner');
        })
        .catch(() => undefined);
      // Not published before the commit.
      expect(seen).toEqual([]);
    });
    expect(seen.map((e) => e.payload)).toEqual([{ kept: true }]);
    expect(await store.events.since(0)).toEqual(seen);
  });

  it('a gate denial journals nothing: no OrderSubmitted; storing a decision by hand is DecisionMade too', async () => {
    const api = await open();
    const { decision } = await api.trading.analyze('ETHUSD');
    // Two 60 %-of-equity shorts are 120 % gross: the second is denied.
    const units = (0.6 * 10_000) / decision.entryPrice;
    for (const id of ['a', 'b']) await api.runtime.app.decisions.save({ ...decision, id, suggestedSizeUnits: units, suggestedSizeQuote: units * decision.entryPrice });
    expect((await api.trading.execute('a')).status).toBe('filled');
    const seen = record(api);
    const r = await api.trading.execute('b');
    expect(r.status).toBe('denied');
    expect(seen).toEqual([]);
    const all = await api.runtime.app.store.events.since(0);
    expect(all.map((e) => e.type)).toEqual(['DecisionMade', 'DecisionMade', 'DecisionMade', 'OrderSubmitted', 'OrderFilled']);
  });
});

describe('domain events: an agent replay', () => {
  it('every decision, order, fill and closed trade is published once, from the records (the agent adds no second OrderSubmitted); outbox = bus', async () => {
    const h = configHome('', 'ffe-events-agent-');
    const api = await FfeApi.openForAgent({ ...h, storePath: join(h.cwd, 'replay.db') }, { from: Date.parse('2024-02-01'), to: Date.parse('2024-02-11'), speed: 'max' });
    opened.push(api);
    const seen = record(api);
    const handle = await api.agent.start({ approval: 'autonomous' });
    const summary = await handle.done;
    expect(summary.run.counts.executed).toBeGreaterThan(0);
    expect(summary.closedTrades).toBeGreaterThan(0);
    const { store } = api.runtime.app;
    expect(await store.events.since(0)).toEqual(seen);
    expect(increasing(seen)).toBe(true);
    const of = (t: string) => seen.filter((e) => e.type === t).map((e) => e.payload);
    const orders = await store.orders.list({});
    const once = (ids: unknown[]) => new Set(ids).size === ids.length;
    expect(
      of('OrderSubmitted')
        .map((p) => p.clientOrderId)
        .sort(),
    ).toEqual(orders.map((o) => o.clientOrderId).sort());
    expect(
      of('OrderFilled')
        .map((p) => p.clientOrderId)
        .sort(),
    ).toEqual(
      orders
        .filter((o) => o.state === 'FILLED')
        .map((o) => o.clientOrderId)
        .sort(),
    );
    expect(once(of('OrderSubmitted').map((p) => p.clientOrderId))).toBe(true);
    expect(
      of('DecisionMade')
        .map((p) => p.decisionId)
        .sort(),
    ).toEqual((await store.decisions.list({ limit: 100_000 })).map((d) => d.id).sort());
    const metrics = await store.monitor.metrics();
    expect(
      of('PositionClosed')
        .map((p) => p.tradeId)
        .sort(),
    ).toEqual(metrics.map((m) => m.tradeId).sort());
    expect(of('PositionClosed').map((p) => p.pnl)).toEqual(expect.arrayContaining(metrics.map((m) => m.pnl)));
    // The agent's own 'executed' line is an agent state event now.
    expect(of('AgentStateChanged').filter((p) => p.kind === 'executed')).toHaveLength(summary.run.counts.executed);
    expect(of('TradeLearned')).toHaveLength(summary.closedTrades);
  }, 60_000);
});

describe('domain events: circuit breakers', () => {
  it('open → half-open → closed publishes three BreakerStateChanged events with name, from and to', async () => {
    const clock = new ManualClock(Date.parse('2026-01-05T12:00:00Z'));
    const api = await open(`${RISK}circuit_breaker:\n  failure_threshold: 1\n  open_seconds: 10\nvenues:\n  oanda: { api_key: fake-oanda-token, account_id: 101-004-1234567-001 }\n`, clock);
    const seen = record(api);
    const breaker = api.runtime.app.breakers.get('test:events', { isFailure: () => true });
    // A venue error that quotes a configured secret: the event carries it masked.
    await expect(breaker.run(() => Promise.reject(new Error('down: 401 for token fake-oanda-token')))).rejects.toThrow('down');
    clock.set(clock.now() + 11_000);
    await breaker.run(async () => 'up');
    await api.runtime.settled();
    const changes = seen.filter((e) => e.type === 'BreakerStateChanged').map((e) => e.payload);
    expect(changes.map((p) => [p.breaker, p.from, p.to])).toEqual([
      ['test:events', 'CLOSED', 'OPEN'],
      ['test:events', 'OPEN', 'HALF_OPEN'],
      ['test:events', 'HALF_OPEN', 'CLOSED'],
    ]);
    expect(increasing(seen)).toBe(true);
    expect(changes[0].reason).toMatch(/down: 401 for token \*\*\*/);
    expect(JSON.stringify(await api.runtime.app.store.events.since(0))).not.toContain('fake-oanda-token');
    expect((await api.runtime.app.store.events.since(0)).filter((e) => e.type === 'BreakerStateChanged')).toHaveLength(3);
  });
});
