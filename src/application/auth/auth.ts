import { ulid } from 'ulid';
import { inputError } from '../../core/errors.js';
import type { UserRecord } from '../../store/port.js';
import type { Runtime } from '../runtime.js';
import { isApiKeyShaped, newApiKey, normalizePrefix } from './api-keys.js';
import { afterFailure, loginWaitMs, type LockoutPolicy } from './lockout.js';
import { dummyHash, generatePassword, hashPassword, PASSWORD_MAX, verifyPassword } from './passwords.js';
import { principalLabel, type Principal } from './principal.js';
import { sha256 } from './random.js';
import type { Role } from './roles.js';
import { newJwtSecret, newRefreshToken, signAccessToken, verifyAccessToken } from './tokens.js';
import { newTotpSecret, otpauthUri, totpStep } from './totp.js';
import { checkName, checkPassword, checkRole, requireAdmin } from './validate.js';
import { apiKeyView, userView, type ApiKeyView, type UserView } from './views.js';

export type { ApiKeyView, UserView } from './views.js';

export interface LoginResult {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  /** Seconds the access token lives. */
  expires_in: number;
  principal: Principal;
}

export interface AuthOptions {
  /** Time source in ms (default: the runtime's clock). */
  now?: () => number;
  /** How long a verified API key is trusted from memory before the store is asked again. */
  keyCacheMs?: number;
}

const JWT_SECRET_SETTING = 'jwt_secret';
/** last_used_at is a hint, not an audit trail: written at most once a minute per key. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Users, API keys, login tokens and MFA. `authenticate` is on every API request's path: API keys
 * verified once are kept in memory for a few seconds (revoking here drops them at once; another
 * process notices within that time), and access tokens are checked by signature alone.
 */
export function authUseCases(rt: Runtime, opts: AuthOptions = {}) {
  const repo = () => rt.app.store.auth;
  const cfg = () => rt.app.config.auth;
  const now = opts.now ?? (() => rt.app.clock.now());
  const keyCacheMs = opts.keyCacheMs ?? 5_000;
  const keyCache = new Map<string, { principal: Principal; until: number }>();
  const touched = new Map<string, number>();
  /** Users disabled through this process: their access tokens stop working here at once, not at expiry. */
  const disabledHere = new Set<string>();
  let secret: Promise<Uint8Array> | null = null;

  const policy = (): LockoutPolicy => ({ maxFailures: cfg().lockout.max_failures, baseDelayMs: cfg().lockout.base_delay_ms, lockoutMs: cfg().lockout.lockout_seconds * 1000 });

  const signingKey = (): Promise<Uint8Array> =>
    (secret ??= (async () => {
      const configured = cfg().jwt_secret;
      const value = configured ?? (await repo().settingOrInit(JWT_SECRET_SETTING, newJwtSecret()));
      return new TextEncoder().encode(value);
    })().catch((e: unknown) => {
      secret = null;
      throw e;
    }));

  async function userNamed(name: string): Promise<UserRecord> {
    const u = await repo().userByName(checkName(name));
    if (!u) throw inputError('USER_NOT_FOUND', `no user named "${name}" (\`ffe user list\`)`);
    return u;
  }

  async function issue(u: UserRecord, familyId: string, at: number): Promise<LoginResult> {
    const principal: Principal = { kind: 'user', id: u.id, name: u.name, role: u.role as Role };
    const ttl = cfg().access_ttl_seconds;
    const access = await signAccessToken(await signingKey(), principal, at, ttl);
    const refresh = newRefreshToken();
    await repo().addRefreshToken({ id: ulid(), userId: u.id, familyId, hash: refresh.hash, createdAt: at, expiresAt: at + cfg().refresh_ttl_seconds * 1000, rotatedAt: null, revokedAt: null });
    return { access_token: access, refresh_token: refresh.token, token_type: 'Bearer', expires_in: ttl, principal };
  }

  async function recordFailure(name: string, at: number): Promise<void> {
    await repo().setLoginFailures(afterFailure(await repo().loginFailures(name), name, at, policy()));
  }

  /** Accepts a TOTP code once: it must match the secret within ±1 step and be later than the last code accepted. */
  async function acceptTotp(u: UserRecord, code: unknown, at: number): Promise<boolean> {
    if (typeof code !== 'string' || !u.totpSecret) return false;
    const step = totpStep(u.totpSecret, code.trim(), at);
    return step !== null && (await repo().useTotpStep(u.id, step));
  }

  async function authenticateKey(key: string): Promise<Principal> {
    const hash = sha256(key);
    const at = now();
    let principal = keyCache.get(hash);
    if (!principal || principal.until <= at) {
      keyCache.delete(hash);
      const rec = isApiKeyShaped(key) ? await repo().apiKeyByHash(hash) : null;
      if (!rec || rec.revokedAt !== null) throw inputError('AUTH_INVALID', 'the API key is not valid (unknown or revoked)');
      principal = { principal: { kind: 'api_key', id: rec.id, name: rec.name, role: rec.role as Role }, until: at + keyCacheMs };
      keyCache.set(hash, principal);
      if (!touched.has(rec.id) && rec.lastUsedAt !== null) touched.set(rec.id, rec.lastUsedAt);
    }
    const id = principal.principal.id;
    if (at - (touched.get(id) ?? -Infinity) >= TOUCH_EVERY_MS) {
      touched.set(id, at);
      await repo().touchApiKey(id, at);
    }
    return principal.principal;
  }

  /** Refuses to leave no enabled admin user: nobody could then manage users or clear an emergency stop over the API. */
  async function keepAnAdmin(u: UserRecord, verb: string): Promise<void> {
    if (u.role !== 'admin' || u.disabled) return;
    const others = (await repo().listUsers()).filter((o) => o.id !== u.id && o.role === 'admin' && !o.disabled);
    if (others.length === 0) throw inputError('LAST_ADMIN', `"${u.name}" is the last enabled admin: create or promote another admin before you ${verb} this one`);
  }

  return {
    async createUser(input: { name: string; role: string; password?: string }, by: Principal): Promise<{ user: UserView; password?: string }> {
      requireAdmin(by);
      const name = checkName(input.name);
      const role = checkRole(input.role);
      const generated = input.password === undefined ? generatePassword() : undefined;
      const password = generated ?? checkPassword(input.password);
      const at = now();
      const rec: UserRecord = { id: ulid(), name, role, passwordHash: await hashPassword(password), totpSecret: null, mfaEnabled: false, totpLastStep: null, disabled: false, createdAt: at, updatedAt: at };
      if (!(await repo().addUser(rec))) throw inputError('USER_EXISTS', `a user named "${name}" exists`, { field: 'name' });
      return generated ? { user: userView(rec), password: generated } : { user: userView(rec) };
    },

    async listUsers(): Promise<UserView[]> {
      return (await repo().listUsers()).map(userView);
    },

    async setRole(name: string, role: string, by: Principal): Promise<UserView> {
      requireAdmin(by);
      const r = checkRole(role);
      const u = await userNamed(name);
      if (r !== 'admin') await keepAnAdmin(u, 'demote');
      await repo().updateUser(u.id, { role: r }, now());
      // Sessions carry the role in their access tokens: end them so the new role applies at the next login.
      await repo().revokeUserRefreshTokens(u.id, now());
      return userView((await repo().userById(u.id))!);
    },

    async disableUser(name: string, by: Principal): Promise<UserView> {
      requireAdmin(by);
      const u = await userNamed(name);
      await keepAnAdmin(u, 'disable');
      await repo().updateUser(u.id, { disabled: true }, now());
      await repo().revokeUserRefreshTokens(u.id, now());
      disabledHere.add(u.id);
      return userView((await repo().userById(u.id))!);
    },

    async resetPassword(name: string, password: string | undefined, by: Principal): Promise<{ user: UserView; password?: string }> {
      requireAdmin(by);
      const u = await userNamed(name);
      const generated = password === undefined ? generatePassword() : undefined;
      const hash = await hashPassword(generated ?? checkPassword(password));
      await repo().updateUser(u.id, { passwordHash: hash }, now());
      await repo().revokeUserRefreshTokens(u.id, now());
      await repo().clearLoginFailures(u.name);
      const user = userView((await repo().userById(u.id))!);
      return generated ? { user, password: generated } : { user };
    },

    async login(input: { name: string; password: string; totp?: string }, _ip?: string): Promise<LoginResult> {
      const at = now();
      const name = typeof input.name === 'string' ? input.name : '';
      const wait = loginWaitMs(await repo().loginFailures(name), at, policy());
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        throw inputError('LOGIN_LOCKED', `too many failed logins for "${name}": try again in ${seconds} s`, { retry_after_seconds: seconds });
      }
      const u = name ? await repo().userByName(name) : null;
      // Verify against a dummy hash for an unknown name: the same work, the same answer, nothing revealed.
      // An over-long password is wrong without hashing all of it (scrypt's cost grows with the input).
      const given = typeof input.password === 'string' && input.password.length <= PASSWORD_MAX ? input.password : '';
      const ok = await verifyPassword(given, u?.passwordHash ?? (await dummyHash()));
      if (!u || !ok || u.disabled) {
        await recordFailure(name, at);
        throw inputError('LOGIN_FAILED', 'wrong user name or password');
      }
      if (u.mfaEnabled) {
        if (input.totp === undefined || input.totp === '') throw inputError('MFA_REQUIRED', `"${u.name}" has MFA enrolled: send the 6-digit code from the authenticator app`, { field: 'totp' });
        if (!(await acceptTotp(u, input.totp, at))) {
          await recordFailure(name, at);
          throw inputError('MFA_INVALID', 'the MFA code is wrong, expired or already used', { field: 'totp' });
        }
      } else if (u.role === 'admin' && cfg().require_mfa_for_admin) {
        throw inputError('MFA_ENROLLMENT_REQUIRED', `admins must use MFA (auth.require_mfa_for_admin): enrol with \`ffe user mfa enroll ${u.name}\` and confirm it first`);
      }
      await repo().clearLoginFailures(name);
      return issue(u, ulid(), at);
    },

    async refresh(refreshToken: string): Promise<LoginResult> {
      const at = now();
      const rec = typeof refreshToken === 'string' && refreshToken ? await repo().refreshTokenByHash(sha256(refreshToken)) : null;
      if (!rec) throw inputError('REFRESH_INVALID', 'the refresh token is not valid; log in again');
      if (rec.rotatedAt !== null) {
        // A retired token came back: it was copied. End the whole login, thief's and owner's tokens alike.
        await repo().revokeRefreshFamily(rec.familyId, at);
        throw inputError('REFRESH_REUSED', 'the refresh token was already used; every token of this login is revoked: log in again');
      }
      if (rec.revokedAt !== null || rec.expiresAt <= at) throw inputError('REFRESH_INVALID', 'the refresh token expired or was revoked; log in again');
      if (!(await repo().rotateRefreshToken(rec.id, at))) {
        await repo().revokeRefreshFamily(rec.familyId, at);
        throw inputError('REFRESH_REUSED', 'the refresh token was used twice at once; every token of this login is revoked: log in again');
      }
      const u = await repo().userById(rec.userId);
      if (!u || u.disabled) {
        await repo().revokeRefreshFamily(rec.familyId, at);
        throw inputError('REFRESH_INVALID', 'the refresh token is not valid; log in again');
      }
      return issue(u, rec.familyId, at);
    },

    /** Ends the login the refresh token belongs to; an unknown token is not an error (logging out twice is fine). */
    async logout(refreshToken: string): Promise<void> {
      const rec = typeof refreshToken === 'string' && refreshToken ? await repo().refreshTokenByHash(sha256(refreshToken)) : null;
      if (rec) await repo().revokeRefreshFamily(rec.familyId, now());
    },

    /** `Bearer <token>` or the bare token: an access JWT, or an API key (`ffe_...`). */
    async authenticate(bearer: string): Promise<Principal> {
      const token = (typeof bearer === 'string' ? bearer : '').replace(/^Bearer\s+/i, '').trim();
      if (!token) throw inputError('AUTH_REQUIRED', 'authentication required: send `Authorization: Bearer <access token or API key>`');
      if (token.startsWith('ffe_')) return authenticateKey(token);
      const p = await verifyAccessToken(await signingKey(), token, now());
      if (disabledHere.has(p.id)) throw inputError('AUTH_INVALID', 'the user is disabled');
      return p;
    },

    async createApiKey(input: { name: string; role: string }, by: Principal): Promise<ApiKeyView & { key: string }> {
      requireAdmin(by);
      const name = checkName(input.name);
      const role = checkRole(input.role);
      const at = now();
      // A prefix collision (1 in 62^8 per pair) just draws again.
      for (;;) {
        const k = newApiKey();
        const rec = { id: ulid(), name, role, prefix: k.prefix, hash: k.hash, createdBy: principalLabel(by), createdAt: at, lastUsedAt: null, revokedAt: null };
        if (await repo().addApiKey(rec)) return { ...apiKeyView(rec), key: k.key };
      }
    },

    async listApiKeys(): Promise<ApiKeyView[]> {
      return (await repo().listApiKeys()).map(apiKeyView);
    },

    async revokeApiKey(idOrPrefix: string, by: Principal): Promise<ApiKeyView> {
      requireAdmin(by);
      const k = typeof idOrPrefix === 'string' && idOrPrefix ? await repo().findApiKey(normalizePrefix(idOrPrefix.trim())) : null;
      if (!k) throw inputError('API_KEY_NOT_FOUND', `no API key with id or prefix "${idOrPrefix}" (\`ffe apikey list\`)`);
      if (!(await repo().revokeApiKey(k.id, now()))) throw inputError('API_KEY_REVOKED', `API key ${k.prefix} was already revoked`);
      for (const [hash, c] of keyCache) if (c.principal.id === k.id) keyCache.delete(hash);
      return apiKeyView((await repo().findApiKey(k.id))!);
    },

    /** Starts enrolment: a new secret, pending until `confirmMfa` proves the app has it. */
    async enrollMfa(name: string): Promise<{ secret: string; otpauth_uri: string }> {
      const u = await userNamed(name);
      if (u.mfaEnabled) throw inputError('MFA_ALREADY_ENABLED', `"${u.name}" already has MFA; disable it first to enrol a new device`);
      const secretB32 = newTotpSecret();
      await repo().updateUser(u.id, { totpSecret: secretB32, totpLastStep: null }, now());
      return { secret: secretB32, otpauth_uri: otpauthUri(secretB32, u.name) };
    },

    async confirmMfa(name: string, code: string): Promise<UserView> {
      const u = await userNamed(name);
      if (u.mfaEnabled) throw inputError('MFA_ALREADY_ENABLED', `"${u.name}" already has MFA enabled`);
      if (!u.totpSecret) throw inputError('MFA_NOT_ENROLLED', `"${u.name}" has no pending MFA enrolment: \`ffe user mfa enroll ${u.name}\` first`);
      if (!(await acceptTotp(u, code, now()))) throw inputError('MFA_INVALID', 'the MFA code is wrong, expired or already used', { field: 'code' });
      await repo().updateUser(u.id, { mfaEnabled: true }, now());
      return userView((await repo().userById(u.id))!);
    },

    /** An admin, or the user themself. */
    async disableMfa(name: string, by: Principal): Promise<UserView> {
      const u = await userNamed(name);
      if (!(by.kind === 'user' && by.id === u.id)) requireAdmin(by);
      await repo().updateUser(u.id, { totpSecret: null, mfaEnabled: false, totpLastStep: null }, now());
      return userView((await repo().userById(u.id))!);
    },

    /** Any enabled user or unrevoked API key: `ffe serve` binds beyond loopback only then. */
    hasCredentials(): Promise<boolean> {
      return repo().hasCredentials();
    },
  };
}

export type AuthUseCases = ReturnType<typeof authUseCases>;
