import type { AuditResult } from '../../store/port.js';
import type { Principal } from '../auth/principal.js';
import type { Runtime } from '../runtime.js';
import { auditResultOf, auditUseCases } from './use-cases.js';

/** How a call that returned (rather than threw) ended, when its result can say "refused" or "failed". */
export type Outcome<T> = (r: T) => { result: AuditResult; error?: string };

/** An order's result: the gate refused it (denied), the venue rejected it or has not confirmed it (error), else ok. */
export const executionOutcome: Outcome<{ status: string }> = (r) =>
  r.status === 'denied'
    ? { result: 'denied', error: 'RISK_DENIED' }
    : r.status === 'rejected'
      ? { result: 'error', error: 'ORDER_REJECTED' }
      : r.status === 'unknown'
        ? { result: 'error', error: 'ORDER_OUTCOME_UNKNOWN' }
        : { result: 'ok' };

/**
 * Runs a state-changing use case and records it in the audit log as the principal's action,
 * whichever way it ends: ok, refused (risk gate, kill switch) or failed, with the error's code;
 * a failure is rethrown after it was recorded.
 */
export async function audited<T>(rt: Runtime, principal: Principal, action: string, params: Record<string, unknown>, fn: () => Promise<T>, outcome?: Outcome<T>): Promise<T> {
  const audit = auditUseCases(rt);
  let r: T;
  try {
    r = await fn();
  } catch (e) {
    await audit.record({ principal, action, params, result: auditResultOf(e), error: e as Error });
    throw e;
  }
  const o = outcome?.(r) ?? { result: 'ok' as const };
  await audit.record({ principal, action, params, result: o.result, error: o.error });
  return r;
}
