import { describe, expect, it } from 'vitest';
import { count, DASH, fixed, minute, money, num, pct, price, providerHealthLines, ratio, units } from './format.js';

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
    const lines = providerHealthLines({
      providers_failed: [
        { provider: 'a', code: 'TIMEOUT', reason: 't' },
        { provider: 'b', code: 'ERROR', reason: 'e' },
      ],
    });
    expect(lines).toEqual(['ensemble members that did not answer: a timed out (TIMEOUT); b failed (ERROR)']);
  });
});

const missing = [NaN, undefined, null, Infinity, -Infinity, '', 'abc'] as const;

describe('number formatters', () => {
  it('money: two decimals for USD and EUR, none for JPY, eight for BTC; grouped; from decimal strings too', () => {
    expect(money('1.99979997893690652')).toBe('2.00');
    expect(money('9997.38773750456876462', 'USD')).toBe('9,997.39');
    expect(money(-1821.9749, 'EUR')).toBe('-1,821.97');
    expect(money(1234.5, 'JPY')).toBe('1,235');
    expect(money(0.000123456789, 'BTC')).toBe('0.00012346');
    expect(money(2375)).toBe('2,375.00');
  });

  it('tiny values round to zero without a negative sign; huge values keep every digit, never an exponent', () => {
    expect(money(-0.001)).toBe('0.00');
    expect(money(1e-12)).toBe('0.00');
    expect(pct(-0.00000001)).toBe('0.00%');
    expect(money(1e21)).toBe('1,000,000,000,000,000,000,000.00');
    expect(units(1e9, 'BTCUSD')).toBe('1,000,000,000.00000000');
    expect(count(12345678)).toBe('12,345,678');
  });

  it('prices to the pair precision: 2 for BTCUSD and SPY, 5 for EURUSD, 3 against the yen, 4 significant digits below 1', () => {
    expect(price(93548.123456, 'BTCUSD')).toBe('93,548.12');
    expect(price(1.2345678, 'EURUSD')).toBe('1.23457');
    expect(price(151.23456, 'USDJPY')).toBe('151.235');
    expect(price('410.1', 'SPY')).toBe('410.10');
    expect(price(0.31234567, 'DOGEUSD')).toBe('0.3123');
    expect(price(0.0000217, 'SHIBUSD')).toBe('0.00002170');
    expect(price(0.0523456789, 'ETHBTC')).toBe('0.05234568');
    expect(price(-3404.5356, 'ETHUSD')).toBe('-3,404.54');
  });

  it('units to the order precision: 8 places for crypto and stocks, whole units for forex; negative (short) units keep their sign', () => {
    expect(units(0.71155079, 'ETHUSD')).toBe('0.71155079');
    expect(units(-0.71155079, 'ETHUSD')).toBe('-0.71155079');
    expect(units(10000, 'EURUSD')).toBe('10,000');
    expect(units(0.000000001, 'BTCUSD')).toBe('0.00000000');
  });

  it('percentages and ratios to two decimals', () => {
    expect(pct(0.2375)).toBe('23.75%');
    expect(pct(-0.0231)).toBe('-2.31%');
    expect(pct(12.3456)).toBe('1,234.56%');
    expect(ratio(-0.19612)).toBe('-0.20');
    expect(ratio(3)).toBe('3.00');
    expect(fixed(1.005, 1)).toBe('1.0');
  });

  it('missing or non-numeric values are a dash, never NaN', () => {
    for (const x of missing) {
      for (const out of [money(x), price(x, 'BTCUSD'), units(x, 'BTCUSD'), pct(x), ratio(x), count(x), num(x), fixed(x, 2)]) {
        expect(out).toBe(DASH);
        expect(out).not.toMatch(/NaN|Infinity/);
      }
    }
    expect(minute(NaN)).toBe(DASH);
  });

  it('log time is minute precision in UTC', () => {
    expect(minute(Date.UTC(2024, 2, 1, 14, 0, 59))).toBe('2024-03-01 14:00');
  });
});

describe('fixed and num round as Intl.NumberFormat does (they avoid its ~30 ms ICU start-up)', () => {
  // Ties on the shortest decimal form (1.005 → 1.01, where toFixed says 1.00), carries, tiny and
  // large magnitudes, negative zero, then seeded random values over 24 orders of magnitude.
  const values = [0, -0, 1.005, -1.005, 0.5, 1.5, 2.5, -0.5, 0.125, 999.995, 9.995, 99999.995, 1e-7, -1e-7, 5e-7, 0.045, -2.675, 1e20, 9.999999e20, 1234.5, -1821.9749];
  let seed = 17;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 3000; i++) {
    const v = (random() - 0.5) * 10 ** (Math.floor(random() * 24) - 10);
    values.push(v, Math.round(v * 1000) / 1000 + 0.005, Number(v.toPrecision(1 + (i % 6))));
  }
  it.each([0, 1, 2, 4, 6, 8])('%i digits', (d) => {
    const intl = new Intl.NumberFormat('en-US', { minimumFractionDigits: d, maximumFractionDigits: d, signDisplay: 'negative' });
    expect(values.map((v) => fixed(v, d))).toEqual(values.map((v) => intl.format(v)));
    expect(values.map((v) => num(v, d))).toEqual(values.map((v) => v.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: d })));
  });
});
