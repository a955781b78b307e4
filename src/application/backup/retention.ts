import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** ffe-backup-20261206T193500123Z.tar.gz: UTC, milliseconds, so names sort by time and never collide within a second. */
const NAME = /^ffe-backup-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z\.tar\.gz$/;

export const backupName = (at: Date): string => `ffe-backup-${at.toISOString().replace(/[-:.]/g, '')}.tar.gz`;

export interface BackupFile {
  file: string;
  name: string;
  size: number;
  created_at: string;
}

/** When a backup was taken, from its name (a copied file's mtime is the copy's time, not the backup's). */
function createdAt(name: string): Date | null {
  const m = NAME.exec(name);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7])) : null;
}

/** The backups in `dir`, newest first; other files are not ours and are left alone. */
export function listBackups(dir: string): BackupFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((name) => {
      const at = createdAt(name);
      const file = join(dir, name);
      return at && statSync(file).isFile() ? [{ file, name, size: statSync(file).size, created_at: at.toISOString() }] : [];
    })
    .sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
}

/** Removes backups in `dir` taken more than `keepDays` days before `now`; returns what it removed. */
export function pruneBackups(dir: string, keepDays: number, now = new Date()): { removed: BackupFile[]; kept: number; before: string } {
  const before = new Date(now.getTime() - keepDays * 86_400_000).toISOString();
  const all = listBackups(dir);
  const removed = all.filter((b) => b.created_at < before);
  for (const b of removed) rmSync(b.file, { force: true });
  return { removed, kept: all.length - removed.length, before };
}
