import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import type { VenueOrder } from '../core/order.js';
import { circuitOpenError } from '../lib/circuit-breaker.js';
import { SqliteStore } from '../store/sqlite/store.js';
import { venueError } from '../venues/errors.js';
import type { Venue } from '../venues/port.js';
import { newIntent } from '../../test/support/execution-harness.js';
import { OrderSubmitter } from './submitter.js';

const req = newIntent('ffe-1', { venue: 'fake', units: '1' });

const rejected: VenueOrder = {
  venueOrderId: 'v9',
  clientOrderId: 'ffe-1',
  pair: 'BTCUSD',
  side: 'buy',
  type: 'market',
  units: '1',
  filledUnits: '0',
  averagePrice: null,
  limitPrice: null,
  status: 'rejected',
  createdAt: 0,
  fees: '0',
  reason: 'not enough USD',
};

async function setup(placeOrder: Venue['placeOrder'], lookup: VenueOrder | null = null, simulated = false) {
  const store = await SqliteStore.open(':memory:');
  const journal = store.orders;
  const clock = new ManualClock(1_000);
  let lookups = 0;
  const venue = {
    name: 'fake',
    capabilities: { simulated },
    placeOrder,
    getOrderByClientId: async () => {
      lookups++;
      return lookup;
    },
  } as unknown as Venue;
  const { intent } = await journal.open(req, clock.now());
  const submitter = new OrderSubmitter(journal, clock, { attempts: 3, intervalMs: 100, graceMs: 5_000 });
  return { intent, venue, submitter, journal, clock, lookups: () => lookups, close: () => store.close() };
}

describe('OrderSubmitter', () => {
  it('journals NOT_SENT when the circuit refuses the call (nothing left the process)', async () => {
    const s = await setup(() => Promise.reject(circuitOpenError('venue:fake', 42)));
    const out = await s.submitter.submit(s.intent, s.venue);
    expect(out).toMatchObject({ state: 'REJECTED' });
    expect(out.reason).toMatch(/^NOT_SENT: circuit breaker "venue:fake" is open/);
    expect(s.lookups()).toBe(0);
    await s.close();
  });

  it('records a definitive refusal as REJECTED with the venue order it carries, without looking it up', async () => {
    const s = await setup(() => Promise.reject(venueError('INSUFFICIENT_FUNDS', 'paper: not enough USD', { order: rejected })));
    const out = await s.submitter.submit(s.intent, s.venue);
    expect(out).toMatchObject({ state: 'REJECTED', venueOrderId: 'v9', reason: 'INSUFFICIENT_FUNDS: paper: not enough USD' });
    expect(s.lookups()).toBe(0);
    await s.close();
  });

  it('looks an unknown outcome up `attempts` times, waiting between them, and leaves it UNKNOWN when unseen', async () => {
    const s = await setup(() => Promise.reject(venueError('VENUE_TIMEOUT', 'no answer', { outcome: 'unknown' })));
    const out = await s.submitter.submit(s.intent, s.venue);
    expect(out).toMatchObject({ state: 'UNKNOWN', reason: 'VENUE_TIMEOUT: no answer' });
    expect(s.lookups()).toBe(3);
    expect(s.clock.now()).toBe(1_200);
    // Past the grace period a later settle can prove it was never received.
    s.clock.set(1_000 + 5_000);
    expect((await s.submitter.settle(out, s.venue)).reason).toMatch(/^NOT_RECEIVED/);
    await s.close();
  });

  it('does not send an intent another process already claimed', async () => {
    let sent = 0;
    const s = await setup(async () => {
      sent++;
      return rejected;
    });
    await s.submitter.submit(s.intent, s.venue);
    const again = await s.submitter.submit(s.intent, s.venue);
    expect(sent).toBe(1);
    expect(again.state).toBe('REJECTED');
    await s.close();
  });

  it('settles a claimed order a stopped sender left unseen as NOT_RECEIVED at once on a simulated venue only; elsewhere it waits out the grace period', async () => {
    for (const simulated of [true, false]) {
      const s = await setup(() => Promise.reject(new Error('unused')), null, simulated);
      // The process claimed the order (SUBMITTING) and stopped before the venue recorded it; no time has passed on its clock.
      const journal = s.journal;
      expect(await journal.claim('ffe-1', s.clock.now())).toBe(true);
      const claimed = (await journal.get('ffe-1'))!;
      expect((await s.submitter.settle(claimed, s.venue)).state).toBe('SUBMITTING');
      const after = await s.submitter.settle(claimed, s.venue, { senderStopped: true });
      // A real venue may still receive a request that left before its sender died: only the grace period proves otherwise.
      expect(after.state).toBe(simulated ? 'REJECTED' : 'SUBMITTING');
      if (simulated) expect(after.reason).toMatch(/^NOT_RECEIVED: the simulated venue has no order ffe-1/);
      expect(s.lookups()).toBe(2);
      await s.close();
    }
  });
});
