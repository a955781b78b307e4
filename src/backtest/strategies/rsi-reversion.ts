import { RSI } from '../../indicators/index.js';
import type { BacktestData, Params, SignalOut, SignalSource, StrategyDefinition } from '../port.js';

/** Mean reversion: BUY when RSI drops into the oversold zone, SELL when it enters overbought. */
class RsiReversion implements SignalSource {
  readonly name: string;
  private readonly rsi: RSI[];
  private readonly prev: Float64Array;

  constructor(
    private readonly data: BacktestData,
    period: number,
    private readonly lower: number,
    private readonly upper: number,
  ) {
    this.name = `rsi-reversion(${period},${lower},${upper})`;
    this.rsi = data.pairs.map(() => new RSI(period));
    this.prev = new Float64Array(data.pairs.length).fill(NaN);
  }

  onBar(p: number, i: number, out: SignalOut): void {
    const r = this.rsi[p].update(this.data.pairs[p].bars.close[i]);
    const prev = this.prev[p];
    this.prev[p] = r;
    if (Number.isNaN(prev) || Number.isNaN(r)) return;
    // Zone entries, not zone membership: one signal per excursion.
    if (r < this.lower && prev >= this.lower) {
      out.action = 1;
      out.confidence = Math.min(100, 60 + (this.lower - r) * 2);
    } else if (r > this.upper && prev <= this.upper) {
      out.action = -1;
      out.confidence = Math.min(100, 60 + (r - this.upper) * 2);
    }
  }
}

export const rsiReversion: StrategyDefinition = {
  name: 'rsi-reversion',
  description: 'RSI mean reversion: buy oversold, sell overbought',
  params: [
    { name: 'period', default: 14, min: 2, max: 100, integer: true, description: 'RSI period (Wilder)' },
    { name: 'lower', default: 30, min: 5, max: 50, integer: false, description: 'oversold level' },
    { name: 'upper', default: 70, min: 50, max: 95, integer: false, description: 'overbought level' },
  ],
  validate: (p: Params) => (p.lower < p.upper ? null : `lower (${p.lower}) must be below upper (${p.upper})`),
  create: (p: Params, data: BacktestData) => new RsiReversion(data, p.period, p.lower, p.upper),
};
