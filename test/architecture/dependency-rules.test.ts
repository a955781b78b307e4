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
/** An adapter is anything inside src/<port-area>/<name>/; the port files sit directly in src/<port-area>/. */
export const isAdapter = (rel: string) => {
  const parts = rel.split('/');
  return ADAPTER_ROOTS.includes(parts[0]) && parts.length > 2;
};

/** What a file under src/interfaces may import: the application layer, core (domain types and errors) and its own interface code. */
export const interfaceMayImport = (rel: string) => rel.startsWith('application/') || rel.startsWith('core/') || rel.startsWith('interfaces/');

const violations = (layer: string, allowed: (rel: string) => boolean) =>
  sourceFiles(join(SRC, layer)).flatMap((f) => importsOf(f).filter((i) => !allowed(i)).map((i) => `${relative(SRC, f)} imports ${i}`));

describe('architecture: ports and adapters', () => {
  it('the domain (src/core) imports nothing outside itself, and no packages', () => {
    const bad = violations('core', (i) => i.startsWith('core/'));
    const pkgImports = sourceFiles(join(SRC, 'core')).flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/from\s+['"]([^'".][^'"]*)['"]/g)].map((m) => `${relative(SRC, f)} imports package ${m[1]}`),
    );
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

  it('the rule itself catches an adapter import (guards against a vacuous check)', () => {
    expect(isAdapter('data/bundled/adapter.ts')).toBe(true);
    expect(isAdapter('store/sqlite/store.ts')).toBe(true);
    expect(isAdapter('data/port.ts')).toBe(false);
    expect(isAdapter('providers/port.ts')).toBe(false);
    expect(importsOf(join(SRC, 'app/registry.ts')).some(isAdapter)).toBe(true);
  });
});
