/**
 * The server's permission matrix (src/application/auth/roles.ts), mirrored so the dashboard offers
 * only what a role may do. The API refuses the rest anyway: this decides what is shown, not what is allowed.
 */
export const ROLES = ['viewer', 'analyst', 'trader', 'operator', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
export type Permission = 'read' | 'backtest' | 'trade' | 'operate' | 'admin' | 'audit';

const VIEWER: readonly Permission[] = ['read'];
const ANALYST: readonly Permission[] = [...VIEWER, 'backtest'];
const TRADER: readonly Permission[] = [...ANALYST, 'trade'];
const OPERATOR: readonly Permission[] = [...TRADER, 'operate'];
const MATRIX: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: VIEWER,
  analyst: ANALYST,
  trader: TRADER,
  operator: OPERATOR,
  admin: [...OPERATOR, 'admin', 'audit'],
  auditor: ['audit'],
};

export const can = (role: Role | null | undefined, permission: Permission): boolean => !!role && (MATRIX[role] ?? []).includes(permission);
