import { buildFundamentalsSection } from '../analysis/fundamentals.js';
import { FfeError, inputError, isFfeError } from '../core/errors.js';
import type { FundamentalRecord, FundamentalsSection } from '../core/fundamentals.js';
import { classifyPair } from '../core/pair.js';
import type { FundamentalsSummary } from '../store/port.js';
import type { Runtime } from './runtime.js';

/** Most tickers one fetch takes: each costs three rate-limited calls (about 25 s at the free tier). */
export const MAX_FETCH_SYMBOLS = 20;

export interface FundamentalsFetchResult {
  symbol: string;
  /** Records written (earnings quarters, income quarters and years, one overview). */
  records: number;
  earningsQuarters: number;
  /** Newest earnings publication date in the reply. */
  latestReport: string | null;
  fetchedAt: number;
}

export interface FundamentalsShow {
  symbol: string;
  asOf: number;
  /** The price the valuation used, and where it came from; null when no price was at hand (no P/E then). */
  price: number | null;
  priceNote: string;
  /** Null: nothing stored for the symbol was visible at `asOf`. */
  section: FundamentalsSection | null;
  /** The visible records behind it, newest first per kind. */
  records: FundamentalRecord[];
}

/** A ticker FFE classifies as a stock, upper case; anything else is FUNDAMENTALS_NOT_STOCK naming it. */
function stockSymbol(input: string): string {
  const p = classifyPair(input);
  if (p.assetClass !== 'stock') throw inputError('FUNDAMENTALS_NOT_STOCK', `fundamentals exist for stocks only; "${input}" is ${p.assetClass} (give a ticker such as IBM)`, { pair: input });
  return p.symbol;
}

/**
 * Company fundamentals: fetched on request from Alpha Vantage (needs its key), stored point in
 * time, shown as of any moment. Decisions read them from the store (src/analysis/fundamentals.ts);
 * nothing here runs unless asked.
 */
export function fundamentalsUseCases(rt: Runtime) {
  const { app } = rt;
  return {
    /**
     * Fetches OVERVIEW, EARNINGS and INCOME_STATEMENT of each ticker and stores the records, one
     * ticker at a time (each ticker all or nothing). Every ticker is checked before any call.
     * A failure names the tickers already stored.
     */
    async fetch(symbols: readonly string[], signal?: AbortSignal): Promise<FundamentalsFetchResult[]> {
      if (symbols.length === 0) throw inputError('FUNDAMENTALS_NOT_STOCK', 'symbols: give at least one stock ticker');
      if (symbols.length > MAX_FETCH_SYMBOLS) throw inputError('FUNDAMENTALS_NOT_STOCK', `symbols: at most ${MAX_FETCH_SYMBOLS} per fetch, got ${symbols.length}`);
      const wanted = [...new Set(symbols.map(stockSymbol))];
      const av = app.config.data.alpha_vantage;
      // Loaded here: commands that never fetch do not load the HTTP client.
      const { AlphaVantageFundamentals } = await import('../data/alpha-vantage/fundamentals.js');
      const source = new AlphaVantageFundamentals({
        apiKey: av.api_key ?? '',
        baseUrl: av.base_url,
        requestsPerMinute: av.requests_per_minute,
        cacheTtlMs: av.cache_ttl_seconds * 1000,
        timeoutMs: av.timeout_ms,
        clock: app.clock,
      });
      const done: FundamentalsFetchResult[] = [];
      for (const symbol of wanted) {
        try {
          const fetchedAt = app.clock.now();
          const records = await source.fetch(symbol, signal, fetchedAt);
          const written = await app.store.fundamentals.save(records);
          const earnings = records.filter((r) => r.kind === 'earnings_quarterly');
          const latest = earnings.map((r) => r.reportedDate ?? '').reduce((a, b) => (a > b ? a : b), '');
          done.push({ symbol, records: written, earningsQuarters: earnings.length, latestReport: latest || null, fetchedAt });
        } catch (e) {
          if (!isFfeError(e) || done.length === 0) throw e;
          throw new FfeError(e.kind, e.code, `${symbol}: ${e.message} (stored before it: ${done.map((d) => d.symbol).join(', ')})`, e.details);
        }
      }
      return done;
    },

    /**
     * The section a decision at `asOf` (default now) would see, and the records behind it. The
     * price is the market data's last quote at `asOf` when there is one (offline sample data has
     * few stocks); without it the valuation ratios are null and `priceNote` says why.
     */
    async show(input: string, asOf?: number): Promise<FundamentalsShow> {
      const symbol = stockSymbol(input);
      const when = asOf ?? app.clock.now();
      const records = await app.store.fundamentals.visible(symbol, when);
      let price: number | null = null;
      let priceNote: string;
      try {
        const q = await app.marketData.latestQuote(symbol, when);
        price = q.price;
        priceNote = `last quote ${new Date(q.timestamp).toISOString()} (${q.source})`;
      } catch (e) {
        if (!isFfeError(e)) throw e;
        priceNote = `no price: ${e.message}`;
      }
      return { symbol, asOf: when, price, priceNote, section: buildFundamentalsSection(symbol, when, price ?? Number.NaN, records), records };
    },

    /** Every ticker with stored fundamentals. */
    list(): Promise<FundamentalsSummary[]> {
      return app.store.fundamentals.symbols();
    },
  };
}
