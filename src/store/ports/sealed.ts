import type { SealedColumn } from '../sealed-columns.js';

/** How a sealed column's values stand: the key ids sealing them and how many are still plain. */
export interface SealedColumnState {
  keyIds: string[];
  sealed: number;
  plain: number;
}

/**
 * Raw access to the encrypted columns (src/store/sealed-columns.ts), for the startup key check
 * and key rotation: values exactly as stored, sealed or not. Repositories owning a column read
 * and write it through the cipher; nothing else should use these values.
 */
export interface SealedValuesRepository {
  /** The key ids in use in the column, and counts of sealed and plain (non-null, non-empty) values. */
  state(c: SealedColumn): Promise<SealedColumnState>;
  /** Every non-null, non-empty value with its row key. */
  values(c: SealedColumn): Promise<{ id: string | number; value: string }[]>;
  /** Replaces one row's value (rotation); false when the row is gone. */
  set(c: SealedColumn, id: string | number, value: string): Promise<boolean>;
}
