import { z } from 'zod';

/** An asset pair as typed (`BTCUSD`, `btc-usd`, `EUR_USD`); the use case standardizes and checks it. */
export const assetPair = z.string().trim().min(1).max(32).describe('asset pair, e.g. BTCUSD');

/** A record id (ULID or a caller-chosen id). */
export const recordId = z.string().min(1).max(128);

/** `?limit=` as query strings carry it. */
export const limitQuery = (def: number, max: number) => z.coerce.number().int().min(1).max(max).default(def);
