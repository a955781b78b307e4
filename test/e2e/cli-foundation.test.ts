import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli, tempCwd } from '../support/cli.js';

describe('ffe CLI on the bundled offline data', () => {
  let cwd: string;
  beforeAll(() => {
    cwd = tempCwd();
  });

  it.each(['BTCUSD', 'ETHUSD', 'EURUSD', 'SPY'])('analyze %s prints and stores a decision', async (pair) => {
    const r = await runCli(['analyze', pair, '--json'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.assetPair).toBe(pair);
    expect(['BUY', 'SELL', 'HOLD']).toContain(d.action);
    expect(d.confidence).toBeGreaterThanOrEqual(0);
    expect(d.confidence).toBeLessThanOrEqual(100);
    expect(d.market.offlineSample).toMatch(/offline sample data/);
    expect(d.pulse.timeframes).toHaveLength(6);
    expect(d.executed).toBe(false);
    expect(d.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(existsSync(join(cwd, 'data/ffe.db'))).toBe(true);
  });

  it('BTCUSD has all six timeframes; ETHUSD reports the fine ones as unavailable', async () => {
    const btc = JSON.parse((await runCli(['analyze', 'btc-usd', '--json'], { cwd })).stdout);
    expect(btc.pulse.timeframes.map((f: { status: string }) => f.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    const eth = JSON.parse((await runCli(['analyze', 'ETH/USD', '--json'], { cwd })).stdout);
    const status = Object.fromEntries(eth.pulse.timeframes.map((f: { timeframe: string; status: string }) => [f.timeframe, f.status]));
    expect(status).toEqual({ '1m': 'unavailable', '5m': 'unavailable', '15m': 'unavailable', '1h': 'ok', '4h': 'ok', '1d': 'ok' });
  });

  it('SPY at the sample end (after the US close) is forced to HOLD with the reason', async () => {
    const d = JSON.parse((await runCli(['analyze', 'SPY', '--json'], { cwd })).stdout);
    expect(d.action).toBe('HOLD');
    expect(d.gates.join(' ')).toMatch(/market closed/);
  });

  it('human output says it is offline sample data and gives its date', async () => {
    const r = await runCli(['analyze', 'BTCUSD', '--show-pulse'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/offline sample data: Binance BTC\/USDT/);
    expect(r.stdout).toMatch(/2025-01-01T00:00:00/);
    expect(r.stdout).toMatch(/│ 1d\s+│ ok/);
  });

  it('history shows stored decisions, newest first, filterable by asset', async () => {
    const r = await runCli(['history', '--asset', 'spy', '--json'], { cwd });
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.length).toBeGreaterThanOrEqual(2);
    expect(list.every((d: { assetPair: string }) => d.assetPair === 'SPY')).toBe(true);
    expect(Date.parse(list[0].createdAt)).toBeGreaterThanOrEqual(Date.parse(list[1].createdAt));
  });

  it('status reports the store, data source and providers', async () => {
    const s = JSON.parse((await runCli(['status', '--json'], { cwd })).stdout);
    expect(s.store.engine).toBe('sqlite');
    expect(s.store.location).toBe(join(cwd, 'data/ffe.db'));
    expect(s.data.pairs).toEqual(expect.arrayContaining(['BTCUSD', 'ETHUSD', 'EURUSD', 'SPY']));
    expect(s.tradingMode).toBe('paper');
  });
});

describe('ffe CLI: bad input gets one clear line and the right exit code', () => {
  const cwd = tempCwd();

  it('a pair with no letters: exit 2, no stack trace', async () => {
    const r = await runCli(['analyze', '???'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/must contain letters or digits/);
  });

  it('an unknown pair lists what is available', async () => {
    const r = await runCli(['analyze', 'DOGEUSD'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/available offline: BTCUSD, ETHUSD, EURUSD, SPY/);
  });

  it('an unknown option is a usage error (exit 2)', async () => {
    const r = await runCli(['analyze', 'BTCUSD', '--bogus'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option/);
  });

  it('an unknown provider is exit 2 and names the configured ones', async () => {
    const r = await runCli(['analyze', 'BTCUSD', '--provider', 'nope'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown provider "nope"/);
  });

  it('a corrupt database is one line naming the file, exit 1', async () => {
    const dir = tempCwd();
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data/ffe.db'), 'this is not a database, just text '.repeat(200));
    const r = await runCli(['history'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot open the database .*ffe\.db/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a bad config lists every problem with path, value and expectation, exit 2', async () => {
    const dir = tempCwd();
    mkdirSync(join(dir, 'config'));
    writeFileSync(join(dir, 'config/config.yaml'), 'decision_engine:\n  decision_threshold: 7\ndata:\n  source: yahoo\nsizing:\n  risk_fraktion: 0.01\n');
    const r = await runCli(['analyze', 'BTCUSD'], { cwd: dir, env: { PAPER_TRADING_INITIAL_BALANCE: 'lots' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/4 problems/);
    expect(r.stderr).toMatch(/decision_engine\.decision_threshold: got 7 \(from config\/config\.yaml\); expected a value ≤ 1/);
    expect(r.stderr).toMatch(/data\.source: got "yahoo"/);
    expect(r.stderr).toMatch(/sizing\.risk_fraktion: .*no such key/);
    expect(r.stderr).toMatch(/paper_trading\.initial_balance: got "lots" \(from env PAPER_TRADING_INITIAL_BALANCE\); expected number/);
    const v = await runCli(['config', 'validate'], { cwd: dir });
    expect(v.code).toBe(2);
  });

  it('a setting in its old home is refused with one line naming the new key, exit 2', async () => {
    const dir = tempCwd();
    mkdirSync(join(dir, 'config'));
    writeFileSync(join(dir, 'config/config.yaml'), 'agent:\n  stop_loss: 0.03\n');
    const r = await runCli(['analyze', 'BTCUSD'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/agent\.stop_loss has moved to sizing\.stop_loss/);
    const env = await runCli(['analyze', 'BTCUSD'], { cwd: tempCwd(), env: { PAPER_TRADING_FEE_RATE: '0.002' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/env PAPER_TRADING_FEE_RATE has moved to costs\.fee \(env COSTS_FEE\)/);
  });
});

describe('ffe data import', () => {
  const cwd = tempCwd();
  const btcLines = readFileSync(join(REPO, 'assets/data/BTCUSD/1h.csv'), 'utf8').trim().split('\n');

  it('imports a valid CSV, lists it, and analysis then uses it', async () => {
    const file = join(cwd, 'sol.csv');
    // Real BTC hourly bars relabelled as a pair the bundle lacks: the importer must accept any pair.
    writeFileSync(file, `${btcLines.slice(0, 2001).join('\n')}\n`);
    const r = await runCli(['data', 'import', file, '--pair', 'SOL-USD', '--timeframe', '1h', '--json'], { cwd });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ pair: 'SOLUSD', timeframe: '1h', rows: 2000 });
    const list = JSON.parse((await runCli(['data', 'list', '--json'], { cwd })).stdout);
    expect(list).toContainEqual(expect.objectContaining({ pair: 'SOLUSD', timeframe: '1h', bars: 2000, origin: 'imported' }));
    const d = JSON.parse((await runCli(['analyze', 'SOLUSD', '--json'], { cwd })).stdout);
    expect(d.market.offlineSample).toMatch(/imported data/);
    expect(d.entryPrice).toBe(Number(btcLines[2000].split(',')[4]));
    expect(d.pulse.timeframes.find((f: { timeframe: string }) => f.timeframe === '4h').status).toBe('ok');
  });

  it('a bad row is reported with its line number and nothing is imported', async () => {
    const file = join(cwd, 'bad.csv');
    const rows = btcLines.slice(0, 101);
    const f = rows[50].split(',');
    rows[50] = [f[0], f[1], String(Number(f[3]) - 1), f[3], f[4], f[5]].join(','); // high below low
    writeFileSync(file, rows.join('\n'));
    const r = await runCli(['data', 'import', file, '--pair', 'ADAUSD', '--timeframe', '1h'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.csv: line 51: high .* is below max\(open, close\)/);
    const list = JSON.parse((await runCli(['data', 'list', '--json'], { cwd })).stdout);
    expect(list.some((s: { pair: string }) => s.pair === 'ADAUSD')).toBe(false);
  });

  it('a missing file and a bad timeframe are clear input errors', async () => {
    const a = await runCli(['data', 'import', join(cwd, 'nope.csv'), '--pair', 'BTCUSD', '--timeframe', '1h'], { cwd });
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/cannot read .*nope\.csv: no such file/);
    const b = await runCli(['data', 'import', join(cwd, 'sol.csv'), '--pair', 'BTCUSD', '--timeframe', '2h'], { cwd });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/unknown timeframe "2h"/);
  });
});
