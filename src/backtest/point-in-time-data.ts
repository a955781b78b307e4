import type { Candle, CandleColumns } from '../core/candle.js';
import { candleColumnsOf } from '../data/columns.js';
import type { Clock } from '../core/clock.js';
import type { CandleQuery, MarketData, Quote, SampleInfo, SeriesInfo } from '../data/port.js';
import type { MarketDataNow } from '../risk/portfolio-context.js';

/**
 * A MarketData view that cannot see past the backtest clock: every read is clamped to `now`,
 * whatever the caller asks, so components built for live trading (the risk context, sizing)
 * stay point-in-time when a backtest drives them.
 */
export class PointInTimeMarketData implements MarketData {
  readonly name: string;

  /**
   * `live`: the simulated venue's current price of a pair and since when. It is the quote an order
   * placed now fills at, so the risk context values trades at it, as a live venue's quote.
   */
  constructor(
    private readonly inner: MarketData,
    private readonly clock: Clock,
    private readonly live?: (pair: string) => { price: number; time: number } | null,
  ) {
    this.name = `${inner.name} (point in time)`;
  }

  candles(q: CandleQuery): Promise<Candle[]> {
    const now = this.clock.now();
    return this.inner.candles({ ...q, end: Math.min(q.end ?? now, now) });
  }

  candleColumns(q: CandleQuery): Promise<CandleColumns> {
    const now = this.clock.now();
    return candleColumnsOf(this.inner, { ...q, end: Math.min(q.end ?? now, now) });
  }

  latestQuote(pair: string, at?: number): Promise<Quote> {
    const when = Math.min(at ?? this.clock.now(), this.clock.now());
    const q = this.venueQuote(pair, when);
    return q ? Promise.resolve(q) : this.inner.latestQuote(pair, when);
  }

  /** latestQuote's answer when the venue has it (the risk context asks at every entry signal), undefined when the source must be read. */
  latestQuoteNow(pair: string, at: number): Quote | undefined {
    return this.venueQuote(pair, Math.min(at, this.clock.now()));
  }

  private venueQuote(pair: string, when: number): Quote | undefined {
    const q = this.live?.(pair);
    return q && q.time <= when ? { pair, price: q.price, timestamp: q.time, source: 'backtest venue' } : undefined;
  }

  list(): Promise<SeriesInfo[]> {
    return this.inner.list();
  }

  sampleInfo(pair: string): Promise<SampleInfo | null> {
    return this.inner.sampleInfo(pair);
  }

  /** The inner source's sampleInfo when it knows it without a read (see MarketDataNow), else undefined. */
  sampleInfoNow(pair: string): SampleInfo | null | undefined {
    return (this.inner as Partial<Pick<MarketDataNow, 'sampleInfoNow'>>).sampleInfoNow?.(pair);
  }
}
