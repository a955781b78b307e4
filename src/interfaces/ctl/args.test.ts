import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeFfeApi, type FakeFfeApi } from '../../../test/fakes/ffe-api.js';
import { ctl, ctlHome } from '../../../test/support/ctl.js';

let api: FakeFfeApi;
beforeAll(async () => (api = await startFakeFfeApi()));
afterAll(() => api.close());

const KEY = 'ffe_k_operator_4d2e9a';

describe('ffe-ctl: bad arguments fail with one line naming the flag, exit 2, before any request', () => {
  const cases: [string[], RegExp][] = [
    [['trade', '--pair', 'BTCUSD', '--side', 'buy', '--size', '-1'], /--size.*'-1'.*greater than 0/],
    [['trade', '--pair', 'BTCUSD', '--side', 'hold', '--size', '1'], /--side.*hold.*buy, sell/],
    [['trade', '--side', 'buy', '--size', '1'], /required option '--pair/],
    [['trade', '--pair', 'BTC💥USD', '--side', 'buy', '--size', '1'], /--pair.*contains/],
    [['trade', '--pair', 'BTCUSD', '--side', 'buy', '--size', 'abc'], /--size.*not a number/],
    [['config', 'update'], /config update: give at least one of --stop-loss/],
    [['config', 'update', '--confidence', '1.5'], /--confidence.*between 0 and 1/],
    [['config', 'update', '--max-trades', '2.5'], /--max-trades.*whole number/],
    [['config', 'update', '--weights', 'rules:0.6'], /--weights.*NAME=WEIGHT/],
    [['config', 'update', '--weights', 'rules=-1'], /--weights.*≥ 0/],
    [['bot', 'start', '--take-profit', '3'], /--take-profit.*fraction between 0 and 1/],
    [['bot', 'start', '--assets', 'BTCUSD,,ETHUSD'], /--assets.*comma-separated/],
    [['backtest', 'run', '--pair', 'BTCUSD', '--from', '2024-13-45'], /--from.*ISO date/],
    [['backtest', 'run', '--pair', 'BTCUSD', '--from', '2024-03-02', '--to', '2024-03-01'], /--to 2024-03-01 is before --from/],
    [['backtest', 'run', '--pair', 'BTCUSD', '--kind', 'bogus'], /--kind.*bogus.*backtest, walk_forward/],
    [['decisions', 'list', '--limit', '0'], /--limit.*at least 1/],
    [['login', '--name', 'alice', '--totp', '12ab'], /--totp: must be/],
    [['login', '--name', 'alice'], /--password-stdin: needed when there is no terminal/],
    [['login'], /--name: needed/],
    [['--api-url', 'ftp://x', 'bot', 'status'], /--api-url: "ftp:\/\/x" must be an http/],
    [['--api-url', 'not a url', 'bot', 'status'], /--api-url: "not a url" is not a URL/],
    [['--timeout', '-3', 'bot', 'status'], /--timeout.*greater than 0/],
    [['bot', 'nope'], /unknown command 'nope'/],
  ];
  for (const [args, line] of cases) {
    it(args.join(' '), async () => {
      const before = api.requests.length;
      const r = await ctl(['--api-url', api.url, '--api-key', KEY, ...args], { home: ctlHome() });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(line);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^ffe-ctl: /);
      expect(r.stdout).toBe('');
      expect(api.requests.length).toBe(before);
    });
  }

  it('--help exits 0 and lists the command groups', async () => {
    const r = await ctl(['--help'], { home: ctlHome() });
    expect(r.code).toBe(0);
    for (const c of ['login', 'bot', 'positions', 'trade', 'config', 'decisions', 'approvals', 'backtest', 'audit', 'health', 'metrics']) expect(r.stdout).toContain(c);
  });

  it('sends what the flags say, in snake_case, with an Idempotency-Key on manual trades', async () => {
    const home = ctlHome();
    const base = ['--api-url', api.url, '--api-key', KEY];
    expect((await ctl([...base, 'bot', 'start', '--assets', 'btc-usd,ETHUSD', '--take-profit', '0.03', '--stop-loss', '0.02', '--dry-run', '--manual'], { home })).code).toBe(0);
    expect(api.requests.at(-1)?.body).toEqual({ asset_pairs: ['BTCUSD', 'ETHUSD'], autonomous: false, take_profit: 0.03, stop_loss: 0.02, dry_run: true });
    expect((await ctl([...base, 'config', 'update', '--stop-loss', '0.025', '--position-size', '0.01', '--confidence', '0.75', '--max-trades', '3', '--weights', 'rules=0.6,ollama=0.4'], { home })).code).toBe(0);
    expect(api.requests.at(-1)).toMatchObject({
      method: 'PATCH',
      body: { stop_loss_pct: 0.025, position_size_pct: 0.01, confidence_threshold: 0.75, max_concurrent_trades: 3, provider_weights: { rules: 0.6, ollama: 0.4 } },
    });
    expect((await ctl(['--api-url', api.url, '--api-key', 'ffe_k_trader_77a0c1', 'trade', '--pair', 'BTCUSD', '--side', 'sell', '--size', '0.5', '--price', '65000'], { home })).code).toBe(0);
    const t = api.requests.at(-1);
    expect(t?.body).toEqual({ asset_pair: 'BTCUSD', action: 'SELL', size: 0.5, price: 65000 });
    expect(t?.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect((await ctl([...base, 'bot', 'stop'], { home })).code).toBe(0);
    // A body-less POST carries no JSON content type (Fastify refuses an empty JSON body).
    expect(api.requests.at(-1)).toMatchObject({ path: '/api/v1/bot/stop', contentType: null, body: null });
    expect((await ctl([...base, 'bot', 'emergency-stop'], { home })).code).toBe(0);
    expect(api.requests.at(-1)?.query).toEqual({ close_positions: 'false' });
    expect((await ctl([...base, 'backtest', 'run', '--pair', 'ETHUSD', '--kind', 'walk_forward', '--timeframe', '1h', '--from', '2024-01-01', '--to', '2024-02-01', '--param', 'windows=4'], { home })).code).toBe(0);
    expect(api.requests.at(-1)?.body).toEqual({ kind: 'walk_forward', params: { windows: 4, asset_pair: 'ETHUSD', timeframe: '1h', from: '2024-01-01', to: '2024-02-01' } });
  });
});
