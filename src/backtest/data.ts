import type { Candle, CandleColumns } from '../core/candle.js';
import { inputError, isFfeError } from '../core/errors.js';
import { classifyPair } from '../core/pair.js';
import { TIMEFRAME_MS, TIMEFRAMES, type Timeframe } from '../core/timeframe.js';
import { candleColumnsOf, firstAtOrAfter, sliceColumns } from '../data/columns.js';
import type { MarketData } from '../data/port.js';
import type { FrameSource } from './feed.js';
import type { BacktestData, PairSeries } from './port.js';

export interface RangeSpec {
  pairs: string[];
  start: number;
  end: number;
  timeframe: Timeframe;
  /** Bars before `start` given to indicators as history (never traded). */
  warmupBars: number;
}

const ALL = 1e9;

export function parseDate(s: string, flag: string): number {
  const ms = Date.parse(/T|Z/.test(s) ? s : `${s}T00:00:00Z`);
  if (Number.isNaN(ms)) throw inputError('DATE_INVALID', `${flag} "${s}" is not a date (expected YYYY-MM-DD or ISO 8601)`);
  return ms;
}

/**
 * `YYYY-MM-DD` means the end of that day (UTC): "as of the 29th" includes what was published on
 * the 29th. An ISO time is taken as given.
 */
export function parseAsOf(text: string, flag = '--as-of'): number {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const ms = Date.parse(dateOnly ? `${text}T23:59:59.999Z` : text);
  if (Number.isNaN(ms) || (!dateOnly && !/T/.test(text))) throw inputError('DATE_INVALID', `${flag} "${text}" is not a date (expected YYYY-MM-DD or ISO 8601)`);
  return ms;
}

/** Bars opening at or after `start` − warm-up and closed by `end`, from the MarketData port. */
async function window(md: MarketData, pair: string, tf: Timeframe, start: number, end: number, warmup: number): Promise<Candle[]> {
  const all = await md.candles({ pair, timeframe: tf, end, limit: ALL });
  const from = start - warmup * TIMEFRAME_MS[tf];
  return all.filter((c) => c.timestamp >= from);
}

/** `window` as columns: a view into the source's series, no copy. */
async function columnWindow(md: MarketData, pair: string, tf: Timeframe, start: number, end: number, warmup: number): Promise<CandleColumns> {
  const all = await candleColumnsOf(md, { pair, timeframe: tf, end, limit: ALL });
  return sliceColumns(all, firstAtOrAfter(all.timestamp, start - warmup * TIMEFRAME_MS[tf]), all.length);
}

export async function loadBacktestData(md: MarketData, spec: RangeSpec): Promise<BacktestData> {
  if (!(spec.end > spec.start)) throw inputError('RANGE_INVALID', `--end (${new Date(spec.end).toISOString()}) must be after --start (${new Date(spec.start).toISOString()})`);
  const pairs: PairSeries[] = [];
  for (const raw of spec.pairs) {
    const pair = classifyPair(raw);
    // A range the data does not cover is the caller's choice to fix (exit 2), not a run-time failure.
    const outside = () =>
      inputError('RANGE_NO_DATA', `no ${spec.timeframe} bars for ${pair.symbol} between ${new Date(spec.start).toISOString()} and ${new Date(spec.end).toISOString()} (see \`ffe data list\` for the dates available)`);
    let bars: CandleColumns;
    try {
      bars = await columnWindow(md, pair.symbol, spec.timeframe, spec.start, spec.end, spec.warmupBars);
    } catch (e) {
      throw isFfeError(e) && e.code === 'NO_DATA' ? outside() : e;
    }
    const first = firstAtOrAfter(bars.timestamp, spec.start);
    if (first === bars.length) throw outside();
    pairs.push({ pair, bars, first });
  }
  return { timeframe: spec.timeframe, pairs };
}

/**
 * Every timeframe a provider may read, from `historyBars` before the start to the end. `columns`:
 * as views into the source's series (what a backtest holds: the base frame is then the run's own
 * bars, not a second copy), else as candles.
 */
export async function loadFrames(md: MarketData, pair: string, start: number, end: number, historyBars: number, columns = false): Promise<Partial<Record<Timeframe, FrameSource>>> {
  const out: Partial<Record<Timeframe, FrameSource>> = {};
  for (const tf of TIMEFRAMES) {
    try {
      out[tf] = columns ? { columns: await columnWindow(md, pair, tf, start, end, historyBars) } : { candles: await window(md, pair, tf, start, end, historyBars) };
    } catch (e) {
      if (isFfeError(e) && (e.code === 'TIMEFRAME_UNAVAILABLE' || e.code === 'NO_DATA')) out[tf] = { unavailable: e.message };
      else throw e;
    }
  }
  return out;
}
