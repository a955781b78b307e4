import { describe, expect, it } from 'vitest';
import { providerHealthLines } from './format.js';

describe('providerHealthLines', () => {
  it('says nothing when every provider answered', () => {
    expect(providerHealthLines({})).toEqual([]);
  });

  it('names a degraded decision, the provider, how it failed and who answered', () => {
    const lines = providerHealthLines({ degraded: true, providerFailure: { provider: 'llama', code: 'REPLAY_MISS', reason: 'no recorded answer' }, fallbackUsed: 'rules' });
    expect(lines).toEqual([expect.stringMatching(/^DEGRADED decision: llama missed the cassette \(REPLAY_MISS: no recorded answer\); the fallback provider rules answered instead/)]);
  });

  it('a degraded decision without a fallback is a HOLD', () => {
    expect(providerHealthLines({ degraded: true, providerFailure: { provider: 'x', code: 'HTTP', reason: 'HTTP 500' } })[0]).toMatch(/no fallback answered: HOLD/);
  });

  it('lists ensemble members that timed out or failed', () => {
    const lines = providerHealthLines({ providers_failed: [{ provider: 'a', code: 'TIMEOUT', reason: 't' }, { provider: 'b', code: 'ERROR', reason: 'e' }] });
    expect(lines).toEqual(['ensemble members that did not answer: a timed out (TIMEOUT); b failed (ERROR)']);
  });
});
