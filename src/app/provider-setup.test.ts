import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AS_OF, newsItem } from '../../test/fakes/analysis-context.js';
import { redactConfig, secretValues } from '../config/load.js';
import { configSchema, type Config } from '../config/schema.js';
import { providerInstanceSchema } from '../config/sections/providers.js';
import type { MarketData, NewsSource } from '../data/port.js';
import { CassetteProvider } from '../providers/cassette/cassette-provider.js';
import { SqliteStore } from '../store/sqlite/store.js';
import { buildNews, buildProviders, isLocal } from './provider-setup.js';

let store: SqliteStore;
beforeEach(async () => {
  store = await SqliteStore.open(':memory:');
});
afterEach(() => store.close());

const config = (input: Record<string, unknown>): Config => configSchema.parse(input);
const two = {
  providers: {
    llama: { kind: 'ollama', model: 'llama3.1:8b', weight: 2 },
    gpt: { kind: 'openai', model: 'gpt-4o-mini' },
    off: { kind: 'openai', model: 'x', base_url: 'http://127.0.0.1:9/v1', enabled: false },
  },
};

describe('buildProviders', () => {
  it('always has rules and ensemble; enabled providers go behind accounting and the cassette', () => {
    const s = buildProviders(config(two), { store, env: {} });
    expect([...s.providers.keys()]).toEqual(['rules', 'llama', 'gpt', 'ensemble']);
    expect(s.providers.get('llama')).toBeInstanceOf(CassetteProvider);
    expect(s.ensemble.members.map((m) => m.provider.name)).toEqual(['rules', 'llama', 'gpt']);
    expect(s.catalog.find((c) => c.name === 'off')).toMatchObject({ enabled: false, inEnsemble: false });
    expect(s.catalog.find((c) => c.name === 'llama')).toMatchObject({ kind: 'ollama', model: 'llama3.1:8b', local: true, weight: 2 });
    expect(s.catalog.find((c) => c.name === 'gpt')).toMatchObject({ local: false, weight: 1 });
    expect(s.fallback?.name).toBe('rules');
    expect(buildProviders(config(two), { store, env: {}, cassetteMode: 'strict' }).cassette.mode).toBe('strict');
  });

  it('ensemble.providers and ensemble.weights select and weigh members; unknown names are config errors', () => {
    const s = buildProviders(config({ ...two, ensemble: { providers: ['gpt', 'llama', 'off'], weights: { gpt: 0.7 } } }), { store, env: {} });
    expect(s.ensemble.members.map((m) => m.provider.name)).toEqual(['llama', 'gpt']);
    expect(s.catalog.find((c) => c.name === 'gpt')!.weight).toBe(0.7);
    expect(() => buildProviders(config({ ensemble: { providers: ['nope'] } }), { store })).toThrow(/ensemble\.providers: "nope" is not a configured provider/);
    expect(() => buildProviders(config({ ...two, ensemble: { fallback_provider: 'off' } }), { store })).toThrow(/ensemble\.fallback_provider: "off" is not an enabled provider/);
    expect(buildProviders(config({ ensemble: { fallback_provider: null } }), { store }).fallback).toBeNull();
  });

  it('OPENAI_API_KEY fills an empty key only for OpenAI itself, never for another server, and is then scrubbed', () => {
    const cfg = config({ providers: { gpt: { kind: 'openai', model: 'm' }, lm: { kind: 'openai', model: 'm', base_url: 'http://127.0.0.1:1234/v1' } } });
    buildProviders(cfg, { store, env: { OPENAI_API_KEY: 'sk-env-key-123456' } });
    expect(cfg.providers.gpt.api_key).toBe('sk-env-key-123456');
    expect(cfg.providers.lm.api_key).toBe('');
    expect(secretValues(cfg)).toContain('sk-env-key-123456');
    expect(redactConfig(cfg).providers.gpt.api_key).toBe('***');
  });
});

describe('isLocal', () => {
  const p = (o: Record<string, unknown>) => providerInstanceSchema.parse(o);
  it('loopback and private servers are local; cloud endpoints and assistant CLIs are not; explicit wins', () => {
    expect(isLocal(p({ kind: 'ollama', model: 'm' }))).toBe(true);
    expect(isLocal(p({ kind: 'openai', model: 'm', base_url: 'http://192.168.1.20:8000/v1' }))).toBe(true);
    expect(isLocal(p({ kind: 'openai', model: 'm', base_url: 'http://localhost:1234/v1' }))).toBe(true);
    expect(isLocal(p({ kind: 'openai', model: 'm' }))).toBe(false);
    expect(isLocal(p({ kind: 'ollama', model: 'm', base_url: 'https://ollama.example.com' }))).toBe(false);
    expect(isLocal(p({ kind: 'cli', preset: 'qwen' }))).toBe(false);
    expect(isLocal(p({ kind: 'cli', preset: 'qwen', local: true }))).toBe(true);
  });
});

describe('buildNews', () => {
  const primary = {} as MarketData;
  it('is off by default; otherwise caps items, drops later ones and survives an outage', async () => {
    expect(buildNews(config({}), primary)).toBeUndefined();
    let asked: unknown[] = [];
    const src: NewsSource = {
      name: 'alpha-vantage',
      news: async (pair, at, limit) => {
        asked = [pair, at, limit];
        return [newsItem('future', at + 1), newsItem('past', at - 1)];
      },
    };
    const cfg = config({ data: { source: 'alpha_vantage' }, news: { source: 'alpha_vantage', max_items: 3 } });
    const news = buildNews(cfg, Object.assign(primary, src))!;
    expect((await news.news('BTCUSD', AS_OF)).map((n) => n.title)).toEqual(['past']);
    expect(asked).toEqual(['BTCUSD', AS_OF, 3]);
    // A caller that asks for a number gets that number asked for (it used to be ignored).
    await news.news('BTCUSD', AS_OF, 7);
    expect(asked).toEqual(['BTCUSD', AS_OF, 7]);
    const broken = buildNews(cfg, { ...primary, name: 'x', news: async () => Promise.reject(new Error('rate limited')) } as MarketData & NewsSource)!;
    expect(await broken.news('BTCUSD', AS_OF)).toEqual([]);
  });
});

describe('providers config section', () => {
  it('rejects the reserved name, kinds without what they need, and a rules entry of another kind', () => {
    const bad = configSchema.safeParse({ providers: { ensemble: { kind: 'rules' }, o: { kind: 'ollama' }, c: { kind: 'cli' }, x: { kind: 'command' }, rules: { kind: 'ollama', model: 'm' } } });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'providers.ensemble: a name other than "ensemble" (reserved for the ensemble of all providers)',
        'providers.o.model: a model name (required for kind ollama)',
        'providers.c.preset: one of codex, copilot, qwen, gemini (required for kind cli)',
        'providers.x.command: an executable (required for kind command)',
        'providers.rules.kind: "rules" (the name rules is the built-in rules provider)',
      ]),
    );
  });

  it('has documented defaults: quorum 3, penalty 0.3, no degraded execution, rules fallback, cassette off, no news', () => {
    const c = config({});
    expect(c.ensemble).toEqual({ providers: [], weights: {}, min_local_providers: 3, quorum_penalty: 0.3, fallback_provider: 'rules' });
    expect(c.cassette.mode).toBe('off');
    expect(c.news).toEqual({ source: 'none', max_items: 10 });
    expect(c.providers).toEqual({});
  });
});
