import { describe, expect, it } from 'vitest';
import { HELP_DEFAULTS } from './help-defaults.js';
import { configApi } from './run.js';

describe('help defaults', () => {
  it('quote the config schema (the one source of defaults)', async () => {
    const api = await configApi();
    const leaves = new Map(api.docs().map((l) => [l.key, l.default]));
    for (const [key, value] of Object.entries(HELP_DEFAULTS)) expect({ key, value: leaves.get(key) }).toEqual({ key, value });
    expect(api.defaultProvider()).toBe(HELP_DEFAULTS['decision_engine.ai_provider']);
  });
});
