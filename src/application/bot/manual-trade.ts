import { createHash } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import { principalLabel } from '../auth/principal.js';
import type { Decision } from '../../core/decision.js';
import { inputError, isFfeError } from '../../core/errors.js';
import { decisionMade } from '../../engine/decision-events.js';
import type { ExecutionResult } from '../../execution/execution-service.js';
import { newUlid } from '../../lib/fast-ulid.js';
import type { IdempotencyRecord } from '../../store/port.js';
import type { Runtime } from '../runtime.js';
import type { tradingUseCases } from '../trading.js';
import { checkStops, fieldError, validateManualTrade, type ManualTradeRequest } from './validate.js';

/** What a manual trade answers (and what a retry with its Idempotency-Key gets back, unchanged). */
export interface ManualTradeResponse {
  decision_id: string;
  status: string;
  asset_pair: string;
  action: 'BUY' | 'SELL';
  size: number;
  mode: string;
  venue: string;
  /** Why the risk gate refused it (status denied). */
  denials: { code: string; message: string }[];
  orders: { client_order_id: string; leg: string; side: string; units: number; filled_units: number; average_price: number | null; fees: number; state: string; reason: string | null }[];
  /** True when the order path only finished what an interrupted attempt had sent. */
  resumed: boolean;
}

const num = (v: string | number | null) => (v === null ? null : Number(v));

export function shapeExecution(d: Pick<Decision, 'id' | 'assetPair' | 'action' | 'suggestedSizeUnits'>, r: ExecutionResult): ManualTradeResponse {
  return {
    decision_id: d.id,
    status: r.status,
    asset_pair: d.assetPair,
    action: d.action as 'BUY' | 'SELL',
    size: d.suggestedSizeUnits,
    mode: r.mode,
    venue: r.venue,
    denials: (r.gate?.denials ?? []).map((x) => ({ code: x.code, message: x.message })),
    orders: r.orders.map((o) => ({
      client_order_id: o.clientOrderId,
      leg: o.leg,
      side: o.side,
      units: Number(o.units),
      filled_units: Number(o.filledUnits),
      average_price: num(o.averagePrice),
      fees: Number(o.fees),
      state: o.state,
      reason: o.reason,
    })),
    resumed: r.resumed,
  };
}

/** Canonical JSON (sorted keys): the same body hashes the same whatever its key order. */
const canonical = (v: unknown): string =>
  v === null || typeof v !== 'object'
    ? JSON.stringify(v)
    : Array.isArray(v)
      ? `[${v.map(canonical).join(',')}]`
      : `{${Object.keys(v)
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`;

export const requestHash = (body: unknown) => createHash('sha256').update(canonical(body)).digest('hex');

/**
 * Manual trades through the one order path (`ffe execute`'s: a stored decision, the kill switch
 * and trading lease, the risk gate, the order journal, the breaker-guarded venue). With an
 * Idempotency-Key the key is recorded with the decision before any order (intent first): a retry
 * gets the stored answer, waits for an attempt still in flight in this process, or (after a crash
 * or a failure) resumes the same decision, which the order path never sends twice.
 */
export function manualTrades(rt: Runtime, trading: ReturnType<typeof tradingUseCases>) {
  const { app } = rt;
  const queue = new Map<string, Promise<ManualTradeResponse>>();
  const running = new Set<Promise<void>>();

  /** A decision for the trade, its market context from a local rules analysis of the pair now. */
  async function decisionFor(t: ManualTradeRequest, by: Principal): Promise<Decision> {
    const ctx = await app.engine.analyze(t.asset_pair, { provider: app.providers.has('rules') ? 'rules' : undefined, persist: false }).catch((e: unknown) => {
      // A pair the data source does not have is bad input of this request: name the field.
      if (isFfeError(e) && e.kind === 'input') throw fieldError('TRADE_INVALID', 'asset_pair', e.message);
      throw e;
    });
    const price = t.price ?? ctx.entryPrice;
    checkStops(t, price);
    const dist = (p: number | undefined) => (p === undefined ? 0 : Math.abs(p - price) / price);
    const equity = Number((await app.venueView(app.execution.mode().mode).equity()).value);
    return {
      ...ctx,
      id: newUlid(app.clock.now()),
      createdAt: new Date(app.clock.now()).toISOString(),
      action: t.action,
      confidence: 100,
      reasoning: `manual ${t.action} of ${t.size} ${t.asset_pair} by ${principalLabel(by)}`,
      entryPrice: price,
      suggestedSizeUnits: t.size,
      suggestedSizeQuote: t.size * price,
      stopLossPrice: t.stop_loss ?? null,
      takeProfitPrice: t.take_profit ?? null,
      stopLossFraction: dist(t.stop_loss),
      takeProfitFraction: dist(t.take_profit),
      riskFraction: t.stop_loss !== undefined && equity > 0 ? (t.size * Math.abs(price - t.stop_loss)) / equity : 0,
      signal: { action: t.action, confidence: 100 },
      gates: [],
      provider: 'manual',
      model: null,
      executed: false,
      metadata: { manual: { by: principalLabel(by) } },
    };
  }

  /** Executes a stored decision through `ffe execute`'s path; an already-executed one answers from the journal. */
  async function run(decisionId: string, by: Principal): Promise<ManualTradeResponse> {
    const d = await app.decisions.get(decisionId);
    if (!d) throw inputError('DECISION_NOT_FOUND', `decision ${decisionId} of this idempotency key is gone`);
    const fromJournal = async (done: Decision) => {
      const orders = await app.journal.list({ decisionId });
      const { mode, note } = app.execution.mode();
      return shapeExecution(done, { status: 'filled', decisionId, mode, modeNote: note, venue: orders[0]?.venue ?? '', gate: null, orders, resumed: true });
    };
    if (d.executed) return fromJournal(d);
    try {
      return shapeExecution(d, await trading.execute(decisionId, { principal: by }));
    } catch (e) {
      // Another request with the key (another instance on the store) executed it since the read above: its answer, not an error.
      if (isFfeError(e) && e.code === 'DECISION_ALREADY_EXECUTED') return fromJournal((await app.decisions.get(decisionId)) ?? d);
      throw e;
    }
  }

  /** One attempt for a key: the stored answer, a resumed interrupted attempt, or a new decision recorded with the key before any order. */
  async function attempt(t: ManualTradeRequest, by: Principal, key: string): Promise<ManualTradeResponse> {
    const principal = principalLabel(by);
    const hash = requestHash(t);
    const answer = async (rec: IdempotencyRecord): Promise<ManualTradeResponse> => {
      if (rec.requestHash !== hash) throw inputError('IDEMPOTENCY_MISMATCH', `Idempotency-Key "${key}" was used with a different request body; use a new key for a new trade`);
      if (rec.response !== null) return rec.response as ManualTradeResponse;
      // Interrupted (a crash) or failed before: resume its decision; the order path never sends it twice.
      return complete(principal, key, await run(rec.subject, by));
    };
    const seen = await app.store.idempotency.get(principal, key);
    if (seen) return answer(seen);
    const decision = await decisionFor(t, by);
    // Intent first: the key and the decision are stored together, before any order.
    const prior = await rt.commit(async (tx) => {
      const rec = await tx.idempotency.claim({ key, principal, requestHash: hash, subject: decision.id, createdAt: app.clock.now() });
      if (rec) return { result: rec, events: [] };
      await tx.decisions.save(decision);
      return { result: null, events: [decisionMade(decision, app.clock.now())] };
    });
    if (prior) return answer(prior);
    return complete(principal, key, shapeExecution(decision, await trading.execute(decision.id, { principal: by })));
  }

  async function complete(principal: string, key: string, r: ManualTradeResponse): Promise<ManualTradeResponse> {
    await app.store.idempotency.complete(principal, key, r);
    return r;
  }

  /** Requests with one key run one after another in this process: a retry sent while the first is in flight waits for it, then gets its stored answer. */
  function keyed(t: ManualTradeRequest, by: Principal, key: string): Promise<ManualTradeResponse> {
    const slot = `${principalLabel(by)}\n${key}`;
    const before = queue.get(slot);
    const mine = (async () => {
      if (before) await before.catch(() => undefined);
      return attempt(t, by, key);
    })();
    queue.set(slot, mine);
    return tracked(
      mine.finally(() => {
        if (queue.get(slot) === mine) queue.delete(slot);
      }),
    );
  }

  /** Every manual trade in flight, so a draining server can wait for them. */
  function tracked<T>(p: Promise<T>): Promise<T> {
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    running.add(settled);
    void settled.then(() => running.delete(settled));
    return p;
  }

  return {
    /** In-flight manual trades (a draining server waits for them). */
    settled: () => Promise.all([...running]).then(() => undefined),

    async manualTrade(req: ManualTradeRequest, o: { by: Principal; idempotencyKey?: string }): Promise<ManualTradeResponse> {
      const t = validateManualTrade(req);
      if (o.idempotencyKey !== undefined) {
        if (!o.idempotencyKey.trim() || o.idempotencyKey.length > 255) throw inputError('TRADE_INVALID', 'Idempotency-Key: must be 1 to 255 characters', { field: 'Idempotency-Key', fields: ['Idempotency-Key'] });
        return keyed(t, o.by, o.idempotencyKey);
      }
      return tracked(
        (async () => {
          const decision = await decisionFor(t, o.by);
          await app.decisions.save(decision);
          return shapeExecution(decision, await trading.execute(decision.id, { principal: o.by }));
        })(),
      );
    },
  };
}
