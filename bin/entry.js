import { readFileSync, statSync } from 'node:fs';

/**
 * Which build the bins run: the CLI bundle (dist/src/cli-bundle, written by scripts/bundle-cli.mjs;
 * loading a few bundle files instead of ~800 modules halves start-up, issue 17) when it is at
 * least as new as everything it was built from, else the tsc output itself. The bundle must never
 * run code older than dist/src: its stamp lists the tsc output files it holds and the newest of
 * their mtimes, and a file rewritten since (any tsc run, `tsc --watch` rewriting one file) or gone
 * makes it stale, as does an `npm install` (node_modules/.package-lock.json). That is one stat per
 * bundled file (~500, a few ms). FFE_CLI_BUNDLE=off always runs the tsc output (debugging, comparing).
 */
const ROOT = new URL('../', import.meta.url);
export const BUNDLE_DIR = 'dist/src/cli-bundle/';
export const STAMP = `${BUNDLE_DIR}stamp.json`;
export const DEPS = 'node_modules/.package-lock.json';

export const mtime = (rel) => statSync(new URL(rel, ROOT), { throwIfNoEntry: false })?.mtimeMs ?? null;

/** The stamp of a bundle built from `inputs` (package-relative paths) whose mtimes are `times`. */
export const stampOf = (inputs, times) => ({ deps: mtime(DEPS), newest: Math.max(0, ...times), inputs });

/** Whether a bundle with this stamp is still the build of the files on disk. */
export function current(stamp) {
  if (stamp.deps !== mtime(DEPS)) return false;
  for (const f of stamp.inputs) {
    const t = mtime(f);
    if (t === null || t > stamp.newest) return false;
  }
  return true;
}

/** The module URL to import for `name` ('cli' or 'ctl', the bundle's entries) whose tsc output is dist/src/`module`. */
export function entry(name, module) {
  if (process.env.FFE_CLI_BUNDLE !== 'off') {
    try {
      if (current(JSON.parse(readFileSync(new URL(STAMP, ROOT), 'utf8')))) return new URL(`${BUNDLE_DIR}${name}.js`, ROOT).href;
    } catch {
      // No bundle (not built, or esbuild not installed): the tsc output.
    }
  }
  return new URL(`dist/src/${module}`, ROOT).href;
}
