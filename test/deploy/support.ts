import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configLeaves } from '../../src/config/introspect.js';
import { configSchema } from '../../src/config/schema.js';
import { REPO } from '../support/cli.js';

export { REPO };
export const SCRIPTS = join(REPO, 'scripts');
export const DEPLOY = join(REPO, 'deploy');
export const YAMLLINT_CONFIG = join(DEPLOY, 'yamllint.yml');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a tool or script for real (no shell), with extra environment variables. */
export function run(bin: string, args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Run {
  const r = spawnSync(bin, args, { cwd: opts.cwd ?? REPO, encoding: 'utf8', timeout: 60_000, input: opts.input, env: { ...process.env, ...opts.env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Files below dir (recursively) whose name matches. */
export function filesUnder(dir: string, match: RegExp): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && match.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Every environment variable name the configuration reads (`ffe config docs` lists them). */
export const configEnvNames = (): Set<string> => new Set(configLeaves(configSchema).flatMap((l) => l.envNames));

/** KEY=value lines of an env file (comments and blanks skipped). */
export function envFile(path: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) out.set(m[1], m[2]);
  }
  return out;
}

/**
 * Names the deployment files set that are not configuration settings: compose interpolation
 * (image, published ports, service passwords), the live-trading opt-in read by scripts/deploy.sh,
 * FFE_HOME (the data home, read before the configuration).
 * DATABASE_URL is `database.url` of the PostgreSQL store mode (issue 15), accepted until that
 * setting exists in the schema; after that it is checked like every other name.
 */
const DEPLOYMENT_ONLY = new Set(['FFE_HOME', 'FFE_IMAGE', 'FFE_IMAGE_TAG', 'FFE_BIND', 'FFE_PORT', 'FFE_ALLOW_LIVE', 'POSTGRES_PASSWORD', 'GRAFANA_ADMIN_USER', 'GRAFANA_ADMIN_PASSWORD', 'NODE_ENV']);

/** The names among `names` that neither a setting nor a deployment-only variable: typos, moved keys. */
export function unknownEnvNames(names: Iterable<string>): string[] {
  const known = configEnvNames();
  if (!known.has('DATABASE_URL')) known.add('DATABASE_URL');
  return [...names].filter((n) => !known.has(n) && !DEPLOYMENT_ONLY.has(n));
}
