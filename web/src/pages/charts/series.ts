/** Shapes GET /api/v1/market/candles answers into what the candlestick chart draws (pure: tested without a browser). */

export interface WireCandle {
  timestamp: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}
export interface WireIndicator {
  id: string;
  kind: string;
  periods: number[];
  pane: 'price' | 'oscillator';
  lines: Record<string, (number | null)[]>;
}
export interface WireMarker {
  time: number;
  kind: 'entry' | 'exit' | 'order';
  side: string;
  price: number | null;
  text: string;
  id: string;
}
export interface CandlesAnswer {
  pair: string;
  timeframe: string;
  candles: WireCandle[];
  indicators: WireIndicator[];
  markers: WireMarker[];
}
export interface PairInfo {
  pair: string;
  timeframes: string[];
  first: string;
  last: string;
  source: string;
}
export interface PairsAnswer {
  pairs: PairInfo[];
  timeframes: string[];
}

/** Unix seconds, as the chart library counts time. */
export interface Bar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}
export interface LineDef {
  name: string;
  /** The indicator it belongs to: each oscillator gets its own pane. */
  group: string;
  pane: 'price' | 'oscillator';
  kind: 'line' | 'histogram';
  /** A CSS variable name the chart reads its colour from, or a colour. */
  color: string;
  dashed?: boolean;
  points: { time: number; value: number }[];
}
export interface BarMarker {
  time: number;
  position: 'aboveBar' | 'belowBar';
  shape: 'arrowUp' | 'arrowDown' | 'circle';
  color: 'up' | 'down' | 'accent';
  text: string;
}

const sec = (ms: number) => Math.floor(ms / 1000);

/** Candles (ms open times) → bars in seconds, sorted, one per time. */
export function toBars(candles: readonly WireCandle[]): Bar[] {
  const out: Bar[] = [];
  for (const c of [...candles].sort((a, b) => a.timestamp - b.timestamp)) {
    const b = { time: sec(c.timestamp), open: c.open, high: c.high, low: c.low, close: c.close };
    if (out.length && out[out.length - 1].time === b.time) out[out.length - 1] = b;
    else out.push(b);
  }
  return out;
}

const PALETTE = ['#f59e0b', '#c084fc', '#22d3ee', '#f472b6', '#a3e635', '#fb923c'];

/** A readable name: `SMA 20`, `BB 20 upper`, `MACD 12/26/9 signal`. */
export function lineName(ind: WireIndicator, line: string): string {
  const base = `${ind.kind.toUpperCase()} ${ind.periods.join('/')}`;
  return line === 'value' ? base : `${base} ${line}`;
}

/**
 * Each indicator line as a chart series on the candles' times: values that are still warming up
 * (null) are left out, never drawn as zero. MACD's histogram is a histogram; Bollinger's outer
 * bands are dashed around its middle.
 */
export function indicatorLines(candles: readonly WireCandle[], indicators: readonly WireIndicator[]): LineDef[] {
  const times = candles.map((c) => sec(c.timestamp));
  const out: LineDef[] = [];
  indicators.forEach((ind, k) => {
    const color = PALETTE[k % PALETTE.length];
    for (const [line, values] of Object.entries(ind.lines)) {
      const points: { time: number; value: number }[] = [];
      values.forEach((v, i) => {
        if (v !== null && Number.isFinite(v) && i < times.length) points.push({ time: times[i], value: v });
      });
      out.push({
        name: lineName(ind, line),
        group: ind.id,
        pane: ind.pane,
        kind: line === 'histogram' ? 'histogram' : 'line',
        color: line === 'signal' ? '#f472b6' : line === 'histogram' ? '#94a3b8' : color,
        dashed: ind.kind === 'bb' && line !== 'middle',
        points,
      });
    }
  });
  return out;
}

/**
 * Trade markers placed on the bar that holds their time (a fill mid-bar goes on that bar's open
 * time; the library puts markers on bars only). Buys and long entries are up arrows below the bar,
 * sells and exits down arrows above; markers outside the bars are dropped.
 */
export function barMarkers(bars: readonly Bar[], markers: readonly WireMarker[]): BarMarker[] {
  if (!bars.length) return [];
  const out: BarMarker[] = [];
  for (const m of [...markers].sort((a, b) => a.time - b.time)) {
    const t = sec(m.time);
    if (t < bars[0].time) continue;
    // The last bar at or before t.
    let lo = 0;
    let hi = bars.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (bars[mid].time <= t) lo = mid;
      else hi = mid - 1;
    }
    const span = bars.length > 1 ? bars[1].time - bars[0].time : 0;
    if (lo === bars.length - 1 && span && t >= bars[lo].time + span) continue;
    const buying = m.kind === 'order' ? m.side === 'buy' : (m.kind === 'entry') === (m.side === 'long');
    out.push({
      time: bars[lo].time,
      position: buying ? 'belowBar' : 'aboveBar',
      shape: m.kind === 'order' ? 'circle' : buying ? 'arrowUp' : 'arrowDown',
      color: m.kind === 'exit' ? 'accent' : buying ? 'up' : 'down',
      text: m.kind === 'order' ? m.side : m.kind,
    });
  }
  return out;
}

/** The indicators query for the checked overlays, e.g. `sma:20,ema:50,bb:20`. */
export function indicatorQuery(o: { sma?: number | null; ema?: number | null; bb?: number | null; rsi?: boolean; macd?: boolean }): string {
  const parts: string[] = [];
  if (o.sma) parts.push(`sma:${o.sma}`);
  if (o.ema) parts.push(`ema:${o.ema}`);
  if (o.bb) parts.push(`bb:${o.bb}`);
  if (o.rsi) parts.push('rsi:14');
  if (o.macd) parts.push('macd:12:26:9');
  return parts.join(',');
}
