import { useEffect, useRef, useState } from 'react';
import type { IChartApi, UTCTimestamp } from 'lightweight-charts';
import { useThemeName } from '../../lib/theme';
import { themeColors } from './TimeChart';

export interface CandleBar {
  /** Unix seconds (UTC). */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}
export interface OverlayLine {
  name: string;
  /** Lines of one oscillator share a pane; each oscillator has its own. */
  group: string;
  /** `price`: over the candles; `oscillator`: in a pane below them. */
  pane: 'price' | 'oscillator';
  kind: 'line' | 'histogram';
  color: string;
  dashed?: boolean;
  points: readonly { time: number; value: number }[];
}
export interface CandleMarker {
  time: number;
  position: 'aboveBar' | 'belowBar';
  shape: 'arrowUp' | 'arrowDown' | 'circle';
  /** Theme colour names, read from the CSS variables. */
  color: 'up' | 'down' | 'accent';
  text: string;
}

/**
 * Candlesticks with indicator lines over them, oscillators in a second pane, and trade markers
 * (lightweight-charts, loaded with the first chart drawn). Redrawn when its data or the theme change.
 */
export function CandleChart({ bars, lines, markers, label, height = 420 }: { bars: readonly CandleBar[]; lines: readonly OverlayLine[]; markers: readonly CandleMarker[]; label: string; height?: number }) {
  const theme = useThemeName();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const oscillators = [...new Set(lines.filter((l) => l.pane === 'oscillator').map((l) => l.group))];
  const panes = oscillators.length;
  useEffect(() => {
    let disposed = false;
    void import('lightweight-charts')
      .then((lc) => {
        if (disposed || !box.current) return;
        const c = themeColors();
        chart.current?.remove();
        const ch = lc.createChart(box.current, {
          height: height + panes * Math.round(height * 0.22),
          autoSize: true,
          layout: { background: { color: c.bg }, textColor: c.text, attributionLogo: false, panes: { separatorColor: c.grid } },
          grid: { vertLines: { color: c.grid }, horzLines: { color: c.grid } },
          rightPriceScale: { borderColor: c.grid },
          timeScale: { borderColor: c.grid, timeVisible: true },
        });
        chart.current = ch;
        const candles = ch.addSeries(lc.CandlestickSeries, { upColor: c.up, downColor: c.down, borderVisible: false, wickUpColor: c.up, wickDownColor: c.down });
        candles.setData(bars.map((b) => ({ ...b, time: b.time as UTCTimestamp })));
        for (const l of lines) {
          const pane = l.pane === 'oscillator' ? 1 + oscillators.indexOf(l.group) : 0;
          const data = l.points.map((p) => ({ time: p.time as UTCTimestamp, value: p.value }));
          if (l.kind === 'histogram') ch.addSeries(lc.HistogramSeries, { color: l.color, title: l.name, priceLineVisible: false }, pane).setData(data);
          else
            ch.addSeries(lc.LineSeries, { color: l.color, title: l.name, lineWidth: 1, lineStyle: l.dashed ? lc.LineStyle.Dashed : lc.LineStyle.Solid, priceLineVisible: false, lastValueVisible: false }, pane).setData(
              data,
            );
        }
        for (let k = 1; k <= panes; k++) ch.panes()[k]?.setHeight(Math.round(height * 0.22));
        const colour = { up: c.up, down: c.down, accent: c.accent };
        if (markers.length)
          lc.createSeriesMarkers(
            candles,
            markers.map((m) => ({ ...m, time: m.time as UTCTimestamp, color: colour[m.color] })),
          );
        ch.timeScale().fitContent();
      })
      .catch((e: Error) => setFailed(e.message));
    return () => {
      disposed = true;
    };
  }, [bars, lines, markers, height, theme]);
  useEffect(
    () => () => {
      chart.current?.remove();
      chart.current = null;
    },
    [],
  );
  if (failed) return <p className="state error">Chart unavailable: {failed}</p>;
  const total = height + panes * Math.round(height * 0.22);
  return <div ref={box} className="chart candle-chart" style={{ height: total }} role="img" aria-label={label} data-testid="candle-chart" />;
}
