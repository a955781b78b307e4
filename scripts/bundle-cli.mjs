#!/usr/bin/env node
/**
 * Bundles the built CLIs (the tsc output dist/src/interfaces/{cli,ctl}/main.js) into
 * dist/src/cli-bundle: a few ESM files instead of ~800 modules, which halves `ffe analyze`'s
 * start-up CPU (module resolution, file reads and compilation were ~60% of it: issue 17). Code
 * splitting keeps lazy imports lazy: a command's modules are a chunk of their own.
 *
 * Run after tsc (`npm run build`, test/support/build-once.ts); it does nothing when the bundle is
 * already that build's (`--force` rebuilds). It bundles the JavaScript tsc
 * emitted, not the TypeScript sources, so the bundle is that build's code; its stamp lists those
 * files and their newest mtime (bin/entry.js), and the bins use the bundle only while none of
 * them is newer.
 * The chunks sit one folder below dist/src, so `new URL('../backtest/…', import.meta.url)` in a
 * chunk still finds the worker scripts of the same tsc output. Without esbuild (a production
 * install) it does nothing: the bins run the tsc output.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { BUNDLE_DIR, current, DEPS, mtime, STAMP, stampOf } from '../bin/entry.js';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, BUNDLE_DIR);
const TMP = `${OUT.replace(/\/$/, '')}.tmp`;

/**
 * The packages our code imports that go into the bundle: plain JavaScript that reads no file of
 * its own package at run time. Everything else stays an import from node_modules: native modules
 * (better-sqlite3), packages that load files or workers beside them (bullmq's Lua scripts,
 * swagger-ui's assets; pino would for transports, which FFE does not use), the heavy ones only a
 * few commands load anyway, and @opentelemetry/api (the tracing SDK, external, must see the same
 * copy: with a bundled one `ffe serve` exported no spans).
 * A bundled package's own dependencies are bundled with it.
 */
const BUNDLED = new Set(['commander', 'zod', 'kysely', 'jose', 'yaml', 'ulid', 'decimal.js', 'croner', 'otpauth', 'cli-table3', 'pino']);

/** zod's error messages in its ~60 other languages (a third of zod's code): FFE configures none, zod defaults to English. */
const ZOD_LOCALES = /\/zod\/v4\/locales\/index\.js$/;

const packageOf = (spec) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

const stampFile = join(ROOT, STAMP);
const built = existsSync(stampFile) ? JSON.parse(readFileSync(stampFile, 'utf8')) : null;

// `--restamp`, after `npm prune --omit=dev` (the Docker image): the prune rewrites
// node_modules/.package-lock.json, which makes the stamp stale although the bundle's code is still
// exactly the build's: it holds its packages inlined, all production dependencies, which a prune of
// dev dependencies neither removes nor changes. Re-stamps only a bundle current in every other way.
if (process.argv.includes('--restamp')) {
  if (!built || !current({ ...built, deps: mtime(DEPS) })) {
    process.stderr.write('bundle-cli: --restamp needs a bundle built from the tsc output on disk: run `npm run build` first\n');
    process.exit(1);
  }
  writeFileSync(stampFile, JSON.stringify(stampOf(built.inputs, [built.newest])));
  process.stdout.write('bundle-cli: re-stamped the CLI bundle after the dependency change\n');
  process.exit(0);
}

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  process.stdout.write('bundle-cli: esbuild is not installed; the bins run the tsc output (dist/src)\n');
  process.exit(0);
}

const main = join(ROOT, 'dist/src/interfaces/cli/main.js');
if (!existsSync(main)) {
  process.stderr.write(`bundle-cli: ${relative(ROOT, main)} not found: run tsc first (npm run build)\n`);
  process.exit(1);
}
if (built && current(built) && statSync(stampFile).mtimeMs > statSync(import.meta.filename).mtimeMs && !process.argv.includes('--force')) {
  process.stdout.write('bundle-cli: up to date\n');
  process.exit(0);
}
// The tsc output's mtimes before anything is read: a file tsc rewrites while this bundles is then
// newer than the stamp says, so the bundle is stale, never wrong.
const before = new Map();
const walk = (dir) => {
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) {
      if (!rel.startsWith(BUNDLE_DIR.slice(0, -1))) walk(rel);
    } else if (e.name.endsWith('.js')) before.set(rel, mtime(rel));
  }
};
walk('dist/src');

rmSync(TMP, { recursive: true, force: true });
const result = await esbuild.build({
  entryPoints: { cli: main, ctl: join(ROOT, 'dist/src/interfaces/ctl/main.js') },
  absWorkingDir: ROOT,
  outdir: TMP,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Maps back through tsc's maps to src/*.ts (node --enable-source-maps); nothing loads them otherwise.
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  // Bundled CommonJS packages (commander, cli-table3) call require() for Node's built-ins.
  banner: { js: "import { createRequire as __ffeCreateRequire } from 'node:module'; const require = __ffeCreateRequire(import.meta.url);" },
  plugins: [
    {
      name: 'bundled-packages-only',
      setup(build) {
        build.onResolve({ filter: /^[^./]/ }, (args) => {
          if (args.path.startsWith('node:') || args.importer.includes('/node_modules/')) return undefined;
          return BUNDLED.has(packageOf(args.path)) ? undefined : { path: args.path, external: true };
        });
        build.onLoad({ filter: ZOD_LOCALES }, (args) => ({ contents: 'export { default as en } from "./en.js";', resolveDir: dirname(args.path) }));
      },
    },
  ],
});

// Which modules each output holds: the start-up test checks what a command loads through it.
const modules = Object.fromEntries(
  Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .map(([file, o]) => [relative(TMP, resolve(ROOT, file)), Object.keys(o.inputs).map((i) => relative(ROOT, resolve(ROOT, i)))]),
);
writeFileSync(join(TMP, 'modules.json'), JSON.stringify(modules));
const inputs = [...new Set(Object.values(modules).flat())].filter((f) => f.startsWith('dist/src/'));
const unknown = inputs.filter((f) => !before.has(f));
if (unknown.length) throw new Error(`bundle-cli: bundled files outside the tsc output: ${unknown.join(', ')}`);
writeFileSync(
  join(TMP, 'stamp.json'),
  JSON.stringify(
    stampOf(
      inputs,
      inputs.map((f) => before.get(f)),
    ),
  ),
);
rmSync(OUT, { recursive: true, force: true });
renameSync(TMP, OUT);
process.stdout.write(`bundle-cli: built ${relative(ROOT, OUT)} from ${inputs.length} files of the tsc output\n`);
