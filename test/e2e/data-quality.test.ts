import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
