import type { Candle } from '../core/candle.js';
import type { Balance, Fill, OrderRequest, Position, VenueOrder } from '../core/order.js';
import { D, dec, text, type Dec } from '../venues/decimal.js';
import { venueError } from '../venues/errors.js';
import type { Venue, VenueCapabilities } from '../venues/port.js';
import { EXIT_NONE, EXIT_STOP, intrabarExit, limitFillPrice, type ExitHit } from '../core/fill-rule.js';
import { slippage } from './fill-model.js';

export interface SimVenueOptions {
  name?: string;
  currency?: string;
  initialBalance: number;
  feeRate: number;
  slippageRate: number;
  volumeImpact: number;
  allowShort: boolean;
}

// The venue's own orders when an attached stop or target fills: their client ids say which.
const STOP_ID = 'sl-';
const TARGET_ID = 'tp-';

/** Which attached exit of the simulated venue made a fill, from its client order id; null for orders sent to it. */
export const venueExit = (clientOrderId: string): 'stop_loss' | 'take_profit' | null => (clientOrderId.startsWith(STOP_ID) ? 'stop_loss' : clientOrderId.startsWith(TARGET_ID) ? 'take_profit' : null);

interface Book {
  units: Dec;
  entry: Dec;
  openedAt: number;
  sl: string | null;
  tp: string | null;
}

interface Quote {
  price: number;
  volume: number;
  time: number;
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
  private cash: Dec;
  private readonly currency: string;
  private readonly books = new Map<string, Book>();
  private readonly quotes = new Map<string, Quote>();
  private readonly orders = new Map<string, VenueOrder>();
  private readonly byClient = new Map<string, string>();
  private readonly fillList: Fill[] = [];
  private seq = 0;
  private readonly hit: ExitHit = { kind: EXIT_NONE, price: 0 };

  constructor(private readonly o: SimVenueOptions) {
    this.name = o.name ?? 'backtest';
    this.currency = o.currency ?? 'USD';
    this.cash = dec(o.initialBalance);
    this.capabilities = { market: true, limit: true, attachedStops: true, short: o.allowShort, queryByClientId: true, assetClasses: ['crypto', 'forex', 'stock'], simulated: true };
  }

  /**
   * The quote becomes the bar's open: orders placed now fill there (next-open fill model). `at`:
   * when that price is seen, if later than the bar's start (a daily stock bar opens at the session).
   */
  open(pair: string, bar: Candle, at = bar.timestamp): void {
    this.quotes.set(pair, { price: bar.open, volume: bar.volume, time: at });
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
      const long = b.units.gt(0);
      intrabarExit(long, bar.open, bar.high, bar.low, Number(b.sl), Number(b.tp), this.hit);
      if (this.hit.kind !== EXIT_NONE) {
        const stop = this.hit.kind === EXIT_STOP;
        this.execute(
          this.newOrder({ clientOrderId: `${stop ? STOP_ID : TARGET_ID}${pair}-${bar.timestamp}`, pair, side: long ? 'sell' : 'buy', type: 'market', units: text(b.units.abs()), reduceOnly: true }, bar.timestamp),
          this.hit.price,
          bar.volume,
          stop,
        );
      }
    }
    for (const o of this.orders.values()) {
      if (o.status !== 'open' || o.pair !== pair) continue;
      const px = limitFillPrice(o.side, Number(o.limitPrice), bar.open, bar.high, bar.low);
      if (px !== null) this.execute(o, px, bar.volume, false);
    }
    this.quotes.set(pair, { price: bar.close, volume: bar.volume, time: closeTime });
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
    this.byClient.set(o.clientOrderId, o.venueOrderId);
    return o;
  }

  /** Fills `o` in full at `ref` moved by slippage (limits fill at their price: no slippage). */
  private execute(o: VenueOrder, ref: number, volume: number, slipped: boolean, stops?: { sl?: string; tp?: string }): void {
    const dir = o.side === 'buy' ? 1 : -1;
    const units = dec(o.units);
    const price = dec(slipped ? ref * (1 + dir * slippage(this.o.slippageRate, this.o.volumeImpact, Number(o.units), volume)) : ref);
    const fee = units.times(price).times(this.o.feeRate);
    this.cash = this.cash.minus(units.times(price).times(dir)).minus(fee);
    const signed = units.times(dir);
    const b = this.books.get(o.pair);
    const time = this.quotes.get(o.pair)?.time ?? 0;
    if (!b || b.units.isZero()) {
      this.books.set(o.pair, { units: signed, entry: price, openedAt: time, sl: stops?.sl ?? null, tp: stops?.tp ?? null });
    } else {
      const after = b.units.plus(signed);
      if (after.isZero()) this.books.delete(o.pair);
      else if (after.isPos() === b.units.isPos() && after.abs().gt(b.units.abs())) {
        b.entry = b.entry.times(b.units).plus(price.times(signed)).div(after);
        b.units = after;
      } else if (after.isPos() === b.units.isPos()) b.units = after;
      else this.books.set(o.pair, { units: after, entry: price, openedAt: time, sl: stops?.sl ?? null, tp: stops?.tp ?? null });
    }
    Object.assign(o, { filledUnits: o.units, averagePrice: text(price), status: 'filled', fees: text(fee) });
    this.fillList.push({
      fillId: `${o.venueOrderId}-1`,
      venueOrderId: o.venueOrderId,
      clientOrderId: o.clientOrderId,
      pair: o.pair,
      side: o.side,
      units: o.units,
      price: text(price),
      fee: text(fee),
      feeCurrency: this.currency,
      timestamp: time,
    });
  }

  async placeOrder(req: OrderRequest): Promise<VenueOrder> {
    const known = this.byClient.get(req.clientOrderId);
    if (known) return { ...this.orders.get(known)! };
    if (!(Number(req.units) > 0)) throw venueError('VENUE_REJECTED', `order units must be positive, got "${req.units}"`);
    const q = this.current(req.pair);
    const held = this.books.get(req.pair)?.units ?? new D(0);
    const signed = dec(req.units).times(req.side === 'buy' ? 1 : -1);
    const after = held.plus(signed);
    const reduces = !held.isZero() && signed.isPos() !== held.isPos() && signed.abs().lte(held.abs());
    if (req.reduceOnly && !reduces) throw venueError('VENUE_REJECTED', `reduce-only ${req.side} of ${req.units} ${req.pair} would open or grow a position`);
    if (after.isNeg() && !this.o.allowShort) throw venueError('VENUE_UNSUPPORTED', `the backtest venue is configured without short selling (${req.pair})`);
    const o = this.newOrder(req, q.time);
    if (req.type === 'limit') {
      const lim = Number(req.limitPrice);
      if (!(lim > 0)) throw venueError('VENUE_REJECTED', 'a limit order needs a positive limitPrice');
      if (req.side === 'buy' ? q.price > lim : q.price < lim) return { ...o };
      this.execute(o, lim, q.volume, false, { sl: req.stopLossPrice, tp: req.takeProfitPrice });
      return { ...o };
    }
    this.execute(o, q.price, q.volume, true, { sl: req.stopLossPrice, tp: req.takeProfitPrice });
    return { ...o };
  }

  async cancelOrder(venueOrderId: string): Promise<VenueOrder> {
    const o = this.orders.get(venueOrderId);
    if (!o) throw venueError('ORDER_NOT_FOUND', `no order ${venueOrderId} at the backtest venue`);
    if (o.status !== 'open') throw venueError('ORDER_NOT_CANCELLABLE', `order ${venueOrderId} is ${o.status}`);
    o.status = 'cancelled';
    return { ...o };
  }

  async closePosition(positionId: string, clientOrderId: string): Promise<VenueOrder> {
    const known = this.byClient.get(clientOrderId);
    if (known) return { ...this.orders.get(known)! };
    const b = this.books.get(positionId);
    if (!b) throw venueError('POSITION_NOT_FOUND', `no open position ${positionId} at the backtest venue`);
    return this.placeOrder({ clientOrderId, pair: positionId, side: b.units.isPos() ? 'sell' : 'buy', type: 'market', units: text(b.units.abs()), reduceOnly: true });
  }

  async getOrderByClientId(clientOrderId: string): Promise<VenueOrder | null> {
    const id = this.byClient.get(clientOrderId);
    return id ? { ...this.orders.get(id)! } : null;
  }

  async openOrders(): Promise<VenueOrder[]> {
    return [...this.orders.values()].filter((o) => o.status === 'open').map((o) => ({ ...o }));
  }

  async fills(since = 0): Promise<Fill[]> {
    return this.fillList.filter((f) => f.timestamp >= since);
  }

  async positions(): Promise<Position[]> {
    return [...this.books].map(([pair, b]) => {
      const mark = this.quotes.get(pair)?.price ?? null;
      return {
        id: pair,
        venue: this.name,
        pair,
        side: b.units.isPos() ? 'long' : 'short',
        units: text(b.units.abs()),
        entryPrice: text(b.entry),
        markPrice: mark === null ? null : text(dec(mark)),
        unrealizedPnl: mark === null ? '0' : text(dec(mark).minus(b.entry).times(b.units)),
        openedAt: b.openedAt,
        stopLossPrice: b.sl,
        takeProfitPrice: b.tp,
      };
    });
  }

  private equityDec(): Dec {
    let e = this.cash;
    for (const [pair, b] of this.books) e = e.plus(b.units.times(dec(this.quotes.get(pair)?.price ?? 0)));
    return e;
  }

  async balances(): Promise<Balance[]> {
    return [{ currency: this.currency, total: text(this.cash), available: text(D.max(this.cash, 0)) }];
  }

  async equity(): Promise<{ currency: string; value: string }> {
    return { currency: this.currency, value: text(this.equityDec()) };
  }
}
