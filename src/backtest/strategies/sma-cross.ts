import { SMA } from '../../indicators/index.js';
import type { BacktestData, Params, SignalOut, SignalSource, StrategyDefinition } from '../port.js';

/** Fast/slow simple-moving-average crossover: BUY when fast crosses above slow, SELL below. */
class SmaCross implements SignalSource {
  readonly name: string;
  private readonly fast: SMA[];
  private readonly slow: SMA[];
  private readonly prevDiff: Float64Array;

  constructor(
    private readonly data: BacktestData,
    fast: number,
    slow: number,
  ) {
    this.name = `sma-cross(${fast},${slow})`;
    this.fast = data.pairs.map(() => new SMA(fast));
    this.slow = data.pairs.map(() => new SMA(slow));
    this.prevDiff = new Float64Array(data.pairs.length).fill(NaN);
  }

  onBar(p: number, i: number, out: SignalOut): void {
    const c = this.data.pairs[p].bars.close[i];
    const diff = this.fast[p].update(c) - this.slow[p].update(c);
    const prev = this.prevDiff[p];
    this.prevDiff[p] = diff;
    if (Number.isNaN(prev) || Number.isNaN(diff)) return;
    if (prev <= 0 && diff > 0) {
      out.action = 1;
      out.confidence = 100;
    } else if (prev >= 0 && diff < 0) {
      out.action = -1;
      out.confidence = 100;
    }
  }
}

export const smaCross: StrategyDefinition = {
  name: 'sma-cross',
  description: 'simple moving average crossover on the base timeframe',
  params: [
    { name: 'fast', default: 10, min: 2, max: 100, integer: true, description: 'fast SMA period' },
    { name: 'slow', default: 30, min: 5, max: 400, integer: true, description: 'slow SMA period' },
  ],
  validate: (p: Params) => (p.fast < p.slow ? null : `fast (${p.fast}) must be below slow (${p.slow})`),
  create: (p: Params, data: BacktestData) => new SmaCross(data, p.fast, p.slow),
};
