import { inputError } from '../../core/errors.js';
import { passwordProblem } from './passwords.js';
import { can, isRole, ROLES, type Role } from './roles.js';
import type { Principal } from './principal.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/** A user or API key name: 1–64 of letters, digits, `.`, `_`, `-`, `@`, starting with a letter or digit. */
export function checkName(name: unknown, field = 'name'): string {
  if (typeof name !== 'string' || !NAME.test(name)) throw inputError('USER_NAME_INVALID', `${field}: 1–64 characters of letters, digits, '.', '_', '-' or '@', starting with a letter or digit`, { field });
  return name;
}

export function checkRole(role: unknown): Role {
  if (typeof role !== 'string' || !isRole(role)) throw inputError('ROLE_INVALID', `role: one of ${ROLES.join(', ')}`, { field: 'role' });
  return role;
}

export function checkPassword(password: unknown): string {
  const problem = typeof password === 'string' ? passwordProblem(password) : 'password: a string';
  if (problem) throw inputError('PASSWORD_INVALID', problem, { field: 'password' });
  return password as string;
}

/** Managing users and keys needs the admin permission (routes check it too; the use case does not rely on them). */
export function requireAdmin(by: Principal): void {
  if (!can(by.role, 'admin')) throw inputError('AUTH_FORBIDDEN', `${by.name} (${by.role}) may not manage users or API keys: that needs the admin role`);
}
