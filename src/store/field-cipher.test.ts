import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FieldCipher, isSealed, NO_CIPHER, parseDataKey, sealedKeyId } from './field-cipher.js';

const hexKey = () => randomBytes(32).toString('hex');
const cipherOf = (raw: string, previous?: string) => FieldCipher.fromEnv({ FFE_ENCRYPTION_KEY: raw, FFE_ENCRYPTION_KEY_PREVIOUS: previous });
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return { code: (e as { code: string }).code, message: (e as Error).message };
  }
  return null;
};

/** Flips one bit of one byte of a base64url part (index 3: iv, 4: ciphertext, 5: tag). */
function flip(sealed: string, part: number): string {
  const parts = sealed.split(':');
  const b = Buffer.from(parts[part], 'base64url');
  b[0] ^= 1;
  parts[part] = b.toString('base64url');
  return parts.join(':');
}

describe('field cipher (AES-256-GCM)', () => {
  it('seals to enc:v1:<key id>:..., opens back, and never seals the same text to the same string', () => {
    const c = cipherOf(hexKey());
    const a = c.seal('JBSWY3DPEHPK3PXP', 'auth_users.totp_secret');
    const b = c.seal('JBSWY3DPEHPK3PXP', 'auth_users.totp_secret');
    expect(a).toMatch(/^enc:v1:[0-9a-f]{8}:[\w-]{16}:[\w-]+:[\w-]{22}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('JBSWY3DP');
    expect(sealedKeyId(a)).toBe(c.current!.id);
    expect(c.open(a, 'auth_users.totp_secret')).toBe('JBSWY3DPEHPK3PXP');
    expect(c.open(b, 'auth_users.totp_secret')).toBe('JBSWY3DPEHPK3PXP');
    expect(c.open('', 'x.y')).toBe('');
    expect(c.open(c.seal('', 'x.y'), 'x.y')).toBe('');
  });

  it('a flipped byte in the IV, the ciphertext or the tag is refused, and so is a value moved to another column', () => {
    const c = cipherOf(hexKey());
    const s = c.seal('note: call me on +44 20 7946 0000', 'rec.note');
    for (const part of [3, 4, 5]) expect(codeOf(() => c.open(flip(s, part), 'rec.note'))?.code).toBe('ENCRYPTED_VALUE_CORRUPT');
    const moved = codeOf(() => c.open(s, 'auth_users.totp_secret'));
    expect(moved?.code).toBe('ENCRYPTED_VALUE_CORRUPT');
    expect(moved?.message).toContain('auth_users.totp_secret');
    expect(codeOf(() => c.open(s.slice(0, -3), 'rec.note'))?.code).toBe('ENCRYPTED_VALUE_CORRUPT');
    expect(codeOf(() => c.open('enc:v1:abc', 'rec.note'))?.code).toBe('ENCRYPTED_VALUE_CORRUPT');
  });

  it('without a key values stay plain, and a sealed value is refused naming FFE_ENCRYPTION_KEY (no plaintext fallback)', () => {
    expect(NO_CIPHER.enabled).toBe(false);
    expect(NO_CIPHER.seal('secret', 't.c')).toBe('secret');
    expect(NO_CIPHER.open('plain', 't.c')).toBe('plain');
    const sealed = cipherOf(hexKey()).seal('secret', 't.c');
    const e = codeOf(() => NO_CIPHER.open(sealed, 't.c'));
    expect(e?.code).toBe('ENCRYPTION_KEY_MISSING');
    expect(e?.message).toContain('FFE_ENCRYPTION_KEY');
  });

  it('a wrong key is refused by its id; during a rotation the previous key opens and the current one seals', () => {
    const oldKey = hexKey();
    const newKey = randomBytes(32).toString('base64');
    const old = cipherOf(oldKey);
    const sealed = old.seal('secret', 't.c');
    const wrong = codeOf(() => cipherOf(newKey).open(sealed, 't.c'));
    expect(wrong?.code).toBe('ENCRYPTION_KEY_WRONG');
    expect(wrong?.message).toContain(old.current!.id);
    const rotating = cipherOf(newKey, oldKey);
    const resealed = rotating.reseal(sealed, 't.c');
    expect(sealedKeyId(resealed)).toBe(rotating.current!.id);
    expect(cipherOf(newKey).open(resealed, 't.c')).toBe('secret');
    expect(codeOf(() => old.open(resealed, 't.c'))?.code).toBe('ENCRYPTION_KEY_WRONG');
    expect(isSealed(rotating.reseal('plain', 't.c'))).toBe(true);
  });

  it('keys: 64 hex or base64/base64url of 32 bytes; anything else names the variable and not the value', () => {
    const raw = randomBytes(32);
    const id = parseDataKey(raw.toString('hex')).id;
    expect(parseDataKey(raw.toString('base64')).id).toBe(id);
    expect(parseDataKey(raw.toString('base64url')).id).toBe(id);
    for (const bad of ['short', 'ab'.repeat(31), randomBytes(16).toString('base64'), 'z'.repeat(64)]) {
      const e = codeOf(() => cipherOf(bad));
      expect(e?.code).toBe('ENCRYPTION_KEY_INVALID');
      expect(e?.message).toContain('FFE_ENCRYPTION_KEY');
      expect(e?.message).not.toContain(bad);
    }
    expect(codeOf(() => FieldCipher.fromEnv({ FFE_ENCRYPTION_KEY_PREVIOUS: hexKey() }))?.code).toBe('ENCRYPTION_KEY_MISSING');
    expect(FieldCipher.fromEnv({}).enabled).toBe(false);
  });
});
