import { candleInto, type Candle } from '../core/candle.js';
import type { ManualClock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';
import type { Fill as VenueFill } from '../core/order.js';
import { TIMEFRAME_MS } from '../core/timeframe.js';
import type { ExecutionResult, ExecutionService } from '../execution/execution-service.js';
import type { DecisionRepository } from '../store/port.js';
import { closeBefore, openFrom } from './market-time.js';
import { timeline } from './engine.js';
import { computeMetrics, TradeTally } from './metrics.js';
import type { BacktestData, BookView, SignalOut } from './port.js';
import type { ProviderSource } from './provider-source.js';
import { RefusalLog } from './refusals.js';
import { venueExit, type Holding, type SimVenue } from './sim-venue.js';
import { closedTrade, type BacktestResult, type BacktestSettings, type Fill, type Trade } from './types.js';

export interface LiveRunDeps {
  /** Builds the point-in-time analysis and asks the provider, then AnalysisEngine.decide. */
  source: ProviderSource;
  /** The live order path: risk gatekeeper, journal, client order ids, venue. */
  execution: ExecutionService;
  /** The venue behind `execution`, driven bar by bar by this loop. */
  venue: SimVenue;
  clock: ManualClock;
  decisions: DecisionRepository;
  /** The run's own curve, in memory: the loop appends a snapshot a bar as numbers. */
  snapshots: EquityValueSink;
  /** Account key of the execution's mode (its equity curve in `snapshots`). */
  account: string;
}

/** What the loop needs of its curve (the in-memory equity repository is one): rows appended as numbers, no object a bar. */
export interface EquityValueSink {
  /** Room for `rows` more rows of the account's curve: the run knows how many bars it writes. */
  reserve(account: string, rows: number): void;
  recordValue(account: string, at: number, equity: number, currency: string, source: string): void;
  /** The rows of `source` (the run's own points, not its orders' snapshots) in time order; the account's curve is dropped. */
  takeValues(account: string, source: string): { at: Float64Array; equity: Float64Array };
}

export interface LiveRunOptions {
  onProgress?: (done: number, total: number) => void;
  progressEvery?: number;
  /** Keep the fill list in the result (default true); `partialFills` counts the partial entries either way. */
  recordFills?: boolean;
}

/** The book as the provider and sizing see it, refreshed from the venue after every bar. */
class VenueBook implements BookView {
  readonly units: Float64Array;
  readonly entryPrice: Float64Array;
  readonly entryTime: Float64Array;
  readonly lastClose: Float64Array;
  cash = 0;
  private equityValue = 0;
  /** The venue's holdings this book last copied (the venue hands out a new map when they change). */
  private read: ReadonlyMap<string, Holding> | null = null;

  constructor(
    private readonly pairs: string[],
    private readonly venue: SimVenue,
  ) {
    const n = pairs.length;
    this.units = new Float64Array(n);
    this.entryPrice = new Float64Array(n);
    this.entryTime = new Float64Array(n);
    this.lastClose = new Float64Array(n);
  }

  /** The venue's positions and equity as numbers (the numbers of its decimal text), read again only when they changed. */
  refresh(): void {
    const held = this.venue.holdings();
    if (held !== this.read) {
      this.read = held;
      this.units.fill(0);
      for (const [pair, h] of held) {
        const p = this.pairs.indexOf(pair);
        this.units[p] = h.units;
        this.entryPrice[p] = h.entryPrice;
        this.entryTime[p] = h.openedAt;
      }
    }
    this.equityValue = this.venue.equityNumber();
  }

  equity(): number {
    return this.equityValue;
  }

  projectedUnits(p: number): number {
    return this.units[p];
  }
}

/**
 * Trades from the venue's fills, read as they happen (SimVenue.streamFills): a position opens in
 * one fill or more (the carried rest of a partly filled entry adds at its volume-weighted price)
 * and closes in one. The venue keeps none of them, and the fill list is kept only when asked: a
 * 1 M-bar run with the participation limit made ~770 k partial fills.
 */
class TradeLog {
  private readonly open = new Map<string, { units: number; price: number; fee: number; time: number; fill: Fill }>();
  readonly trades: Trade[] = [];
  readonly fills: Fill[] = [];
  /** Entry fills that took less than their order (the next fill added to the position). */
  partial = 0;

  constructor(private readonly keepFills: boolean) {}

  /** `ends`: the client order ids of the orders that closed the run's last positions. */
  add(f: VenueFill, ends: ReadonlySet<string>): void {
    const signed = (f.side === 'buy' ? 1 : -1) * Number(f.units);
    const price = Number(f.price);
    const fee = Number(f.fee);
    const entry = this.open.get(f.pair);
    if (!entry) {
      const fill: Fill = { pair: f.pair, time: f.timestamp, units: signed, price, fee, reason: 'entry' };
      this.open.set(f.pair, { units: signed, price, fee, time: f.timestamp, fill });
      this.keep(fill);
      return;
    }
    if (signed > 0 === entry.units > 0) {
      entry.price = (entry.units * entry.price + signed * price) / (entry.units + signed);
      entry.units += signed;
      entry.fee += fee;
      // The entry before this one took part of the order (the participation limit).
      entry.fill.partial = true;
      this.partial++;
      entry.fill = { pair: f.pair, time: f.timestamp, units: signed, price, fee, reason: 'entry' };
      this.keep(entry.fill);
      return;
    }
    const reason = ends.has(f.clientOrderId) ? 'end' : (venueExit(f.clientOrderId) ?? 'signal');
    this.keep({ pair: f.pair, time: f.timestamp, units: signed, price, fee, reason });
    this.open.delete(f.pair);
    this.trades.push(closedTrade(f.pair, entry.units, entry, { time: f.timestamp, price }, entry.fee + fee, reason));
  }

  private keep(f: Fill): void {
    if (this.keepFills) this.fills.push(f);
  }
}

/**
 * A provider backtest through the live order path. At each bar close the provider decides on
 * the point-in-time analysis (AnalysisEngine.decide: the live gates and sizing) and the agent's
 * exit and size rule applies; at the next bar's open (or at the close, with fill = close) the
 * decision goes through ExecutionService — the RiskGatekeeper on a context built from the
 * venue, the order journal, idempotent client order ids — to the simulated venue, which fills
 * market orders at its quote with fee and slippage and settles attached stops inside each bar.
 * Everything the report shows is read back from the venue's fills.
 */
export async function runThroughExecution(data: BacktestData, deps: LiveRunDeps, s: BacktestSettings, opts: LiveRunOptions = {}): Promise<BacktestResult> {
  const { source, execution, venue, clock, decisions, snapshots, account } = deps;
  const symbols = data.pairs.map((p) => p.pair.symbol);
  const tfMs = TIMEFRAME_MS[data.timeframe];
  const book = new VenueBook(symbols, venue);
  source.currentBook = book;
  const out: SignalOut = { action: 0, confidence: 0, stopLossFraction: NaN, takeProfitFraction: NaN, riskFraction: NaN, decision: null };
  const refusals = new RefusalLog();
  const ends = new Set<string>();
  const log = new TradeLog(opts.recordFills !== false);
  // The fills of the orders that close the run at the end wait until `ends` names those orders.
  let late: VenueFill[] | null = null;
  venue.streamFills((f) => (late ? late.push(f) : log.add(f, ends)));
  const cursor = new Int32Array(data.pairs.length).fill(-1);
  const ticks = timeline(data);
  // One point per bar traded, at most one a tick, written straight to the sink's curve, which
  // the risk context reads at each order and the result takes at the end: the run kept a copy of
  // its own (16 MB at 1 M bars). The curve also holds a snapshot of each executed order
  // (ExecutionService records the equity after it): room for those too, one in 64 bars.
  snapshots.reserve(account, ticks.length + (ticks.length >> 6) + 64);
  let lastClose = 0;
  let n = 0;
  let inMarket = 0;
  const every = opts.progressEvery ?? 1000;

  const settle = (d: Decision, time: number, r: ExecutionResult) => {
    if (r.status === 'denied') refusals.addDenials(d.assetPair, time, r.gate!.denials);
    // Accepted: the venue works the order (the rest of an entry over the participation limit fills at later opens).
    else if (r.status !== 'filled' && r.status !== 'accepted') refusals.add(d.assetPair, time, `execution ${r.status}: ${r.orders.map((o) => o.reason ?? o.state).join('; ')}`);
    book.refresh();
  };
  /** A refused entry (most of them) is answered without a promise (ExecutionService.executeNow). */
  const execute = (d: Decision, time: number): void | Promise<void> => {
    const r = execution.executeNow(d);
    return r instanceof Promise ? r.then((x) => settle(d, time, x)) : settle(d, time, r);
  };
  // The run's in-memory decision store saves without a promise too.
  const saveNow = (decisions as DecisionRepository & Partial<{ saveNow(d: Decision): void }>).saveNow?.bind(decisions);
  /**
   * Asks the provider with bar `i` of `p` the latest closed one, at `at`; a decision to trade is
   * executed there and then. Synchronous when the provider answers now and nothing is to be
   * executed (most bars): a promise only when something has to be waited for.
   */
  const decideAndExecute = (p: number, i: number, at: number): void | Promise<void> => {
    out.decision = null;
    const asked = source.decideAt(p, i, out, book, at);
    return asked ? asked.then(() => executeDecided(p, at)) : executeDecided(p, at);
  };
  const executeDecided = (p: number, at: number): void | Promise<void> => {
    const d = out.decision as Decision | null;
    if (!d) return;
    // Shorts are off: a SELL only closes a long, as the fast engine treats it.
    if (d.action === 'SELL' && !s.allowShort && book.units[p] <= 0) return;
    // Stop, target and size are the engine's (the run's trade policy, on this book's equity).
    if (!saveNow) return decisions.save(d).then(() => execute(d, at));
    saveNow(d);
    return execute(d, at);
  };
  const marketOf = (p: number) => data.pairs[p].pair.assetClass;
  // The bar that closed last, per pair, whose decision waits for the next moment an order can go.
  const undecided = new Int32Array(data.pairs.length).fill(-1);

  // Per pair, the bar that opens now and when: one record each, filled again every bar (the
  // venue reads a bar's prices and keeps none of its objects).
  const slots = data.pairs.map((_, p) => ({ p, at: 0, seen: 0, bar: { timestamp: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 } as Candle }));
  const live: (typeof slots)[number][] = [];

  for (let k = 0; k < ticks.length; k++) {
    const t = ticks[k];
    const closeTime = t + tfMs;
    // The bar opens. A decision on the bar that just closed is taken when an order can first be
    // placed: now in a market that is open, else at its next opening inside this bar (a daily
    // stock bar starts at midnight; its open is the 09:30 New York auction).
    live.length = 0;
    for (let p = 0; p < data.pairs.length; p++) {
      const b = data.pairs[p].bars;
      const next = cursor[p] + 1;
      if (next >= b.length || b.timestamp[next] !== t) continue;
      cursor[p] = next;
      const slot = slots[p];
      slot.at = s.fill === 'next_open' ? openFrom(marketOf(p), t, closeTime) : t;
      // The closing price is seen when the market last trades in the bar (16:00 New York for a daily stock bar).
      slot.seen = closeBefore(marketOf(p), closeTime, t);
      candleInto(b, next, slot.bar);
      live.push(slot);
    }
    // Pairs open in time order, each when its market does: a decision at one pair's open never
    // sees a later open of another (a daily crypto bar opens at midnight, a stock bar at 09:30).
    if (live.length > 1) live.sort((a, b) => a.at - b.at);
    // Indexed loops: an iterator kept across an await is an object a bar.
    for (let j = 0; j < live.length; j++) {
      const { p, at, bar } = live[j];
      clock.set(at);
      venue.open(symbols[p], bar, at);
      if (undecided[p] < 0) continue;
      const waiting = decideAndExecute(p, undecided[p], at);
      if (waiting) await waiting;
      undecided[p] = -1;
    }
    // The book is current: refreshed at the last close and after every order since.
    let held = false;
    for (let p = 0; p < book.units.length; p++) if (book.units[p] !== 0) held = true;
    // Inside each bar the venue settles attached stops and targets, then marks at the close; in
    // the order the markets close, so an order at one close never sees a later close.
    if (live.length > 1) live.sort((a, b) => a.seen - b.seen);
    let trading = false;
    for (let j = 0; j < live.length; j++) {
      const { p, seen, bar: c } = live[j];
      const i = cursor[p];
      venue.bar(symbols[p], c, seen);
      book.lastClose[p] = c.close;
      if (i < data.pairs[p].first) continue;
      trading = true;
      if (s.fill !== 'close') {
        undecided[p] = i;
        continue;
      }
      clock.set(seen);
      book.refresh();
      const waiting = decideAndExecute(p, i, closeTime);
      if (waiting) await waiting;
    }
    clock.set(closeTime);
    book.refresh();
    if (!trading) continue;
    if (held) inMarket++;
    const e = book.equity();
    snapshots.recordValue(account, closeTime, e, 'USD', 'backtest');
    lastClose = closeTime;
    n++;
    if (opts.onProgress && k % every === 0) opts.onProgress(k, ticks.length);
  }

  // The run ends flat: each position still open is closed through the same path at its pair's
  // last close, in the last minute its market was open.
  const notes: string[] = [];
  const lastSeen = (pair: string) => {
    const p = symbols.indexOf(pair);
    const b = data.pairs[p].bars;
    const close = b.timestamp[b.length - 1] + tfMs;
    return closeBefore(marketOf(p), close, close - tfMs);
  };
  late = [];
  const open = (await venue.positions()).map((pos) => ({ pos, at: lastSeen(pos.pair) })).sort((a, b) => a.at - b.at);
  for (const { pos, at } of open) {
    clock.set(at);
    const r = await execution.closePosition(pos.id);
    for (const o of r.orders) ends.add(o.clientOrderId);
    if (r.status !== 'filled')
      notes.push(`the ${pos.pair} position could not be closed at the end (${r.status}${r.gate ? `: ${r.gate.denials.map((x) => x.message).join('; ')}` : ''}); the final equity marks it at the last close`);
  }
  clock.set(Math.max(lastClose, ...open.map((o) => o.at)));
  const final = Number((await venue.equity()).value);
  for (const f of late) log.add(f, ends);
  const { at: tm, equity: eq } = snapshots.takeValues(account, 'backtest');
  if (n) eq[n - 1] = final;
  const cash = Number((await venue.balances())[0].total);
  return {
    pairs: symbols,
    timeframe: data.timeframe,
    start: tm.length ? tm[0] - tfMs : 0,
    end: tm.length ? tm[tm.length - 1] : 0,
    source: source.name,
    engine: 'execution',
    settings: s,
    metrics: computeMetrics({ equity: eq, times: tm, trades: TradeTally.of(log.trades), data, settings: s, inMarketBars: inMarket }),
    times: tm,
    equity: eq,
    trades: log.trades,
    fills: log.fills,
    partialFills: log.partial,
    // Built when first read (the run's own callers read only how many), then a plain property.
    get rejections() {
      const list = refusals.list();
      Object.defineProperty(this, 'rejections', { value: list, writable: true, enumerable: true, configurable: true });
      return list;
    },
    cash,
    notes,
  };
}
