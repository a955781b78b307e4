import type { AgentEvent } from '../../application/types.js';
import { minute, money, price, units } from './format.js';

interface Denial {
  code: string;
  message: string;
}
interface Fill {
  side: string;
  units: string | number;
  price: string | number | null;
  fees?: string | number;
}

const str = (x: unknown): string => (typeof x === 'string' ? x : '');

/** What happened, in words and formatted numbers; null when the event carries no structured data to say it better than its message. */
function sentence(e: AgentEvent): string | null {
  const d = e.data ?? {};
  const pair = str(d.pair);
  if (!pair) return null;
  if (e.kind === 'denied') {
    const denials = Array.isArray(d.denials) ? (d.denials as Denial[]) : [];
    const why = denials.length ? denials.map((x) => `${x.message} [${x.code}]`).join('; ') : str(d.reason) || e.message;
    return `${pair} ${str(d.action)} denied: ${why}`;
  }
  if (e.kind === 'executed') {
    const fills = Array.isArray(d.orders) ? (d.orders as Fill[]) : [];
    const done = fills.map((o) => `${o.side} ${units(o.units, pair)} @ ${price(o.price, pair)}${o.fees !== undefined ? ` (fee ${money(o.fees)})` : ''}`).join(', ');
    return `${pair} ${str(d.action)} ${str(d.status)}${done ? `: ${done}` : ''}`;
  }
  if (e.kind === 'learned') return `${pair} ${str(d.side)} closed (${str(d.exitReason)}): P&L ${money(d.pnl as number)}, recorded in memory`;
  return null;
}

/**
 * One readable line per agent event: `2024-03-01 14:00 ETHUSD SELL denied: daily loss 2.31% ≥
 * 2.00% [DAILY_LOSS_LIMIT]`. `verbose` adds the event's data as JSON on the next line (the raw
 * codes, values and limits); without it no JSON reaches a person.
 */
export function agentEventLine(e: AgentEvent, verbose = false): string {
  const line = `${minute(e.at)} ${sentence(e) ?? `${e.kind}${e.kind === 'transition' ? ` (${e.state})` : ''}: ${e.message}`}`;
  return verbose && e.data && Object.keys(e.data).length ? `${line}\n    ${JSON.stringify(e.data)}` : line;
}
