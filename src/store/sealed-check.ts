import { FfeError } from '../core/errors.js';
import { FieldCipher, KEY_ENV, wrongKey } from './field-cipher.js';
import type { Store } from './port.js';
import { placeOf, SEALED_COLUMNS } from './sealed-columns.js';

/**
 * The environment's cipher, once the store's sealed values are known to fit it: a store holding
 * encrypted values refuses to open without FFE_ENCRYPTION_KEY, or with a key that did not seal
 * them, rather than failing on the first read (or worse, writing plain values beside them).
 */
export async function cipherFor(store: Store, env: Record<string, string | undefined>): Promise<FieldCipher> {
  const cipher = FieldCipher.fromEnv(env);
  for (const c of SEALED_COLUMNS) {
    const st = await store.sealed.state(c);
    if (st.sealed > 0 && !cipher.enabled)
      throw new FfeError(
        'config',
        'ENCRYPTION_KEY_MISSING',
        `the store holds encrypted data (${st.sealed} value${st.sealed === 1 ? '' : 's'} of ${placeOf(c)}) but ${KEY_ENV} is not set: set the key it was encrypted with (encrypted data is never read as plain text)`,
      );
    const unknown = st.keyIds.find((k) => !cipher.keyIds.includes(k));
    if (unknown) throw wrongKey(unknown, cipher.keyIds);
  }
  return cipher;
}
