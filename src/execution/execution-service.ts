import type { Clock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';
import { inputError } from '../core/errors.js';
import type { Position } from '../core/order.js';
import type { FreshnessThresholds } from '../core/freshness.js';
import type { MarketData } from '../data/port.js';
import type { RiskGatekeeper } from '../risk/gatekeeper.js';
import { DailyReturns, PortfolioContextBuilder, type AccountReaderNow } from '../risk/portfolio-context.js';
import type { GateResult, RiskConfig } from '../risk/types.js';
import type { DecisionRepository, EquitySnapshotRepository, OrderJournalRepository } from '../store/port.js';
import { D, text } from '../venues/decimal.js';
import type { Venue } from '../venues/port.js';
import { clientOrderId } from './client-order-id.js';
import { resolveMode, type AccountMode, type ModeChoice } from './mode.js';
import { isPending, neverReachedVenue } from './outcome.js';
import { gatedTrade, planLegs, planTrade, type PlannedLeg, type PlannedTrade } from './plan.js';
import { reconcile, reconcileError, type ReconcileReport } from './reconcile.js';
import { OrderSubmitter, type SettleSettings } from './submitter.js';
import type { NewIntent, OrderIntent } from './intents.js';
import { annotate, span, tracing } from '../observability/span.js';

export interface ExecutionDeps {
  /** Only the composition root builds venues. */
  /**
   * The (breaker-guarded) venue of an account; with a pair, only the venue that trades it (in
   * live mode, the one the unified venue routes the pair to).
   */
  venueFor(mode: AccountMode, pair?: string): Venue;
  tradingMode: AccountMode;
  decisions: DecisionRepository;
  journal: OrderJournalRepository;
  snapshots: EquitySnapshotRepository;
  gatekeeper: RiskGatekeeper;
  marketData: MarketData;
  freshness: FreshnessThresholds;
  limits: RiskConfig;
  /** Midnight of this zone starts the daily-loss rule's day (config agent.timezone; default UTC). */
  timeZone?: string;
  clock: Clock;
  allowDegraded: boolean;
  settle: SettleSettings;
  /**
   * The gate writes only denials' messages; passing checks carry '' (a backtest refuses most
   * bars' entries and reads only why). Live wiring leaves it off: previews and logs show every check.
   */
  quietGate?: boolean;
}

export interface ExecuteOptions {
  /** Asks for the live account; granted only when the config's trading.mode is live too. */
  live?: boolean;
}

export type ExecutionStatus = 'filled' | 'accepted' | 'partial' | 'rejected' | 'unknown' | 'denied';

export interface ExecutionResult {
  status: ExecutionStatus;
  decisionId: string | null;
  mode: AccountMode;
  modeNote: string;
  venue: string;
  gate: GateResult | null;
  /** Journal rows of the orders, as they stand after this call. */
  orders: OrderIntent[];
  /** True when an earlier, interrupted run had already sent these orders and this call only finished it. */
  resumed: boolean;
}

export interface ExecutionPreview {
  decision: Decision;
  mode: AccountMode;
  modeNote: string;
  venue: string;
  legs: PlannedLeg[];
  gate: GateResult;
}

function statusOf(orders: readonly OrderIntent[]): ExecutionStatus {
  if (orders.some(isPending)) return 'unknown';
  const states = orders.map((o) => o.state);
  if (states.every((s) => s === 'FILLED')) return 'filled';
  if (states.every((s) => s === 'REJECTED')) return 'rejected';
  if (states.includes('REJECTED')) return 'partial';
  // Only FILLED and ACCEPTED remain, and not all FILLED.
  return 'accepted';
}

/** Every order is a market order; closes only ever reduce. */
const toIntent = (cid: string, account: AccountMode, venue: string, decisionId: string | null, leg: PlannedLeg): NewIntent => ({
  clientOrderId: cid,
  account,
  venue,
  decisionId,
  leg: leg.kind,
  positionId: leg.positionId,
  pair: leg.pair,
  side: leg.side,
  type: 'market',
  units: leg.units,
  limitPrice: null,
  stopLossPrice: leg.stopLossPrice,
  takeProfitPrice: leg.takeProfitPrice,
  reduceOnly: leg.kind === 'close',
});

const acted = (s: ExecutionStatus) => s === 'filled' || s === 'accepted' || s === 'partial';

/** Who answers a call: the decision, the account and the venue. */
type Base = Pick<ExecutionResult, 'decisionId' | 'mode' | 'modeNote' | 'venue'>;

/**
 * A result with every key written out, in the order `{ ...base, status, gate, orders, resumed }`
 * gives: on Node 20 an object spread followed by more keys builds a fresh hidden class every
 * time (~7 µs), and a backtest's gate refuses a quarter of its bars.
 */
const resultOf = (b: Base, status: ExecutionStatus, gate: GateResult | null, orders: OrderIntent[], resumed: boolean): ExecutionResult => ({
  decisionId: b.decisionId,
  mode: b.mode,
  modeNote: b.modeNote,
  venue: b.venue,
  status,
  gate,
  orders,
  resumed,
});

/**
 * The one order path: decision → risk gate → journal → venue. Every caller (CLI, agent, API,
 * Telegram) goes through it, and it holds the only reference to a venue that can place orders.
 */
export class ExecutionService {
  readonly #deps: ExecutionDeps;
  readonly #submitter: OrderSubmitter;
  readonly #reconciled = new Set<string>();
  /** Daily returns the risk context reads, kept across orders (read once per new day, not per order). */
  readonly #daily: DailyReturns;
  readonly #builders = new Map<string, { account: Venue; builder: PortfolioContextBuilder }>();

  constructor(deps: ExecutionDeps) {
    this.#deps = deps;
    this.#daily = new DailyReturns(deps.marketData, deps.limits.var_lookback_days);
    this.#submitter = new OrderSubmitter(deps.journal, deps.clock, deps.settle);
  }

  mode(opts: ExecuteOptions = {}): ModeChoice {
    return resolveMode(this.#deps.tradingMode, opts.live);
  }

  async #decision(ref: string | Decision): Promise<Decision> {
    if (typeof ref !== 'string') return ref;
    const d = await this.#deps.decisions.get(ref);
    if (!d) throw inputError('DECISION_NOT_FOUND', `no decision with id "${ref}"; list them with \`ffe history\``);
    return d;
  }

  /** One builder per scope, kept while its venue is the same (a backtest builds a context at every entry signal). */
  #contextFor(scope: Scope): PortfolioContextBuilder {
    const known = this.#builders.get(scope.key);
    if (known?.account === scope.venue) return known.builder;
    const { marketData, snapshots, clock, freshness, limits, timeZone } = this.#deps;
    const builder = new PortfolioContextBuilder({ account: scope.venue, accountKey: scope.key, marketData, snapshots, clock, freshness, limits, timeZone, dailyReturns: this.#daily });
    this.#builders.set(scope.key, { account: scope.venue, builder });
    return builder;
  }

  /**
   * What an order for `pair` needs: the account's venue, or, in a live account over several
   * venues, only the venue that trades the pair, reconciled and risk-checked as its own account
   * (equity curve `live:<venue>`), so an outage of one venue never stops trading on another.
   * Without a pair: the whole account.
   */
  #scope(mode: AccountMode, pair?: string): Scope {
    const whole = this.#deps.venueFor(mode);
    const venue = pair === undefined ? whole : this.#deps.venueFor(mode, pair);
    if (venue === whole) return { mode, venue, key: mode, owns: () => true };
    const owns = (p: string) => {
      try {
        return this.#deps.venueFor(mode, p) === venue;
      } catch {
        return false;
      }
    };
    return { mode, venue, key: `${mode}:${venue.name}`, owns };
  }

  /**
   * Reconciles the account (or the pair's venue) once per process before its first trade; a
   * mismatch halts trading. Once reconciled the scope is answered without a promise: a backtest
   * asks at every entry signal.
   */
  #ready(mode: AccountMode, pair?: string): Scope | Promise<Scope> {
    const scope = this.#scope(mode, pair);
    return this.#reconciled.has(scope.key) ? scope : this.#reconcileFirst(scope);
  }

  async #reconcileFirst(scope: Scope): Promise<Scope> {
    const report = await reconcile(scope.mode, scope.venue, this.#deps.journal, this.#submitter, this.#deps.clock, scope.owns);
    if (!report.ok) throw reconcileError(report);
    this.#reconciled.add(scope.key);
    return scope;
  }

  /**
   * Settles unfinished orders and compares positions; `ffe reconcile` prints this. `interrupted`:
   * decisions a stopped process was executing (an agent's recovery names its killed run's in-flight one).
   */
  async reconcile(mode: AccountMode, opts: { interrupted?: readonly string[] } = {}): Promise<ReconcileReport> {
    const { journal, clock } = this.#deps;
    return reconcile(mode, this.#deps.venueFor(mode), journal, this.#submitter, clock, undefined, opts.interrupted);
  }

  #refuse(d: Decision): void {
    if (d.executed) throw inputError('DECISION_ALREADY_EXECUTED', `decision ${d.id} was already executed; analyse again for a new decision`);
    if (d.action === 'HOLD') throw inputError('DECISION_HOLD', `decision ${d.id} is HOLD: there is nothing to execute`);
    if (d.metadata.degraded === true && !this.#deps.allowDegraded) {
      throw inputError('DECISION_DEGRADED', `decision ${d.id} is degraded (its provider failed and a fallback answered); set execution.allow_degraded to execute such decisions`);
    }
  }

  /** The trade and the gate's verdict on it; its legs are written out by `planLegs` when they are sent or shown. */
  #plan(d: Decision, scope: Scope): Planned | Promise<Planned> {
    // Untraced (a backtest asks at every entry signal): no span to open nor annotate, so no wrapper around the gate.
    if (!tracing()) return this.#gateNow(d, scope) ?? this.#gate(d, scope);
    return span('ffe.risk.gate', { 'ffe.asset_pair': d.assetPair, 'ffe.action': d.action, 'ffe.venue': scope.venue.name, 'ffe.mode': scope.mode }, async () => {
      const planned = await this.#gate(d, scope);
      const { gate } = planned;
      annotate({ 'ffe.approved': gate.approved, 'ffe.denials': gate.denials.map((x) => x.code).join(',') || undefined });
      return planned;
    });
  }

  /**
   * `#gate` without a promise when the venue and every reader of the risk context answer now
   * (a backtest's in-memory adapters: a quarter of a 1m run's bars are entries the gate refuses,
   * each went through a dozen promises). Undefined otherwise: live venues are read as before.
   */
  #gateNow(d: Decision, scope: Scope): Planned | undefined {
    const venue = scope.venue as Venue & Partial<AccountReaderNow>;
    if (!venue.positionsNow) return undefined;
    const positions = venue.positionsNow();
    const trade = planTrade(d, positions);
    const ctx = this.#contextFor(scope).buildNow(gatedTrade(trade), positions);
    return ctx && { trade, gate: this.#deps.gatekeeper.evaluate(d, ctx, { quiet: this.#deps.quietGate }) };
  }

  async #gate(d: Decision, scope: Scope): Promise<Planned> {
    const positions = await scope.venue.positions();
    const trade = planTrade(d, positions);
    const ctx = await this.#contextFor(scope).build(gatedTrade(trade), positions);
    return { trade, gate: this.#deps.gatekeeper.evaluate(d, ctx, { quiet: this.#deps.quietGate }) };
  }

  /** What `execute` would send and what the gate says, without sending anything. */
  async preview(ref: string | Decision, opts: ExecuteOptions = {}): Promise<ExecutionPreview> {
    const d = await this.#decision(ref);
    this.#refuse(d);
    const { mode, note } = this.mode(opts);
    const scope = this.#scope(mode, d.assetPair);
    const { trade, gate } = await this.#plan(d, scope);
    return { decision: d, mode, modeNote: note, venue: scope.venue.name, legs: planLegs(trade, scope.venue.capabilities), gate };
  }

  /** Sends a decision's orders: one `ffe.order.submit` span when traced, the venue calls under it. */
  execute(ref: string | Decision, opts: ExecuteOptions = {}): Promise<ExecutionResult> {
    // Untraced: nothing to annotate, and the wrapper was a promise more at every order a backtest sends.
    if (!tracing()) return this.#execute(ref, opts);
    const attrs = typeof ref === 'string' ? { 'ffe.decision_id': ref } : { 'ffe.decision_id': ref.id, 'ffe.asset_pair': ref.assetPair, 'ffe.action': ref.action };
    return span('ffe.order.submit', attrs, async () => {
      const r = await this.#execute(ref, opts);
      annotate({ 'ffe.status': r.status, 'ffe.mode': r.mode, 'ffe.venue': r.venue, 'ffe.orders': r.orders.length });
      return r;
    });
  }

  /**
   * `execute` of a decision the caller holds, without a promise when the gate refuses it from
   * readers that answer now (a backtest's in-memory journal, venue and curve: ~26 k of 100 k bars
   * are refused entries, and each went through four promises); otherwise `execute`'s promise.
   * A refusal writes nothing (no journal row, no snapshot), so answering it now changes no order
   * of effects. Traced, `execute` runs as it is (its span wraps the call).
   */
  executeNow(d: Decision): ExecutionResult | Promise<ExecutionResult> {
    if (tracing()) return this.execute(d);
    this.#refuse(d);
    const { mode, note } = this.mode();
    const scope = this.#scope(mode, d.assetPair);
    const listNow = (this.#deps.journal as OrderJournalRepository & Partial<JournalNow>).listNow;
    // Not reconciled yet, or a journal that is read through a promise: `execute` does it all.
    if (!this.#reconciled.has(scope.key) || !listNow) return this.#execute(d, {});
    const prior = listNow.call(this.#deps.journal, { account: mode, decisionId: d.id });
    if (prior.some((i) => !neverReachedVenue(i))) return this.#execute(d, {});
    const planned = this.#gateNow(d, scope);
    if (planned?.gate.approved === false) return resultOf({ decisionId: d.id, mode, modeNote: note, venue: scope.venue.name }, 'denied', planned.gate, [], false);
    // Approved: `execute` goes on from this verdict (nothing has changed since: no await between).
    return this.#execute(d, {}, planned);
  }

  async #execute(ref: string | Decision, opts: ExecuteOptions, gated?: Planned): Promise<ExecutionResult> {
    const { journal, clock } = this.#deps;
    const d = typeof ref === 'string' ? await this.#decision(ref) : ref;
    this.#refuse(d);
    const { mode, note } = this.mode(opts);
    const ready = this.#ready(mode, d.assetPair);
    const scope = ready instanceof Promise ? await ready : ready;
    const { venue } = scope;
    const base: Base = { decisionId: d.id, mode, modeNote: note, venue: venue.name };

    // An earlier run that got as far as the journal is finished, never planned and sent again.
    const query = { account: mode, decisionId: d.id };
    const prior = (journal as OrderJournalRepository & Partial<JournalNow>).listNow?.(query) ?? (await journal.list(query));
    const live = prior.filter((i) => !neverReachedVenue(i));
    if (live.length) return this.#finish(d, base, null, live, true, scope);

    // Awaited only when it is a promise: a refused entry of a backtest then costs none.
    const planned = gated ?? this.#plan(d, scope);
    const { trade, gate } = planned instanceof Promise ? await planned : planned;
    if (!gate.approved) return resultOf(base, 'denied', gate, [], false);
    const legs = planLegs(trade, venue.capabilities);
    // Attempts that provably never reached the venue are retried under fresh ids.
    const attempt = prior.length;
    const orders: OrderIntent[] = [];
    for (const leg of legs) {
      const intent = toIntent(clientOrderId(d.id, leg.key, attempt), mode, venue.name, d.id, leg);
      const { intent: stored, created } = await journal.open(intent, clock.now());
      // Another process journaled the same id first: it owns the submission.
      orders.push(created ? await this.#submitter.submit(stored, venue) : stored);
    }
    return this.#finish(d, base, gate, orders, false, scope);
  }

  /**
   * Closes one position through the same path: gate (exposure-reducing, so only the market
   * checks apply), journal, venue. The client order id is derived from the position as it
   * stands, so repeating the command after a crash finds the first attempt.
   */
  async closePosition(positionId: string, opts: ExecuteOptions = {}): Promise<ExecutionResult> {
    const { journal, clock } = this.#deps;
    const { mode, note } = this.mode(opts);
    const scope = await this.#ready(mode);
    const { venue } = scope;
    const positions = await venue.positions();
    const pos = findPosition(positions, positionId, mode);
    const side = pos.side === 'long' ? 'sell' : 'buy';
    const base: Base = { decisionId: null, mode, modeNote: note, venue: venue.name };
    const gate = this.#deps.gatekeeper.evaluate(null, await this.#contextFor(scope).build({ pair: pos.pair, side, units: Number(pos.units) }, positions));
    if (!gate.approved) return resultOf(base, 'denied', gate, [], false);
    for (let attempt = 0; ; attempt++) {
      const cid = clientOrderId('close', mode, pos.id, pos.side, pos.units, pos.entryPrice, pos.openedAt ?? '', attempt);
      const existing = await journal.get(cid);
      // Asking again after a rejection is a new request; anything else is the same close resumed.
      if (existing?.state === 'REJECTED') continue;
      if (existing) return resultOf(base, statusOf([existing]), gate, [existing], true);
      const leg: PlannedLeg = { key: 'close', kind: 'close', positionId: pos.id, pair: pos.pair, side, units: pos.units, stopLossPrice: null, takeProfitPrice: null };
      const { intent: stored, created } = await journal.open(toIntent(cid, mode, venue.name, null, leg), clock.now());
      const order = created ? await this.#submitter.submit(stored, venue) : stored;
      await this.#snapshot(scope);
      return resultOf(base, statusOf([order]), gate, [order], !created);
    }
  }

  /** The open position a close would act on, looked up before anyone is asked to confirm it. */
  async position(positionId: string, opts: ExecuteOptions = {}): Promise<Position> {
    const { mode } = this.mode(opts);
    return findPosition(await this.#deps.venueFor(mode).positions(), positionId, mode);
  }

  /**
   * Makes the journal agree with the venue by recording, per mismatched pair, an adjustment
   * of (venue − journal) units. Only a person decides this (`ffe reconcile --accept`).
   */
  async acceptVenuePositions(mode: AccountMode, reason: string): Promise<ReconcileReport> {
    const report = await this.reconcile(mode);
    if (report.pending.length) throw reconcileError(report);
    for (const p of report.positions.filter((x) => !x.match)) {
      await this.#deps.journal.adjust({
        id: clientOrderId('adjust', mode, p.pair, p.journal, p.venue, this.#deps.clock.now()),
        account: mode,
        pair: p.pair,
        units: text(new D(p.venue).minus(p.journal)),
        reason,
        createdAt: this.#deps.clock.now(),
      });
    }
    return this.reconcile(mode);
  }

  async #finish(d: Decision, b: Base, gate: GateResult | null, orders: OrderIntent[], resumed: boolean, scope: Scope): Promise<ExecutionResult> {
    const status = statusOf(orders);
    if (acted(status)) {
      await this.#deps.decisions.markExecuted(d.id, {
        mode: b.mode,
        venue: b.venue,
        status,
        executedAt: new Date(this.#deps.clock.now()).toISOString(),
        orders: orders.map((o) => ({
          clientOrderId: o.clientOrderId,
          state: o.state,
          venueOrderId: o.venueOrderId,
          side: o.side,
          units: o.units,
          filledUnits: o.filledUnits,
          averagePrice: o.averagePrice,
          fees: o.fees,
        })),
      });
    }
    await this.#snapshot(scope);
    // Status last, where the spread this replaced put it (JSON output keeps its key order).
    return { decisionId: b.decisionId, mode: b.mode, modeNote: b.modeNote, venue: b.venue, gate, orders, resumed, status };
  }

  async #snapshot(scope: Scope): Promise<void> {
    const eq = await scope.venue.equity();
    await this.#deps.snapshots.record({ account: scope.key, at: this.#deps.clock.now(), equity: eq.value, currency: eq.currency, source: 'execution' });
  }
}

type Planned = { trade: PlannedTrade; gate: GateResult };

/** An in-memory journal (a backtest's) answers `list` without a promise. */
interface JournalNow {
  listNow(q: { account?: string; decisionId?: string; limit?: number }): OrderIntent[];
}

interface Scope {
  mode: AccountMode;
  venue: Venue;
  /** Equity-curve and reconciliation key: the mode, or `<mode>:<venue>` for one venue of a live account over several. */
  key: string;
  owns(pair: string): boolean;
}

/** Position ids are venue ids, but people type the pair (`ffe close BTCUSD`): point them to the id. */
function findPosition(positions: readonly Position[], positionId: string, mode: AccountMode): Position {
  const pos = positions.find((p) => p.id === positionId);
  if (pos) return pos;
  const key = positionId.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  const same = positions.filter((p) => p.pair === key);
  const hint = same.length ? `; the open ${key} position${same.length > 1 ? 's have ids' : ' has id'} ${same.map((p) => p.id).join(', ')}` : '; list them with `ffe positions`';
  throw inputError('POSITION_NOT_FOUND', `no open position "${positionId}" on the ${mode} account${hint}`);
}
