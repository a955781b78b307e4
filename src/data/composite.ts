import type { Candle, CandleColumns } from '../core/candle.js';
import { candleColumnsOf } from './columns.js';
import type { CandleQuery, MarketData, Quote, SampleInfo, SeriesInfo } from './port.js';

/**
 * Serves each pair from the first source that has it: imported data shadows the bundled sample,
 * so a user's own file wins without any switch.
 */
export class LayeredMarketData implements MarketData {
  readonly name: string;

  constructor(private readonly layers: { source: MarketData; has: (pair: string) => Promise<boolean> }[]) {
    this.name = layers.map((l) => l.source.name).join('+');
  }

  /** The source that serves `pair` now (a replay, whose data does not change, asks once per pair). */
  async pick(pair: string): Promise<MarketData> {
    for (const l of this.layers) if (await l.has(pair)) return l.source;
    // The last layer produces the "not available" error, with its list of pairs.
    return this.layers[this.layers.length - 1].source;
  }

  async candles(q: CandleQuery): Promise<Candle[]> {
    return (await this.pick(q.pair)).candles(q);
  }

  async candleColumns(q: CandleQuery): Promise<CandleColumns> {
    return candleColumnsOf(await this.pick(q.pair), q);
  }

  async latestQuote(pair: string, at?: number): Promise<Quote> {
    return (await this.pick(pair)).latestQuote(pair, at);
  }

  async sampleInfo(pair: string): Promise<SampleInfo | null> {
    return (await this.pick(pair)).sampleInfo(pair);
  }

  async list(): Promise<SeriesInfo[]> {
    return (await Promise.all(this.layers.map((l) => l.source.list()))).flat();
  }
}
