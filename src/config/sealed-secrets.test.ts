import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sealConfigSecret } from '../application/gdpr/keys.js';
import { isSecretPath, loadConfig } from './load.js';

const key = () => randomBytes(32).toString('base64');

function home(yaml: string): string {
  const cwd = mkdtempSync(join(tmpdir(), 'ffe-sealed-config-'));
  mkdirSync(join(cwd, 'config'));
  writeFileSync(join(cwd, 'config/config.yaml'), yaml);
  return cwd;
}

describe('sealed secrets in the config (venue keys and tokens encrypted at rest)', () => {
  it('opens a sealed secret with FFE_ENCRYPTION_KEY, inside named entries too', () => {
    const k = key();
    const token = sealConfigSecret('telegram.bot_token', '123:ABC-secret\n', { FFE_ENCRYPTION_KEY: k });
    const apiKey = sealConfigSecret('providers.gpt.api_key', 'sk-test-0001', { FFE_ENCRYPTION_KEY: k });
    expect(token).toMatch(/^enc:v1:/);
    expect(token).not.toContain('ABC-secret');
    const cwd = home(`telegram:\n  bot_token: "${token}"\nproviders:\n  gpt:\n    kind: openai\n    model: gpt-4o-mini\n    api_key: "${apiKey}"\n`);
    const { config } = loadConfig({ cwd, env: { FFE_ENCRYPTION_KEY: k } });
    expect(config.telegram.bot_token).toBe('123:ABC-secret');
    expect((config.providers.gpt as { api_key?: string }).api_key).toBe('sk-test-0001');
  });

  it('refuses to start without the key or with another one, and never reads the sealed text as the secret', () => {
    const k = key();
    const cwd = home(`telegram:\n  bot_token: "${sealConfigSecret('telegram.bot_token', 'tok', { FFE_ENCRYPTION_KEY: k })}"\n`);
    expect(() => loadConfig({ cwd, env: {} })).toThrow(expect.objectContaining({ code: 'ENCRYPTION_KEY_MISSING', message: expect.stringContaining('config.telegram.bot_token') }));
    expect(() => loadConfig({ cwd, env: { FFE_ENCRYPTION_KEY: key() } })).toThrow(expect.objectContaining({ code: 'ENCRYPTION_KEY_WRONG' }));
  });

  it('binds a sealed value to its setting: moved to another secret it is refused as tampered', () => {
    const k = key();
    const cwd = home(`venues:\n  coinbase:\n    api_secret: "${sealConfigSecret('telegram.bot_token', 'tok', { FFE_ENCRYPTION_KEY: k })}"\n`);
    expect(() => loadConfig({ cwd, env: { FFE_ENCRYPTION_KEY: k } })).toThrow(expect.objectContaining({ code: 'ENCRYPTED_VALUE_CORRUPT' }));
  });

  it('seals only secret settings, a non-empty value, with a key', () => {
    expect(isSecretPath('venues.coinbase.api_secret')).toBe(true);
    expect(isSecretPath('providers.any-name.api_key')).toBe(true);
    expect(isSecretPath('agent.assets')).toBe(false);
    expect(() => sealConfigSecret('agent.assets', 'x', { FFE_ENCRYPTION_KEY: key() })).toThrow(/^PATH: "agent.assets" is not a secret setting/);
    expect(() => sealConfigSecret('telegram.bot_token', '\n', { FFE_ENCRYPTION_KEY: key() })).toThrow(/empty/);
    expect(() => sealConfigSecret('telegram.bot_token', 'x', {})).toThrow(expect.objectContaining({ code: 'ENCRYPTION_KEY_MISSING' }));
  });
});
