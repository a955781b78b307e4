import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeKlines } from '../fakes/binance-klines-server.js';
import { runCli, tempCwd } from '../support/cli.js';

describe('ffe data: grid and gaps from the command line', () => {
  it('import refuses three missing minutes (exit 2, nothing stored), --allow-gaps stores them; check reports them', async () => {
    const cwd = tempCwd('ffe-dataq-');
    const file = join(cwd, 'gapped.csv');
    const rows = Array.from({ length: 20 }, (_, i) => i)
      .filter((i) => i < 5 || i > 7)
      .map((i) => `${new Date(Date.UTC(2024, 5, 3) + i * 60_000).toISOString()},10,11,9,10.5,1`);
    writeFileSync(file, `timestamp,open,high,low,close,volume\n${rows.join('\n')}\n`);
    const refused = await runCli(['data', 'import', file, '--pair', 'SOLUSD', '--timeframe', '1m'], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/gapped\.csv: 1 gap, 3 bars missing; longest: 3 bars missing between 2024-06-03T00:04:00\.000Z and 2024-06-03T00:08:00\.000Z \(before line 7\)/);
    const stored = await runCli(['data', 'import', file, '--pair', 'SOLUSD', '--timeframe', '1m', '--allow-gaps'], { cwd });
    expect(stored.code, stored.stderr).toBe(0);
    expect(stored.stdout).toMatch(/imported 17 1m bars of SOLUSD .*, 1 gap, 3 bars missing/);
    const check = JSON.parse((await runCli(['data', 'check', 'SOLUSD', '--json'], { cwd })).stdout) as { timeframe: string; gaps: number; missingBars: number }[];
    expect(check.map((c) => [c.timeframe, c.gaps, c.missingBars])).toEqual([['1m', 1, 3]]);
    const text = await runCli(['data', 'check', 'EURUSD', '--timeframe', '1h'], { cwd });
    expect(text.stdout).toMatch(/gaps: 5 gaps, 157 bars missing; longest: 42 bars missing .* \(7488 bars absent while the market was closed: expected\)/);
  }, 120_000);

  it('download pages through the exchange, a rerun resumes and fetches only what is new', async () => {
    const cwd = tempCwd('ffe-dataq-');
    const T0 = Date.UTC(2024, 5, 3);
    const bars = Array.from({ length: 300 }, (_, i) => ({ timestamp: T0 + i * 3_600_000, open: 0.05, high: 0.051, low: 0.049, close: 0.0505, volume: 100 }));
    const fake = await startFakeKlines({ markets: [{ base: 'ETH', quote: 'BTC' }], series: { ETHBTC: { '1h': bars } }, maxLimit: 100 });
    try {
      const args = ['data', 'download', 'ETH/BTC', '--timeframe', '1h', '--from', '2024-06-03', '--to', '2024-06-20', '--exchange', 'binance', '--base-url', fake.url];
      const first = await runCli([...args, '--json'], { cwd });
      expect(first.code, first.stderr).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject([{ pair: 'ETHBTC', market: 'ETH/BTC', bars: 300, pages: 3, resumed: false, quality: { gaps: 0 } }]);
      const again = await runCli(args, { cwd });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/ETHBTC 1h from binance \(ETH\/BTC\): 0 bars in 0 pages, resumed at 2024-06-15T12:00:00\.000Z, no gaps/);
    } finally {
      await fake.close();
    }
  }, 120_000);
});
