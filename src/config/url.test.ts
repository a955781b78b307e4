import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FfeError } from '../core/errors.js';
import { configLeaves } from './introspect.js';
import { loadConfig } from './load.js';
import { configSchema } from './schema.js';
import { urlProblem } from './url.js';

/** Every URL-valued setting, as a YAML document setting it to `v` (providers' entries need a name and kind). */
const URL_KEYS: Record<string, (v: string) => string> = {
  'providers.gpt.base_url': (v) => `providers:\n  gpt:\n    kind: openai\n    model: m\n    base_url: ${JSON.stringify(v)}\n`,
  'venues.coinbase.base_url': (v) => `venues:\n  coinbase:\n    base_url: ${JSON.stringify(v)}\n`,
  'venues.oanda.base_url': (v) => `venues:\n  oanda:\n    base_url: ${JSON.stringify(v)}\n`,
  'venues.kraken.base_url': (v) => `venues:\n  kraken:\n    base_url: ${JSON.stringify(v)}\n`,
  'venues.binance.base_url': (v) => `venues:\n  binance:\n    base_url: ${JSON.stringify(v)}\n`,
  'data.alpha_vantage.base_url': (v) => `data:\n  alpha_vantage:\n    base_url: ${JSON.stringify(v)}\n`,
  'backtest.redis_url': (v) => `backtest:\n  redis_url: ${JSON.stringify(v)}\n`,
  'jobs.redis_url': (v) => `jobs:\n  redis_url: ${JSON.stringify(v)}\n`,
  'server.redis_url': (v) => `server:\n  redis_url: ${JSON.stringify(v)}\n`,
  'telegram.webhook_url': (v) => `telegram:\n  webhook_url: ${JSON.stringify(v)}\n`,
  'notifications.webhook_url': (v) => `notifications:\n  webhook_url: ${JSON.stringify(v)}\n`,
  'database.url': (v) => `database:\n  url: ${JSON.stringify(v)}\n`,
  'notifications.slack_webhook_url': (v) => `notifications:\n  slack_webhook_url: ${JSON.stringify(v)}\n`,
};

const HOSTILE_HTTP = [
  'http://127.0.0.1:/v1',
  'https://api.example.com:',
  'ftp://127.0.0.1:21/',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'localhost:8080',
  '127.0.0.1:11434',
  'http://',
  'http://127.0.0.1:99999',
  'http://127.0.0.1:0/',
  ' http://127.0.0.1:8080',
  'http://exa mple.com',
  'http://127.0.0.1:8080/\n',
  '',
];
const HOSTILE_DATABASE = ['postgres://127.0.0.1:/ffe', 'postgresql://', 'postgres://127.0.0.1:99999/ffe', 'postgres://exa mple/ffe', 'mysql://127.0.0.1/ffe', 'sqlite:', 'sqlite:./a\n.db'];
const HOSTILE_REDIS = ['redis://127.0.0.1:/', 'http://127.0.0.1:6379', 'redis//127.0.0.1:6379', 'redis://127.0.0.1:65536', ''];

function load(yaml: string) {
  const cwd = mkdtempSync(join(tmpdir(), 'ffe-url-'));
  mkdirSync(join(cwd, 'config'));
  writeFileSync(join(cwd, 'config', 'config.yaml'), yaml);
  return () => loadConfig({ cwd, env: {} });
}

describe('urlProblem', () => {
  it('accepts http(s) URLs with a host and, when given, a numeric port (IPv6 and credentials included)', () => {
    for (const ok of ['http://127.0.0.1:11434', 'https://api.openai.com/v1', 'http://[::1]:8080/v1', 'HTTPS://Example.com', 'http://user:pw@host:1/x?y=z#f', 'http://localhost'])
      expect(urlProblem(ok, ['http', 'https'])).toBeNull();
    expect(urlProblem('rediss://127.0.0.1:6380/2', ['redis', 'rediss'])).toBeNull();
  });

  it('refuses an empty port, another scheme, no host, port 0 or out of range, blanks', () => {
    for (const bad of HOSTILE_HTTP) expect(urlProblem(bad, ['http', 'https'])).toMatch(/^a http:\/\/ or https:\/\/ URL/);
    expect(urlProblem('http://[::1]:/v1', ['http', 'https'])).toMatch(/port/);
    expect(urlProblem('ftp://h/', ['http', 'https'])).toMatch(/not ftp:/);
  });
});

describe('every URL-valued setting', () => {
  it('is in this test (a new *_url key must be added to URL_KEYS)', () => {
    const leaves = configLeaves(configSchema)
      .map((l) => l.path.join('.'))
      .filter((k) => /(^|[._])(base_)?url$/.test(k));
    expect(leaves.length).toBeGreaterThanOrEqual(6);
    expect(leaves.filter((k) => !(k in URL_KEYS)).filter((k) => !k.startsWith('providers.'))).toEqual([]);
  });

  for (const [key, doc] of Object.entries(URL_KEYS)) {
    const hostile = key === 'database.url' ? HOSTILE_DATABASE : key.endsWith('redis_url') ? HOSTILE_REDIS : HOSTILE_HTTP;
    it(`${key}: refuses hostile values with one line naming the key, and accepts a good one`, () => {
      for (const v of hostile) {
        let err: unknown;
        try {
          load(doc(v))();
        } catch (e) {
          err = e;
        }
        expect(err, `${key} = ${JSON.stringify(v)}`).toBeInstanceOf(FfeError);
        const msg = (err as FfeError).message;
        expect(msg.split('\n'), msg).toHaveLength(1);
        expect(msg).toContain(`${key}: got `);
        expect((err as FfeError).code).toBe('CONFIG_INVALID');
      }
      const good = key === 'database.url' ? 'postgres://ffe:pw@127.0.0.1:5432/ffe' : key.endsWith('redis_url') ? 'redis://127.0.0.1:6390/3' : 'http://127.0.0.1:8080/v1';
      expect(() => load(doc(good))()).not.toThrow();
    });
  }
});
