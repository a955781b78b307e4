import type { Query } from '../../lib/api';
import { ROLES, type Role } from '../../lib/roles';

/** The API's shapes (src/application/auth/views.ts, src/interfaces/http/routes/audit.ts). */
export interface User {
  id: string;
  name: string;
  role: Role;
  mfa: boolean;
  disabled: boolean;
  created_at: string;
  updated_at: string;
}

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  params: Record<string, unknown>;
  result: 'ok' | 'denied' | 'error';
  error_code: string | null;
  request_id: string | null;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  next_cursor: string | null;
}

export interface AuditVerify {
  ok: boolean;
  checked: number;
  from_seq: number;
  first_problem?: { seq: number; problem: 'altered' | 'missing' | 'reordered'; detail: string };
}

export interface AuditFilters {
  action: string;
  actor: string;
  /** `YYYY-MM-DDTHH:mm` as a datetime-local input gives it, read as UTC (every time on the page is UTC). */
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilters = { action: '', actor: '', from: '', to: '' };

/** A datetime-local value (`2026-12-06T05:40`) read as UTC, as ISO 8601; `end` makes it inclusive of its whole minute. */
export function utcInputToIso(value: string, end = false): string | undefined {
  const v = value.trim();
  if (!v) return undefined;
  const withSeconds = /T\d{2}:\d{2}$/.test(v) ? `${v}:${end ? '59.999' : '00'}` : /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T${end ? '23:59:59.999' : '00:00:00'}` : v;
  const d = new Date(withSeconds.endsWith('Z') ? withSeconds : `${withSeconds}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The filters as GET /api/v1/audit's query (empty fields left out). */
export function auditQuery(f: AuditFilters, cursor?: string | null, limit = 50): Query {
  return {
    limit,
    cursor: cursor ?? undefined,
    action: f.action.trim() || undefined,
    actor: f.actor.trim() || undefined,
    from: utcInputToIso(f.from),
    to: utcInputToIso(f.to, true),
  };
}

/** Why the filters cannot be sent, or null. */
export function auditFiltersError(f: AuditFilters): string | null {
  if (f.from.trim() && !utcInputToIso(f.from)) return 'From is not a date and time';
  if (f.to.trim() && !utcInputToIso(f.to, true)) return 'To is not a date and time';
  const from = utcInputToIso(f.from);
  const to = utcInputToIso(f.to, true);
  if (from && to && from > to) return 'From is after To';
  return null;
}

/** The verification answer as one line and a tone. */
export function verifyStatus(v: AuditVerify): { tone: 'ok' | 'bad'; label: string; detail: string } {
  if (v.ok) return { tone: 'ok', label: 'Chain intact', detail: `${v.checked} ${v.checked === 1 ? 'entry' : 'entries'} verified from #${v.from_seq}` };
  const p = v.first_problem;
  if (!p) return { tone: 'bad', label: 'Chain broken', detail: `verification failed after ${v.checked} entries` };
  return { tone: 'bad', label: `Chain broken at #${p.seq}`, detail: `entry ${p.problem}: ${p.detail}` };
}

const short = (v: unknown): string => {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'string') return v.length > 40 ? `${v.slice(0, 39)}…` : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
};

/** An entry's parameters as `key=value` pairs, shortened (the full JSON goes in the cell's title). */
export function paramsSummary(params: Record<string, unknown>, max = 4): string {
  const keys = Object.keys(params);
  if (keys.length === 0) return '—';
  const shown = keys.slice(0, max).map((k) => `${k}=${short(params[k])}`);
  return keys.length > max ? `${shown.join(' ')} +${keys.length - max}` : shown.join(' ');
}

export const resultTone = (r: AuditEntry['result']): 'ok' | 'warn' | 'bad' => (r === 'ok' ? 'ok' : r === 'denied' ? 'warn' : 'bad');

export const isRole = (r: string): r is Role => (ROLES as readonly string[]).includes(r);

/** The server's name rule (trimmed, 1–64 characters): the message to show, or null. */
export function nameError(name: string): string | null {
  const n = name.trim();
  if (!n) return 'Name is required';
  if (n.length > 64) return 'Name is at most 64 characters';
  return null;
}

/** Users sorted for the table: enabled first, then by name. */
export const sortUsers = (users: readonly User[]): User[] => [...users].sort((a, b) => Number(a.disabled) - Number(b.disabled) || a.name.localeCompare(b.name));

/** Keys sorted for the table: active first, newest first. */
export const sortKeys = (keys: readonly ApiKey[]): ApiKey[] => [...keys].sort((a, b) => Number(!!a.revoked_at) - Number(!!b.revoked_at) || b.created_at.localeCompare(a.created_at));

/** Enabled admins: the server refuses to demote or disable the last one, so the page does not offer it. */
export const isLastAdmin = (u: User, users: readonly User[]): boolean => u.role === 'admin' && !u.disabled && users.filter((o) => o.role === 'admin' && !o.disabled).length <= 1;
