import type { Tone } from '../../components/ui';
import type { LiveEvent } from '../../lib/live';

/** One line of the agent's cycle log: a stored agent event (GET /api/v1/bot/log) or a live event. */
export interface LogEntry {
  /** Identifies the entry so the same event is shown once (from the history and live). */
  key: string;
  /** ISO time. */
  at: string;
  /** The agent event's kind (`transition`, `denied`...) or the domain event's type (`OrderFilled`...). */
  kind: string;
  /** The OODA state the agent was in, when known. */
  state: string;
  text: string;
  tone: Tone;
}

/** A stored agent event as the log route answers it (data keys in snake_case). */
export interface AgentLogEvent {
  at: string;
  kind: string;
  state: string;
  message: string;
  data?: Record<string, unknown> | null;
}

const str = (x: unknown): string => (typeof x === 'string' ? x : typeof x === 'number' ? String(x) : '');
const num = (x: unknown): number | null => {
  const n = typeof x === 'number' ? x : typeof x === 'string' && x.trim() !== '' ? Number(x) : NaN;
  return Number.isFinite(n) ? n : null;
};
const fmtNum = (x: unknown, max = 8): string => {
  const n = num(x);
  return n === null ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: max });
};
const fmtPnl = (x: unknown): string => {
  const n = num(x);
  return n === null ? '—' : `${n > 0 ? '+' : ''}${n.toFixed(2)}`;
};

const AGENT_TONES: Record<string, Tone> = {
  denied: 'warn',
  analysis_failed: 'bad',
  kill_switch: 'bad',
  stop_requested: 'warn',
  executed: 'ok',
  learned: 'info',
  skip: 'muted',
  day: 'muted',
};

/** An agent event in words: the structured data where it says more than the message (as `ffe agent` prints it). */
export function agentEventText(e: AgentLogEvent): string {
  const d = e.data ?? {};
  const pair = str(d.pair);
  if (pair && e.kind === 'denied') {
    const denials = Array.isArray(d.denials) ? (d.denials as { code?: unknown; message?: unknown }[]) : [];
    const why = denials.length ? denials.map((x) => `${str(x.message)} [${str(x.code)}]`).join('; ') : str(d.reason) || e.message;
    return `${pair} ${str(d.action)} denied: ${why}`.replace(/ {2,}/g, ' ');
  }
  if (pair && e.kind === 'executed') {
    const fills = Array.isArray(d.orders) ? (d.orders as Record<string, unknown>[]) : [];
    const done = fills.map((o) => `${str(o.side)} ${fmtNum(o.units)} @ ${fmtNum(o.price)}${o.fees !== undefined ? ` (fee ${fmtNum(o.fees, 2)})` : ''}`).join(', ');
    return `${pair} ${str(d.action)} ${str(d.status)}${done ? `: ${done}` : ''}`.replace(/ {2,}/g, ' ');
  }
  if (pair && e.kind === 'learned') return `${pair} ${str(d.side)} closed (${str(d.exit_reason ?? d.exitReason)}): P&L ${fmtPnl(d.pnl)}, recorded in memory`;
  return `${e.kind}${e.kind === 'transition' && e.state ? ` (${e.state})` : ''}: ${e.message}`;
}

/** A stored agent event as a log entry. */
export function entryOfAgentEvent(e: AgentLogEvent): LogEntry {
  return { key: `agent|${e.at}|${e.kind}|${e.message}`, at: e.at, kind: e.kind, state: e.state, text: agentEventText(e), tone: AGENT_TONES[e.kind] ?? 'muted' };
}

/** The live event types the cycle log shows. */
export const LOG_EVENT_TYPES = [
  'AgentStateChanged',
  'DecisionMade',
  'GateDenied',
  'OrderSubmitted',
  'OrderFilled',
  'OrderRejected',
  'PositionClosed',
  'TradeLearned',
  'KillSwitchTripped',
  'WeightsChanged',
  'BreakerStateChanged',
] as const;

/** A live event as a log entry (null for a type the log does not show). Agent events keep the key their stored twin has. */
export function entryOfLiveEvent(e: LiveEvent): LogEntry | null {
  const p = e.payload ?? {};
  if (typeof p.kind === 'string' && typeof p.message === 'string') {
    return entryOfAgentEvent({ at: e.at, kind: p.kind, state: str(p.state), message: p.message, data: (p.data as Record<string, unknown>) ?? null });
  }
  const base = { key: `live|${e.seq}`, at: e.at, kind: e.type, state: '' };
  const pair = str(p.pair);
  switch (e.type) {
    case 'DecisionMade': {
      const conf = num(p.confidence);
      return { ...base, text: `${pair} decision ${str(p.action)}${conf !== null ? ` (confidence ${conf} %` : ' ('}${p.provider ? `, ${str(p.provider)}` : ''})${p.degraded ? ', degraded' : ''}`, tone: 'info' };
    }
    case 'OrderSubmitted':
      return { ...base, text: `${pair} order submitted: ${str(p.side)} ${fmtNum(p.units)}`, tone: 'muted' };
    case 'OrderFilled':
      return { ...base, text: `${pair} order filled: ${str(p.side)} ${fmtNum(p.units)} @ ${fmtNum(p.price)}${p.fee !== undefined && p.fee !== null ? ` (fee ${fmtNum(p.fee, 2)})` : ''}`, tone: 'ok' };
    case 'OrderRejected':
      return { ...base, text: `${pair} order rejected: ${str(p.side)} ${fmtNum(p.units)}${p.reason ? ` (${str(p.reason)})` : ''}`, tone: 'bad' };
    case 'PositionClosed': {
      const pnl = num(p.pnl);
      return { ...base, text: `${pair} ${str(p.side)} closed (${str(p.exit_reason)}): P&L ${fmtPnl(p.pnl)}`, tone: pnl !== null && pnl < 0 ? 'bad' : 'ok' };
    }
    case 'BreakerStateChanged':
      return { ...base, text: `breaker ${str(p.breaker)}: ${str(p.from)} → ${str(p.to)}${p.reason ? ` (${str(p.reason)})` : ''}`, tone: str(p.to) === 'OPEN' ? 'bad' : 'muted' };
    default:
      return (LOG_EVENT_TYPES as readonly string[]).includes(e.type) ? { ...base, text: e.type, tone: 'muted' } : null;
  }
}

/** Live entries and the stored history in one list: newest first, each event once, at most `max`. */
export function mergeLog(live: readonly LogEntry[], history: readonly LogEntry[], max = 200): LogEntry[] {
  const seen = new Set<string>();
  const out: LogEntry[] = [];
  for (const e of [...live, ...history]) {
    if (seen.has(e.key)) continue;
    seen.add(e.key);
    out.push(e);
  }
  out.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  return out.slice(0, max);
}

/** HH:MM:SS of an ISO time (UTC), with the date when it is not `today`. */
export function logTime(iso: string, today = new Date().toISOString().slice(0, 10)): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const s = d.toISOString();
  return s.slice(0, 10) === today ? s.slice(11, 19) : `${s.slice(0, 10)} ${s.slice(11, 19)}`;
}
