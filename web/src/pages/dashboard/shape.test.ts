import { describe, expect, it } from 'vitest';
import { agentTone, allocationRows, breakerTone, equitySeries, fmtDuration, positionPnl, positionsTotal } from './shape';
import type { Position } from './types';

describe('allocationRows', () => {
  it('shares of the total value, largest exposure first, bars relative to the widest', () => {
    const rows = allocationRows(
      [
        { name: 'USD', value: 5000 },
        { name: 'BTC', value: 3000 },
        { name: 'ETH', value: -1000 },
      ],
      10_000,
    );
    expect(rows.map((r) => r.name)).toEqual(['USD', 'BTC', 'ETH']);
    expect(rows.map((r) => r.share)).toEqual([0.5, 0.3, -0.1]);
    expect(rows.map((r) => r.bar)).toEqual([100, 60, 20]);
  });

  it('falls back to the sum of the values when no positive total is given; empty and non-finite values are handled', () => {
    const rows = allocationRows([
      { name: 'a', value: 1 },
      { name: 'b', value: 3 },
      { name: 'c', value: NaN },
    ]);
    expect(rows).toEqual([
      { name: 'b', value: 3, share: 0.75, bar: 100 },
      { name: 'a', value: 1, share: 0.25, bar: 33.3 },
    ]);
    expect(allocationRows([{ name: 'x', value: 0 }], 0)).toEqual([{ name: 'x', value: 0, share: 0, bar: 0 }]);
    expect(allocationRows([])).toEqual([]);
  });
});

describe('equitySeries', () => {
  it('turns history points into unix-second equity and negative-percent drawdown series, skipping bad points', () => {
    const s = equitySeries([
      { at: '2026-01-01T00:00:00.000Z', equity: 100, peak: 100, drawdown: 0 },
      { at: '2026-01-01T01:00:00.500Z', equity: 95, peak: 100, drawdown: 0.05 },
      { at: 'garbage', equity: 1, peak: 1, drawdown: 0 },
    ]);
    const t0 = Date.UTC(2026, 0, 1) / 1000;
    expect(s.equity).toEqual([
      { time: t0, value: 100 },
      { time: t0 + 3600, value: 95 },
    ]);
    expect(s.drawdown).toEqual([
      { time: t0, value: 0 },
      { time: t0 + 3600, value: -5 },
    ]);
  });
});

describe('positions', () => {
  const p = (o: Partial<Position>): Position => ({
    id: '1',
    venue: 'paper',
    asset_pair: 'BTCUSD',
    side: 'long',
    units: 2,
    entry_price: 100,
    mark_price: 110,
    unrealized_pnl: 20,
    opened_at: null,
    stop_loss: null,
    take_profit: null,
    ...o,
  });
  it('P&L as a fraction of the entry notional; the total of unrealised P&L', () => {
    expect(positionPnl(p({}))).toEqual({ pnl: 20, fraction: 0.1 });
    expect(positionPnl(p({ side: 'short', units: 2, unrealized_pnl: -10 }))).toEqual({ pnl: -10, fraction: -0.05 });
    expect(positionPnl(p({ units: 0 })).fraction).toBeNull();
    expect(positionsTotal([p({}), p({ unrealized_pnl: -5 }), p({ unrealized_pnl: NaN })])).toBe(15);
  });
});

describe('tones and durations', () => {
  it('map states to badge tones and seconds to words', () => {
    expect(['CLOSED', 'OPEN', 'HALF_OPEN', 'weird'].map(breakerTone)).toEqual(['ok', 'bad', 'warn', 'muted']);
    expect(['running', 'stopped', 'emergency_stopped', 'error', 'starting'].map(agentTone)).toEqual(['ok', 'muted', 'bad', 'bad', 'warn']);
    expect([null, 45, 125, 3 * 3600 + 720, 50 * 3600].map(fmtDuration)).toEqual(['—', '45 s', '2 m 5 s', '3 h 12 m', '2 d 2 h']);
  });
});
