import { describe, expect, it } from 'vitest';
import { executionHarness } from '../../test/support/execution-harness.js';

const YEAR = 365 * 86_400_000;

describe('reconcile: the venue’s own attached exits are never a mismatch', () => {
  it('a paper position closed by its own take-profit, stamped before the intent (a replay on the account), reconciles clean and trading goes on', async () => {
    const h = await executionHarness();
    await h.service.execute((await h.save()).id);
    const [pos] = await h.venue.positions();
    expect(pos.takeProfitPrice).not.toBeNull();
    // The clock a year back, as `run-agent --replay --from` sets it: the fill is stamped then.
    h.clock.set(h.clock.now() - YEAR);
    h.prices.set('BTCUSD', Number(pos.takeProfitPrice) * 1.01);
    const exits = await h.venue.processPrices();
    // The quote jumped past the target: the limit fills at the better price (core's fill rule).
    expect(exits.map((o) => [o.side, o.status, Number(o.averagePrice)])).toEqual([['sell', 'filled', Number(pos.takeProfitPrice) * 1.01]]);
    expect((await h.venue.fills()).filter((f) => f.exit)).toMatchObject([{ exit: 'take-profit', side: 'sell', units: '0.01' }]);
    const report = await h.restart().reconcile('paper');
    expect(report).toMatchObject({ ok: true, positions: [], foreignFills: [] });
    expect(report.adoptedFills).toHaveLength(1);
    expect(await h.journal.netPositions('paper')).toEqual({});
    // Adopted once: the next process finds nothing to adopt and trades.
    expect((await h.restart().reconcile('paper')).adoptedFills).toEqual([]);
    expect((await h.service.execute((await h.save()).id)).status).toBe('filled');
    await h.close();
  });

  it('a take-profit that filled before a later trade reversed the position is still the venue’s exit, not someone else’s trade', async () => {
    const h = await executionHarness();
    await h.service.execute((await h.save()).id);
    const [pos] = await h.venue.positions();
    h.prices.set('BTCUSD', Number(pos.takeProfitPrice) * 1.01);
    await h.venue.processPrices();
    // Same process (already reconciled): a SELL now opens a short, so the journal nets 0 while the venue is short.
    const sell = await h.service.execute((await h.save({ action: 'SELL' })).id);
    expect(sell.orders.map((o) => [o.leg, o.side, o.state])).toEqual([['open', 'sell', 'FILLED']]);
    expect(await h.journal.netPositions('paper')).toEqual({});
    const report = await h.restart().reconcile('paper');
    expect(report).toMatchObject({ ok: true, foreignFills: [], positions: [{ pair: 'BTCUSD', journal: '-0.01', venue: '-0.01', match: true }] });
    await h.close();
  });

  it('a fill that opens exposure and is no venue exit still halts trading', async () => {
    const h = await executionHarness();
    await h.service.execute((await h.save()).id);
    await h.venue.placeOrder({ clientOrderId: 'manual-2', pair: 'BTCUSD', side: 'buy', type: 'market', units: '0.03' });
    const report = await h.restart().reconcile('paper');
    expect(report.ok).toBe(false);
    expect(report.foreignFills).toHaveLength(1);
    expect(report.positions).toEqual([{ pair: 'BTCUSD', journal: '0.01', venue: '0.04', match: false }]);
    await h.close();
  });
});
