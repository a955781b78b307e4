import { FfeError, inputError } from '../core/errors.js';
import { standardizeAssetPair } from '../core/pair.js';
import { buildDashboard } from '../execution/dashboard.js';
import { reconcileCode } from '../execution/reconcile.js';
import { audited, executionOutcome } from './audit/audited.js';
import { LOCAL_OPERATOR, principalLabel, type Principal } from './auth/principal.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { assertKillSwitchClear } from './kill-switch.js';
import type { Runtime } from './runtime.js';
import type { Approval } from '../agent/types.js';
import type { Action } from '../core/decision.js';
import type { TradeMonitor } from '../monitor/trade-monitor.js';

export interface AccountFlag {
  /** Asks for the live account; granted only when trading.mode is live too. */
  live?: boolean;
}

/** Who asks for a state change (audited): an API caller, or the operator at the machine's CLI (the default). */
export interface Acting {
  principal?: Principal;
}

/** Analysis, decisions, orders, account views, approvals and reconciliation: each a plain call returning plain data. */
export const tradingUseCases = (rt: Runtime) => {
  const { app } = rt;
  /**
   * An order with the account's trade monitor looking before and after: a position it closes
   * (a close, or a decision that reverses one) is recorded now, with its PositionClosed event,
   * exit reason and P&L, not whenever an agent next looks; one it opens is tracked from the start.
   */
  const watched = async <T>(o: AccountFlag, order: () => Promise<T>): Promise<T> => {
    const monitor = app.monitor(app.execution.mode({ live: o.live }).mode);
    await monitorPass(monitor);
    const r = await order();
    await monitorPass(monitor);
    return r;
  };
  /** A new order under the trading lease, the kill switch read again once the lease is held (another process may have stopped trading while this one waited). */
  const underLease = <T>(order: () => Promise<T>) =>
    rt.trade(async () => {
      await assertKillSwitchClear(app.feedback.agentState);
      return order();
    });
  const cases = {
    async analyze(pair: string, o: { provider?: string } = {}) {
      const t0 = performance.now();
      const decision = await app.engine.analyze(pair, { provider: o.provider });
      return { decision, engineMs: performance.now() - t0 };
    },

    decisions: (q: { asset?: string; limit: number }) => app.store.decisions.list({ assetPair: q.asset ? standardizeAssetPair(q.asset) : undefined, limit: q.limit }),

    /** Newest first, a page at a time: `next_cursor` (null on the last page) continues where this page ended, however many decisions arrive meanwhile. */
    async decisionsPage(q: { limit: number; asset?: string; action?: Action; provider?: string; executed?: boolean; cursor?: string; full?: boolean }) {
      if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > 500) throw inputError('LIMIT_INVALID', 'limit: a whole number from 1 to 500');
      const [createdAt, id] = q.cursor ? (decodeCursor('decisions', q.cursor, ['string', 'string']) as string[]) : [];
      const query = {
        assetPair: q.asset ? standardizeAssetPair(q.asset) : undefined,
        action: q.action,
        provider: q.provider,
        executed: q.executed,
        limit: q.limit + 1,
        before: q.cursor ? { createdAt, id } : undefined,
      };
      // Summaries come from the store without reading whole records (a record carries its market snapshot: ~6 KB).
      const rows = q.full ? await app.store.decisions.list(query) : await app.store.decisions.summaries(query);
      const decisions = rows.slice(0, q.limit);
      const last = decisions[decisions.length - 1];
      return { decisions, next_cursor: rows.length > q.limit ? encodeCursor('decisions', [last.createdAt, last.id]) : null };
    },

    /** Which account a command acts on and the line that says so. */
    mode: (o: AccountFlag = {}) => app.execution.mode({ live: o.live }),

    previewExecution: (decisionId: string, o: AccountFlag = {}) => app.execution.preview(decisionId, { live: o.live }),

    /** One stored decision (DECISION_NOT_FOUND, 404, when there is none). */
    async decision(id: string) {
      const d = await app.store.decisions.get(id);
      if (!d) throw inputError('DECISION_NOT_FOUND', `no decision "${id}"; list them with \`ffe history\``);
      return d;
    },

    /** Sends a stored decision's orders through the risk gate (run again on fresh data) to the venue. */
    async execute(decisionId: string, o: AccountFlag & Acting = {}) {
      return audited(
        rt,
        o.principal ?? LOCAL_OPERATOR,
        'decision.execute',
        { decision_id: decisionId, live: o.live === true },
        async () => {
          await assertKillSwitchClear(app.feedback.agentState);
          return underLease(() => watched(o, () => app.execution.execute(decisionId, { live: o.live })));
        },
        executionOutcome,
      );
    },

    /** Closes a position with a market order through the risk gate. */
    /** The open position a close would act on (POSITION_NOT_FOUND, exit 2, when there is none), before anyone confirms. */
    position: (positionId: string, o: AccountFlag = {}) => app.execution.position(positionId, { live: o.live }),
    close: (positionId: string, o: AccountFlag & Acting = {}) =>
      audited(
        rt,
        o.principal ?? LOCAL_OPERATOR,
        'position.close',
        { position_id: positionId, live: o.live === true },
        () => rt.trade(() => watched(o, () => app.execution.closePosition(positionId, { live: o.live }))),
        executionOutcome,
      ),

    positions: async (o: AccountFlag = {}) => {
      const s = await app.account.snapshot({ live: o.live }, 'positions');
      return { mode: s.mode, modeNote: s.modeNote, venue: s.venue, positions: s.positions };
    },

    balance: async (o: AccountFlag = {}) => {
      const s = await app.account.snapshot({ live: o.live }, 'balance');
      return { mode: s.mode, modeNote: s.modeNote, venue: s.venue, at: s.at, currency: s.currency, equity: s.equity, balances: s.balances };
    },

    dashboard: async (o: AccountFlag = {}) => buildDashboard(await app.account.snapshot({ live: o.live }, 'dashboard')),

    /** Settles unfinished orders and compares journal and venue; `accept` adopts the venue's positions. The report says whether trading may go on. */
    async reconcile(o: AccountFlag & { accept?: boolean } = {}) {
      const { mode, note } = app.execution.mode({ live: o.live });
      const report = o.accept ? await app.execution.acceptVenuePositions(mode, 'accepted with `ffe reconcile --accept`') : await app.execution.reconcile(mode);
      return { mode, modeNote: note, report, code: report.ok ? null : reconcileCode(report) };
    },

    approvals: {
      list: (status?: Approval['status']) => app.feedback.approvals.list(status),
      approve: (id: string, note: string | null, principal: Principal = LOCAL_OPERATOR) =>
        audited(
          rt,
          principal,
          'approval.approve',
          { approval_id: id, note },
          async () => {
            await assertKillSwitchClear(app.feedback.agentState);
            return app.feedback.approvals.approve(id, (decisionId) => underLease(() => watched({}, () => app.execution.execute(decisionId))), note, principalLabel(principal));
          },
          (r) => executionOutcome(r.result),
        ),
      reject: (id: string, note: string | null, principal: Principal = LOCAL_OPERATOR) =>
        audited(rt, principal, 'approval.reject', { approval_id: id, note }, () => app.feedback.approvals.reject(id, note, principalLabel(principal))),
      /** Approves or rejects the approval named by its id or by its decision's id (the API's `/approvals/{decision_id}`). */
      async decide(ref: string, status: 'approved' | 'rejected', note: string | null, principal: Principal = LOCAL_OPERATOR) {
        const all = await app.feedback.approvals.list();
        const a = all.find((x) => x.id === ref) ?? all.find((x) => x.decisionId === ref && x.status === 'pending') ?? all.find((x) => x.decisionId === ref);
        const id = a?.id ?? ref;
        if (status === 'rejected') return { approval: await cases.approvals.reject(id, note, principal), result: null };
        return cases.approvals.approve(id, note, principal);
      },
    },
  };
  return cases;
};

/**
 * A decision as lists show it: what was decided, by whom, at what price and size, and why, without
 * the market snapshot, pulse and provider details (tens of kilobytes each; one decision's full
 * record is a read of its own).
 */
/**
 * One look of the trade monitor around a manual order. Bookkeeping only: when it fails (a venue
 * read refused), the order stands and the agent's monitor records the trade on its next look.
 */
async function monitorPass(m: TradeMonitor): Promise<void> {
  await m.poll().catch(() => undefined);
}

/** A reconcile report that is not clean, as the error an interface reports (exit 1, trading halted). */
export const reconcileHalt = (code: ReturnType<typeof reconcileCode>) => new FfeError('runtime', code, 'trading halted until the journal matches the venue (report above)');
