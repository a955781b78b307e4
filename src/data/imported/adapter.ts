import { fromColumns, toColumns, type Candle, type CandleColumns } from '../../core/candle.js';
import { dataError, inputError } from '../../core/errors.js';
import { TIMEFRAME_MS, TIMEFRAMES, type Timeframe } from '../../core/timeframe.js';
import type { CandleRepository, StoredSeries } from '../../store/port.js';
import type { CandleQuery, MarketData, Quote, SampleInfo, SeriesInfo } from '../port.js';
import { closedColumns, resampleColumns } from '../columns.js';
import { closedWindow, sourceTimeframeFor } from '../select-series.js';

/** Candles the user imported with `ffe data import`, served from the store. */
export class ImportedMarketData implements MarketData {
  readonly name = 'imported';
  private readonly resampled = new Map<string, { version: string; candles: Candle[] }>();
  /** Whole series as columns per (pair, timeframe), stored or resampled, until the stored series changes. */
  private readonly columnCache = new Map<string, { version: string; columns: CandleColumns }>();

  constructor(private readonly repo: CandleRepository) {}

  private async native(pair: string): Promise<Timeframe[]> {
    const s = await this.repo.series();
    return TIMEFRAMES.filter((tf) => s.some((x) => x.pair === pair && x.timeframe === tf));
  }

  async has(pair: string): Promise<boolean> {
    return (await this.native(pair)).length > 0;
  }

  async sampleInfo(pair: string): Promise<SampleInfo> {
    const series = (await this.repo.series()).filter((s) => s.pair === pair);
    if (series.length === 0) throw inputError('PAIR_NOT_AVAILABLE', `no imported data for ${pair}`);
    const finest = series.sort((a, b) => TIMEFRAME_MS[a.timeframe] - TIMEFRAME_MS[b.timeframe])[0];
    return { label: `imported data (${finest.source})`, asOf: finest.last + TIMEFRAME_MS[finest.timeframe] };
  }

  /** Which stored series serves `q`, and the query's end and limit with their defaults. */
  private async plan(q: CandleQuery): Promise<{ from: Timeframe; base: StoredSeries; end: number; limit: number }> {
    const stored = await this.repo.series();
    const native = TIMEFRAMES.filter((tf) => stored.some((x) => x.pair === q.pair && x.timeframe === tf));
    if (native.length === 0) throw inputError('PAIR_NOT_AVAILABLE', `no imported data for ${q.pair}`);
    const from = sourceTimeframeFor(q.timeframe, native);
    if (!from) throw dataError('TIMEFRAME_UNAVAILABLE', `imported ${q.pair} data has no ${q.timeframe} bars (imported: ${native.join(', ')})`);
    const end = q.end ?? (await this.sampleInfo(q.pair)).asOf;
    return { from, base: stored.find((x) => x.pair === q.pair && x.timeframe === from)!, end, limit: q.limit ?? 300 };
  }

  async candles(q: CandleQuery): Promise<Candle[]> {
    const { from, base, end, limit } = await this.plan(q);
    if (from === q.timeframe) return this.repo.range(q.pair, from, { to: end - TIMEFRAME_MS[from] + 1, limit });
    return closedWindow(await this.derived(q.pair, from, q.timeframe, base), q.timeframe, end, limit);
  }

  /** `candles` as columns: views into the whole series, read (or resampled) once per stored version. */
  async candleColumns(q: CandleQuery): Promise<CandleColumns> {
    const { from, base, end, limit } = await this.plan(q);
    return closedColumns(await this.wholeColumns(q.pair, from, q.timeframe, base), q.timeframe, end, limit);
  }

  private async wholeColumns(pair: string, from: Timeframe, to: Timeframe, base: StoredSeries): Promise<CandleColumns> {
    const key = `${pair}:${to}`;
    const version = versionOf(from, base);
    const hit = this.columnCache.get(key);
    if (hit?.version === version) return hit.columns;
    const columns = from === to ? await this.storedColumns(pair, from) : resampleColumns(await this.wholeColumns(pair, from, from, base), from, to);
    this.columnCache.set(key, { version, columns });
    return columns;
  }

  private async storedColumns(pair: string, tf: Timeframe): Promise<CandleColumns> {
    return this.repo.columns ? this.repo.columns(pair, tf, {}) : toColumns(await this.repo.range(pair, tf, { limit: Number.MAX_SAFE_INTEGER }));
  }

  /**
   * The whole `to` series resampled from the stored `from` bars, kept per (pair, timeframe) until
   * the stored series changes (an import changes its bar count, range or import time). Resampling
   * the window of every call re-read and re-aggregated up to (limit + 1) × ratio base rows per
   * call: 430 k 1m rows for 300 daily bars, on every bar of a replay (issue 17). Resampled from
   * the columns, so the stored rows are read once for every timeframe.
   */
  private async derived(pair: string, from: Timeframe, to: Timeframe, base: StoredSeries): Promise<Candle[]> {
    const key = `${pair}:${to}`;
    const version = versionOf(from, base);
    const hit = this.resampled.get(key);
    if (hit?.version === version) return hit.candles;
    const candles = fromColumns(await this.wholeColumns(pair, from, to, base));
    this.resampled.set(key, { version, candles });
    return candles;
  }

  async latestQuote(pair: string, at?: number): Promise<Quote> {
    const native = await this.native(pair);
    if (native.length === 0) throw inputError('PAIR_NOT_AVAILABLE', `no imported data for ${pair}`);
    const end = at ?? (await this.sampleInfo(pair)).asOf;
    const [last] = await this.candles({ pair, timeframe: native[0], end, limit: 1 });
    if (!last) throw dataError('NO_DATA', `imported ${pair} data has no bar closed at or before ${new Date(end).toISOString()}`);
    return { pair, price: last.close, timestamp: last.timestamp + TIMEFRAME_MS[native[0]], source: this.name };
  }

  async list(): Promise<SeriesInfo[]> {
    return (await this.repo.series()).map((s) => ({ pair: s.pair, timeframe: s.timeframe, origin: 'imported', first: s.first, last: s.last, bars: s.bars, source: s.source }));
  }
}

const versionOf = (from: Timeframe, base: StoredSeries) => `${from}:${base.first}:${base.last}:${base.bars}:${base.importedAt}:${base.source}`;
