import type { Role } from './roles.js';

/**
 * Who is calling: a user (logged in with a password, and TOTP when enrolled) or an API key.
 * Interfaces authenticate the caller to one of these, check its role against the route's
 * permission, and pass it to use cases that record who did what (audit, kill switch).
 */
export interface Principal {
  kind: 'user' | 'api_key' | 'local';
  /** User id or API key id ('local' for the operator at the machine's own CLI). */
  id: string;
  /** User name, or the key's name. */
  name: string;
  role: Role;
}

/** The operator at the machine's own terminal (`ffe ...`): the CLI has the data home's file permissions, so it acts as admin. */
export const LOCAL_OPERATOR: Principal = { kind: 'local', id: 'local', name: 'local-cli', role: 'admin' };

/** How a principal is named in records: `user:alice`, `api_key:ci-bot`, `local:local-cli`. */
export const principalLabel = (p: Principal): string => `${p.kind}:${p.name}`;
