import { configPlace, isSecretPath } from '../../config/load.js';
import { FfeError, inputError } from '../../core/errors.js';
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

/**
 * `ffe keys seal PATH`: a secret setting (a venue's API secret, the Telegram token, a provider's
 * key...) sealed with FFE_ENCRYPTION_KEY for that setting only, to write into a config file or
 * secret store instead of the plain value; the config loader opens it. Refuses a path that is
 * not a secret setting (naming it) and an empty value; needs the key.
 */
export function sealConfigSecret(path: string, value: string, env: Record<string, string | undefined>): string {
  if (!isSecretPath(path))
    throw inputError('FLAG_INVALID', `PATH: ${JSON.stringify(path)} is not a secret setting (e.g. venues.coinbase.api_secret, telegram.bot_token, providers.NAME.api_key; \`ffe config docs\` marks them secret)`);
  const plain = value.replace(/\r?\n$/, '');
  if (!plain) throw inputError('FLAG_INVALID', 'the value to seal is empty (give it on standard input)');
  const cipher = FieldCipher.fromEnv(env);
  if (!cipher.current) throw new FfeError('config', 'ENCRYPTION_KEY_MISSING', `${KEY_ENV} is not set: set the key the loader will open the value with`);
  return cipher.seal(plain, configPlace(path.split('.')));
}
