import type { Candle } from '../core/candle.js';
import type { Clock } from '../core/clock.js';
import type { CandleQuery, MarketData, Quote, SampleInfo, SeriesInfo } from '../data/port.js';

/**
 * A MarketData view that cannot see past the backtest clock: every read is clamped to `now`,
 * whatever the caller asks, so components built for live trading (the risk context, sizing)
 * stay point-in-time when a backtest drives them.
 */
export class PointInTimeMarketData implements MarketData {
  readonly name: string;

  constructor(
    private readonly inner: MarketData,
    private readonly clock: Clock,
  ) {
    this.name = `${inner.name} (point in time)`;
  }

  candles(q: CandleQuery): Promise<Candle[]> {
    const now = this.clock.now();
    return this.inner.candles({ ...q, end: Math.min(q.end ?? now, now) });
  }

  latestQuote(pair: string, at?: number): Promise<Quote> {
    const now = this.clock.now();
    return this.inner.latestQuote(pair, Math.min(at ?? now, now));
  }

  list(): Promise<SeriesInfo[]> {
    return this.inner.list();
  }

  sampleInfo(pair: string): Promise<SampleInfo | null> {
    return this.inner.sampleInfo(pair);
  }
}
