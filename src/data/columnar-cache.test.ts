import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../lib/package-root.js';
import { cachePathFor, decodeColumns, readCandlesCached } from './columnar-cache.js';
import { parseCandleCsv } from './csv-format.js';

const root = mkdtempSync(join(tmpdir(), 'ffe-columnar-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const BUNDLED = join(packageRoot(), 'assets/data');
let parses = 0;
const parse = (name: string) => (text: string) => {
  parses++;
  return parseCandleCsv(text, { name });
};

const CSV = 'timestamp,open,high,low,close,volume\n2024-01-01T00:00:00Z,1,2,0.5,1.5,10\n2024-01-01T01:00:00Z,1.5,2.5,1.25,2,0.1\n2024-01-01T02:00:00Z,2,2,2,2,-0\n';

function setup(text = CSV) {
  const dir = mkdtempSync(join(root, 'case-'));
  const csv = join(dir, 'bars.csv');
  writeFileSync(csv, text);
  return { csv, cache: join(dir, 'cache') };
}

describe('columnar candle cache', () => {
  it('round trip: every bundled CSV read back from its cache equals the CSV parse exactly (all columns)', () => {
    const cache = join(root, 'bundled-cache');
    for (const pair of readdirSync(BUNDLED).filter((p) => !p.includes('.'))) {
      for (const f of readdirSync(join(BUNDLED, pair))) {
        const file = join(BUNDLED, pair, f);
        const parsed = parseCandleCsv(readFileSync(file, 'utf8'), { name: file });
        const built = readCandlesCached(file, parse(file), cache);
        const hit = readCandlesCached(file, parse(file), cache);
        expect(built.from).toBe('rebuilt');
        expect(hit.from).toBe('hit');
        // toEqual treats -0 and 0 alike: Object.is per value makes it bit-exact.
        expect(hit.candles.length).toBe(parsed.length);
        const diffs = parsed.flatMap((k, i) => (Object.keys(k) as (keyof typeof k)[]).filter((c) => !Object.is(k[c], hit.candles[i][c])).map((c) => `${file}:${i}:${c}`));
        expect(diffs).toEqual([]);
        expect(JSON.stringify(hit.candles)).toBe(JSON.stringify(parsed));
      }
    }
  });

  it('keeps -0 and fractional values bit for bit', () => {
    const { csv, cache } = setup();
    readCandlesCached(csv, parse(csv), cache);
    const { candles, from } = readCandlesCached(csv, parse(csv), cache);
    expect(from).toBe('hit');
    expect(Object.is(candles[2].volume, -0)).toBe(true);
    expect(candles[1]).toEqual({ timestamp: Date.parse('2024-01-01T01:00:00Z'), open: 1.5, high: 2.5, low: 1.25, close: 2, volume: 0.1 });
  });

  it('rebuilds when the CSV changes (new content, same size and a restored modification time included)', () => {
    const { csv, cache } = setup();
    readCandlesCached(csv, parse(csv), cache);
    const before = statSync(csv);
    // Same length, one value changed, modification time put back: the hash tells them apart only
    // if the size or time differ, so change the time too (as any editor does) ...
    writeFileSync(csv, CSV.replace('1.5,10', '1.6,10'));
    utimesSync(csv, before.atime, new Date(before.mtimeMs + 5000));
    const changed = readCandlesCached(csv, parse(csv), cache);
    expect(changed.from).toBe('rebuilt');
    expect(changed.candles[0].close).toBe(1.6);
    // ... and an appended row changes the size.
    writeFileSync(csv, `${CSV}2024-01-01T03:00:00Z,2,3,1,2.5,1\n`);
    const appended = readCandlesCached(csv, parse(csv), cache);
    expect(appended.from).toBe('rebuilt');
    expect(appended.candles).toHaveLength(4);
    expect(readCandlesCached(csv, parse(csv), cache)).toMatchObject({ from: 'hit' });
  });

  it('reuses the columns when only the modification time changed (same bytes), without parsing', () => {
    const { csv, cache } = setup();
    readCandlesCached(csv, parse(csv), cache);
    const st = statSync(csv);
    utimesSync(csv, st.atime, new Date(st.mtimeMs + 60_000));
    const p = parses;
    const r = readCandlesCached(csv, parse(csv), cache);
    expect(parses).toBe(p);
    expect(r.candles).toHaveLength(3);
    expect(readCandlesCached(csv, parse(csv), cache).from).toBe('hit');
  });

  it('a truncated or corrupt cache file is rebuilt, never served', () => {
    const { csv, cache } = setup();
    readCandlesCached(csv, parse(csv), cache);
    const path = cachePathFor(csv, cache);
    const good = readFileSync(path);

    truncateSync(path, good.length - 8);
    expect(decodeColumns(readFileSync(path))).toBeNull();
    expect(readCandlesCached(csv, parse(csv), cache)).toMatchObject({ from: 'rebuilt', candles: { length: 3 } });

    const flipped = Buffer.from(good);
    flipped[good.length - 20] ^= 0x40;
    writeFileSync(path, flipped);
    expect(decodeColumns(readFileSync(path))).toBeNull();
    const r = readCandlesCached(csv, parse(csv), cache);
    expect(r.from).toBe('rebuilt');
    expect(r.candles[2].close).toBe(2);

    writeFileSync(path, 'not a cache file');
    expect(readCandlesCached(csv, parse(csv), cache).from).toBe('rebuilt');
    expect(readFileSync(path).equals(good)).toBe(true);
  });

  it('a bad CSV is never cached: the parse error propagates', () => {
    const { csv, cache } = setup('timestamp,open,high,low,close\n2024-01-01,1,2,x,1\n');
    expect(() => readCandlesCached(csv, parse(csv), cache)).toThrow(/low "x" is not a number/);
    expect(() => readFileSync(cachePathFor(csv, cache))).toThrow();
  });

  it('an unwritable cache folder costs the cache, not the read; null turns it off', () => {
    const { csv } = setup();
    const notADir = join(root, 'a-file');
    writeFileSync(notADir, '');
    expect(readCandlesCached(csv, parse(csv), join(notADir, 'cache')).candles).toHaveLength(3);
    expect(readCandlesCached(csv, parse(csv), null)).toMatchObject({ from: 'off', candles: { length: 3 } });
  });

  it('concurrent builders (separate processes) leave one whole cache file and no temporary files', async () => {
    const { csv, cache } = setup();
    // A larger CSV so the writes overlap.
    copyFileSync(join(BUNDLED, 'BTCUSD/1h.csv'), csv);
    // The children load this module bundled by esbuild (vitest's own transpiler) from the source under test.
    const out = join(root, 'bundle');
    const { build } = await import('esbuild');
    await build({
      entryPoints: [resolve(import.meta.dirname, 'columnar-cache.ts'), resolve(import.meta.dirname, 'csv-format.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outdir: out,
      logLevel: 'silent',
    });
    // Each child rebuilds five times (a new modification time each time forces a write).
    const script = `import { utimesSync } from 'node:fs';
import { readCandlesCached } from ${JSON.stringify(join(out, 'columnar-cache.js'))};
import { parseCandleCsv } from ${JSON.stringify(join(out, 'csv-format.js'))};
for (let i = 0; i < 5; i++) {
  const r = readCandlesCached(${JSON.stringify(csv)}, (t) => parseCandleCsv(t, { name: 'x' }), ${JSON.stringify(cache)});
  if (r.candles.length !== ${parseCandleCsv(readFileSync(join(BUNDLED, 'BTCUSD/1h.csv'), 'utf8'), { name: 'x' }).length}) process.exit(3);
  utimesSync(${JSON.stringify(csv)}, new Date(), new Date(Date.now() + Math.random() * 1e6));
}`;
    const runs = Array.from({ length: 4 }, () => new Promise<number | null>((done) => spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' }).on('exit', done)));
    expect(await Promise.all(runs)).toEqual([0, 0, 0, 0]);
    expect(readdirSync(cache)).toEqual([cachePathFor(csv, cache).slice(cache.length + 1)]);
    const decoded = decodeColumns(readFileSync(cachePathFor(csv, cache)));
    expect(JSON.stringify(decoded?.candles)).toBe(JSON.stringify(parseCandleCsv(readFileSync(csv, 'utf8'), { name: csv })));
  });
});
