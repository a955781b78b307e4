import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { inputError } from '../core/errors.js';

export interface DataHome {
  /** Absolute directory holding the store and the replay sandboxes. */
  dir: string;
  /** Where it came from: FFE_HOME, XDG_DATA_HOME, or the default under the user's home. */
  from: 'FFE_HOME' | 'XDG_DATA_HOME' | 'default';
}

/**
 * FFE's one data home: `FFE_HOME`, else `$XDG_DATA_HOME/ffe`, else `~/.local/share/ffe`. It does
 * not depend on the working directory, so running from another directory finds the same account.
 */
export function dataHome(env: Record<string, string | undefined>, cwd: string): DataHome {
  if (env.FFE_HOME) return { dir: resolve(cwd, env.FFE_HOME), from: 'FFE_HOME' };
  if (env.XDG_DATA_HOME && isAbsolute(env.XDG_DATA_HOME)) return { dir: join(env.XDG_DATA_HOME, 'ffe'), from: 'XDG_DATA_HOME' };
  return { dir: join(env.HOME || homedir(), '.local', 'share', 'ffe'), from: 'default' };
}

/** The store file: `persistence.sqlite_path` where a config file or the environment sets it (relative to the working directory), else `<home>/ffe.db`. */
export function storePath(configured: string, explicit: boolean, home: DataHome, cwd: string): string {
  if (configured === ':memory:') return configured;
  return explicit ? resolve(cwd, configured) : join(home.dir, 'ffe.db');
}

const SANDBOX_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A replay sandbox's store: `<home>/sandboxes/<name>.db`. */
export function sandboxPath(home: DataHome, name: string): string {
  if (!SANDBOX_NAME.test(name)) throw inputError('SANDBOX_INVALID', `--sandbox "${name}" must be 1-64 letters, digits, dots, dashes or underscores`);
  return join(home.dir, 'sandboxes', `${name}.db`);
}

export const isSandboxName = (name: string) => SANDBOX_NAME.test(name);
