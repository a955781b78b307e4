#!/usr/bin/env node
// Compares the committed package-lock.json with the one `npm install` just wrote and fails only
// when something that matters changed: the resolved version of a package that is installed (or
// that every platform installs), or the ranges package.json declares. npm rewrites the optional
// platform entries (@rollup/rollup-*, @msgpackr-extract/*, @esbuild/*) whenever the registry's
// metadata changes; those entries for platforms this machine does not install are not a failure.
//
// Usage: node .ci/lock-check.mjs <before.json> <after.json> [--root <dir holding node_modules>]
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The root entry's declared ranges, as `section:name` → range. */
function declared(lock) {
  const root = lock.packages?.[''] ?? {};
  const out = new Map();
  for (const section of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
    for (const [name, range] of Object.entries(root[section] ?? {})) out.set(`${section}:${name}`, range);
  }
  return out;
}

/** The package name of a lockfile key: `node_modules/a/node_modules/@s/b` → `@s/b` (nested path kept for clarity). */
const label = (key) => key.replace(/^node_modules\//, '').replaceAll('/node_modules/', ' > ');

/**
 * Returns `{ changes, ignored }`: `changes` are the lines CI fails on, `ignored` the optional
 * entries that changed but are not installed here (reported, never fatal).
 * `installed(key)` says whether the lockfile path `key` (e.g. `node_modules/zod`) is on disk.
 */
export function compareLocks(before, after, installed) {
  const changes = [];
  const ignored = [];
  const a = declared(before);
  const b = declared(after);
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    if (a.get(k) !== b.get(k)) changes.push(`package.json ${k.replace(':', ' ')}: ${a.get(k) ?? '(none)'} → ${b.get(k) ?? '(none)'}`);
  }
  const pa = before.packages ?? {};
  const pb = after.packages ?? {};
  const keys = [...new Set([...Object.keys(pa), ...Object.keys(pb)])].filter((k) => k !== '').sort();
  for (const key of keys) {
    const old = pa[key];
    const now = pb[key];
    const vOld = old?.version ?? '(none)';
    const vNew = now?.version ?? '(none)';
    if (vOld === vNew) continue;
    const line = `${label(key)}: ${vOld} → ${vNew}`;
    // An entry every platform installs, or one this machine installed, pins what runs here.
    const optional = (old ? old.optional === true : true) && (now ? now.optional === true : true);
    const matters = !optional || (old && now && installed(key));
    (matters ? changes : ignored).push(line);
  }
  return { changes, ignored };
}

function main(argv) {
  const args = argv.slice(2);
  const rootAt = args.indexOf('--root');
  const root = resolve(rootAt >= 0 ? args.splice(rootAt, 2)[1] : '.');
  if (args.length !== 2) {
    process.stderr.write('usage: lock-check.mjs <before.json> <after.json> [--root <dir>]\n');
    return 2;
  }
  const [before, after] = args.map((p) => JSON.parse(readFileSync(p, 'utf8')));
  const { changes, ignored } = compareLocks(before, after, (key) => existsSync(join(root, key, 'package.json')));
  if (ignored.length > 0) process.stdout.write(`lock-check: ignored ${ignored.length} optional entr${ignored.length === 1 ? 'y' : 'ies'} not installed on this platform\n`);
  if (changes.length === 0) {
    process.stdout.write('lock-check: installed versions match the committed package-lock.json\n');
    return 0;
  }
  process.stderr.write(`lock-check: npm install changed ${changes.length} resolved version(s); run npm install and commit package-lock.json:\n`);
  for (const line of changes) process.stderr.write(`  ${line}\n`);
  return 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv);
