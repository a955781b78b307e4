import type { Candle } from '../core/candle.js';
import { inputError, isFfeError } from '../core/errors.js';
import { STABLE_CODES } from '../core/pair.js';
import { TIMEFRAME_MS, TIMEFRAMES, type Timeframe } from '../core/timeframe.js';
import type { MarketData } from '../data/port.js';
import { gapNotes, runGaps } from './data-quality.js';
import type { BacktestData } from './port.js';
import type { BacktestResult, BacktestSettings } from './types.js';

export const DEFAULT_ACCOUNT_CURRENCY = 'USD';

/** USD and the dollar stablecoins are one currency for balances (a stated simplification: a depeg is not modelled). */
const dollar = (c: string) => c === 'USD' || STABLE_CODES.has(c);
const same = (a: string, b: string) => a === b || (dollar(a) && dollar(b));

/** Account-currency price of one unit of the quote, as of each bar close: a step function read without look-ahead. */
export interface RatePath {
  /** e.g. `BTCUSD 1h` (or `USDBTC 1h, inverted`). */
  label: string;
  /** Close times (ms) of the rate bars, increasing. */
  times: Float64Array;
  /** Account currency per quote unit at each close. */
  rates: Float64Array;
}

/** The rate known at `t`: the last rate bar closed at or before it; NaN before the first. */
export function rateAt(p: RatePath, t: number): number {
  let lo = 0;
  let hi = p.times.length - 1;
  if (hi < 0 || p.times[0] > t) return NaN;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (p.times[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  return p.rates[lo];
}

/** Pairs that price `quote` in `account`, direct first: BTCUSD, then BTCUSDT/BTCUSDC for a dollar account, then the inverses. */
function candidates(quote: string, account: string): { pair: string; inverted: boolean }[] {
  const accounts = dollar(account) ? ['USD', 'USDT', 'USDC'] : [account];
  return [...accounts.map((a) => ({ pair: `${quote}${a}`, inverted: false })), ...accounts.map((a) => ({ pair: `${a}${quote}`, inverted: true }))];
}

async function tryCandles(md: MarketData, pair: string, tf: Timeframe, end: number): Promise<Candle[] | null> {
  try {
    const bars = await md.candles({ pair, timeframe: tf, end, limit: 1e9 });
    return bars.length ? bars : null;
  } catch (e) {
    if (isFfeError(e) && ['PAIR_NOT_AVAILABLE', 'TIMEFRAME_UNAVAILABLE', 'NO_DATA', 'PAIR_INVALID', 'PAIR_UNKNOWN'].includes(e.code)) return null;
    throw e;
  }
}

/**
 * The price path that converts the run's quote currency into the account currency, or null when
 * they are the same. Looked for at the run's timeframe, then coarser ones; every rate used at a
 * bar close is the last one closed by then. None covering the start: CURRENCY_PATH_MISSING, naming
 * the series tried.
 */
export async function ratePath(md: MarketData, data: BacktestData, account: string): Promise<{ quote: string; path: RatePath } | null> {
  const quotes = [...new Set(data.pairs.map((p) => p.pair.quote))];
  if (quotes.length > 1) throw inputError('CURRENCY_PATH_MISSING', `pairs quoted in ${quotes.join(' and ')} in one run: run each quote currency separately`);
  const quote = quotes[0];
  if (same(quote, account)) return null;
  const start = Math.min(...data.pairs.map((p) => p.bars.timestamp[p.first]));
  const end = Math.max(...data.pairs.map((p) => p.bars.timestamp[p.bars.length - 1])) + TIMEFRAME_MS[data.timeframe];
  const tried: string[] = [];
  for (const tf of TIMEFRAMES.slice(TIMEFRAMES.indexOf(data.timeframe))) {
    for (const c of candidates(quote, account)) {
      tried.push(`${c.pair} ${tf}`);
      const bars = await tryCandles(md, c.pair, tf, end);
      // A rate must be known when the run starts.
      if (!bars || bars[0].timestamp + TIMEFRAME_MS[tf] > start) continue;
      const times = Float64Array.from(bars, (b) => b.timestamp + TIMEFRAME_MS[tf]);
      const rates = Float64Array.from(bars, (b) => (c.inverted ? 1 / b.close : b.close));
      return { quote, path: { label: `${c.pair} ${tf}${c.inverted ? ', inverted' : ''}`, times, rates } };
    }
  }
  throw inputError(
    'CURRENCY_PATH_MISSING',
    `no price series converts ${quote} into the account currency ${account} from ${new Date(start).toISOString()}: tried ${tried.slice(0, 6).join(', ')}${tried.length > 6 ? ', …' : ''}; import or download one (e.g. \`ffe data download ${quote}${dollar(account) ? 'USDT' : account} --exchange binance …\`) or set the account currency to ${quote}`,
  );
}

/** What a run's currencies were and its figures in both; `null` on a run quoted in the account currency. */
export interface CurrencyReport {
  quote: string;
  account: string;
  rateSeries: string;
  /** Account currency per quote unit at the start and at the end. */
  startRate: number;
  endRate: number;
  initialAccount: number;
  initialQuote: number;
  finalQuote: number;
  finalAccount: number;
  returnQuote: number;
  returnAccount: number;
  maxDrawdownAccount: number;
}

export interface Conversion {
  quote: string;
  account: string;
  path: RatePath;
  initialAccount: number;
  startRate: number;
}

/**
 * Converts the run's balance from the account currency into the quote currency at the rate known
 * when the run starts (10,000 USD on ETH/BTC is ~0.24 BTC, not 10,000 BTC). Called once while the
 * run is prepared; `settings.initialBalance` is then in the quote currency, as the engine keeps it.
 */
export async function balanceInQuote(md: MarketData, data: BacktestData, settings: BacktestSettings, notes: string[]): Promise<Conversion | null> {
  const account = (settings.accountCurrency ?? DEFAULT_ACCOUNT_CURRENCY).toUpperCase();
  const found = await ratePath(md, data, account);
  if (!found) return null;
  const start = Math.min(...data.pairs.map((p) => p.bars.timestamp[p.first]));
  const startRate = rateAt(found.path, start);
  const initialAccount = settings.initialBalance;
  settings.initialBalance = initialAccount / startRate;
  conversions.set(data, { quote: found.quote, account, path: found.path, initialAccount, startRate });
  notes.push(
    `balance ${initialAccount} ${account} = ${settings.initialBalance.toPrecision(6)} ${found.quote} at ${startRate.toPrecision(8)} ${account}/${found.quote} (${found.path.label}, last close before ${new Date(start).toISOString()}); figures are in ${found.quote}, account-currency figures convert equity at each bar close`,
  );
  return conversions.get(data)!;
}

/**
 * The conversion a prepared run's data was given, found again when its result is annotated (kept
 * beside the data rather than in the run's settings, which are printed and sent to workers).
 */
const conversions = new WeakMap<BacktestData, Conversion>();

/**
 * States what the run ran over and in which currencies: data gaps (a note per gapped pair and
 * `result.dataGaps`) and, on a run quoted in another currency than the account's, the figures in
 * both (`result.currency` and a note).
 */
export function annotateRun(result: BacktestResult, data: BacktestData): void {
  result.dataGaps = runGaps(data).map((g) => ({ ...g, longest: g.longest && { after: new Date(g.longest.after).toISOString(), before: new Date(g.longest.before).toISOString(), missing: g.longest.missing } }));
  result.notes.push(...gapNotes(runGaps(data)));
  const c = conversions.get(data);
  result.currency = c ? currencyReport(c, result) : null;
  if (result.currency) {
    const x = result.currency;
    result.notes.push(
      `in ${x.account}: ${x.initialAccount.toFixed(2)} → ${x.finalAccount.toFixed(2)} (${(x.returnAccount * 100).toFixed(2)}%, max drawdown ${(x.maxDrawdownAccount * 100).toFixed(2)}%); in ${x.quote}: ${x.initialQuote.toPrecision(6)} → ${x.finalQuote.toPrecision(6)} (${(x.returnQuote * 100).toFixed(2)}%)`,
    );
  }
}

/** The run's equity in the account currency at each bar close (rate known by then), and the figures in both currencies. */
export function currencyReport(c: Conversion, r: Pick<BacktestResult, 'times' | 'equity' | 'settings'>): CurrencyReport {
  let peak = -Infinity;
  let maxDd = 0;
  let last = c.initialAccount;
  for (let i = 0; i < r.times.length; i++) {
    const v = r.equity[i] * rateAt(c.path, r.times[i]);
    peak = Math.max(peak, v);
    if (peak > 0) maxDd = Math.max(maxDd, (peak - v) / peak);
    last = v;
  }
  const finalQuote = r.equity.length ? r.equity[r.equity.length - 1] : r.settings.initialBalance;
  const endRate = r.times.length ? rateAt(c.path, r.times[r.times.length - 1]) : c.startRate;
  return {
    quote: c.quote,
    account: c.account,
    rateSeries: c.path.label,
    startRate: c.startRate,
    endRate,
    initialAccount: c.initialAccount,
    initialQuote: r.settings.initialBalance,
    finalQuote,
    finalAccount: last,
    returnQuote: finalQuote / r.settings.initialBalance - 1,
    returnAccount: last / c.initialAccount - 1,
    maxDrawdownAccount: maxDd,
  };
}
