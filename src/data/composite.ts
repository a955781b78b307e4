import type { Candle, CandleColumns } from '../core/candle.js';
import { candleColumnsOf } from './columns.js';
import type { CandleQuery, MarketData, Quote, SampleInfo, SeriesInfo } from './port.js';

/**
 * Serves each pair from the first source that has it: imported data shadows the bundled sample,
 * so a user's own file wins without any switch.
 */
export class LayeredMarketData implements MarketData {
  readonly name: string;
  /** With `fixed`: the layer picked per pair. */
  private readonly picked: Map<string, Promise<MarketData>> | null;

  /**
   * `fixed`: which layer serves a pair does not change while this object lives (a replay's
   * runtime: its sandbox's data is what it was when the replay began), so each pair is picked
   * once; `has` of imported data is a store read, and a replay's venue asked it for every price.
   */
  constructor(
    private readonly layers: { source: MarketData; has: (pair: string) => Promise<boolean> }[],
    opts: { fixed?: boolean } = {},
  ) {
    this.name = layers.map((l) => l.source.name).join('+');
    this.picked = opts.fixed ? new Map() : null;
  }

  /** The source that serves `pair` now (a replay, whose data does not change, asks once per pair). */
  pick(pair: string): Promise<MarketData> {
    const picked = this.picked;
    if (!picked) return this.pickNow(pair);
    let p = picked.get(pair);
    if (!p) {
      p = this.pickNow(pair);
      picked.set(pair, p);
      // A failure is not remembered: the next call asks again.
      p.catch(() => picked.delete(pair));
    }
    return p;
  }

  private async pickNow(pair: string): Promise<MarketData> {
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
