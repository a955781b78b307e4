import { describe, expect, it } from 'vitest';
import { shortestText } from './shortest-text.js';

describe('shortestText', () => {
  it('is String(n) for integers, fractions, exponents, zeros and non-finite numbers', () => {
    const special = [0, -0, 1, -1, 0.1, 0.3, 0.1 + 0.2, 40_123.456789012, -2.5e-7, 1e-7, 1e-6, 123e-20, 1e21, 1.7976931348623157e308, 5e-324, 2 ** 53, NaN, Infinity, -Infinity];
    for (const n of special) expect(shortestText(n)).toBe(String(n));
  });

  it('is String(n) across magnitudes (seeded)', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let i = 0; i < 20_000; i++) {
      const n = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 60 - 30);
      expect(shortestText(n)).toBe(String(n));
    }
  });
});
