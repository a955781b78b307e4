import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FieldCipher } from '../../../src/store/field-cipher.js';
import type { Store } from '../../../src/store/port.js';
import { SEALED_COLUMNS } from '../../../src/store/sealed-columns.js';
import { cipherFor } from '../../../src/store/sealed-check.js';
import { userRecord } from './auth.contract.js';
import type { StoreContext } from './context.js';

const TOTP = SEALED_COLUMNS.find((c) => c.table === 'auth_users' && c.column === 'totp_secret')!;
const keyEnv = () => ({ FFE_ENCRYPTION_KEY: randomBytes(32).toString('hex') });
/** Every engine's store is a SessionStore: the cipher is set on it, not through the port (the composition root installs it). */
const useCipher = (s: Store, c: FieldCipher) => (s as Store & { useCipher(c: FieldCipher): void }).useCipher(c);
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as { code: string; message: string },
  );

export function sealedContract(ctx: StoreContext): void {
  describe('encrypted columns', () => {
    it('without a key the TOTP secret is stored plain; with one it is stored sealed and read back plain, also inside a transaction', async () => {
      const s = await ctx.open();
      await s.auth.addUser(userRecord('u1', 'alice', { totpSecret: 'JBSWY3DPEHPK3PXP' }));
      expect(await s.sealed.values(TOTP)).toEqual([{ id: 'u1', value: 'JBSWY3DPEHPK3PXP' }]);
      expect(await s.sealed.state(TOTP)).toEqual({ keyIds: [], sealed: 0, plain: 1 });
      const env = keyEnv();
      const cipher = FieldCipher.fromEnv(env);
      useCipher(s, cipher);
      await s.transaction(async (tx) => {
        await tx.auth.addUser(userRecord('u2', 'bob', { totpSecret: 'KRSXG5CTMVRXEZLU' }));
        expect((await tx.auth.userById('u2'))?.totpSecret).toBe('KRSXG5CTMVRXEZLU');
      });
      await s.auth.updateUser('u1', { totpSecret: 'GEZDGNBVGY3TQOJQ' }, 2);
      const raw = await s.sealed.values(TOTP);
      expect(raw.map((r) => r.value.startsWith(`enc:v1:${cipher.current!.id}:`))).toEqual([true, true]);
      expect(JSON.stringify(raw)).not.toMatch(/KRSXG5|GEZDGN/);
      expect((await s.auth.userByName('alice'))?.totpSecret).toBe('GEZDGNBVGY3TQOJQ');
      expect(await s.sealed.state(TOTP)).toEqual({ keyIds: [cipher.current!.id], sealed: 2, plain: 0 });
      expect((await cipherFor(s, env)).current?.id).toBe(cipher.current!.id);
    });

    it('a tampered value is refused; a store with sealed values refuses to open its cipher without the key or with another one', async () => {
      const s = await ctx.open();
      const env = keyEnv();
      useCipher(s, FieldCipher.fromEnv(env));
      await s.auth.addUser(userRecord('u1', 'alice', { totpSecret: 'JBSWY3DPEHPK3PXP' }));
      const [{ value }] = await s.sealed.values(TOTP);
      const flipped = value.slice(0, -2) + (value.at(-2) === 'A' ? 'B' : 'A') + value.at(-1);
      expect(await s.sealed.set(TOTP, 'u1', flipped)).toBe(true);
      expect((await failure(s.auth.userById('u1')))?.code).toBe('ENCRYPTED_VALUE_CORRUPT');
      const missing = await failure(cipherFor(s, {}));
      expect(missing?.code).toBe('ENCRYPTION_KEY_MISSING');
      expect(missing?.message).toContain('FFE_ENCRYPTION_KEY');
      expect((await failure(cipherFor(s, keyEnv())))?.code).toBe('ENCRYPTION_KEY_WRONG');
      expect(await s.sealed.set(TOTP, 'nobody', 'x')).toBe(false);
    });
  });
}
