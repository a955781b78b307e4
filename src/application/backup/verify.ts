import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FfeError } from '../../core/errors.js';
import type { BackupEngine } from '../../store/backup/engine.js';
import { postgresBackupEngine } from '../../store/backup/postgres.js';
import { sqliteBackupEngine } from '../../store/backup/sqlite.js';
import { tableMismatch, unpackChecked, type Manifest } from './archive.js';

const ENGINES: Record<Manifest['engine'], BackupEngine | undefined> = { sqlite: sqliteBackupEngine, postgres: postgresBackupEngine };

export interface VerifiedBackup {
  file: string;
  manifest: Manifest;
  engine: BackupEngine;
  /** The unpacked, checked members; removed by `dispose`. */
  dir: string;
  dispose(): void;
}

/**
 * Unpacks a backup into a scratch folder and checks everything before anyone uses it: the
 * archive, the manifest's digest, each member's sha256, the database's own integrity check and
 * its per-table row counts against the manifest. Throws BACKUP_CORRUPT naming the first problem.
 */
export async function openVerified(path: string, cwd = process.cwd()): Promise<VerifiedBackup> {
  const file = resolve(cwd, path);
  const dir = mkdtempSync(join(tmpdir(), 'ffe-verify-'));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    const manifest = await unpackChecked(file, dir);
    const engine = ENGINES[manifest.engine];
    if (!engine) throw new FfeError('runtime', 'BACKUP_CORRUPT', `backup engine ${manifest.engine} is not supported by this ffe`);
    const found = await engine.inspect(join(dir, manifest.database));
    const problem = tableMismatch(found.tables, manifest.tables);
    if (problem) throw new FfeError('runtime', 'BACKUP_CORRUPT', `${manifest.database}: ${problem}`);
    return { file, manifest, engine, dir, dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}

export interface VerifyReport {
  file: string;
  ok: true;
  created_at: string;
  ffe_version: string;
  engine: string;
  migrations: number;
  tables: Record<string, number>;
  rows: number;
  members: Manifest['members'];
  config_secrets: Manifest['config_secrets'];
}

/** `ffe backup verify FILE`. */
export async function verifyBackup(path: string, cwd?: string): Promise<VerifyReport> {
  const v = await openVerified(path, cwd);
  v.dispose();
  const m = v.manifest;
  return {
    file: v.file,
    ok: true,
    created_at: m.created_at,
    ffe_version: m.ffe_version,
    engine: m.engine,
    migrations: m.migrations.length,
    tables: m.tables,
    rows: Object.values(m.tables).reduce((a, b) => a + b, 0),
    members: m.members,
    config_secrets: m.config_secrets,
  };
}
