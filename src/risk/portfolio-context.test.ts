import { describe, expect, it } from 'vitest';
import { dataError } from '../core/errors.js';
import { DEFAULT_FRESHNESS } from '../core/freshness.js';
import { priceMarketData } from '../../test/support/execution-harness.js';
import { limits, NOW } from '../../test/support/risk-context.js';
import { openPaperVenue } from '../../test/fakes/paper-venue.js';
import { MemoryEquitySnapshotRepository } from '../store/memory/equity-snapshot-repository.js';
import { DailyReturns, PortfolioContextBuilder } from './portfolio-context.js';

const DAY = 86_400_000;

async function setup() {
  const paper = await openPaperVenue({ now: NOW, prices: { BTCUSD: 50_000, ETHUSD: 3_000 } });
  const snapshots = paper.store.equity;
  const md = priceMarketData(paper.prices, () => paper.clock.now());
  let lastEnd: number | undefined;
  const marketData = { ...md, candles: (q: Parameters<typeof md.candles>[0]) => ((lastEnd = q.end), md.candles(q)) };
  const builder = new PortfolioContextBuilder({ account: paper.venue, accountKey: 'paper', marketData, snapshots, clock: paper.clock, freshness: DEFAULT_FRESHNESS, limits: limits() });
  return { ...paper, snapshots, builder, lastEnd: () => lastEnd };
}

describe('PortfolioContextBuilder', () => {
  it('fills every input from the venue, the snapshots and daily candles ending at the decision time', async () => {
    const s = await setup();
    await s.venue.placeOrder({ clientOrderId: 'x', pair: 'ETHUSD', side: 'sell', type: 'market', units: '0.5' });
    await s.snapshots.record({ account: 'paper', at: NOW - 2 * DAY, equity: '10400', currency: 'USD', source: 'balance' });
    await s.snapshots.record({ account: 'paper', at: NOW - 16 * 3_600_000, equity: '10200', currency: 'USD', source: 'balance' });
    await s.snapshots.record({ account: 'live', at: NOW - DAY, equity: '99999', currency: 'USD', source: 'balance' });
    const ctx = await s.builder.build({ pair: 'btc-usd', side: 'buy', units: 0.01 });
    expect(ctx.trade).toEqual({ pair: 'BTCUSD', assetClass: 'crypto', side: 'buy', units: 0.01, price: 50_000, reducesExposure: false });
    expect(ctx.equity).toBeCloseTo(10_000 - 1.5, 6); // the fee of the ETH sale
    expect(ctx.positions).toEqual([{ pair: 'ETHUSD', assetClass: 'crypto', units: -0.5, price: 3_000 }]);
    // The curve handed to the rules is its peak over the lookback, then now.
    expect(ctx.equityCurve.map((p) => p.equity)).toEqual([10_400, ctx.equity]);
    // The last snapshot before UTC midnight opens the day.
    expect(ctx.dayStartEquity).toBe(10_200);
    expect(Object.keys(ctx.returns).sort()).toEqual(['BTCUSD', 'ETHUSD']);
    expect(ctx.returns.BTCUSD.values).toHaveLength(120);
    expect(s.lastEnd()).toBe(NOW);
    expect(ctx.market.status.isOpen).toBe(true);
    expect(ctx.market.freshness.isFresh).toBe(true);
    await s.close();
  });

  it('marks an opposite trade no larger than the holding as reducing exposure, a larger one not', async () => {
    const s = await setup();
    await s.venue.placeOrder({ clientOrderId: 'x', pair: 'BTCUSD', side: 'buy', type: 'market', units: '0.02' });
    expect((await s.builder.build({ pair: 'BTCUSD', side: 'sell', units: 0.02 })).trade.reducesExposure).toBe(true);
    expect((await s.builder.build({ pair: 'BTCUSD', side: 'sell', units: 0.03 })).trade.reducesExposure).toBe(false);
    expect((await s.builder.build({ pair: 'BTCUSD', side: 'buy', units: 0.01 })).trade.reducesExposure).toBe(false);
    await s.close();
  });

  it('uses positions the caller has just read instead of asking the venue again', async () => {
    const s = await setup();
    await s.venue.placeOrder({ clientOrderId: 'x', pair: 'BTCUSD', side: 'buy', type: 'market', units: '0.02' });
    const known = await s.venue.positions();
    const account = { equity: () => s.venue.equity(), positions: () => Promise.reject(new Error('positions read twice')) };
    const builder = new PortfolioContextBuilder({
      account,
      accountKey: 'paper',
      marketData: priceMarketData(s.prices, () => s.clock.now()),
      snapshots: s.snapshots,
      clock: s.clock,
      freshness: DEFAULT_FRESHNESS,
      limits: limits(),
    });
    const ctx = await builder.build({ pair: 'BTCUSD', side: 'sell', units: 0.02 }, known);
    expect(ctx.positions).toMatchObject([{ pair: 'BTCUSD', units: 0.02 }]);
    expect(ctx.trade.reducesExposure).toBe(true);
    await expect(builder.build({ pair: 'BTCUSD', side: 'sell', units: 0.02 })).rejects.toThrow('positions read twice');
    await s.close();
  });

  it('leaves a pair without daily history empty (for the checks to refuse) but lets real failures through', async () => {
    const s = await setup();
    s.prices.set('SOLUSD', 150);
    const md = priceMarketData(s.prices, () => s.clock.now());
    const withCandles = (candles: typeof md.candles) =>
      new PortfolioContextBuilder({ account: s.venue, accountKey: 'paper', marketData: { ...md, candles }, snapshots: s.snapshots, clock: s.clock, freshness: DEFAULT_FRESHNESS, limits: limits() });
    const none = withCandles(async (q) => (q.pair === 'SOLUSD' ? Promise.reject(dataError('TIMEFRAME_UNAVAILABLE', 'no 1d bars')) : md.candles(q)));
    expect((await none.build({ pair: 'SOLUSD', side: 'buy', units: 1 })).returns.SOLUSD).toEqual({ dates: [], values: [] });
    const broken = withCandles(async () => Promise.reject(new Error('disk on fire')));
    await expect(broken.build({ pair: 'SOLUSD', side: 'buy', units: 1 })).rejects.toThrow('disk on fire');
    await s.close();
  });
});

describe('PortfolioContextBuilder.buildNow', () => {
  /** The paper account, its prices and a memory curve behind readers that also answer now (as a backtest's in-memory adapters do). */
  async function nowSetup() {
    const s = await setup();
    await s.venue.placeOrder({ clientOrderId: 'x', pair: 'ETHUSD', side: 'sell', type: 'market', units: '0.5' });
    const curve = new MemoryEquitySnapshotRepository();
    await curve.record({ account: 'paper', at: NOW - 2 * DAY, equity: '10400', currency: 'USD', source: 'balance' });
    await curve.record({ account: 'paper', at: NOW - 16 * 3_600_000, equity: '10200', currency: 'USD', source: 'balance' });
    const eq = await s.venue.equity();
    const held = await s.venue.positions();
    const account = { equity: () => s.venue.equity(), positions: () => s.venue.positions(), equityNow: () => eq, positionsNow: () => held };
    const md = priceMarketData(s.prices, () => s.clock.now());
    const marketData = { ...md, sampleInfoNow: () => null, latestQuoteNow: (pair: string, at: number) => ({ pair, price: s.prices.get(pair)!, timestamp: at, source: 'test' }) };
    const deps = { account, accountKey: 'paper', marketData, snapshots: curve, clock: s.clock, freshness: DEFAULT_FRESHNESS, limits: limits() };
    return { s, deps, builder: new PortfolioContextBuilder(deps) };
  }

  it('gives the context build gives, without a promise, once the daily returns are known', async () => {
    const { s, builder } = await nowSetup();
    const q = { pair: 'BTCUSD', side: 'buy' as const, units: 0.01 };
    // The daily series are not read yet: that takes a promise.
    expect(builder.buildNow(q)).toBeUndefined();
    const built = await builder.build(q);
    const now = builder.buildNow(q);
    expect(now).toEqual(built);
    expect(Object.keys(now!.returns)).toEqual(Object.keys(built.returns));
    expect(now!.equityCurve.map((p) => p.equity)).toEqual([10_400, now!.equity]);
    expect(now!.dayStartEquity).toBe(10_200);
    // With the positions the caller read, and for a trade that reduces the held ETH.
    const reduce = { pair: 'ETHUSD', side: 'buy' as const, units: 0.5 };
    await builder.build(reduce);
    expect(builder.buildNow(reduce, await s.venue.positions())).toEqual(await builder.build(reduce));
    await s.close();
  });

  it('declines (undefined) when a reader has no answer now, so the caller builds it with its promises', async () => {
    const { s, deps } = await nowSetup();
    const q = { pair: 'BTCUSD', side: 'buy' as const, units: 0.01 };
    const warm = async (b: PortfolioContextBuilder) => (await b.build(q), b);
    // No now reader on the live account, the curve or the market data; a sample or a quote that takes a read.
    expect((await warm(new PortfolioContextBuilder({ ...deps, account: { equity: deps.account.equity, positions: deps.account.positions } }))).buildNow(q)).toBeUndefined();
    expect((await warm(new PortfolioContextBuilder({ ...deps, snapshots: s.snapshots }))).buildNow(q)).toBeUndefined();
    expect((await warm(new PortfolioContextBuilder({ ...deps, marketData: { ...deps.marketData, sampleInfoNow: () => undefined } }))).buildNow(q)).toBeUndefined();
    expect((await warm(new PortfolioContextBuilder({ ...deps, marketData: { ...deps.marketData, latestQuoteNow: () => undefined } }))).buildNow(q)).toBeUndefined();
    expect((await warm(new PortfolioContextBuilder(deps))).buildNow(q)).toBeDefined();
    await s.close();
  });
});

describe('DailyReturns', () => {
  // 200 daily candles with a close that moves every day; served like a source resampling finer bars.
  const first = Date.UTC(2024, 0, 1);
  const days = Array.from({ length: 200 }, (_, i) => ({ timestamp: first + i * DAY, open: 100, high: 110, low: 90, close: 100 + Math.sin(i) * 10 + i / 10, volume: 1 }));
  function source() {
    const reads: number[] = [];
    const candles = async (q: { pair: string; end?: number; limit?: number }) => {
      reads.push(q.limit ?? 300);
      const closed = days.filter((c) => c.timestamp + DAY <= q.end!);
      return closed.slice(Math.max(0, closed.length - (q.limit ?? 300)));
    };
    const marketData = { name: 'fake', candles, latestQuote: () => Promise.reject(new Error('unused')), list: async () => [], sampleInfo: async () => null };
    return { marketData, reads };
  }

  it('gives at every moment the series a full read would, reading only the days that closed since', async () => {
    const { marketData, reads } = source();
    const cached = new DailyReturns(marketData, 30);
    const full = new DailyReturns(source().marketData, 30);
    // Hourly orders over 150 days, from before the first close to long after the window filled.
    for (let t = first + 3_600_000; t < first + 150 * DAY; t += 3_600_000) {
      const fresh = new DailyReturns(source().marketData, 30);
      expect(await cached.at('BTCUSD', t)).toEqual(await fresh.at('BTCUSD', t));
    }
    expect(await full.at('BTCUSD', first + 150 * DAY - 1)).toEqual(await cached.at('BTCUSD', first + 150 * DAY - 1));
    // About one read a day (plus hourly looks before the first daily close); once a day has closed, only the new days and the last one known.
    expect(reads.length).toBeLessThan(150 + 24);
    expect(reads.slice(24).every((n) => n <= 3)).toBe(true);
  });

  it('reads again in full when time goes back, and leaves a pair without daily history empty', async () => {
    const { marketData } = source();
    const cached = new DailyReturns(marketData, 30);
    const later = await cached.at('BTCUSD', first + 100 * DAY);
    const earlier = await cached.at('BTCUSD', first + 50 * DAY);
    expect(earlier.values.length).toBe(49);
    expect(later.values.length).toBe(60);
    expect(earlier.dates.at(-1)).toBe(first + 49 * DAY);
    const none = new DailyReturns({ ...marketData, candles: () => Promise.reject(dataError('NO_DATA', 'nothing')) }, 30);
    expect(await none.at('SOLUSD', first)).toEqual({ dates: [], values: [] });
  });
});

describe('DailyReturns basis (issue 18: any quote currency)', () => {
  it('says a pair without daily bars of its own has its days resampled from the finest series that divides a day, and daily bars as such', async () => {
    const first = Date.UTC(2024, 2, 1);
    // ETHBTC imported as 1m only (and a bundled 1d series it shadows); BTCUSD with its own 1d bars.
    const list = async () => [
      { pair: 'ETHBTC', timeframe: '1m' as const, origin: 'imported', first, last: first + 10 * DAY, bars: 14_400, source: 'csv' },
      { pair: 'ETHBTC', timeframe: '1d' as const, origin: 'native', first: 0, last: first, bars: 30, source: 'bundled' },
      { pair: 'BTCUSD', timeframe: '1h' as const, origin: 'native', first, last: first + 10 * DAY, bars: 240, source: 'bundled' },
      { pair: 'BTCUSD', timeframe: '1d' as const, origin: 'native', first, last: first + 10 * DAY, bars: 10, source: 'bundled' },
    ];
    const days = Array.from({ length: 10 }, (_, i) => ({ timestamp: first + i * DAY, open: 1, high: 1, low: 1, close: 1 + i / 100, volume: 1 }));
    const marketData = {
      name: 'fake',
      candles: async (q: { end?: number }) => days.filter((c) => c.timestamp + DAY <= q.end!),
      latestQuote: () => Promise.reject(new Error('unused')),
      list,
      sampleInfo: async () => null,
    };
    const daily = new DailyReturns(marketData, 30);
    const eth = await daily.at('ETHBTC', first + 4 * DAY);
    expect(eth.basis).toBe('1m bars resampled to daily');
    expect(eth.values).toHaveLength(3);
    expect((await daily.at('BTCUSD', first + 4 * DAY)).basis).toBe('1d bars');
    // A source that cannot list its series leaves the basis unsaid, the returns as they are.
    const quiet = new DailyReturns({ ...marketData, list: () => Promise.reject(new Error('no list')) }, 30);
    expect(await quiet.at('ETHBTC', first + 4 * DAY)).toEqual({ dates: eth.dates, values: eth.values });
  });
});
