/**
 * The book behind the spot exchange fakes (kraken-server.ts, binance-server.ts): balances with
 * free and held amounts, market orders filled at once at the set price (taker fee), limit orders
 * resting with their funds on hold, cancels releasing them. Fees are charged in the quote
 * currency. The wire formats are the servers' business; this is only the exchange's state.
 *
 * Imports only fake-venue-http.ts (node built-ins and decimal.js).
 */
import { D, decText as s } from './fake-venue-http.js';

export interface SpotOrder {
  id: string;
  clientId: string;
  base: string;
  quote: string;
  side: 'buy' | 'sell';
  type: 'market' | 'limit';
  amount: string;
  limitPrice: string | null;
  status: 'open' | 'filled' | 'cancelled';
  filled: string;
  cost: string;
  fee: string;
  hold: string;
  createdAt: number;
  closedAt: number | null;
  tradeIds: string[];
}

export interface SpotTrade {
  id: string;
  orderId: string;
  base: string;
  quote: string;
  side: 'buy' | 'sell';
  price: string;
  amount: string;
  cost: string;
  fee: string;
  time: number;
}

export interface SpotState {
  balances: Record<string, { free: string; held: string }>;
  prices: Record<string, string>;
  orders: SpotOrder[];
  trades: SpotTrade[];
  seq: number;
}

export type PlaceResult = { ok: true; order: SpotOrder } | { ok: false; error: 'INSUFFICIENT_FUNDS' | 'UNKNOWN_PAIR' | 'INVALID' };

export class SpotBook {
  constructor(
    readonly state: SpotState,
    private readonly takerFee: string,
    private readonly newId: (kind: 'order' | 'trade', n: number) => string,
  ) {}

  static fresh(balances: Record<string, string>, prices: Record<string, string>): SpotState {
    return { balances: Object.fromEntries(Object.entries(balances).map(([k, v]) => [k, { free: v, held: '0' }])), prices, orders: [], trades: [], seq: 1 };
  }

  private bal(asset: string) {
    return (this.state.balances[asset] ??= { free: '0', held: '0' });
  }

  private add(asset: string, free: InstanceType<typeof D>, held: InstanceType<typeof D> = new D(0)) {
    const b = this.bal(asset);
    b.free = s(new D(b.free).add(free));
    b.held = s(new D(b.held).add(held));
  }

  price(base: string, quote: string): string | undefined {
    return this.state.prices[`${base}/${quote}`];
  }

  place(o: { clientId: string; base: string; quote: string; side: 'buy' | 'sell'; type: 'market' | 'limit'; amount: string; limitPrice: string | null; now: number }): PlaceResult {
    const px = this.price(o.base, o.quote);
    if (!px) return { ok: false, error: 'UNKNOWN_PAIR' };
    const amount = new D(o.amount);
    if (!amount.gt(0) || (o.type === 'limit' && !(o.limitPrice && new D(o.limitPrice).gt(0)))) return { ok: false, error: 'INVALID' };
    const rate = new D(this.takerFee);
    const at = new D(o.type === 'limit' ? o.limitPrice! : px);
    const order: SpotOrder = {
      id: this.newId('order', this.state.seq++),
      clientId: o.clientId,
      base: o.base,
      quote: o.quote,
      side: o.side,
      type: o.type,
      amount: o.amount,
      limitPrice: o.limitPrice,
      status: 'open',
      filled: '0',
      cost: '0',
      fee: '0',
      hold: '0',
      createdAt: o.now,
      closedAt: null,
      tradeIds: [],
    };
    const need = o.side === 'buy' ? amount.mul(at).mul(rate.add(1)) : amount;
    const payWith = o.side === 'buy' ? o.quote : o.base;
    if (new D(this.bal(payWith).free).lt(need)) return { ok: false, error: 'INSUFFICIENT_FUNDS' };
    const crosses = o.type === 'market' || (o.side === 'buy' ? new D(px).lte(at) : new D(px).gte(at));
    if (!crosses) {
      order.hold = s(need);
      this.add(payWith, need.neg(), need);
    } else {
      this.fill(order, new D(px), o.now);
    }
    this.state.orders.push(order);
    return { ok: true, order };
  }

  private fill(order: SpotOrder, px: InstanceType<typeof D>, now: number) {
    const amount = new D(order.amount);
    const cost = amount.mul(px);
    const fee = cost.mul(this.takerFee);
    if (order.side === 'buy') {
      this.add(order.quote, cost.add(fee).neg());
      this.add(order.base, amount);
    } else {
      this.add(order.base, amount.neg());
      this.add(order.quote, cost.sub(fee));
    }
    const trade: SpotTrade = {
      id: this.newId('trade', this.state.seq++),
      orderId: order.id,
      base: order.base,
      quote: order.quote,
      side: order.side,
      price: s(px),
      amount: s(amount),
      cost: s(cost),
      fee: s(fee),
      time: now,
    };
    this.state.trades.push(trade);
    Object.assign(order, { status: 'filled', filled: s(amount), cost: s(cost), fee: s(fee), closedAt: now, tradeIds: [trade.id] });
  }

  cancel(id: string, now: number): SpotOrder | null {
    const o = this.state.orders.find((x) => x.id === id);
    if (!o || o.status !== 'open') return null;
    this.add(o.side === 'buy' ? o.quote : o.base, new D(o.hold), new D(o.hold).neg());
    Object.assign(o, { status: 'cancelled', hold: '0', closedAt: now });
    return o;
  }

  byId(id: string): SpotOrder | undefined {
    return this.state.orders.find((x) => x.id === id);
  }
}
