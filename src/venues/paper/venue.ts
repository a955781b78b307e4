import { monotonicFactory } from 'ulid';
import type { Clock } from '../../core/clock.js';
import { isFfeError } from '../../core/errors.js';
import type { Balance, Fill, OrderRequest, OrderSide, Position, VenueOrder } from '../../core/order.js';
import { classifyPair } from '../../core/pair.js';
import { pairUnitDecimals } from '../../core/precision.js';
import type { FillModel } from '../../backtest/fill-model.js';
import { D, dec, text, type Dec } from '../decimal.js';
import { venueError } from '../errors.js';
import { sideOf, slipped, unrealized } from '../ledger.js';
import type { Venue, VenueCapabilities } from '../port.js';
import { checkOrder, checkProtection } from '../validate.js';
import { accountFigures, fillOrder, holdingOf, publicOrder, reservedNotional, restingRefusal, type FillContext, type FillOutcome } from './execution.js';
import { BarMemory } from './bar-memory.js';
import { applyBar, quietBar } from './triggers.js';
import type { PaperBook, PaperOrderRecord, PaperRepository } from '../../store/port.js';

/** Current price of a pair: MarketData.latestQuote live, a bar's price in a backtest. */
export type PriceFn = (pair: string) => Promise<{ price: number; timestamp: number }>;

export interface PriceBar {
  /** The bar's first trade; a bar that opens through a stop or target fills it there (the gap rule). Absent: unknown, levels fill at their price. */
  open?: number;
  high: number;
  low: number;
  close: number;
  /** ms; the time fills triggered by this bar are stamped with. */
  timestamp: number;
  /** Units traded in the bar: the fill model's participation limit and impact work against it. Absent (a quote): no bar for the model. */
  volume?: number;
}

export interface PaperSettings {
  accountId: string;
  /** Starting cash, used once when the account is first created. */
  initialBalance: number | string;
  /** Fractions: fee of notional per fill, slippage of price per market fill. */
  feeRate: number;
  slippageRate: number;
  allowShortStocks: boolean;
  /**
   * The backtest's fill model (config `costs.fill_model`): market fills pay impact against the
   * bars fed through `onPrice` / `advance`, and opening market orders fill at most the
   * participation limit of a bar. Absent: market orders fill whole at the fixed slippage.
   */
  fillModel?: FillModel;
  /** The linear impact coefficient (config `costs.volume_impact`); 0 when absent. */
  volumeImpact?: number;
}

export interface PaperVenueOptions {
  repo: PaperRepository;
  priceOf: PriceFn;
  clock: Clock;
  settings: PaperSettings;
  name?: string;
}

export interface PaperSummary {
  currency: string;
  initialCash: string;
  cash: string;
  unrealizedPnl: string;
  realizedPnl: string;
  equity: string;
  available: string;
}

/** The account currency. P&L is booked in the quote currency, so only pairs quoted in it can trade. */
const CURRENCY = 'USD';

/**
 * A simulated account kept in the store. Market orders fill at once at the current price moved
 * by slippage, limit orders rest until a price update trades through them, and stop-loss /
 * take-profit attached to an entry ride with the position. Every number is a decimal; cash only
 * moves by realised P&L net of fees (1× margin), so equity = cash + unrealised P&L.
 *
 * Limitation: one account currency (USD). Pairs quoted in anything else (EURGBP, USDJPY,
 * BTCUSDT) are refused rather than booked with an unconverted P&L.
 */
export class PaperVenue implements Venue {
  readonly name: string;
  readonly capabilities: VenueCapabilities = {
    market: true,
    limit: true,
    attachedStops: true,
    short: true,
    queryByClientId: true,
    assetClasses: ['crypto', 'forex', 'stock'],
    simulated: true,
  };
  private readonly repo: PaperRepository;
  private readonly priceOf: PriceFn;
  private readonly clock: Clock;
  private readonly s: PaperSettings;
  private readonly feeRate: Dec;
  private readonly slipRate: Dec;
  private readonly newUlid = monotonicFactory();
  private readonly bars: BarMemory;
  private openingCash: string | undefined;

  constructor(opts: PaperVenueOptions) {
    this.name = opts.name ?? 'paper';
    this.repo = opts.repo;
    this.priceOf = opts.priceOf;
    this.clock = opts.clock;
    this.s = opts.settings;
    this.feeRate = dec(opts.settings.feeRate);
    this.slipRate = dec(opts.settings.slippageRate);
    this.bars = new BarMemory(opts.settings.fillModel, opts.settings.volumeImpact ?? 0, this.slipRate);
  }

  private opening() {
    return { currency: CURRENCY, cash: (this.openingCash ??= text(dec(this.s.initialBalance))), now: this.clock.now() };
  }

  private tx<T>(fn: (book: PaperBook) => Promise<T>): Promise<T> {
    return this.repo.transact(this.s.accountId, this.opening(), fn);
  }

  /** A read of the book: without the write lock where the repository can (most venue calls only read). */
  private read<T>(fn: (book: PaperBook) => Promise<T>): Promise<T> {
    return this.repo.view ? this.repo.view(this.s.accountId, this.opening(), fn) : this.tx(fn);
  }

  private async price(pair: string): Promise<Dec> {
    let q: { price: number };
    try {
      q = await this.priceOf(pair);
    } catch (e) {
      throw venueError('PRICE_UNAVAILABLE', `${this.name}: no current price for ${pair}: ${isFfeError(e) || e instanceof Error ? e.message : String(e)}`, { pair });
    }
    if (!(q.price > 0) || !Number.isFinite(q.price)) throw venueError('PRICE_UNAVAILABLE', `${this.name}: price feed gave ${q.price} for ${pair}`, { pair });
    return dec(q.price);
  }

  /**
   * Live marks of open positions; a pair whose price cannot be had keeps its stored mark. `known`
   * marks (a price just fetched, a bar's close) are not asked of the feed again.
   */
  private async marks(known: Record<string, Dec> = {}): Promise<Map<string, Dec>> {
    const out = new Map<string, Dec>(Object.entries(known));
    for (const p of await this.read((b) => b.positions())) {
      if (out.has(p.pair)) continue;
      try {
        out.set(p.pair, await this.price(p.pair));
      } catch {
        // The stored mark (last fill or price update) stands in; see markOf.
      }
    }
    return out;
  }

  private context(book: PaperBook, now: number, marks: ReadonlyMap<string, Dec>): FillContext {
    return {
      book,
      now,
      feeRate: this.feeRate,
      currency: CURRENCY,
      marks,
      shortAllowed: (pair) => classifyPair(pair).assetClass !== 'stock' || this.s.allowShortStocks,
      newId: () => this.newUlid(now),
    };
  }

  async balances(): Promise<Balance[]> {
    const f = await this.figures();
    return [{ currency: CURRENCY, total: text(f.cash), available: text(f.available) }];
  }

  async equity(): Promise<{ currency: string; value: string }> {
    return { currency: CURRENCY, value: text((await this.figures()).equity) };
  }

  private async figures() {
    const marks = await this.marks();
    return this.read(async (b) => accountFigures(b, marks, new D((await b.account()).cash), await reservedNotional(b)));
  }

  async summary(): Promise<PaperSummary> {
    const marks = await this.marks();
    return this.read(async (b) => {
      const a = await b.account();
      const f = await accountFigures(b, marks, new D(a.cash), await reservedNotional(b));
      const realized = (await b.fills()).reduce((sum, x) => sum.add(x.realizedPnl), new D(0));
      return {
        currency: a.currency,
        initialCash: a.initialCash,
        cash: a.cash,
        unrealizedPnl: text(f.unrealized),
        realizedPnl: text(realized),
        equity: text(f.equity),
        available: text(f.available),
      };
    });
  }

  async positions(): Promise<Position[]> {
    const marks = await this.marks();
    return this.read(async (b) =>
      (await b.positions()).map((p) => {
        const mark = marks.get(p.pair) ?? (p.markPrice !== null ? new D(p.markPrice) : null);
        return {
          id: p.pair,
          venue: this.name,
          pair: p.pair,
          side: p.side,
          units: p.units,
          entryPrice: p.entryPrice,
          markPrice: mark ? text(mark) : null,
          unrealizedPnl: mark ? text(unrealized(holdingOf(p)!, mark)) : '0',
          openedAt: p.openedAt,
          stopLossPrice: p.stopLossPrice,
          takeProfitPrice: p.takeProfitPrice,
        };
      }),
    );
  }

  async openOrders(): Promise<VenueOrder[]> {
    return this.read(async (b) => (await b.openOrders()).map(publicOrder));
  }

  async getOrderByClientId(clientOrderId: string): Promise<VenueOrder | null> {
    const o = await this.read((b) => b.orderByClientId(clientOrderId));
    return o ? publicOrder(o) : null;
  }

  async fills(since?: number): Promise<Fill[]> {
    return this.read(async (b) =>
      Promise.all(
        (await b.fills(since)).map(async ({ realizedPnl: _r, ...f }) => {
          // Exits the book triggered itself are orders whose reason names the protection (see triggers.ts).
          const reason = (await b.order(f.venueOrderId))?.reason;
          return reason === 'stop-loss' || reason === 'take-profit' ? { ...f, exit: reason } : f;
        }),
      ),
    );
  }

  async placeOrder(req: OrderRequest): Promise<VenueOrder> {
    const checked = checkOrder(this.name, this.capabilities, req);
    if (checked.info.quote !== CURRENCY) {
      throw venueError(
        'VENUE_UNSUPPORTED',
        `${this.name}: the paper account is kept in ${CURRENCY} and ${checked.info.symbol} is quoted in ${checked.info.quote}; only pairs quoted in ${CURRENCY} (e.g. BTCUSD, EURUSD, SPY) can be traded on paper`,
        { reason: 'QUOTE_CURRENCY' },
      );
    }
    const existing = await this.read((b) => b.orderByClientId(req.clientOrderId));
    if (existing) return publicOrder(existing);
    const pair = checked.info.symbol;
    const ref = await this.price(pair);
    const side = req.side;
    checkProtection(this.name, side, checked.limitPrice ?? ref, checked.stopLoss, checked.takeProfit);
    const marks = await this.marks({ [pair]: ref });
    const now = this.clock.now();

    const result = await this.tx(async (book) => {
      const dup = await book.orderByClientId(req.clientOrderId);
      if (dup) return { order: dup, refusal: null };
      const order: PaperOrderRecord = {
        venueOrderId: this.newUlid(now),
        clientOrderId: req.clientOrderId,
        pair,
        side,
        type: req.type,
        units: text(checked.units),
        filledUnits: '0',
        averagePrice: null,
        limitPrice: checked.limitPrice ? text(checked.limitPrice) : null,
        status: 'open',
        createdAt: now,
        fees: '0',
        stopLossPrice: checked.stopLoss ? text(checked.stopLoss) : null,
        takeProfitPrice: checked.takeProfit ? text(checked.takeProfit) : null,
        reduceOnly: req.reduceOnly === true,
        updatedAt: now,
      };
      await book.saveOrder(order);
      const ctx = this.context(book, now, marks);
      const marketable = !checked.limitPrice || (side === 'buy' ? ref.lte(checked.limitPrice) : ref.gte(checked.limitPrice));
      if (!marketable) return this.rest(ctx, order);
      // Exits (reduce-only, or against the position held) are never split, as in the backtest; a marketable limit fills whole.
      const held = holdingOf(await book.position(pair));
      const split = req.type === 'market' && !order.reduceOnly && (!held || held.side === sideOf(side));
      const f = this.bars.fill(pair, checked.units, split, pairUnitDecimals(pair));
      const px = slipped(ref, side, f.rate);
      // A marketable limit never fills worse than its limit.
      const fillPx = checked.limitPrice ? (side === 'buy' ? D.min(px, checked.limitPrice) : D.max(px, checked.limitPrice)) : px;
      if (f.units.isZero()) return this.participationRest(book, order, now);
      const outcome = await fillOrder(ctx, order, fillPx, ref, f.units);
      if (!outcome.ok || outcome.order.status === 'filled') return this.settle(book, order, outcome, now);
      return this.participationRest(book, outcome.order, now);
    });
    if (result.refusal) throw result.refusal;
    return publicOrder(result.order);
  }

  /**
   * The rest of a market order the participation limit cut: carried (it stays open and the next
   * bars fill it at their opens, see triggers.ts) or cancelled, as `costs.fill_model.remainder` says.
   */
  private async participationRest(book: PaperBook, order: PaperOrderRecord, now: number) {
    if (this.s.fillModel?.remainder === 'carry') return { order, refusal: null };
    const volume = this.bars.lastVolume(order.pair);
    const cancelled: PaperOrderRecord = {
      ...order,
      status: 'cancelled',
      reason: `participation limit: ${order.filledUnits} of ${order.units} filled (at most ${this.s.fillModel!.participation * 100} % of the bar's volume ${volume}), the rest cancelled`,
      updatedAt: now,
    };
    await book.saveOrder(cancelled);
    return { order: cancelled, refusal: null };
  }

  /** A resting order must be affordable now, as a venue would hold the funds for it. */
  private async rest(ctx: FillContext, order: PaperOrderRecord) {
    const refusal = await restingRefusal(ctx, order);
    return refusal ? this.settle(ctx.book, order, refusal, ctx.now) : { order, refusal: null };
  }

  private async settle(book: PaperBook, order: PaperOrderRecord, outcome: FillOutcome, now: number) {
    if (outcome.ok) return { order: outcome.order, refusal: null };
    const rejected: PaperOrderRecord = { ...order, status: 'rejected', reason: outcome.reason, updatedAt: now };
    await book.saveOrder(rejected);
    const code = outcome.code === 'INSUFFICIENT_FUNDS' ? 'INSUFFICIENT_FUNDS' : 'VENUE_REJECTED';
    return {
      order: rejected,
      refusal: venueError(code, `${this.name}: order ${order.clientOrderId} rejected: ${outcome.reason}`, { reason: outcome.code, order: publicOrder(rejected) }),
    };
  }

  async cancelOrder(venueOrderId: string): Promise<VenueOrder> {
    const now = this.clock.now();
    return this.tx(async (b) => {
      const o = await b.order(venueOrderId);
      if (!o) throw venueError('ORDER_NOT_FOUND', `${this.name}: no order ${venueOrderId}`);
      if (o.status !== 'open' && o.status !== 'partially_filled') {
        throw venueError('ORDER_NOT_CANCELLABLE', `${this.name}: order ${venueOrderId} is ${o.status} and cannot be cancelled`, { order: publicOrder(o) });
      }
      const cancelled: PaperOrderRecord = { ...o, status: 'cancelled', updatedAt: now };
      await b.saveOrder(cancelled);
      return publicOrder(cancelled);
    });
  }

  async closePosition(positionId: string, clientOrderId: string): Promise<VenueOrder> {
    const existing = await this.getOrderByClientId(clientOrderId);
    if (existing) return existing;
    const p = await this.read((b) => b.position(positionId));
    if (!p) throw venueError('POSITION_NOT_FOUND', `${this.name}: no open position ${positionId}`);
    const side: OrderSide = p.side === 'long' ? 'sell' : 'buy';
    return this.placeOrder({ clientOrderId, pair: p.pair, side, type: 'market', units: p.units, reduceOnly: true });
  }

  /**
   * Applies one bar of `pair` under core's intrabar fill rule: resting limit orders it trades
   * through fill at their limit, then positions whose stop-loss or take-profit it reaches are
   * closed (the stop first when it reaches both; at the open when the bar gapped through).
   * Returns the orders filled, oldest first.
   */
  onPrice(pair: string, bar: PriceBar): Promise<VenueOrder[]> {
    return this.applyPrice(pair, bar, false);
  }

  /** onPrice; `fed`: a replay's feed (`advance`), the account's sole writer, checking and marking with nothing in between. */
  private async applyPrice(pair: string, bar: PriceBar, fed: boolean): Promise<VenueOrder[]> {
    const open = bar.open === undefined ? null : dec(bar.open);
    const high = dec(bar.high);
    const low = dec(bar.low);
    const close = dec(bar.close);
    this.bars.remember(pair, bar);
    // Most bars of a replay find nothing to act on in their pair: the mark is all they write, without a transaction of their own.
    if (this.repo.markIdle && (await this.repo.markIdle(this.s.accountId, pair, text(close)))) return [];
    // Most bars of a held position reach neither its stop nor its target: a replay marks them without a transaction of its own either.
    if (fed && this.repo.markQuiet && (await this.read((b) => quietBar(b, pair, { open, high, low })))) {
      await this.repo.markQuiet(this.s.accountId, pair, text(close));
      return [];
    }
    const marks = await this.marks({ [pair]: close });
    const decimals = pairUnitDecimals(pair);
    return this.tx((book) => applyBar(this.context(book, bar.timestamp, marks), pair, { open, high, low, close }, (want, split) => this.bars.fill(pair, want, split, decimals, true)));
  }

  /** The port's `advance`: one bar of a replay's feed. */
  advance(pair: string, bar: PriceBar): Promise<VenueOrder[]> {
    return this.applyPrice(pair, bar, true);
  }

  /** Runs `onPrice` with the current price of every pair with a resting order or an open position. */
  async processPrices(): Promise<VenueOrder[]> {
    const pairs = await this.read(async (b) => [...new Set([...(await b.openOrders()).map((o) => o.pair), ...(await b.positions()).map((p) => p.pair)])]);
    const done: VenueOrder[] = [];
    let firstError: unknown = null;
    for (const pair of pairs) {
      try {
        const q = await this.priceOf(pair);
        // A quote is a bar of one trade: it opens at that price, so a stop it jumped past fills there.
        done.push(...(await this.onPrice(pair, { open: q.price, high: q.price, low: q.price, close: q.price, timestamp: this.clock.now() })));
      } catch (e) {
        firstError ??= e;
      }
    }
    if (firstError) throw isFfeError(firstError) ? firstError : venueError('PRICE_UNAVAILABLE', `${this.name}: ${String(firstError)}`);
    return done;
  }
}
