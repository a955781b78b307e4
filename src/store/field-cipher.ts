import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { FfeError } from '../core/errors.js';

/** The environment variable holding the data key, and the one holding the key being rotated away from. */
export const KEY_ENV = 'FFE_ENCRYPTION_KEY';
export const PREVIOUS_KEY_ENV = 'FFE_ENCRYPTION_KEY_PREVIOUS';

/** Every sealed value starts with this; the version names the format (AES-256-GCM, 96-bit IV, 128-bit tag). */
export const SEALED_PREFIX = 'enc:v1:';
const KEY_ID_LENGTH = 8;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** One 256-bit key and its id: the first 8 hex characters of sha256(key), which names the key in sealed values without revealing it. */
export interface DataKey {
  id: string;
  key: Buffer;
}

const keyIdOf = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, KEY_ID_LENGTH);

/**
 * A 32-byte key written as 64 hex characters or as base64 / base64url (`openssl rand -base64 32`).
 * Anything else is a config error naming the variable (never repeating the value: it is a key).
 */
export function parseDataKey(raw: string, variable = KEY_ENV): DataKey {
  const text = raw.trim();
  let key: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(text)) key = Buffer.from(text, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (!key || key.length !== 32) throw new FfeError('config', 'ENCRYPTION_KEY_INVALID', `${variable}: expected a 32-byte key as 64 hex characters or base64 (generate one with \`openssl rand -base64 32\`)`);
  return { id: keyIdOf(key), key };
}

/** The key id a sealed value names, or null for a plain value. */
export function sealedKeyId(value: string): string | null {
  return value.startsWith(SEALED_PREFIX) ? value.slice(SEALED_PREFIX.length, SEALED_PREFIX.length + KEY_ID_LENGTH) : null;
}

export const isSealed = (value: string): boolean => value.startsWith(SEALED_PREFIX);

const b64 = (b: Buffer) => b.toString('base64url');

/**
 * Encryption at rest of single fields (TOTP secrets, personal free text, stored credentials):
 * AES-256-GCM with a random 96-bit IV per value, sealed as
 * `enc:v1:<key id>:<iv>:<ciphertext>:<tag>` (base64url). The additional data is the field's
 * place (`table.column`), so a ciphertext copied into another column is refused like a tampered one.
 *
 * Without a key (the default offline mode) `seal` leaves values plain. `open` returns a plain value
 * as it is (stored before a key was set; `ffe keys rotate` seals them), and never falls back to
 * plain text for a sealed one: no key, an unknown key or a failed tag is an error.
 */
export class FieldCipher {
  /** `current` seals; `previous` (during a rotation) only opens. */
  constructor(
    readonly current: DataKey | null,
    readonly previous: DataKey | null = null,
  ) {}

  /** The cipher the environment configures: FFE_ENCRYPTION_KEY (and FFE_ENCRYPTION_KEY_PREVIOUS); no key: plain. */
  static fromEnv(env: Record<string, string | undefined>): FieldCipher {
    const cur = env[KEY_ENV]?.trim() ? parseDataKey(env[KEY_ENV]!, KEY_ENV) : null;
    const prev = env[PREVIOUS_KEY_ENV]?.trim() ? parseDataKey(env[PREVIOUS_KEY_ENV]!, PREVIOUS_KEY_ENV) : null;
    if (prev && !cur) throw new FfeError('config', 'ENCRYPTION_KEY_MISSING', `${PREVIOUS_KEY_ENV} is set without ${KEY_ENV}: set the new key in ${KEY_ENV} to rotate to it`);
    return new FieldCipher(cur, prev && prev.id !== cur?.id ? prev : null);
  }

  get enabled(): boolean {
    return this.current !== null;
  }

  /** Ids of the keys this cipher opens with. */
  get keyIds(): string[] {
    return [this.current, this.previous].filter((k): k is DataKey => k !== null).map((k) => k.id);
  }

  /** Seals `plain` for the field `place` (`table.column`); plain when no key is set. */
  seal(plain: string, place: string): string {
    if (!this.current) return plain;
    const iv = randomBytes(IV_BYTES);
    const c = createCipheriv('aes-256-gcm', this.current.key, iv);
    c.setAAD(Buffer.from(place, 'utf8'));
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return `${SEALED_PREFIX}${this.current.id}:${b64(iv)}:${b64(ct)}:${b64(c.getAuthTag())}`;
  }

  /** The plain text of a value read from the field `place`: plain values as they are, sealed ones decrypted and authenticated. */
  open(value: string, place: string): string {
    if (!isSealed(value)) return value;
    const parts = value.slice(SEALED_PREFIX.length).split(':');
    const [kid, iv, ct, tag] = parts;
    if (parts.length !== 4 || kid.length !== KEY_ID_LENGTH) throw corrupt(place);
    if (!this.current) throw new FfeError('config', 'ENCRYPTION_KEY_MISSING', `${place} is encrypted but ${KEY_ENV} is not set: set the key the data was encrypted with (it is never read as plain text)`);
    const key = [this.current, this.previous].find((k) => k?.id === kid);
    if (!key) throw wrongKey(kid, this.keyIds);
    try {
      const d = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
      d.setAAD(Buffer.from(place, 'utf8'));
      const tagBytes = Buffer.from(tag, 'base64url');
      if (tagBytes.length !== TAG_BYTES) throw corrupt(place);
      d.setAuthTag(tagBytes);
      return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
    } catch {
      throw corrupt(place);
    }
  }

  /** Re-seals a value with the current key (opening it with either key first); plain values get sealed. */
  reseal(value: string, place: string): string {
    return this.seal(this.open(value, place), place);
  }
}

export const wrongKey = (kid: string, have: string[]) =>
  new FfeError(
    'config',
    'ENCRYPTION_KEY_WRONG',
    `data encrypted with key ${kid} cannot be opened: ${KEY_ENV} ${have.length ? `is key ${have.join(' (and the previous key ')}${have.length > 1 ? ')' : ''}` : 'is not set'}; set the key the data was encrypted with (during a rotation, the old one in ${PREVIOUS_KEY_ENV})`,
  );

const corrupt = (place: string) => new FfeError('data', 'ENCRYPTED_VALUE_CORRUPT', `the encrypted value of ${place} fails authentication: it was altered, truncated or moved from another field (not decrypted)`);

/** A cipher without keys: values stay plain, sealed ones are refused. */
export const NO_CIPHER = new FieldCipher(null);
