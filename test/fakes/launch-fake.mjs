#!/usr/bin/env node
// Runs a fake venue as its own process, so a test can SIGKILL the client and keep the venue:
//   node test/fakes/launch-fake.mjs oanda|coinbase '{"statePath":"/tmp/v.json", ...options}'
// Prints one JSON line {"url": "...", "pid": ...} once listening; stops on SIGTERM/SIGINT.
// The fakes are self-contained TypeScript; this transpiles one with the project's TypeScript into
// node_modules/.cache (inside node_modules, so its own imports resolve), keyed by the source's
// hash so later starts skip loading the compiler, and imports it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const FAKES = { oanda: ['oanda-server.ts', 'startFakeOanda'], coinbase: ['coinbase-server.ts', 'startFakeCoinbase'] };
const [kind, json = '{}'] = process.argv.slice(2);
if (!FAKES[kind]) {
  process.stderr.write(`usage: launch-fake.mjs ${Object.keys(FAKES).join('|')} '<options JSON>'\n`);
  process.exit(2);
}
const [file, start] = FAKES[kind];
const source = readFileSync(join(here, file), 'utf8');
const cache = join(here, '../../node_modules/.cache/ffe-fakes');
const out = join(cache, `${file.replace(/\.ts$/, '')}-${createHash('sha256').update(source).digest('hex').slice(0, 16)}.mjs`);
if (!existsSync(out)) {
  const { default: ts } = await import('typescript');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    fileName: file,
  });
  mkdirSync(cache, { recursive: true });
  writeFileSync(`${out}.${process.pid}`, outputText);
  renameSync(`${out}.${process.pid}`, out);
}
const mod = await import(pathToFileURL(out).href);
const fake = await mod[start](JSON.parse(json));
process.stdout.write(`${JSON.stringify({ url: fake.url, pid: process.pid })}\n`);
const stop = () => fake.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
