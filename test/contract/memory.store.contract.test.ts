import { describe } from 'vitest';
import { MemoryDecisionRepository } from '../../src/store/memory/decision-repository.js';
import { MemoryEquitySnapshotRepository } from '../../src/store/memory/equity-snapshot-repository.js';
import { MemoryOrderJournal } from '../../src/store/memory/order-journal-repository.js';
import type { Store } from '../../src/store/port.js';
import type { StoreContext } from './store/context.js';
import { decisionsContract } from './store/decisions.contract.js';
import { equityContract } from './store/equity.contract.js';
import { ordersContract } from './store/orders.contract.js';

/**
 * The in-memory adapters a backtest through the execution path wires in (src/store/memory/):
 * they implement three ports of the store, not a whole Store, and pass those areas of the store
 * contract exactly as the SQL engines do. No second handle: an in-memory store has none.
 */
describe('Store contract: memory (decisions, order journal, equity snapshots)', () => {
  const ctx: StoreContext = {
    open: async () => ({ decisions: new MemoryDecisionRepository(), orders: new MemoryOrderJournal(), equity: new MemoryEquitySnapshotRepository() }) as Partial<Store> as Store,
    other: async () => null,
  };
  decisionsContract(ctx);
  ordersContract(ctx);
  equityContract(ctx);
});

// The backtest's decisions keep a window of the newest: within it, the same answers.
describe('Store contract: memory decisions with the backtest window', () => {
  decisionsContract({ open: async () => ({ decisions: new MemoryDecisionRepository({ keep: 64 }) }) as Partial<Store> as Store, other: async () => null });
});
