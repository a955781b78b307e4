import { createHash } from 'node:crypto';

/**
 * The client order id sent to an exchange: ours when it fits the exchange's free-text limit,
 * otherwise a UUID derived from it (every ccxt exchange we use accepts the 36-character UUID
 * form), so the same order id always maps to the same wire id and a lookup finds it again.
 */
export function wireClientId(clientOrderId: string, maxFreeText: number): string {
  if (clientOrderId.length <= maxFreeText && /^[A-Za-z0-9_-]+$/.test(clientOrderId)) return clientOrderId;
  const h = createHash('sha256').update(clientOrderId).digest('hex');
  // Version 4 / variant 1 bits set, so strict UUID validators accept it.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
