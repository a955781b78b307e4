import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CtlError } from './errors.js';

/** What `ffe-ctl login` keeps: the server it logged in to and the token pair (rotated on refresh). */
export interface SavedLogin {
  api_url: string;
  access_token: string;
  refresh_token: string;
  /** Who logged in, for `ffe-ctl` messages; never a secret. */
  name?: string;
  saved_at?: string;
}

/** `FFE_CTL_CONFIG`, else `$XDG_CONFIG_HOME/ffe/ctl.json`, else `~/.config/ffe/ctl.json`. */
export function tokenFile(env: Record<string, string | undefined>): string {
  if (env.FFE_CTL_CONFIG) return env.FFE_CTL_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'ffe', 'ctl.json');
}

export function readLogin(file: string): SavedLogin | null {
  if (!existsSync(file)) return null;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new CtlError(`the saved login ${file} is not readable JSON; delete it or run \`ffe-ctl login\` again`, 2);
  }
  const r = data as Record<string, unknown>;
  if (!r || typeof r.api_url !== 'string' || typeof r.access_token !== 'string' || typeof r.refresh_token !== 'string') {
    throw new CtlError(`the saved login ${file} lacks api_url, access_token or refresh_token; run \`ffe-ctl login\` again`, 2);
  }
  return { api_url: r.api_url, access_token: r.access_token, refresh_token: r.refresh_token, name: typeof r.name === 'string' ? r.name : undefined, saved_at: typeof r.saved_at === 'string' ? r.saved_at : undefined };
}

/** Group or others may read the file: tokens there are as good as a password. */
export const tooOpen = (file: string): boolean => existsSync(file) && (statSync(file).mode & 0o077) !== 0;

/**
 * Writes the login readable by its owner only (0600, directory 0700), through a temporary file and
 * a rename, so a crash never leaves half a token file and no moment exists where it is world-readable.
 */
export function writeLogin(file: string, login: SavedLogin): void {
  const dir = dirname(file);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  }
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ ...login, saved_at: new Date().toISOString() }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

export function removeLogin(file: string): boolean {
  if (!existsSync(file)) return false;
  rmSync(file);
  return true;
}
