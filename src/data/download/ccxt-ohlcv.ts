import type { Candle } from '../../core/candle.js';
import { FfeError, inputError, isFfeError } from '../../core/errors.js';
import type { PairInfo } from '../../core/pair.js';
import type { Timeframe } from '../../core/timeframe.js';
import { ccxtFailure } from '../../venues/ccxt/errors.js';
import { createExchange, loadCcxt, type CcxtExchange, type CcxtModule } from '../../venues/ccxt/loader.js';
import type { PageFetcher } from './paginate.js';

export interface HistorySourceSettings {
  /** ccxt exchange id, e.g. `binance`, `kraken`. */
  exchange: string;
  /** Replaces the API host (a proxy, a testnet, a loopback fake in tests). */
  baseUrl?: string | null;
  timeoutMs?: number;
  /** ccxt's client-side request spacing (enableRateLimit); on unless turned off. */
  rateLimit?: boolean;
}

/** Most bars one fetchOHLCV call returns, per exchange's documentation (ccxt does not expose it uniformly). */
const PAGE_LIMITS: Record<string, number> = { binance: 1000, binanceus: 1000, bybit: 1000, kraken: 720, coinbase: 300, okx: 300, bitfinex: 10000, kucoin: 1500 };

// Public market data only: no wallet, margin or derivatives lists on load.
const EXCHANGE_OPTIONS: Record<string, Record<string, unknown>> = {
  binance: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false, adjustForTimeDifference: false },
};

export interface HistorySource {
  exchange: string;
  pageLimit: number;
  /** The exchange's spot market for a pair (`BTC/USDT` for BTCUSDT); an input error naming the ones it has for the base. */
  market(pair: PairInfo): string;
  fetcher(symbol: string, timeframe: Timeframe): PageFetcher;
  /** Maps a failure of the exchange to an FfeError that says what is stored and how to resume. */
  failure(e: unknown, label: string, resumeHint: string): FfeError;
}

/** Opens a ccxt exchange for public OHLCV history (no credentials) and loads its markets. */
export async function openHistorySource(s: HistorySourceSettings): Promise<HistorySource> {
  const ccxt = await loadCcxt();
  const ids = (ccxt as unknown as { exchanges?: string[] }).exchanges ?? [];
  if (typeof ccxt[s.exchange] !== 'function' || (ids.length && !ids.includes(s.exchange))) throw inputError('EXCHANGE_UNKNOWN', `--exchange: ccxt has no exchange "${s.exchange}" (e.g. binance, kraken, coinbase, bybit, okx)`);
  const timeoutMs = s.timeoutMs ?? 10_000;
  const { ex } = await createExchange(s.exchange, { apiKey: '', secret: '', timeoutMs, baseUrl: s.baseUrl, rateLimit: s.rateLimit ?? true, options: EXCHANGE_OPTIONS[s.exchange] ?? {} });
  const failure = (e: unknown, label: string, resumeHint: string) => mapFailure(e, ccxt, label, resumeHint, s.baseUrl ?? String(Object.values(ex.urls.api)[0] ?? ''), timeoutMs);
  if (!ex.has.fetchOHLCV) throw inputError('EXCHANGE_UNKNOWN', `--exchange: ${s.exchange} offers no OHLCV history through ccxt`);
  try {
    await ex.loadMarkets();
  } catch (e) {
    throw failure(e, `${s.exchange} markets`, 'nothing stored');
  }
  return {
    exchange: s.exchange,
    pageLimit: PAGE_LIMITS[s.exchange] ?? 500,
    market: (pair) => marketOf(ex, s.exchange, pair),
    fetcher: (symbol, timeframe) => async (since, limit) => {
      const rows = (await (ex.fetchOHLCV as (s: string, tf: string, since: number, limit: number) => Promise<number[][]>)(symbol, timeframe, since, limit)) ?? [];
      return rows.map((r): Candle => ({ timestamp: r[0], open: r[1], high: r[2], low: r[3], close: r[4], volume: r[5] ?? 0 }));
    },
    failure,
  };
}

function marketOf(ex: CcxtExchange, exchange: string, pair: PairInfo): string {
  const markets = Object.values(ex.markets ?? {});
  const hit = markets.find((m) => m.base === pair.base && m.quote === pair.quote && m.spot !== false);
  if (hit) return hit.symbol;
  const same = markets.filter((m) => m.base === pair.base && m.spot !== false).map((m) => m.symbol);
  throw inputError('PAIR_NOT_AVAILABLE', `${exchange} has no ${pair.base}/${pair.quote} spot market${same.length ? `; it lists ${same.slice(0, 8).join(', ')}` : ''}`);
}

function mapFailure(e: unknown, ccxt: CcxtModule, label: string, resumeHint: string, baseUrl: string, timeoutMs: number): FfeError {
  const f = isFfeError(e) ? e : ccxtFailure(e, ccxt, { label, mutating: false, secrets: [], timeoutMs, keyHint: 'the exchange (public data needs no key)', baseUrl });
  return new FfeError(f.kind, f.code, `${f.message}; ${resumeHint}`, f.details);
}
