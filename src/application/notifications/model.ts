import type { DomainEvent, DomainEventType } from '../../core/events.js';

/** One notification, transport-neutral: Telegram, a JSON webhook and Slack each render it their way. */
export interface Notification {
  kind: 'fill' | 'stop' | 'target' | 'closed' | 'kill_switch' | 'breaker' | 'agent' | 'approval' | 'summary';
  /** One line, plain text. */
  title: string;
  /** Label → value lines under the title (plain text). */
  fields: [string, string][];
  at: number;
  /** The domain event's seq (null for the daily summary). */
  seq: number | null;
}

/** The event types that can become a notification (subscribers pass these to `api.events.subscribe`). */
export const NOTIFIED_EVENTS: readonly DomainEventType[] = ['OrderFilled', 'PositionClosed', 'KillSwitchTripped', 'BreakerStateChanged', 'AgentStateChanged', 'ApprovalRequested', 'ApprovalDecided'];

const num = (v: unknown, digits = 8): string => (typeof v === 'number' && Number.isFinite(v) ? String(Number(v.toFixed(digits))) : '-');
const str = (v: unknown): string => (v === null || v === undefined ? '-' : String(v));
const signed = (v: unknown): string => (typeof v === 'number' && Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${v.toFixed(2)}` : '-');

// Agent events worth a message: starting, stopping, recovering and failing; per-cycle chatter (transitions, skips) is not.
const AGENT_KINDS = new Set(['start', 'stopped', 'recovery', 'execution_failed', 'close_failed']);

/** The notification an event is, or null when it is not news for a person. */
export function notificationOf(e: DomainEvent): Notification | null {
  const p = e.payload;
  const base = { at: e.at, seq: e.seq };
  switch (e.type) {
    case 'OrderFilled':
      return {
        ...base,
        kind: 'fill',
        title: `Filled: ${str(p.side)} ${num(p.units)} ${str(p.pair)} at ${num(p.price)}`,
        fields: [
          ['venue', str(p.venue)],
          ['fee', num(p.fee)],
          ['order', str(p.clientOrderId)],
        ],
      };
    case 'PositionClosed': {
      const reason = str(p.exitReason);
      const kind = /stop/i.test(reason) ? 'stop' : /target|take_profit|take-profit/i.test(reason) ? 'target' : 'closed';
      const what = kind === 'stop' ? 'Stop hit' : kind === 'target' ? 'Target hit' : 'Position closed';
      return {
        ...base,
        kind,
        title: `${what}: ${str(p.pair)} ${str(p.side)} P&L ${signed(p.pnl)}`,
        fields: [
          ['entry', num(p.entryPrice)],
          ['exit', num(p.exitPrice)],
          ['units', num(p.units)],
          ['fees', num(p.fees)],
          ['reason', reason],
        ],
      };
    }
    case 'KillSwitchTripped':
      return { ...base, kind: 'kill_switch', title: `Kill switch tripped: ${str(p.message)}`, fields: [['state', str(p.state)]] };
    case 'BreakerStateChanged':
      // Opening and closing again matter to a person; half-open probes are not news.
      if (p.to !== 'open' && p.to !== 'closed') return null;
      return { ...base, kind: 'breaker', title: `Breaker ${str(p.breaker)} ${p.to === 'open' ? 'opened' : 'closed'} (${str(p.venue)})`, fields: [['reason', str(p.reason)]] };
    case 'AgentStateChanged':
      if (!AGENT_KINDS.has(String(p.kind))) return null;
      return { ...base, kind: 'agent', title: `Agent ${str(p.state)}: ${str(p.message)}`, fields: [] };
    case 'ApprovalRequested':
      return {
        ...base,
        kind: 'approval',
        title: `Approval requested: ${str(p.summary)}`,
        fields: [
          ['confidence', `${str(p.confidence)}%`],
          ['expires', new Date(Number(p.expiresAt)).toISOString()],
          ['id', str(p.approvalId)],
        ],
      };
    case 'ApprovalDecided':
      return {
        ...base,
        kind: 'approval',
        title: `Approval ${str(p.status)}: ${str(p.summary)}`,
        fields: [
          ['by', str(p.by)],
          ['id', str(p.approvalId)],
        ],
      };
    default:
      return null;
  }
}

/** Plain text of a notification: its title, then `label: value` lines. */
export function notificationText(n: Notification): string {
  return [n.title, ...n.fields.map(([k, v]) => `${k}: ${v}`)].join('\n');
}
