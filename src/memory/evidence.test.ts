import { describe, expect, it } from 'vitest';
import { rng } from '../backtest/synthetic.js';
import { evaluateFeedback, type BarVotes } from './evidence.js';

/** A random walk of 1 % moves; `seer` knows the next move 70 % of the time, `liar` always calls it wrong, `coin` guesses. */
function bars(n: number, seed: number): BarVotes[] {
  const u = rng(seed);
  const closes = [100];
  for (let i = 1; i < n; i++) closes.push(closes[i - 1] * (u() < 0.5 ? 1.01 : 0.99));
  return closes.map((close, i) => {
    const up = i + 1 < n ? closes[i + 1] > close : true;
    const call = (right: boolean) => (up === right ? 'BUY' : 'SELL');
    return {
      time: i * 3_600_000,
      close,
      votes: [
        { provider: 'seer', action: call(u() < 0.7), confidence: 70 },
        { provider: 'liar', action: call(false), confidence: 70 },
        { provider: 'coin', action: call(u() < 0.5), confidence: 70 },
      ],
    };
  });
}

const H = 3_600_000;
const spec = (b: BarVotes[], configured = { seer: 1, liar: 1, coin: 1 }) => ({
  bars: b,
  windows: [
    { trainStart: 0, testStart: 200 * H, testEnd: 400 * H },
    { trainStart: 200 * H, testStart: 400 * H, testEnd: 600 * H },
  ],
  configured,
  params: { gateAlpha: 0.025, priorStrength: 5, minWeight: 0.01 },
  cost: 0.001,
  threshold: 0,
  allowShort: true,
  barsPerYear: 24 * 365,
  reps: 300,
});

describe('evaluateFeedback (adaptive vs equal vs frozen weights, out of sample)', () => {
  it('replays the same votes under each weighting: adaptive learns to drop the liar and beats equal weights, with a paired bootstrap interval', () => {
    const r = evaluateFeedback(spec(bars(600, 7)));
    expect(r.windows).toHaveLength(2);
    expect(r.windows.every((w) => w.bars === 199)).toBe(true);
    // Configured weights are equal here: frozen and equal are the same run.
    expect(r.overall.frozen).toEqual(r.overall.equal);
    expect(r.windows[1].finalWeights.liar).toBeLessThan(0.05);
    expect(r.overall.adaptive.totalReturn).toBeGreaterThan(r.overall.equal.totalReturn);
    const d = r.adaptiveVsEqual.totalReturn;
    expect(d.estimate).toBeCloseTo(r.overall.adaptive.totalReturn - r.overall.equal.totalReturn, 10);
    expect(d.lower).toBeGreaterThan(0);
    expect(r.adaptiveVsEqual.sharpe.lower).toBeGreaterThan(0);
    expect(d.block).toBeGreaterThanOrEqual(1);
  });

  it('frozen follows the configured weights: a configuration that trusts the seer already does what adaptive learns', () => {
    const r = evaluateFeedback(spec(bars(600, 7), { seer: 10, liar: 1, coin: 1 }));
    expect(r.overall.frozen.totalReturn).toBeGreaterThan(r.overall.equal.totalReturn);
    expect(r.adaptiveVsFrozen.totalReturn.lower).toBeLessThan(r.adaptiveVsEqual.totalReturn.lower);
  });
});
