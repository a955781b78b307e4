import { createInterface } from 'node:readline/promises';
import { FfeError, inputError } from '../../../core/errors.js';
import type { Position } from '../../../core/order.js';
import type { ExecutionResult, GateResult, OrderIntent } from '../../../application/types.js';
import { quoteCurrency } from '../../../core/precision.js';
import { money, price, table, units } from '../format.js';

/** Shared output of the trading commands (execute, close, positions). */
export function gateText(g: GateResult): string {
  const lines = [g.approved ? 'risk gate: APPROVED' : `risk gate: DENIED (${g.denials.map((d) => d.code).join(', ')})`];
  for (const c of g.checks) lines.push(`  ${c.status.toUpperCase().padEnd(8)} ${c.check}${c.code ? ` [${c.code}]` : ''}: ${c.message}`);
  return lines.join('\n');
}

export function ordersTable(orders: readonly OrderIntent[]): string {
  return table(
    ['client order id', 'pair', 'side', 'units', 'state', 'filled', 'avg price', 'fees', 'venue order'],
    orders.map((o) => [o.clientOrderId, o.pair, o.side, units(o.units, o.pair), o.state, units(o.filledUnits, o.pair), price(o.averagePrice, o.pair), money(o.fees, quoteCurrency(o.pair)), o.venueOrderId ?? '-']),
  );
}

export function positionsTable(positions: readonly Position[]): string {
  return table(
    ['id', 'venue', 'pair', 'side', 'units', 'entry', 'mark', 'unrealized P&L', 'stop', 'take profit'],
    positions.map((p) => [
      p.id,
      p.venue,
      p.pair,
      p.side,
      units(p.units, p.pair),
      price(p.entryPrice, p.pair),
      price(p.markPrice, p.pair),
      money(p.unrealizedPnl, quoteCurrency(p.pair)),
      price(p.stopLossPrice, p.pair),
      price(p.takeProfitPrice, p.pair),
    ]),
  );
}

export function resultText(r: ExecutionResult, showGate = true): string {
  const lines = [`${r.mode} account, venue ${r.venue}: ${r.status.toUpperCase()}${r.resumed ? ' (finished an earlier, interrupted run)' : ''}`];
  if (r.gate && (showGate || !r.gate.approved)) lines.push(gateText(r.gate));
  if (r.orders.length) lines.push(ordersTable(r.orders));
  for (const o of r.orders) if (o.reason) lines.push(`${o.clientOrderId}: ${o.reason}`);
  return lines.join('\n');
}

/** Turns an unsuccessful order outcome into the error that sets the exit code (1). */
export function failureOf(r: ExecutionResult): FfeError | null {
  if (r.status === 'denied') {
    return new FfeError('risk', 'RISK_DENIED', `order refused by the risk gate: ${r.gate!.denials.map((d) => `${d.code} (${d.message})`).join('; ')}`, {
      codes: r.gate!.denials.map((d) => d.code),
    });
  }
  if (r.status === 'rejected') return new FfeError('venue', 'ORDER_REJECTED', `the venue rejected the order: ${r.orders.map((o) => o.reason).join('; ')}`);
  if (r.status === 'unknown') {
    return new FfeError('venue', 'ORDER_OUTCOME_UNKNOWN', 'the venue has not confirmed the order yet; run `ffe reconcile` to settle it (it will not be sent twice)');
  }
  return null;
}

/** Asks on a terminal; refuses (exit 2) when there is no one to ask and --yes was not given. */
export async function confirm(question: string, yes: boolean | undefined): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) throw inputError('CONFIRMATION_REQUIRED', 'standard input is not a terminal: pass --yes to send the order without a confirmation');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
