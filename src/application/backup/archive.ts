import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { create, extract } from 'tar';
import { FfeError } from '../../core/errors.js';

export const MANIFEST = 'manifest.json';
export const CONFIG_MEMBER = 'config.yaml';
export const FORMAT = 'ffe-backup';
export const FORMAT_VERSION = 1;

export interface Manifest {
  format: typeof FORMAT;
  format_version: number;
  ffe_version: string;
  created_at: string;
  engine: 'sqlite' | 'postgres';
  /** The member holding the database dump. */
  database: string;
  migrations: string[];
  tables: Record<string, number>;
  /** Whether config.yaml carries the secrets (`--include-secrets`) or has them masked as `***`. */
  config_secrets: 'excluded' | 'included';
  members: Record<string, { sha256: string; size: number }>;
  /** sha256 of this manifest's canonical JSON without `digest`: an edited manifest no longer matches. */
  digest: string;
}

const corrupt = (message: string) => new FfeError('runtime', 'BACKUP_CORRUPT', message);

/** JSON with keys sorted at every level, so the digest does not depend on how the manifest was written. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const manifestDigest = (m: Omit<Manifest, 'digest'> & { digest?: string }): string => {
  const { digest: _ignored, ...rest } = m;
  return createHash('sha256').update(canonical(rest)).digest('hex');
};

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function describeMembers(dir: string, names: string[]): Promise<Manifest['members']> {
  const out: Manifest['members'] = {};
  for (const n of names) out[n] = { sha256: await sha256File(join(dir, n)), size: statSync(join(dir, n)).size };
  return out;
}

/** Writes the members of `dir` (manifest first, so a reader meets it at once) into one gzip'd tar. */
export async function pack(dir: string, members: string[], file: string): Promise<void> {
  await create({ gzip: true, file, cwd: dir, portable: true }, [MANIFEST, ...members]);
}

/**
 * Unpacks `file` into `dir` and checks it against its manifest: the manifest's own digest, the
 * member set, each member's size and sha256. Returns the manifest; throws BACKUP_CORRUPT naming
 * the first thing wrong. The database itself is checked by the engine afterwards.
 */
export async function unpackChecked(file: string, dir: string): Promise<Manifest> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new FfeError('input', 'BACKUP_NOT_FOUND', `no backup file at ${file}`);
  try {
    // strict: a truncated gzip or tar stream is an error, not a silently shorter archive.
    await extract({ file, cwd: dir, strict: true });
  } catch (e) {
    throw corrupt(`archive ${file} is unreadable (truncated, damaged or not an ffe backup): ${(e as Error).message}`);
  }
  const manifestPath = join(dir, MANIFEST);
  if (!existsSync(manifestPath)) throw corrupt(`archive ${file} has no ${MANIFEST}`);
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  } catch (e) {
    throw corrupt(`${MANIFEST} is not valid JSON: ${(e as Error).message}`);
  }
  if (m?.format !== FORMAT || typeof m.members !== 'object' || typeof m.tables !== 'object') throw corrupt(`${MANIFEST} is not an ffe backup manifest`);
  if (m.format_version > FORMAT_VERSION) throw corrupt(`${MANIFEST} has format version ${m.format_version}; this ffe reads up to ${FORMAT_VERSION} (upgrade ffe to restore it)`);
  if (manifestDigest(m) !== m.digest) throw corrupt(`${MANIFEST} digest mismatch: the manifest was edited or damaged`);
  const present = readdirSync(dir).filter((n) => n !== MANIFEST);
  for (const n of present) if (!m.members[n]) throw corrupt(`member ${n} is not listed in the manifest`);
  for (const [n, want] of Object.entries(m.members)) {
    const p = join(dir, n);
    if (!existsSync(p)) throw corrupt(`member ${n} is missing from the archive`);
    const size = statSync(p).size;
    if (size !== want.size) throw corrupt(`member ${n}: size ${size} bytes, manifest says ${want.size}`);
    if ((await sha256File(p)) !== want.sha256) throw corrupt(`member ${n}: sha256 mismatch (altered or damaged)`);
  }
  if (!m.members[m.database]) throw corrupt(`${MANIFEST} names database member ${m.database}, which is not in the archive`);
  return m;
}

/** Compares the row counts found in the database copy with the manifest's; the first difference, naming the table. */
export function tableMismatch(found: Record<string, number>, manifest: Record<string, number>): string | null {
  for (const t of Object.keys(manifest)) if (!(t in found)) return `table ${t} is in the manifest but not in the database`;
  for (const [t, n] of Object.entries(found)) {
    if (!(t in manifest)) return `table ${t} is in the database but not in the manifest`;
    if (manifest[t] !== n) return `table ${t}: ${n} rows, manifest says ${manifest[t]}`;
  }
  return null;
}
