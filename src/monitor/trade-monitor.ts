import type { Clock } from '../core/clock.js';
import type { Fill, Position } from '../core/order.js';
import { closedTradeFigures } from '../core/trade.js';
import type { Venue } from '../venues/port.js';
import { classifyExit } from './exit-classifier.js';
import { observe } from './excursion.js';
import type { TrackedPosition, TradeMetrics } from './types.js';
import type { CloseReasonRepository, MonitorRepository, OrderJournalRepository } from '../store/port.js';

export interface MonitorDeps {
  venue: Pick<Venue, 'name' | 'positions' | 'fills' | 'getOrderByClientId'>;
  /** `adjust` lets venue-side exits of our own positions (attached stops, liquidations) reach the journal. */
  journal: Pick<OrderJournalRepository, 'get' | 'adjust'>;
  closeReasons: CloseReasonRepository;
  repo: MonitorRepository;
  clock: Clock;
  maxTrackers: number;
  newId: () => string;
}

export interface ObservedBar {
  high: number;
  low: number;
  close: number;
  /** ms: when the bar closed. */
  timestamp: number;
}

export interface PollResult {
  opened: TrackedPosition[];
  closed: TradeMetrics[];
}

const keyOf = (venue: string, p: Position) => `${venue}:${p.id}:${p.openedAt ?? p.entryPrice}`;

/**
 * Watches venue positions: tracks up to `maxTrackers` at once (the rest queue, oldest first),
 * and when one disappears, reads its closing fills and our order records to persist exactly
 * how it ended.
 */
export class TradeMonitor {
  constructor(private readonly d: MonitorDeps) {}

  /** The same monitor reading the account through another venue (a replay's cached reads), or keeping its trackers through another repository (a replay's batch). */
  with(o: Partial<Pick<MonitorDeps, 'venue' | 'repo'>>): TradeMonitor {
    return new TradeMonitor({ ...this.d, ...o });
  }

  async status(): Promise<{ active: TrackedPosition[]; pending: TrackedPosition[] }> {
    const all = await this.d.repo.trackers();
    return { active: all.filter((t) => t.tracked), pending: all.filter((t) => !t.tracked) };
  }

  /** Folds a bar's range into the excursions of `pair`'s trackers (replays see every bar, polls only marks). */
  observeBar(pair: string, bar: ObservedBar): Promise<void> {
    return this.observeBars([{ pair, bar }]);
  }

  /** observeBar for each bar in turn, with one read of the trackers and one write per tracker that saw a bar. */
  async observeBars(bars: readonly { pair: string; bar: ObservedBar }[]): Promise<void> {
    if (bars.length === 0) return;
    for (const t of await this.d.repo.trackers()) {
      let next = t;
      for (const { pair, bar } of bars) if (pair === t.pair) next = observe(next, [bar.high, bar.low, bar.close], bar.close, bar.timestamp);
      if (next !== t) await this.d.repo.saveTracker(next);
    }
  }

  /**
   * `beforeWrite` runs once, before the poll's first write of a closed trade (journal, metrics,
   * its event), and not at all when none closed: a replay's batched rows go in first only when such
   * a write must follow them. Tracker saves go to the repository alone (a replay's holds them in
   * its batch), so a cycle with a position open commits no more than a quiet one.
   */
  async poll(opts: { beforeWrite?: () => Promise<void> } = {}): Promise<PollResult> {
    let pending = opts.beforeWrite;
    const writing = async () => {
      if (!pending) return;
      const w = pending;
      pending = undefined;
      await w();
    };
    const now = this.d.clock.now();
    const positions = await this.d.venue.positions();
    const stored = new Map((await this.d.repo.trackers()).map((t) => [t.key, t]));
    const current = new Map<string, TrackedPosition>();
    const marks = new Map<string, number>();
    const opened: TrackedPosition[] = [];
    for (const p of positions) {
      const key = keyOf(this.d.venue.name, p);
      const mark = p.markPrice !== null ? Number(p.markPrice) : Number(p.entryPrice);
      marks.set(key, mark);
      const prev = stored.get(key);
      const t = prev ? { ...prev, units: Math.max(prev.units, Number(p.units)), stopLossPrice: num(p.stopLossPrice), takeProfitPrice: num(p.takeProfitPrice) } : fresh(key, this.d.venue.name, p, mark, now);
      current.set(key, t);
      if (!prev) opened.push(t);
    }
    const closed: TradeMetrics[] = [];
    for (const t of stored.values()) {
      if (current.has(t.key)) continue;
      await writing();
      const m = await this.finish(t, now);
      if (await this.d.repo.addMetrics(m)) closed.push(m);
      await this.d.repo.removeTracker(t.key);
    }
    // Fill free tracker slots from the pending queue, oldest position first, before observing prices.
    const live = [...current.values()].sort((a, b) => a.openedAt - b.openedAt);
    let active = live.filter((t) => t.tracked).length;
    for (const t of live) {
      if (t.tracked || active >= this.d.maxTrackers) continue;
      current.set(t.key, { ...t, tracked: true });
      active++;
    }
    for (const t of current.values()) {
      const mark = marks.get(t.key)!;
      await this.d.repo.saveTracker(observe(t, [mark], mark, now));
    }
    return { opened, closed };
  }

  private async finish(t: TrackedPosition, now: number): Promise<TradeMetrics> {
    const { opening, closing } = await this.legsOf(t);
    const fills = [...opening, ...closing];
    const last = closing[closing.length - 1] ?? null;
    const entryIntent = opening[0] ? await this.d.journal.get(opening[0].clientOrderId) : null;
    const exit = await this.exitOf(last, entryIntent !== null && entryIntent.stopLossPrice !== null, entryIntent?.takeProfitPrice != null);
    if (entryIntent && VENUE_SIDE.has(exit.reason)) for (const f of closing) await this.journalVenueExit(entryIntent.account, f);
    const exitPrice = closing.length ? vwap(closing) : t.lastPrice;
    const fees = fills.reduce((a, f) => a + Number(f.fee), 0);
    const closedAt = last?.timestamp ?? now;
    const figures = closedTradeFigures({ side: t.side, units: t.units, entryPrice: t.entryPrice, exitPrice, openedAt: t.openedAt, closedAt, fees });
    return {
      id: this.d.newId(),
      tradeId: t.key,
      decisionId: entryIntent?.decisionId ?? null,
      venue: t.venue,
      pair: t.pair,
      side: t.side,
      units: t.units,
      entryPrice: t.entryPrice,
      exitPrice,
      openedAt: t.openedAt,
      closedAt,
      fees,
      exitReason: exit.reason,
      exitDetail: exit.detail,
      closingOrderId: last?.clientOrderId ?? null,
      stopLossPrice: t.stopLossPrice,
      ...figures,
      mfe: t.tracked ? Math.max(t.mfe, ((t.side === 'long' ? 1 : -1) * (exitPrice - t.entryPrice)) / t.entryPrice) : null,
      mae: t.tracked ? Math.min(t.mae, ((t.side === 'long' ? 1 : -1) * (exitPrice - t.entryPrice)) / t.entryPrice) : null,
    };
  }

  /**
   * This holding's own fills. A flip at one instant puts the previous position's close (same side
   * as this entry) and the next position's entry (same side as this exit) beside ours, so our
   * journal's leg decides, and each side stops once it covers the position's units.
   */
  private async legsOf(t: TrackedPosition): Promise<{ opening: Fill[]; closing: Fill[] }> {
    const closeSide = t.side === 'long' ? 'sell' : 'buy';
    const eps = t.units * 1e-9;
    const fills: { f: Fill; leg: string | null }[] = [];
    for (const f of await this.d.venue.fills(t.openedAt)) {
      if (f.pair === t.pair && f.timestamp >= t.openedAt) fills.push({ f, leg: (await this.d.journal.get(f.clientOrderId))?.leg ?? null });
    }
    // Our own entry orders first; unjournaled fills (a venue stop closing the previous position) only for a position opened outside FFE.
    const entrySide = fills.filter((x) => x.f.side !== closeSide && x.leg !== 'close');
    const ours = entrySide.filter((x) => x.leg === 'open');
    const opening = take(ours.length ? ours : entrySide, t.units, eps);
    // Fills are oldest first: an exit comes after our entry, even within the same instant.
    const start = opening.length ? fills.findIndex((x) => x.f === opening[0]) : 0;
    const closing = take(
      fills.filter((x, i) => i > start && x.f.side === closeSide && x.leg !== 'open'),
      t.units,
      eps,
    );
    return { opening, closing };
  }

  /**
   * The journal only knows orders we sent; a stop or liquidation the venue executed must be
   * booked there too or the next reconcile sees a phantom position. The id is the one
   * reconciliation uses when it adopts a venue-side exit (`fill:<fillId>`), so each fill is
   * booked exactly once, whichever of the two sees it first.
   */
  private async journalVenueExit(account: string, f: Fill): Promise<void> {
    const units = f.side === 'buy' ? f.units : `-${f.units}`;
    await this.d.journal.adjust({ id: `fill:${f.fillId}`, account, pair: f.pair, units, reason: `venue closed the position (order ${f.clientOrderId})`, createdAt: f.timestamp });
  }

  private async exitOf(last: Fill | null, entryHadStop: boolean, entryHadTarget: boolean) {
    if (!last) return classifyExit({ clientOrderId: null, loggedReason: null, journaled: false, closingDecisionId: null, venueReason: null, entryHadStop, entryHadTarget });
    const id = last.clientOrderId;
    const [loggedReason, journaled, order] = await Promise.all([this.d.closeReasons.reasonOf(id), this.d.journal.get(id), this.d.venue.getOrderByClientId(id)]);
    return classifyExit({ clientOrderId: id, loggedReason, journaled: journaled !== null, closingDecisionId: journaled?.decisionId ?? null, venueReason: order?.reason ?? null, entryHadStop, entryHadTarget });
  }
}

function fresh(key: string, venue: string, p: Position, mark: number, now: number): TrackedPosition {
  return {
    key,
    positionId: p.id,
    venue,
    pair: p.pair,
    side: p.side,
    units: Number(p.units),
    entryPrice: Number(p.entryPrice),
    openedAt: p.openedAt ?? now,
    stopLossPrice: num(p.stopLossPrice),
    takeProfitPrice: num(p.takeProfitPrice),
    lastPrice: mark,
    unrealizedPnl: 0,
    mfe: 0,
    mae: 0,
    updatedAt: now,
    tracked: false,
  };
}

/** Fills in order until they cover `units`. */
function take(fills: readonly { f: Fill }[], units: number, eps: number): Fill[] {
  const out: Fill[] = [];
  let sum = 0;
  for (const { f } of fills) {
    if (sum >= units - eps) break;
    out.push(f);
    sum += Number(f.units);
  }
  return out;
}

const VENUE_SIDE = new Set(['stop_loss', 'take_profit', 'liquidation']);

const num = (v: string | null): number | null => (v === null ? null : Number(v));

function vwap(fills: readonly Fill[]): number {
  const units = fills.reduce((a, f) => a + Number(f.units), 0);
  return units > 0 ? fills.reduce((a, f) => a + Number(f.units) * Number(f.price), 0) / units : Number(fills[fills.length - 1].price);
}
