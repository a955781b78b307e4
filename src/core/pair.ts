import { inputError } from './errors.js';

export type AssetClass = 'crypto' | 'forex' | 'stock';

/** ISO currency codes the engine treats as fiat legs of forex pairs. */
export const FIAT_CODES = new Set([
  'USD',
  'EUR',
  'GBP',
  'JPY',
  'CHF',
  'CAD',
  'AUD',
  'NZD',
  'CNY',
  'CNH',
  'HKD',
  'SGD',
  'SEK',
  'NOK',
  'DKK',
  'PLN',
  'CZK',
  'HUF',
  'TRY',
  'ZAR',
  'MXN',
  'BRL',
  'INR',
  'KRW',
  'THB',
  'ILS',
  'RUB',
]);

/** Crypto assets (bases) and the stablecoins that serve as quotes. */
export const CRYPTO_CODES = new Set([
  'BTC',
  'ETH',
  'SOL',
  'XRP',
  'LTC',
  'BCH',
  'ADA',
  'DOT',
  'LINK',
  'DOGE',
  'AVAX',
  'MATIC',
  'POL',
  'UNI',
  'AAVE',
  'SAND',
  'MANA',
  'SUSHI',
  'CRV',
  'COMP',
  'MKR',
  'SNX',
  'YFI',
  'ATOM',
  'XLM',
  'TRX',
  'ETC',
  'FIL',
  'NEAR',
  'APT',
  'ARB',
  'OP',
  'SHIB',
  'PEPE',
  'BNB',
  'TON',
  'SUI',
  'XMR',
  'ALGO',
  'XTZ',
  'EOS',
]);
export const STABLE_CODES = new Set(['USDT', 'USDC', 'DAI', 'BUSD', 'TUSD', 'FDUSD']);

/**
 * Canonical form of a pair: letters and digits only, upper case (`btc-usd`, `BTC_USD`,
 * `"BTC/USD"`, ` eth usd ` → `BTCUSD`, `ETHUSD`).
 */
export function standardizeAssetPair(input: unknown): string {
  if (typeof input !== 'string' || input.trim() === '') {
    throw inputError('PAIR_EMPTY', 'asset pair must be a non-empty string (e.g. BTCUSD, EUR/USD, SPY)');
  }
  const out = input.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  if (out === '') {
    throw inputError('PAIR_INVALID', `asset pair "${input}" must contain letters or digits (e.g. BTCUSD, EUR/USD, SPY)`);
  }
  // Only separators are dropped: any other character (an emoji, a non-ASCII letter) would
  // otherwise vanish silently and `BTC💥USD` would quietly mean BTCUSD.
  const stray = input.replace(/[A-Za-z0-9\s\-_/.:"']/g, '');
  if (stray !== '') {
    throw inputError('PAIR_INVALID', `asset pair "${input}" contains "${[...stray][0]}": use letters and digits, optionally split by - _ / or a space (e.g. BTCUSD, EUR/USD, SPY)`);
  }
  if (out.length > 20) {
    throw inputError('PAIR_INVALID', `asset pair "${input}" is too long (${out.length} characters; at most 20)`);
  }
  return out;
}

export interface PairInfo {
  /** Canonical symbol, e.g. `BTCUSD`. */
  symbol: string;
  assetClass: AssetClass;
  base: string;
  /** Quote currency; stocks are quoted in USD. */
  quote: string;
}

const QUOTES_BY_LENGTH = [...STABLE_CODES, ...FIAT_CODES, ...CRYPTO_CODES].sort((a, b) => b.length - a.length);

/**
 * Splits and classifies a canonical pair. Crypto: a known crypto base followed by a fiat,
 * stablecoin or crypto quote. Forex: two known fiat codes. Anything else of 1–5 letters is a
 * stock ticker quoted in USD.
 */
export function classifyPair(symbol: string): PairInfo {
  const s = standardizeAssetPair(symbol);
  for (const quote of QUOTES_BY_LENGTH) {
    if (s.length > quote.length && s.endsWith(quote)) {
      const base = s.slice(0, -quote.length);
      if (CRYPTO_CODES.has(base) || STABLE_CODES.has(base)) return { symbol: s, assetClass: 'crypto', base, quote };
      if (FIAT_CODES.has(base) && FIAT_CODES.has(quote)) return { symbol: s, assetClass: 'forex', base, quote };
    }
  }
  if (/^[A-Z]{1,5}$/.test(s)) return { symbol: s, assetClass: 'stock', base: s, quote: 'USD' };
  throw inputError('PAIR_UNKNOWN', `cannot classify "${s}" as crypto (e.g. BTCUSD), forex (e.g. EURUSD) or a stock ticker (e.g. SPY)`);
}

/** Human form, e.g. `BTC/USD`. */
export const displayPair = (p: PairInfo): string => (p.assetClass === 'stock' ? p.base : `${p.base}/${p.quote}`);
