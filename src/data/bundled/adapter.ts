import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Candle } from '../../core/candle.js';
import { dataError, inputError } from '../../core/errors.js';
import { TIMEFRAME_MS, TIMEFRAMES, type Timeframe } from '../../core/timeframe.js';
import { packageRoot } from '../../lib/package-root.js';
import { defaultCacheDir, readCandlesCached } from '../columnar-cache.js';
import { parseCandleCsv } from '../csv-format.js';
import type { CandleQuery, MarketData, Quote, SampleInfo, SeriesInfo } from '../port.js';
import { closedWindow, deriveSeries, resampledWindow, sourceTimeframeFor } from '../select-series.js';

interface ManifestEntry {
  label: string;
  files: Partial<Record<Timeframe, string>>;
}

/** The sample shipped in the package: <package>/assets/data. */
export const defaultBundledDir = (): string => join(packageRoot(), 'assets/data');

/**
 * Offline market data from real historical CSVs shipped with the package. Its "now" is the
 * close of the last bar of the pair's finest series; every output says it is sample data.
 */
export class BundledMarketData implements MarketData {
  readonly name = 'bundled';
  private readonly manifest: Record<string, ManifestEntry>;
  private readonly cache = new Map<string, Candle[]>();
  /** Resampled series served once from a window (see candles). */
  private readonly windowed = new Set<string>();

  /** `cacheDir`: where the columnar copies of the CSVs go (null: parse the CSVs every time). */
  constructor(
    private readonly dir: string = defaultBundledDir(),
    private readonly cacheDir: string | null = defaultCacheDir(),
  ) {
    let text: string;
    try {
      text = readFileSync(join(dir, 'manifest.json'), 'utf8');
    } catch (e) {
      throw dataError('BUNDLED_DATA_MISSING', `bundled data not found at ${dir} (${(e as Error).message}); reinstall the package or set data.bundled.dir`);
    }
    this.manifest = JSON.parse(text) as Record<string, ManifestEntry>;
  }

  pairs(): string[] {
    return Object.keys(this.manifest);
  }

  private entry(pair: string): ManifestEntry {
    const e = this.manifest[pair];
    if (!e) {
      throw inputError('PAIR_NOT_AVAILABLE', `no bundled data for ${pair}; available offline: ${this.pairs().join(', ')} (or import your own with \`ffe data import\`)`, {
        available: this.pairs(),
      });
    }
    return e;
  }

  private nativeTimeframes(pair: string): Timeframe[] {
    return TIMEFRAMES.filter((tf) => this.entry(pair).files[tf]);
  }

  private series(pair: string, tf: Timeframe): Candle[] {
    const key = `${pair}:${tf}`;
    let s = this.cache.get(key);
    if (!s) {
      const native = this.nativeTimeframes(pair);
      const from = sourceTimeframeFor(tf, native);
      if (!from) {
        throw dataError('TIMEFRAME_UNAVAILABLE', `bundled ${pair} data has no ${tf} bars (native: ${native.join(', ')}) and none finer to build them from`);
      }
      s = deriveSeries(this.load(pair, from), from, tf);
      this.cache.set(key, s);
    }
    return s;
  }

  private load(pair: string, tf: Timeframe): Candle[] {
    const key = `${pair}:${tf}:native`;
    let s = this.cache.get(key);
    if (!s) this.cache.set(key, (s = this.readFile(pair, tf)));
    return s;
  }

  private readFile(pair: string, tf: Timeframe): Candle[] {
    const file = join(this.dir, this.entry(pair).files[tf]!);
    // The columnar cache: a CSV is parsed once, not on every run (issue 17).
    return readCandlesCached(file, (text) => parseCandleCsv(text, { name: file }), this.cacheDir).candles;
  }

  async sampleInfo(pair: string): Promise<SampleInfo> {
    const e = this.entry(pair);
    const finest = this.nativeTimeframes(pair)[0];
    const s = this.load(pair, finest);
    return { label: `offline sample data: ${e.label}`, asOf: s[s.length - 1].timestamp + TIMEFRAME_MS[finest] };
  }

  async candles(q: CandleQuery): Promise<Candle[]> {
    const end = q.end ?? (await this.sampleInfo(q.pair)).asOf;
    const limit = q.limit ?? 300;
    const key = `${q.pair}:${q.timeframe}`;
    // The first query of a resampled timeframe aggregates only the bars it returns (a one-off
    // `ffe analyze` never resamples a whole 1m file); a second builds and keeps the whole series,
    // which a replay's per-bar queries then search.
    if (!this.cache.has(key) && !this.windowed.has(key)) {
      this.windowed.add(key);
      const native = this.nativeTimeframes(q.pair);
      const from = sourceTimeframeFor(q.timeframe, native);
      if (from && from !== q.timeframe) {
        const w = resampledWindow(this.load(q.pair, from), from, q.timeframe, end, limit);
        if (w) return w;
      }
    }
    return closedWindow(this.series(q.pair, q.timeframe), q.timeframe, end, limit);
  }

  async latestQuote(pair: string, at?: number): Promise<Quote> {
    const end = at ?? (await this.sampleInfo(pair)).asOf;
    // The most recent close among the native series (finest first wins ties): BTCUSD's 1m file
    // only spans December 2024, so earlier in 2024 the 1h close is the latest price known.
    let best: Quote | null = null;
    for (const tf of this.nativeTimeframes(pair)) {
      const last = closedWindow(this.load(pair, tf), tf, end, 1)[0];
      const closedAt = last ? last.timestamp + TIMEFRAME_MS[tf] : -Infinity;
      if (last && (!best || closedAt > best.timestamp)) best = { pair, price: last.close, timestamp: closedAt, source: this.name };
    }
    if (!best) throw dataError('NO_DATA', `bundled ${pair} data has no bar closed at or before ${new Date(end).toISOString()}`);
    return best;
  }

  /** What list() answers, worked out once (the files do not change under a running process). */
  private listed: SeriesInfo[] | null = null;

  async list(): Promise<SeriesInfo[]> {
    this.listed ??= this.describe();
    return this.listed.map((x) => ({ ...x }));
  }

  /**
   * Every series' extent, from series read for it and then let go (those a query already cached
   * are reused): the risk context lists the sources, and a 1 M-bar backtest on imported data kept
   * every bundled pair's every timeframe as candle objects (~80 k, 16 MB) for its whole run.
   */
  private describe(): SeriesInfo[] {
    const out: SeriesInfo[] = [];
    for (const pair of this.pairs()) {
      const native = this.nativeTimeframes(pair);
      const read = new Map<Timeframe, Candle[]>();
      const base = (tf: Timeframe): Candle[] => {
        let s = this.cache.get(`${pair}:${tf}:native`) ?? read.get(tf);
        if (!s) read.set(tf, (s = this.readFile(pair, tf)));
        return s;
      };
      for (const tf of TIMEFRAMES) {
        const from = sourceTimeframeFor(tf, native);
        if (!from) continue;
        const s = this.cache.get(`${pair}:${tf}`) ?? deriveSeries(base(from), from, tf);
        if (s.length === 0) continue;
        out.push({ pair, timeframe: tf, origin: from === tf ? 'native' : `resampled from ${from}`, first: s[0].timestamp, last: s[s.length - 1].timestamp, bars: s.length, source: this.name });
      }
    }
    return out;
  }
}
