import { candleProblem, type Candle } from '../../core/candle.js';
import { dataError, inputError } from '../../core/errors.js';
import { describeGaps, gridReport, onGrid, type GridReport } from '../../core/grid-check.js';
import type { AssetClass } from '../../core/pair.js';
import { TIMEFRAME_MS, type Timeframe } from '../../core/timeframe.js';

/** One page of bars from `since` (open time, ms), at most `limit`, oldest first (ccxt's fetchOHLCV). */
export type PageFetcher = (since: number, limit: number) => Promise<Candle[]>;

export interface DownloadPlan {
  /** What the error messages name, e.g. `binance BTC/USDT 1m`. */
  label: string;
  timeframe: Timeframe;
  assetClass: AssetClass;
  /** Bars with open time in [from, to). */
  from: number;
  to: number;
  /** Open time of the last bar already stored (a resumed download continues after it), or null. */
  storedLast: number | null;
  pageLimit: number;
  allowGaps: boolean;
  /** The clock's now: a bar still open at now is not history yet. */
  now: number;
}

export interface DownloadOutcome {
  pages: number;
  bars: number;
  /** Where this run started: `from`, or just after the last stored bar. */
  start: number;
  resumed: boolean;
  first: number | null;
  last: number | null;
  /** Grid and gaps of the bars this run stored (joined to the stored bar it resumed after). */
  report: GridReport;
}

/**
 * Pages through history as freqtrade's download-data does: from `from` (or just after the last
 * stored bar, so an interrupted download resumes where it stopped) `since` the last bar received,
 * until `to` or an empty page. Each page is validated like an import (grid, OHLC sanity, order,
 * gaps against the bar before it) and handed to `store` whole; a failure stops with every earlier
 * page stored, so running the same download again continues from there.
 */
export async function paginateOhlcv(fetchPage: PageFetcher, plan: DownloadPlan, store: (page: Candle[]) => Promise<void>): Promise<DownloadOutcome> {
  const tf = plan.timeframe;
  const step = TIMEFRAME_MS[tf];
  const resumed = plan.storedLast !== null && plan.storedLast + step > plan.from && plan.storedLast < plan.to;
  const start = resumed ? plan.storedLast! + step : plan.from;
  let prev: number | null = resumed ? plan.storedLast : null;
  const times: number[] = prev === null ? [] : [prev];
  let pages = 0;
  let cursor = start;
  while (cursor < plan.to) {
    const raw = await fetchPage(cursor, plan.pageLimit);
    // The exchange may repeat the bar at `since` or run past `to`; a bar not yet closed is not history.
    const page = raw.filter((c) => c.timestamp >= cursor && c.timestamp < plan.to && c.timestamp + step <= plan.now);
    if (page.length === 0) break;
    for (let i = 0; i < page.length; i++) {
      const c = page[i];
      const at = new Date(c.timestamp).toISOString();
      if (!onGrid(c.timestamp, tf)) throw dataError('DOWNLOAD_INVALID', `${plan.label}: the bar at ${at} is not on the ${tf} grid; nothing of this page stored`);
      const problem = candleProblem(c);
      if (problem) throw dataError('DOWNLOAD_INVALID', `${plan.label}: the bar at ${at}: ${problem}; nothing of this page stored`);
      if (i > 0 && c.timestamp <= page[i - 1].timestamp) throw dataError('DOWNLOAD_INVALID', `${plan.label}: the bar at ${at} is not after the one before it; nothing of this page stored`);
    }
    const joined = prev === null ? page.map((c) => c.timestamp) : [prev, ...page.map((c) => c.timestamp)];
    const r = gridReport(joined, tf, plan.assetClass);
    if (r.gaps > 0 && !plan.allowGaps) {
      const upTo = prev === null ? 'nothing stored yet' : `stored up to ${new Date(prev).toISOString()}`;
      throw inputError('DATA_GAPS', `${plan.label}: the exchange's history has ${describeGaps(r)}; ${upTo}: accept the gaps with --allow-gaps (the download resumes there)`);
    }
    await store(page);
    pages++;
    for (const c of page) times.push(c.timestamp);
    prev = page[page.length - 1].timestamp;
    cursor = prev + step;
  }
  const own = resumed ? times.slice(1) : times;
  return { pages, bars: own.length, start, resumed, first: own[0] ?? null, last: own[own.length - 1] ?? null, report: gridReport(times, tf, plan.assetClass) };
}
