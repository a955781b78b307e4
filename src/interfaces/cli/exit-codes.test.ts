import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main.js';

/**
 * The exit-code rule, command by command, through the real CLI entry point (in process, so the
 * whole table stays fast): 0 ok, 1 run-time failure, 2 bad input or config. Bad input gets
 * exactly one line on stderr naming what is wrong, and no usage dump.
 * test/e2e/exit-codes.test.ts spawns the built binary for a few of these rows.
 */
interface Row {
  args: string[];
  stderr: RegExp;
  env?: Record<string, string>;
  config?: string;
}

export const BAD_INPUT: Row[] = [
  { args: ['analyze', 'BTC💥USD'], stderr: /asset pair "BTC💥USD" contains "💥"/ },
  { args: ['analyze'], stderr: /^ffe: missing required argument 'pair' \(see ffe analyze --help\)$/ },
  { args: ['history', '--asset', 'BTC💥USD'], stderr: /contains "💥"/ },
  { args: ['history', '--limit', '0'], stderr: /--limit must be a whole number ≥ 1 .*\(see ffe history --help\)/ },
  { args: ['status'], config: 'agent:\n  timezone: Not/AZone\n', stderr: /agent\.timezone: got "Not\/AZone".*IANA time zone/ },
  { args: ['status'], config: 'agent:\n  assets: ["💥💥"]\n', stderr: /agent\.assets\.0: got "💥💥"/ },
  { args: ['status'], config: 'sizing:\n  min_stop_fraction: 0.2\n  max_stop_fraction: 0.05\n', stderr: /sizing\.min_stop_fraction: .*≤ sizing\.max_stop_fraction/ },
  { args: ['status'], config: 'data:\n  alpha_vantage:\n    api_key: ${FFE_TEST_UNSET}\n', stderr: /data\.alpha_vantage\.api_key: .*environment variable FFE_TEST_UNSET to be set/ },
  { args: ['status'], env: { PERSISTENCE_SQLITE_PATH: '/' }, stderr: /persistence\.sqlite_path: "\/" is a directory/ },
  { args: ['data', 'import', 'future.csv', '--pair', 'BTCUSD', '--timeframe', '1d'], stderr: /future\.csv: line 3: timestamp 9999-01-03T00:00:00\.000Z is after 2200/ },
  { args: ['data', 'import', 'missing.csv', '--pair', 'BTCUSD', '--timeframe', '1d'], stderr: /cannot read missing\.csv: no such file/ },
  { args: ['data', 'list', '--config', 'missing.yaml'], stderr: /missing\.yaml.*expected an existing config file/ },
  { args: ['config', 'show', '--config', 'missing.yaml'], stderr: /expected an existing config file/ },
  { args: ['config', 'validate', '--config', 'missing.yaml'], stderr: /expected an existing config file/ },
  { args: ['config', 'docs', '--yaml', 'extra'], stderr: /too many arguments for 'docs'/ },
  { args: ['serve', '--log-level', 'loud'], stderr: /--log-level must be one of fatal, .*got "loud"/ },
  { args: ['serve', '--port', '70000'], stderr: /--port must be an integer from 0 to 65535, got "70000"/ },
  { args: ['providers', 'test', 'nosuch'], stderr: /unknown provider "nosuch"/ },
  { args: ['providers', 'list', '--config', 'missing.yaml'], stderr: /expected an existing config file/ },
  { args: ['backtest', 'BTCUSD', '--start', '2030-01-01', '--end', '2030-02-01', '--strategy', 'sma-cross'], stderr: /no 1h bars for BTCUSD between 2030-01-01/ },
  {
    args: ['backtest', 'BTCUSD', '--start', '2024-01-01', '--end', '2024-01-03', '--strategy', 'sma-cross', '--output', '/nonexistent/dir/r.html'],
    stderr: /--output \/nonexistent\/dir\/r\.html: the folder \/nonexistent\/dir does not exist/,
  },
  { args: ['backtest', 'BTCUSD', '--start', '2024-02-01', '--end', '2024-01-01'], stderr: /--end .* must be after --start/ },
  { args: ['walk-forward', 'BTCUSD', '--start', '2030-01-01', '--end', '2031-01-01', '--strategy', 'sma-cross'], stderr: /no 1h bars for BTCUSD/ },
  { args: ['monte-carlo', 'BTCUSD', '--start', '2030-01-01', '--end', '2031-01-01', '--strategy', 'sma-cross'], stderr: /no 1h bars for BTCUSD/ },
  { args: ['optimize', 'BTCUSD', '--start', '2030-01-01', '--end', '2031-01-01', '--strategy', 'sma-cross'], stderr: /no 1h bars for BTCUSD/ },
  { args: ['optimize', 'BTCUSD', '--start', '2024-01-01', '--end', '2024-01-03', '--strategy', 'sma-cross', '--output', '/nonexistent/best.json'], stderr: /the folder \/nonexistent does not exist/ },
  { args: ['worker', '--redis', 'nope'], stderr: /bad Redis URL "nope"/ },
  { args: ['worker', '--concurrency', '0'], stderr: /--concurrency must be a positive integer/ },
  { args: ['execute', 'NOSUCH'], stderr: /no decision with id "NOSUCH"/ },
  { args: ['balance', '--config', 'missing.yaml'], stderr: /expected an existing config file/ },
  { args: ['positions', '--config', 'missing.yaml'], stderr: /expected an existing config file/ },
  { args: ['close', 'BTCUSD'], stderr: /no open position "BTCUSD" on the paper account/ },
  { args: ['dashboard', '--config', 'missing.yaml'], stderr: /expected an existing config file/ },
  { args: ['reconcile', '--config', 'missing.yaml'], stderr: /expected an existing config file/ },
  { args: ['run-agent', '--assets', ''], stderr: /--assets is empty/ },
  { args: ['run-agent', '--assets', 'BTCUSD,'], stderr: /--assets "BTCUSD," has an empty entry/ },
  { args: ['run-agent', '--replay', '--from', '2099-01-01'], stderr: /--from 2099-01-01.*(nothing to replay|end of the data)|nothing to replay.*--from 2099-01-01/ },
  { args: ['run-agent', '--replay', '--from', 'someday'], stderr: /--from must be a date/ },
  { args: ['approvals', 'list', '--status', 'bogus'], stderr: /argument 'bogus' is invalid.*pending, approved, rejected, expired/ },
  { args: ['approve', 'NOSUCH'], stderr: /no approval "NOSUCH"/ },
  { args: ['reject', 'NOSUCH'], stderr: /no approval "NOSUCH"/ },
  { args: ['monitor', 'status', '--config', 'missing.yaml'], stderr: /expected an existing config file/ },
  { args: ['monitor', 'metrics', '--limit', 'x'], stderr: /--limit must be a whole number/ },
  { args: ['memory', 'report', '--config', 'missing.yaml'], stderr: /expected an existing config file/ },
  { args: ['memory', 'weights', '--config', 'missing.yaml'], stderr: /expected an existing config file/ },
  { args: ['memory', 'evaluate', 'BTCUSD', '--providers', 'rules', '--from', '2024-04-01', '--to', '2024-05-01'], stderr: /--providers needs at least two providers/ },
  { args: ['memory', 'evaluate', 'BTCUSD', '--providers', 'rules,ml', '--from', 'someday', '--to', '2024-05-01'], stderr: /--from "someday" is not a date/ },
  { args: ['memory', 'evaluate', 'BTCUSD', '--providers', 'rules,ml', '--from', '2024-04-01', '--to', '2024-05-01', '--windows', '0'], stderr: /--windows must be a positive integer/ },
  { args: ['fundamentals', 'fetch', 'IBM', 'BTCUSD'], stderr: /^ffe: fundamentals exist for stocks only; "BTCUSD" is crypto/ },
  { args: ['fundamentals', 'fetch', 'IBM'], env: { ALPHA_VANTAGE_API_KEY: '' }, stderr: /^ffe: Alpha Vantage needs an API key: set ALPHA_VANTAGE_API_KEY/ },
  { args: ['fundamentals', 'show', 'IBM', '--as-of', 'yesterday'], stderr: /^ffe: --as-of "yesterday" is not a date/ },
  { args: ['bogus'], stderr: /^ffe: unknown command 'bogus' \(see ffe --help\)$/ },
  { args: ['data', 'bogus'], stderr: /unknown command 'bogus' \(see ffe data --help\)/ },
  { args: ['status', '--bogus'], stderr: /^ffe: unknown option '--bogus' \(see ffe status --help\)$/ },
];

const tmp = () => mkdtempSync(join(tmpdir(), 'ffe-exit-'));

/** Runs `ffe <args>` in `cwd` and captures what it writes (stdout, stderr) and returns (the exit code). */
async function ffe(args: string[], cwd: string, extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  // FFE_HOME in the temp dir: the test must not read or write the machine's own ~/.local/share/ffe.
  const env = { FFE_HOME: cwd, ...extraEnv };
  const out = { stdout: '', stderr: '' };
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const home = process.cwd();
  process.stdout.write = ((s: string | Uint8Array) => ((out.stdout += String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((out.stderr += String(s)), true)) as typeof process.stderr.write;
  Object.assign(process.env, env);
  process.chdir(cwd);
  try {
    const code = await main(['node', 'ffe', ...args]);
    return { code, ...out };
  } finally {
    process.chdir(home);
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
  }
}

describe('every command: bad input exits 2 with one line on stderr', () => {
  let cwd: string;
  const listeners = process.stdout.listenerCount('error');
  // Each in-process main() call adds its EPIPE guard to stdout; 46 calls pass Node's default of 10 listeners, whose warning would land in the captured stderr.
  process.stdout.setMaxListeners(BAD_INPUT.length + 20);
  beforeAll(() => {
    cwd = tmp();
    writeFileSync(join(cwd, 'future.csv'), 'timestamp,open,high,low,close\n2024-01-01,10,12,9,11\n9999-01-03,10,12,9,11\n');
  });
  afterAll(() => {
    // main() guards stdout against EPIPE once per call; drop the guards it added here.
    for (const l of process.stdout.listeners('error').slice(listeners)) process.stdout.off('error', l as () => void);
  });

  it.each(BAD_INPUT.map((r) => [r.args.join(' ') + (r.config ? ` with ${r.config.split('\n')[0]}…` : r.env ? ` with ${JSON.stringify(r.env)}` : ''), r] as const))('%s', async (_name, row) => {
    let dir = cwd;
    if (row.config) {
      dir = tmp();
      mkdirSync(join(dir, 'config'));
      writeFileSync(join(dir, 'config/config.yaml'), row.config);
    }
    const r = await ffe(row.args, dir, row.env);
    expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(row.stderr);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/Usage:|unexpected error/);
  });
});
