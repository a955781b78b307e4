import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { exampleYaml } from './example.js';
import { configSchema } from './schema.js';

describe('config/config.example.yaml', () => {
  it('parses back to exactly the schema defaults', () => {
    expect(configSchema.parse(parse(exampleYaml()))).toEqual(configSchema.parse({}));
  });

  it('is committed in sync with the schema (regenerate with `ffe config docs --yaml > config/config.example.yaml`)', () => {
    const committed = readFileSync(join(import.meta.dirname, '../../config/config.example.yaml'), 'utf8');
    expect(committed.trimEnd()).toBe(exampleYaml().trimEnd());
  });

  it('documents secrets without values', () => {
    const text = exampleYaml();
    expect(text).toMatch(/Alpha Vantage API key \(secret: prefer the environment variable\) \[env ALPHA_VANTAGE_API_KEY or DATA_ALPHA_VANTAGE_API_KEY\]\n\s+api_key: ""/);
  });
});
