import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, type ErrorEntry } from './error-catalogue.js';
import { FfeError, inputError, type ErrorKind } from './errors.js';

const SRC = resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('error-catalogue.ts') ? [p] : [];
  });
}

const FACTORY_KIND: Record<string, ErrorKind> = { inputError: 'input', dataError: 'data', venueError: 'venue', configError: 'config' };

interface Site {
  code: string;
  kind: ErrorKind;
  file: string;
}

/** Every code passed as a literal to an FfeError or one of its factories, and the codes of files that pass a computed code. */
function scan(): { sites: Site[]; computed: Set<string> } {
  const sites: Site[] = [];
  const computed = new Set<string>();
  for (const f of sourceFiles(SRC)) {
    const text = readFileSync(f, 'utf8');
    const file = relative(SRC, f);
    for (const m of text.matchAll(/new FfeError\(\s*'([a-z]+)',\s*'([A-Z][A-Z0-9_]+)'/g)) sites.push({ code: m[2], kind: m[1] as ErrorKind, file });
    for (const m of text.matchAll(/\b(inputError|dataError|venueError|configError)\(\s*'([A-Z][A-Z0-9_]+)'/g)) sites.push({ code: m[2], kind: FACTORY_KIND[m[1]], file });
    // A code computed from a table or a type (approval status, reconcile outcome, store failure class):
    // the table's literals sit in the same file, and the type checker holds them to the catalogue.
    const dynamic = /new FfeError\(\s*[^,]+,\s*[^'\s,][^,]*,|\b(?:inputError|dataError|venueError|configError)\(\s*[^'\s)]/.test(text);
    if (dynamic) for (const m of text.matchAll(/'([A-Z][A-Z0-9_]+)'/g)) if (m[1] in ERROR_CATALOGUE) computed.add(m[1]);
  }
  return { sites, computed };
}

describe('the error catalogue', () => {
  const { sites, computed } = scan();
  const catalogued = ERROR_CATALOGUE as Record<string, ErrorEntry>;

  it('finds the codes raised in src/ (the scan itself works)', () => {
    expect(sites.length).toBeGreaterThan(100);
    expect(sites).toContainEqual({ code: 'PAIR_INVALID', kind: 'input', file: 'core/pair.ts' });
    expect(sites).toContainEqual({ code: 'LEASE_HELD', kind: 'runtime', file: 'application/runtime.ts' });
    for (const c of ['APPROVAL_EXPIRED', 'RECONCILE_MISMATCH', 'STORE_READONLY', 'STORE_FULL']) expect(computed).toContain(c);
  });

  it('lists every code raised in src/', () => {
    const missing = sites.filter((s) => !(s.code in catalogued)).map((s) => `${s.code} (${s.file})`);
    expect(missing).toEqual([]);
  });

  it('lists no code that nothing raises', () => {
    const raised = new Set([...sites.map((s) => s.code), ...computed]);
    expect(Object.keys(catalogued).filter((c) => !raised.has(c))).toEqual([]);
  });

  it('gives each code the kind its raisers give it (venues also report a position the caller named that is not open)', () => {
    const allowed = (s: Site) => s.kind === catalogued[s.code]?.kind || (s.code === 'POSITION_NOT_FOUND' && s.kind === 'venue');
    expect(sites.filter((s) => s.code in catalogued && !allowed(s)).map((s) => `${s.code}: ${s.kind} in ${s.file}, catalogued ${catalogued[s.code].kind}`)).toEqual([]);
  });

  it('keeps the exit rule: 2 for input and config, 130 for a cancellation, 1 for the rest', () => {
    for (const [code, entry] of Object.entries(catalogued)) {
      const want = code === 'CANCELLED' ? 130 : entry.kind === 'input' || entry.kind === 'config' ? 2 : 1;
      expect([code, entry.exit]).toEqual([code, want]);
      // Bad input never answers 5xx; a run-time failure never blames the client with a 400.
      if (entry.kind === 'input') expect([code, entry.http < 500]).toEqual([code, true]);
      if (entry.exit === 1) expect([code, entry.http === 400]).toEqual([code, false]);
    }
  });

  it('is what FfeError reports as exit code and HTTP status', () => {
    const cases: [FfeError, number, number][] = [
      [inputError('PAIR_INVALID', 'x'), 2, 400],
      [inputError('DECISION_NOT_FOUND', 'x'), 2, 404],
      [inputError('SANDBOX_UNKNOWN', 'x'), 2, 404],
      [new FfeError('venue', 'POSITION_NOT_FOUND', 'x'), 2, 404],
      [new FfeError('runtime', 'LEASE_HELD', 'x'), 1, 409],
      [new FfeError('risk', 'KILL_SWITCH_TRIPPED', 'x'), 1, 409],
      [new FfeError('runtime', 'RECONCILE_MISMATCH', 'x'), 1, 409],
      [new FfeError('risk', 'RISK_DENIED', 'x'), 1, 422],
      [new FfeError('venue', 'VENUE_UNAVAILABLE', 'x'), 1, 503],
      [new FfeError('runtime', 'STORE_FULL', 'x'), 1, 507],
      [new FfeError('config', 'CONFIG_INVALID', 'x'), 2, 400],
      [new FfeError('runtime', 'CANCELLED', 'x'), 130, 409],
    ];
    for (const [e, exit, http] of cases) expect([e.code, e.exitCode, e.httpStatus]).toEqual([e.code, exit, http]);
  });

  it('falls back to the kind for a code from elsewhere (a worker, a stored record)', () => {
    const foreign = (kind: ErrorKind) => new FfeError(kind, 'FROM_ELSEWHERE' as never, 'x');
    expect([foreign('input').exitCode, foreign('input').httpStatus]).toEqual([2, 400]);
    expect([foreign('venue').exitCode, foreign('venue').httpStatus]).toEqual([1, 503]);
    expect([foreign('runtime').exitCode, foreign('runtime').httpStatus]).toEqual([1, 500]);
  });
});
