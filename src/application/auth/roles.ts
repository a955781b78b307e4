/**
 * Roles and what each may do: the one permission matrix. Every API route, `ffe-ctl` command and
 * Telegram action declares one of these permissions; a role holds a permission when the matrix
 * below lists it. Roles are cumulative except `auditor`, which reads the audit log and nothing else.
 */
export const ROLES = ['viewer', 'analyst', 'trader', 'operator', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  /** Status, portfolio, positions, decisions, approvals, memory, metrics, backtest results, events. */
  'read',
  /** Run, watch and cancel backtest jobs (backtest, walk-forward, Monte Carlo, optimise); request an analysis. */
  'backtest',
  /** Manual trades, approving or rejecting decisions, closing positions. */
  'trade',
  /** Start, stop and emergency-stop the bot; change its live settings. */
  'operate',
  /** Users, API keys, clearing an emergency stop. */
  'admin',
  /** The audit log. */
  'audit',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const VIEWER: readonly Permission[] = ['read'];
const ANALYST: readonly Permission[] = [...VIEWER, 'backtest'];
const TRADER: readonly Permission[] = [...ANALYST, 'trade'];
const OPERATOR: readonly Permission[] = [...TRADER, 'operate'];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: VIEWER,
  analyst: ANALYST,
  trader: TRADER,
  operator: OPERATOR,
  admin: [...OPERATOR, 'admin', 'audit'],
  auditor: ['audit'],
};

export const can = (role: Role, permission: Permission): boolean => ROLE_PERMISSIONS[role].includes(permission);

export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);

/** The least role holding `permission` in the cumulative chain (viewer … admin). */
export const leastRoleFor = (permission: Permission): Role => ROLES.find((r) => r !== 'auditor' && can(r, permission))!;

/**
 * Who holds `permission`, for refusal messages: "the trader role or one above it", "the admin role",
 * or "the auditor or admin role" (auditor sits outside the chain, so "above" would mislead).
 */
export function rolesHolding(permission: Permission): string {
  const least = leastRoleFor(permission);
  if (can('auditor', permission)) return `the auditor or ${least} role`;
  return least === 'admin' ? 'the admin role' : `the ${least} role or one above it`;
}
