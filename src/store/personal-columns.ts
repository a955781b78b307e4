/**
 * A column naming a person in a table whose rows an area keeps about them: by their principal
 * label (`user:alice`), user id or user name. GDPR export reads the `export` columns of the rows
 * naming a user; erasure pseudonymises the column (the row is kept: records with a legal basis)
 * or deletes the rows (nothing to keep). Secrets (hashes) are never among the exported columns.
 */
export interface PersonalColumn {
  /** The export section the rows appear in. */
  area: string;
  table: string;
  column: string;
  by: 'label' | 'id' | 'name';
  /** The columns an export shows, in order (the naming column is implied). */
  export: readonly string[];
  erase: 'pseudonymise' | 'delete';
}

// prettier-ignore
export const PERSONAL_COLUMNS: readonly PersonalColumn[] = [
  { area: 'auth', table: 'auth_api_keys', column: 'created_by', by: 'label', export: ['id', 'name', 'role', 'prefix', 'created_at', 'last_used_at', 'revoked_at'], erase: 'pseudonymise' },
  { area: 'auth', table: 'auth_refresh_tokens', column: 'user_id', by: 'id', export: ['id', 'family_id', 'created_at', 'expires_at', 'rotated_at', 'revoked_at'], erase: 'delete' },
  { area: 'auth', table: 'auth_login_failures', column: 'name', by: 'name', export: ['count', 'last_failure_at', 'locked_until'], erase: 'delete' },
  { area: 'auth', table: 'idempotency_keys', column: 'principal', by: 'label', export: ['key', 'subject', 'created_at'], erase: 'delete' },
  { area: 'jobs', table: 'backtest_jobs', column: 'created_by', by: 'label', export: ['id', 'kind', 'status', 'params', 'created_at', 'started_at', 'finished_at'], erase: 'pseudonymise' },
];
