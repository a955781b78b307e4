import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

/** Relative imports of a file, resolved to paths relative to src/ (e.g. `data/bundled/adapter.ts`). */
export function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
  return specs.filter((s) => s.startsWith('.')).map((s) => relative(SRC, resolve(dirname(file), s)).replace(/\.js$/, '.ts'));
}

const ADAPTER_ROOTS = ['data', 'providers', 'venues', 'store'];
/** Folders of port files (one file per area), not adapters. */
const PORT_FOLDERS = new Set(['store/ports']);
/** An adapter is anything inside src/<port-area>/<name>/; the port files sit directly in src/<port-area>/. */
export const isAdapter = (rel: string) => {
  const parts = rel.split('/');
  return ADAPTER_ROOTS.includes(parts[0]) && parts.length > 2 && !PORT_FOLDERS.has(`${parts[0]}/${parts[1]}`);
};

/** What a file under src/interfaces may import: the application layer, core (domain types and errors) and its own interface code. */
export const interfaceMayImport = (rel: string) => rel.startsWith('application/') || rel.startsWith('core/') || rel.startsWith('interfaces/');

/** The adapter a path relative to src/ belongs to (`venues/paper`), or null for anything else. */
export const adapterOf = (rel: string): string | null => {
  const parts = rel.split('/');
  return isAdapter(rel) ? `${parts[0]}/${parts[1]}` : null;
};

/**
 * Shared bases: folders of an adapter area that hold code the area's adapters build on and
 * that implement no port by themselves. Adapters of the area may import them.
 */
export const SHARED_BASES = new Set([
  // HTTP, prompt, parsing and format fallback that every model provider (and the provider decorators) build on.
  'providers/llm',
  // ccxt loading, symbol mapping and error mapping shared by every ccxt exchange.
  'venues/ccxt',
]);

/** Imports of the file at `rel` (relative to src/) that reach into another adapter (shared bases excluded), as `from → to` pairs. */
export function crossAdapterPairs(rel: string, imports: readonly string[]): { pair: string; line: string }[] {
  const from = adapterOf(rel);
  if (!from) return [];
  return imports.flatMap((i) => {
    const to = adapterOf(i);
    return to && to !== from && !SHARED_BASES.has(to) ? [{ pair: `${from} → ${to}`, line: `${rel} imports ${i}` }] : [];
  });
}

/** Imports from one adapter into another of `file`. No exceptions: what two adapters share lives in a non-adapter module of their area (e.g. src/data/csv-format.ts) or a shared base. */
export const crossAdapterImports = (file: string) => crossAdapterPairs(relative(SRC, file), importsOf(file));

const violations = (layer: string, allowed: (rel: string) => boolean) =>
  sourceFiles(join(SRC, layer)).flatMap((f) =>
    importsOf(f)
      .filter((i) => !allowed(i))
      .map((i) => `${relative(SRC, f)} imports ${i}`),
  );

describe('architecture: ports and adapters', () => {
  it('the domain (src/core) imports nothing outside itself, and no packages', () => {
    const bad = violations('core', (i) => i.startsWith('core/'));
    const pkgImports = sourceFiles(join(SRC, 'core')).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/from\s+['"]([^'".][^'"]*)['"]/g)].map((m) => `${relative(SRC, f)} imports package ${m[1]}`));
    expect([...bad, ...pkgImports]).toEqual([]);
  });

  for (const layer of ['engine', 'analysis', 'ensemble', 'risk', 'agent', 'memory', 'backtest', 'execution', 'monitor']) {
    it(`src/${layer} depends on ports, never on a concrete adapter`, () => {
      // A renamed or moved layer must fail here, not pass with nothing checked.
      expect(statSync(join(SRC, layer)).isDirectory()).toBe(true);
      expect(violations(layer, (i) => !isAdapter(i) && !i.startsWith('app/') && !i.startsWith('interfaces/'))).toEqual([]);
    });
  }

  it('interfaces reach the program only through the application layer (src/application), plus core types and their own helpers', () => {
    expect(statSync(join(SRC, 'interfaces')).isDirectory()).toBe(true);
    expect(violations('interfaces', interfaceMayImport)).toEqual([]);
  });

  it('the interface rule catches an import past the application layer (guards against a vacuous check)', () => {
    for (const bad of ['app/container.ts', 'store/sqlite/store.ts', 'venues/paper/venue.ts', 'execution/execution-service.ts', 'agent/port.ts', 'lib/package-root.ts']) expect(interfaceMayImport(bad)).toBe(false);
    for (const ok of ['application/api.ts', 'core/errors.ts', 'interfaces/cli/format.ts']) expect(interfaceMayImport(ok)).toBe(true);
    // The CLI does import things, all of them through the application layer.
    const cli = sourceFiles(join(SRC, 'interfaces')).flatMap(importsOf);
    expect(cli.filter((i) => i.startsWith('application/')).length).toBeGreaterThan(10);
  });

  it('an adapter never imports another adapter (src/<area>/<name>/ → src/<area2>/<name2>/), shared bases aside', () => {
    const all = ['data', 'providers', 'venues', 'store'].flatMap((area) => sourceFiles(join(SRC, area)).flatMap(crossAdapterImports));
    expect(all.map((x) => x.line)).toEqual([]);
  });

  it('the adapter-to-adapter rule catches a cross-adapter import (guards against a vacuous check)', () => {
    expect(adapterOf('store/sqlite/store.ts')).toBe('store/sqlite');
    expect(adapterOf('venues/paper/venue.ts')).toBe('venues/paper');
    expect(adapterOf('store/port.ts')).toBeNull();
    expect(adapterOf('store/ports/paper.ts')).toBeNull();
    // An adapter importing another adapter is reported; the same file importing its area's shared module is not.
    expect(crossAdapterPairs('data/bundled/adapter.ts', ['data/csv/parse-candles.ts', 'data/port.ts', 'data/bundled/manifest.ts']).map((x) => x.pair)).toEqual(['data/bundled → data/csv']);
    expect(crossAdapterPairs('venues/kraken/index.ts', ['venues/binance/index.ts']).map((x) => x.line)).toEqual(['venues/kraken/index.ts imports venues/binance/index.ts']);
    expect(crossAdapterPairs('app/registry.ts', ['venues/binance/index.ts'])).toEqual([]);
    const bundled = join(SRC, 'data/bundled/adapter.ts');
    expect(importsOf(bundled)).toContain('data/csv-format.ts');
    expect(crossAdapterImports(bundled)).toEqual([]);
    // Shared bases are imported for real, and are not reported.
    const openai = join(SRC, 'providers/openai/openai-provider.ts');
    expect(importsOf(openai).some((i) => adapterOf(i) === 'providers/llm')).toBe(true);
    expect(crossAdapterImports(openai)).toEqual([]);
  });

  it('storage ports are declared only in src/store/ports (one place, XRepository names)', () => {
    const outside = sourceFiles(SRC)
      .filter((f) => !relative(SRC, f).startsWith('store/'))
      .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/export\s+interface\s+(\w+(?:Repository|Store|Persistence|Journal|Log))\b/g)].map((m) => `${relative(SRC, f)}: ${m[1]}`));
    expect(outside).toEqual([]);
    const ports = readdirSync(join(SRC, 'store/ports'));
    expect(ports.length).toBeGreaterThan(10);
  });

  it('the rule itself catches an adapter import (guards against a vacuous check)', () => {
    expect(isAdapter('data/bundled/adapter.ts')).toBe(true);
    expect(isAdapter('store/sqlite/store.ts')).toBe(true);
    expect(isAdapter('data/port.ts')).toBe(false);
    expect(isAdapter('providers/port.ts')).toBe(false);
    expect(importsOf(join(SRC, 'app/registry.ts')).some(isAdapter)).toBe(true);
  });
});
