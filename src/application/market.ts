import type { Candle } from '../core/candle.js';
import { inputError, isFfeError } from '../core/errors.js';
import { describeGap, describeGaps, gridReport, type Gap, type GridReport } from '../core/grid-check.js';
import { classifyPair, standardizeAssetPair } from '../core/pair.js';
import { parseTimeframe, TIMEFRAME_MS, TIMEFRAMES, type Timeframe } from '../core/timeframe.js';
import { bollinger, ema, macd, rsi, sma } from '../indicators/index.js';
import { parseDate } from '../backtest/data.js';
import type { Runtime } from './runtime.js';
import { systemUseCases, type readCandleFile } from './system.js';

/** Most bars one candles answer carries. */
export const MAX_CANDLES = 2000;
/** Most indicators one answer computes. */
export const MAX_INDICATORS = 8;
const MAX_PERIOD = 500;

export const INDICATOR_KINDS = ['sma', 'ema', 'bb', 'rsi', 'macd'] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];
export interface IndicatorSpec {
  kind: IndicatorKind;
  /** sma/ema/bb/rsi: one period; macd: fast, slow, signal. */
  periods: number[];
}

const DEFAULT_PERIODS: Record<IndicatorKind, number[]> = { sma: [20], ema: [20], bb: [20], rsi: [14], macd: [12, 26, 9] };

/**
 * `sma:20,ema:50,bb:20,rsi:14,macd:12:26:9` → specs. A kind without periods takes its default;
 * an unknown kind, a period outside 1..500 or more than 8 indicators is INDICATOR_INVALID (400).
 */
export function parseIndicators(text: string | undefined): IndicatorSpec[] {
  if (!text || !text.trim()) return [];
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length > MAX_INDICATORS) throw inputError('INDICATOR_INVALID', `indicators: at most ${MAX_INDICATORS}, got ${parts.length}`);
  return parts.map((part) => {
    const [kind, ...rest] = part.toLowerCase().split(':');
    if (!(INDICATOR_KINDS as readonly string[]).includes(kind)) throw inputError('INDICATOR_INVALID', `indicators: unknown indicator "${kind}": expected one of ${INDICATOR_KINDS.join(', ')}`);
    const k = kind as IndicatorKind;
    const want = DEFAULT_PERIODS[k].length;
    if (rest.length && rest.length !== want) throw inputError('INDICATOR_INVALID', `indicators: ${k} takes ${want === 1 ? 'one period' : `${want} periods (${k}:12:26:9)`}, got "${part}"`);
    const periods = rest.length ? rest.map(Number) : DEFAULT_PERIODS[k];
    for (const p of periods) {
      if (!Number.isInteger(p) || p < 1 || p > MAX_PERIOD) throw inputError('INDICATOR_INVALID', `indicators: "${part}": a period is a whole number from 1 to ${MAX_PERIOD}`);
    }
    if (k === 'macd' && !(periods[0] < periods[1])) throw inputError('INDICATOR_INVALID', `indicators: "${part}": macd's fast period must be below its slow one`);
    return { kind: k, periods };
  });
}

/** An indicator over the answer's bars: one or more named lines, null while warming up. */
export interface IndicatorSeries {
  id: string;
  kind: IndicatorKind;
  periods: number[];
  /** `price`: drawn over the candles; `oscillator`: in its own pane. */
  pane: 'price' | 'oscillator';
  lines: Record<string, (number | null)[]>;
}

const nullable = (xs: ArrayLike<number>, from: number) => Array.from(xs, (v) => (Number.isFinite(v) ? v : null)).slice(from);

/**
 * Each indicator over `warm` (older bars first, then the shown ones): computed on closes known at
 * each bar only (every indicator here is causal), then cut to the shown bars.
 */
export function computeIndicators(bars: readonly Candle[], shown: number, specs: readonly IndicatorSpec[]): IndicatorSeries[] {
  const close = Float64Array.from(bars, (b) => b.close);
  const from = bars.length - shown;
  return specs.map((s): IndicatorSeries => {
    const id = `${s.kind}:${s.periods.join(':')}`;
    switch (s.kind) {
      case 'sma':
        return { id, kind: s.kind, periods: s.periods, pane: 'price', lines: { value: nullable(sma(close, s.periods[0]), from) } };
      case 'ema':
        return { id, kind: s.kind, periods: s.periods, pane: 'price', lines: { value: nullable(ema(close, s.periods[0]), from) } };
      case 'bb': {
        const b = bollinger(close, s.periods[0]);
        return { id, kind: s.kind, periods: s.periods, pane: 'price', lines: { upper: nullable(b.upper, from), middle: nullable(b.middle, from), lower: nullable(b.lower, from) } };
      }
      case 'rsi':
        return { id, kind: s.kind, periods: s.periods, pane: 'oscillator', lines: { value: nullable(rsi(close, s.periods[0]), from) } };
      case 'macd': {
        const m = macd(close, s.periods[0], s.periods[1], s.periods[2]);
        return { id, kind: s.kind, periods: s.periods, pane: 'oscillator', lines: { macd: nullable(m.macd, from), signal: nullable(m.signal, from), histogram: nullable(m.histogram, from) } };
      }
    }
  });
}

/** Bars an indicator needs before its first value (warm-up), so the shown bars start warmed up where the data allows. */
export function warmupOf(specs: readonly IndicatorSpec[]): number {
  let w = 0;
  for (const s of specs) w = Math.max(w, s.kind === 'macd' ? s.periods[1] + s.periods[2] : s.kind === 'rsi' || s.kind === 'ema' ? s.periods[0] * 3 : s.periods[0]);
  return w;
}

export interface TradeMarker {
  /** ms. */
  time: number;
  /** entry/exit of a closed trade; order: a filled order of the account's journal. */
  kind: 'entry' | 'exit' | 'order';
  side: string;
  price: number | null;
  text: string;
  id: string;
}

const isoGap = (g: Gap | null) => (g ? { after: new Date(g.after).toISOString(), before: new Date(g.before).toISOString(), missing: g.missing } : null);

/** A grid report as plain JSON (ISO times), what `ffe data import|check|download --json` print. */
export function qualityJson(r: GridReport) {
  return {
    timeframe: r.timeframe,
    bars: r.bars,
    first: r.first === null ? null : new Date(r.first).toISOString(),
    last: r.last === null ? null : new Date(r.last).toISOString(),
    offGrid: r.offGrid,
    firstOffGrid: r.firstOffGrid === null ? null : new Date(r.firstOffGrid).toISOString(),
    gaps: r.gaps,
    missingBars: r.missingBars,
    longest: isoGap(r.longest),
    list: r.list.map(isoGap),
    closedBars: r.closedBars,
    summary: describeGaps(r),
  };
}
export type QualityJson = ReturnType<typeof qualityJson>;

/**
 * Refuses a series with gaps unless they are accepted: three missing minutes must not pass
 * silently. Bars absent while the market was shut are not gaps. `where` names the file (and
 * `lineOf` the line of the bar after the longest gap) or the download.
 */
export function assertNoGaps(r: GridReport, where: string, allowGaps: boolean, lineOf?: (t: number) => number | undefined): void {
  if (r.gaps === 0 || allowGaps) return;
  const line = lineOf?.(r.longest!.before);
  throw inputError('DATA_GAPS', `${where}: ${describeGaps(r)}${line ? ` (before line ${line})` : ''}; first: ${describeGap(r.list[0])}; nothing stored: fill the gaps, or accept them with --allow-gaps`);
}

/** Pairs, timeframes and candles with indicators over the market data the analysis reads; the account's trades on a pair as markers. */
export const marketUseCases = (rt: Runtime) => {
  const { app } = rt;
  return {
    /**
     * Stores a parsed CSV (all rows or none) after its gap check: gaps are refused unless
     * `allowGaps` (the default is to refuse: a gapped file would be resampled and backtested as if
     * whole). A bar from the future is reported first (the store use case checks the clock).
     */
    async importCandles(file: ReturnType<typeof readCandleFile>, opts: { allowGaps?: boolean } = {}) {
      const report = gridReport(
        file.candles.map((c) => c.timestamp),
        file.timeframe,
        classifyPair(file.pair).assetClass,
      );
      const inPast = file.candles[file.candles.length - 1].timestamp <= app.clock.now();
      if (inPast) assertNoGaps(report, file.name, !!opts.allowGaps, (t) => file.lines[file.candles.findIndex((c) => c.timestamp === t)]);
      const r = await systemUseCases(rt).importCandles(file);
      return { ...r, quality: qualityJson(report) };
    },

    /**
     * Grid and gap report of the stored series of a pair (imported if any, else the bundled
     * sample): every native timeframe, or the one asked for.
     */
    async check(q: { pair: string; timeframe?: string }) {
      const pair = classifyPair(q.pair);
      const tf = q.timeframe ? parseTimeframe(q.timeframe) : null;
      const all = (await app.marketData.list()).filter((s) => s.pair === pair.symbol && (s.origin === 'native' || s.origin === 'imported'));
      // Imported data shadows the bundled sample for the whole pair: check what is served.
      const served = all.some((s) => s.origin === 'imported') ? all.filter((s) => s.origin === 'imported') : all;
      const series = served.filter((s) => !tf || s.timeframe === tf);
      if (series.length === 0) {
        const have = served.map((s) => s.timeframe).join(', ');
        throw inputError('PAIR_NOT_AVAILABLE', `no stored ${tf ?? ''}${tf ? ' ' : ''}data for ${pair.symbol}${have ? ` (stored: ${have})` : ' (see `ffe data list`)'}`);
      }
      const out = [];
      for (const s of series.sort((a, b) => TIMEFRAMES.indexOf(a.timeframe) - TIMEFRAMES.indexOf(b.timeframe))) {
        const bars = await app.marketData.candles({ pair: pair.symbol, timeframe: s.timeframe, end: s.last + TIMEFRAME_MS[s.timeframe], limit: s.bars });
        const r = gridReport(
          bars.map((b) => b.timestamp),
          s.timeframe,
          pair.assetClass,
        );
        out.push({ pair: pair.symbol, assetClass: pair.assetClass, source: s.source, origin: s.origin, ...qualityJson(r) });
      }
      return out;
    },

    /**
     * `ffe data download`: OHLCV history of each pair from an exchange through ccxt, paginated,
     * rate-limited, validated page by page like an import and stored as it comes; a download that
     * stopped (a failure, Ctrl-C) resumes after the last stored bar when run again.
     */
    async download(q: { pairs: string[]; timeframe: string; from: string; to?: string; exchange: string; allowGaps?: boolean; baseUrl?: string | null; rateLimit?: boolean; pageLimit?: number }) {
      const timeframe = parseTimeframe(q.timeframe);
      const now = app.clock.now();
      const from = parseDate(q.from, '--from');
      const to = Math.min(q.to ? parseDate(q.to, '--to') : now, now);
      if (!(to > from)) throw inputError('RANGE_INVALID', `--to (${new Date(to).toISOString()}) must be after --from (${new Date(from).toISOString()})`);
      if (q.pageLimit !== undefined && !(Number.isInteger(q.pageLimit) && q.pageLimit > 0)) throw inputError('LIMIT_INVALID', '--page-limit: a whole number above 0');
      const pairs = q.pairs.map((p) => classifyPair(p));
      // ccxt (~1.5 s to load) only for this command.
      const { openHistorySource } = await import('../data/download/ccxt-ohlcv.js');
      const { paginateOhlcv } = await import('../data/download/paginate.js');
      const src = await openHistorySource({ exchange: q.exchange.toLowerCase(), baseUrl: q.baseUrl, rateLimit: q.rateLimit });
      const repo = app.store.candles;
      const storedLast = async (pair: string) => (await repo.series()).find((s) => s.pair === pair && s.timeframe === timeframe)?.last ?? null;
      const out = [];
      for (const pair of pairs) {
        const market = src.market(pair);
        const label = `${src.exchange} ${market} ${timeframe}`;
        const plan = { label, timeframe, assetClass: pair.assetClass, from, to, storedLast: await storedLast(pair.symbol), pageLimit: q.pageLimit ?? src.pageLimit, allowGaps: !!q.allowGaps, now };
        let r;
        try {
          r = await paginateOhlcv(src.fetcher(market, timeframe), plan, async (page) => void (await repo.importSeries(pair.symbol, timeframe, page, `ccxt:${src.exchange}`)));
        } catch (e) {
          if (isFfeError(e) && e.kind !== 'venue') throw e;
          const last = await storedLast(pair.symbol);
          throw src.failure(e, label, last === null ? 'nothing stored' : `${pair.symbol} ${timeframe} is stored up to ${new Date(last).toISOString()}: run the same command again to resume from there`);
        }
        out.push({
          pair: pair.symbol,
          exchange: src.exchange,
          market,
          timeframe,
          pages: r.pages,
          bars: r.bars,
          resumed: r.resumed,
          start: new Date(r.start).toISOString(),
          first: r.first === null ? null : new Date(r.first).toISOString(),
          last: r.last === null ? null : new Date(r.last).toISOString(),
          quality: qualityJson(r.report),
        });
      }
      return out;
    },

    /** Every pair the configured data can serve, with its timeframes (native or resampled), first and last bar. */
    async pairs() {
      const series = await app.marketData.list();
      const byPair = new Map<string, { pair: string; timeframes: Timeframe[]; first: number; last: number; source: string }>();
      for (const s of series) {
        const p = byPair.get(s.pair) ?? { pair: s.pair, timeframes: [], first: s.first, last: s.last, source: s.source };
        if (!p.timeframes.includes(s.timeframe)) p.timeframes.push(s.timeframe);
        p.first = Math.min(p.first, s.first);
        p.last = Math.max(p.last, s.last);
        byPair.set(s.pair, p);
      }
      const pairs = [...byPair.values()].sort((a, b) => a.pair.localeCompare(b.pair));
      for (const p of pairs) p.timeframes.sort((a, b) => TIMEFRAMES.indexOf(a) - TIMEFRAMES.indexOf(b));
      return { pairs: pairs.map((p) => ({ ...p, first: new Date(p.first).toISOString(), last: new Date(p.last).toISOString() })), timeframes: TIMEFRAMES.filter((t) => pairs.some((p) => p.timeframes.includes(t))) };
    },

    /**
     * The latest `limit` closed bars of a pair (closed by the clock's now: no look-ahead), each
     * indicator computed on the bars before and at each one, and the account's trades on the pair
     * inside the shown span.
     */
    async candles(q: { pair: string; timeframe: Timeframe; limit: number; indicators?: string }) {
      const pair = standardizeAssetPair(q.pair);
      if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > MAX_CANDLES) throw inputError('LIMIT_INVALID', `limit: a whole number from 1 to ${MAX_CANDLES}`);
      const specs = parseIndicators(q.indicators);
      const now = app.clock.now();
      const warm = warmupOf(specs);
      const bars = await app.marketData.candles({ pair, timeframe: q.timeframe, end: now, limit: q.limit + warm });
      const shown = Math.min(q.limit, bars.length);
      const view = bars.slice(bars.length - shown);
      const indicators = computeIndicators(bars, shown, specs);
      const from = view.length ? view[0].timestamp : now;
      const to = view.length ? view[view.length - 1].timestamp + TIMEFRAME_MS[q.timeframe] : now;
      return { pair, timeframe: q.timeframe, candles: view, indicators, markers: await markers(pair, from, to) };
    },
  };

  /** Entries and exits of the account's closed trades and its filled orders on `pair`, between `from` and `to` (ms), oldest first. */
  async function markers(pair: string, from: number, to: number): Promise<TradeMarker[]> {
    const out: TradeMarker[] = [];
    const trades = await app.feedback.monitorRepo.metrics({ pair });
    for (const t of trades) {
      if (t.openedAt >= from && t.openedAt <= to) out.push({ time: t.openedAt, kind: 'entry', side: t.side, price: t.entryPrice, text: `${t.side} entry @ ${t.entryPrice}`, id: `${t.id}:entry` });
      if (t.closedAt >= from && t.closedAt <= to)
        out.push({ time: t.closedAt, kind: 'exit', side: t.side, price: t.exitPrice, text: `${t.side} exit (${t.exitReason}) @ ${t.exitPrice}, P&L ${t.pnl.toFixed(2)}`, id: `${t.id}:exit` });
    }
    const account = app.execution.mode({}).mode;
    const orders = await app.store.orders.list({ account, limit: 1000 });
    for (const o of orders) {
      if (o.pair !== pair || o.state !== 'FILLED') continue;
      const time = o.submittedAt ?? o.createdAt;
      if (time < from || time > to) continue;
      const price = o.averagePrice === null ? null : Number(o.averagePrice);
      out.push({ time, kind: 'order', side: o.side, price, text: `${o.side} ${o.units}${price === null ? '' : ` @ ${price}`} (${o.leg})`, id: o.clientOrderId });
    }
    return out.sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
  }
};
