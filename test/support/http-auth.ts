import type { Principal } from '../../src/application/auth/principal.js';
import { ROLES, type Role } from '../../src/application/auth/roles.js';
import { FfeError } from '../../src/core/errors.js';

/** One fixed token per role (`test-token-viewer`...), until the real authenticator lands. */
export const tokenFor = (role: Role) => `test-token-${role}`;

const PRINCIPALS = new Map<string, Principal>(ROLES.map((role) => [tokenFor(role), { kind: 'api_key', id: `key-${role}`, name: `test-${role}`, role }]));

/** A server authenticator over the fixed tokens: unknown tokens are refused (401). */
export async function testAuthenticate(bearer: string): Promise<Principal> {
  const p = PRINCIPALS.get(bearer);
  if (!p) throw new FfeError('input', 'UNAUTHENTICATED', 'invalid or expired credentials');
  return p;
}
