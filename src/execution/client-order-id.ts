import { createHash } from 'node:crypto';

/**
 * Deterministic client order id: the same decision leg (or close request) always gets the same
 * id, so a retry after a crash finds the first attempt instead of placing a second order.
 * 32 characters, inside every venue's limit (Oanda 128, Coinbase 128).
 */
export function clientOrderId(...parts: (string | number)[]): string {
  return `ffe-${createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 28)}`;
}
