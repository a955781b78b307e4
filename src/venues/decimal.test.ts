import { describe, expect, it } from 'vitest';
import { dec, numberText, text } from './decimal.js';

describe('numberText', () => {
  it('is text(dec(n)) for numbers of every size, with and without an exponent in their shortest text', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const values = [0, 1, 0.1, 0.3, 1e-6, 1.5e-7, 9.99e-7, 2 ** 66, 1e21, 2.5e22, 40123 + 0.456789012345, 0.00012345678, 5e-324, Number.MAX_VALUE, NaN, Infinity];
    for (let i = 0; i < 2000; i++) values.push(rnd() * 10 ** Math.floor(rnd() * 50 - 25), Math.floor(rnd() * 1e9) / 1e8);
    for (const n of values) expect(numberText(n, dec(n))).toBe(text(dec(n)));
  });

  it('writes the decimal itself when the number has an exponent', () => {
    expect(numberText(1.5e-7, dec(1.5e-7))).toBe('0.00000015');
    expect(numberText(1e21, dec(1e21))).toBe('1000000000000000000000');
  });
});
