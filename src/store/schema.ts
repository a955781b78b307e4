import type { MigrationProvider } from 'kysely';
import { migrations } from './migrations/index.js';

/**
 * The schema's migrations, one list for every engine (./migrations/, dialect-aware column types
 * in ./migrations/column-types.ts). Capabilities own independent number ranges, so a database
 * may legitimately have run 030 before 025 exists: run with allowUnorderedMigrations.
 */
export const migrationProvider: MigrationProvider = { getMigrations: async () => migrations };
export { migrations };
