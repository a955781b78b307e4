import { inputError } from '../../core/errors.js';
import type { UserRecord } from '../../store/port.js';
import { verifyPassword, PASSWORD_MAX } from '../auth/passwords.js';
import { ERASED_PASSWORD } from '../auth/personal-data.js';
import { principalLabel, type Principal } from '../auth/principal.js';
import { checkName, requireAdmin } from '../auth/validate.js';
import type { Runtime } from '../runtime.js';
import { eraseSubject, type ErasureResult } from './erase.js';
import { exportSubject, type ExportDocument } from './export.js';
import { rotateKeys, type RotationReport } from './keys.js';

export type { ErasureResult } from './erase.js';
export type { ExportDocument } from './export.js';
export type { RotationReport } from './keys.js';

/** The request an erasure or export came with (recorded in the erasure's audit entry). */
export interface RequestContext {
  requestId?: string | null;
  ip?: string | null;
}

/**
 * GDPR: a user's export of everything held about them (their own, or any user's for an admin),
 * erasure (their own after re-authenticating, or an admin's), and rotation of the key encrypting
 * personal fields and credentials at rest. See docs/gdpr.md.
 */
export function gdprUseCases(rt: Runtime) {
  const store = () => rt.app.store;
  const now = () => rt.app.clock.now();

  async function userNamed(name: string): Promise<UserRecord> {
    const u = await store().auth.userByName(checkName(name));
    if (!u) throw inputError('USER_NOT_FOUND', `no user named "${name}" (\`ffe user list\`)`);
    return u;
  }

  /** The caller's own user: API keys and the local operator hold no personal data of their own. */
  async function ownUser(p: Principal): Promise<UserRecord> {
    const u = p.kind === 'user' ? await store().auth.userById(p.id) : null;
    if (!u || u.name !== p.name)
      throw inputError('GDPR_NOT_A_USER', `${principalLabel(p)} is not a user account: export and account deletion are for logged-in users (an admin exports anyone with \`ffe user export NAME\`)`);
    return u;
  }

  return {
    /** GET /api/v1/gdpr/export: the caller's own document. */
    async exportOwn(p: Principal): Promise<ExportDocument> {
      const u = await ownUser(p);
      return exportSubject(store(), { id: u.id, name: u.name }, now());
    },

    /** An admin's export of any user (also a pseudonymised one, by its pseudonym). */
    async exportUser(name: string, by: Principal): Promise<ExportDocument> {
      requireAdmin(by);
      const u = await userNamed(name);
      return exportSubject(store(), { id: u.id, name: u.name }, now());
    },

    /** POST /api/v1/gdpr/delete-account: the caller confirms with their own name and password. */
    async deleteAccount(input: { confirm: string; password: string }, p: Principal, ctx: RequestContext = {}): Promise<ErasureResult> {
      const u = await ownUser(p);
      if (input.confirm !== u.name) throw inputError('GDPR_CONFIRM_MISMATCH', `confirm: type your own user name ("${u.name}") to confirm the deletion`, { field: 'confirm' });
      const given = typeof input.password === 'string' && input.password.length <= PASSWORD_MAX ? input.password : '';
      if (!(await verifyPassword(given, u.passwordHash))) throw inputError('GDPR_REAUTH_FAILED', 'password: wrong password; the account was not deleted', { field: 'password' });
      return eraseSubject(store(), { id: u.id, name: u.name }, { self: true, requestId: ctx.requestId }, now());
    },

    /** An admin erases a user (POST /api/v1/users/:name/erase, `ffe user erase NAME --yes`). */
    async eraseUser(name: string, by: Principal, ctx: RequestContext = {}): Promise<ErasureResult> {
      requireAdmin(by);
      const u = await userNamed(name);
      if (u.passwordHash === ERASED_PASSWORD) throw inputError('GDPR_ALREADY_ERASED', `"${u.name}" is already an erased account`);
      return eraseSubject(store(), { id: u.id, name: u.name }, { self: false, actor: principalLabel(by), role: by.role, requestId: ctx.requestId, ip: ctx.ip }, now());
    },

    /** `ffe keys rotate`: re-seals every encrypted field with FFE_ENCRYPTION_KEY. */
    rotateKeys(env: Record<string, string | undefined> = process.env): Promise<RotationReport> {
      return rotateKeys(store(), env);
    },
  };
}

export type GdprUseCases = ReturnType<typeof gdprUseCases>;
