import type { ApiKeyRecord, ApiKeySummary, AuthRepository, LoginFailures, RefreshTokenRecord, UserPatch, UserRecord, UserSummary } from '../port.js';
import type { FieldCipher } from '../field-cipher.js';
import { placeOf } from '../sealed-columns.js';
import type { Session } from '../session.js';

type UserRow = {
  id: string;
  name: string;
  role: string;
  password_hash: string;
  totp_secret: string | null;
  mfa_enabled: number;
  totp_last_step: number | null;
  disabled: number;
  created_at: number;
  updated_at: number;
};
type ApiKeyRow = { id: string; name: string; role: string; prefix: string; hash: string; created_by: string; created_at: number; last_used_at: number | null; revoked_at: number | null };
type RefreshRow = { id: string; user_id: string; family_id: string; hash: string; created_at: number; expires_at: number; rotated_at: number | null; revoked_at: number | null };
type FailureRow = { name: string; count: number; last_failure_at: number; locked_until: number | null };
type SettingRow = { key: string; value: string };

export type AuthTables = { auth_users: UserRow; auth_api_keys: ApiKeyRow; auth_refresh_tokens: RefreshRow; auth_login_failures: FailureRow; auth_settings: SettingRow };

const num = (v: number | null): number | null => (v === null ? null : Number(v));
const SUMMARY_COLUMNS = ['id', 'name', 'role', 'mfa_enabled', 'disabled', 'created_at', 'updated_at'] as const;
const toSummary = (r: Pick<UserRow, (typeof SUMMARY_COLUMNS)[number]>): UserSummary => ({
  id: r.id,
  name: r.name,
  role: r.role,
  mfaEnabled: r.mfa_enabled === 1,
  disabled: r.disabled === 1,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});
/** The TOTP secret is encrypted at rest (src/store/sealed-columns.ts) when a key is set. */
const TOTP_PLACE = placeOf({ table: 'auth_users', column: 'totp_secret' });
const KEY_COLUMNS = ['id', 'name', 'role', 'prefix', 'created_by', 'created_at', 'last_used_at', 'revoked_at'] as const;
const toKeySummary = (r: Pick<ApiKeyRow, (typeof KEY_COLUMNS)[number]>): ApiKeySummary => ({
  id: r.id,
  name: r.name,
  role: r.role,
  prefix: r.prefix,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
  lastUsedAt: num(r.last_used_at),
  revokedAt: num(r.revoked_at),
});
const toRefresh = (r: RefreshRow): RefreshTokenRecord => ({
  id: r.id,
  userId: r.user_id,
  familyId: r.family_id,
  hash: r.hash,
  createdAt: Number(r.created_at),
  expiresAt: Number(r.expires_at),
  rotatedAt: num(r.rotated_at),
  revokedAt: num(r.revoked_at),
});

/** Each write is one statement (atomic against other processes on the file); conditional updates carry their condition in the WHERE. */
export class SqliteAuthRepository implements AuthRepository {
  private readonly db;

  constructor(
    sqlite: Session,
    private readonly cipher: () => FieldCipher,
  ) {
    this.db = sqlite.db.withTables<AuthTables>();
  }

  private toUser(r: UserRow): UserRecord {
    const totpSecret = r.totp_secret === null ? null : this.cipher().open(r.totp_secret, TOTP_PLACE);
    return { ...toSummary(r), passwordHash: r.password_hash, totpSecret, totpLastStep: num(r.totp_last_step) };
  }

  private sealTotp(secret: string | null): string | null {
    return secret === null ? null : this.cipher().seal(secret, TOTP_PLACE);
  }

  async addUser(u: UserRecord): Promise<boolean> {
    const r = await this.db
      .insertInto('auth_users')
      .values({
        id: u.id,
        name: u.name,
        role: u.role,
        password_hash: u.passwordHash,
        totp_secret: this.sealTotp(u.totpSecret),
        mfa_enabled: u.mfaEnabled ? 1 : 0,
        totp_last_step: u.totpLastStep,
        disabled: u.disabled ? 1 : 0,
        created_at: u.createdAt,
        updated_at: u.updatedAt,
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async userByName(name: string): Promise<UserRecord | null> {
    const r = await this.db.selectFrom('auth_users').selectAll().where('name', '=', name).executeTakeFirst();
    return r ? this.toUser(r) : null;
  }

  async userById(id: string): Promise<UserRecord | null> {
    const r = await this.db.selectFrom('auth_users').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? this.toUser(r) : null;
  }

  async listUsers(): Promise<UserSummary[]> {
    const rows = await this.db.selectFrom('auth_users').select(SUMMARY_COLUMNS).orderBy('created_at').orderBy('id').execute();
    return rows.map(toSummary);
  }

  async updateUser(id: string, p: UserPatch, at: number): Promise<boolean> {
    const set: Partial<UserRow> = { updated_at: at };
    if (p.name !== undefined) set.name = p.name;
    if (p.role !== undefined) set.role = p.role;
    if (p.passwordHash !== undefined) set.password_hash = p.passwordHash;
    if (p.totpSecret !== undefined) set.totp_secret = this.sealTotp(p.totpSecret);
    if (p.mfaEnabled !== undefined) set.mfa_enabled = p.mfaEnabled ? 1 : 0;
    if (p.disabled !== undefined) set.disabled = p.disabled ? 1 : 0;
    if (p.totpLastStep !== undefined) set.totp_last_step = p.totpLastStep;
    const r = await this.db.updateTable('auth_users').set(set).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async useTotpStep(id: string, step: number): Promise<boolean> {
    const r = await this.db
      .updateTable('auth_users')
      .set({ totp_last_step: step })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async addApiKey(k: ApiKeyRecord): Promise<boolean> {
    const r = await this.db
      .insertInto('auth_api_keys')
      .values({
        id: k.id,
        name: k.name,
        role: k.role,
        prefix: k.prefix,
        hash: k.hash,
        created_by: k.createdBy,
        created_at: k.createdAt,
        last_used_at: k.lastUsedAt,
        revoked_at: k.revokedAt,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async apiKeyByHash(hash: string): Promise<ApiKeyRecord | null> {
    const r = await this.db.selectFrom('auth_api_keys').selectAll().where('hash', '=', hash).executeTakeFirst();
    return r ? { ...toKeySummary(r), hash: r.hash } : null;
  }

  async findApiKey(idOrPrefix: string): Promise<ApiKeySummary | null> {
    const r = await this.db
      .selectFrom('auth_api_keys')
      .select(KEY_COLUMNS)
      .where((eb) => eb.or([eb('id', '=', idOrPrefix), eb('prefix', '=', idOrPrefix)]))
      .executeTakeFirst();
    return r ? toKeySummary(r) : null;
  }

  async listApiKeys(): Promise<ApiKeySummary[]> {
    return (await this.db.selectFrom('auth_api_keys').select(KEY_COLUMNS).orderBy('created_at').orderBy('id').execute()).map(toKeySummary);
  }

  async revokeApiKey(id: string, at: number): Promise<boolean> {
    const r = await this.db.updateTable('auth_api_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async touchApiKey(id: string, at: number): Promise<void> {
    await this.db.updateTable('auth_api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  async addRefreshToken(t: RefreshTokenRecord): Promise<void> {
    await this.db
      .insertInto('auth_refresh_tokens')
      .values({ id: t.id, user_id: t.userId, family_id: t.familyId, hash: t.hash, created_at: t.createdAt, expires_at: t.expiresAt, rotated_at: t.rotatedAt, revoked_at: t.revokedAt })
      .execute();
  }

  async refreshTokenByHash(hash: string): Promise<RefreshTokenRecord | null> {
    const r = await this.db.selectFrom('auth_refresh_tokens').selectAll().where('hash', '=', hash).executeTakeFirst();
    return r ? toRefresh(r) : null;
  }

  async rotateRefreshToken(id: string, at: number): Promise<boolean> {
    const r = await this.db.updateTable('auth_refresh_tokens').set({ rotated_at: at }).where('id', '=', id).where('rotated_at', 'is', null).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async revokeRefreshFamily(familyId: string, at: number): Promise<number> {
    const r = await this.db.updateTable('auth_refresh_tokens').set({ revoked_at: at }).where('family_id', '=', familyId).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async revokeUserRefreshTokens(userId: string, at: number): Promise<number> {
    const r = await this.db.updateTable('auth_refresh_tokens').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async loginFailures(name: string): Promise<LoginFailures | null> {
    const r = await this.db.selectFrom('auth_login_failures').selectAll().where('name', '=', name).executeTakeFirst();
    return r ? { name: r.name, count: Number(r.count), lastFailureAt: Number(r.last_failure_at), lockedUntil: num(r.locked_until) } : null;
  }

  async setLoginFailures(f: LoginFailures): Promise<void> {
    const row = { count: f.count, last_failure_at: f.lastFailureAt, locked_until: f.lockedUntil };
    await this.db
      .insertInto('auth_login_failures')
      .values({ name: f.name, ...row })
      .onConflict((oc) => oc.column('name').doUpdateSet(row))
      .execute();
  }

  async clearLoginFailures(name: string): Promise<void> {
    await this.db.deleteFrom('auth_login_failures').where('name', '=', name).execute();
  }

  async hasCredentials(): Promise<boolean> {
    const user = await this.db.selectFrom('auth_users').select('id').where('disabled', '=', 0).limit(1).executeTakeFirst();
    if (user) return true;
    const key = await this.db.selectFrom('auth_api_keys').select('id').where('revoked_at', 'is', null).limit(1).executeTakeFirst();
    return key !== undefined;
  }

  async setting(key: string): Promise<string | null> {
    const r = await this.db.selectFrom('auth_settings').select('value').where('key', '=', key).executeTakeFirst();
    return r?.value ?? null;
  }

  async settingOrInit(key: string, value: string): Promise<string> {
    await this.db
      .insertInto('auth_settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    return (await this.setting(key))!;
  }
}
