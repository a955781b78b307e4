/**
 * What a backup needs from a store engine: a consistent snapshot written to one file, a check of
 * such a file, and putting it in place of a target. The archive, manifest, checksums and the
 * rules around them (verify before restore, refuse a running instance) are engine-independent
 * and live in src/application/backup.
 */
export interface BackupEngine {
  readonly name: 'sqlite' | 'postgres';
  /** The member name of the dump inside the archive. */
  readonly member: string;
  /** Writes a consistent snapshot of `source` (taken while the store is in use) to `dest`; returns what is in it. */
  dump(source: string, dest: string): Promise<DumpSummary>;
  /** Checks a dump file on its own (integrity) and returns its per-table row counts; throws BACKUP_CORRUPT naming what is wrong. */
  inspect(dumpFile: string): Promise<DumpSummary>;
  /** Who is using `target` right now (unexpired leases, other processes), or [] when nobody is. */
  usersOf(target: string): Promise<string[]>;
  /** Replaces the data at `target` with the dump; `keepPrevious` receives a copy of the data it replaced (when there was any). */
  restore(dumpFile: string, target: string, keepPrevious: string): Promise<{ previous: string | null }>;
}

export interface DumpSummary {
  /** Row count of every table (engine internals excluded). */
  tables: Record<string, number>;
  /** Migration names applied to the store, oldest first. */
  migrations: string[];
}
