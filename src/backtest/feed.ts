import { confluence } from '../analysis/confluence.js';
import { describePulse, signalStrength } from '../analysis/pulse.js';
import { classifyRegime, REGIME_TIMEFRAMES } from '../analysis/regime.js';
import { IndicatorSet } from '../analysis/indicator-set.js';
import { MIN_BARS, trendOf, trendScore, trendStrength } from '../analysis/timeframe-pulse.js';
import { candleInto, type Candle, type CandleColumns } from '../core/candle.js';
import type { Confluence, IndicatorSnapshot, Pulse, RegimeInfo, TimeframePulse, TrendDirection } from '../core/market-analysis.js';
import { TIMEFRAME_MS, TIMEFRAMES, type Timeframe } from '../core/timeframe.js';

/** Per timeframe: every bar the source has up to the end of the run (as candles or columns), or why there are none. */
export type FrameSource = { candles: readonly Candle[] } | { columns: CandleColumns } | { unavailable: string };

/** A frame's bars read one way whether held as candles or columns. */
interface FrameBars {
  readonly length: number;
  time(k: number): number;
  close(k: number): number;
  /** Bar `k`, read before the next call (columns fill one record again). */
  bar(k: number): Candle;
}

function frameBars(src: FrameSource): FrameBars | null {
  if ('candles' in src) {
    const c = src.candles;
    return { length: c.length, time: (k) => c[k].timestamp, close: (k) => c[k].close, bar: (k) => c[k] };
  }
  if ('columns' in src) {
    const c = src.columns;
    // The indicators take a candle and keep only its numbers: one record per frame, filled again
    // at each bar. A new candle a bar (candleAt) shared its allocation site with fromColumns, whose
    // candles live on (the risk rules' daily bars), so V8 could decide to allocate that site's
    // objects in the old generation: every bar of a long run was then old-generation garbage.
    const into: Candle = { timestamp: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
    return { length: c.length, time: (k) => c.timestamp[k], close: (k) => c.close[k], bar: (k) => candleInto(c, k, into) };
  }
  return null;
}

/**
 * One timeframe's indicators (the live pulse's IndicatorSet), updated as each of its bars closes. Streaming indicators give the
 * batch numbers of the same history; the live engine reads only the last `historyBars` bars, so
 * recursive indicators (EMA, Wilder) differ from it by the decayed seed, (1 − α)^history ≈ 1e-9.
 */
class FrameState {
  private k = 0;
  private readonly ms: number;
  private readonly indicators = new IndicatorSet();
  private cached: TimeframePulse | null = null;
  private readonly bars: FrameBars | null;

  constructor(
    readonly tf: Timeframe,
    private readonly src: FrameSource,
    private readonly historyBars: number,
  ) {
    this.ms = TIMEFRAME_MS[tf];
    this.bars = frameBars(src);
  }

  /** When the next bar closes (Infinity: none left, or no bars): coarse frames skip most calls without reading a bar. */
  private due = -Infinity;

  /** Consumes the bars closed at or before `t`. */
  advance(t: number): void {
    if (t < this.due) return;
    const bars = this.bars;
    if (!bars) {
      this.due = Infinity;
      return;
    }
    const start = this.k;
    while (this.k < bars.length && bars.time(this.k) + this.ms <= t) {
      this.indicators.update(bars.bar(this.k++));
    }
    this.due = this.k < bars.length ? bars.time(this.k) + this.ms : Infinity;
    if (this.k !== start) this.cached = null;
  }

  /** `lazy`: an analysed frame is a `LiveFrame`, its indicators snapshot written when first read (see `LiveFrame`). */
  pulse(t: number, lazy = false): TimeframePulse {
    const tf = this.tf;
    const src = this.src;
    if (!this.bars) return (this.cached ??= { timeframe: tf, status: 'unavailable', bars: 0, lastBarTime: null, trend: null, strength: null, indicators: null, note: 'unavailable' in src ? src.unavailable : '' });
    if (this.k === 0) {
      const note = `no ${tf} bars closed at or before ${new Date(t).toISOString()}`;
      return { timeframe: tf, status: 'unavailable', bars: 0, lastBarTime: null, trend: null, strength: null, indicators: null, note };
    }
    const cached = this.cached;
    // A live frame asked for eagerly: the plain frame of its (still current) snapshot.
    if (cached instanceof LiveFrame && !lazy) return (this.cached = cached.toJSON());
    if (cached) return cached;
    const bars = Math.min(this.k, this.historyBars);
    const lastBarTime = this.bars.time(this.k - 1);
    if (bars < MIN_BARS) {
      this.cached = { timeframe: tf, status: 'insufficient', bars, lastBarTime, trend: null, strength: null, indicators: null, note: `only ${bars} closed bars; at least ${MIN_BARS} are needed` };
      return this.cached;
    }
    const close = this.bars.close(this.k - 1);
    if (lazy) {
      // Trend and strength from the indicators' fields: most bars' frames are never read further.
      const score = this.indicators.trendScore(close);
      const adx = this.indicators.adxValue;
      return (this.cached = new LiveFrame(tf, bars, lastBarTime, trendOf(score, adx), trendStrength(score, adx), this, this.k));
    }
    const indicators = this.indicators.snapshot(close);
    const score = trendScore(indicators);
    const adx = indicators.adx.adx;
    this.cached = { timeframe: tf, status: 'ok', bars, lastBarTime, trend: trendOf(score, adx), strength: trendStrength(score, adx), indicators, note: '' };
    return this.cached;
  }

  /** The snapshot after `k` bars: only while no later bar was fed (a `LiveFrame` must be read, or fixed, before its feed moves on). */
  snapshotAt(k: number): IndicatorSnapshot {
    if (k !== this.k) throw new Error(`the ${this.tf} frame after ${k} bars was read once the feed had moved to ${this.k}: fix the pulse (fixFrames) before keeping it`);
    return this.indicators.snapshot(this.bars!.close(k - 1));
  }
}

/**
 * An analysed frame of the backtest's pulse whose indicators snapshot (about 0.5 KB of objects
 * and boxed numbers) is written when first read. Its feed's indicators give the snapshot only
 * until the next bar of that timeframe is fed: what keeps a pulse past that (a decision record)
 * fixes it first (`fixFrames`); a later first read throws rather than answer with another bar's
 * numbers. The 1m frame of a 200k-bar run is new at every bar and read on the bars that make a
 * record (about one in four); the trend and strength are computed without it.
 */
class LiveFrame implements TimeframePulse {
  readonly status = 'ok';
  readonly note = '';
  #indicators: IndicatorSnapshot | undefined;
  readonly #state: FrameState;
  readonly #k: number;

  constructor(
    readonly timeframe: Timeframe,
    readonly bars: number,
    readonly lastBarTime: number,
    readonly trend: TrendDirection,
    readonly strength: number,
    state: FrameState,
    k: number,
  ) {
    this.#state = state;
    this.#k = k;
  }

  get indicators(): IndicatorSnapshot {
    return (this.#indicators ??= this.#state.snapshotAt(this.#k));
  }

  /** The plain frame, keys in the order of every other frame. */
  toJSON(): TimeframePulse {
    return { timeframe: this.timeframe, status: this.status, bars: this.bars, lastBarTime: this.lastBarTime, trend: this.trend, strength: this.strength, indicators: this.indicators, note: this.note };
  }
}

/** Writes the indicators of a pulse's frames that are not written yet (`LiveFrame`): the pulse can then be kept and read at any later time. */
export function fixFrames(frames: readonly TimeframePulse[]): void {
  for (const f of frames) if (f instanceof LiveFrame) void f.indicators;
}

/**
 * The live pulse, with its prompt text written on first read: the rules provider never reads it,
 * and formatting it costs more than the rest of the pulse. The signal strength too (it reads every
 * timeframe's indicators; the rules read it only for a no-edge HOLD's confidence). Serialises
 * with both included.
 */
export class LazyPulse implements Pulse {
  #text: string | undefined;
  #strength = -1;
  readonly confluence: Confluence;

  constructor(
    readonly pair: string,
    readonly asOf: number,
    readonly timeframes: TimeframePulse[],
  ) {
    this.confluence = confluence(timeframes);
  }

  get signalStrength(): number {
    if (this.#strength < 0) this.#strength = signalStrength(this.timeframes, this.confluence.strength);
    return this.#strength;
  }

  get description(): string {
    return (this.#text ??= describePulse(this.pair, this.asOf, this.timeframes, this.confluence, this.signalStrength));
  }

  toJSON(): Pulse {
    return { pair: this.pair, asOf: this.asOf, timeframes: this.timeframes, confluence: this.confluence, signalStrength: this.signalStrength, description: this.description };
  }
}

/**
 * Point-in-time multi-timeframe view for one pair: at `t` it exposes only bars closed at or
 * before `t`, on all six timeframes, with each timeframe's indicators advanced incrementally.
 */
export class PointInTimeFeed {
  private readonly frames: FrameState[];
  /** Places in `frames` of the timeframes the regime reads, and the frames it was last classified from. */
  private readonly regimeAt = REGIME_TIMEFRAMES.map((tf) => TIMEFRAMES.indexOf(tf));
  private readonly regimeFrom: (TimeframePulse | null)[] = REGIME_TIMEFRAMES.map(() => null);

  constructor(
    readonly pair: string,
    sources: Partial<Record<Timeframe, FrameSource>>,
    historyBars = 300,
  ) {
    this.frames = TIMEFRAMES.map((tf) => new FrameState(tf, sources[tf] ?? { unavailable: 'not requested' }, historyBars));
  }

  advance(t: number): void {
    for (const f of this.frames) f.advance(t);
  }

  frameList(t: number, lazy = false): TimeframePulse[] {
    // A loop, not map: a closure over `t` per bar.
    const out = new Array<TimeframePulse>(this.frames.length);
    for (let k = 0; k < out.length; k++) out[k] = this.frames[k].pulse(t, lazy);
    return out;
  }

  /** Pulse and regime as the live engine would compute them at `t`. */
  at(t: number): { pulse: Pulse; regime: RegimeInfo } {
    const pulse = this.pulseAt(t);
    return { pulse, regime: this.regime };
  }

  /** The regime of the last `pulseAt`. */
  regime: RegimeInfo = classifyRegime([]);

  /**
   * `at`'s pulse, its regime left in `regime`: a backtest asks on every bar and needs no pair object.
   * `lazy`: its analysed frames are `LiveFrame`s, to be read before the next call or fixed
   * (`fixFrames`) to be kept.
   */
  pulseAt(t: number, lazy = false): Pulse {
    this.advance(t);
    const frames = this.frameList(t, lazy);
    if (this.regimeChanged(frames)) this.regime = classifyRegime(frames);
    return new LazyPulse(this.pair, t, frames);
  }

  /**
   * Whether a frame the regime reads is another object than at the last classification (and
   * then notes the new ones). Frames are values, so the same ones give the same regime: on a 1m
   * run the 1h, 4h and 1d frames change at most hourly, and classifying at every bar was a
   * search through the frames for the preferred one.
   */
  private regimeChanged(frames: readonly TimeframePulse[]): boolean {
    const at = this.regimeAt;
    const from = this.regimeFrom;
    let changed = false;
    for (let j = 0; j < at.length; j++) {
      const f = frames[at[j]];
      if (f === from[j]) continue;
      from[j] = f;
      changed = true;
    }
    return changed;
  }
}
