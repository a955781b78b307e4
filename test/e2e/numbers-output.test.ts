import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempCwd } from '../support/cli.js';

const lines = (s: string) => s.split('\n').filter((l) => l.trim() !== '');
const money = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/** Numbers as people read them, in the real commands' output. */
describe('e2e: human output of the CLI', () => {
  it('two weeks of replay (not on a terminal) prints a few progress lines and a summary whose figures are the sandbox’s own', async () => {
    const cwd = tempCwd('ffe-numbers-');
    const r = await runCli(['--sandbox', 'fortnight', 'run-agent', '--replay', '--assets', 'BTCUSD,ETHUSD', '--from', '2024-06-01', '--to', '2024-06-15', '--autonomous'], { cwd, timeoutMs: 180_000 });
    expect(r.code, r.stderr).toBe(0);
    // Progress on stderr: one plain line per 10 %, no terminal control characters.
    const progress = lines(r.stderr);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.length).toBeLessThanOrEqual(11);
    expect(progress.at(-1)).toMatch(/^replay 100%: 2024-06-15, \d+ orders, \d+ closed trades, P&L -?[\d,]+\.\d\d$/);
    expect(r.stderr).not.toMatch(/\r|\x1b/);
    expect(lines(r.stdout).length).toBeLessThanOrEqual(8);
    expect(lines(r.stdout).length + progress.length).toBeLessThanOrEqual(20);
    expect(r.stdout).not.toMatch(/denied:|executed:|\{"/);

    const m = JSON.parse((await runCli(['--sandbox', 'fortnight', 'monitor', 'metrics', '--limit', '1000', '--json'], { cwd })).stdout) as {
      summary: { trades: number; winRate: number; pnl: number };
      trades: { closedAt: number; pnl: number }[];
    };
    expect(m.summary.trades).toBeGreaterThan(0);
    expect(m.trades).toHaveLength(m.summary.trades);
    let equity = 10_000;
    let peak = equity;
    let dd = 0;
    for (const t of [...m.trades].sort((a, b) => a.closedAt - b.closedAt)) {
      equity += t.pnl;
      peak = Math.max(peak, equity);
      dd = Math.max(dd, (peak - equity) / peak);
    }
    expect(r.stdout).toContain(`closed trades ${m.summary.trades}, win rate ${pct(m.summary.winRate)}, P&L ${money(m.summary.pnl)}, max drawdown ${pct(dd)} (realised equity)`);
    expect(r.stdout).toMatch(/^replay learning \(sandbox fortnight, apart from your account\): ensemble weights rules 1\.000, \d+ changes$/m);
    expect(r.stdout).toMatch(/^replay 2024-06-01T00:00:00Z → 2024-06-15T00:00:00Z ran in sandbox fortnight /m);

    // -v: one readable line per event, its data as JSON on the line after.
    const v = await runCli(['-v', '--sandbox', 'week', 'run-agent', '--replay', '--assets', 'BTCUSD,ETHUSD', '--from', '2024-03-01', '--to', '2024-03-03', '--autonomous'], { cwd, timeoutMs: 120_000 });
    expect(v.code, v.stderr).toBe(0);
    const denied = lines(v.stdout).filter((l) => / denied: /.test(l));
    expect(denied.length).toBeGreaterThan(0);
    for (const l of denied) expect(l).toMatch(/^2024-03-0\d \d\d:00 (BTC|ETH)USD (BUY|SELL) denied: [^{}]+ \[[A-Z_]+\]$/);
    const after = lines(v.stdout)[lines(v.stdout).indexOf(denied[0]) + 1];
    expect(JSON.parse(after.trim())).toMatchObject({ denials: [expect.objectContaining({ code: expect.any(String) })] });
  }, 240_000);

  it('optimize shows one column per metric, named as the backtest summary names them', async () => {
    const cwd = tempCwd('ffe-numbers-');
    const r = await runCli(['optimize', 'BTCUSD', '--start', '2024-01-01', '--end', '2024-04-01', '--provider', 'rules', '--workers', '1'], { cwd, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const head = r.stdout.split('\n').find((l) => l.includes('│ #'))!;
    const cols = head
      .split('│')
      .map((c) => c.trim())
      .filter(Boolean);
    expect(cols).toEqual(['#', 'stop_loss', 'take_profit', 'total return', 'Sharpe', 'max drawdown', 'trades']);
    expect(r.stdout).toMatch(/ranked by Sharpe/);
    // Every ratio and percentage to two decimals.
    const row = r.stdout.split('\n').find((l) => /^│ 1 /.test(l))!;
    expect(row).toMatch(/│ -?\d+\.\d\d% +│ -?\d+\.\d\d +│ \d+\.\d\d% +│ \d+ +│$/);
  }, 150_000);

  it('analyze --show-pulse cuts nothing: every unavailable timeframe says why, in full', async () => {
    const cwd = tempCwd('ffe-numbers-');
    const r = await runCli(['analyze', 'ETHUSD', '--show-pulse'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/\(nati │/);
    for (const tf of ['1m', '5m', '15m']) expect(r.stdout).toContain(`${tf}: unavailable (bundled ETHUSD data has no ${tf} bars (native: 1h) and none finer to build them from)`);
    expect(r.stdout).toMatch(/^price 3,337\.78; /m);
    expect(r.stdout).toMatch(/^size 0\.\d{8} units \(2,375\.00 USD\) risking 1\.00%; stop 3,404\.54 \(2\.00%\), take profit 3,170\.89 \(5\.00%\)$/m);
    const width = Math.max(
      ...r.stdout
        .split('\n')
        .filter((l) => l.startsWith('│'))
        .map((l) => l.length),
    );
    expect(width).toBeLessThanOrEqual(110);
  }, 60_000);

  it('config show masks every secret in human and JSON output, a key inside another field’s URL too', async () => {
    const cwd = tempCwd('ffe-numbers-');
    mkdirSync(join(cwd, 'config'));
    const key = 'AVk3y+s3cr3t/Value99';
    writeFileSync(
      join(cwd, 'config/config.yaml'),
      `data:\n  alpha_vantage:\n    api_key: "${key}"\n    base_url: "https://www.alphavantage.co/query?apikey=${encodeURIComponent(key)}&plain=${key}"\nproviders:\n  gpt:\n    kind: openai\n    model: m\n    api_key: "\${GPT_KEY}"\n    base_url: "http://127.0.0.1:9/v1?token=\${GPT_KEY}"\n`,
    );
    const env = { GPT_KEY: 'sk-gptsecretvalue1234', OANDA_API_KEY: 'oanda-token-5678' };
    for (const args of [
      ['config', 'show'],
      ['config', 'show', '--json'],
    ]) {
      const r = await runCli(args, { cwd, env });
      expect(r.code, r.stderr).toBe(0);
      for (const secret of [key, encodeURIComponent(key), env.GPT_KEY, env.OANDA_API_KEY]) expect(r.stdout + r.stderr).not.toContain(secret);
      expect(r.stdout).toMatch(/query\?apikey=\*\*\*&plain=\*\*\*/);
      expect(r.stdout).toMatch(/v1\?token=\*\*\*/);
    }
  }, 60_000);

  it('data import refuses a row dated after now with its line number and imports nothing', async () => {
    const cwd = tempCwd('ffe-numbers-');
    const file = join(cwd, 'bars.csv');
    writeFileSync(file, 'timestamp,open,high,low,close,volume\n2024-01-01,1,2,0.5,1.5,10\n2099-01-02,1,2,0.5,1.5,10\n');
    const r = await runCli(['data', 'import', file, '--pair', 'SOLUSD', '--timeframe', '1d'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bars\.csv: line 3: timestamp 2099-01-02T00:00:00\.000Z is after now \(\d{4}-/);
    const list = JSON.parse((await runCli(['data', 'list', '--json'], { cwd })).stdout) as { pair: string }[];
    expect(list.some((s) => s.pair === 'SOLUSD')).toBe(false);
  }, 60_000);
});
