import { inputError, isFfeError } from '../../core/errors.js';
import type { AuditEntry, AuditRecord, AuditResult, Store } from '../../store/port.js';
import { principalLabel, type Principal } from '../auth/principal.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Runtime } from '../runtime.js';
import { auditDomainEvents } from './domain-events.js';
import { auditParams } from './redact-params.js';
import { verifyChain } from './verify.js';

const DAY_MS = 86_400_000;
const MAX_LIMIT = 500;

/** One audited action as its caller reports it: who (a principal, or an actor label such as `agent`), what, with what, and how it ended. */
export interface AuditInput {
  principal?: Principal;
  /** Used without a principal: `agent`, `system`, or the `by` an event carries. */
  actor?: string;
  /** Role of a bare actor (default: `agent` for the agent, else `system`). */
  role?: string;
  action: string;
  params?: Record<string, unknown>;
  result: AuditResult;
  /** The error code (or the error itself: an FfeError gives its code) when it did not end ok. */
  error?: string | Error | null;
  requestId?: string | null;
  ip?: string | null;
  /** ms; default the runtime's clock. */
  at?: number;
}

export interface AuditListQuery {
  limit?: number;
  cursor?: string;
  action?: string;
  actor?: string;
  /** ISO 8601 or ms since the epoch, inclusive. */
  from?: string | number;
  to?: string | number;
}

/** An entry as interfaces show it (snake_case, ISO time). */
export interface AuditEntryView {
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  params: Record<string, unknown>;
  result: AuditResult;
  error_code: string | null;
  request_id: string | null;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

const view = (e: AuditEntry): AuditEntryView => ({
  seq: e.seq,
  at: new Date(e.at).toISOString(),
  actor: e.actor,
  role: e.role,
  action: e.action,
  params: e.params,
  result: e.result,
  error_code: e.errorCode,
  request_id: e.requestId,
  ip: e.ip,
  prev_hash: e.prevHash,
  hash: e.hash,
});

/** The error code an audit entry keeps: an FfeError's code, a code as given, else that it was unexpected. */
export function auditErrorCode(error: string | Error | null | undefined): string | null {
  if (error === null || error === undefined) return null;
  if (typeof error === 'string') return error;
  return isFfeError(error) ? error.code : 'UNEXPECTED';
}

function time(field: string, v: string | number | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const t = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(t)) throw inputError('DATE_INVALID', `${field}: not a date (ISO 8601, e.g. 2026-01-31T00:00:00Z, or ms since the epoch)`);
  return t;
}

/** The audit log: record an action, page through entries, verify the hash chain, prune by retention. */
export const auditUseCases = (rt: Runtime) => {
  const { app } = rt;
  const log = app.store.audit;
  /** The entry an input is, its parameters redacted (secret keys, configured secrets) and cut to size. */
  const entryOf = (input: AuditInput): AuditRecord => {
    const p = input.principal;
    const actor = p ? principalLabel(p) : (input.actor ?? 'system');
    return {
      at: input.at ?? app.clock.now(),
      actor,
      role: p ? p.role : (input.role ?? (actor === 'agent' ? 'agent' : 'system')),
      action: input.action,
      params: auditParams(input.params, rt.secrets),
      result: input.result,
      errorCode: input.result === 'ok' ? null : auditErrorCode(input.error),
      requestId: input.requestId ?? null,
      ip: input.ip ?? null,
    };
  };
  /** Appends one entry. */
  const record = async (input: AuditInput): Promise<{ seq: number }> => {
    const e = await log.append(entryOf(input));
    return { seq: e.seq };
  };
  /**
   * Appends entries in the order given, in one store transaction: the same chain as one `record`
   * each, with one commit and one read and write of the chain's head instead of one per entry (a
   * replay audits ~4,000 events a month). All or none. `tx`: inside that store transaction.
   */
  const recordAll = async (inputs: readonly AuditInput[], tx?: Store): Promise<void> => {
    await (tx ? tx.audit : log).appendMany(inputs.map(entryOf));
  };

  return {
    record,
    recordAll,

    /** Newest first; `next_cursor` (null on the last page) fetches the next page. */
    async list(q: AuditListQuery = {}): Promise<{ entries: AuditEntryView[]; next_cursor: string | null }> {
      const limit = q.limit ?? 50;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw inputError('LIMIT_INVALID', `limit: a whole number from 1 to ${MAX_LIMIT}`);
      const beforeSeq = q.cursor ? (decodeCursor('audit', q.cursor, ['number'])[0] as number) : undefined;
      const rows = await log.list({ limit: limit + 1, beforeSeq, action: q.action || undefined, actor: q.actor || undefined, from: time('from', q.from), to: time('to', q.to) });
      const page = rows.slice(0, limit);
      return { entries: page.map(view), next_cursor: rows.length > limit ? encodeCursor('audit', [page[page.length - 1].seq]) : null };
    },

    /** Starts recording this runtime's domain events (orders, kill switch, agent state); returns unsubscribe. */
    followDomainEvents: () => auditDomainEvents(rt),

    /** Checks the whole chain from the last prune checkpoint; names the first altered, missing or reordered entry. */
    verify: () => verifyChain(log),

    /** Removes entries older than `audit.retention_days` before `now`, keeping the chain verifiable from the checkpoint; the prune itself is recorded. */
    async prune(now: number = app.clock.now()): Promise<{ pruned: number; before: string; checkpoint_seq: number | null }> {
      const before = now - app.config.audit.retention_days * DAY_MS;
      const r = await log.prune(before);
      const out = { pruned: r.pruned, before: new Date(before).toISOString(), checkpoint_seq: r.checkpoint?.seq ?? null };
      if (r.pruned > 0) await record({ actor: 'system', action: 'audit.prune', params: out, result: 'ok', at: now });
      return out;
    },
  };
};

/** How a failed action is recorded: refused by a rule (risk gate, kill switch) or failed. */
export const auditResultOf = (e: unknown): AuditResult => (isFfeError(e) && e.kind === 'risk' ? 'denied' : 'error');
