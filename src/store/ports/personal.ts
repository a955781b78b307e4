import type { PersonalColumn } from '../personal-columns.js';

/** Rows of the tables in src/store/personal-columns.ts that name one person, for GDPR export and erasure. */
export interface PersonalRecordsRepository {
  /** The `export` columns of every row whose column equals `value`, oldest row first (by its first exported column). */
  rows(c: PersonalColumn, value: string): Promise<Record<string, unknown>[]>;
  /** Pseudonymises (sets the column to `replacement`) or deletes those rows, as the column says; returns how many. */
  erase(c: PersonalColumn, value: string, replacement: string): Promise<number>;
}
