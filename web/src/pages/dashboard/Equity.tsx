import { useMemo } from 'react';
import { TimeChart, themeColors } from '../../components/charts/TimeChart';
import { useThemeName } from '../../lib/theme';
import { equitySeries } from './shape';
import type { HistoryPoint } from './types';

export const RANGES = [
  { id: '1d', label: '1 day', ms: 86_400_000 },
  { id: '7d', label: '7 days', ms: 7 * 86_400_000 },
  { id: '30d', label: '30 days', ms: 30 * 86_400_000 },
  { id: '365d', label: '1 year', ms: 365 * 86_400_000 },
] as const;
export type RangeId = (typeof RANGES)[number]['id'];

/** The equity curve (area) with its drawdown in percent on the left scale (TimeChart loads the chart library on first draw). */
export function EquityChart({ points }: { points: readonly HistoryPoint[] }) {
  const theme = useThemeName();
  const series = useMemo(() => {
    const { equity, drawdown } = equitySeries(points);
    return [
      { name: 'Equity', kind: 'area' as const, points: equity },
      { name: 'Drawdown %', kind: 'line' as const, points: drawdown, leftScale: true, color: themeColors().down },
    ];
  }, [points, theme]);
  if (points.length < 2) return <p className="state empty">Not enough equity history yet: the curve grows with every account read and order.</p>;
  return <TimeChart series={series} label={`Equity curve with drawdown, ${points.length} points`} height={280} />;
}
