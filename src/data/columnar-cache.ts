import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Candle } from '../core/candle.js';

/**
 * A columnar binary copy of a parsed candle CSV: six Float64 columns read whole, so a command
 * that needs a bundled series does not split, parse and validate megabytes of text on every run
 * (issue 17). Built on first use next to nothing the user edits (the cache folder), written to a
 * temporary file and renamed so a concurrent reader or builder never sees half a file, and keyed
 * by the CSV's size, modification time and SHA-256: any change to the CSV rebuilds it. A cache
 * file that is truncated, corrupt or from another layout is ignored and rebuilt, never trusted.
 *
 * Layout (little endian): "FFECOL01", u32 layout version, u32 rows, f64 CSV size, f64 CSV mtime
 * (ms), 32 bytes CSV SHA-256, u32 payload checksum, u32 zero, then the columns timestamp, open,
 * high, low, close, volume (rows × f64 each).
 */
const MAGIC = 'FFECOL01';
const LAYOUT = 1;
const HEADER = 72;
const COLUMNS = ['timestamp', 'open', 'high', 'low', 'close', 'volume'] as const;

/**
 * Where cache files go: FFE_CACHE_DIR, else $XDG_CACHE_HOME/ffe/candles, else ~/.cache/ffe/candles.
 * FFE_CACHE_DIR=off turns the cache off (every read parses the CSV).
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.FFE_CACHE_DIR === 'off') return null;
  if (env.FFE_CACHE_DIR) return env.FFE_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ffe', 'candles');
}

/** The cache file of a CSV: one per absolute path (the name keeps the CSV's for a reader of the folder). */
export function cachePathFor(file: string, dir: string): string {
  const abs = resolve(file);
  return join(dir, `${createHash('sha256').update(abs).digest('hex').slice(0, 16)}-${basename(abs)}.ffecol`);
}

/** FNV-1a over the payload's 32-bit words: catches flipped or zeroed bytes that a length check would not. */
function checksum(words: Uint32Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 16777619) >>> 0;
  return h;
}

interface Source {
  size: number;
  mtimeMs: number;
  sha256: Buffer;
}

/** The cache file's bytes for `candles` parsed from a CSV described by `source`. */
export function encodeColumns(candles: readonly Candle[], source: Source): Buffer {
  const n = candles.length;
  const buf = Buffer.alloc(HEADER + COLUMNS.length * n * 8);
  const cols = new Float64Array(buf.buffer, buf.byteOffset + HEADER, COLUMNS.length * n);
  COLUMNS.forEach((c, j) => {
    const off = j * n;
    for (let i = 0; i < n; i++) cols[off + i] = candles[i][c];
  });
  buf.write(MAGIC, 0, 'latin1');
  buf.writeUInt32LE(LAYOUT, 8);
  buf.writeUInt32LE(n, 12);
  buf.writeDoubleLE(source.size, 16);
  buf.writeDoubleLE(source.mtimeMs, 24);
  source.sha256.copy(buf, 32);
  buf.writeUInt32LE(checksum(new Uint32Array(buf.buffer, buf.byteOffset + HEADER, cols.length * 2)), 64);
  return buf;
}

interface Decoded {
  candles: Candle[];
  source: Source;
}

/** The candles and source key in a cache file's bytes, or null when they are not a whole, intact cache file. */
export function decodeColumns(bytes: Uint8Array): Decoded | null {
  if (bytes.length < HEADER) return null;
  // Float64Array views need 8-byte alignment; a small read may sit at any offset of a pooled buffer.
  const buf = bytes.byteOffset % 8 === 0 ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length) : Buffer.from(Uint8Array.prototype.slice.call(bytes));
  if (buf.toString('latin1', 0, 8) !== MAGIC || buf.readUInt32LE(8) !== LAYOUT) return null;
  const n = buf.readUInt32LE(12);
  if (buf.length !== HEADER + COLUMNS.length * n * 8) return null;
  if (checksum(new Uint32Array(buf.buffer, buf.byteOffset + HEADER, COLUMNS.length * n * 2)) !== buf.readUInt32LE(64)) return null;
  const cols = new Float64Array(buf.buffer, buf.byteOffset + HEADER, COLUMNS.length * n);
  const candles: Candle[] = new Array<Candle>(n);
  for (let i = 0; i < n; i++) {
    // The same key order as the CSV parser's objects: JSON output and hidden classes stay identical.
    candles[i] = { timestamp: cols[i], open: cols[n + i], high: cols[2 * n + i], low: cols[3 * n + i], close: cols[4 * n + i], volume: cols[5 * n + i] };
  }
  return { candles, source: { size: buf.readDoubleLE(16), mtimeMs: buf.readDoubleLE(24), sha256: Buffer.from(buf.subarray(32, 64)) } };
}

let tmpCounter = 0;

/** Writes `bytes` to `path` through a temporary file in the same folder and a rename: readers see the old file or the whole new one. */
function writeAtomically(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.${process.pid}.${++tmpCounter}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export interface CachedRead {
  candles: Candle[];
  /** hit: read from the cache; rebuilt: parsed from the CSV (cache missing, stale or damaged); off: no cache folder. */
  from: 'hit' | 'rebuilt' | 'off';
}

/**
 * The candles of a CSV, from its columnar cache when that is current, else parsed with `parse`
 * (whose errors propagate: a bad CSV is never cached) and cached for the next run. A cache folder
 * that cannot be written costs only the cache, never the read.
 */
export function readCandlesCached(file: string, parse: (text: string) => Candle[], dir: string | null = defaultCacheDir()): CachedRead {
  if (dir === null) return { candles: parse(readFileSync(file, 'utf8')), from: 'off' };
  const st = statSync(file);
  const path = cachePathFor(file, dir);
  let cached: Decoded | null = null;
  try {
    cached = decodeColumns(readFileSync(path));
  } catch {
    // No cache file yet (or unreadable): build it.
  }
  if (cached && cached.source.size === st.size && cached.source.mtimeMs === st.mtimeMs) return { candles: cached.candles, from: 'hit' };
  const raw = readFileSync(file);
  const sha256 = createHash('sha256').update(raw).digest();
  const source = { size: raw.length, mtimeMs: st.mtimeMs, sha256 };
  // Same bytes with a new modification time (a copy, a checkout): the columns are still right.
  const candles = cached && cached.source.size === raw.length && cached.source.sha256.equals(sha256) ? cached.candles : parse(raw.toString('utf8'));
  try {
    mkdirSync(dir, { recursive: true });
    writeAtomically(path, encodeColumns(candles, source));
  } catch {
    // A read-only or full disk: serve the parsed candles uncached.
  }
  return { candles, from: 'rebuilt' };
}
