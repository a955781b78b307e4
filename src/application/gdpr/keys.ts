import { FfeError } from '../../core/errors.js';
import { FieldCipher, KEY_ENV, sealedKeyId } from '../../store/field-cipher.js';
import type { Store } from '../../store/port.js';
import { placeOf, SEALED_COLUMNS } from '../../store/sealed-columns.js';

export interface RotationReport {
  /** Id of the key every value is sealed with now. */
  key_id: string;
  columns: { field: string; resealed: number; already_current: number }[];
  resealed: number;
}

/**
 * `ffe keys rotate`: every encrypted field re-sealed with FFE_ENCRYPTION_KEY (opened with it or
 * with FFE_ENCRYPTION_KEY_PREVIOUS), and plain values (stored before a key was set) sealed, in one
 * transaction: a value that fails authentication aborts it with nothing changed. Values already
 * under the current key are opened (so checked) and left as they are.
 */
export async function rotateKeys(store: Store, env: Record<string, string | undefined>): Promise<RotationReport> {
  const cipher = FieldCipher.fromEnv(env);
  if (!cipher.current) throw new FfeError('config', 'ENCRYPTION_KEY_MISSING', `${KEY_ENV} is not set: set the new key there (and the old one in FFE_ENCRYPTION_KEY_PREVIOUS) to rotate`);
  const current = cipher.current.id;
  const columns = await store.transaction(async (tx) => {
    const out: RotationReport['columns'] = [];
    for (const c of SEALED_COLUMNS) {
      const place = placeOf(c);
      let resealed = 0;
      let kept = 0;
      for (const { id, value } of await tx.sealed.values(c)) {
        if (sealedKeyId(value) === current) {
          cipher.open(value, place);
          kept++;
          continue;
        }
        await tx.sealed.set(c, id, cipher.reseal(value, place));
        resealed++;
      }
      out.push({ field: place, resealed, already_current: kept });
    }
    return out;
  });
  return { key_id: current, columns, resealed: columns.reduce((n, c) => n + c.resealed, 0) };
}
