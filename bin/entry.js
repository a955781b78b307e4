import { readFileSync, statSync } from 'node:fs';

/**
 * Which build the bins run: the single-file CLI bundle (dist/src/cli-bundle, written by
 * scripts/bundle-cli.mjs; loading one bundle instead of ~800 modules halves start-up, issue 17)
 * when it was built from exactly the tsc output and the dependencies now on disk, else the tsc
 * output itself. The bundle must never run code older than dist/src: `tsc` rewrites every file it
 * emits, so any build since the bundle's changes the mtime of the CLI's main module, and an
 * `npm install` changes node_modules/.package-lock.json; either makes the stamp differ.
 * FFE_CLI_BUNDLE=off always runs the tsc output (debugging, comparing the two).
 */
const ROOT = new URL('../', import.meta.url);
export const BUNDLE_DIR = 'dist/src/cli-bundle/';
export const STAMP = `${BUNDLE_DIR}build-id`;

const mtime = (rel) => {
  try {
    return statSync(new URL(rel, ROOT)).mtimeMs;
  } catch {
    return null;
  }
};

/** The id of the tsc output and dependencies a bundle is built from (two stats). */
export const buildId = () => JSON.stringify({ tsc: mtime('dist/src/interfaces/cli/main.js'), deps: mtime('node_modules/.package-lock.json') });

/** The module URL to import for `name` ('cli' or 'ctl', the bundle's entries) whose tsc output is dist/src/`module`. */
export function entry(name, module) {
  if (process.env.FFE_CLI_BUNDLE !== 'off') {
    try {
      if (readFileSync(new URL(STAMP, ROOT), 'utf8') === buildId()) return new URL(`${BUNDLE_DIR}${name}.js`, ROOT).href;
    } catch {
      // No bundle (not built, or esbuild not installed): the tsc output.
    }
  }
  return new URL(`dist/src/${module}`, ROOT).href;
}
