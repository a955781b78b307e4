/** A column holding values sealed by the field cipher: its table, column and the table's primary-key column. */
export interface SealedColumn {
  table: string;
  column: string;
  /** A single text or integer primary-key column. */
  key: string;
}

/** The field's place, the cipher's additional data: a value sealed for one column cannot be opened from another. */
export const placeOf = (c: Pick<SealedColumn, 'table' | 'column'>): string => `${c.table}.${c.column}`;

/**
 * Every encrypted column: one line per column. The startup check (a sealed value with no key, or
 * with an unknown key, is an error) and `ffe keys rotate` walk this list; the repository owning
 * the column seals on write and opens on read through its store's cipher (`SessionStore.cipher`).
 */
// prettier-ignore
export const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'auth_users', column: 'totp_secret', key: 'id' },
  { table: 'recommendations', column: 'feedback_note', key: 'id' },
];
