import { describe, expect, it } from 'vitest';
import type { Candle } from '../core/candle.js';
import { TIMEFRAME_MS } from '../core/timeframe.js';
import { closedWindow, deriveSeries, resampledWindow } from './select-series.js';

const M = TIMEFRAME_MS['1m'];
const T0 = Date.UTC(2024, 0, 1);
/** 1m bars over `n` minutes, minus the minutes in `gaps`, with values that differ bar to bar. */
function bars(n: number, gaps: (i: number) => boolean = () => false): Candle[] {
  const out: Candle[] = [];
  for (let i = 0; i < n; i++) {
    if (gaps(i)) continue;
    const p = 100 + Math.sin(i / 7) * 5 + i / 1000;
    out.push({ timestamp: T0 + i * M, open: p, high: p + 1 + (i % 3) / 10, low: p - 1, close: p + 0.1, volume: 0.1 + (i % 11) / 10 });
  }
  return out;
}

describe('resampledWindow', () => {
  const cases: [string, Candle[]][] = [
    ['contiguous', bars(5000)],
    ['sparse gaps', bars(5000, (i) => i % 97 === 5)],
    ['a long gap', bars(5000, (i) => i > 3000 && i < 4200)],
  ];
  for (const [name, base] of cases) {
    it(`returns what the whole resampled series gives, bar for bar (${name})`, () => {
      for (const to of ['5m', '15m', '1h'] as const) {
        const whole = deriveSeries(base, '1m', to);
        for (const end of [T0 + 4999 * M, T0 + 4321 * M + 17, T0 + 3600 * M, T0 + 300 * M]) {
          for (const limit of [1, 10, 60, 300]) {
            const w = resampledWindow(base, '1m', to, end, limit);
            const expected = closedWindow(whole, to, end, limit);
            // null only when gaps leave the window short; the caller then uses the whole series.
            if (w === null) expect(expected.length).toBeGreaterThan(0);
            else expect({ to, end, limit, w }).toEqual({ to, end, limit, w: expected });
          }
        }
      }
    });
  }

  it('gives up (null) rather than return fewer bars than the whole series has', () => {
    const base = bars(5000, (i) => i % 5 === 0); // no complete 5m bucket at all after resampling ...
    expect(deriveSeries(base, '1m', '5m')).toEqual([]);
    // ... so a window can only be empty, which the whole series confirms (start = 0 never gives up).
    expect(resampledWindow(base, '1m', '5m', T0 + 5000 * M, 10) ?? []).toEqual([]);
  });
});
