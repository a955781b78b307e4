import { candleProblem, type Candle } from '../core/candle.js';
import { inputError } from '../core/errors.js';
import { onGrid } from '../core/grid-check.js';
import type { Timeframe } from '../core/timeframe.js';

const TIME_COLUMNS = ['timestamp', 'time', 'date', 'datetime', 'open_time'];

function parseTime(raw: string): number {
  const t = raw.trim().replace(/^"|"$/g, '');
  if (/^\d+(\.\d+)?$/.test(t)) {
    const n = Number(t);
    // Epoch seconds until the year 5138, epoch milliseconds after.
    return n < 1e11 ? n * 1000 : n;
  }
  const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(t) ? t : `${t.replace(' ', 'T')}Z`;
  return Date.parse(iso);
}

export interface CsvParseOptions {
  /** Name shown in error messages (file path). */
  name: string;
  /** Require strictly increasing timestamps (always true for imports). */
  requireMonotonic?: boolean;
  /** Latest acceptable bar time (the clock's now for imports): a bar from the future is a typo. */
  notAfter?: number;
  /** Bar size: every timestamp must sit on its grid (a 12:00 stamp in a 1d file is a mislabelled file, not a bar). */
  timeframe?: Timeframe;
}

/** Before this, a "date" is an epoch-unit mix-up or a typo, not market data. */
const EARLIEST = Date.UTC(1900, 0, 1);
/** Without a clock, dates beyond this are still absurd (e.g. 9999-01-03). */
const LATEST = Date.UTC(2200, 0, 1);

/**
 * Parses OHLCV CSV text with a header row (timestamp|time|date, open, high, low, close[, volume];
 * any column order, case-insensitive). Timestamps: ISO 8601 (UTC if no zone) or epoch s/ms.
 * Every bar is validated; the first bad row aborts with its line number, so callers never
 * store half a file.
 */
export function parseCandleCsv(text: string, opts: CsvParseOptions): Candle[] {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().replace(/^"|"$/g, '').toLowerCase());
  const col = (names: string[]) => header.findIndex((h) => names.includes(h));
  const iT = col(TIME_COLUMNS);
  const iO = col(['open', 'o']);
  const iH = col(['high', 'h']);
  const iL = col(['low', 'l']);
  const iC = col(['close', 'c']);
  const iV = col(['volume', 'vol', 'v']);
  const missing = [
    [iT, 'timestamp'],
    [iO, 'open'],
    [iH, 'high'],
    [iL, 'low'],
    [iC, 'close'],
  ].filter(([i]) => i === -1);
  if (missing.length > 0) {
    throw inputError(
      'CSV_HEADER',
      `${opts.name}: line 1: missing column(s) ${missing.map(([, n]) => n).join(', ')}; expected a header like timestamp,open,high,low,close,volume`,
    );
  }
  const out: Candle[] = [];
  const requireMonotonic = opts.requireMonotonic ?? true;
  for (let li = 1; li < lines.length; li++) {
    const line = lines[li];
    if (line.trim() === '') continue;
    const f = line.split(',');
    const lineNo = li + 1;
    if (f.length < header.length) throw inputError('CSV_ROW', `${opts.name}: line ${lineNo}: expected ${header.length} fields, got ${f.length}`, { line: lineNo });
    const num = (i: number, name: string): number => {
      const s = f[i].trim();
      const v = s === '' ? NaN : Number(s);
      if (!Number.isFinite(v)) throw inputError('CSV_ROW', `${opts.name}: line ${lineNo}: ${name} "${s}" is not a number`, { line: lineNo });
      return v;
    };
    const k: Candle = {
      timestamp: parseTime(f[iT]),
      open: num(iO, 'open'),
      high: num(iH, 'high'),
      low: num(iL, 'low'),
      close: num(iC, 'close'),
      volume: iV === -1 ? 0 : num(iV, 'volume'),
    };
    if (Number.isNaN(k.timestamp)) throw inputError('CSV_ROW', `${opts.name}: line ${lineNo}: timestamp "${f[iT].trim()}" is not ISO 8601 or epoch time`, { line: lineNo });
    const latest = opts.notAfter ?? LATEST;
    if (k.timestamp < EARLIEST || k.timestamp > latest) {
      const when = k.timestamp < EARLIEST ? 'before 1900' : opts.notAfter !== undefined ? `after now (${new Date(latest).toISOString()})` : 'after 2200';
      throw inputError('CSV_ROW', `${opts.name}: line ${lineNo}: timestamp ${new Date(k.timestamp).toISOString()} is ${when}; check the date`, { line: lineNo });
    }
    if (opts.timeframe && !onGrid(k.timestamp, opts.timeframe)) {
      throw inputError(
        'CSV_OFF_GRID',
        `${opts.name}: line ${lineNo}: timestamp ${new Date(k.timestamp).toISOString()} is not on the ${opts.timeframe} grid (${opts.timeframe} bars open at multiples of ${opts.timeframe} from 00:00 UTC); check the timeframe or the time zone`,
        { line: lineNo },
      );
    }
    const problem = candleProblem(k);
    if (problem) throw inputError('CSV_ROW', `${opts.name}: line ${lineNo}: ${problem}`, { line: lineNo });
    if (requireMonotonic && out.length > 0 && k.timestamp <= out[out.length - 1].timestamp) {
      throw inputError(
        'CSV_ORDER',
        `${opts.name}: line ${lineNo}: timestamp ${new Date(k.timestamp).toISOString()} is not after the previous row's ${new Date(out[out.length - 1].timestamp).toISOString()} (rows must be in increasing time order, without duplicates)`,
        { line: lineNo },
      );
    }
    out.push(k);
  }
  if (out.length === 0) throw inputError('CSV_EMPTY', `${opts.name}: no data rows after the header`);
  return out;
}
