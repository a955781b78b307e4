#!/usr/bin/env node
// Runs a fake venue as its own process, so a test can SIGKILL the client and keep the venue:
//   node test/fakes/launch-fake.mjs oanda|coinbase '{"statePath":"/tmp/v.json", ...options}'
// Prints one JSON line {"url": "...", "pid": ...} once listening; stops on SIGTERM/SIGINT.
// The fakes are TypeScript with no imports beyond node built-ins, decimal.js and each other:
// this transpiles them with the project's TypeScript into node_modules/.cache (inside
// node_modules, so decimal.js resolves), in a folder named by the sources' hash so later starts
// skip loading the compiler, and imports the one asked for.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const FAKES = { oanda: ['oanda-server', 'startFakeOanda'], coinbase: ['coinbase-server', 'startFakeCoinbase'] };
const SOURCES = ['loopback-server', 'fake-venue-http', 'oanda-server', 'coinbase-server'];
const [kind, json = '{}'] = process.argv.slice(2);
if (!FAKES[kind]) {
  process.stderr.write(`usage: launch-fake.mjs ${Object.keys(FAKES).join('|')} '<options JSON>'\n`);
  process.exit(2);
}
const sources = Object.fromEntries(SOURCES.map((n) => [n, readFileSync(join(here, `${n}.ts`), 'utf8')]));
const hash = createHash('sha256').update(JSON.stringify(sources)).digest('hex').slice(0, 16);
const dir = join(here, '../../node_modules/.cache/ffe-fakes', hash);
if (!existsSync(join(dir, 'package.json'))) {
  const { default: ts } = await import('typescript');
  const tmp = `${dir}.${process.pid}`;
  mkdirSync(tmp, { recursive: true });
  for (const [name, source] of Object.entries(sources)) {
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
      fileName: `${name}.ts`,
    });
    writeFileSync(join(tmp, `${name}.js`), outputText);
  }
  writeFileSync(join(tmp, 'package.json'), '{"type":"module"}\n');
  try {
    renameSync(tmp, dir);
  } catch {
    // Another launcher finished the same build first; its copy is identical.
  }
}
const [file, start] = FAKES[kind];
const mod = await import(pathToFileURL(join(dir, `${file}.js`)).href);
const fake = await mod[start](JSON.parse(json));
process.stdout.write(`${JSON.stringify({ url: fake.url, pid: process.pid })}\n`);
const stop = () => fake.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
