import { useEffect, useRef, useState } from 'react';
import type { IChartApi, UTCTimestamp } from 'lightweight-charts';
import { useThemeName } from '../../lib/theme';

export interface Point {
  /** Unix seconds (UTC). */
  time: number;
  value: number;
}

export interface SeriesDef {
  name: string;
  kind?: 'line' | 'area' | 'histogram';
  points: readonly Point[];
  /** A CSS colour; the theme's accent by default. */
  color?: string;
  /** A second price scale on the left (e.g. drawdown beside equity). */
  leftScale?: boolean;
}

export interface Marker {
  time: number;
  position: 'aboveBar' | 'belowBar' | 'inBar';
  shape: 'arrowUp' | 'arrowDown' | 'circle' | 'square';
  color: string;
  text?: string;
}

/** The theme's colours, read from the CSS variables (so both themes draw readable charts). */
export function themeColors(): { text: string; grid: string; bg: string; accent: string; up: string; down: string; muted: string } {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#e6edf3'),
    grid: v('--border', '#2e3b4a'),
    bg: v('--panel', '#18202a'),
    accent: v('--accent', '#6cb6ff'),
    up: v('--up', '#4ade80'),
    down: v('--down', '#ff8a8a'),
    muted: v('--muted', '#a4b1bf'),
  };
}

/** Sorted by time with duplicate times dropped (the chart library refuses both). */
export function cleanPoints(points: readonly Point[]): { time: UTCTimestamp; value: number }[] {
  const out: { time: UTCTimestamp; value: number }[] = [];
  for (const p of [...points].sort((a, b) => a.time - b.time)) {
    if (!Number.isFinite(p.value) || !Number.isFinite(p.time)) continue;
    if (out.length && out[out.length - 1].time === p.time) out[out.length - 1] = { time: p.time as UTCTimestamp, value: p.value };
    else out.push({ time: p.time as UTCTimestamp, value: p.value });
  }
  return out;
}

/**
 * Time series on one chart (lightweight-charts, loaded with the first chart drawn so pages
 * without charts do not pay for it). Redrawn when the series or the theme change; sized to its box.
 * `label` names the chart for screen readers (a canvas says nothing by itself).
 */
export function TimeChart({ series, markers, label, height = 280 }: { series: readonly SeriesDef[]; markers?: readonly Marker[]; label: string; height?: number }) {
  const theme = useThemeName();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let disposed = false;
    void import('lightweight-charts')
      .then((lc) => {
        if (disposed || !box.current) return;
        const c = themeColors();
        chart.current?.remove();
        const ch = lc.createChart(box.current, {
          height,
          autoSize: true,
          layout: { background: { color: c.bg }, textColor: c.text, attributionLogo: false },
          grid: { vertLines: { color: c.grid }, horzLines: { color: c.grid } },
          rightPriceScale: { borderColor: c.grid },
          leftPriceScale: { visible: series.some((s) => s.leftScale), borderColor: c.grid },
          timeScale: { borderColor: c.grid, timeVisible: true },
        });
        chart.current = ch;
        series.forEach((s, i) => {
          const color = s.color ?? (i === 0 ? c.accent : [c.up, c.down, c.muted, '#c084fc', '#f59e0b'][(i - 1) % 5]);
          const opts = { priceScaleId: s.leftScale ? 'left' : 'right', title: s.name, color, lineWidth: 2 as const };
          const api =
            s.kind === 'area'
              ? ch.addSeries(lc.AreaSeries, { ...opts, lineColor: color, topColor: color + '55', bottomColor: color + '08' })
              : s.kind === 'histogram'
                ? ch.addSeries(lc.HistogramSeries, { priceScaleId: opts.priceScaleId, title: s.name, color })
                : ch.addSeries(lc.LineSeries, opts);
          api.setData(cleanPoints(s.points));
          if (i === 0 && markers?.length)
            lc.createSeriesMarkers(
              api,
              [...markers].sort((a, b) => a.time - b.time).map((m) => ({ ...m, time: m.time as UTCTimestamp })),
            );
        });
        ch.timeScale().fitContent();
      })
      .catch((e: Error) => setFailed(e.message));
    return () => {
      disposed = true;
    };
  }, [series, markers, height, theme]);
  useEffect(
    () => () => {
      chart.current?.remove();
      chart.current = null;
    },
    [],
  );
  if (failed) return <p className="state error">Chart unavailable: {failed}</p>;
  return <div ref={box} className="chart" style={{ height }} role="img" aria-label={label} data-testid="chart" />;
}
