/**
 * Users, API keys, refresh tokens, failed-login counters and auth settings. Secrets are stored
 * only as hashes (passwords: scrypt; API keys and refresh tokens: sha256), except the TOTP secret,
 * which the server needs in the clear to compute codes; `listUsers` never returns it. Times are ms.
 */
export interface UserRecord {
  id: string;
  /** Unique. */
  name: string;
  role: string;
  passwordHash: string;
  /** Base32 TOTP secret: set by enrolment (pending until confirmed), cleared when MFA is disabled. */
  totpSecret: string | null;
  mfaEnabled: boolean;
  /** The last TOTP time step accepted for this user: a code of that step or an earlier one is refused (no replay). */
  totpLastStep: number | null;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}

/** What listing users shows: no password hash, no TOTP secret. */
export type UserSummary = Omit<UserRecord, 'passwordHash' | 'totpSecret' | 'totpLastStep'>;

/** `name` changes only by GDPR erasure (to the pseudonym). */
export type UserPatch = Partial<Pick<UserRecord, 'name' | 'role' | 'passwordHash' | 'totpSecret' | 'mfaEnabled' | 'disabled' | 'totpLastStep'>>;

export interface ApiKeyRecord {
  id: string;
  name: string;
  role: string;
  /** Visible, unique: `ffe_ab12cd34`. */
  prefix: string;
  /** sha256 (hex) of the whole key. */
  hash: string;
  createdBy: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** What listing keys shows: no hash. */
export type ApiKeySummary = Omit<ApiKeyRecord, 'hash'>;

export interface RefreshTokenRecord {
  id: string;
  userId: string;
  /** Every token rotated from one login shares the family: re-use of a retired one revokes them all. */
  familyId: string;
  /** sha256 (hex) of the token. */
  hash: string;
  createdAt: number;
  expiresAt: number;
  rotatedAt: number | null;
  revokedAt: number | null;
}

export interface LoginFailures {
  name: string;
  count: number;
  lastFailureAt: number;
  lockedUntil: number | null;
}

export interface AuthRepository {
  /** False when the name is taken (nothing written). */
  addUser(u: UserRecord): Promise<boolean>;
  userByName(name: string): Promise<UserRecord | null>;
  userById(id: string): Promise<UserRecord | null>;
  /** Oldest first. */
  listUsers(): Promise<UserSummary[]>;
  /** False when there is no such user. */
  updateUser(id: string, patch: UserPatch, at: number): Promise<boolean>;
  /** Records `step` as the user's last accepted TOTP step when it is later than the one stored; false otherwise (a replay). Atomic. */
  useTotpStep(id: string, step: number): Promise<boolean>;

  /** False when the prefix is taken. */
  addApiKey(k: ApiKeyRecord): Promise<boolean>;
  apiKeyByHash(hash: string): Promise<ApiKeyRecord | null>;
  /** By id or visible prefix. */
  findApiKey(idOrPrefix: string): Promise<ApiKeySummary | null>;
  /** Oldest first, revoked ones included. */
  listApiKeys(): Promise<ApiKeySummary[]>;
  /** False when there is no such key or it was already revoked. */
  revokeApiKey(id: string, at: number): Promise<boolean>;
  touchApiKey(id: string, at: number): Promise<void>;

  addRefreshToken(t: RefreshTokenRecord): Promise<void>;
  refreshTokenByHash(hash: string): Promise<RefreshTokenRecord | null>;
  /** Retires a live token (neither rotated nor revoked); false when it was not live any more (a concurrent refresh won). Atomic. */
  rotateRefreshToken(id: string, at: number): Promise<boolean>;
  /** Revokes every token of the family not revoked yet; returns how many. */
  revokeRefreshFamily(familyId: string, at: number): Promise<number>;
  /** Revokes every token of the user not revoked yet (password reset, disable). */
  revokeUserRefreshTokens(userId: string, at: number): Promise<number>;

  loginFailures(name: string): Promise<LoginFailures | null>;
  setLoginFailures(f: LoginFailures): Promise<void>;
  clearLoginFailures(name: string): Promise<void>;

  /** True when any user is enabled or any API key unrevoked. */
  hasCredentials(): Promise<boolean>;

  setting(key: string): Promise<string | null>;
  /** Stores `value` unless the key has one; returns the stored value either way (first writer wins across processes). */
  settingOrInit(key: string, value: string): Promise<string>;
}
