/**
 * Tulip Indicators' C core as a peer: compiles node_modules/tulind/external/tiamalgamation.c (the
 * amalgamation inside the tulind devDependency; its install script never runs) with the system C
 * compiler together with driver.c, then runs it on columns written to a binary file. Calling
 * tulind from JS would time its array conversion, not the C loops, so the bench and the parity
 * test go through this driver instead.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Columns {
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
}

export const INSTALL_CC = 'apt-get install -y gcc';

/** driver.c beside this file in the source tree; from dist/bench/tulip (or a bundle) the nearest bench/tulip above. */
function driverSource(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(dir, 'driver.c')]) if (existsSync(candidate)) return candidate;
  for (;;) {
    const candidate = join(dir, 'bench', 'tulip', 'driver.c');
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error('bench/tulip/driver.c not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

function amalgamationDir(): string {
  const pkg = createRequire(import.meta.url).resolve('tulind/package.json');
  return join(dirname(pkg), 'external');
}

/**
 * Builds the driver into a fresh temp directory and returns its path, or the reason it could not
 * (no C compiler, compile error), so the bench can say so instead of failing.
 */
export function buildTulipDriver(): { driver: string } | { error: string } {
  const probe = spawnSync('cc', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { error: `no C compiler (cc) on PATH; install one with: ${INSTALL_CC}` };
  const external = amalgamationDir();
  const driver = join(mkdtempSync(join(tmpdir(), 'ffe-tulip-')), 'driver');
  const built = spawnSync('cc', ['-O2', '-o', driver, '-I', external, driverSource(), join(external, 'tiamalgamation.c'), '-lm'], { encoding: 'utf8' });
  if (built.error || built.status !== 0) return { error: `cc failed: ${built.error?.message ?? built.stderr.trim()}` };
  return { driver };
}

/** Writes the columns in driver.c's input format: uint64 n, then high, low, close as doubles. */
export function writeColumns(path: string, { high, low, close }: Columns): void {
  const n = close.length;
  const buf = Buffer.alloc(8 + 24 * n);
  buf.writeBigUInt64LE(BigInt(n), 0);
  let offset = 8;
  for (const column of [high, low, close]) {
    Buffer.from(column.buffer, column.byteOffset, column.byteLength).copy(buf, offset);
    offset += 8 * n;
  }
  writeFileSync(path, buf);
}

function runDriver(driver: string, args: string[]): string {
  const out = spawnSync(driver, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (out.error || out.status !== 0) throw new Error(`tulip driver ${args[0]} failed: ${out.error?.message ?? out.stderr.trim()}`);
  return out.stdout;
}

/** How bench/tulip/driver.c times: `runs` calls after a warm-up, each after `pauseMs`; all indicators or `labels`. */
export interface TulipTiming {
  runs: number;
  pauseMs: number;
  labels?: readonly string[];
}

/** Best CPU ms per indicator (labels as in indicators.bench.ts). */
export function timeTulip(driver: string, dataPath: string, { runs, pauseMs, labels = [] }: TulipTiming): Map<string, number> {
  const times = new Map<string, number>();
  for (const line of runDriver(driver, ['time', dataPath, String(runs), String(pauseMs), ...labels])
    .trim()
    .split('\n')) {
    const cut = line.lastIndexOf(' ');
    const label = line.slice(0, cut);
    if (label !== 'checksum') times.set(label, Number(line.slice(cut + 1)));
  }
  return times;
}

/**
 * Every output of one Tulip indicator (in Tulip's output order), each aligned to the input: NaN
 * before Tulip's start index.
 */
export function dumpTulip(driver: string, dataPath: string, indicator: string, options: number[]): Float64Array[] {
  const out = join(dirname(dataPath), `${indicator}.out`);
  runDriver(driver, ['dump', dataPath, out, indicator, ...options.map(String)]);
  const bytes = readFileSync(out);
  const all = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const n = Number(readFileSync(dataPath).readBigUInt64LE(0));
  const outputs: Float64Array[] = [];
  for (let k = 0; k < all.length; k += n) outputs.push(all.subarray(k, k + n));
  return outputs;
}
