import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { providerInstanceSchema } from '../config/sections/providers.js';
import type { AnyDataAdapter } from '../data/adapter.js';
import type { AnyProviderAdapter } from '../providers/adapter.js';
import type { AnyVenueAdapter } from '../venues/adapter.js';
import { dataAdapters, providerAdapters, venueAdapters } from './registry.js';

// The config sections are assembled from the registry: registering an adapter is all it takes.
describe('adapter registry → config schema', () => {
  it('gives every registered venue its own section, with its own defaults, and routes its asset classes to it', () => {
    const cfg = configSchema.parse({});
    for (const a of venueAdapters as readonly AnyVenueAdapter[]) {
      expect((cfg.venues as Record<string, unknown>)[a.kind]).toEqual(a.configSchema.parse({}));
      for (const cls of a.assetClasses) {
        expect(configSchema.parse({ venues: { routing: { [cls]: a.kind } } }).venues.routing[cls]).toBe(a.kind);
      }
    }
    const r = configSchema.safeParse({ venues: { routing: { stock: 'oanda' } } });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path.join('.')).toBe('venues.routing.stock');
  });

  it('admits every registered provider kind with its own fields, and runs its checks', () => {
    for (const a of providerAdapters as readonly AnyProviderAdapter[]) {
      const entry = providerInstanceSchema.safeParse({ kind: a.kind, model: 'm', preset: 'codex', command: 'x' });
      expect(entry.success, a.kind).toBe(true);
      for (const key of Object.keys(a.configSchema.shape)) expect(entry.data).toHaveProperty(key);
    }
    expect(providerInstanceSchema.safeParse({ kind: 'nope' }).success).toBe(false);
  });

  it('gives every registered data source its section under data, selectable as data.source (and news.source when it serves news)', () => {
    for (const a of dataAdapters as readonly AnyDataAdapter[]) {
      const cfg = configSchema.parse({ data: { source: a.kind }, news: { source: a.news ? a.kind : 'none' } });
      expect((cfg.data as Record<string, unknown>)[a.kind]).toEqual(a.configSchema.parse({}));
    }
    const old = configSchema.safeParse({ data: { bundled_dir: '/x' } });
    expect(old.success).toBe(false);
  });
});

describe('providers.<name>.base_url', () => {
  it('refuses an empty port (http://127.0.0.1:/v1), naming the field', () => {
    const r = configSchema.safeParse({ providers: { gpt: { kind: 'openai', model: 'm', base_url: 'http://127.0.0.1:/v1' } } });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain('providers.gpt.base_url');
    expect(configSchema.safeParse({ providers: { gpt: { kind: 'openai', model: 'm', base_url: 'http://127.0.0.1:1234/v1' } } }).success).toBe(true);
  });
});
