import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../core/error-catalogue.js';
import { configLeaves } from './introspect.js';
import { MOVED_KEYS } from './moved.js';
import { referenceMarkdown } from './reference.js';
import { configSchema } from './schema.js';

describe('docs/configuration.md', () => {
  const text = referenceMarkdown();

  it('is committed in sync with the schema (regenerate with `ffe config docs --markdown > docs/configuration.md`)', () => {
    const committed = readFileSync(join(import.meta.dirname, '../../docs/configuration.md'), 'utf8');
    expect(committed.trimEnd()).toBe(text.trimEnd());
  });

  it('has one row per key, and one heading per top-level section', () => {
    const leaves = configLeaves(configSchema);
    for (const leaf of leaves) expect(text).toContain(`| \`${leaf.path.join('.')}\` |`);
    for (const section of new Set(leaves.map((l) => l.path[0]))) expect(text).toMatch(new RegExp(`^## ${section}$`, 'm'));
    const rows = text.split('\n').filter((l) => /^\| `[a-z_]/.test(l));
    const entryFields = leaves.reduce((n, l) => n + (l.entryLeaves?.length ?? 0), 0);
    expect(rows.length).toBe(leaves.length + entryFields + Object.keys(MOVED_KEYS).length);
  });

  it('states ranges, environment variables and secrets, never a secret default', () => {
    expect(text).toContain('| `server.port` | integer, 0 to 65535 | `8000` | `SERVER_PORT` |');
    expect(text).toMatch(/\| `data\.alpha_vantage\.api_key` \| string \(\*\*secret\*\*\) \| \(unset\) \| `ALPHA_VANTAGE_API_KEY`, `DATA_ALPHA_VANTAGE_API_KEY` \|/);
    expect(text).toMatch(/\| `auth\.jwt_secret` \| [^|]*\(\*\*secret\*\*\) \| \(unset\) \|/);
    // A named entry's fields have no variable of their own; a `<name>` in prose must not render as an HTML tag.
    expect(text).toMatch(/\| `providers\.<name>\.api_key` \| string \(\*\*secret\*\*\) \| \(unset\) \| — \|/);
    expect(text).toContain('overriding providers.&lt;name>.weight');
    expect(text).toContain('| `agent.stop_loss` | `sizing.stop_loss` |');
  });

  it('keeps every table row to the header column count (a stray pipe would shift cells)', () => {
    const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
    for (const block of text.split(/\n\n/).filter((b) => b.startsWith('| Key |'))) {
      const lines = block.split('\n');
      for (const l of lines) expect(cells(l), l).toBe(cells(lines[0]));
    }
  });
});

describe('operator docs', () => {
  const leaves = configLeaves(configSchema);
  const sections = new Set(leaves.map((l) => l.path[0]));
  const keys = new Set<string>();
  for (const l of leaves) {
    for (let i = 1; i <= l.path.length; i++) keys.add(l.path.slice(0, i).join('.'));
    for (const e of l.entryLeaves ?? []) keys.add([...l.path, '<name>', ...e.path].join('.'));
  }
  // Named by the docs as being added by issue 15 (PostgreSQL store); exists once that work is merged.
  const PLANNED = new Set(['database.url']);
  const read = (name: string) => readFileSync(join(import.meta.dirname, '../../docs', name), 'utf8');

  it.each(['security.md', 'troubleshooting.md', 'performance.md'])('%s names only configuration keys the schema has', (name) => {
    const named = [...read(name).matchAll(/`([a-z_]+(?:\.(?:[a-z0-9_]+|<name>|<venue>|\*))+)/g)].map((m) => m[1]).filter((k) => sections.has(k.split('.')[0]));
    expect(named.length).toBeGreaterThan(0);
    const unknown = named.filter((k) => !keys.has(k.replace(/\.\*$/, '').replace('venues.<venue>.', 'venues.coinbase.')));
    expect(unknown.filter((k) => !PLANNED.has(k))).toEqual([]);
  });

  it('troubleshooting.md names only error codes the catalogue has', () => {
    // Provider failure codes are per-provider results, not catalogue entries (src/providers/port.ts).
    const providerFailures = ['TIMEOUT', 'UNREACHABLE', 'HTTP', 'INVALID_OUTPUT', 'BUDGET_EXHAUSTED'];
    const codes = [...read('troubleshooting.md').matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{4,})`/g)].map((m) => m[1]);
    expect(codes.length).toBeGreaterThan(30);
    const envNames = new Set(leaves.flatMap((l) => l.envNames));
    expect(codes.filter((c) => !(c in ERROR_CATALOGUE) && !providerFailures.includes(c) && !envNames.has(c) && c !== 'FFE_HOME')).toEqual([]);
  });
});
