import type { ApiKeySummary, UserSummary } from '../../store/port.js';
import type { Role } from './roles.js';

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** A user as every interface shows it (snake_case, like the API): never a password hash or TOTP secret. */
export interface UserView {
  id: string;
  name: string;
  role: Role;
  mfa: boolean;
  disabled: boolean;
  created_at: string;
  updated_at: string;
}

export const userView = (u: UserSummary): UserView => ({
  id: u.id,
  name: u.name,
  role: u.role as Role,
  mfa: u.mfaEnabled,
  disabled: u.disabled,
  created_at: new Date(u.createdAt).toISOString(),
  updated_at: new Date(u.updatedAt).toISOString(),
});

/** An API key as listed: its visible prefix, never the key or its hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export const apiKeyView = (k: ApiKeySummary): ApiKeyView => ({
  id: k.id,
  name: k.name,
  role: k.role as Role,
  prefix: k.prefix,
  created_by: k.createdBy,
  created_at: new Date(k.createdAt).toISOString(),
  last_used_at: isoOrNull(k.lastUsedAt),
  revoked_at: isoOrNull(k.revokedAt),
});
