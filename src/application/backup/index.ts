/** Backup and restore of the store (docs/backup.md): the CLI's one entry into this area. */
export { createBackup, type CreateBackupOptions, type CreatedBackup } from './create.js';
export { verifyBackup, type VerifyReport } from './verify.js';
export { restoreBackup, type RestoreOptions, type RestoreReport } from './restore.js';
export { listBackups, pruneBackups, type BackupFile } from './retention.js';
export { backupContext } from './location.js';
