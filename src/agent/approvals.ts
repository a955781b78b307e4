import { monotonicFactory } from 'ulid';
import type { Clock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';
import { inputError } from '../core/errors.js';
import { pairUnitDecimals, priceDecimals } from '../core/precision.js';
import type { ExecutionResult } from '../execution/execution-service.js';
import type { Approval } from './types.js';
import type { ApprovalRepository } from '../store/port.js';

const DECIDED = { approved: 'APPROVAL_APPROVED', rejected: 'APPROVAL_REJECTED', expired: 'APPROVAL_EXPIRED' } as const;

const ulid = monotonicFactory();
/** How many pending approvals a sole queue reads to learn the next expiry. */
const SOLE_PENDING_READ = 1000;

/** What a person approves, at the pair's precision: `SELL 0.71155079 ETHUSD at 3337.78 (stop 3404.54, target 3170.89)`. */
export function approvalSummary(d: Pick<Decision, 'action' | 'assetPair' | 'suggestedSizeUnits' | 'entryPrice' | 'stopLossPrice' | 'takeProfitPrice'>): string {
  const px = (x: number | null) => (x === null || !Number.isFinite(x) ? '-' : x.toFixed(priceDecimals(d.assetPair, x)));
  return `${d.action} ${d.suggestedSizeUnits.toFixed(pairUnitDecimals(d.assetPair))} ${d.assetPair} at ${px(d.entryPrice)} (stop ${px(d.stopLossPrice)}, target ${px(d.takeProfitPrice)})`;
}

/**
 * The pending queue of manual approval. Approving executes through the order path there and
 * then; an approval past its expiry is marked expired and never executed.
 */
export class ApprovalQueue {
  /** For `sole` callers: the earliest expiry among pending approvals (null: none), undefined until read. */
  private nextExpiry: number | null | undefined;

  constructor(
    private readonly repo: ApprovalRepository,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  async enqueue(d: Decision): Promise<Approval> {
    const now = this.clock.now();
    const a: Approval = {
      id: ulid(now),
      decisionId: d.id,
      pair: d.assetPair,
      action: d.action,
      confidence: d.confidence,
      summary: approvalSummary(d),
      sizeUnits: d.suggestedSizeUnits,
      status: 'pending',
      createdAt: now,
      expiresAt: now + this.ttlMs,
      decidedAt: null,
      note: null,
    };
    await this.repo.add(a);
    if (this.nextExpiry !== undefined) this.nextExpiry = Math.min(this.nextExpiry ?? Infinity, a.expiresAt);
    return a;
  }

  /**
   * Marks every pending approval past its expiry as expired; returns them. `beforeWrite` runs
   * once before the first write, not at all when none is due (a replay's held rows go in first).
   * `sole`: this queue adds every approval its store gets (a replay's agent), so it knows the
   * next expiry and looks in the store only once one is due (decisions made elsewhere only
   * make it look early).
   */
  async expireDue(opts: { beforeWrite?: () => Promise<void>; sole?: boolean } = {}): Promise<Approval[]> {
    const now = this.clock.now();
    if (opts.sole && this.nextExpiry !== undefined && (this.nextExpiry === null || now < this.nextExpiry)) return [];
    const out: Approval[] = [];
    let pending = opts.beforeWrite;
    // Batches until none is left: each one leaves `pending` here or, in a lost race, elsewhere.
    for (let due = await this.repo.list({ status: 'pending', expiredBy: now, limit: 1000 }); due.length; due = await this.repo.list({ status: 'pending', expiredBy: now, limit: 1000 })) {
      if (pending) await pending();
      pending = undefined;
      for (const a of due) if (await this.repo.decide(a.id, 'expired', now, 'not approved in time', 'system')) out.push({ ...a, status: 'expired', decidedAt: now });
    }
    if (opts.sole) {
      const pending = await this.repo.list({ status: 'pending', limit: SOLE_PENDING_READ });
      // More pending than read: the earliest may be among the rest, so the next call looks again.
      this.nextExpiry = pending.length >= SOLE_PENDING_READ ? undefined : pending.reduce<number | null>((m, a) => (m === null ? a.expiresAt : Math.min(m, a.expiresAt)), null);
    }
    return out;
  }

  async list(status?: Approval['status']): Promise<Approval[]> {
    await this.expireDue();
    return this.repo.list({ status });
  }

  private async pending(id: string): Promise<Approval> {
    await this.expireDue();
    const a = await this.repo.get(id);
    if (!a) throw inputError('APPROVAL_NOT_FOUND', `no approval "${id}"; list them with \`ffe approvals list\``);
    if (a.status !== 'pending') throw inputError(DECIDED[a.status], `approval ${id} is ${a.status}${a.note ? ` (${a.note})` : ''}; only pending approvals can be decided`);
    return a;
  }

  /** Claims the approval (so two people cannot both execute it), then executes its decision. */
  async approve(id: string, execute: (decisionId: string) => Promise<ExecutionResult>, note: string | null = null, by?: string): Promise<{ approval: Approval; result: ExecutionResult }> {
    const a = await this.pending(id);
    if (!(await this.repo.decide(id, 'approved', this.clock.now(), note, by))) throw inputError('APPROVAL_DECIDED', `approval ${id} was decided by someone else meanwhile`);
    const result = await execute(a.decisionId);
    return { approval: (await this.repo.get(id))!, result };
  }

  async reject(id: string, note: string | null = null, by?: string): Promise<Approval> {
    await this.pending(id);
    if (!(await this.repo.decide(id, 'rejected', this.clock.now(), note, by))) throw inputError('APPROVAL_DECIDED', `approval ${id} was decided by someone else meanwhile`);
    return (await this.repo.get(id))!;
  }
}
