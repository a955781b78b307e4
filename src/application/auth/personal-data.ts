import { inputError } from '../../core/errors.js';
import type { Store } from '../../store/port.js';
import { eraseRecords, exportRecords } from '../gdpr/records.js';
import type { DataSubject, PersonalDataSection } from '../gdpr/personal-data.js';
import { userView } from './views.js';

/** A password hash nothing verifies against (scrypt hashes start with `scrypt$`). */
export const ERASED_PASSWORD = 'erased';

/**
 * The user record, its role and MFA status, the API keys it created, its login sessions (refresh
 * tokens), failed-login counters and idempotency keys. Never a password hash, TOTP secret, key
 * hash or token hash.
 */
export const authSection: PersonalDataSection = {
  name: 'auth',
  async export(store: Store, subject: DataSubject) {
    const u = await store.auth.userById(subject.id);
    const rows = await exportRecords(store, 'auth', subject);
    return {
      profile: u ? { ...userView(u), mfa_pending: !u.mfaEnabled && u.totpSecret !== null } : null,
      api_keys_created: rows.auth_api_keys,
      sessions: rows.auth_refresh_tokens,
      login_failures: rows.auth_login_failures,
      idempotency_keys: rows.idempotency_keys,
    };
  },
  async erase(tx: Store, subject: DataSubject, pseudonym: string) {
    const u = await tx.auth.userById(subject.id);
    if (!u) return 0;
    if (u.role === 'admin' && !u.disabled) {
      const others = (await tx.auth.listUsers()).filter((o) => o.id !== u.id && o.role === 'admin' && !o.disabled);
      if (others.length === 0) throw inputError('LAST_ADMIN', `"${u.name}" is the last enabled admin: create or promote another admin before erasing this one`);
    }
    await tx.auth.updateUser(u.id, { name: pseudonym, passwordHash: ERASED_PASSWORD, totpSecret: null, mfaEnabled: false, totpLastStep: null, disabled: true }, u.updatedAt);
    return 1 + (await eraseRecords(tx, 'auth', subject, pseudonym));
  },
  retained:
    'The user record, pseudonymised and disabled (id, pseudonym, role, creation time): it anchors the pseudonymised audit entries and trade records. API keys the user created stay (they belong to the installation) with their creator pseudonymised. Legal basis: legitimate interest (Art. 6(1)(f)) in an accountable record of who held which access.',
};
