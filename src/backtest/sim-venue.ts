import type { Candle } from '../core/candle.js';
import { shortestText } from '../core/shortest-text.js';
import type { Balance, Fill, OrderRequest, Position, VenueOrder } from '../core/order.js';
import { absOf, cmp, div, type Exact, exactOf, exactOfText, exactOfUnits, isPos, isZero, minus, neg, plus, splitExact, textOf, times, toNumber, ZERO } from './exact-decimal.js';
import { venueError } from '../venues/errors.js';
import type { Venue, VenueCapabilities } from '../venues/port.js';
import { EXIT_NONE, EXIT_STOP, exitFromFinerBars, intrabarExit, limitFillPrice, reachedBoth, type ExitHit, type FinerBars } from '../core/fill-rule.js';
import { classifyPair } from '../core/pair.js';
import { unitDecimals } from '../core/policy.js';
import { markedSum, type Split } from './decimal-mark.js';
import { fillable, LEGACY_FILL_MODEL, rangeVariance, slippage, type FillModel } from './fill-model.js';

export interface SimVenueOptions {
  name?: string;
  currency?: string;
  initialBalance: number;
  feeRate: number;
  slippageRate: number;
  /** Linear impact coefficient (fill model `linear`). */
  volumeImpact: number;
  /** Participation limit, impact shape, remainder (default: the legacy linear model, whole fills). */
  fillModel?: FillModel;
  allowShort: boolean;
  /** 1m bars per pair and the base bar's span (ms): a bar reaching both stop and target is settled from them, as the event engine does. */
  finer?: { spanMs: number; bars: ReadonlyMap<string, FinerBars> };
}

const ONE = exactOf(1);
const MINUS_ONE = exactOf(-1);
/** `text(dec(n))` from the number: its shortest text unless that has an exponent (numberText of decimal.ts). */
const numberText = (n: number, x: Exact): string => {
  const t = shortestText(n);
  return t.includes('e') ? textOf(x) : t;
};

// The venue's own orders when an attached stop or target fills: their client ids say which.
const STOP_ID = 'sl-';
const TARGET_ID = 'tp-';

/** Which attached exit of the simulated venue made a fill, from its client order id; null for orders sent to it. */
export const venueExit = (clientOrderId: string): 'stop_loss' | 'take_profit' | null => (clientOrderId.startsWith(STOP_ID) ? 'stop_loss' : clientOrderId.startsWith(TARGET_ID) ? 'take_profit' : null);

interface Book {
  units: Exact;
  entry: Exact;
  openedAt: number;
  sl: string | null;
  tp: string | null;
  /** Numbers of the attached texts (NaN when none), read at every bar the position is held. */
  slNum: number;
  tpNum: number;
  /** units as hi + lo doubles (decimal-mark.ts), made when the account is first marked after a fill. */
  unitsSplit: Split | null;
}

/** A position's book; the numbers of its stop and target are read once here, not at every bar. */
const newBook = (units: Exact, entry: Exact, openedAt: number, sl: string | null, tp: string | null): Book => ({
  units,
  entry,
  openedAt,
  sl,
  tp,
  slNum: sl === null ? NaN : Number(sl),
  tpNum: tp === null ? NaN : Number(tp),
  unitsSplit: null,
});

/** A position as numbers, what the backtest loop reads after every bar: the venue's decimals, each read once when it changes. */
export interface Holding {
  /** Signed base units (negative: short). */
  units: number;
  entryPrice: number;
  openedAt: number;
}

/** An order's amounts as decimals (its texts are written from them when it is read). */
interface OrderWork {
  /**
   * What is still to fill (units − filled), carried from fill to fill: a carried entry fills a
   * little at every open, and the difference taken again each time was one subtraction more. The
   * amounts are exact (units of at most 8 decimals), so it is the difference itself.
   */
  left: Exact;
  filled: Exact;
  avg: Exact | null;
  fees: Exact;
  /** The texts of the order are behind these. */
  dirty: boolean;
}

interface Quote {
  price: number;
  volume: number;
  time: number;
  /** Per-bar σ of the bars completed before this quote (fill-model.ts); NaN until an order asks (most quotes fill nothing). */
  sigma: number;
}

/** Per pair: Parkinson variances of its last bars, and the units opening orders took of the current bar. */
interface Liquidity {
  variances: number[];
  used: number;
}

/**
 * The backtester's venue behind the Venue port, in memory: the same fill model as the event
 * engine (fee, fixed slippage plus volume impact, conservative intrabar stops), with decimal
 * bookkeeping. The backtest clock drives it: `open()` moves the quote to a bar's open, so market
 * orders placed then fill at the next open; `bar()` settles resting limits and attached stops
 * inside the bar and marks at the close.
 */
export class SimVenue implements Venue {
  readonly name: string;
  readonly capabilities: VenueCapabilities;
  private cash: Exact;
  private readonly currency: string;
  private readonly books = new Map<string, Book>();
  private readonly quotes = new Map<string, Quote>();
  private readonly orders = new Map<string, VenueOrder>();
  /**
   * Orders still open or partly filled, in the order they were placed: what each bar settles.
   * Scanning every order ever placed made a bar's cost grow with the run's trades.
   */
  private readonly working = new Set<VenueOrder>();
  private readonly byClient = new Map<string, string>();
  private readonly fillList: Fill[] = [];
  /** Set by streamFills: takes each fill instead of fillList. */
  private fillSink: ((f: Fill) => void) | null = null;
  private seq = 0;
  private readonly hit: ExitHit = { kind: EXIT_NONE, price: 0 };
  private readonly model: FillModel;
  private readonly liquidity = new Map<string, Liquidity>();
  /** Stops and targets an entry order attaches, kept until its first fill opens the position. */
  private readonly fillCount = new Map<string, number>();
  private readonly attached = new Map<string, { sl?: string; tp?: string }>();
  /** What positions(), equity() and holdings() answered, until a fill or a held pair's quote changes them. */
  private positionsRead: readonly Position[] | null = null;
  private equityRead: { currency: string; value: string } | null = null;
  private holdingsRead: ReadonlyMap<string, Holding> | null = null;
  /** equityNumber()'s answer, NaN when not read since the last change. */
  private equityNum = NaN;
  /** Cash as hi + lo doubles (decimal-mark.ts), null until marked after a fill; and the marks' scratch lists. */
  private cashSplit: Split | null = null;
  private readonly markUnits: Split[] = [];
  private readonly markPrices: number[] = [];
  private readonly work = new WeakMap<VenueOrder, OrderWork>();
  private readonly unitPlaces = new Map<string, number>();
  /** The fee rate as the decimal `times(feeRate)` would build at every fill. */
  private readonly feeRate: Exact;

  constructor(private readonly o: SimVenueOptions) {
    this.name = o.name ?? 'backtest';
    this.currency = o.currency ?? 'USD';
    this.cash = exactOf(o.initialBalance);
    this.model = o.fillModel ?? LEGACY_FILL_MODEL;
    this.feeRate = exactOf(o.feeRate);
    this.capabilities = { market: true, limit: true, attachedStops: true, short: o.allowShort, queryByClientId: true, assetClasses: ['crypto', 'forex', 'stock'], simulated: true };
  }

  /**
   * The quote becomes the bar's open: orders placed now fill there (next-open fill model). `at`:
   * when that price is seen, if later than the bar's start (a daily stock bar opens at the session).
   */
  open(pair: string, bar: Candle, at = bar.timestamp): void {
    const liq = this.liquidityOf(pair);
    liq.used = 0;
    this.setQuote(pair, bar.open, bar.volume, at);
    // The carried rest of a partly filled entry fills at the open, again limited.
    if (this.working.size > 0) for (const o of this.working) if (o.pair === pair && o.type === 'market') this.execute(o, bar.open, bar.volume, true);
  }

  /** The pair's quote moves: what the account reads changes with it when the pair is held. */
  private setQuote(pair: string, price: number, volume: number, time: number): void {
    const q = this.quotes.get(pair);
    if (!q) this.quotes.set(pair, { price, volume, time, sigma: NaN });
    else {
      q.price = price;
      q.volume = volume;
      q.time = time;
      q.sigma = NaN;
    }
    if (this.books.has(pair)) this.marked();
  }

  /** A fill: the next read of the account computes it again. */
  private changed(): void {
    this.marked();
    this.holdingsRead = null;
    this.cashSplit = null;
  }

  /** A held pair's new price: what depends on marks is computed again (holdings do not: units, entry and time stand). */
  private marked(): void {
    this.positionsRead = null;
    this.equityRead = null;
    this.equityNum = NaN;
  }

  /** The quote's σ, over the bars completed before it (computed when an order first needs it). */
  private sigmaAt(pair: string, q: Quote): number {
    if (Number.isNaN(q.sigma)) q.sigma = this.sigma(this.liquidityOf(pair));
    return q.sigma;
  }

  /** Keeps `working` to the orders still open or partly filled. */
  private setStatus(o: VenueOrder, status: VenueOrder['status']): void {
    o.status = status;
    if (status === 'open' || status === 'partially_filled') this.working.add(o);
    else this.working.delete(o);
  }

  private liquidityOf(pair: string): Liquidity {
    let l = this.liquidity.get(pair);
    if (!l) this.liquidity.set(pair, (l = { variances: [], used: 0 }));
    return l;
  }

  /** σ over the model's last bars (the same figure as rangeSigma over the engine's arrays). */
  private sigma(l: Liquidity): number {
    const v = l.variances;
    if (v.length === 0) return 0;
    let sum = 0;
    for (const x of v) sum += x;
    return Math.sqrt(sum / v.length);
  }

  /** The price orders for `pair` would fill at now, and since when; null before its first bar. */
  quote(pair: string): { price: number; time: number } | null {
    const q = this.quotes.get(pair);
    return q ? { price: q.price, time: q.time } : null;
  }

  /**
   * Settles the bar: attached stops (conservative rule), resting limits, then marks at the close.
   * `closeTime` stamps the closing quote (what fills at the close carry); default the bar's start.
   */
  bar(pair: string, bar: Candle, closeTime = bar.timestamp): void {
    const b = this.books.get(pair);
    if (b && b.sl !== null && b.tp !== null) {
      const long = isPos(b.units);
      const sl = b.slNum;
      const tp = b.tpNum;
      intrabarExit(long, bar.open, bar.high, bar.low, sl, tp, this.hit);
      const finer = this.o.finer?.bars.get(pair);
      if (finer && this.hit.kind === EXIT_STOP && reachedBoth(long, bar.open, bar.high, bar.low, sl, tp)) {
        const fine = exitFromFinerBars(long, sl, tp, finer, bar.timestamp, bar.timestamp + this.o.finer!.spanMs, { kind: EXIT_NONE, price: 0 });
        if (fine.kind !== EXIT_NONE) Object.assign(this.hit, fine);
      }
      if (this.hit.kind !== EXIT_NONE) {
        const stop = this.hit.kind === EXIT_STOP;
        this.execute(
          this.newOrder({ clientOrderId: `${stop ? STOP_ID : TARGET_ID}${pair}-${bar.timestamp}`, pair, side: long ? 'sell' : 'buy', type: 'market', units: textOf(absOf(b.units)), reduceOnly: true }, bar.timestamp),
          this.hit.price,
          bar.volume,
          stop,
        );
      }
    }
    const liq = this.liquidityOf(pair);
    for (const o of this.working.size > 0 ? this.working : []) {
      if (o.type !== 'limit' || o.pair !== pair) continue;
      const px = limitFillPrice(o.side, Number(o.limitPrice), bar.open, bar.high, bar.low);
      if (px !== null) this.execute(o, px, bar.volume, false);
    }
    liq.variances.push(rangeVariance(bar.high, bar.low));
    if (liq.variances.length > this.model.volatilityBars) liq.variances.shift();
    this.setQuote(pair, bar.close, bar.volume, closeTime);
  }

  private current(pair: string): Quote {
    const q = this.quotes.get(pair);
    if (!q) throw venueError('PRICE_UNAVAILABLE', `the backtest venue has no price for ${pair} yet`);
    return q;
  }

  private newOrder(req: OrderRequest, time: number): VenueOrder {
    const o: VenueOrder = {
      venueOrderId: `bt-${++this.seq}`,
      clientOrderId: req.clientOrderId,
      pair: req.pair,
      side: req.side,
      type: req.type,
      units: req.units,
      filledUnits: '0',
      averagePrice: null,
      limitPrice: req.limitPrice ?? null,
      status: 'open',
      createdAt: time,
      fees: '0',
    };
    this.orders.set(o.venueOrderId, o);
    this.working.add(o);
    this.byClient.set(o.clientOrderId, o.venueOrderId);
    return o;
  }

  /**
   * Fills what is left of `o` at `ref` moved by slippage (limits fill at their price: no
   * slippage). An order that opens or adds fills at most what the participation limit leaves of
   * the bar's volume; its rest stays open for the next opens (carry) or is cancelled. An order
   * that reduces the position fills whole and cancels the rest of any entry still open.
   */
  private execute(o: VenueOrder, ref: number, volume: number, slipped: boolean, stops?: { sl?: string; tp?: string }): void {
    const dir = o.side === 'buy' ? 1 : -1;
    const b0 = this.books.get(o.pair);
    const reduces = b0 !== undefined && !isZero(b0.units) && isPos(b0.units) !== dir > 0;
    const w = this.workOf(o);
    const left = w.left;
    const liq = this.liquidityOf(o.pair);
    if (stops) this.attached.set(o.venueOrderId, stops);
    // The number of `got` (dec() of a number reads back as that number).
    const places = this.unitDecimalsOf(o.pair);
    const gotNum = reduces ? toNumber(left) : fillable(this.model, toNumber(left), volume, liq.used, places);
    const got = reduces ? left : exactOfUnits(gotNum, places);
    const rest = minus(left, got);
    if (isPos(rest)) this.setStatus(o, this.model.remainder === 'carry' ? (isPos(got) || o.status === 'partially_filled' ? 'partially_filled' : 'open') : 'cancelled');
    if (isZero(got)) return;
    this.changed();
    if (!reduces) liq.used += gotNum;
    const quote = this.quotes.get(o.pair);
    const priceNum = slipped ? ref * (1 + dir * slippage(this.o.slippageRate, this.model, this.o.volumeImpact, gotNum, volume, quote ? this.sigmaAt(o.pair, quote) : 0)) : ref;
    const price = exactOf(priceNum);
    const value = times(got, price);
    const fee = times(value, this.feeRate);
    // cash − value × dir − fee, and got × dir, without multiplying by ±1 (exact either way: a sign).
    this.cash = minus(dir > 0 ? minus(this.cash, value) : plus(this.cash, value), fee);
    const signed = dir > 0 ? got : neg(got);
    const b = this.books.get(o.pair);
    const time = quote?.time ?? 0;
    const at = this.attached.get(o.venueOrderId);
    if (!b || isZero(b.units)) {
      this.books.set(o.pair, newBook(signed, price, time, at?.sl ?? null, at?.tp ?? null));
    } else {
      const after = plus(b.units, signed);
      if (isZero(after)) this.books.delete(o.pair);
      else if (isPos(after) === isPos(b.units) && cmp(after, b.units) === (isPos(after) ? 1 : -1)) {
        b.entry = div(plus(times(b.entry, b.units), times(price, signed)), after);
        b.units = after;
        b.unitsSplit = null;
      } else if (isPos(after) === isPos(b.units)) {
        b.units = after;
        b.unitsSplit = null;
      } else this.books.set(o.pair, newBook(after, price, time, at?.sl ?? null, at?.tp ?? null));
    }
    // The order's totals as decimals; its texts are written when it is next read (synced()).
    const filled = plus(w.filled, got);
    w.avg = w.avg === null ? price : div(plus(times(w.avg, w.filled), times(price, got)), filled);
    w.left = rest;
    w.filled = filled;
    w.fees = plus(w.fees, fee);
    w.dirty = true;
    const count = (this.fillCount.get(o.venueOrderId) ?? 0) + 1;
    this.fillCount.set(o.venueOrderId, count);
    if (isZero(rest)) {
      this.setStatus(o, 'filled');
      this.attached.delete(o.venueOrderId);
    }
    const fill: Fill = {
      fillId: `${o.venueOrderId}-${count + 1}`,
      venueOrderId: o.venueOrderId,
      clientOrderId: o.clientOrderId,
      pair: o.pair,
      side: o.side,
      // The texts of the numbers they were read from (a reducing order takes what is left: its own text).
      units: reduces ? textOf(got) : numberText(gotNum, got),
      price: numberText(priceNum, price),
      fee: textOf(fee),
      feeCurrency: this.currency,
      timestamp: time,
    };
    if (this.fillSink) this.fillSink(fill);
    else this.fillList.push(fill);
    if (reduces) this.cancelRests(o.pair);
  }

  /**
   * An order's amounts as decimals, what its texts say: a carried entry fills a little at every
   * open, and reading its texts back and writing them again at each fill was most of a fill.
   */
  private workOf(o: VenueOrder): OrderWork {
    let w = this.work.get(o);
    if (!w) {
      const filled = exactOfText(o.filledUnits);
      this.work.set(o, (w = { left: minus(exactOfText(o.units), filled), filled, avg: o.averagePrice === null ? null : exactOfText(o.averagePrice), fees: exactOfText(o.fees), dirty: false }));
    }
    return w;
  }

  /** A copy of the order with its texts current: what every caller outside the venue gets. */
  private synced(o: VenueOrder): VenueOrder {
    const w = this.work.get(o);
    if (w?.dirty) {
      Object.assign(o, { filledUnits: textOf(w.filled), averagePrice: w.avg === null ? null : textOf(w.avg), fees: textOf(w.fees) });
      w.dirty = false;
    }
    return { ...o };
  }

  private unitDecimalsOf(pair: string): number {
    let n = this.unitPlaces.get(pair);
    if (n === undefined) this.unitPlaces.set(pair, (n = unitDecimals(classifyPair(pair).assetClass)));
    return n;
  }

  /** An exit ends what was left of the pair's entry orders (the fast engine drops its carried rest alike). */
  private cancelRests(pair: string): void {
    for (const x of this.working) {
      if (x.pair !== pair || x.type !== 'market') continue;
      this.setStatus(x, 'cancelled');
      this.attached.delete(x.venueOrderId);
    }
  }

  async placeOrder(req: OrderRequest): Promise<VenueOrder> {
    const known = this.byClient.get(req.clientOrderId);
    if (known) return this.synced(this.orders.get(known)!);
    if (!(Number(req.units) > 0)) throw venueError('VENUE_REJECTED', `order units must be positive, got "${req.units}"`);
    const q = this.current(req.pair);
    const held = this.books.get(req.pair)?.units ?? ZERO;
    const signed = times(exactOfText(req.units), req.side === 'buy' ? ONE : MINUS_ONE);
    const after = plus(held, signed);
    const reduces = !isZero(held) && isPos(signed) !== isPos(held) && cmp(absOf(signed), absOf(held)) <= 0;
    if (req.reduceOnly && !reduces) throw venueError('VENUE_REJECTED', `reduce-only ${req.side} of ${req.units} ${req.pair} would open or grow a position`);
    if (after.m < 0n && !this.o.allowShort) throw venueError('VENUE_UNSUPPORTED', `the backtest venue is configured without short selling (${req.pair})`);
    const o = this.newOrder(req, q.time);
    if (req.type === 'limit') {
      const lim = Number(req.limitPrice);
      if (!(lim > 0)) throw venueError('VENUE_REJECTED', 'a limit order needs a positive limitPrice');
      if (req.side === 'buy' ? q.price > lim : q.price < lim) return this.synced(o);
      this.execute(o, lim, q.volume, false, { sl: req.stopLossPrice, tp: req.takeProfitPrice });
      return this.synced(o);
    }
    this.execute(o, q.price, q.volume, true, { sl: req.stopLossPrice, tp: req.takeProfitPrice });
    return this.synced(o);
  }

  async cancelOrder(venueOrderId: string): Promise<VenueOrder> {
    const o = this.orders.get(venueOrderId);
    if (!o) throw venueError('ORDER_NOT_FOUND', `no order ${venueOrderId} at the backtest venue`);
    if (o.status !== 'open') throw venueError('ORDER_NOT_CANCELLABLE', `order ${venueOrderId} is ${o.status}`);
    this.setStatus(o, 'cancelled');
    return this.synced(o);
  }

  async closePosition(positionId: string, clientOrderId: string): Promise<VenueOrder> {
    const known = this.byClient.get(clientOrderId);
    if (known) return this.synced(this.orders.get(known)!);
    const b = this.books.get(positionId);
    if (!b) throw venueError('POSITION_NOT_FOUND', `no open position ${positionId} at the backtest venue`);
    return this.placeOrder({ clientOrderId, pair: positionId, side: isPos(b.units) ? 'sell' : 'buy', type: 'market', units: textOf(absOf(b.units)), reduceOnly: true });
  }

  async getOrderByClientId(clientOrderId: string): Promise<VenueOrder | null> {
    const id = this.byClient.get(clientOrderId);
    return id ? this.synced(this.orders.get(id)!) : null;
  }

  async openOrders(): Promise<VenueOrder[]> {
    return [...this.orders.values()].filter((o) => o.status === 'open').map((o) => this.synced(o));
  }

  /**
   * From now on each fill goes to `sink` as it happens instead of the venue's list (fills() then
   * answers only those before). A backtest reads every fill once, in order: a 1 M-bar run's
   * ~770 k partial fills kept as decimal text were ~300 MB of its peak RSS.
   */
  streamFills(sink: (f: Fill) => void): void {
    this.fillSink = sink;
  }

  async fills(since = 0): Promise<Fill[]> {
    return this.fillList.filter((f) => f.timestamp >= since);
  }

  async positions(): Promise<Position[]> {
    return [...this.positionsNow()];
  }

  /**
   * positions() without a promise (the risk context reads it at every entry signal): the same
   * records, frozen, shared by every caller until the account changes.
   */
  positionsNow(): readonly Position[] {
    return (this.positionsRead ??= this.readPositions().map((p) => Object.freeze(p)));
  }

  /**
   * The open positions as numbers, by pair: what a backtest reads after every bar. Each is the
   * number of the text positions() gives (units signed by side), computed once per change.
   */
  holdings(): ReadonlyMap<string, Holding> {
    if (!this.holdingsRead) {
      const m = new Map<string, Holding>();
      // The units' number is the hi of their split, which the next mark of the account needs too.
      for (const [pair, b] of this.books) m.set(pair, { units: (b.unitsSplit ??= splitExact(b.units)).hi, entryPrice: toNumber(b.entry), openedAt: b.openedAt });
      this.holdingsRead = m;
    }
    return this.holdingsRead;
  }

  /**
   * Number(equity().value), without writing the text: the backtest reads it every bar a position
   * is held. Marked in double-double arithmetic (decimal-mark.ts), exactly the number of the
   * Decimal sum; with Decimal itself on the rare sum that arithmetic cannot settle.
   */
  equityNumber(): number {
    if (this.equityRead) return Number(this.equityRead.value);
    if (Number.isNaN(this.equityNum)) {
      const fast = this.books.size > 0 ? this.markedEquity() : NaN;
      if (!Number.isNaN(fast)) this.equityNum = fast;
      else {
        const e = this.equityDec();
        // The number of its text: Number('0') is +0, whatever the sign of a zero.
        this.equityNum = isZero(e) ? 0 : toNumber(e);
      }
    }
    return this.equityNum;
  }

  /** equityDec()'s number from the split cash and units (each split once per fill), NaN when undecided. */
  private markedEquity(): number {
    const cash = (this.cashSplit ??= splitExact(this.cash));
    let n = 0;
    for (const [pair, b] of this.books) {
      this.markUnits[n] = b.unitsSplit ??= splitExact(b.units);
      this.markPrices[n++] = this.quotes.get(pair)?.price ?? 0;
    }
    return markedSum(cash, this.markUnits, this.markPrices, n);
  }

  private readPositions(): Position[] {
    return [...this.books].map(([pair, b]) => {
      const mark = this.quotes.get(pair)?.price ?? null;
      return {
        id: pair,
        venue: this.name,
        pair,
        side: isPos(b.units) ? 'long' : 'short',
        units: textOf(absOf(b.units)),
        entryPrice: textOf(b.entry),
        markPrice: mark === null ? null : textOf(exactOf(mark)),
        unrealizedPnl: mark === null ? '0' : textOf(times(minus(exactOf(mark), b.entry), b.units)),
        openedAt: b.openedAt,
        stopLossPrice: b.sl,
        takeProfitPrice: b.tp,
      };
    });
  }

  private equityDec(): Exact {
    let e = this.cash;
    for (const [pair, b] of this.books) e = plus(e, times(b.units, exactOf(this.quotes.get(pair)?.price ?? 0)));
    return e;
  }

  async balances(): Promise<Balance[]> {
    return [{ currency: this.currency, total: textOf(this.cash), available: isPos(this.cash) ? textOf(this.cash) : '0' }];
  }

  async equity(): Promise<{ currency: string; value: string }> {
    return { ...this.readEquity() };
  }

  /** equity() without a promise, for a reader that keeps nothing of it (the risk context reads its value). */
  equityNow(): { currency: string; value: string } {
    return this.readEquity();
  }

  private readEquity(): { currency: string; value: string } {
    return (this.equityRead ??= { currency: this.currency, value: textOf(this.equityDec()) });
  }
}
