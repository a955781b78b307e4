import type { Candle } from '../core/candle.js';
import { isFfeError } from '../core/errors.js';
import { TIMEFRAME_MS } from '../core/timeframe.js';
import { LayeredMarketData } from '../data/composite.js';
import { closedWindow } from '../data/select-series.js';
import type { CandleQuery, MarketData, Quote, SampleInfo, SeriesInfo } from '../data/port.js';

const DAY = 86_400_000;
/** Errors that say a series does not exist: they hold for the whole replay, so they are remembered. */
const ABSENT = new Set(['TIMEFRAME_UNAVAILABLE', 'PAIR_NOT_AVAILABLE', 'PAIR_UNKNOWN']);

interface Chunk {
  bars: Candle[];
  /** Every bar closed by this instant is in `bars` (down to `complete` or `limit` bars before any served end). */
  until: number;
  /** True when the source had no bars older than `bars[0]`. */
  complete: boolean;
}

/**
 * A replay's market data: its cycles ask the same series at a moving "now", so each (pair,
 * timeframe) is read from the source once per chunk of time and each query is answered from it
 * by the source's own rule (the `limit` most recent bars closed at or before `end`: closedWindow).
 * A chunk may hold bars that close after a query's `end`; they are never served (no look-ahead).
 * Queries it cannot answer from a chunk (no `end`, an older `end` with more history than held)
 * go to the source; quotes and series lists always do. The source's data must not change during
 * the replay (a replay store has no other writer).
 */
export class ReplayMarketData implements MarketData {
  readonly name: string;
  private readonly chunks = new Map<string, Chunk>();
  private readonly absent = new Map<string, unknown>();
  private readonly samples = new Map<string, Promise<SampleInfo | null>>();
  private readonly layers = new Map<string, Promise<MarketData>>();

  constructor(
    private readonly source: MarketData,
    /** How far ahead of a query a chunk reaches, at least (ms); at least 1024 bars of the timeframe. */
    private readonly chunkMs = 31 * DAY,
  ) {
    this.name = source.name;
  }

  async candles(q: CandleQuery): Promise<Candle[]> {
    if (q.end === undefined) return this.source.candles(q);
    const key = `${q.pair}:${q.timeframe}`;
    const gone = this.absent.get(key);
    if (gone !== undefined) throw gone;
    const limit = q.limit ?? 300;
    const chunk = this.chunks.get(key);
    if (chunk && q.end <= chunk.until) {
      const w = closedWindow(chunk.bars, q.timeframe, q.end, limit);
      if (w.length === limit || chunk.complete) return w;
    }
    return closedWindow(await this.load(key, q.pair, q.timeframe, q.end, limit), q.timeframe, q.end, limit);
  }

  /** Reads the bars from `limit` before `end` to a chunk past it. */
  private async load(key: string, pair: string, timeframe: CandleQuery['timeframe'], end: number, limit: number): Promise<Candle[]> {
    const tf = TIMEFRAME_MS[timeframe];
    const until = end + Math.max(this.chunkMs, 1024 * tf);
    // Bars closing in (end, until] open at distinct times in an interval of that length; one more for slack.
    const n = Math.ceil((until - end) / tf) + limit + 1;
    let bars: Candle[];
    try {
      bars = await this.source.candles({ pair, timeframe, end: until, limit: n });
    } catch (e) {
      if (isFfeError(e) && ABSENT.has(e.code)) this.absent.set(key, e);
      throw e;
    }
    this.chunks.set(key, { bars, until, complete: bars.length < n });
    return bars;
  }

  /**
   * The source's quote, asked of the layer that serves the pair: layered data picks it by asking
   * each layer whether it has the pair (a store read for imported data) on every call, and which
   * layer serves a pair does not change during a replay.
   */
  async latestQuote(pair: string, at?: number): Promise<Quote> {
    const source = this.source;
    if (!(source instanceof LayeredMarketData)) return source.latestQuote(pair, at);
    let layer = this.layers.get(pair);
    if (!layer) {
      layer = source.pick(pair);
      // A failure is not remembered: the next call asks again.
      layer.catch(() => this.layers.delete(pair));
      this.layers.set(pair, layer);
    }
    return (await layer).latestQuote(pair, at);
  }

  list(): Promise<SeriesInfo[]> {
    return this.source.list();
  }

  /** Fixed for a replay: read once per pair. */
  sampleInfo(pair: string): Promise<SampleInfo | null> {
    let s = this.samples.get(pair);
    if (!s) {
      s = this.source.sampleInfo(pair);
      // A failure is not remembered: the next call asks again.
      s.catch(() => this.samples.delete(pair));
      this.samples.set(pair, s);
    }
    return s;
  }
}
