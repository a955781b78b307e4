import { classifyPair, CRYPTO_CODES, STABLE_CODES, type PairInfo } from './pair.js';
import { unitDecimals } from './policy.js';

/** Currencies without minor units (ISO 4217 exponent 0). */
const ZERO_DECIMAL = new Set(['JPY', 'KRW', 'HUF']);

/**
 * Decimal places an amount of `currency` is shown with: 2 for fiat and stablecoins (cents), 0 for
 * currencies without minor units, 8 for crypto assets (satoshis).
 */
export function currencyDecimals(currency: string): number {
  const c = currency.toUpperCase();
  if (ZERO_DECIMAL.has(c)) return 0;
  if (CRYPTO_CODES.has(c) && !STABLE_CODES.has(c)) return 8;
  return 2;
}

function info(pair: string): PairInfo | null {
  try {
    return classifyPair(pair);
  } catch {
    return null;
  }
}

/**
 * Decimal places a price of `pair` is quoted with: forex 5 (3 against the yen), stocks 2, crypto
 * against fiat or a stablecoin 2, crypto against crypto 8. A coin worth less than 1 needs more
 * places to say anything: `price` (a sample) then keeps 4 significant digits. Unknown pairs: 2.
 */
export function priceDecimals(pair: string, price?: number): number {
  const p = info(pair);
  if (!p) return 2;
  if (p.assetClass === 'forex') return p.quote === 'JPY' ? 3 : 5;
  if (p.assetClass === 'stock') return 2;
  if (currencyDecimals(p.quote) === 8) return 8;
  if (price !== undefined && Number.isFinite(price) && price !== 0 && Math.abs(price) < 1) return Math.min(10, Math.max(2, 3 - Math.floor(Math.log10(Math.abs(price)))));
  return 2;
}

/** Decimal places an order's units of `pair` are sent with (see `unitDecimals`); unknown pairs: 8. */
export function pairUnitDecimals(pair: string): number {
  const p = info(pair);
  return p ? unitDecimals(p.assetClass) : 8;
}

/** The quote currency of `pair` (what its prices, fees and P&L are counted in); unknown pairs: USD. */
export const quoteCurrency = (pair: string): string => info(pair)?.quote ?? 'USD';
