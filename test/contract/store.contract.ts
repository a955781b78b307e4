import { afterEach, describe } from 'vitest';
import type { Store } from '../../src/store/port.js';
import { agentContract } from './store/agent.contract.js';
import { authContract } from './store/auth.contract.js';
import { auditContract } from './store/audit.contract.js';
import { breakersContract } from './store/breakers.contract.js';
import { candlesContract } from './store/candles.contract.js';
import type { StoreContext, StoreHarness } from './store/context.js';
import { decisionsContract } from './store/decisions.contract.js';
import { equityContract } from './store/equity.contract.js';
import { gdprContract } from './store/gdpr.contract.js';
import { fundamentalsContract } from './store/fundamentals.contract.js';
import { jobsContract } from './store/jobs.contract.js';
import { idempotencyContract } from './store/idempotency.contract.js';
import { investorContract } from './store/investor.contract.js';
import { memoryContract } from './store/memory.contract.js';
import { monitorContract } from './store/monitor.contract.js';
import { ordersContract } from './store/orders.contract.js';
import { outboxLeasesTransactionContract } from './store/outbox-leases.contract.js';
import { paperContract } from './store/paper.contract.js';
import { providerRecordsContract } from './store/provider-records.contract.js';
import { rollbackContract } from './store/rollback.contract.js';
import { sealedContract } from './store/sealed.contract.js';

export type { StoreHarness } from './store/context.js';

/**
 * What every storage engine promises through the ports, whatever database is behind it: every
 * method of every repository of `Store`, through the port interfaces only (no SQL, no engine
 * imports), one file per area under ./store/. A new engine adds one file:
 * `storeContract('postgres', makeHarness)`.
 */
export function storeContract(name: string, make: () => Promise<StoreHarness>): void {
  describe(`Store contract: ${name}`, () => {
    let h: StoreHarness | null = null;
    const extra: Store[] = [];
    const ctx: StoreContext = {
      open: async () => (h = await make()).store,
      other: async () => {
        if (!h?.reopen) return null;
        const s = await h.reopen();
        extra.push(s);
        return s;
      },
    };
    afterEach(async () => {
      while (extra.length) await extra.pop()!.close();
      await h?.close();
      h = null;
    });

    outboxLeasesTransactionContract(ctx);
    decisionsContract(ctx);
    candlesContract(ctx);
    equityContract(ctx);
    ordersContract(ctx);
    paperContract(ctx);
    memoryContract(ctx);
    monitorContract(ctx);
    agentContract(ctx);
    providerRecordsContract(ctx);
    breakersContract(ctx);
    authContract(ctx);
    auditContract(ctx);
    jobsContract(ctx);
    idempotencyContract(ctx);
    investorContract(ctx);
    fundamentalsContract(ctx);
    rollbackContract(ctx);
    sealedContract(ctx);
    gdprContract(ctx);
  });
}
