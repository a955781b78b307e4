import { afterEach, describe, expect, it } from 'vitest';
import { FfeApi } from '../application/api.js';
import type { Principal } from '../application/auth/principal.js';
import type { DomainEvent } from '../core/events.js';
import { configHome } from '../../test/support/config-home.js';

const RISK = `
agent:
  approval_ttl_seconds: 1
risk:
  max_concentration: 0.9
  max_leverage: 1
  var_limit: 0.9
`;
const ALICE: Principal = { kind: 'user', id: 'u1', name: 'alice', role: 'trader' };

const opened: FfeApi[] = [];
afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
});

async function open() {
  const api = await FfeApi.open(configHome(RISK, 'ffe-approval-events-'));
  opened.push(api);
  const seen: DomainEvent[] = [];
  api.events.subscribe((e) => seen.push(e), ['ApprovalRequested', 'ApprovalDecided']);
  return { api, seen };
}

describe('approval domain events', () => {
  it('queuing publishes ApprovalRequested and deciding publishes ApprovalDecided with who decided; both are in the outbox; a lost race publishes nothing', async () => {
    const { api, seen } = await open();
    const { decision } = await api.trading.analyze('ETHUSD');
    const a = await api.runtime.app.feedback.approvals.enqueue(decision);
    expect(seen.map((e) => e.type)).toEqual(['ApprovalRequested']);
    expect(seen[0].payload).toMatchObject({
      approvalId: a.id,
      decisionId: decision.id,
      pair: 'ETHUSD',
      action: 'SELL',
      size: decision.suggestedSizeUnits,
      confidence: decision.confidence,
      expiresAt: a.expiresAt,
      status: 'pending',
      by: null,
    });
    await api.trading.approvals.reject(a.id, 'not now', ALICE);
    expect(seen[1]).toMatchObject({ type: 'ApprovalDecided', payload: { approvalId: a.id, status: 'rejected', by: 'user:alice', note: 'not now' } });
    await expect(api.trading.approvals.reject(a.id, null, ALICE)).rejects.toMatchObject({ code: 'APPROVAL_REJECTED' });
    expect(seen).toHaveLength(2);
    const outbox = await api.runtime.app.store.events.since(0);
    expect(outbox.filter((e) => e.type.startsWith('Approval')).map((e) => e.seq)).toEqual(seen.map((e) => e.seq));
    // Nothing secret or bulky: no reasoning, no prompt.
    expect(JSON.stringify(seen)).not.toContain(decision.reasoning);
  });

  it('expiry is an ApprovalDecided by the system', async () => {
    const { api, seen } = await open();
    const { decision } = await api.trading.analyze('ETHUSD');
    const a = await api.runtime.app.feedback.approvals.enqueue(decision);
    await new Promise((r) => setTimeout(r, 1200));
    await api.trading.approvals.list();
    expect(seen.at(-1)).toMatchObject({ type: 'ApprovalDecided', payload: { approvalId: a.id, status: 'expired', by: 'system' } });
  });
});
